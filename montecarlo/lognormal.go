package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogNormal is the distribution of exp(Y) where Y is normal with mean Mu and
// standard deviation Sigma (https://en.wikipedia.org/wiki/Log-normal_distribution).
// Its mean and variance are
//
//	m = exp(μ + σ²/2)
//	v = (exp(σ²) − 1)·exp(2μ + σ²)
//
// Finance users usually know the mean and standard deviation of the
// variable itself; [LogNormalFromMeanSD] converts. In a [DistSpec] it is
// {"type":"lognormal","mean":m,"sd":s} or {"type":"lognormal","mu":μ,"sigma":σ}.
type LogNormal struct {
	// Mu is the mean of the logarithm; it must be finite.
	Mu float64
	// Sigma is the standard deviation of the logarithm; it must be finite
	// and greater than 0.
	Sigma float64
}

var _ Distribution = LogNormal{}

// LogNormalFromMeanSD returns the lognormal distribution whose mean is mean
// and whose standard deviation is sd:
//
//	σ² = ln(1 + sd²/mean²),  μ = ln(mean) − σ²/2
//
// mean and sd must be finite and greater than 0, and the distribution
// they give must be representable: sd² and (sd/mean)² finite, σ not so
// small that it rounds to 0, and a finite variance. Every error names the
// fields "mean" and "sd", never μ and σ, which the user did not write.
func LogNormalFromMeanSD(mean, sd float64) (LogNormal, error) {
	var p costmodel.Problems
	checkPositive(&p, "mean", mean)
	checkPositive(&p, "sd", sd)
	if err := p.Err(); err != nil {
		return LogNormal{}, err
	}
	r := sd / mean
	switch {
	case !finite(sd * sd):
		p.Add("sd", formatG(sd), "an sd whose square, the variance, is a finite number (at most about 1.3e+154)")
	case !finite(r * r):
		p.Add("sd", formatG(sd), "an sd at most about 1e+154 times the mean ("+formatG(mean)+")")
	}
	if err := p.Err(); err != nil {
		return LogNormal{}, err
	}
	s2 := math.Log1p(r * r)
	l := LogNormal{Mu: math.Log(mean) - s2/2, Sigma: math.Sqrt(s2)}
	switch {
	case !(l.Sigma > 0):
		p.Add("sd", formatG(sd), "an sd large enough relative to the mean ("+formatG(mean)+") for a lognormal to spread at all; for a nearly fixed value use a normal")
	case !finite(l.Mean()) || !finite(l.Variance()):
		p.Add("mean", formatG(mean), "a mean and sd whose lognormal has a finite variance (a mean at most about 1.3e+154)")
	}
	if err := p.Err(); err != nil {
		return LogNormal{}, err
	}
	return l, nil
}

func (l LogNormal) dist() distuv.LogNormal { return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma} }

// Quantile returns exp(μ + σ·Φ⁻¹(p)), with p kept within [2⁻⁵³, 1−2⁻⁵³].
func (l LogNormal) Quantile(p float64) float64 { return l.dist().Quantile(clampOpen(p)) }

// CDF returns Φ((ln x − μ)/σ) for x > 0 and 0 otherwise.
func (l LogNormal) CDF(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return l.dist().CDF(x)
}

// Mean returns exp(μ + σ²/2).
func (l LogNormal) Mean() float64 { return math.Exp(l.Mu + l.Sigma*l.Sigma/2) }

// Variance returns (exp(σ²) − 1)·exp(2μ + σ²).
func (l LogNormal) Variance() float64 {
	s2 := l.Sigma * l.Sigma
	return math.Expm1(s2) * math.Exp(2*l.Mu+s2)
}

func (l LogNormal) check(p *costmodel.Problems, path string) {
	checkFinite(p, join(path, "mu"), l.Mu)
	checkPositive(p, join(path, "sigma"), l.Sigma)
	if finite(l.Mu) && finite(l.Sigma) && l.Sigma > 0 && !finite(l.Variance()) {
		p.Add(join(path, "sigma"), formatG(l.Sigma), "a sigma small enough for a finite variance")
	}
}
