package montecarlo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestSafeDiscountAnalytic holds the stochastic goal seek to the
// analytic answer of a linear model: at price 100·(1 − c) the CM1 ratio
// of every month is 1 − U/(100(1 − c)) with U ~ N(60, 5), below a 20 %
// floor when U > 80(1 − c), so P(breach) = 1 − Φ((80(1 − c) − 60)/5) and
// P(breach) = q at c(q) = 1 − (60 + 5·Φ⁻¹(1 − q))/80: 14.72 % at q = 5 %.
// The answer must lie within the cuts of q ± 4 standard errors of
// P(breach) (and a step).
func TestSafeDiscountAnalytic(t *testing.T) {
	t.Parallel()
	p, spec := guardSetup(t)
	p.Adjustments = nil // no peak discount: every month alike
	floor := decimal.RequireFromString("0.20")
	rules := scenario.Guardrails{{Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachMonth()}}
	const n, level = 20000, 0.05
	r, err := SafeDiscount(context.Background(), p, spec, Options{Trials: n, Seed: 11, Guardrails: rules},
		SafeDiscountOptions{Categories: "*/*", Level: level, MaxCut: 0.4, Step: 0.0005})
	if err != nil {
		t.Fatal(err)
	}
	cutAt := func(q float64) float64 { return 1 - (60+5*distuv.UnitNormal.Quantile(1-q))/80 }
	se := math.Sqrt(level * (1 - level) / n)
	lo, hi := cutAt(level-4*se)-0.0005, cutAt(level+4*se)+0.0005
	if r.NoSafeCut || r.AtMax || r.Cut < lo || r.Cut > hi {
		t.Errorf("safe cut %+v, want %.5f within [%.5f, %.5f]", r, cutAt(level), lo, hi)
	}
	if r.PBreach > level {
		t.Errorf("P(breach) %.4f at the answer is above the level", r.PBreach)
	}
	if !(r.Lower <= r.Cut && r.Cut <= r.Upper) {
		t.Errorf("the answer %.5f is outside its band [%.5f, %.5f]", r.Cut, r.Lower, r.Upper)
	}
	// The band of ±1 SE: dc/dq = 5/(80·φ(z)) with z = Φ⁻¹(0.95), so it is
	// about 2·0.00154·5/(80·0.1031) = 0.0019 wide, wider than the step:
	// not resolved, and about n·(width/step)² trials would resolve it.
	if r.Resolved || r.TrialsToResolve <= n {
		t.Errorf("band [%.5f, %.5f] at step 0.0005: resolved %v with %d trials to resolve", r.Lower, r.Upper, r.Resolved, r.TrialsToResolve)
	}
	// A coarse step resolves it.
	r2, err := SafeDiscount(context.Background(), p, spec, Options{Trials: n, Seed: 11, Guardrails: rules},
		SafeDiscountOptions{Categories: "*/*", Level: level, MaxCut: 0.4, Step: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Resolved || r2.TrialsToResolve != 0 {
		t.Errorf("step 0.01: %+v, want resolved", r2)
	}
}

// TestSafeDiscountEdges: no safe cut (the peak discount already breaks
// the floor in 21 % of futures, 1 − Φ(0.8)), a bracket that is safe to
// its end, and bad options at their paths.
func TestSafeDiscountEdges(t *testing.T) {
	t.Parallel()
	p, spec := guardSetup(t)
	floor := decimal.RequireFromString("0.20")
	rules := scenario.Guardrails{{Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachMonth()}}
	opt := Options{Trials: 4000, Seed: 11, Guardrails: rules}
	r, err := SafeDiscount(context.Background(), p, spec, opt, SafeDiscountOptions{Categories: "*/*", Level: 0.05, MaxCut: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if !r.NoSafeCut || r.Cut != 0 {
		t.Errorf("%+v, want no safe cut", r)
	}
	r, err = SafeDiscount(context.Background(), p, spec, opt, SafeDiscountOptions{Categories: "*/*", Level: 0.5, MaxCut: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	if !r.AtMax || r.Cut != 0.01 {
		t.Errorf("%+v, want the whole bracket safe", r)
	}
	for _, c := range []struct {
		o    SafeDiscountOptions
		want string
	}{
		{SafeDiscountOptions{Categories: "*/*", Level: 0, MaxCut: 0.3}, "level: got 0, expected a probability strictly between 0 and 1"},
		{SafeDiscountOptions{Categories: "*/*", Level: 1, MaxCut: 0.3}, "level: got 1"},
		{SafeDiscountOptions{Categories: "*/*", Level: 0.05, MaxCut: 1.2}, "max_cut: got 1.2"},
		{SafeDiscountOptions{Categories: "*/*", Level: 0.05, MaxCut: 0.3, Step: 0.5}, "step: got 0.5"},
		{SafeDiscountOptions{Categories: "*/cups", Level: 0.05, MaxCut: 0.3}, "categories"},
	} {
		_, err := SafeDiscount(context.Background(), p, spec, opt, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.o, err, c.want)
		}
	}
	if _, err := SafeDiscount(context.Background(), p, spec, Options{Trials: 100}, SafeDiscountOptions{Categories: "*/*", Level: 0.05, MaxCut: 0.3}); err == nil {
		t.Error("no guardrails: no error")
	}
	var nilP *costmodel.Portfolio
	if _, err := SafeDiscount(context.Background(), nilP, spec, opt, SafeDiscountOptions{}); err == nil {
		t.Error("nil portfolio: no error")
	}
}
