package montecarlo

import (
	"math"
	"sort"
)

// Percentile returns the p-quantile of sorted exactly as Excel's
// PERCENTILE.INC (and R's type 7, NumPy's default) computes it:
//
//	h = (n − 1)·p,  Percentile = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)
//
// with 0-based x₍i₎, so Percentile(s, 0) is the minimum and
// Percentile(s, 1) the maximum (Hyndman and Fan, The American
// Statistician 50, 1996). gonum's stat.Quantile uses another definition.
//
// sorted must be finite and in ascending order (not checked, to keep the
// cost O(1); [Summarize] reports non-finite samples).
// When h is within 10⁻¹² (relative) of an integer it is taken as that
// integer, so that probabilities computed as 1 − α select a sample exactly.
// p is clamped into [0, 1] and NaN is treated as 0.5; an empty slice
// returns 0.
func Percentile(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	h := float64(n-1) * clampUnit(p)
	// Snap h to an integer when rounding of p alone (1 − 0.9 is
	// 0.09999999999999998) keeps it off one, so that VaR(x, 0.9) returns a
	// sample exactly, as PERCENTILE.INC(x, 0.1) does.
	if r := math.Round(h); math.Abs(h-r) <= 1e-12*math.Max(1, h) {
		h = r
	}
	lo := int(h)
	if lo >= n-1 {
		return sorted[n-1]
	}
	frac := h - float64(lo)
	return sorted[lo] + frac*(sorted[lo+1]-sorted[lo])
}

// VaR returns the value at risk at confidence level alpha (0.95, 0.99) of a
// profit-like output, one where higher is better:
//
//	VaR(α) = Percentile(sorted, 1 − α)
//
// the level the output falls below only 1 − α of the time. It is reported
// as a level of the output, not as a loss: a VaR of −20 000 means "in the
// worst 5% of trials we lose at least 20 000". For a normal output,
// VaR(α) = μ − σ·z_α with z_α = Φ⁻¹(α).
//
// sorted must be ascending; alpha is clamped into [0, 1] (NaN as 0.5), and
// an empty slice returns 0.
func VaR(sorted []float64, alpha float64) float64 {
	return Percentile(sorted, 1-clampUnit(alpha))
}

// CVaR returns the conditional value at risk (expected shortfall) at level
// alpha of a profit-like output: the mean of the samples at or below
// VaR(alpha),
//
//	CVaR(α) = mean{x : x ≤ VaR(α)}
//
// so CVaR ≤ VaR. For a normal output, CVaR(α) = μ − σ·φ(z_α)/(1 − α).
// sorted must be ascending; alpha is clamped into [0, 1] (NaN as 0.5), and
// an empty slice returns 0.
func CVaR(sorted []float64, alpha float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	v := VaR(sorted, alpha)
	k := sort.Search(len(sorted), func(i int) bool { return sorted[i] > v })
	k = max(k, 1) // sorted[0] ≤ v always; guards against rounding
	var s float64
	for _, x := range sorted[:k] {
		s += x
	}
	return s / float64(k)
}

// ProbBelow returns the fraction of samples strictly below target, the
// simulated probability of missing it. sorted must be ascending; an empty
// slice or a NaN target returns 0.
func ProbBelow(sorted []float64, target float64) float64 {
	if len(sorted) == 0 || math.IsNaN(target) {
		return 0
	}
	k := sort.SearchFloat64s(sorted, target) // first index with x ≥ target
	return float64(k) / float64(len(sorted))
}
