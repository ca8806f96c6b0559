package report

import "strings"

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

// futureFunctionSet holds futureFunctions in upper case.
var futureFunctionSet = func() map[string]bool {
	m := make(map[string]bool, len(futureFunctions))
	for _, f := range futureFunctions {
		m[strings.ToUpper(f)] = true
	}
	return m
}()

// isNameChar reports whether c can be part of a function or defined name
// (letters, digits, "_", "." and "\").
func isNameChar(c byte) bool {
	return c == '_' || c == '.' || c == '\\' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= 0x80
}

// withFutureFunctionPrefix returns formula with "_xlfn." before every call
// of a function in futureFunctions, outside string literals: a whole name
// (not part of a longer one, so "_xlfn.IFS" and "MYIFS" are left alone)
// followed by "(". It is idempotent. It scans the formula once, because
// the Statement has hundreds of thousands of formulas.
func withFutureFunctionPrefix(formula string) string {
	var b strings.Builder
	last := 0 // formula[last:] not yet copied to b
	inString := false
	for i := 0; i < len(formula); {
		c := formula[i]
		switch {
		case c == '"':
			inString = !inString
			i++
		case inString || !isNameChar(c):
			i++
		default:
			j := i
			for j < len(formula) && isNameChar(formula[j]) {
				j++
			}
			if j < len(formula) && formula[j] == '(' && futureFunctionSet[strings.ToUpper(formula[i:j])] {
				if b.Len() == 0 {
					b.Grow(len(formula) + 12)
				}
				b.WriteString(formula[last:i])
				b.WriteString("_xlfn.")
				last = i
			}
			i = j
		}
	}
	if last == 0 && b.Len() == 0 {
		return formula
	}
	b.WriteString(formula[last:])
	return b.String()
}
