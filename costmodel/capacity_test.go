package costmodel

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// capacityPortfolio is one partnership over November, December and
// January with one or two categories of whole orders: the hand cases of
// the capacity lines.
func capacityPortfolio(orders ...string) *Portfolio {
	p := &Portfolio{Currency: "USD", Start: Month{Year: 2026, Month: 11}, Months: 3, DiscountRate: d("0.1")}
	ps := Partnership{ID: "m", Channel: "marketplace"}
	for i, o := range orders {
		ps.Categories = append(ps.Categories, Category{
			ID: []string{"toys", "games", "books"}[i], Orders: d(o), Price: d("20"), UnitsPerOrder: d("2"), UnitCost: d("5"),
			// November and December at plan, January at half.
			Seasonality: []decimal.Decimal{d("0.5"), d("1"), d("1"), d("1"), d("1"), d("1"), d("1"), d("1"), d("1"), d("1"), d("1"), d("1")},
		})
	}
	p.Partnerships = []Partnership{ps}
	return p
}

func own(t *testing.T, p *Portfolio, l Line) []string {
	t.Helper()
	st := evalT(t, p)
	var out []string
	for _, v := range st.Partnerships[0].Own.Series(l) {
		out = append(out, v.StringFixed(2))
	}
	return out
}

func wantSeries(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// 12,500 orders at 100 tickets per 1,000 orders are 1,250 tickets; 3
// agents at 300 tickets each take 900, so ⌈1250/300 − 3⌉ = ⌈1.1667⌉ = 2
// agents are hired: 2 × 500 + 2 × 2,000 = 5,000 in November; December
// keeps them (4,000); January's 625 tickets need none (0).
func TestSupportHiresByHand(t *testing.T) {
	t.Parallel()
	p := capacityPortfolio("12500")
	p.Partnerships[0].Support = &Support{TicketsPer1000Orders: d("100"), CostPerTicket: d("1")}
	p.Partnerships[0].Capacity = &Capacity{Support: &SupportCapacity{
		Agents: d("3"), TicketsPerAgent: d("300"), Mode: Hire, HireCost: d("500"), AgentMonthly: d("2000")}}
	wantSeries(t, "support over capacity", own(t, p, LineSupportOverflow), "5000.00", "4000.00", "0.00")
	// Exactly 1,200 tickets need 4 agents, not 5: one hire.
	p.Partnerships[0].Categories[0].Orders = d("12000")
	wantSeries(t, "support over capacity at 1,200 tickets", own(t, p, LineSupportOverflow), "2500.00", "2000.00", "0.00")
	// Overtime: 350 tickets over 900 at 2.50 = 875; January under capacity.
	p.Partnerships[0].Categories[0].Orders = d("12500")
	p.Partnerships[0].Capacity.Support = &SupportCapacity{Agents: d("3"), TicketsPerAgent: d("300"), Mode: Overtime, OvertimePerTicket: d("2.50")}
	wantSeries(t, "overtime", own(t, p, LineSupportOverflow), "875.00", "875.00", "0.00")
}

// A month back over capacity after a quiet month hires again.
func TestSupportRehires(t *testing.T) {
	t.Parallel()
	p := capacityPortfolio("12500")
	p.Start = Month{Year: 2026, Month: 12} // December, January (half), February
	p.Partnerships[0].Support = &Support{TicketsPer1000Orders: d("100"), CostPerTicket: d("1")}
	p.Partnerships[0].Capacity = &Capacity{Support: &SupportCapacity{
		Agents: d("3"), TicketsPerAgent: d("300"), Mode: Hire, HireCost: d("500"), AgentMonthly: d("2000")}}
	wantSeries(t, "support over capacity", own(t, p, LineSupportOverflow), "5000.00", "0.00", "5000.00")
}

// Two categories of 600 and 400 orders against a limit of 800 orders: 80 %
// get through (480 and 320), and 200 orders are lost with their GMV (20 ×
// 2 items × 200 = 8,000). January's 500 orders pass.
func TestAPIThrottleByHand(t *testing.T) {
	t.Parallel()
	p := capacityPortfolio("600", "400")
	free := evalT(t, p)
	p.Partnerships[0].Capacity = &Capacity{API: &APILimit{OrdersPerMonth: d("800"), Mode: Throttle}}
	st := evalT(t, p)
	for j, want := range []string{"480", "320"} {
		if got := st.Partnerships[0].Categories[j].Orders[0]; !got.Equal(d(want)) {
			t.Errorf("category %d November orders %s, want %s", j, got, want)
		}
		if got := st.Partnerships[0].Categories[j].Orders[2]; !got.Equal(free.Partnerships[0].Categories[j].Orders[2]) {
			t.Errorf("category %d January orders %s, want unthrottled %s", j, got, free.Partnerships[0].Categories[j].Orders[2])
		}
	}
	lost := free.Portfolio.Monthly[0][LineGMV].Sub(st.Portfolio.Monthly[0][LineGMV])
	if !lost.Equal(d("8000")) {
		t.Errorf("lost GMV %s, want 8000", lost)
	}
	// Premium: the same months pay the tier fee instead, every order kept.
	p.Partnerships[0].Capacity.API = &APILimit{OrdersPerMonth: d("800"), Mode: Premium, PremiumMonthly: d("250")}
	wantSeries(t, "API premium", own(t, p, LineAPIPremium), "250.00", "250.00", "0.00")
	if st := evalT(t, p); !st.Portfolio.Total[LineGMV].Equal(free.Portfolio.Total[LineGMV]) {
		t.Errorf("premium mode lost GMV: %s, want %s", st.Portfolio.Total[LineGMV], free.Portfolio.Total[LineGMV])
	}
}

// 1,000 orders of 2 items against 1,500 units: 500 overflow at 0.75 =
// 375; January's 1,000 units fit. Data: 1,000 orders × 5 GB / 1,000 + 10
// = 15 GB against 12 committed: the commitment's 100 every month and 3 GB
// × 2 = 6 of overage (January's 12.5 GB: 1).
func TestFulfilmentAndDataCommitmentByHand(t *testing.T) {
	t.Parallel()
	p := capacityPortfolio("1000")
	ps := &p.Partnerships[0]
	ps.DataTransfer = &DataTransfer{GBPer1000Orders: d("5"), FixedGB: d("10"), Pricing: VolumePricing{Bands: []Band{{Price: d("0.09")}}}}
	ps.Capacity = &Capacity{
		Fulfilment:   &FulfilmentCapacity{UnitsPerMonth: d("1500"), OverflowPremium: d("0.75")},
		DataTransfer: &DataTransferCommitment{CommittedGB: d("12"), Monthly: d("100"), OverageRate: d("2")},
	}
	wantSeries(t, "fulfilment overflow", own(t, p, LineFulfilmentOverflow), "375.00", "375.00", "0.00")
	wantSeries(t, "data transfer", own(t, p, LineDataTransfer), "100.00", "100.00", "100.00")
	wantSeries(t, "data transfer overage", own(t, p, LineDataTransferOverage), "6.00", "6.00", "1.00")
	st := evalT(t, p)
	if got, want := st.Portfolio.Total[LineContribution], st.Portfolio.Total[LineCM3].Sub(d("313")); !got.Equal(want) {
		t.Errorf("contribution %s, want CM3 − 300 − 13 = %s", got, want)
	}
	// CM2 carries the 750 of overflow: 3 months of 2,000 / 2,000 / 1,000
	// units at 20 less 5 of COGS per item = 75,000 of CM1.
	if got := st.Portfolio.Total[LineCM2]; !got.Equal(d("74250")) {
		t.Errorf("CM2 %s, want 75,000 − 750 = 74,250", got)
	}
}

func TestCapacityValidation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, capacity, path string
	}{
		{"zero units, no premium", `{"fulfilment": {"units_per_month": 0, "overflow_premium": 0}}`, "partnerships[0].capacity.fulfilment.overflow_premium"},
		{"negative capacity", `{"fulfilment": {"units_per_month": -5, "overflow_premium": 1}}`, "m/capacity/fulfilment/units_per_month"},
		{"missing premium", `{"fulfilment": {"units_per_month": 10}}`, "partnerships[0].capacity.fulfilment.overflow_premium"},
		{"no agents, nothing to hire with", `{"support": {"agents": 0, "tickets_per_agent": 300, "mode": "hire"}}`, "partnerships[0].capacity.support.agent_monthly"},
		{"support without tickets", `{"support": {"agents": 2, "tickets_per_agent": 300, "mode": "overtime", "overtime_per_ticket": 1}}`, "partnerships[0].capacity.support"},
		{"unknown mode", `{"api": {"orders_per_month": 100, "mode": "drop"}}`, "partnerships[0].capacity.api.mode"},
		{"zero API limit", `{"api": {"orders_per_month": 0, "mode": "throttle"}}`, "partnerships[0].capacity.api.orders_per_month"},
		{"premium without fee", `{"api": {"orders_per_month": 100, "mode": "premium"}}`, "partnerships[0].capacity.api.premium_monthly"},
		{"commitment without data transfer", `{"data_transfer": {"committed_gb": 0, "monthly": 10, "overage_rate": 0}}`, "partnerships[0].capacity.data_transfer.overage_rate"},
		{"zero agents per ticket", `{"support": {"agents": 1, "tickets_per_agent": 0, "mode": "overtime", "overtime_per_ticket": 1}}`, "m/capacity/support/tickets_per_agent"},
	}
	for _, c := range cases {
		js := `{"currency": "USD", "start": "2026-11", "months": 3, "discount_rate": 0.1, "partnerships": [{"id": "m", "channel": "x",
			"categories": [{"id": "toys", "orders": 10, "price": 5, "units_per_order": 1, "unit_cost": 1}], "capacity": ` + c.capacity + `}]}`
		_, err := Load(strings.NewReader(js))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: error %v, want a validation error", c.name, err)
			continue
		}
		found := false
		for _, fe := range ve.Problems {
			found = found || fe.Path == c.path
		}
		if !found {
			t.Errorf("%s: no problem at %s in %v", c.name, c.path, err)
		}
	}
}
