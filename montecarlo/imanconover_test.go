package montecarlo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// icTarget is a positive definite 4×4 rank-correlation matrix with mixed
// signs (eigenvalues all above 0.2).
var icTarget = [][]float64{
	{1, 0.7, -0.4, 0.2},
	{0.7, 1, -0.3, 0},
	{-0.4, -0.3, 1, 0.5},
	{0.2, 0, 0.5, 1},
}

func icSamples(n int) [][]float64 {
	marginals := []Distribution{
		Normal{Mu: 100, Sigma: 10},
		LogNormal{Mu: 0, Sigma: 1},
		Triangular{Min: 0, Mode: 1, Max: 10},
		Gamma{Shape: 2, Scale: 3},
	}
	cols := make([][]float64, len(marginals))
	for j, d := range marginals {
		u := LatinHypercube{}.Uniforms(nil, n, Stream(1, fmt.Sprint("in", j), 0))
		cols[j] = make([]float64, n)
		for i := range u {
			cols[j][i] = d.Quantile(u[i])
		}
	}
	return cols
}

// TestImanConover checks that the achieved Spearman correlations are within
// 3/√n of the target (the sampling error of a rank correlation is about
// 1/√n), that each input keeps exactly its values, and that the same rng
// seed reproduces the same order.
func TestImanConover(t *testing.T) {
	t.Parallel()
	const n = 10_000
	cols := icSamples(n)
	before := make([][]float64, len(cols))
	for j := range cols {
		before[j] = slices.Sorted(slices.Values(cols[j]))
	}
	if err := ImanConover(cols, icTarget, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	tol := 3 / math.Sqrt(n)
	for i := range icTarget {
		for j := i + 1; j < len(icTarget); j++ {
			got, err := Spearman(cols[i], cols[j])
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-icTarget[i][j]) > tol {
				t.Errorf("ρ_s[%d][%d] = %.4f, want %.2f ± %.3f", i, j, got, icTarget[i][j], tol)
			}
		}
	}
	for j := range cols {
		if !slices.Equal(slices.Sorted(slices.Values(cols[j])), before[j]) {
			t.Errorf("column %d: values changed", j)
		}
	}

	again := icSamples(n)
	if err := ImanConover(again, icTarget, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	for j := range cols {
		if !slices.Equal(cols[j], again[j]) {
			t.Fatalf("column %d: same seed, different order", j)
		}
	}
}

func TestImanConoverErrors(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	ok := [][]float64{{1, 2, 3}, {3, 2, 1}}
	for _, c := range []struct {
		name    string
		samples [][]float64
		target  [][]float64
		want    []string
	}{
		{"size mismatch", ok, icTarget, []string{"target"}},
		{"ragged", [][]float64{{1, 2, 3}, {1, 2}}, [][]float64{{1, 0}, {0, 1}}, []string{"samples[1]"}},
		{"NaN", [][]float64{{1, math.NaN(), 3}, {1, 2, 3}}, [][]float64{{1, 0}, {0, 1}}, []string{"samples[0]"}},
		{"not positive definite", [][]float64{{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}},
			[][]float64{{1, 1, 0}, {1, 1, 1}, {0, 1, 1}}, []string{"target"}},
		{"bad target", ok, [][]float64{{1, 2}, {2, 1}}, []string{"target[0][1]"}},
		{"too few samples", [][]float64{{1}, {1}}, [][]float64{{1, 0}, {0, 1}}, []string{"samples"}},
		{"nothing", nil, nil, []string{"samples", "target"}},
	} {
		before := make([][]float64, len(c.samples))
		for j := range c.samples {
			before[j] = slices.Clone(c.samples[j])
		}
		err := ImanConover(c.samples, c.target, rng)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		paths := problemPaths(t, err)
		for _, w := range c.want {
			if !has(paths, w) {
				t.Errorf("%s: missing %q in %v", c.name, w, err)
			}
		}
		for j := range c.samples {
			if !slices.EqualFunc(before[j], c.samples[j], func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }) {
				t.Errorf("%s: samples modified on error", c.name)
			}
		}
	}
}
