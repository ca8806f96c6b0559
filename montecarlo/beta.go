package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// Beta is the beta distribution with shape parameters Alpha and Beta,
// scaled to [Min, Max] (https://en.wikipedia.org/wiki/Beta_distribution):
//
//	X = min + (max − min)·B,  B ~ Beta(α, β)
//	mean     = min + (max − min)·α/(α + β)
//	variance = (max − min)²·αβ/((α + β)²(α + β + 1))
//
// When Min and Max are both 0 the support is [0, 1], so Beta{Alpha: 2,
// Beta: 5} is the textbook distribution. In a [DistSpec] it is
// {"type":"beta","alpha":α,"beta":β} with optional "min" and "max".
type Beta struct {
	// Alpha and Beta must be finite and greater than 0.
	Alpha, Beta float64
	// Min and Max must be finite with Min < Max, or both 0 for [0, 1].
	Min, Max float64
}

var _ Distribution = Beta{}

func (b Beta) bounds() (lo, hi float64) {
	if b.Min == 0 && b.Max == 0 {
		return 0, 1
	}
	return b.Min, b.Max
}

func (b Beta) valid() bool {
	lo, hi := b.bounds()
	return finite(b.Alpha) && finite(b.Beta) && b.Alpha > 0 && b.Beta > 0 && finite(lo) && finite(hi) && lo < hi
}

// Quantile returns min + (max − min)·I⁻¹(p; α, β).
func (b Beta) Quantile(p float64) float64 {
	if !b.valid() {
		return math.NaN()
	}
	lo, hi := b.bounds()
	return lo + (hi-lo)*distuv.Beta{Alpha: b.Alpha, Beta: b.Beta}.Quantile(clampUnit(p))
}

// CDF returns I((x − min)/(max − min); α, β), 0 below Min and 1 above Max.
func (b Beta) CDF(x float64) float64 {
	if !b.valid() {
		return math.NaN()
	}
	lo, hi := b.bounds()
	switch {
	case x <= lo:
		return 0
	case x >= hi:
		return 1
	}
	return distuv.Beta{Alpha: b.Alpha, Beta: b.Beta}.CDF((x - lo) / (hi - lo))
}

// Mean returns min + (max − min)·α/(α + β).
func (b Beta) Mean() float64 {
	lo, hi := b.bounds()
	return lo + (hi-lo)*b.Alpha/(b.Alpha+b.Beta)
}

// Variance returns (max − min)²·αβ/((α + β)²(α + β + 1)).
func (b Beta) Variance() float64 {
	lo, hi := b.bounds()
	w, s := hi-lo, b.Alpha+b.Beta
	return w * w * b.Alpha * b.Beta / (s * s * (s + 1))
}

func (b Beta) check(p *costmodel.Problems, path string) {
	checkPositive(p, join(path, "alpha"), b.Alpha)
	checkPositive(p, join(path, "beta"), b.Beta)
	if b.Min != 0 || b.Max != 0 {
		checkRange(p, path, b.Min, 0, b.Max, false)
	}
}
