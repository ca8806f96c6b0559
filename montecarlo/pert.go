package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// PERT is the (modified) PERT distribution: a beta distribution scaled to
// [Min, Max] whose mean weights the most likely value Mode by Lambda
// (https://en.wikipedia.org/wiki/PERT_distribution; Vose, Risk Analysis,
// 3rd ed., §9.1.4 for the modified form):
//
//	α = 1 + λ·(mode − min)/(max − min)
//	β = 1 + λ·(max − mode)/(max − min)
//	mean     = (min + λ·mode + max)/(λ + 2)
//	variance = (mean − min)·(max − mean)/(λ + 3)
//
// Lambda 0 means 4, the classic PERT with mean (min + 4·mode + max)/6.
// In a [DistSpec] it is {"type":"pert","min":a,"mode":c,"max":b} with an
// optional "lambda".
type PERT struct {
	// Min, Mode and Max must be finite with Min ≤ Mode ≤ Max and Min < Max.
	Min, Mode, Max float64
	// Lambda weights the mode; it must be finite and ≥ 0, and 0 means 4.
	Lambda float64
}

var _ Distribution = PERT{}

func (d PERT) lambda() float64 {
	if d.Lambda == 0 {
		return 4
	}
	return d.Lambda
}

func (d PERT) valid() bool {
	return finite(d.Min) && finite(d.Mode) && finite(d.Max) && finite(d.Lambda) &&
		d.Lambda >= 0 && d.Lambda <= maxPERTLambda && d.Min <= d.Mode && d.Mode <= d.Max && d.Min < d.Max
}

func (d PERT) beta() distuv.Beta {
	l, w := d.lambda(), d.Max-d.Min
	return distuv.Beta{Alpha: 1 + l*(d.Mode-d.Min)/w, Beta: 1 + l*(d.Max-d.Mode)/w}
}

// Quantile returns min + (max − min)·I⁻¹(p; α, β); Quantile(0) = Min and
// Quantile(1) = Max.
func (d PERT) Quantile(p float64) float64 {
	if !d.valid() {
		return math.NaN()
	}
	return d.Min + (d.Max-d.Min)*d.beta().Quantile(clampUnit(p))
}

// CDF returns I((x − min)/(max − min); α, β), 0 below Min and 1 above Max.
func (d PERT) CDF(x float64) float64 {
	if !d.valid() {
		return math.NaN()
	}
	switch {
	case x <= d.Min:
		return 0
	case x >= d.Max:
		return 1
	}
	return d.beta().CDF((x - d.Min) / (d.Max - d.Min))
}

// Mean returns (min + λ·mode + max)/(λ + 2).
func (d PERT) Mean() float64 {
	l := d.lambda()
	return (d.Min + l*d.Mode + d.Max) / (l + 2)
}

// Variance returns (mean − min)·(max − mean)/(λ + 3).
func (d PERT) Variance() float64 {
	m := d.Mean()
	return (m - d.Min) * (d.Max - m) / (d.lambda() + 3)
}

// maxPERTLambda bounds Lambda.
const maxPERTLambda = 1e6

func (d PERT) check(p *costmodel.Problems, path string) {
	checkRange(p, path, d.Min, d.Mode, d.Max, true)
	if checkFinite(p, join(path, "lambda"), d.Lambda) && (d.Lambda < 0 || d.Lambda > maxPERTLambda) {
		// Beyond 1e6 the shape parameters lose the precision the beta
		// quantile needs (the distribution is a spike at the mode anyway).
		p.Add(join(path, "lambda"), formatG(d.Lambda), "a lambda from 0 to 1e6 (0 means the classic 4)")
	}
}
