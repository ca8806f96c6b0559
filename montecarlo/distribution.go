package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
)

// Distribution is a univariate probability distribution sampled by
// inversion.
//
// Quantile is the inverse of CDF (the generalised inverse for discrete
// distributions); it is monotone non-decreasing in p, which Latin Hypercube
// sampling and Iman–Conover rely on. Quantile clamps p into [0, 1] and
// treats NaN as 0.5; a distribution with unbounded support further keeps p
// within [2⁻⁵³, 1−2⁻⁵³] so that the result is finite.
//
// Methods of a value that fails [Validate] do not panic but may return NaN.
type Distribution interface {
	Quantile(p float64) float64
	CDF(x float64) float64
	Mean() float64
	Variance() float64
}

// pEps keeps the quantile of an unbounded distribution finite: 2⁻⁵³ is the
// spacing of float64 just below 1, so [pEps, 1−pEps] is symmetric.
const pEps = 0x1p-53

// clampUnit maps p into [0, 1], NaN to 0.5.
func clampUnit(p float64) float64 {
	switch {
	case math.IsNaN(p):
		return 0.5
	case p < 0:
		return 0
	case p > 1:
		return 1
	}
	return p
}

// clampOpen maps p into [pEps, 1−pEps], NaN to 0.5, for distributions with
// unbounded support.
func clampOpen(p float64) float64 {
	switch {
	case math.IsNaN(p):
		return 0.5
	case p < pEps:
		return pEps
	case p > 1-pEps:
		return 1 - pEps
	}
	return p
}

// checker is implemented by every distribution of this package.
type checker interface {
	check(p *costmodel.Problems, path string)
}

// Validate reports every problem with the parameters of d, each path
// prefixed by path and named after the JSON field of [DistSpec] ("sd",
// "mode", ...). It returns nil for a valid distribution and for
// distributions defined outside this package, which are trusted.
func Validate(d Distribution, path string) error {
	var p costmodel.Problems
	if d == nil {
		p.Add(path, "", "a distribution")
		return p.Err()
	}
	if c, ok := d.(checker); ok {
		c.check(&p, path)
		if p.Len() == 0 && !(finite(d.Mean()) && finite(d.Variance())) {
			p.Add(path, "mean "+formatG(d.Mean())+", variance "+formatG(d.Variance()),
				"parameters giving a finite mean and variance")
		}
	}
	return p.Err()
}

// join appends a field name to a path.
func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

// finite reports whether x is neither NaN nor ±Inf.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// checkFinite records a problem when x is NaN or infinite and reports
// whether x is finite.
func checkFinite(p *costmodel.Problems, path string, x float64) bool {
	if !finite(x) {
		p.Add(path, formatG(x), "a finite number")
		return false
	}
	return true
}

// checkPositive records a problem unless x is finite and > 0.
func checkPositive(p *costmodel.Problems, path string, x float64) bool {
	if !checkFinite(p, path, x) {
		return false
	}
	if x <= 0 {
		p.Add(path, formatG(x), "a number greater than 0")
		return false
	}
	return true
}

// checkRange records problems for min, mode and max unless all are finite
// with min ≤ mode ≤ max and min < max. Each ordering is checked on the pair
// of values that are finite, so that every problem is reported at once.
func checkRange(p *costmodel.Problems, path string, min, mode, max float64, hasMode bool) {
	okMin := checkFinite(p, join(path, "min"), min)
	okMax := checkFinite(p, join(path, "max"), max)
	okMode := hasMode && checkFinite(p, join(path, "mode"), mode)
	if okMode && okMin && min > mode {
		p.Add(join(path, "mode"), formatG(mode), "a mode at least min ("+formatG(min)+")")
	}
	if okMode && okMax && mode > max {
		p.Add(join(path, "mode"), formatG(mode), "a mode at most max ("+formatG(max)+")")
	}
	if okMin && okMax && min >= max {
		p.Add(join(path, "max"), formatG(max), "a max greater than min ("+formatG(min)+")")
	}
}
