package montecarlo

import (
	"math"
	"math/rand/v2"
)

// Sampler produces the uniforms of one input for one block of trials; each
// is mapped to a draw through [Distribution.Quantile].
//
// Uniforms returns n uniforms in [0, 1), written to dst when cap(dst) ≥ n
// (dst is resliced to n) and to a new slice otherwise, so a nil dst
// allocates. n ≤ 0 returns dst[:0]. All randomness comes from rng; a nil
// rng has nothing to draw from and returns dst[:0] too (never invented
// draws).
type Sampler interface {
	Uniforms(dst []float64, n int, rng *rand.Rand) []float64
}

var (
	_ Sampler = MonteCarlo{}
	_ Sampler = LatinHypercube{}
)

// below1 is the largest float64 less than 1: uniforms are kept in [0, 1).
var below1 = math.Nextafter(1, 0)

// resize returns dst resliced to n, or a new slice when dst is too small.
func resize(dst []float64, n int) []float64 {
	if n <= 0 {
		return dst[:0]
	}
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}

// MonteCarlo is plain Monte Carlo sampling: independent uniforms. The
// standard error of a mean falls as σ/√n.
type MonteCarlo struct{}

// Uniforms returns n independent uniforms in [0, 1).
func (MonteCarlo) Uniforms(dst []float64, n int, rng *rand.Rand) []float64 {
	if rng == nil {
		n = 0
	}
	dst = resize(dst, n)
	for i := range dst {
		dst[i] = rng.Float64()
	}
	return dst
}

// LatinHypercube is Latin Hypercube sampling (McKay, Beckman and Conover,
// Technometrics 21, 1979): [0, 1) is cut into n equal strata and each
// stratum receives exactly one uniform, placed at random inside it, in a
// random order:
//
//	u_i = (π(i) + U_i)/n,  π a random permutation of 0..n−1, U_i ~ U[0, 1)
//
// Each input gets its own permutation (from its own stream), so inputs stay
// independent while every marginal is spread evenly. For a model that is
// close to additive in its inputs, the variance of the mean falls much
// faster than with [MonteCarlo]. Standard errors computed as if the draws
// were independent overstate the error; compare independent blocks instead
// (see [BatchSE]).
type LatinHypercube struct{}

// Uniforms returns n stratified uniforms in [0, 1), one in each
// [k/n, (k+1)/n), in random order.
func (LatinHypercube) Uniforms(dst []float64, n int, rng *rand.Rand) []float64 {
	if rng == nil {
		n = 0
	}
	dst = resize(dst, n)
	inv := 1 / float64(n)
	for i := range dst {
		dst[i] = math.Min((float64(i)+rng.Float64())*inv, below1)
	}
	rng.Shuffle(len(dst), func(i, j int) { dst[i], dst[j] = dst[j], dst[i] })
	return dst
}
