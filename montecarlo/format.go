package montecarlo

import "strconv"

// formatG renders a float64 in the shortest form that round-trips.
func formatG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
