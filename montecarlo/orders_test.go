package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// TestOrdersOutput: market's orders in testdata/small.json are its base
// orders X × (1.5 + 1.2 + 1) over the horizon (seasonality), so with X
// normal (100, 10) they are normal with mean 370 and SD 37; shop's stay
// 185. A read of the wrong line (GMV, 25 a mug) would be 25 times as
// large.
func TestOrdersOutput(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	spec := &Spec{Sampling: MC, Inputs: []Input{
		{Op: costmodel.SetTo, Target: "market/mugs/orders", Dist: DistSpec{Type: "normal", Mean: f64(100), SD: f64(10)}},
	}}
	const n = 20000
	outs := []scenario.Output{
		{Scope: scenario.Partnership, Key: "market", Metric: scenario.Orders},
		{Scope: scenario.Partnership, Key: "shop", Metric: scenario.Orders},
	}
	r, err := Run(context.Background(), p, spec, Options{Trials: n, Seed: 3, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Outputs[0].Summary
	if se := 37 / math.Sqrt(n); math.Abs(m.Mean-370) > 5*se {
		t.Errorf("market orders: mean %.3f, want 370 ± %.3f", m.Mean, 5*se)
	}
	if math.Abs(m.SD-37) > 5*37/math.Sqrt(2*(n-1)) {
		t.Errorf("market orders: SD %.3f, want 37", m.SD)
	}
	if s := r.Outputs[1].Summary; math.Abs(s.Mean-185) > 1e-9 || s.SD > 1e-9 {
		t.Errorf("shop orders: mean %g SD %g, want 185 and 0", s.Mean, s.SD)
	}
}
