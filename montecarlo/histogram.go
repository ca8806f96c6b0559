package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
)

// Histogram counts samples in equal-width bins for a distribution chart.
// Bin i is [Edges[i], Edges[i+1]), except the last, which also holds
// Edges[len(Edges)−1], the maximum.
type Histogram struct {
	Edges  []float64 // len(Counts)+1 ascending edges, from the minimum to the maximum
	Counts []int     // samples per bin
}

// NewHistogram bins x (in any order) into bins equal-width bins between its
// minimum and maximum, so the edges depend only on the data and the bin
// count. When every sample is the same value v, the range is
// [v − w, v + w] with w = max(0.5, |v|·10⁻⁹), so the chart still has a
// width and no edge is NaN. It returns an error for an empty x, non-finite
// samples (path "samples") or bins < 1 (path "bins").
func NewHistogram(x []float64, bins int) (Histogram, error) {
	var p costmodel.Problems
	p.Merge("", checkSamples(x, "samples"))
	if bins < 1 {
		p.Addf("bins", formatG(float64(bins)), "at least 1 bin")
	}
	if err := p.Err(); err != nil {
		return Histogram{}, err
	}
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if lo == hi {
		w := math.Max(0.5, math.Abs(lo)*1e-9)
		lo, hi = lo-w, hi+w
	}
	h := Histogram{Edges: make([]float64, bins+1), Counts: make([]int, bins)}
	width := (hi - lo) / float64(bins)
	for i := range h.Edges {
		h.Edges[i] = lo + float64(i)*width
	}
	h.Edges[bins] = hi
	for _, v := range x {
		i := int((v - lo) / width)
		// Correct the rare off-by-one of floating point so that the bin
		// agrees with the edges shown.
		i = min(max(i, 0), bins-1)
		if v < h.Edges[i] && i > 0 {
			i--
		} else if i < bins-1 && v >= h.Edges[i+1] {
			i++
		}
		h.Counts[i]++
	}
	return h, nil
}

// SCurve returns points of the cumulative distribution (the S-curve chart)
// of sorted: points evenly spaced probabilities p from 0 to 1 and their
// percentiles x = Percentile(sorted, p), so the curve agrees with the
// workbook's PERCENTILE.INC. points < 2 means 101 (every percent). sorted
// must be ascending; an empty slice returns nil slices.
func SCurve(sorted []float64, points int) (x, p []float64) {
	if len(sorted) == 0 {
		return nil, nil
	}
	if points < 2 {
		points = 101
	}
	x, p = make([]float64, points), make([]float64, points)
	for i := range p {
		p[i] = float64(i) / float64(points-1)
		x[i] = Percentile(sorted, p[i])
	}
	return x, p
}
