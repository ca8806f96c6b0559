package actuals

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

// halfYear is the sample's actuals cut at June 2026.
func halfYear(t *testing.T) *Model {
	t.Helper()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	cut := costmodel.Month{Year: 2026, Month: 6}
	var csv bytes.Buffer
	all, err := ReadCSV(bytes.NewReader(marginal.SampleActuals()), p, costmodel.Month{})
	if err != nil {
		t.Fatal(err)
	}
	a := &Actuals{CutOff: cut}
	for _, r := range all.Records {
		if r.Month.Month <= 6 {
			a.Records = append(a.Records, r)
		}
	}
	if err := a.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	a, err = ReadCSV(&csv, p, cut)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(p, a)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func f64(x float64) *float64 { return &x }

// The simulation of the remaining months keeps the actual months fixed
// (their output has no spread and is the actual statement's), and a
// guardrail whose breach has a closed form is breached as often as it
// says. The one input adds X ~ U(−4000, 20000) to own-shop's fixed
// monthly marketing, one draw a trial: its effect on 2026's contribution
// is −6X over July–December (the actual months hold the actual spend),
// so contribution < C₀ − 6 × 8000 exactly when X > 8000: P = 12/24 = ½.
// With 4,000 Latin Hypercube trials the share is within 0.02 of it (the
// binomial standard error is 0.008; LHS stratifies the one input, so the
// error is far smaller).
func TestSimulateRemainingMonths(t *testing.T) {
	t.Parallel()
	m := halfYear(t)
	rf, err := m.Reforecast(PlanUnchanged, 0)
	if err != nil {
		t.Fatal(err)
	}
	year := costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution, Window: costmodel.Window{Kind: costmodel.WindowYear, Year: 2026}}
	c0, _ := year.Of(rf.Statement)
	spec := &montecarlo.Spec{Inputs: []montecarlo.Input{{Target: "own-shop/marketing/monthly", Op: costmodel.Add,
		Dist: montecarlo.DistSpec{Type: "uniform", Min: f64(-4000), Max: f64(20000)}}}}
	actualMonths := costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution,
		Window: costmodel.Window{Kind: costmodel.WindowRange, From: costmodel.Month{Year: 2026, Month: 1}, To: costmodel.Month{Year: 2026, Month: 6}}}
	g := Guardrail{Name: "contribution floor", Output: year, Direction: AtLeast, Threshold: c0.Amount.Sub(decimal.NewFromInt(48000))}
	fixed := Guardrail{Name: "actual months", Output: actualMonths, Direction: AtLeast, Threshold: decimal.Zero}
	o, err := m.Simulate(context.Background(), spec, montecarlo.Options{Trials: 4000, Seed: 7}, PlanUnchanged, 0, []Guardrail{g, fixed})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(o.PBreach[0]-0.5) > 0.02 {
		t.Errorf("P(breach) = %v, want 0.5 ± 0.02", o.PBreach[0])
	}
	r, ok := o.Result.Output(actualMonths)
	if !ok {
		t.Fatal("no actual-months output")
	}
	want, _ := actualMonths.Of(m.Actual())
	// Half a cent a line: the float back end's bound, over the lines the
	// window sums (12 categories and 5 own rows, 6 months, about 25 lines).
	tol := 0.005 * 17 * 6 * 25
	if r.Summary.SD > 1e-6 || math.Abs(r.Summary.Mean-want.Amount.InexactFloat64()) > tol {
		t.Errorf("actual months: mean %v sd %v, want %s with no spread", r.Summary.Mean, r.Summary.SD, want.Amount)
	}
	// The plan is out of reach when even the cheapest draw leaves the
	// year short of it.
	if gap := c0.Amount.Sub(o.PlanValue).InexactFloat64(); gap+6*4000 < 0 && o.PMeetPlan != 0 {
		t.Errorf("P(meet plan) = %v with the plan %v beyond the best case", o.PMeetPlan, -gap)
	}
}
