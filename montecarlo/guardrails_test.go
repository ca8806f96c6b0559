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

// guardPortfolio sells 100 orders a month over 2026 at 100, at 80 in
// November and December (a peak discount), with no fees: the CM1 ratio
// of a month is (price − U)/price, linear in the unit cost U, which the
// spec draws from Normal(60, 5).
const guardPortfolio = `{
  "currency": "USD", "start": "2026-01", "months": 12, "discount_rate": 0,
  "adjustments": [{"target": "shop/mugs/price", "op": "multiply", "value": 0.8, "from": 0, "to": 11, "calendar_months": [11, 12]}],
  "partnerships": [{"id": "shop", "channel": "own", "categories": [
    {"id": "mugs", "orders": 100, "price": 100, "units_per_order": 1, "unit_cost": 60}]}]
}`

func guardSetup(t *testing.T) (*costmodel.Portfolio, *Spec) {
	t.Helper()
	p, err := costmodel.Load(strings.NewReader(guardPortfolio))
	if err != nil {
		t.Fatal(err)
	}
	spec := &Spec{Inputs: []Input{{Op: costmodel.SetTo, Target: "shop/mugs/unit_cost", Dist: DistSpec{Type: "normal", Mean: f64(60), SD: f64(5)}}}}
	return p, spec
}

// TestGuardrailPBreachClosedForm holds P(breach) to Φ: with U ~ N(60, 5)
// and a CM1-ratio floor of 30 %, a month at price P breaches when
// U > 0.7·P, so P(breach) = 1 − Φ((0.7·P − 60)/5): 1 − Φ(2) in an
// ordinary month, 1 − Φ(−0.8) in a peak month (and in each year's peak);
// over the year (116,000 − 1,200·U)/116,000 < 0.3 when U > 67.667. The
// breaches are nested in U, so P(at least one breach) is the largest,
// the peak's. Given a peak breach the shortfall is (U − 56)/80, whose
// mean over U > 56 is (4 + 5·λ)/80, λ = φ(−0.8)/(1 − Φ(−0.8)), the mean
// of a truncated normal. Each estimate is checked within 4 standard
// errors (binomial; Latin Hypercube sampling only narrows them).
func TestGuardrailPBreachClosedForm(t *testing.T) {
	t.Parallel()
	p, spec := guardSetup(t)
	floor := decimal.RequireFromString("0.30")
	rules := scenario.Guardrails{
		{Name: "monthly", Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachMonth()},
		{Name: "peak", Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachPeak()},
		{Name: "year", Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachYear()},
	}
	// An alternative on the same draws: every price 5 % lower, so
	// ordinary months breach at U > 66.5 and peak months at U > 53.2.
	cut, err := scenario.CutPrices(p, "*/*", decimal.RequireFromString("0.05"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 20000
	r, err := RunScenarios(context.Background(), p, spec, Options{Trials: n, Seed: 7, Outputs: []scenario.Output{}, Guardrails: rules},
		Alternative{Name: "cut", Portfolio: cut})
	if err != nil {
		t.Fatal(err)
	}
	Phi := distuv.UnitNormal.CDF
	above := func(x float64) float64 { return 1 - Phi((x-60)/5) }
	check := func(what string, got, want float64) {
		t.Helper()
		se := math.Sqrt(want * (1 - want) / n)
		if math.Abs(got-want) > 4*se+1e-12 {
			t.Errorf("%s: P(breach) %.5f, want %.5f ± %.5f (4 SE)", what, got, want, 4*se)
		}
	}
	m, _ := r.Guardrail("base", "monthly")
	if m == nil || len(m.Windows) != 12 {
		t.Fatalf("monthly rule: %+v", m)
	}
	for i, w := range m.Windows {
		want := above(70)
		if i >= 10 {
			want = above(56)
		}
		check("base "+w.Window.String(), w.PBreach, want)
	}
	check("base monthly, any", m.PBreach, above(56))
	if m.MostBreached != 10 {
		t.Errorf("most breached window %d, want 10 (November)", m.MostBreached)
	}
	pk, _ := r.Guardrail("base", "peak")
	if pk == nil || len(pk.Windows) != 1 {
		t.Fatalf("peak rule: %+v", pk)
	}
	check("base peak 2026", pk.Windows[0].PBreach, above(56))
	lambda := distuv.UnitNormal.Prob(-0.8) / (1 - Phi(-0.8))
	wantSF := (4 + 5*lambda) / 80
	sdSF := 5 * math.Sqrt(1+(-0.8)*lambda-lambda*lambda) / 80
	if se := sdSF / math.Sqrt(n*above(56)); math.Abs(pk.Shortfall-wantSF) > 4*se {
		t.Errorf("peak shortfall given a breach %.6f, want %.6f ± %.6f", pk.Shortfall, wantSF, 4*se)
	}
	yr, _ := r.Guardrail("base", "year")
	check("base year", yr.PBreach, above((116000-34800)/1200.0))
	mc, _ := r.Guardrail("cut", "monthly")
	if mc == nil {
		t.Fatal("no result for the alternative")
	}
	check("cut 2026-01", mc.Windows[0].PBreach, above(66.5))
	check("cut, any", mc.PBreach, above(53.2))
	// Common random numbers: a trial that breaches at full price breaches
	// after the cut, so the cut's P(breach) is never lower.
	for i := range m.Windows {
		if mc.Windows[i].Breached < m.Windows[i].Breached {
			t.Errorf("window %d: %d breaches after the cut, %d before: not the same draws", i, mc.Windows[i].Breached, m.Windows[i].Breached)
		}
	}
}

// TestGuardrailDeterministicAcrossWorkers checks that the counts do not
// depend on the number of workers.
func TestGuardrailDeterministicAcrossWorkers(t *testing.T) {
	t.Parallel()
	p, spec := guardSetup(t)
	floor := decimal.RequireFromString("0.30")
	rules := scenario.Guardrails{{Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachRolling(3)}}
	var first []GuardrailResult
	for _, w := range []int{1, 2, 3} {
		r, err := Run(context.Background(), p, spec, Options{Trials: 5000, BlockSize: 700, Seed: 3, Workers: w, Guardrails: rules, Outputs: []scenario.Output{{Metric: scenario.CM1}}})
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r.Guardrails
			continue
		}
		for i := range first[0].Windows {
			if r.Guardrails[0].Windows[i] != first[0].Windows[i] {
				t.Errorf("workers %d: window %d %+v, want %+v", w, i, r.Guardrails[0].Windows[i], first[0].Windows[i])
			}
		}
		if r.Guardrails[0].Shortfall != first[0].Shortfall {
			t.Errorf("workers %d: shortfall differs", w)
		}
	}
}

// TestGuardrailBadRules reports bad rules at their paths before any work.
func TestGuardrailBadRules(t *testing.T) {
	t.Parallel()
	p, spec := guardSetup(t)
	floor := decimal.RequireFromString("0.30")
	_, err := Run(context.Background(), p, spec, Options{Trials: 100, Guardrails: scenario.Guardrails{
		{Metric: scenario.CM1Ratio, Min: &floor, Window: scenario.EachRolling(13)},
		{Scope: scenario.Category, Key: "cups", Metric: scenario.CM1Ratio, Min: &floor},
	}})
	if err == nil {
		t.Fatal("bad rules ran")
	}
	for _, w := range []string{"guardrails[0].window.span", "guardrails[1].key"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%v\nwant a problem at %s", err, w)
		}
	}
}
