package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// TestFXUncertain draws the EUR rate of the two-currency sample as one
// lognormal multiplier (mean 1, SD 0.05) on every month's rate. Each
// converted line is the EUR amount × the rate, rounded to the cent, so the
// EUR marketplace's GMV in USD is its base value × the draw, within a cent
// a line-month: its mean must be the base value within 4 standard errors
// and its SD 0.05 × the base value within 4 standard errors of an SD
// (SD/√(2N) for a near-normal variable) plus the rounding. The USD
// partnerships do not move.
func TestFXUncertain(t *testing.T) {
	p, err := costmodel.LoadFile("../testdata/larkspur-eu.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := st.Partnerships[1].Total.Total[costmodel.LineGMV].Float64()
	us, _ := st.Partnerships[0].Total.Total[costmodel.LineGMV].Float64()
	spec := &Spec{Sampling: MC, Inputs: []Input{{Target: "portfolio/fx/eur/month/*", Op: costmodel.Multiply, Dist: DistSpec{Type: "lognormal", Mean: f64(1), SD: f64(0.05)}}}}
	outs := []scenario.Output{
		{Scope: scenario.Partnership, Key: "amazon-de", Metric: scenario.GMV},
		{Scope: scenario.Partnership, Key: "amazon-us", Metric: scenario.GMV},
	}
	const n = 4000
	r, err := Run(context.Background(), p, spec, Options{Trials: n, Seed: 7, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	de, _ := r.Output(outs[0])
	s := de.Summary
	cents := 0.005 * 2 * 36 // half a cent per GMV line: 2 categories × at most 36 months
	if math.Abs(s.Mean-base) > 4*s.SE+cents {
		t.Errorf("EUR marketplace GMV mean %.2f, want %.2f ± %.2f", s.Mean, base, 4*s.SE+cents)
	}
	wantSD := 0.05 * base
	if tol := 4*wantSD/math.Sqrt(2*n) + cents; math.Abs(s.SD-wantSD) > tol {
		t.Errorf("EUR marketplace GMV SD %.2f, want %.2f ± %.2f", s.SD, wantSD, tol)
	}
	u, _ := r.Output(outs[1])
	if u.Summary.SD != 0 || math.Abs(u.Summary.Mean-us) > 1e-6*us {
		t.Errorf("USD partnership moved with the EUR rate: mean %.2f (want %.2f), SD %g", u.Summary.Mean, us, u.Summary.SD)
	}
}

// TestFXPerMonth draws the benchmark's EUR and GBP rates afresh each
// month (fxInputs) and checks the run gives finite results whose spread
// comes from the foreign partnerships only.
func TestFXPerMonth(t *testing.T) {
	p := benchCurrencies()
	spec := &Spec{Inputs: fxInputs()}
	outs := []scenario.Output{
		{Scope: scenario.Partnership, Key: p.Partnerships[0].ID, Metric: scenario.Contribution},
		{Scope: scenario.Partnership, Key: p.Partnerships[19].ID, Metric: scenario.Contribution},
	}
	r, err := Run(context.Background(), p, spec, Options{Trials: 500, Seed: 3, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	home, _ := r.Output(outs[0])
	gbp, _ := r.Output(outs[1])
	if home.Summary.SD != 0 || !(gbp.Summary.SD > 0) || math.IsNaN(gbp.Summary.Mean) {
		t.Errorf("USD partnership SD %g (want 0), GBP partnership SD %g (want > 0)", home.Summary.SD, gbp.Summary.SD)
	}
}
