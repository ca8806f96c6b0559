package montecarlo

import (
	"math"
	"testing"
)

// TestTruncatedNormalMoments holds the closed form of a truncated
// normal's mean and variance to the midpoint integration of its quantile
// (which the other distributions use): both sides, one side, a bound far
// in the tail, and a narrow interval; and a truncation NewTruncated
// caches gives the same moments as the struct literal.
func TestTruncatedNormalMoments(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct{ mu, sigma, lo, hi float64 }{
		{1, 0.1, 0.5, inf}, {0, 1, -1, 2}, {0, 1, -inf, -1.5}, {10, 3, 14, 30}, {0, 1, 0.1, 0.3}, {5, 2, -inf, 5},
	} {
		n := Normal{Mu: c.mu, Sigma: c.sigma}
		m, v, ok := truncatedNormalMoments(n, c.lo, c.hi)
		if !ok {
			t.Fatalf("%+v: no closed form", c)
		}
		// The integration, as moments does for any other distribution.
		lit := Truncated{Dist: n, Lo: c.lo, Hi: c.hi}
		const N = 1 << 16
		im, iv := 0.0, 0.0
		q := make([]float64, N)
		for i := range q {
			q[i] = lit.Quantile((float64(i) + 0.5) / N)
			im += q[i]
		}
		im /= N
		for _, x := range q {
			iv += (x - im) * (x - im)
		}
		iv /= N
		if math.Abs(m-im) > 1e-4*c.sigma || math.Abs(v-iv) > 2e-3*iv {
			t.Errorf("%+v: closed form mean %v variance %v, integrated %v %v", c, m, v, im, iv)
		}
		if c.lo == -inf && c.hi == c.mu { // half-normal: mean μ − σ√(2/π), variance σ²(1 − 2/π)
			if math.Abs(m-(c.mu-c.sigma*math.Sqrt(2/math.Pi))) > 1e-12 || math.Abs(v-c.sigma*c.sigma*(1-2/math.Pi)) > 1e-12 {
				t.Errorf("half-normal: mean %v variance %v", m, v)
			}
		}
		nt := NewTruncated(n, c.lo, c.hi)
		if nt.Mean() != lit.Mean() || nt.Variance() != lit.Variance() {
			t.Errorf("%+v: NewTruncated %v %v, literal %v %v", c, nt.Mean(), nt.Variance(), lit.Mean(), lit.Variance())
		}
	}
	// A truncated non-normal is integrated, and cached the same.
	g := Truncated{Dist: Gamma{Shape: 2, Scale: 1}, Lo: 0.5, Hi: 4}
	if ng := NewTruncated(g.Dist, g.Lo, g.Hi); ng.Mean() != g.Mean() || ng.Variance() != g.Variance() {
		t.Errorf("gamma: NewTruncated %v %v, literal %v %v", ng.Mean(), ng.Variance(), g.Mean(), g.Variance())
	}
}
