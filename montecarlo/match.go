package montecarlo

import (
	"path"
	"strings"
)

// targetMatch reports whether an input's target selects the driver at
// address: path.Match, with a literal target (no '*', '?', '[' or '\')
// compared as a string. A spec of a hundred literal addresses over a
// portfolio of thousands of drivers otherwise spends more time matching
// than a few thousand trials take to run.
func targetMatch(target, address string) bool {
	if !strings.ContainsAny(target, `*?[\`) {
		return target == address
	}
	ok, _ := path.Match(target, address)
	return ok
}
