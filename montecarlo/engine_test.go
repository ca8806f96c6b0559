package montecarlo

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
	"gonum.org/v1/gonum/stat/distuv"
)

func loadPortfolio(t testing.TB, name string) *costmodel.Portfolio {
	t.Helper()
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func f64(v float64) *float64 { return &v }

var contribution = scenario.Output{Scope: scenario.Portfolio, Metric: scenario.Contribution}

// twoNormals puts independent normal unit costs on the two mugs of
// testdata/small.json. Contribution is linear in them: market keeps 333
// items (370 less 10 % returned) and shop 185, so
//
//	contribution = 3,453.20 − 333 (u₁ − 8) − 185 (u₂ − 6)
//
// with mean 3,453.20 and variance 333² × 0.5² + 185² × 0.4².
func twoNormals(sampling Sampling) *Spec {
	return &Spec{Sampling: sampling, Inputs: []Input{
		{Op: costmodel.SetTo, Target: "market/mugs/unit_cost", Dist: DistSpec{Type: "normal", Mean: f64(8), SD: f64(0.5)}},
		{Op: costmodel.SetTo, Target: "shop/mugs/unit_cost", Dist: DistSpec{Type: "normal", Mean: f64(6), SD: f64(0.4)}},
	}}
}

const (
	twoNormalsMean = 3453.2
	twoNormalsVar  = 333*333*0.25 + 185*185*0.16
)

func TestSumOfNormals(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	const n = 40000
	r, err := Run(context.Background(), p, twoNormals(MC), Options{Trials: n, Seed: 7, Outputs: []scenario.Output{contribution}})
	if err != nil {
		t.Fatal(err)
	}
	o := r.Outputs[0]
	sd := math.Sqrt(twoNormalsVar)
	// Five standard errors: the mean's is σ/√n; the variance's, for a
	// normal sample, σ²·√(2/(n−1)).
	if d := math.Abs(o.Summary.Mean - twoNormalsMean); d > 5*sd/math.Sqrt(n) {
		t.Errorf("mean %.2f, want %.2f (± %.2f)", o.Summary.Mean, twoNormalsMean, 5*sd/math.Sqrt(n))
	}
	v := o.Summary.SD * o.Summary.SD
	if d := math.Abs(v - twoNormalsVar); d > 5*twoNormalsVar*math.Sqrt(2.0/(n-1)) {
		t.Errorf("variance %.1f, want %.1f", v, twoNormalsVar)
	}
	// VaR and CVaR at 95 % against μ − zσ and μ − σφ(z)/(1 − α), within
	// five asymptotic standard errors: √(α(1−α)/n)·σ/φ(z) for the
	// quantile, and (conservatively) twice that for the tail mean.
	z := distuv.UnitNormal.Quantile(0.95)
	phi := distuv.UnitNormal.Prob(z)
	seQ := math.Sqrt(0.95*0.05/n) * sd / phi
	if got, want := o.VaR[0].Value, twoNormalsMean-z*sd; math.Abs(got-want) > 5*seQ {
		t.Errorf("VaR95 %.2f, want %.2f ± %.2f", got, want, 5*seQ)
	}
	if got, want := o.CVaR[0].Value, twoNormalsMean-sd*phi/0.05; math.Abs(got-want) > 10*seQ {
		t.Errorf("CVaR95 %.2f, want %.2f ± %.2f", got, want, 10*seQ)
	}
	if o.VaR[0].P != 0.95 || o.ProbLoss != 0 {
		t.Errorf("levels %+v, P(loss) %g", o.VaR, o.ProbLoss)
	}
}

func TestWorkersDoNotChangeResults(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	spec := loadSpec(t, p)
	var first *Result
	for _, w := range []int{1, 2, 8} {
		r, err := Run(context.Background(), p, spec, Options{Trials: 3000, Seed: 11, Workers: w, BlockSize: 250})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
			continue
		}
		for i := range r.Outputs {
			if !slices.Equal(r.Outputs[i].Samples, first.Outputs[i].Samples) {
				t.Fatalf("%d workers: output %s differs", w, r.Outputs[i].Output)
			}
		}
		for i := range r.InputSamples {
			if !slices.Equal(r.InputSamples[i], first.InputSamples[i]) {
				t.Fatalf("%d workers: input %s differs", w, r.Inputs[i])
			}
		}
	}
}

func loadSpec(t testing.TB, p *costmodel.Portfolio) *Spec {
	t.Helper()
	data, err := readFile(filepath.Join("..", "testdata", "specs", "larkspur.uncertainty.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load(bytes.NewReader(data), p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Adding an input does not change the draws of the others.
func TestStreamsByAddress(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	a := twoNormals(LHS)
	b := twoNormals(LHS)
	b.Inputs = append([]Input{{Op: costmodel.SetTo, Target: "market/mugs/return_rate", Dist: DistSpec{Type: "uniform", Min: f64(0.05), Max: f64(0.15)}}}, b.Inputs...)
	ra, err := Run(context.Background(), p, a, Options{Trials: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := Run(context.Background(), p, b, Options{Trials: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ra.InputSamples[0], rb.InputSamples[1]) || !slices.Equal(ra.InputSamples[1], rb.InputSamples[2]) {
		t.Error("adding an input changed the other inputs' draws")
	}
	rc, _ := Run(context.Background(), p, a, Options{Trials: 2000, Seed: 4})
	if slices.Equal(ra.InputSamples[0], rc.InputSamples[0]) {
		t.Error("a different seed gave the same draws")
	}
}

func TestImanConoverInRun(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	spec := loadSpec(t, p)
	const n = 20000
	r, err := Run(context.Background(), p, spec, Options{Trials: n, Seed: 5, Outputs: []scenario.Output{contribution}})
	if err != nil {
		t.Fatal(err)
	}
	target := spec.Correlations[0].Matrix
	for i := 0; i < 3; i++ {
		for j := i + 1; j < 3; j++ {
			rho, err := Spearman(r.InputSamples[i], r.InputSamples[j])
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(rho-target[i][j]) > 3/math.Sqrt(n) {
				t.Errorf("Spearman(%s, %s) = %.4f, want %.2f ± %.4f", r.Inputs[i], r.Inputs[j], rho, target[i][j], 3/math.Sqrt(n))
			}
		}
	}
	// An uncorrelated pair stays near zero.
	if rho, _ := Spearman(r.InputSamples[0], r.InputSamples[4]); math.Abs(rho) > 3/math.Sqrt(n) {
		t.Errorf("independent inputs correlate: %.4f", rho)
	}
}

func TestLatinHypercubeBeatsMonteCarlo(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	spread := func(s Sampling) float64 {
		var means []float64
		for seed := range uint64(30) {
			r, err := Run(context.Background(), p, twoNormals(s), Options{Trials: 1000, Seed: seed + 100, Outputs: []scenario.Output{contribution}})
			if err != nil {
				t.Fatal(err)
			}
			means = append(means, r.Outputs[0].Summary.Mean)
		}
		sum, _ := Summarize(means)
		return sum.SD
	}
	mc, lhs := spread(MC), spread(LHS)
	// The MC spread is σ/√1000 ≈ 5.6; LHS removes nearly all of it for
	// this additive model.
	if !(lhs < mc/5) {
		t.Errorf("SD of the mean over 30 runs: LHS %.3f, MC %.3f", lhs, mc)
	}
}

func TestConvergenceStops(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	sd := math.Sqrt(twoNormalsVar)
	tol := sd / math.Sqrt(20000) // the mean's SE reaches tol at n* = 20,000
	r, err := Run(context.Background(), p, twoNormals(MC), Options{
		Trials: 200000, Seed: 9, BlockSize: 1000, Outputs: []scenario.Output{contribution},
		Convergence: &Convergence{Output: contribution, Statistic: StatMean, Tolerance: tol},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Convergence
	if !c.Converged || c.At != r.Trials || len(r.Outputs[0].Samples) != r.Trials {
		t.Fatalf("convergence %+v, trials %d", c, r.Trials)
	}
	// Batch means over k blocks estimate the SE with relative error about
	// 1/√(2(k−1)); stopping lands near n* (here within a factor of 1.6).
	if r.Trials < 12000 || r.Trials > 32000 {
		t.Errorf("stopped at %d trials, expected near 20,000", r.Trials)
	}
	last := c.Trace[len(c.Trace)-1]
	if last.SE >= tol || last.Trials != r.Trials {
		t.Errorf("last check %+v, tolerance %.3f", last, tol)
	}
	// A tolerance that cannot be met runs every trial.
	r, err = Run(context.Background(), p, twoNormals(MC), Options{
		Trials: 5000, Seed: 9, Outputs: []scenario.Output{contribution},
		Convergence: &Convergence{Output: contribution, Statistic: StatPercentile, P: 0.05, Tolerance: 1e-6},
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Convergence.Converged || r.Trials != 5000 {
		t.Errorf("converged %v at %d trials", r.Convergence.Converged, r.Trials)
	}
}

// Under common random numbers, a 2-point fee increase on market costs us
// 8,510 × 0.02 = 170.20 × the orders multiplier in every trial.
func TestPairedCommonRandomNumbers(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	spec := &Spec{Inputs: []Input{
		{Target: "market/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.5), Max: f64(1.5)}},
		{Target: "shop/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.5), Max: f64(1.5)}},
	}}
	up, _ := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "market", PercentagePoints: dd("0.02")})
	down, _ := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "market", PercentagePoints: dd("-0.02")})
	qUp, err := up.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	qDown, _ := down.Apply(p)
	out := scenario.Output{Scope: scenario.Partnership, Key: "market", Metric: scenario.Contribution}
	r, paired, err := RunPaired(context.Background(), p, spec, Options{Trials: 4000, Seed: 1}, out,
		Alternative{Name: "up", Portfolio: qUp}, Alternative{Name: "down", Portfolio: qDown})
	if err != nil {
		t.Fatal(err)
	}
	if paired[0].PBetter != 0 || paired[1].PBetter != 1 {
		t.Errorf("P(better) up %g down %g, want 0 and 1", paired[0].PBetter, paired[1].PBetter)
	}
	for j, d := range paired[0].Difference.Samples {
		want := -170.2 * r.InputSamples[0][j]
		if math.Abs(d-want) > 1e-6 {
			t.Fatalf("trial %d: difference %.6f, want %.6f", j, d, want)
		}
	}
	// Month-limited adjustments reach the float path too: a December-only
	// doubling of market's orders.
	dec := 1
	peak := scenario.Scenario{Name: "dec", Shocks: []scenario.Shock{{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: dd("2"), From: &dec, To: &dec}}}
	qPeak, _ := peak.Apply(p)
	st, _ := costmodel.Evaluate(qPeak)
	base, _ := costmodel.Evaluate(p)
	mp, _ := st.Partnership("market")
	mb, _ := base.Partnership("market")
	exact := mp.Total.Total[costmodel.LineContribution].Sub(mb.Total.Total[costmodel.LineContribution]).InexactFloat64()
	fixed := &Spec{Inputs: []Input{{Target: "shop/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "discrete", Values: []float64{1}, Weights: []float64{1}}}}}
	_, paired, err = RunPaired(context.Background(), p, fixed, Options{Trials: 10, Seed: 1}, out, Alternative{Name: "dec", Portfolio: qPeak})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(paired[0].Difference.Summary.Mean-exact) > 0.05 {
		t.Errorf("December doubling: float difference %.4f, exact %.4f", paired[0].Difference.Summary.Mean, exact)
	}
}

func TestRunBadInput(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	bad := &Spec{Sampling: "quasi", Inputs: []Input{
		{Op: costmodel.SetTo, Target: "market/mugs/orders", Dist: DistSpec{Type: "normal", Mean: f64(100), SD: f64(0)}},
		{Op: costmodel.SetTo, Target: "nobody/*/orders", Dist: DistSpec{Type: "triangular", Min: f64(5), Mode: f64(1), Max: f64(9)}},
		{Op: costmodel.SetTo, Target: "shop/mugs/orders", Dist: DistSpec{Type: "discrete", Values: []float64{1, 2}, Weights: []float64{0, 0}}},
		{Op: costmodel.SetTo, Name: "empty", Target: "shop/mugs/unit_cost", Dist: DistSpec{Type: "empirical"}},
	}, Correlations: []Correlation{
		{Inputs: []string{"market/mugs/orders", "market/mugs/return_rate"}, Matrix: [][]float64{{1, 0.5}, {0.5, 1}}},
		{Inputs: []string{"shop/mugs/orders", "empty"}, Matrix: [][]float64{{1, 0.5}, {0.4, 1}}},
	}}
	_, err := Run(context.Background(), p, bad, Options{Trials: 0})
	if !errors.Is(err, costmodel.ErrInvalid) {
		t.Fatalf("got %v", err)
	}
	for _, w := range []string{"sampling", "inputs[0].dist.sd", "inputs[1].target", "inputs[1].dist", "inputs[2].dist.weights", "inputs[3].dist.data", "correlations[0].inputs[1]", "correlations[1].matrix"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("no problem at %s:\n%v", w, err)
		}
	}
	_, err = Run(context.Background(), p, twoNormals(LHS), Options{Trials: 0})
	if err == nil || !strings.Contains(err.Error(), "trials") {
		t.Errorf("zero trials: %v", err)
	}
	_, err = Run(context.Background(), p, twoNormals(LHS), Options{Trials: 10_000_000, MaxSampleBytes: 1 << 20})
	if err == nil || !strings.Contains(err.Error(), "at most") {
		t.Errorf("memory bound: %v", err)
	}
	// A matrix that is valid but not positive definite is repaired and reported.
	s := twoNormals(LHS)
	s.Inputs = append(s.Inputs, Input{Op: costmodel.SetTo, Target: "market/mugs/return_rate", Dist: DistSpec{Type: "uniform", Min: f64(0.05), Max: f64(0.15)}})
	s.Correlations = []Correlation{{
		Inputs: []string{"market/mugs/unit_cost", "shop/mugs/unit_cost", "market/mugs/return_rate"},
		Matrix: [][]float64{{1, 0.9, -0.9}, {0.9, 1, 0.9}, {-0.9, 0.9, 1}},
	}}
	r, err := Run(context.Background(), p, s, Options{Trials: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Repairs) != 1 || !(r.Repairs[0].MaxMove > 0.1) {
		t.Errorf("repairs %+v", r.Repairs)
	}
}

func TestCancelAndClamp(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Run(ctx, p, twoNormals(LHS), Options{Trials: 100000, Seed: 1, Workers: 1, Progress: func(done, total int) {
		calls++
		if done >= 3000 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || calls < 3 {
		t.Errorf("cancel: %v after %d progress calls", err, calls)
	}
	// A normal return rate around 0.05 with sd 0.05 goes below 0 about 16 %
	// of the time: those draws are clamped to 0 and counted.
	s := &Spec{Sampling: MC, Inputs: []Input{{Op: costmodel.SetTo, Target: "market/mugs/return_rate", Dist: DistSpec{Type: "normal", Mean: f64(0.05), SD: f64(0.05)}}}}
	r, err := Run(context.Background(), p, s, Options{Trials: 10000, Seed: 2, Outputs: []scenario.Output{contribution}})
	if err != nil {
		t.Fatal(err)
	}
	if share := float64(r.Clamped[0]) / 10000; math.Abs(share-0.1587) > 0.02 {
		t.Errorf("clamped share %.3f, want about 0.159", share)
	}
}

// A per-month input with autocorrelation ρ on its normal scores: for a
// normal distribution the monthly draws are an AR(1) series, so the mean
// over the 3 months of testdata/small.json has variance
// σ²/9 × (3 + 4ρ + 2ρ²).
func TestPerMonthAutocorrelation(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	const n = 20000
	for _, rho := range []float64{0, 0.6} {
		s := &Spec{Sampling: MC, Inputs: []Input{{Target: "market/mugs/orders", Op: costmodel.Multiply, PerMonth: true, Autocorrelation: rho,
			Dist: DistSpec{Type: "normal", Mean: f64(1), SD: f64(0.2)}}}}
		r, err := Run(context.Background(), p, s, Options{Trials: n, Seed: 8, Outputs: []scenario.Output{contribution}})
		if err != nil {
			t.Fatal(err)
		}
		sum, _ := Summarize(r.InputSamples[0])
		want := 0.04 / 9 * (3 + 4*rho + 2*rho*rho)
		got := sum.SD * sum.SD
		if math.Abs(got-want) > 5*want*math.Sqrt(2.0/n) {
			t.Errorf("ρ = %g: variance of the monthly mean %.5f, want %.5f", rho, got, want)
		}
		// Orders move month by month: market's contribution responds to
		// the mean draw (with December's 1.2 and November's 1.5 weights),
		// so it is not a function of any single month's draw.
		if o := r.Outputs[0]; !(o.Summary.SD > 0) {
			t.Errorf("ρ = %g: contribution does not vary", rho)
		}
	}
}

func TestRunRefusesStructuralDraws(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	s := &Spec{Inputs: []Input{
		{Op: costmodel.SetTo, Target: "shop/mugs/price_mix/*/share", Dist: DistSpec{Type: "uniform", Min: f64(0.4), Max: f64(0.6)}},
		{Op: costmodel.SetTo, Target: "market/mugs/growth", PerMonth: true, Dist: DistSpec{Type: "uniform", Min: f64(0), Max: f64(0.1)}},
		{Op: costmodel.SetTo, Target: "market/mugs/orders", Dist: DistSpec{Type: "pert", Min: f64(1), Mode: f64(2), Max: f64(3), Lambda: f64(0)}},
	}}
	_, err := Run(context.Background(), p, s, Options{Trials: 100})
	for _, w := range []string{"inputs[0].target", "inputs[1].per_month", "inputs[2].dist.lambda"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("no problem at %s: %v", w, err)
		}
	}
	// Correlations need blocks large enough to impose them.
	spec := twoNormals(LHS)
	spec.Correlations = []Correlation{{Inputs: []string{"market/mugs/unit_cost", "shop/mugs/unit_cost"}, Matrix: [][]float64{{1, 0.9}, {0.9, 1}}}}
	if _, err := Run(context.Background(), p, spec, Options{Trials: 100, BlockSize: 10}); err == nil || !strings.Contains(err.Error(), "block_size") {
		t.Errorf("tiny blocks with a correlation: %v", err)
	}
	if _, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 1}); err == nil {
		t.Error("a single trial accepted")
	}
}

// Ratios over zero net sales are counted, and clamps are counted once
// however many alternatives share the draws.
func TestUndefinedAndClampCounts(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	s := &Spec{Sampling: MC, Inputs: []Input{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "discrete", Values: []float64{0, 1}, Weights: []float64{1, 1}}},
		{Op: costmodel.SetTo, Target: "market/mugs/return_rate", Dist: DistSpec{Type: "normal", Mean: f64(0.05), SD: f64(0.05)}},
	}}
	ratio := scenario.Output{Metric: scenario.ContributionRatio}
	r, paired, err := RunPaired(context.Background(), p, s, Options{Trials: 4000, Seed: 3, Outputs: []scenario.Output{ratio, contribution}},
		contribution, Alternative{Name: "same", Portfolio: p}, Alternative{Name: "again", Portfolio: p})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	for _, v := range r.InputSamples[0] {
		if v == 0 {
			zero++
		}
	}
	if o, _ := r.Output(ratio); o.Undefined != zero || zero < 1800 || zero > 2200 {
		t.Errorf("undefined ratios %d, zero-order trials %d", o.Undefined, zero)
	}
	clampedDraws := 0
	for _, v := range r.InputSamples[1] {
		if v < 0 {
			clampedDraws++
		}
	}
	if r.Clamped[1] != clampedDraws {
		t.Errorf("clamped %d, negative draws %d", r.Clamped[1], clampedDraws)
	}
	if paired[0].PBetter != 0 || paired[0].Difference.Summary.Max != 0 {
		t.Errorf("an identical alternative differs: %+v", paired[0].Difference.Summary)
	}
}

// The trial loop does not allocate: on BenchmarkRun's workload (100
// inputs, a 10 × 10 correlation group, Latin Hypercube), 4,000 more trials
// (4 more blocks) cost no more allocations, up to the runtime's own few
// (a GC cycle, a goroutine's stack: tens a run, against 0.3 a trial, 1,200,
// before the streams and Iman–Conover's scratch were reused per worker;
// see the bound below).
// The least of three runs of each size is compared. Not parallel: it
// reads the process's allocation count.
func TestTrialLoopDoesNotAllocate(t *testing.T) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	outs := []scenario.Output{contribution, {Metric: scenario.NPV}}
	for _, ps := range p.Partnerships {
		outs = append(outs, scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
	}
	allocs := func(n int) int64 {
		least := int64(math.MaxInt64)
		for range 3 {
			var a, b runtime.MemStats
			runtime.ReadMemStats(&a)
			if _, err := Run(context.Background(), p, spec, Options{Trials: n, Seed: 1, Workers: 1, Outputs: outs}); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&b)
			least = min(least, int64(b.Mallocs-a.Mallocs))
		}
		return least
	}
	// The bound, 200 for 4,000 trials (0.05 a trial), is six times below
	// the 0.3 a trial of an allocating loop and above the runtime's own
	// (under -race beside the package's other tests' goroutines winding
	// down, 60 were seen; alone, under 40).
	small, large := allocs(4_000), allocs(8_000)
	if extra := large - small; extra > 200 {
		t.Errorf("%d allocations for 4,000 more trials (%.4f a trial)", extra, float64(extra)/4000)
	}
}
