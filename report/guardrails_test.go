package report

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// TestGuardrailsSheet writes the Guardrails sheet of a portfolio whose
// peak breaks a 10 % CM3-ratio floor in November and December (5 %) but
// not over the year (34.17 %), and reads the cells back: the rule in
// words, the worst window and its value, the breach count, P(breach)
// from the simulation, the severity formats, and the Summary's worst
// breach.
func TestGuardrailsSheet(t *testing.T) {
	t.Parallel()
	p, err := costmodel.Load(strings.NewReader(`{
	  "currency": "USD", "start": "2026-01", "months": 12, "discount_rate": 0,
	  "adjustments": [{"target": "shop/mugs/unit_cost", "op": "set", "value": 95, "from": 0, "to": 11, "calendar_months": [11, 12]}],
	  "partnerships": [{"id": "shop", "channel": "own", "categories": [
	    {"id": "mugs", "orders": 100, "price": 100, "units_per_order": 1, "unit_cost": 60}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	floor := decimal.RequireFromString("0.10")
	rules := scenario.Guardrails{
		{Name: "peak CM3 ≥ 10 %", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &floor, Window: scenario.EachPeak()},
		{Name: "yearly CM3 ≥ 10 %", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &floor, Window: scenario.EachYear()},
	}
	dear, err := scenario.CostShock(p, scenario.ShippingCost, decimal.RequireFromString("1.1"), "")
	if err != nil {
		// the portfolio has no shipping cost: a price cut instead
		dear = scenario.Scenario{Name: "cut", Shocks: []scenario.Shock{{Target: "*/*/price", Op: costmodel.Multiply, Value: decimal.RequireFromString("0.9")}}}
	}
	cmp, err := scenario.Compare(p, dear)
	if err != nil {
		t.Fatal(err)
	}
	checks, err := rules.CheckRulesComparison(cmp)
	if err != nil {
		t.Fatal(err)
	}
	spec := &montecarlo.Spec{Inputs: []montecarlo.Input{{Target: "shop/mugs/orders", Op: costmodel.Multiply,
		Dist: montecarlo.DistSpec{Type: "uniform", Min: ptr(0.9), Max: ptr(1.1)}}}}
	alt, err := dear.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := montecarlo.RunScenarios(context.Background(), p, spec, montecarlo.Options{Trials: 200, Seed: 1, Guardrails: rules,
		Outputs: []scenario.Output{{Metric: scenario.Contribution}}}, montecarlo.Alternative{Name: dear.Name, Portfolio: alt})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, Options{Portfolio: p, Comparison: cmp, Guardrails: checks, Simulation: sim}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetGuardrails, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	find := func(rule, scen, window string) []string {
		for _, r := range rows {
			if len(r) > 2 && r[0] == rule && r[1] == scen && (window == "" || r[2] == window) {
				return r
			}
		}
		t.Fatalf("no row %s / %s / %s in %v", rule, scen, window, rows)
		return nil
	}
	// The per-rule row: definition, worst window peak 2026 in mugs at 5 %,
	// limit 10 %, headroom −5 pp (a ratio's headroom in percentage
	// points), one breach, P(any breach) 100 % (orders do not move a ratio
	// without fees), a mean shortfall of 5 pp, most often breached the
	// peak.
	r := find("peak CM3 ≥ 10 %", "base", "")
	want := []string{"peak CM3 ≥ 10 %", "base", "every category's CM3 ratio ≥ 10% in each peak (11, 12)", "peak 2026 (11, 12)", "mugs", "0.05", "0.1", "-5", "1", "1", "0"}
	for i, w := range want {
		if i >= len(r) || r[i] != w {
			t.Errorf("rule row column %d: %q, want %q (row %q)", i+1, at(r, i), w, r)
		}
	}
	if sf, err := strconv.ParseFloat(at(r, 11), 64); err != nil || math.Abs(sf-5) > 1e-9 {
		t.Errorf("mean shortfall %q, want 5 (pp)", at(r, 11))
	}
	y := find("yearly CM3 ≥ 10 %", "base", "2026")
	// yearly: 41,000/120,000 = 0.3416666667, no breach, P(breach) 0.
	if at(y, 4) != "0.3416666667" || at(y, 7) != "0" || at(y, 8) != "0" {
		t.Errorf("yearly window row %q", y)
	}
	cf, err := f.GetConditionalFormats(SheetGuardrails)
	if err != nil || len(cf) < 4 {
		t.Errorf("conditional formats %v (%v), want severity on both tables", cf, err)
	}
	sum, err := f.GetRows(SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	named := false
	for _, r := range sum {
		if len(r) > 1 && strings.HasPrefix(r[0], "Worst guardrail breach") {
			named = strings.Contains(r[1], "peak 2026") && strings.Contains(r[1], "mugs")
		}
	}
	if !named {
		t.Error("the Summary does not name the worst breach (peak 2026, mugs)")
	}
}

func at(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}
