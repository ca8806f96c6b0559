package montecarlo

import "strconv"

// formatG renders a float64 in the shortest form that round-trips, so a
// number the user wrote as 0.1 reads back as 0.1 (never
// 0.1000000000000), and a value of any size takes at most 24 characters.
func formatG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// quote renders user text for a message, quoted. A long text is
// shortened, with its length, where the message is formatted
// (costmodel.FieldError), once for every package.
func quote[S ~string](s S) string { return strconv.Quote(string(s)) }
