package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/mathext"
)

// Poisson is the Poisson distribution of a count with mean Lambda
// (https://en.wikipedia.org/wiki/Poisson_distribution):
//
//	P(X = k) = λ^k·exp(−λ)/k!,  k = 0, 1, 2, ...
//	mean = variance = λ
//
// In a [DistSpec] it is {"type":"poisson","lambda":λ}.
type Poisson struct {
	// Lambda must be finite and greater than 0. Quantile stays fast (a
	// handful of steps) for any λ a float64 count can use; it has been
	// tested up to 10⁶.
	Lambda float64
}

var _ Distribution = Poisson{}

// Quantile returns the smallest k with P(X ≤ k) ≥ p, p kept within
// [2⁻⁵³, 1−2⁻⁵³].
//
// The search starts from the Cornish–Fisher approximation
// k₀ = λ + z√λ + (z² − 1)/6, z = Φ⁻¹(p), evaluates the CDF there once with
// the regularised incomplete gamma function, P(X ≤ k) = Q(k + 1, λ), and
// then steps by one with the recurrence P(k+1) = P(k)·λ/(k+1). The start is
// usually within one or two of the answer, so the cost does not grow with λ.
func (d Poisson) Quantile(p float64) float64 {
	lam := d.Lambda
	if !(lam > 0) || math.IsInf(lam, 0) {
		return math.NaN()
	}
	p = clampOpen(p)
	z := mathext.NormalQuantile(p)
	k := math.Floor(lam + z*math.Sqrt(lam) + (z*z-1)/6)
	if k < 0 {
		k = 0
	}
	cdf := mathext.GammaIncRegComp(k+1, lam)
	pmf := func(k float64) float64 {
		lg, _ := math.Lgamma(k + 1)
		return math.Exp(k*math.Log(lam) - lam - lg)
	}
	// The loops are bounded so that rounding can never make them spin.
	limit := 100 + int(20*math.Sqrt(lam))
	if cdf < p {
		for i := 0; i < limit && cdf < p; i++ {
			k++
			cdf += pmf(k)
		}
		return k
	}
	for i := 0; i < limit && k > 0; i++ {
		below := cdf - pmf(k) // P(X ≤ k − 1)
		if below < p {
			break
		}
		cdf = below
		k--
	}
	return k
}

// CDF returns P(X ≤ x) = Q(⌊x⌋ + 1, λ) for x ≥ 0 and 0 otherwise.
func (d Poisson) CDF(x float64) float64 {
	if !(d.Lambda > 0) || math.IsInf(d.Lambda, 0) || math.IsNaN(x) {
		return math.NaN()
	}
	switch {
	case x < 0:
		return 0
	case math.IsInf(x, 1):
		return 1
	}
	return mathext.GammaIncRegComp(math.Floor(x)+1, d.Lambda)
}

// Mean returns λ.
func (d Poisson) Mean() float64 { return d.Lambda }

// Variance returns λ.
func (d Poisson) Variance() float64 { return d.Lambda }

func (d Poisson) check(p *costmodel.Problems, path string) {
	checkPositive(p, join(path, "lambda"), d.Lambda)
}
