package montecarlo

import (
	"math"
	"slices"
	"sort"

	"github.com/marginalhq/marginal/costmodel"
)

// Empirical resamples observed data: each observation is drawn with
// probability 1/n (the bootstrap distribution of the data,
// https://en.wikipedia.org/wiki/Empirical_distribution_function):
//
//	Quantile(p) = data₍⌊p·n⌋₎ (0-based, sorted, index clamped to n − 1)
//	mean = Σx/n,  variance = Σ(x − mean)²/n
//
// The variance divides by n, not n − 1: it is the variance of the
// resampling distribution, not an estimate of the population's. In a
// [DistSpec] it is {"type":"empirical","data":[...]}; Build sorts a copy.
type Empirical struct {
	// Data must be non-empty, finite and in ascending order (NewEmpirical
	// sorts a copy).
	Data []float64
}

var _ Distribution = Empirical{}

// NewEmpirical returns an Empirical holding a sorted copy of data.
func NewEmpirical(data []float64) Empirical {
	d := slices.Clone(data)
	slices.Sort(d)
	return Empirical{Data: d}
}

// Quantile returns data₍⌊p·n⌋₎ with the index clamped to [0, n − 1], so a
// uniform p in [0, 1) picks each observation with probability 1/n.
func (e Empirical) Quantile(p float64) float64 {
	n := len(e.Data)
	if n == 0 {
		return math.NaN()
	}
	i := int(clampUnit(p) * float64(n))
	return e.Data[min(max(i, 0), n-1)]
}

// CDF returns the fraction of observations ≤ x.
func (e Empirical) CDF(x float64) float64 {
	n := len(e.Data)
	if n == 0 || math.IsNaN(x) {
		return math.NaN()
	}
	k := sort.Search(n, func(i int) bool { return e.Data[i] > x })
	return float64(k) / float64(n)
}

// Mean returns Σx/n.
func (e Empirical) Mean() float64 {
	if len(e.Data) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range e.Data {
		s += x
	}
	return s / float64(len(e.Data))
}

// Variance returns Σ(x − mean)²/n.
func (e Empirical) Variance() float64 {
	m := e.Mean()
	var s float64
	for _, x := range e.Data {
		s += (x - m) * (x - m)
	}
	return s / float64(len(e.Data))
}

func (e Empirical) check(p *costmodel.Problems, path string) { e.checkOrder(p, path, true) }

// checkOrder validates e; sorted says whether Data must be ascending.
func (e Empirical) checkOrder(p *costmodel.Problems, path string, sorted bool) {
	dp := join(path, "data")
	if len(e.Data) == 0 {
		p.Add(dp, "", "at least one observation")
		return
	}
	checkList(p, dp, e.Data, sorted)
}
