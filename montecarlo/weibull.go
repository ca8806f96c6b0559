package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// Weibull is the Weibull distribution with shape k and scale λ
// (https://en.wikipedia.org/wiki/Weibull_distribution):
//
//	F(x)     = 1 − exp(−(x/λ)^k),  x ≥ 0
//	mean     = λ·Γ(1 + 1/k)
//	variance = λ²·(Γ(1 + 2/k) − Γ(1 + 1/k)²)
//
// In a [DistSpec] it is {"type":"weibull","shape":k,"scale":λ}.
type Weibull struct {
	// Shape (k) must be finite and greater than 0; below about 0.01 the
	// variance overflows float64 and Validate refuses it.
	Shape float64
	// Scale (λ) must be finite and greater than 0.
	Scale float64
}

var _ Distribution = Weibull{}

func (w Weibull) dist() distuv.Weibull { return distuv.Weibull{K: w.Shape, Lambda: w.Scale} }

// Quantile returns λ·(−ln(1 − p))^(1/k), with p kept within [2⁻⁵³, 1−2⁻⁵³].
func (w Weibull) Quantile(p float64) float64 { return w.dist().Quantile(clampOpen(p)) }

// CDF returns 1 − exp(−(x/λ)^k) for x > 0 and 0 otherwise.
func (w Weibull) CDF(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return -math.Expm1(-math.Pow(x/w.Scale, w.Shape))
}

// Mean returns λ·Γ(1 + 1/k).
func (w Weibull) Mean() float64 { return w.Scale * math.Gamma(1+1/w.Shape) }

// Variance returns λ²·(Γ(1 + 2/k) − Γ(1 + 1/k)²).
func (w Weibull) Variance() float64 {
	g1 := math.Gamma(1 + 1/w.Shape)
	return w.Scale * w.Scale * (math.Gamma(1+2/w.Shape) - g1*g1)
}

func (w Weibull) check(p *costmodel.Problems, path string) {
	okShape := checkPositive(p, join(path, "shape"), w.Shape)
	okScale := checkPositive(p, join(path, "scale"), w.Scale)
	if okShape && okScale && !finite(w.Variance()) {
		p.Add(join(path, "shape"), formatG(w.Shape), "a shape large enough for a finite variance (about 0.01 or more)")
	}
}
