package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestBatchSE compares batch-means standard errors on 200k iid N(0, 1)
// draws in 50 batches with the asymptotic ones: σ/√n for the mean,
// √(p(1−p)/n)/φ(z_p) for the 5th percentile and the Brazauskas formula
// for CVaR(0.95). A batch-means SE from b batches has a relative sampling
// error of about 1/√(2(b−1)) = 10% at b = 50, so a correct estimate lies
// within ±40% (4 of those errors) of the truth; a mistake such as dividing
// by b instead of √b is off by a factor of 7.
func TestBatchSE(t *testing.T) {
	t.Parallel()
	const n, b = 200_000, 50
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	within := func(name string, got, want float64) {
		if r := got / want; r < 0.6 || r > 1.4 {
			t.Errorf("%s: batch-means SE %.3g, asymptotic %.3g (ratio %.2f)", name, got, want, r)
		}
	}
	se, err := MeanSE(x, b)
	if err != nil {
		t.Fatal(err)
	}
	within("mean", se, 1/math.Sqrt(n))

	const p = 0.05
	z := mathext.NormalQuantile(p)
	phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
	se, err = PercentileSE(x, p, b)
	if err != nil {
		t.Fatal(err)
	}
	within("5th percentile", se, math.Sqrt(p*(1-p)/n)/phi)

	// Tail q = 0.05 of N(0, 1): VaR = z, ES = −φ(z)/q, tail variance
	// 1 + z·φ(z)/q − (φ(z)/q)² with z < 0 here.
	es := -phi / p
	tailVar := 1 + z*phi/p - es*es
	se, err = CVaRSE(x, 1-p, b)
	if err != nil {
		t.Fatal(err)
	}
	within("CVaR", se, math.Sqrt((tailVar+(1-p)*(es-z)*(es-z))/(n*p)))

	for _, c := range []struct {
		x []float64
		b int
	}{{x, 1}, {x[:3], 2}, {nil, 10}, {[]float64{1, 2, math.NaN(), 4}, 2}} {
		if _, err := MeanSE(c.x, c.b); err == nil {
			t.Errorf("MeanSE(len %d, %d batches): no error", len(c.x), c.b)
		}
	}
}
