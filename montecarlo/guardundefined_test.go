package montecarlo

import (
	"context"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// A ratio rule over zero net sales counts the trial undefined and never
// breached, under a floor, a ceiling and both (each its own loop in
// lowestRatio); every defined trial breaches the first two and none
// the third, so the counts follow the zero-order trials exactly.
func TestGuardrailUndefinedRatio(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	s := &Spec{Sampling: MC, Inputs: []Input{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "discrete", Values: []float64{0, 1}, Weights: []float64{1, 1}}},
	}}
	lim := func(v int64) *decimal.Decimal { d := decimal.NewFromInt(v); return &d }
	rules := scenario.Guardrails{
		{Name: "floor", Metric: scenario.CM1Ratio, Min: lim(2)},
		{Name: "ceiling", Metric: scenario.CM1Ratio, Max: lim(-2)},
		{Name: "band", Metric: scenario.CM1Ratio, Min: lim(-2), Max: lim(2)},
	}
	const n = 2000
	r, err := Run(context.Background(), p, s, Options{Trials: n, Seed: 5, Outputs: []scenario.Output{contribution}, Guardrails: rules})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	for _, v := range r.InputSamples[0] {
		if v == 0 {
			zero++
		}
	}
	if zero < 800 || zero > 1200 {
		t.Fatalf("%d zero-order trials of %d", zero, n)
	}
	for _, g := range r.Guardrails {
		breached := n - zero
		if g.Rule.Name == "band" {
			breached = 0
		}
		w := g.Windows[0]
		if len(g.Windows) != 1 || g.Undefined != zero || w.Undefined != zero || w.Breached != breached {
			t.Errorf("%s: %d windows, %d undefined (window %d), %d breached; want 1, %d, %d", g.Rule.Name, len(g.Windows), g.Undefined, w.Undefined, w.Breached, zero, breached)
		}
	}
}
