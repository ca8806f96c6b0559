package montecarlo

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// noNonFinite fails when any float64 reachable from v is NaN or ±Inf.
func noNonFinite(t *testing.T, v any) {
	t.Helper()
	var walk func(path string, x reflect.Value)
	walk = func(path string, x reflect.Value) {
		switch x.Kind() {
		case reflect.Float64:
			if f := x.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				t.Errorf("%s = %v", path, f)
			}
		case reflect.Pointer, reflect.Interface:
			if !x.IsNil() {
				walk(path, x.Elem())
			}
		case reflect.Slice, reflect.Array:
			for i := range x.Len() {
				walk(path+"[]", x.Index(i))
			}
		case reflect.Struct:
			for i := range x.NumField() {
				if x.Type().Field(i).IsExported() {
					walk(path+"."+x.Type().Field(i).Name, x.Field(i))
				}
			}
		}
	}
	walk("", reflect.ValueOf(v))
}

// undefinedSpec switches all of small.json's orders off in about half of
// the trials (net sales 0: every ratio undefined, payback never reached)
// and draws market's unit cost, so that in the trials with orders the
// contribution ratio falls strictly with the unit cost.
func undefinedSpec() *Spec {
	return &Spec{Sampling: MC, Inputs: []Input{
		{Name: "orders on", Target: "*/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "discrete", Values: []float64{0, 1}, Weights: []float64{1, 1}}},
		{Op: costmodel.SetTo, Name: "market unit cost", Target: "market/mugs/unit_cost", Dist: DistSpec{Type: "normal", Mean: f64(8), SD: f64(0.5)}},
	}}
}

var (
	ratio   = scenario.Output{Scope: scenario.Portfolio, Metric: scenario.ContributionRatio}
	payback = scenario.Output{Scope: scenario.Portfolio, Metric: scenario.PaybackMonth}
)

// Statistics of an output are over the trials in which it is defined;
// undefined trials are counted, masked and never averaged in as 0.
func TestUndefinedTrialsLeftOut(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	const n = 4000
	// Convergence on the ratio's mean: its standard error over the
	// defined trials; the tolerance is never met (it is tiny) so the run
	// goes to the end and records every check.
	r, err := Run(context.Background(), p, undefinedSpec(), Options{Trials: n, Seed: 3,
		Outputs:     []scenario.Output{ratio, payback, contribution},
		Sensitivity: []scenario.Output{ratio},
		Convergence: &Convergence{Output: ratio, Statistic: StatMean, Tolerance: 1e-12}})
	if err != nil {
		t.Fatal(err)
	}
	noNonFinite(t, r)
	on := r.InputSamples[0]
	defined := 0
	for _, v := range on {
		if v != 0 {
			defined++
		}
	}
	if defined < n/2-200 || defined > n/2+200 { // 6.3 standard errors of a binomial(4000, ½)
		t.Fatalf("%d trials with orders", defined)
	}
	for _, o := range []scenario.Output{ratio, payback} {
		res, _ := r.Output(o)
		if !res.Valid || res.Undefined != n-defined || res.Summary.N != defined || len(res.Defined) != n {
			t.Errorf("%s: valid %v, undefined %d, N %d, mask %d; want %d undefined of %d", o, res.Valid, res.Undefined, res.Summary.N, len(res.Defined), n-defined, n)
			continue
		}
		for i, v := range on {
			if res.Defined[i] != (v != 0) || res.IsDefined(i) != (v != 0) {
				t.Fatalf("%s: trial %d defined %v with orders ×%v", o, i, res.Defined[i], v)
			}
			if !res.Defined[i] && res.Samples[i] != 0 {
				t.Fatalf("%s: undefined trial %d holds %v, not the documented 0", o, i, res.Samples[i])
			}
		}
		if got := len(res.DefinedSamples()); got != defined {
			t.Errorf("%s: %d defined samples, want %d", o, got, defined)
		}
		if res.Histogram.total() != defined {
			t.Errorf("%s: histogram of %d trials, want %d", o, res.Histogram.total(), defined)
		}
	}
	// Payback: every trial with orders pays back in month 1 (as the
	// base, whose unit cost does not delay it); none without.
	pb, _ := r.Output(payback)
	if pb.Summary.Mean != 1 || pb.Summary.Max != 1 || pb.Percentile(0.99) != 1 {
		t.Errorf("payback over the trials that pay back: %+v", pb.Summary)
	}
	// The ratio in the defined trials is linear in the unit cost u:
	// (3453.20 − 333 (u − 8) − 185·0) / net sales, so its mean is the
	// base ratio at the mean of the drawn u, exactly.
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	baseRatio := st.Measures.ContributionRatio.Value.InexactFloat64()
	netSales := st.Portfolio.Total[costmodel.LineNetSales].InexactFloat64()
	var sumU float64
	for i, v := range on {
		if v != 0 {
			sumU += r.InputSamples[1][i]
		}
	}
	meanU := sumU / float64(defined)
	want := baseRatio - 333*(meanU-8)/netSales
	rs, _ := r.Output(ratio)
	// The float model rounds each line to the cent: market's COGS in 3
	// months moves by at most half a cent each from the linear form.
	tol := 3 * 0.005 / netSales
	if math.Abs(rs.Summary.Mean-want) > tol {
		t.Errorf("ratio mean %.6f, want %.6f over the defined trials (all trials: %.6f)", rs.Summary.Mean, want, want*float64(defined)/n)
	}
	if !(rs.Summary.Min > 0) || rs.ProbLoss != 0 {
		t.Errorf("an undefined trial counted as a ratio of 0: min %v, P(loss) %v", rs.Summary.Min, rs.ProbLoss)
	}
	// Sensitivity over the defined trials: the ratio is a strictly
	// falling function of the unit cost there, so the rank correlation
	// is −1 up to rounding, and the orders switch (constant 1 there) has
	// none.
	if len(r.Sensitivity) != 1 || !r.Sensitivity[0].Valid || r.Sensitivity[0].Trials != defined {
		t.Fatalf("sensitivity %+v", r.Sensitivity)
	}
	s := r.Sensitivity[0].Inputs
	if s[1].RankCorrelation > -0.9999 || s[0].RankCorrelation != 0 {
		t.Errorf("rank correlations: orders %v, unit cost %v", s[0].RankCorrelation, s[1].RankCorrelation)
	}
	// The tail view is the worst 5 % of the defined trials: the highest
	// unit costs, mean μ + σ·φ(z₀.₉₅)/0.05 = 8 + 0.5 × 2.0627 for a normal,
	// within 5 standard errors of the mean of ~100 tail draws (the tail's
	// own sd is about 0.5 × 0.37).
	tail := 8 + 0.5*2.0627
	if se := 0.5 * 0.37 / math.Sqrt(0.05*float64(defined)); math.Abs(s[1].TailMean-tail) > 5*se {
		t.Errorf("tail mean of the unit cost %.3f, want %.3f ± %.3f", s[1].TailMean, tail, 5*se)
	}
	if s[1].Mean-meanU > 1e-12 || meanU-s[1].Mean > 1e-12 {
		t.Errorf("input mean %v over the defined trials, want %v", s[1].Mean, meanU)
	}
	// Convergence checks are over the defined trials too: the last
	// check's estimate is the mean over all of them.
	tr := r.Convergence.Trace
	if len(tr) == 0 || math.Abs(tr[len(tr)-1].Estimate-want) > tol {
		t.Errorf("convergence trace %+v, want the last estimate %.6f", tr, want)
	}
}

// When no trial is defined, the output says so: Valid false, no
// statistic, no NaN, and a sensitivity that says it has no trials.
func TestNoTrialDefined(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	spec := &Spec{Inputs: []Input{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "discrete", Values: []float64{0}, Weights: []float64{1}}},
		{Op: costmodel.SetTo, Target: "market/mugs/unit_cost", Dist: DistSpec{Type: "normal", Mean: f64(8), SD: f64(0.5)}},
	}}
	r, paired, err := RunPaired(context.Background(), p, spec, Options{Trials: 500, Seed: 1,
		Outputs: []scenario.Output{ratio, contribution}, Sensitivity: []scenario.Output{ratio},
		Targets: []Target{{Output: ratio, Value: 0.1}}}, ratio, Alternative{Name: "same", Portfolio: p})
	if err != nil {
		t.Fatal(err)
	}
	noNonFinite(t, r)
	noNonFinite(t, paired)
	o, _ := r.Output(ratio)
	if o.Valid || o.Undefined != 500 || o.Summary != (Summary{}) || o.Percentiles != nil || o.VaR != nil || o.CVaR != nil || o.Targets != nil || len(o.Histogram.Counts) != 0 {
		t.Errorf("an output undefined in every trial: %+v", *o)
	}
	if _, ok := o.PercentileOK(0.5); ok {
		t.Error("a percentile of an output without a defined trial")
	}
	if s := r.Sensitivity[0]; s.Valid || s.Trials != 0 || s.Inputs != nil {
		t.Errorf("sensitivity without a defined trial: %+v", s)
	}
	d := paired[0].Difference
	if d.Valid || d.Undefined != 500 || paired[0].PBetter != 0 {
		t.Errorf("paired difference of undefined ratios: %+v", paired[0])
	}
	c, _ := r.Output(contribution)
	if !c.Valid || c.Undefined != 0 || c.Defined != nil {
		t.Errorf("contribution is defined in every trial: valid %v, undefined %d", c.Valid, c.Undefined)
	}
}

// A paired comparison of a ratio pairs only the trials in which both
// sides are defined.
func TestPairedSkipsUndefined(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	up, err := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "market", PercentagePoints: dd("0.02")})
	if err != nil {
		t.Fatal(err)
	}
	q, err := up.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	_, paired, err := RunPaired(context.Background(), p, undefinedSpec(), Options{Trials: 2000, Seed: 4, Outputs: []scenario.Output{ratio}},
		ratio, Alternative{Name: "higher fee", Portfolio: q})
	if err != nil {
		t.Fatal(err)
	}
	d := paired[0].Difference
	// In every defined trial the higher fee lowers the ratio by the same
	// amount (commission does not depend on the unit cost).
	b, _ := costmodel.Evaluate(p)
	a, _ := costmodel.Evaluate(q)
	want := a.Measures.ContributionRatio.Value.InexactFloat64() - b.Measures.ContributionRatio.Value.InexactFloat64()
	// Both models round market's commission lines (3 months, commission
	// and its refund) to the cent: half a cent each, in either model.
	tol := 2 * 3 * 2 * 0.005 / b.Portfolio.Total[costmodel.LineNetSales].InexactFloat64()
	if !d.Valid || d.Undefined == 0 || d.Summary.N+d.Undefined != 2000 || math.Abs(d.Summary.Max-want) > tol || math.Abs(d.Summary.Min-want) > tol {
		t.Errorf("difference %+v with %d undefined, want %.6f in every defined trial", d.Summary, d.Undefined, want)
	}
	if paired[0].PBetter != 0 {
		t.Errorf("P(better) %v: an undefined pair counted", paired[0].PBetter)
	}
}
