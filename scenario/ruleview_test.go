package scenario

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// The shop's maintenance of 400.00 a month, allocated wholly to its one
// category (mugs): the category's allocated contribution is its
// unallocated one less 400.00 in every month. A floor 200.00 below the
// worst unallocated month passes unallocated and breaks the allocated
// view in that month by 400 − 200 = 200.00.
func TestRuleOnAllocatedView(t *testing.T) {
	t.Parallel()
	p := small(t)
	for i := range p.Partnerships {
		if p.Partnerships[i].ID == "shop" {
			p.Partnerships[i].Maintenance = []costmodel.MaintenanceItem{{ID: "ops", Monthly: decimal.RequireFromString("400")}}
		}
	}
	p.Allocation = []costmodel.AllocationRule{{Line: "maintenance", Partnership: "shop", Basis: costmodel.ByFixedShares,
		Shares: map[string]decimal.Decimal{"mugs": decimal.NewFromInt(1)}}}
	st := eval(t, p)
	worst, worstAt := decimal.Decimal{}, -1
	for m := range st.Months {
		v, err := Output{Scope: Category, Key: "mugs", Metric: Contribution, Window: costmodel.Window{Kind: costmodel.WindowMonth, Month: st.Start.Add(m)}}.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		if worstAt < 0 || v.Amount.LessThan(worst) {
			worst, worstAt = v.Amount, m
		}
	}
	floor := worst.Sub(decimal.NewFromInt(200))
	rule := Rule{Scope: Category, Key: "mugs", Metric: Contribution, Min: &floor, Window: EachMonth()}
	bs, err := Guardrails{rule}.Check("base", st)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 0 {
		t.Fatalf("unallocated: %d breaches, want none: %v", len(bs), bs)
	}
	rule.View = costmodel.Allocated
	if d := rule.Definition(); !strings.Contains(d, "allocated") {
		t.Errorf("definition %q does not say the view", d)
	}
	bs, err = Guardrails{rule}.Check("base", st)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range bs {
		if b.Window.Month == st.Start.Add(worstAt) {
			found = true
			if !b.Exceed.Equal(decimal.NewFromInt(200)) {
				t.Errorf("allocated breach in month %d by %s, want 200", worstAt, b.Exceed)
			}
		}
	}
	if !found {
		t.Fatalf("allocated: no breach in month %d: %v", worstAt, bs)
	}
	// The allocated view without allocation rules, and an unknown view.
	p.Allocation = nil
	st = eval(t, p)
	bad := Guardrails{rule, {Metric: Contribution, Min: &floor, View: "loaded"}}
	err = bad.Validate(st)
	for _, want := range []string{"guardrails[0].view", "guardrails[1].view"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
	if err := bad.ValidateFor(p); err == nil || !strings.Contains(err.Error(), "guardrails[0].view") {
		t.Errorf("ValidateFor: %v, want guardrails[0].view", err)
	}
}
