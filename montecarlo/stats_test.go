package montecarlo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestPercentileExcel checks values computed by hand with Excel's
// PERCENTILE.INC definition, h = (n−1)p.
func TestPercentileExcel(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		x    []float64
		p    float64
		want float64
	}{
		{[]float64{1, 2, 3, 4}, 0.1, 1.3},                    // h = 0.3
		{[]float64{15, 20, 35, 40, 50}, 0.4, 29},             // h = 1.6: 20 + 0.6·15
		{[]float64{15, 20, 35, 40, 50}, 0, 15},               // minimum
		{[]float64{15, 20, 35, 40, 50}, 1, 50},               // maximum
		{[]float64{15, 20, 35, 40, 50}, 0.5, 35},             // median, h = 2
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},                    // h = 1.5
		{[]float64{1, 2, 3, 4}, 0.95, 3.85},                  // h = 2.85
		{[]float64{-5, -1, 0, 2, 10}, 0.05, -4.2},            // h = 0.2: −5 + 0.2·4
		{[]float64{7}, 0.3, 7},                               // single value
		{[]float64{1, 2, 3, 4}, -0.5, 1},                     // clamped to 0
		{[]float64{1, 2, 3, 4}, 1.5, 4},                      // clamped to 1
		{[]float64{1, 2, 3, 4}, math.NaN(), 2.5},             // NaN treated as 0.5
		{nil, 0.5, 0},                                        // empty
		{[]float64{3, 3, 3, 3, 3, 3}, 0.77, 3},               // constant
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1}, // h = 8.1
	} {
		if got := Percentile(c.x, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Percentile(%v, %g) = %.15g, want %g", c.x, c.p, got, c.want)
		}
	}
}

// normalSample returns n sorted draws of N(μ, σ²) by inversion.
func normalSample(n int, mu, sigma float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, seed))
	d := Normal{Mu: mu, Sigma: sigma}
	x := make([]float64, n)
	for i := range x {
		x[i] = d.Quantile(rng.Float64())
	}
	slices.Sort(x)
	return x
}

// TestVaRCVaRNormal compares VaR and CVaR of 200k normal draws with the
// closed forms μ − σz and μ − σφ(z)/(1−α), z = Φ⁻¹(α). Tolerances are 5
// asymptotic standard errors: for the (1−α) quantile
// √(α(1−α)/n)·σ/φ(z), and for expected shortfall at tail probability
// q = 1−α, √((Var(X | X ≤ VaR) + α·(CVaR − VaR)²)/(n·q)) (Brazauskas et
// al., J. Stat. Plan. Inference 138, 2008), the tail variance taken from the
// closed form of the truncated normal.
func TestVaRCVaRNormal(t *testing.T) {
	t.Parallel()
	const n, mu, sigma = 200_000, 1000.0, 250.0
	x := normalSample(n, mu, sigma, 1)
	for _, alpha := range []float64{0.9, 0.95, 0.99} {
		z := mathext.NormalQuantile(alpha)
		phi := math.Exp(-z*z/2) / math.Sqrt(2*math.Pi)
		q := 1 - alpha
		wantVaR := mu - sigma*z
		wantCVaR := mu - sigma*phi/q
		// Var of a standard normal truncated above at −z:
		// 1 − z·φ(z)/q − (φ(z)/q)².
		tailVar := sigma * sigma * (1 - z*phi/q - (phi/q)*(phi/q))
		seVaR := math.Sqrt(alpha*q/n) * sigma / phi
		seCVaR := math.Sqrt((tailVar + alpha*(wantCVaR-wantVaR)*(wantCVaR-wantVaR)) / (n * q))
		if got := VaR(x, alpha); math.Abs(got-wantVaR) > 5*seVaR {
			t.Errorf("VaR(%g) = %g, want %g ± %g", alpha, got, wantVaR, 5*seVaR)
		}
		if got := CVaR(x, alpha); math.Abs(got-wantCVaR) > 5*seCVaR {
			t.Errorf("CVaR(%g) = %g, want %g ± %g", alpha, got, wantCVaR, 5*seCVaR)
		}
		if CVaR(x, alpha) > VaR(x, alpha) {
			t.Errorf("CVaR above VaR at %g", alpha)
		}
	}
}

func TestVaRCVaRSmall(t *testing.T) {
	t.Parallel()
	x := []float64{-100, -50, 0, 10, 20, 30, 40, 50, 60, 70, 80} // n = 11
	// VaR(0.9) = Percentile(0.1): h = 1, so −50; CVaR = mean(−100, −50).
	if got := VaR(x, 0.9); got != -50 {
		t.Errorf("VaR = %g, want −50", got)
	}
	if got := CVaR(x, 0.9); got != -75 {
		t.Errorf("CVaR = %g, want −75", got)
	}
	if got := CVaR(nil, 0.9); got != 0 {
		t.Errorf("CVaR(empty) = %g", got)
	}
	if got := CVaR(x, 1); got != -100 {
		t.Errorf("CVaR(α=1) = %g, want the minimum", got)
	}
	if got := CVaR(x, 0); math.Abs(got-210.0/11) > 1e-12 {
		t.Errorf("CVaR(α=0) = %g, want the mean 210/11", got)
	}
}

func TestProbBelow(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 2, 3, 5}
	for _, c := range []struct{ target, want float64 }{
		{0, 0}, {1, 0}, {2, 0.2}, {2.5, 0.6}, {5, 0.8}, {6, 1}, {math.NaN(), 0},
	} {
		if got := ProbBelow(x, c.target); got != c.want {
			t.Errorf("ProbBelow(%g) = %g, want %g", c.target, got, c.want)
		}
	}
	if ProbBelow(nil, 1) != 0 {
		t.Error("empty")
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	s, err := Summarize([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if err != nil {
		t.Fatal(err)
	}
	// Mean 5; Σ(x−5)² = 32, so SD = √(32/7).
	want := Summary{N: 8, Mean: 5, SD: math.Sqrt(32.0 / 7), Min: 2, Max: 9}
	want.SE = want.SD / math.Sqrt(8)
	if math.Abs(s.Mean-want.Mean) > 1e-12 || math.Abs(s.SD-want.SD) > 1e-12 || math.Abs(s.SE-want.SE) > 1e-12 ||
		s.N != want.N || s.Min != want.Min || s.Max != want.Max {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if s, err := Summarize([]float64{3}); err != nil || s.SD != 0 || s.Mean != 3 {
		t.Errorf("single sample: %+v, %v", s, err)
	}
	for _, bad := range [][]float64{nil, {1, math.NaN()}, {math.Inf(1)}} {
		if _, err := Summarize(bad); err == nil {
			t.Errorf("Summarize(%v): no error", bad)
		}
	}
	if StandardError([]float64{1}) != 0 || math.Abs(StandardError([]float64{2, 4, 4, 4, 5, 5, 7, 9})-want.SE) > 1e-12 {
		t.Error("StandardError")
	}
}

func TestHistogram(t *testing.T) {
	t.Parallel()
	h, err := NewHistogram([]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Edges, []float64{0, 2, 4, 6, 8, 10}) {
		t.Errorf("edges %v", h.Edges)
	}
	// [0,2) [2,4) [4,6) [6,8) [8,10]: the maximum joins the last bin.
	if !slices.Equal(h.Counts, []int{2, 2, 2, 2, 3}) {
		t.Errorf("counts %v", h.Counts)
	}

	h, err = NewHistogram([]float64{7, 7, 7}, 4)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range h.Counts {
		total += c
	}
	if total != 3 || h.Edges[0] != 6.5 || h.Edges[4] != 7.5 {
		t.Errorf("all-equal: %+v", h)
	}
	for _, e := range h.Edges {
		if !finite(e) {
			t.Errorf("non-finite edge %g", e)
		}
	}

	// Many random values: every sample counted, each in the bin its edges say.
	x := normalSample(10_000, 0, 1, 3)
	h, err = NewHistogram(x, 37)
	if err != nil {
		t.Fatal(err)
	}
	total = 0
	for _, c := range h.Counts {
		total += c
	}
	if total != len(x) {
		t.Errorf("counted %d of %d", total, len(x))
	}
	for i := range h.Counts {
		lo, hi := h.Edges[i], h.Edges[i+1]
		want := 0
		for _, v := range x {
			if v >= lo && (v < hi || (i == len(h.Counts)-1 && v <= hi)) {
				want++
			}
		}
		if h.Counts[i] != want {
			t.Errorf("bin %d [%g, %g): %d, want %d", i, lo, hi, h.Counts[i], want)
		}
	}

	if _, err := NewHistogram(nil, 0); err == nil {
		t.Error("no error for empty samples and 0 bins")
	} else if paths := problemPaths(t, err); !has(paths, "samples") || !has(paths, "bins") {
		t.Errorf("paths %v", paths)
	}
}

func TestSCurve(t *testing.T) {
	t.Parallel()
	x, p := SCurve([]float64{10, 20, 30, 40, 50}, 5)
	if !slices.Equal(p, []float64{0, 0.25, 0.5, 0.75, 1}) || !slices.Equal(x, []float64{10, 20, 30, 40, 50}) {
		t.Errorf("got %v %v", x, p)
	}
	if x, _ := SCurve([]float64{1, 2}, 0); len(x) != 101 {
		t.Errorf("default points: %d", len(x))
	}
	if x, p := SCurve(nil, 10); x != nil || p != nil {
		t.Error("empty")
	}
}
