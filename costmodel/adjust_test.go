package costmodel

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAdjustmentsByMonth(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	p.Adjustments = []Adjustment{
		{Target: "market/mugs/orders", Op: Multiply, Value: d("2"), From: 1, To: 1},                                         // December only
		{Target: "*/mugs/unit_cost", Op: Add, Value: d("1"), From: 0, To: 2, CalendarMonths: []time.Month{time.January}},    // January only
		{Target: "market/mugs/orders", Op: SetTo, Value: d("10"), From: 0, To: 2, CalendarMonths: []time.Month{time.March}}, // never in range
	}
	st := evalT(t, p)
	checkFooting(t, "adjusted small", st)
	m, _ := st.Partnership("market")
	mugs := m.Categories[0]
	// November as before; December doubled: 240 orders × $25; January
	// COGS 100 × 0.9 × $9.
	for _, c := range []struct {
		month int
		line  Line
		want  string
	}{{0, LineGMV, "3750"}, {1, LineGMV, "6000"}, {2, LineGMV, "2500"}, {2, LineCOGS, "810"}, {1, LineCOGS, "1728"}} {
		if got := mugs.Monthly[c.month][c.line]; !got.Equal(d(c.want)) {
			t.Errorf("month %d %s = %s, want %s", c.month, c.line, got, c.want)
		}
	}
	shop, _ := st.Partnership("shop")
	if got := shop.Categories[0].Monthly[2][LineCOGS]; !got.Equal(d("350")) { // 50 × ($6 + $1) in January
		t.Errorf("shop January COGS = %s, want 350", got)
	}
	// The drivers themselves are untouched: adjustments act at evaluation.
	if v, _ := p.Driver("market/mugs/orders"); !v.Value.Equal(d("100")) {
		t.Errorf("driver changed to %s", v.Value)
	}
}

func TestAdjustmentErrors(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	p.Adjustments = []Adjustment{
		{Target: "nobody/*/orders", Op: Multiply, Value: d("2"), From: 0, To: 1},
		{Target: "market/mugs/orders", Op: "double", Value: d("2"), From: 0, To: 1},
		{Target: "market/mugs/orders", Op: Multiply, Value: d("2"), From: 2, To: 5},
		{Target: "market/mugs/orders", Op: Multiply, Value: d("2"), From: 0, To: 1, CalendarMonths: []time.Month{13}},
	}
	err := p.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	want := map[string]bool{"adjustments[0].target": false, "adjustments[1].op": false, "adjustments[2]": false, "adjustments[3].calendar_months": false}
	for _, pr := range ve.Problems {
		if _, ok := want[pr.Path]; ok {
			want[pr.Path] = true
		}
	}
	for path, seen := range want {
		if !seen {
			t.Errorf("no problem at %s in %v", path, err)
		}
	}
	for _, target := range []string{"portfolio/discount_rate", "*/mugs/growth", "market/setup/listing/amount"} {
		p.Adjustments = []Adjustment{{Target: target, Op: Add, Value: d("0.01"), From: 0, To: 0}}
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "shock it without a month range") {
			t.Errorf("a month-limited %s: %v", target, err)
		}
	}
	// The rules that tie drivers together hold in every month: price-mix
	// shares must still sum to 1 in the adjusted months.
	p.Adjustments = []Adjustment{{Target: "shop/mugs/price_mix/*/share", Op: SetTo, Value: d("0.9"), From: 0, To: 0}}
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "price_mix") {
		t.Errorf("shares of 1.8 in November: %v", err)
	}
	// Adjustment problems are reported together with the others.
	p.Adjustments = []Adjustment{{Target: "nobody/x", Op: Add, Value: d("1"), From: 0, To: 0}}
	p.Partnerships[0].Categories[0].Orders = d("-1")
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "adjustments[0].target") || !strings.Contains(err.Error(), "market/mugs/orders") {
		t.Errorf("not all at once: %v", err)
	}
	p = loadTestdata(t, "small.json")
	// A value that leaves its range in some month only is caught too.
	p.Adjustments = []Adjustment{{Target: "market/mugs/return_rate", Op: Add, Value: d("0.95"), From: 1, To: 1}}
	if err := p.Validate(); err == nil {
		t.Error("return rate of 1.05 in December accepted")
	}
}

// WholeHorizonOnly reads the address's segments: the set-up amounts are
// "<partnership>/setup/<item>/amount", growth is "<partnership>/<category>/growth";
// a maintenance item or a category that happens to be named "setup" or
// "growth" may vary by month.
func TestWholeHorizonOnlyParts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		address string
		refused bool
	}{
		{"portfolio/discount_rate", true},
		{"shop/mugs/growth", true},
		{"shop/setup/growth", true}, // the growth of a category named setup
		{"market/setup/listing/amount", true},
		{"market/setup/growth/amount", true}, // a set-up item named growth
		{"shop/maintenance/setup/monthly", false},
		{"shop/maintenance/setup/hours", false},
		{"shop/maintenance/growth/monthly", false},
		{"shop/setup/orders", false}, // a category named setup
		{"shop/setup/seasonality/nov", false},
		{"shop/growth/orders", false}, // a category named growth
		{"shop/growth/commission/rate", false},
		{"growth/mugs/orders", false},
		{"setup/mugs/orders", false},
		{"shop/mugs/orders", false},
		{"", false},
	} {
		if got := WholeHorizonOnly(tt.address) != ""; got != tt.refused {
			t.Errorf("WholeHorizonOnly(%q) refuses: %v, want %v", tt.address, got, tt.refused)
		}
	}
	// End to end: a maintenance item named "setup" takes a month-limited
	// adjustment.
	p := loadTestdata(t, "small.json")
	k := slices.IndexFunc(p.Partnerships, func(ps Partnership) bool { return len(ps.Maintenance) > 0 })
	ps := &p.Partnerships[k]
	ps.Maintenance = append(ps.Maintenance, MaintenanceItem{ID: "setup", Monthly: d("90")})
	target := ps.ID + "/maintenance/setup/monthly"
	p.Adjustments = []Adjustment{{Target: target, Op: Multiply, Value: d("2"), From: 0, To: 0}}
	if err := p.Validate(); err != nil {
		t.Errorf("a month-limited %s: %v", target, err)
	}
}
