package report

import (
	"math"
	"strconv"
	"testing"

	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// TestScenarioSpecs checks the Scenarios sheet's list of shocks against
// the scenarios compared (each shock's target, operation and value, in
// order) and its guardrails against the rules checked, in words.
func TestScenarioSpecs(t *testing.T) {
	t.Parallel()
	opt := larkspurOptions(t)
	min := decimal.RequireFromString("0.2")
	rules := scenario.Guardrails{{Name: "contribution ratio ≥ 20 %", Scope: scenario.Partnership, Key: "*", Metric: scenario.ContributionRatio, Min: &min}}
	checks, err := rules.CheckRulesComparison(opt.Comparison)
	if err != nil {
		t.Fatal(err)
	}
	opt.Guardrails = checks
	f := openBook(t, writeBook(t, opt))
	rows, err := f.GetRows(SheetScenarios, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	at := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	c := scSide - 1
	start := -1
	for i, r := range rows {
		if at(r, c) == "Target (address or pattern)" || at(r, c+1) == "Target (address or pattern)" {
			start = i + 1
		}
	}
	if start < 0 {
		t.Fatal("no shocks table on the Scenarios sheet")
	}
	i := start
	for _, s := range opt.Comparison.Scenarios {
		for k, sh := range s.Shocks {
			r := rows[i]
			v, _ := strconv.ParseFloat(at(r, c+3), 64)
			if at(r, c) != s.Name || at(r, c+1) != sh.Target || at(r, c+2) != shockOp(sh) || math.Abs(v-sh.Value.InexactFloat64()) > 1e-14*math.Abs(v) /* cells hold 15 digits */ {
				t.Errorf("%s shock %d: row %q, want %s %s %s", s.Name, k, r[c:], sh.Target, sh.Op, sh.Value)
			}
			i++
		}
	}
	found := false
	for _, r := range rows[i:] {
		if at(r, c) == "contribution ratio ≥ 20 %" {
			found = true
			if want := "every partnership's contribution margin ≥ 20% over the horizon"; at(r, c+1) != want {
				t.Errorf("rule in words %q, want %q", at(r, c+1), want)
			}
		}
	}
	if !found {
		t.Error("the guardrail is not listed under the shocks")
	}
}
