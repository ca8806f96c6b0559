package scenario

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// peakPortfolio is one category over 2026: 100 orders a month at 100,
// unit cost 60, except in November and December, when the unit cost is
// 95. No fees. By hand: the CM3 ratio (= CM1 ratio, no other cost) is
// 40 % in every month but the peak, 5 % in November and December; over
// the year (10·4,000 + 2·500)/120,000 = 41,000/120,000 = 34.17 %; over Q4
// (4,000 + 500 + 500)/30,000 = 16.67 %; over the two months to December
// 1,000/20,000 = 5 %, to November 4,500/20,000 = 22.5 %.
const peakPortfolio = `{
  "currency": "USD", "start": "2026-01", "months": 12, "discount_rate": 0,
  "adjustments": [{"target": "shop/mugs/unit_cost", "op": "set", "value": 95, "from": 0, "to": 11, "calendar_months": [11, 12]}],
  "partnerships": [{"id": "shop", "channel": "own", "categories": [
    {"id": "mugs", "orders": 100, "price": 100, "units_per_order": 1, "unit_cost": 60}]}]
}`

func loadPeak(t *testing.T) (*costmodel.Portfolio, *costmodel.Statement) {
	t.Helper()
	p, err := costmodel.Load(strings.NewReader(peakPortfolio))
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, st
}

func TestGuardrailWindowsByHand(t *testing.T) {
	t.Parallel()
	_, st := loadPeak(t)
	floor := decimal.RequireFromString("0.10")
	d := decimal.RequireFromString
	m := func(mo int) costmodel.Month { return costmodel.Month{Year: 2026, Month: timeMonth(mo)} }
	type breach struct {
		window string
		value  string
		exceed string
	}
	for _, c := range []struct {
		name     string
		win      RuleWindow
		windows  int
		worst    string // the worst window's value
		breaches []breach
	}{
		{"horizon", RuleWindow{}, 1, "0.3416666667", nil},
		{"each year", EachYear(), 1, "0.3416666667", nil},
		{"each quarter", EachQuarter(), 4, "0.1666666667", nil},
		{"each month", EachMonth(), 12, "0.05", []breach{{"2026-11", "0.05", "0.05"}, {"2026-12", "0.05", "0.05"}}},
		{"each peak", EachPeak(), 1, "0.05", []breach{{"peak 2026 (11, 12)", "0.05", "0.05"}}},
		{"each rolling 2", EachRolling(2), 11, "0.05", []breach{{"2 months to 2026-12", "0.05", "0.05"}}},
		{"one month", Over(Window{Kind: costmodel.WindowMonth, Month: m(11)}), 1, "0.05", []breach{{"2026-11", "0.05", "0.05"}}},
	} {
		r := Rule{Name: c.name, Scope: Category, Key: "*", Metric: CM3Ratio, Min: &floor, Window: c.win}
		rcs, err := Guardrails{r}.CheckRules("base", st)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rc := rcs[0]
		if len(rc.Windows) != c.windows {
			t.Errorf("%s: %d windows, want %d", c.name, len(rc.Windows), c.windows)
			continue
		}
		if rc.Worst < 0 || !rc.Windows[rc.Worst].Value.Amount.Round(10).Equal(d(c.worst)) {
			t.Errorf("%s: worst window %+v, want value %s", c.name, rc.Windows[max(rc.Worst, 0)], c.worst)
		}
		if len(rc.Breaches) != len(c.breaches) {
			t.Errorf("%s: %d breaches %v, want %d", c.name, len(rc.Breaches), rc.Breaches, len(c.breaches))
			continue
		}
		for i, b := range rc.Breaches {
			w := c.breaches[i]
			if b.Window.String() != w.window || !b.Value.Amount.Equal(d(w.value)) || !b.Exceed.Equal(d(w.exceed)) || !b.Limit.Equal(floor) || b.Key != "mugs" {
				t.Errorf("%s: breach %d is %s in %s by %s, want %s in %s by %s", c.name, i, b.Value, b.Window, b.Exceed, w.value, w.window, w.exceed)
			}
		}
	}
	// A maximum: fixed costs of the peak are read the same way; the
	// unit cost share (COGS / net sales is 1 − CM1 ratio) as a ceiling.
	ceiling := d("9000")
	rcs, err := Guardrails{{Scope: Portfolio, Metric: CM1, Max: &ceiling, Window: EachQuarter()}}.CheckRules("base", st)
	if err != nil {
		t.Fatal(err)
	}
	// CM1 by quarter: 12,000, 12,000, 12,000, 5,000: three above 9,000 by 3,000.
	if got := len(rcs[0].Breaches); got != 3 || !rcs[0].Breaches[0].Exceed.Equal(d("3000")) {
		t.Errorf("CM1 ≤ 9,000 each quarter: %v, want three breaches by 3,000", rcs[0].Breaches)
	}
	if w := rcs[0].Windows[rcs[0].Worst]; w.Window.Quarter != 1 || !w.Headroom.Equal(d("-3000")) {
		t.Errorf("worst quarter %+v, want Q1 with headroom -3,000", w)
	}
}

func timeMonth(m int) time.Month { return time.Month(m) }

func TestGuardrailWindowErrors(t *testing.T) {
	t.Parallel()
	p, st := loadPeak(t)
	_ = p
	floor := decimal.RequireFromString("0.1")
	for _, c := range []struct {
		name string
		rule Rule
		want []string
	}{
		{"rolling span 0", Rule{Metric: CM3Ratio, Min: &floor, Window: EachRolling(0)}, []string{"guardrails[0].window.span: got 0, expected a rolling span of 1 to 12"}},
		{"rolling span too long", Rule{Metric: CM3Ratio, Min: &floor, Window: EachRolling(13)}, []string{"guardrails[0].window.span: got 13"}},
		{"empty calendar", Rule{Metric: CM3Ratio, Min: &floor, Window: RuleWindow{Each: costmodel.WindowCalendar}}, []string{"guardrails[0].window.calendar: expected at least one calendar month"}},
		{"window outside the horizon", Rule{Metric: CM3Ratio, Min: &floor, Window: Over(Window{Kind: costmodel.WindowYear, Year: 2030})}, []string{"guardrails[0].window", "a window holding at least one month of the horizon 2026-01 to 2026-12"}},
		{"unknown each", Rule{Metric: CM3Ratio, Min: &floor, Window: RuleWindow{Each: "fortnight"}}, []string{`guardrails[0].window.each: got "fortnight"`}},
		{"stray field", Rule{Metric: CM3Ratio, Min: &floor, Window: RuleWindow{Each: costmodel.WindowMonth, Window: Window{Span: 3}}}, []string{"guardrails[0].window.span"}},
		{"unknown metric and scope", Rule{Scope: "region", Metric: "margin", Min: &floor}, []string{`guardrails[0].metric: got "margin"`, `guardrails[0].scope: got "region"`}},
		{"payback over months", Rule{Scope: Partnership, Key: "*", Metric: PaybackMonth, Max: &floor, Window: EachMonth()}, []string{"guardrails[0].window: got each month, expected the horizon for payback_month"}},
		{"no limit", Rule{Metric: CM3}, []string{"guardrails[0]: expected a min or a max"}},
	} {
		err := Guardrails{c.rule}.Validate(st)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(err, costmodel.ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v\nwant %q", c.name, err, w)
			}
		}
	}
}

// TestLoadGuardrails reads rules with windows from a scenarios file, a
// rule without a window (the file format before windows) among them,
// and reports every bad rule at once at its path.
func TestLoadGuardrails(t *testing.T) {
	t.Parallel()
	p, st := loadPeak(t)
	good := `{"scenarios": [{"name": "dear", "shocks": [{"target": "*/*/unit_cost", "op": "multiply", "value": 1.1}]}],
	  "guardrails": [
	    {"name": "CM3 ratio ≥ 10 % in each peak", "scope": "category", "key": "*", "metric": "cm3_ratio", "min": 0.10,
	     "window": {"each": "calendar", "name": "peak", "calendar": [11, 12]}},
	    {"scope": "partnership", "key": "shop", "metric": "contribution", "min": 0},
	    {"scope": "channel_category", "key": "*", "metric": "cm1", "min": 3000, "window": {"each": "month"}}]}`
	ss, g, err := LoadWithGuardrails(strings.NewReader(good), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || len(g) != 3 || g[0].Window.Each != costmodel.WindowCalendar || !g[1].Window.IsHorizon() || g[1].Window.Each != "" {
		t.Fatalf("loaded %v %+v", ss, g)
	}
	bs, err := g.Check("base", st)
	if err != nil {
		t.Fatal(err)
	}
	// The peak rule breaks once (5 %), and CM1 ≥ 3,000 breaks in
	// November and December (500 each) in the cell own/mugs.
	if len(bs) != 3 || bs[1].Key != "own/mugs" || bs[1].Window.String() != "2026-11" || !bs[1].Exceed.Equal(decimal.NewFromInt(2500)) {
		t.Errorf("breaches %v", bs)
	}
	bad := `{"scenarios": [{"name": "dear", "shocks": [{"target": "*/*/unit_cost", "op": "multiply", "value": 1.1}]}],
	  "guardrails": [
	    {"metric": "cm3_ratio", "min": 0.1, "window": {"each": "rolling", "span": 0}},
	    {"metric": "cm3_ratio", "min": 0.1, "window": {"each": "calendar", "calendar": []}},
	    {"metric": "cm3_ratio", "min": 0.1, "window": {"kind": "quarter", "year": 2031, "quarter": 1}},
	    {"scope": "category", "key": "cups", "metric": "cm3_ratio", "min": 0.1}]}`
	_, _, err = LoadWithGuardrails(strings.NewReader(bad), p)
	if err == nil {
		t.Fatal("bad guardrails loaded")
	}
	for _, w := range []string{"guardrails[0].window.span", "guardrails[1].window.calendar", "guardrails[2].window", "guardrails[3].key"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%v\nwant a problem at %s", err, w)
		}
	}
}
