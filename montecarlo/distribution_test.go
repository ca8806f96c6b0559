package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// momentSamples is the sample size of the moment tests. With 200k draws,
// 5 standard errors is about 1% of σ for the mean, so a wrong formula
// (or a wrong parameter order) is caught while a correct one fails with
// probability below 10⁻⁶ per check.
const (
	momentSamples = 200_000
	momentSEs     = 5
)

func mustDist(t *testing.T, s DistSpec) Distribution {
	t.Helper()
	d, err := s.Build("x")
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return d
}

func f(x float64) *float64 { return &x }

// distCases are valid distributions with their closed-form (or, for
// Truncated, numerically integrated) moments under test.
var distCases = []struct {
	name     string
	d        Distribution
	discrete bool
}{
	{name: "normal", d: Normal{Mu: 10, Sigma: 3}},
	{name: "lognormal", d: LogNormal{Mu: 1, Sigma: 0.5}},
	{name: "triangular", d: Triangular{Min: 2, Mode: 3, Max: 10}},
	{name: "triangular mode at min", d: Triangular{Min: 2, Mode: 2, Max: 10}},
	{name: "pert", d: PERT{Min: 100, Mode: 120, Max: 200}},
	{name: "modified pert", d: PERT{Min: 100, Mode: 120, Max: 200, Lambda: 2}},
	{name: "uniform", d: Uniform{Min: -5, Max: 7}},
	{name: "beta unit", d: Beta{Alpha: 2, Beta: 5}},
	{name: "beta scaled", d: Beta{Alpha: 0.7, Beta: 1.5, Min: 10, Max: 20}},
	{name: "gamma", d: Gamma{Shape: 2.5, Scale: 4}},
	{name: "gamma small shape", d: Gamma{Shape: 0.5, Scale: 1}},
	{name: "weibull", d: Weibull{Shape: 1.5, Scale: 3}},
	{name: "poisson small", d: Poisson{Lambda: 0.7}, discrete: true},
	{name: "poisson", d: Poisson{Lambda: 25}, discrete: true},
	{name: "poisson large", d: Poisson{Lambda: 10_000}, discrete: true},
	{name: "discrete", d: NewDiscrete([]float64{5, 1, 3}, []float64{1, 2, 7}), discrete: true},
	{name: "empirical", d: NewEmpirical([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3}), discrete: true},
	{name: "truncated normal", d: NewTruncated(Normal{Mu: 0, Sigma: 1}, -0.5, 2)},
	{name: "truncated lognormal one-sided", d: Truncated{Dist: LogNormal{Mu: 0, Sigma: 0.4}, Lo: 1, Hi: math.Inf(1)}},
	{name: "truncated poisson", d: NewTruncated(Poisson{Lambda: 5}, 2, 8), discrete: true},
}

func TestDistributionMoments(t *testing.T) {
	t.Parallel()
	for _, c := range distCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if err := Validate(c.d, "x"); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			rng := rand.New(rand.NewPCG(1, 1))
			x := make([]float64, momentSamples)
			for i := range x {
				x[i] = c.d.Quantile(rng.Float64())
			}
			n := float64(len(x))
			var mean float64
			for _, v := range x {
				mean += v
			}
			mean /= n
			var m2, m4 float64
			for _, v := range x {
				d2 := (v - mean) * (v - mean)
				m2 += d2
				m4 += d2 * d2
			}
			m4 /= n
			sampleVar := m2 / (n - 1)

			wantMean, wantVar := c.d.Mean(), c.d.Variance()
			// SE of the sample mean is σ/√n; SE of the sample variance is
			// √((μ₄ − σ⁴)/n) (the delta method for the variance of s²),
			// with μ₄ estimated from the same sample. The distributions are
			// chosen with light enough tails that the estimated μ₄ is stable.
			seMean := math.Sqrt(wantVar / n)
			seVar := math.Sqrt((m4 - wantVar*wantVar) / n)
			if d := math.Abs(mean - wantMean); d > momentSEs*seMean {
				t.Errorf("mean: sample %g, want %g (off by %.1f SE)", mean, wantMean, d/seMean)
			}
			if d := math.Abs(sampleVar - wantVar); d > momentSEs*seVar {
				t.Errorf("variance: sample %g, want %g (off by %.1f SE)", sampleVar, wantVar, d/seVar)
			}
		})
	}
}

// roundTripTol is the tolerance of CDF(Quantile(p)) = p for continuous
// distributions: the inverse functions of gonum are accurate to about
// 1e-12 relative; 1e-9 leaves room for the scaling done here.
const roundTripTol = 1e-9

func TestQuantileCDFRoundTrip(t *testing.T) {
	t.Parallel()
	ps := []float64{1e-6, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6}
	for _, c := range distCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			prev := math.Inf(-1)
			for _, p := range ps {
				x := c.d.Quantile(p)
				if !finite(x) {
					t.Fatalf("Quantile(%g) = %g", p, x)
				}
				if x < prev {
					t.Errorf("Quantile not monotone: Quantile(%g) = %g < %g", p, x, prev)
				}
				prev = x
				got := c.d.CDF(x)
				if c.discrete {
					// The generalised inverse: F(Q(p)) ≥ p, and no smaller
					// value reaches p.
					if got < p-1e-12 {
						t.Errorf("CDF(Quantile(%g)) = %g < p", p, got)
					}
					continue
				}
				if math.Abs(got-p) > roundTripTol {
					t.Errorf("CDF(Quantile(%g)) = %.15g", p, got)
				}
				if back := c.d.Quantile(got); math.Abs(back-x) > 1e-7*math.Max(1, math.Abs(x)) {
					t.Errorf("Quantile(CDF(%g)) = %.15g", x, back)
				}
			}
		})
	}
}

// TestQuantileNeverNaN feeds every distribution the awkward p values.
func TestQuantileNeverNaN(t *testing.T) {
	t.Parallel()
	for _, c := range distCases {
		for _, p := range []float64{0, 1, -1, 2, math.NaN(), math.Inf(1), math.Inf(-1), 0x1p-60, 1 - 0x1p-53} {
			if x := c.d.Quantile(p); !finite(x) {
				t.Errorf("%s: Quantile(%g) = %g", c.name, p, x)
			}
		}
		for _, x := range []float64{math.Inf(-1), -1e300, 0, 1e300, math.Inf(1)} {
			if v := c.d.CDF(x); math.IsNaN(v) || v < 0 || v > 1 {
				t.Errorf("%s: CDF(%g) = %g", c.name, x, v)
			}
		}
	}
}

func TestPERTClassicMean(t *testing.T) {
	t.Parallel()
	d := PERT{Min: 1, Mode: 4, Max: 13}
	if got, want := d.Mean(), (1+4*4+13)/6.0; math.Abs(got-want) > 1e-12 {
		t.Errorf("mean %g, want %g", got, want)
	}
}

func TestLogNormalFromMeanSD(t *testing.T) {
	t.Parallel()
	l, err := LogNormalFromMeanSD(50, 20)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l.Mean()-50) > 1e-9 || math.Abs(math.Sqrt(l.Variance())-20) > 1e-9 {
		t.Errorf("mean %g sd %g, want 50, 20", l.Mean(), math.Sqrt(l.Variance()))
	}
	if _, err := LogNormalFromMeanSD(-1, 0); err == nil {
		t.Error("no error for mean −1, sd 0")
	}
}

// TestPoissonQuantileExact checks the CDF search against the definition
// over the whole body of the distribution, including large λ.
func TestPoissonQuantileExact(t *testing.T) {
	t.Parallel()
	for _, lam := range []float64{0.01, 1, 7.5, 100, 10_000, 1e6} {
		d := Poisson{Lambda: lam}
		for _, p := range []float64{1e-9, 0.001, 0.3, 0.5, 0.8, 0.999, 1 - 1e-9} {
			k := d.Quantile(p)
			if d.CDF(k) < p {
				t.Errorf("λ=%g p=%g: F(%g)=%g < p", lam, p, k, d.CDF(k))
			}
			if k > 0 && d.CDF(k-1) >= p {
				t.Errorf("λ=%g p=%g: F(%g)=%g ≥ p, so %g is not the smallest", lam, p, k-1, d.CDF(k-1), k)
			}
		}
	}
}

func TestEmpiricalQuantile(t *testing.T) {
	t.Parallel()
	e := NewEmpirical([]float64{4, 1, 3, 2})
	for _, c := range []struct{ p, want float64 }{
		{0, 1}, {0.249, 1}, {0.25, 2}, {0.5, 3}, {0.99, 4}, {1, 4},
	} {
		if got := e.Quantile(c.p); got != c.want {
			t.Errorf("Quantile(%g) = %g, want %g", c.p, got, c.want)
		}
	}
}
