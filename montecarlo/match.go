package montecarlo

import (
	"path"
	"strings"
)

// isLiteral reports whether a target is a plain address: no '*', '?',
// '[' or a backslash.
func isLiteral(target string) bool { return !strings.ContainsAny(target, `*?[\`) }

// targetMatch reports whether an input's target selects the driver at
// address: path.Match, with a literal target (isLiteral, decided once per
// target) compared as a string. A spec of a hundred literal addresses
// over a portfolio of thousands of drivers otherwise spends more time
// matching than a few thousand trials take to run.
func targetMatch(target string, literal bool, address string) bool {
	if literal {
		return target == address
	}
	ok, _ := path.Match(target, address)
	return ok
}
