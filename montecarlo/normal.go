package montecarlo

import (
	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// Normal is the normal (Gaussian) distribution with mean Mu and standard
// deviation Sigma (https://en.wikipedia.org/wiki/Normal_distribution):
//
//	f(x) = 1/(σ√(2π)) · exp(−(x−μ)²/(2σ²))
//
// In a [DistSpec] it is {"type":"normal","mean":μ,"sd":σ}.
type Normal struct {
	// Mu is the mean; it must be finite.
	Mu float64
	// Sigma is the standard deviation; it must be finite and greater than 0.
	Sigma float64
}

var _ Distribution = Normal{}

func (n Normal) dist() distuv.Normal { return distuv.Normal{Mu: n.Mu, Sigma: n.Sigma} }

// Quantile returns μ + σ·Φ⁻¹(p), with p kept within [2⁻⁵³, 1−2⁻⁵³].
func (n Normal) Quantile(p float64) float64 { return n.dist().Quantile(clampOpen(p)) }

// CDF returns Φ((x−μ)/σ).
func (n Normal) CDF(x float64) float64 { return n.dist().CDF(x) }

// Mean returns μ.
func (n Normal) Mean() float64 { return n.Mu }

// Variance returns σ².
func (n Normal) Variance() float64 { return n.Sigma * n.Sigma }

func (n Normal) check(p *costmodel.Problems, path string) {
	checkFinite(p, join(path, "mean"), n.Mu)
	checkPositive(p, join(path, "sd"), n.Sigma)
}
