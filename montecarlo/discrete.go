package montecarlo

import (
	"fmt"
	"math"
	"sort"

	"github.com/marginalhq/marginal/costmodel"
)

// maxListed caps how many bad entries of one list are reported one by one,
// so a million-value data set with NaNs yields a readable error.
const maxListed = 10

// Discrete is a distribution over a finite set of values with relative
// weights (https://en.wikipedia.org/wiki/Categorical_distribution, on
// numbers):
//
//	P(X = v_i) = w_i / Σw
//	mean = Σ w_i·v_i / Σw,  variance = Σ w_i·(v_i − mean)² / Σw
//
// The weights need not sum to 1. Quantile, CDF, Mean and Variance cost
// O(len(Values)); the type is meant for the handful of outcomes a finance
// user types in. In a [DistSpec] it is
// {"type":"discrete","values":[...],"weights":[...]}; Build sorts the pairs.
type Discrete struct {
	// Values must be finite and in ascending order (NewDiscrete sorts).
	Values []float64
	// Weights must have the same length as Values, be finite and ≥ 0, and
	// have a positive sum.
	Weights []float64
}

var _ Distribution = Discrete{}

// NewDiscrete returns a Discrete holding copies of values and weights,
// sorted together by value. When the lengths differ the copies are left
// unsorted and Validate reports the mismatch.
func NewDiscrete(values, weights []float64) Discrete {
	d := Discrete{
		Values:  append([]float64(nil), values...),
		Weights: append([]float64(nil), weights...),
	}
	if len(d.Values) == len(d.Weights) {
		sort.Stable(byValue(d))
	}
	return d
}

type byValue Discrete

func (b byValue) Len() int           { return len(b.Values) }
func (b byValue) Less(i, j int) bool { return b.Values[i] < b.Values[j] }
func (b byValue) Swap(i, j int) {
	b.Values[i], b.Values[j] = b.Values[j], b.Values[i]
	b.Weights[i], b.Weights[j] = b.Weights[j], b.Weights[i]
}

func (d Discrete) total() float64 {
	if len(d.Values) != len(d.Weights) || len(d.Values) == 0 {
		return math.NaN()
	}
	var s float64
	for _, w := range d.Weights {
		s += w
	}
	if !(s > 0) {
		return math.NaN()
	}
	return s
}

// Quantile returns the first value whose cumulative weight exceeds p·Σw
// (the right-continuous inverse, so a uniform p in [0, 1) picks v_i with
// probability w_i/Σw); for p = 1 it returns the last value with positive
// weight.
func (d Discrete) Quantile(p float64) float64 {
	s := d.total()
	if math.IsNaN(s) {
		return s
	}
	target := clampUnit(p) * s
	var cum float64
	last := math.NaN()
	for i, w := range d.Weights {
		if w <= 0 {
			continue
		}
		cum += w
		last = d.Values[i]
		if cum > target {
			return last
		}
	}
	return last
}

// CDF returns the weight of the values ≤ x over Σw.
func (d Discrete) CDF(x float64) float64 {
	s := d.total()
	if math.IsNaN(s) {
		return s
	}
	var cum float64
	for i, v := range d.Values {
		if v <= x {
			cum += d.Weights[i]
		}
	}
	return math.Min(1, cum/s)
}

// Mean returns Σ w_i·v_i / Σw.
func (d Discrete) Mean() float64 {
	s := d.total()
	if math.IsNaN(s) {
		return s
	}
	var m float64
	for i, v := range d.Values {
		m += d.Weights[i] * v
	}
	return m / s
}

// Variance returns Σ w_i·(v_i − mean)² / Σw.
func (d Discrete) Variance() float64 {
	s, m := d.total(), d.Mean()
	if math.IsNaN(s) {
		return s
	}
	var v float64
	for i, x := range d.Values {
		v += d.Weights[i] * (x - m) * (x - m)
	}
	return v / s
}

func (d Discrete) check(p *costmodel.Problems, path string) { d.checkOrder(p, path, true) }

// checkOrder validates d; sorted says whether Values must be ascending
// (DistSpec.Build checks the user's unsorted lists so that indices in
// errors match the input, then sorts).
func (d Discrete) checkOrder(p *costmodel.Problems, path string, sorted bool) {
	vp, wp := join(path, "values"), join(path, "weights")
	if len(d.Values) == 0 {
		p.Add(vp, "", "at least one value")
	}
	if len(d.Weights) != len(d.Values) {
		p.Addf(wp, fmt.Sprintf("%d weights", len(d.Weights)), "one weight per value (%d)", len(d.Values))
	}
	checkList(p, vp, d.Values, sorted)
	var sum float64
	bad := 0
	for i, w := range d.Weights {
		switch {
		case !finite(w):
			if bad++; bad <= maxListed {
				p.Add(fmt.Sprintf("%s[%d]", wp, i), formatG(w), "a finite weight")
			}
		case w < 0:
			if bad++; bad <= maxListed {
				p.Add(fmt.Sprintf("%s[%d]", wp, i), formatG(w), "a weight at least 0")
			}
		default:
			sum += w
		}
	}
	if bad > maxListed {
		p.Addf(wp, "", "finite weights at least 0 (%d more bad weights not listed)", bad-maxListed)
	}
	if bad == 0 && len(d.Weights) > 0 && !(sum > 0 && finite(sum)) {
		p.Add(wp, formatG(sum)+" in total", "weights with a positive, finite sum")
	}
}

// checkList reports non-finite entries of xs (at most maxListed one by one)
// and, when ascending is set, entries out of ascending order.
func checkList(p *costmodel.Problems, path string, xs []float64, ascending bool) {
	bad := 0
	for i, x := range xs {
		if !finite(x) {
			if bad++; bad <= maxListed {
				p.Add(fmt.Sprintf("%s[%d]", path, i), formatG(x), "a finite number")
			}
		}
	}
	if bad > maxListed {
		p.Addf(path, "", "finite numbers (%d more non-finite entries not listed)", bad-maxListed)
	}
	if ascending && bad == 0 {
		for i := 1; i < len(xs); i++ {
			if xs[i] < xs[i-1] {
				p.Addf(fmt.Sprintf("%s[%d]", path, i), formatG(xs[i]),
					"values in ascending order (at least %s; the New function sorts)", formatG(xs[i-1]))
				break
			}
		}
	}
}
