package scenario

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// maxQuoted is the longest user text or number a message repeats in full;
// longer ones are cut, with their length, so that a 300-digit value or a
// pasted paragraph does not bury the message.
const maxQuoted = 60

// cut returns the first maxQuoted characters of s and whether s was
// longer.
func cut(s string) (string, bool) {
	n := 0
	for i := range s {
		if n == maxQuoted {
			return s[:i], true
		}
		n++
	}
	return s, false
}

// quote renders user text for a message: quoted, and shortened with its
// length when longer than maxQuoted characters.
func quote[S ~string](s S) string {
	head, long := cut(string(s))
	if !long {
		return strconv.Quote(head)
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(head), utf8.RuneCountInString(string(s)))
}

// decText renders a decimal for a message as written (shopspring keeps
// the digits given, without padding), shortened with its length when it
// has more than maxQuoted characters.
func decText(d decimal.Decimal) string {
	s := d.String()
	head, long := cut(s)
	if !long {
		return s
	}
	return fmt.Sprintf("%s… (%d digits)", head, len(s))
}
