package montecarlo

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestLatinHypercubeOnePerStratum(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 7, 1000, 100_003} {
		u := LatinHypercube{}.Uniforms(nil, n, rng)
		if len(u) != n {
			t.Fatalf("n=%d: got %d uniforms", n, len(u))
		}
		seen := make([]bool, n)
		for _, v := range u {
			if !(v >= 0 && v < 1) {
				t.Fatalf("n=%d: uniform %g outside [0, 1)", n, v)
			}
			k := int(v * float64(n))
			if seen[k] {
				t.Fatalf("n=%d: stratum %d hit twice", n, k)
			}
			seen[k] = true
		}
	}
	// The order is random: the first draws are not the first strata.
	u := LatinHypercube{}.Uniforms(nil, 1000, rng)
	inOrder := 0
	for i, v := range u {
		if int(v*1000) == i {
			inOrder++
		}
	}
	if inOrder > 20 {
		t.Errorf("%d of 1000 uniforms in their own stratum's position: not permuted", inOrder)
	}
}

func TestSamplerDst(t *testing.T) {
	t.Parallel()
	for _, s := range []Sampler{MonteCarlo{}, LatinHypercube{}} {
		rng := rand.New(rand.NewPCG(1, 1))
		buf := make([]float64, 10, 64)
		got := s.Uniforms(buf, 50, rng)
		if len(got) != 50 || &got[0] != &buf[0] {
			t.Errorf("%T: did not reuse dst with enough capacity", s)
		}
		if got := s.Uniforms(buf, 0, rng); len(got) != 0 {
			t.Errorf("%T: n=0 gave %d", s, len(got))
		}
		if got := s.Uniforms(nil, -3, rng); len(got) != 0 {
			t.Errorf("%T: n=-3 gave %d", s, len(got))
		}
	}
}

// TestLatinHypercubeReducesVariance estimates a smooth model, the sum of
// three input quantiles, 200 times with each sampler. For an additive
// model LHS removes the main-effect variance, so the spread of its
// estimates across replications must be far below plain Monte Carlo's; we
// require less than half, a bar a correct LHS clears by an order of
// magnitude.
func TestLatinHypercubeReducesVariance(t *testing.T) {
	t.Parallel()
	inputs := []Distribution{Normal{Mu: 100, Sigma: 15}, Triangular{Min: 0, Mode: 10, Max: 40}, LogNormal{Mu: 2, Sigma: 0.3}}
	const reps, n = 200, 500
	spread := func(s Sampler) float64 {
		est := make([]float64, reps)
		u := make([][]float64, len(inputs))
		for r := range est {
			for j := range inputs {
				u[j] = s.Uniforms(u[j], n, Stream(7, fmt.Sprintf("input-%d", j), r))
			}
			var sum float64
			for i := 0; i < n; i++ {
				for j, d := range inputs {
					sum += d.Quantile(u[j][i])
				}
			}
			est[r] = sum / n
		}
		sm, _ := Summarize(est)
		return sm.SD
	}
	mc, lhs := spread(MonteCarlo{}), spread(LatinHypercube{})
	t.Logf("SD of the mean over %d replications: MC %.4f, LHS %.4f", reps, mc, lhs)
	if !(lhs < mc/2) {
		t.Errorf("LHS spread %g not clearly below MC %g", lhs, mc)
	}
}
