package report

import (
	"regexp"
	"strings"
)

// futureFunctions are functions added to Excel after the 2007 file format.
// In the file they must be written with the "_xlfn." prefix (Excel shows
// them without it); unprefixed, LibreOffice reads them as unknown names
// (#NAME?) and older Excel versions may too. The list holds the ones a
// finance model is likely to use; extend it as formulas need.
var futureFunctions = []string{
	"PERCENTILE.INC", "PERCENTILE.EXC", "QUARTILE.INC", "QUARTILE.EXC",
	"STDEV.S", "STDEV.P", "VAR.S", "VAR.P", "MODE.SNGL",
	"NORM.DIST", "NORM.INV", "NORM.S.DIST", "NORM.S.INV",
	"LOGNORM.DIST", "LOGNORM.INV", "BETA.DIST", "BETA.INV",
	"GAMMA.DIST", "GAMMA.INV", "CEILING.MATH", "FLOOR.MATH",
	"RANK.EQ", "RANK.AVG", "IFNA", "IFS", "SWITCH", "MAXIFS", "MINIFS",
	"CONCAT", "TEXTJOIN", "XLOOKUP", "XMATCH", "DAYS", "ISOWEEKNUM",
}

var futureFunctionCall = func() *regexp.Regexp {
	alts := make([]string, len(futureFunctions))
	for i, f := range futureFunctions {
		alts[i] = regexp.QuoteMeta(f)
	}
	// A function name not preceded by a name character (so "_xlfn.IFS" and
	// "MYIFS" are left alone), followed by "(".
	return regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_.\\])(` + strings.Join(alts, "|") + `)\(`)
}()

// withFutureFunctionPrefix returns formula with "_xlfn." before every call
// of a function in futureFunctions, outside string literals. It is
// idempotent.
func withFutureFunctionPrefix(formula string) string {
	parts := strings.Split(formula, `"`)
	for i := 0; i < len(parts); i += 2 { // even parts are outside quotes
		// Two passes: adjacent calls share the separator character.
		for range 2 {
			parts[i] = futureFunctionCall.ReplaceAllString(parts[i], `${1}_xlfn.${2}(`)
		}
	}
	return strings.Join(parts, `"`)
}
