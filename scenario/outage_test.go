package scenario

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// TestPartnerOutageShocksDowntime: on a partnership with outage terms the
// ready-made outage is a shock on its downtime driver in the month, and
// the statement's outage lines price it. One day down in January (24 of
// 744 hours, uptime 96.77 %, the 25 % band), by hand:
//
//	credit       = 25 % × 20,000 = 5,000
//	lost GMV     = 50,000 × 24/744 × (1 − 0.4) × (1 − 0.7) = 290.322… → 290.32
//	lost contrib = 290.32 × 29,000/50,000 = 168.3856 → 168.39
//	fallback     = 24 × 300 + 1,500 = 8,700
//
// and the orders are not cut (the lost GMV line is the loss); February
// keeps the plan's 1.6 hours.
func TestPartnerOutageShocksDowntime(t *testing.T) {
	t.Parallel()
	p, err := costmodel.Load(strings.NewReader(`{"currency": "USD", "start": "2026-01", "months": 2, "discount_rate": 0.1,
 "partnerships": [{"id": "amazon-us", "channel": "marketplace",
  "maintenance": [{"id": "ops", "monthly": 1000}],
  "categories": [{"id": "toys", "orders": 1000, "price": 50, "units_per_order": 1, "unit_cost": 20}],
  "outage": {"downtime_hours": "1.6", "uptime_commitment": "0.999", "monthly_fee": "20000", "direction": "earned",
   "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"}, {"from": "0.95", "to": "0.99", "share": "0.25"},
               {"from": "0", "to": "0.95", "share": "1"}],
   "recovery": "0.4",
   "contingency": {"fallback_share": "0.7", "cost_per_hour": "300", "standby_monthly": "1500"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := PartnerOutage(p, PartnerOutageOptions{Partnership: "amazon-us", Month: 0, Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Shocks) != 1 || s.Shocks[0].Target != "amazon-us/outage/downtime_hours" || !s.Shocks[0].Value.Equal(decimal.NewFromInt(24)) {
		t.Fatalf("shocks %+v, want the downtime set to 24 hours", s.Shocks)
	}
	q, err := s.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(q)
	if err != nil {
		t.Fatal(err)
	}
	jan, feb := st.Partnerships[0].Total.Monthly[0], st.Partnerships[0].Total.Monthly[1]
	for _, c := range []struct {
		l    costmodel.Line
		want string
	}{
		{costmodel.LineGMV, "50000"}, {costmodel.LineOutageCredit, "5000"}, {costmodel.LineOutageLostGMV, "290.32"},
		{costmodel.LineOutageLostContribution, "168.39"}, {costmodel.LineOutageFallback, "8700"},
		{costmodel.LineContribution, "25131.61"},
	} {
		if !jan[c.l].Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("January %s = %s, want %s", c.l, jan[c.l], c.want)
		}
	}
	// February: 1.6 of 672 hours, uptime 99.76 %, the 10 % band: 2,000;
	// the standby and 1.6 × 300 of fallback.
	if !feb[costmodel.LineOutageCredit].Equal(decimal.NewFromInt(2000)) || !feb[costmodel.LineOutageFallback].Equal(decimal.NewFromInt(1980)) {
		t.Errorf("February credit %s, fallback %s, want 2000 and 1980", feb[costmodel.LineOutageCredit], feb[costmodel.LineOutageFallback])
	}
}
