package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
)

// Uniform is the continuous uniform distribution on [Min, Max]
// (https://en.wikipedia.org/wiki/Continuous_uniform_distribution):
//
//	mean = (min + max)/2,  variance = (max − min)²/12
//
// In a [DistSpec] it is {"type":"uniform","min":a,"max":b}.
type Uniform struct {
	// Min and Max must be finite with Min < Max.
	Min, Max float64
}

var _ Distribution = Uniform{}

// Quantile returns min + p·(max − min); Quantile(0) = Min, Quantile(1) = Max.
func (u Uniform) Quantile(p float64) float64 {
	p = clampUnit(p)
	// (1−p)·min + p·max stays within [min, max] even with rounding.
	return math.Max(u.Min, math.Min(u.Max, (1-p)*u.Min+p*u.Max))
}

// CDF returns (x − min)/(max − min), clamped to [0, 1].
func (u Uniform) CDF(x float64) float64 {
	switch {
	case x <= u.Min:
		return 0
	case x >= u.Max:
		return 1
	}
	return (x - u.Min) / (u.Max - u.Min)
}

// Mean returns (min + max)/2.
func (u Uniform) Mean() float64 { return u.Min/2 + u.Max/2 }

// Variance returns (max − min)²/12.
func (u Uniform) Variance() float64 { w := u.Max - u.Min; return w * w / 12 }

func (u Uniform) check(p *costmodel.Problems, path string) {
	checkRange(p, path, u.Min, 0, u.Max, false)
}
