package montecarlo

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// One category of 1,000 orders at 20 with a unit cost of 5 and nothing
// else: every line is proportional to the orders, so on a future whose
// orders are k × plan every response's contribution is k × its exact
// one, and the paired difference of a response with hold price in that
// trial is k × the exact difference, trial by trial.
func TestCompareResponses(t *testing.T) {
	t.Parallel()
	p := &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: time.October}, Months: 6, DiscountRate: dd("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "m", Channel: "marketplace", Categories: []costmodel.Category{
			{ID: "toys", Orders: dd("1000"), Price: dd("20"), UnitsPerOrder: dd("1"), UnitCost: dd("5")},
		}}}}
	spec := &Spec{Inputs: []Input{{Target: "m/toys/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "lognormal", Mean: f64(1), SD: f64(0.2)}}}}
	cut := scenario.CompetitorCut{Start: 1, Depth: dd("0.2"), Duration: 2, Fade: 2, Elasticity: dd("-2")}
	out := scenario.Output{Scope: scenario.Category, Key: "toys", Metric: scenario.Contribution}
	// A floor between match's contribution and hold's.
	floor := dd("74000")
	rails := scenario.Guardrails{{Name: "floor", Scope: scenario.Category, Key: "toys", Metric: scenario.Contribution, Min: &floor}}
	cmp, err := CompareResponses(context.Background(), p, spec, Options{Trials: 2000, Seed: 3}, cut, out, rails)
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Responses) != 3 || cmp.Responses[0].VsFirst != nil {
		t.Fatalf("%d responses, first compared with itself: %v", len(cmp.Responses), cmp.Responses[0].VsFirst)
	}
	// Hold: orders (1 − d)² in months 1–4 (d = 0.2, 0.2, 0.1333…, 0.0666…),
	// margin 15 an order. Match: 1,000 orders at a margin 15 − 20d.
	hold, match := cmp.Responses[0].Exact.Amount.InexactFloat64(), cmp.Responses[1].Exact.Amount.InexactFloat64()
	depths := []float64{0, 0.2, 0.2, 0.2 * 2 / 3, 0.2 / 3, 0}
	var wantHold, wantMatch float64
	for _, d := range depths {
		wantHold += 1000 * (1 - d) * (1 - d) * 15
		wantMatch += 1000 * (15 - 20*d)
	}
	if math.Abs(hold-wantHold) > 0.05 || math.Abs(match-wantMatch) > 0.05 {
		t.Errorf("exact contribution hold %.2f match %.2f, want %.2f and %.2f", hold, match, wantHold, wantMatch)
	}
	for i, r := range cmp.Responses {
		want := r.Exact.Amount.LessThan(floor)
		if got := len(r.Breaches) == 1 && strings.Contains(r.Breaches[0].String(), "floor"); got != want {
			t.Errorf("%s: breaches %v, want a breach of the floor: %v", r.Scenario.Name, r.Breaches, want)
		}
		if i == 0 {
			continue
		}
		exact := r.Exact.Amount.InexactFloat64() - hold
		pd := r.VsFirst
		for j, k := range cmp.First.InputSamples[0] {
			if d := pd.Difference.Samples[j]; math.Abs(d-k*exact) > 0.05*k {
				t.Fatalf("%s trial %d: difference %.4f, want %.4f × %.4f", r.Scenario.Name, j, d, k, exact)
			}
		}
		// Every future scales both sides alike: the better response is
		// better in every trial.
		if want := map[bool]float64{true: 1, false: 0}[exact > 0]; pd.PBetter != want {
			t.Errorf("%s: P(better than hold) %g, want %g", r.Scenario.Name, pd.PBetter, want)
		}
	}
	if _, err := CompareResponses(context.Background(), p, spec, Options{Trials: 10}, cut, out, nil, scenario.HoldPrice()); err == nil {
		t.Error("one response: no error")
	}
}

// An output of the allocated view reads the allocated rows of the graph:
// with every driver certain, the simulated fully loaded contribution of a
// category is the exact one (within a cent per line, the tape's rounding),
// and "unallocated" is the zero view.
func TestRunAllocatedView(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	p.Allocation = []costmodel.AllocationRule{{Line: "*", Basis: costmodel.ByActivity}, {Line: "*", Basis: costmodel.ByGMV}}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	fixed := &Spec{Inputs: []Input{{Target: "ebay/home/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "discrete", Values: []float64{1}, Weights: []float64{1}}}}}
	outs := []scenario.Output{
		{Scope: scenario.Category, Key: "beauty", Metric: scenario.Contribution, View: costmodel.Allocated},
		{Scope: scenario.Category, Key: "beauty", Metric: scenario.Contribution, View: costmodel.Unallocated},
		{Scope: scenario.Category, Key: "home", Metric: scenario.CM3Ratio, View: costmodel.Allocated},
	}
	r, err := Run(context.Background(), p, fixed, Options{Trials: 4, Seed: 1, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		want, err := o.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := r.Output(o)
		if !ok {
			t.Fatalf("%s: not recorded", o)
		}
		// The tape does not round lines: each of the ≤ 20 base lines of the
		// ≤ 3 rows × 36 months it sums is within half a cent (10.80 in
		// all); a ratio over net sales of more than 10^5 within 10^-4.
		tol := 10.8
		if o.Metric.IsRatio() {
			tol = 1e-4
		}
		if d := math.Abs(got.Summary.Mean - want.Amount.InexactFloat64()); d > tol {
			t.Errorf("%s: simulated %.6f, exact %s", o, got.Summary.Mean, want.Amount)
		}
		t.Logf("%s: simulated %.6f, exact %s", o, got.Summary.Mean, want.Amount)
	}
	a, _ := r.Output(outs[0])
	u, _ := r.Output(outs[1])
	if a.Summary.Mean >= u.Summary.Mean {
		t.Errorf("fully loaded beauty contribution %.2f is not below the unallocated %.2f", a.Summary.Mean, u.Summary.Mean)
	}
	if _, err := Run(context.Background(), loadPortfolio(t, "small.json"), fixed, Options{Trials: 4, Outputs: outs[:1]}); err == nil || !strings.Contains(err.Error(), "view") {
		t.Errorf("allocated view without rules: %v", err)
	}
}
