package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// Gamma is the gamma distribution with shape k and scale θ
// (https://en.wikipedia.org/wiki/Gamma_distribution):
//
//	f(x) = x^(k−1)·exp(−x/θ) / (Γ(k)·θ^k),  x > 0
//	mean = kθ,  variance = kθ²
//
// gonum's distuv.Gamma, which this wraps, is parameterised by rate 1/θ. In a
// [DistSpec] it is {"type":"gamma","shape":k,"scale":θ}.
type Gamma struct {
	// Shape (k) must be finite and greater than 0.
	Shape float64
	// Scale (θ) must be finite and greater than 0.
	Scale float64
}

var _ Distribution = Gamma{}

func (g Gamma) valid() bool {
	return finite(g.Shape) && finite(g.Scale) && g.Shape > 0 && g.Scale > 0
}

// Quantile returns θ·P⁻¹(k, p), P the regularised lower incomplete gamma
// function, with p kept within [2⁻⁵³, 1−2⁻⁵³].
func (g Gamma) Quantile(p float64) float64 {
	if !g.valid() {
		return math.NaN()
	}
	return distuv.Gamma{Alpha: g.Shape, Beta: 1 / g.Scale}.Quantile(clampOpen(p))
}

// CDF returns P(k, x/θ) for x > 0 and 0 otherwise.
func (g Gamma) CDF(x float64) float64 {
	if !g.valid() {
		return math.NaN()
	}
	if x <= 0 {
		return 0
	}
	return distuv.Gamma{Alpha: g.Shape, Beta: 1 / g.Scale}.CDF(x)
}

// Mean returns kθ.
func (g Gamma) Mean() float64 { return g.Shape * g.Scale }

// Variance returns kθ².
func (g Gamma) Variance() float64 { return g.Shape * g.Scale * g.Scale }

func (g Gamma) check(p *costmodel.Problems, path string) {
	checkPositive(p, join(path, "shape"), g.Shape)
	checkPositive(p, join(path, "scale"), g.Scale)
}
