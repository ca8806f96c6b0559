package montecarlo

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// formatG renders a float64 in the shortest form that round-trips, so a
// number the user wrote as 0.1 reads back as 0.1 (never
// 0.1000000000000), and a value of any size takes at most 24 characters.
func formatG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// maxQuoted is the longest user text a message repeats in full; longer
// text is cut, with its length, so that a 300-character target or a
// pasted paragraph does not bury the message.
const maxQuoted = 60

// quote renders user text for a message: quoted, and shortened to its
// first maxQuoted characters with its length when longer.
func quote[S ~string](s S) string {
	if utf8.RuneCountInString(string(s)) <= maxQuoted {
		return strconv.Quote(string(s))
	}
	n, cut := 0, 0
	for i := range string(s) {
		if n == maxQuoted {
			cut = i
			break
		}
		n++
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(string(s)[:cut]), utf8.RuneCountInString(string(s)))
}
