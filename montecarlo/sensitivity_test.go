package montecarlo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRanksTies(t *testing.T) {
	t.Parallel()
	got := Ranks(nil, []float64{10, 20, 20, 30, 20, 5})
	want := []float64{2, 4, 4, 6, 4, 1}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestSpearmanHand checks a small case with ties worked by hand:
//
//	x = 1 2 2 3 4   ranks 1 2.5 2.5 4 5
//	y = 2 1 4 3 3   ranks 2 1 5 3.5 3.5
//
// Rank means are 3; deviations dx = −2 −0.5 −0.5 1 2 and
// dy = −1 −2 2 0.5 0.5; Σdx·dy = 2+1−1+0.5+1 = 3.5, Σdx² = 9.5,
// Σdy² = 9.5, so ρ_s = 3.5/9.5 = 7/19.
func TestSpearmanHand(t *testing.T) {
	t.Parallel()
	got, err := Spearman([]float64{1, 2, 2, 3, 4}, []float64{2, 1, 4, 3, 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := 7.0 / 19; math.Abs(got-want) > 1e-15 {
		t.Errorf("ρ_s = %.17g, want %.17g", got, want)
	}
}

func TestSpearmanMonotone(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1000)
	up, down := make([]float64, len(x)), make([]float64, len(x))
	for i := range x {
		x[i] = rng.NormFloat64()
		up[i] = math.Exp(3 * x[i])
		down[i] = -x[i] * x[i] * x[i]
	}
	if r, _ := Spearman(x, up); r != 1 {
		t.Errorf("increasing transform: ρ_s = %.17g, want 1", r)
	}
	if r, _ := Spearman(x, down); r != -1 {
		t.Errorf("decreasing transform: ρ_s = %.17g, want −1", r)
	}
	if r, _ := Spearman(x, make([]float64, len(x))); r != 0 {
		t.Errorf("constant: ρ_s = %g, want 0", r)
	}
	if _, err := Spearman(x, x[:3]); err == nil {
		t.Error("no error for lengths 1000 and 3")
	}
	if _, err := Spearman(nil, nil); err == nil {
		t.Error("no error for no pairs")
	}
}

// TestSensitivity builds output = 3·a − b + 0·c with independent inputs:
// a must dominate, b push the other way, c matter not at all; the worst
// trials must have low a and high b.
func TestSensitivity(t *testing.T) {
	t.Parallel()
	const n = 20_000
	rng := rand.New(rand.NewPCG(1, 1))
	in := [][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	out := make([]float64, n)
	for i := range out {
		for j := range in {
			in[j][i] = rng.NormFloat64()
		}
		out[i] = 3*in[0][i] - in[1][i]
	}
	s, err := Sensitivity(in, out, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	for _, v := range s {
		sum += v.ContributionToVariance
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("contributions sum to %g", sum)
	}
	// Pearson correlations are 3/√10 and −1/√10; Spearman's for normal
	// variables is (6/π)·asin(r/2): about 0.939 and −0.303. Tolerance
	// 5/√n.
	tol := 5 / math.Sqrt(n)
	for j, r := range []float64{3 / math.Sqrt(10), -1 / math.Sqrt(10), 0} {
		want := 6 / math.Pi * math.Asin(r/2)
		if math.Abs(s[j].RankCorrelation-want) > tol {
			t.Errorf("input %d: ρ_s = %.4f, want %.4f", j, s[j].RankCorrelation, want)
		}
	}
	if !(s[0].ContributionToVariance > 0.85 && s[2].ContributionToVariance < 0.01) {
		t.Errorf("contributions %+v", s)
	}
	if !(s[0].TailMean < s[0].Mean-1 && s[1].TailMean > s[1].Mean+0.2 && math.Abs(s[2].TailMean-s[2].Mean) < 0.2) {
		t.Errorf("tail means %+v", s)
	}

	if _, err := Sensitivity([][]float64{{1, 2}}, []float64{1, 2, 3}, 0); err == nil {
		t.Error("no error")
	} else if p := problemPaths(t, err); !has(p, "inputs[0]") || !has(p, "q") {
		t.Errorf("paths %v", p)
	}
}
