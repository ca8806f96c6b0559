package montecarlo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// runDirectGuardSums runs with every guardrail sum one tape output (the
// reference, directGuardSums), on a fresh model cache.
func runDirectGuardSums(t *testing.T, run func() *Result) *Result {
	t.Helper()
	resetModelCache()
	directGuardSums = true
	defer func() {
		directGuardSums = false
		resetModelCache()
	}()
	return run()
}

// wideSpec makes the orders of every partnership's first three
// categories, the unit costs of the next two and its set-up spending
// uncertain enough that a rule's windows breach in some trials and not in
// others (the set-up spending moves the payback month).
func wideSpec() *Spec {
	s := &Spec{}
	for i := range 20 {
		for c := range 3 {
			s.Inputs = append(s.Inputs, Input{Target: fmt.Sprintf("partner-%02d/cat-%02d/orders", i+1, c+1), Op: costmodel.Multiply,
				Dist: DistSpec{Type: "lognormal", Mean: f64(1), SD: f64(0.4)}})
		}
		s.Inputs = append(s.Inputs, Input{Target: fmt.Sprintf("partner-%02d/setup/build/amount", i+1), Op: costmodel.Multiply,
			Dist: DistSpec{Type: "uniform", Min: f64(1), Max: f64(40)}})
		for c := 3; c < 5; c++ {
			s.Inputs = append(s.Inputs, Input{Target: fmt.Sprintf("partner-%02d/cat-%02d/unit_cost", i+1, c+1), Op: costmodel.Multiply,
				Dist: DistSpec{Type: "normal", Mean: f64(1), SD: f64(0.3), Trunc: &Truncation{Lo: f64(0.2)}}})
		}
	}
	return s
}

// guardSumRules are rules of every kind that guardsums.go derives, each
// with a limit that its last window breaches in about half the trials of
// the run Options{Trials: trials, Seed: seed}: per trial the worst of the
// window's cells (the lowest against a floor, the highest against a
// ceiling), as plain outputs of a probe run on the same trials, and the
// limit halfway between two neighbouring order statistics near their
// median that are at least 1e−9 apart relatively. A derived sum differs
// from the direct one by float rounding (about 1e−15 relatively), far
// less than the limit's distance to any trial's value of that window, so
// a difference in breaches means a derived sum is wrong, not a tie.
func guardSumRules(t *testing.T, p *costmodel.Portfolio, spec *Spec, trials int, seed uint64) scenario.Guardrails {
	t.Helper()
	rules := scenario.Guardrails{
		{Metric: scenario.CM3Ratio, Window: scenario.EachMonth()},
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.CM3Ratio, Window: scenario.EachMonth()},
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Window: scenario.EachQuarter()},
		{Scope: scenario.Channel, Key: "*", Metric: scenario.CM2Ratio, Window: scenario.EachYear()},
		{Scope: scenario.Channel, Key: "*", Metric: scenario.NetSales, Window: scenario.EachQuarter()},
		{Metric: scenario.Contribution, Window: scenario.EachRolling(3)},
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.PaybackMonth},
		{Scope: scenario.Category, Key: "*", Metric: scenario.CM3, Window: scenario.EachQuarter()},
	}
	var probes []scenario.Output
	at := make([]int, len(rules)+1) // rule i's probes are probes[at[i]:at[i+1]]
	for i, r := range rules {
		ws, err := r.Window.Windows(p.Start, p.Months)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range scenario.PortfolioKeys(p, r.Scope) {
			probes = append(probes, r.Output(k, ws[len(ws)-1]))
		}
		at[i+1] = len(probes)
	}
	res, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: seed, Outputs: probes})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rules {
		ceiling := rules[i].Metric == scenario.PaybackMonth
		var worst []float64
		for j := range trials {
			w, any := 0.0, false
			for _, o := range res.Outputs[at[i]:at[i+1]] {
				if !o.IsDefined(j) {
					continue
				}
				if v := o.Samples[j]; !any || ceiling && v > w || !ceiling && v < w {
					w, any = v, true
				}
			}
			if any {
				worst = append(worst, w)
			}
		}
		lim, ok := splitLimit(worst)
		if !ok {
			t.Fatalf("%s: no limit splits the last window's %d defined trials", rules[i].Label(), len(worst))
		}
		d := decimal.NewFromFloat(lim)
		if ceiling {
			rules[i].Max = &d
		} else {
			rules[i].Min = &d
		}
	}
	return rules
}

// splitLimit returns a value halfway between two neighbouring values of
// x, the nearest pair to the median that is at least 1e−9 apart
// relatively (x is sorted in place).
func splitLimit(x []float64) (float64, bool) {
	slices.Sort(x)
	m := len(x) / 2
	for d := 0; d < len(x); d++ {
		for _, k := range []int{m - d, m + d} {
			if k < 0 || k+1 >= len(x) {
				continue
			}
			a, b := x[k], x[k+1]
			if b-a > 1e-9*math.Max(math.Abs(a), math.Abs(b)) {
				return a + (b-a)/2, true
			}
		}
	}
	return 0, false
}

// TestGuardSumsMatchDirect holds the derived guardrail sums (portfolio
// and channel windows from the partnerships' months, contribution and
// net cash flow from CM3 plus the lines between; guardsums.go) to the
// straightforward computation, every sum one tape output: the same
// breaches, undefined trials and most-breached windows in every window
// of every rule, shortfalls within float rounding, alone and together
// with the partnership rules the derived sums read. It is not parallel:
// it sets directGuardSums, which the other tests' runs read.
func TestGuardSumsMatchDirect(t *testing.T) {
	p := sample.Benchmark(20, 8, 12)
	spec := wideSpec()
	all := guardSumRules(t, p, spec, guardSumTrials, guardSumSeed)
	for _, rules := range []scenario.Guardrails{all, {all[0]}, {all[3], all[4]}, {all[5], all[2]}} {
		checkGuardSums(t, p, spec, rules)
	}
}

// The trials of TestGuardSumsMatchDirect's runs.
const (
	guardSumTrials = 2000
	guardSumSeed   = 7
)

func checkGuardSums(t *testing.T, p *costmodel.Portfolio, spec *Spec, rules scenario.Guardrails) {
	t.Helper()
	opt := Options{Trials: guardSumTrials, Seed: guardSumSeed, Workers: 2, Outputs: []scenario.Output{contribution}, Guardrails: rules}
	run := func() *Result {
		r, err := Run(context.Background(), p, spec, opt)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	resetModelCache()
	got := run()
	want := runDirectGuardSums(t, run)
	if len(got.Guardrails) != len(rules) || len(want.Guardrails) != len(rules) {
		t.Fatalf("%d and %d results, want %d", len(got.Guardrails), len(want.Guardrails), len(rules))
	}
	for i, g := range got.Guardrails {
		w := want.Guardrails[i]
		label := rules[i].Label()
		// A window breached in some trials and not in others, or the
		// comparison could not fail.
		between := false
		for _, ww := range w.Windows {
			between = between || ww.Breached > 0 && ww.Breached < w.Trials
		}
		if !between {
			t.Fatalf("%s: no window breached in some trials and not in others: choose another limit", label)
		}
		if g.PBreach != w.PBreach || g.Undefined != w.Undefined || g.MostBreached != w.MostBreached {
			t.Errorf("%s: P(breach) %v, %d undefined, most breached %d; direct sums %v, %d, %d",
				label, g.PBreach, g.Undefined, g.MostBreached, w.PBreach, w.Undefined, w.MostBreached)
		}
		if !closeRel(g.Shortfall, w.Shortfall, 1e-9) {
			t.Errorf("%s: shortfall %v, direct sums %v", label, g.Shortfall, w.Shortfall)
		}
		for k := range w.Windows {
			gw, ww := g.Windows[k], w.Windows[k]
			if gw.Breached != ww.Breached || gw.Undefined != ww.Undefined || !closeRel(gw.Shortfall, ww.Shortfall, 1e-9) {
				t.Errorf("%s, %s: %d breached, %d undefined, shortfall %v; direct sums %d, %d, %v",
					label, ww.Window, gw.Breached, gw.Undefined, gw.Shortfall, ww.Breached, ww.Undefined, ww.Shortfall)
			}
		}
	}
}

// closeRel reports |a − b| ≤ tol·max(|a|, |b|), or both 0.
func closeRel(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(math.Abs(a), math.Abs(b))
}
