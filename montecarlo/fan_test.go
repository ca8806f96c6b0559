package montecarlo

import (
	"context"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
	"gonum.org/v1/gonum/stat/distuv"
)

// unitCostSpec draws market/mugs/unit_cost afresh each month from a
// normal (mean, sd); sd 0 is a fixed cost (a one-point discrete).
func unitCostSpec(mean, sd float64) *Spec {
	d := DistSpec{Type: "normal", Mean: f64(mean), SD: f64(sd)}
	if sd == 0 {
		d = DistSpec{Type: "discrete", Values: []float64{mean}, Weights: []float64{1}}
	}
	return &Spec{Sampling: MC, Inputs: []Input{{Op: costmodel.SetTo, Target: "market/mugs/unit_cost", PerMonth: true, Dist: d}}}
}

// TestFanClosedForm checks the fan of the portfolio contribution of
// testdata/small.json against its closed form. The contribution of month
// s is affine in that month's unit cost, a_s + b_s·c_s (the units sold
// times the cost; a_s and b_s are read from two runs at a fixed cost of 8
// and 9, and affinity checked at 10). With c_s independent N(μ, σ²) the
// cumulative total to month t is normal with mean Σ(a_s + b_s μ) and sd
// σ√Σb_s², so its p-quantile is mean + z_p·sd. Tolerances are 4 standard
// errors of the estimate: sd/√n for the mean and √(p(1 − p)/n)/φ(z_p)·sd
// for a percentile (asymptotic SE of a sample quantile).
func TestFanClosedForm(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	ctx := context.Background()
	fanOf := func(s *Spec, n int) *Fan {
		t.Helper()
		r, err := Run(ctx, p, s, Options{Trials: n, Seed: 5, Outputs: []scenario.Output{contribution}, Fans: []scenario.Output{contribution}})
		if err != nil {
			t.Fatal(err)
		}
		f, ok := r.Fan(scenario.Output{Metric: scenario.Contribution})
		if !ok || len(f.Months) != p.Months || f.Trials != n {
			t.Fatalf("fan %+v", f)
		}
		return f
	}
	at8, at9, at10 := fanOf(unitCostSpec(8, 0), 10), fanOf(unitCostSpec(9, 0), 10), fanOf(unitCostSpec(10, 0), 10)
	M := p.Months
	a, b := make([]float64, M), make([]float64, M) // per month, from the cumulative totals
	for s := range M {
		prev8, prev9, prev10 := 0.0, 0.0, 0.0
		if s > 0 {
			prev8, prev9, prev10 = at8.P50[s-1], at9.P50[s-1], at10.P50[s-1]
		}
		m8, m9, m10 := at8.P50[s]-prev8, at9.P50[s]-prev9, at10.P50[s]-prev10
		b[s] = m9 - m8
		a[s] = m8 - 8*b[s]
		if math.Abs(a[s]+10*b[s]-m10) > 1e-6*math.Max(1, math.Abs(m10)) {
			t.Fatalf("month %d: contribution not affine in the unit cost (%g, %g, %g)", s+1, m8, m9, m10)
		}
		if !(b[s] < 0) {
			t.Fatalf("month %d: contribution does not fall with the unit cost (slope %g)", s+1, b[s])
		}
		if at8.P5[s] != at8.P95[s] || math.Abs(at8.Mean[s]-at8.P50[s]) > 1e-9*math.Abs(at8.P50[s]) { // the mean of 10 equal sums, to rounding
			t.Errorf("month %d: a fixed cost has a spread: %+v", s+1, at8)
		}
	}
	const n, mu, sigma = 40000, 8.0, 0.5
	f := fanOf(unitCostSpec(mu, sigma), n)
	probs := []float64{0.05, 0.25, 0.50, 0.75, 0.95}
	var sumA, sumB, sumB2 float64
	for s := range M {
		sumA, sumB, sumB2 = sumA+a[s], sumB+b[s], sumB2+b[s]*b[s]
		mean, sd := sumA+sumB*mu, sigma*math.Sqrt(sumB2)
		if se := sd / math.Sqrt(n); math.Abs(f.Mean[s]-mean) > 4*se {
			t.Errorf("month %d: mean %.2f, want %.2f ± %.2f", s+1, f.Mean[s], mean, 4*se)
		}
		got := []float64{f.P5[s], f.P25[s], f.P50[s], f.P75[s], f.P95[s]}
		for i, pr := range probs {
			z := distuv.UnitNormal.Quantile(pr)
			want := mean + z*sd
			se := math.Sqrt(pr*(1-pr)/n) / distuv.UnitNormal.Prob(z) * sd
			if math.Abs(got[i]-want) > 4*se {
				t.Errorf("month %d: P%.0f %.2f, want %.2f ± %.2f", s+1, 100*pr, got[i], want, 4*se)
			}
		}
		if !(f.P5[s] <= f.P25[s] && f.P25[s] <= f.P50[s] && f.P50[s] <= f.P75[s] && f.P75[s] <= f.P95[s]) {
			t.Errorf("month %d: quantiles out of order", s+1)
		}
	}
	// The last month's cumulative total is the horizon's contribution,
	// trial by trial, so its median is the recorded output's.
	r, err := Run(ctx, p, unitCostSpec(mu, sigma), Options{Trials: n, Seed: 5, Outputs: []scenario.Output{contribution}, Fans: []scenario.Output{contribution}})
	if err != nil {
		t.Fatal(err)
	}
	if med, last := r.Outputs[0].Percentile(0.5), r.Fans[0].P50[M-1]; math.Abs(med-last) > 1e-6*math.Abs(med) {
		t.Errorf("fan's last median %.4f, horizon contribution's %.4f", last, med)
	}
}

func TestFanRefuses(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	for _, tc := range []struct {
		fan  scenario.Output
		path string
	}{
		{scenario.Output{Metric: scenario.CM3Ratio}, "fans[0].metric"},
		{scenario.Output{Metric: scenario.NPV}, "fans[0].metric"},
		{scenario.Output{Metric: scenario.CM1, Window: costmodel.Peak()}, "fans[0].window"},
		{scenario.Output{Scope: scenario.Partnership, Key: "nope", Metric: scenario.CM1}, "fans[0]"},
	} {
		_, err := Run(context.Background(), p, unitCostSpec(8, 0.5), Options{Trials: 100, Fans: []scenario.Output{tc.fan}})
		if got := problemPaths(t, err); !hasPrefix(got, tc.path) {
			t.Errorf("%v: %v, want a problem at %s", tc.fan, err, tc.path)
		}
	}
}

// TestFanDoesNotAllocatePerTrial: a fan's samples are allocated once
// for the run, so 4,000 more trials allocate no more.
func TestFanDoesNotAllocatePerTrial(t *testing.T) {
	if raceEnabled {
		// Under -race the fan's run counted 62 extra allocations for
		// 4,000 more trials (0.016 a trial), the detector's own; the
		// count is checked by the plain test run.
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	opt := Options{Seed: 1, Workers: 1, Outputs: []scenario.Output{contribution}, Fans: []scenario.Output{contribution, {Metric: scenario.NetCashFlow}}}
	allocs := func(n int) int64 {
		least := int64(math.MaxInt64)
		for range 3 {
			var a, b runtime.MemStats
			runtime.ReadMemStats(&a)
			o := opt
			o.Trials = n
			if _, err := Run(context.Background(), p, spec, o); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&b)
			least = min(least, int64(b.Mallocs-a.Mallocs))
		}
		return least
	}
	small, large := allocs(4_000), allocs(8_000)
	if extra := large - small; extra > 40 {
		t.Errorf("%d allocations for 4,000 more trials (%.4f a trial)", extra, float64(extra)/4000)
	}
}

// hasPrefix reports whether a problem's path starts with prefix.
func hasPrefix(paths []string, prefix string) bool {
	for _, p := range paths {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}
