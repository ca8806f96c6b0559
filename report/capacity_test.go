package report

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// withCapacity is small.json with every kind of capacity exceeded in
// some month (November's peak) and allocation rules: the workbook's
// formulas of the capacity lines (a whole-agent step, a throttle, a
// premium tier, a commitment) against the exact statement.
func withCapacity(t testing.TB) *costmodel.Portfolio {
	t.Helper()
	d := decimal.RequireFromString
	p := loadPortfolio(t, "small.json")
	m, s := &p.Partnerships[0], &p.Partnerships[1]
	plates := m.Categories[0]
	plates.ID, plates.Name, plates.Orders = "plates", "Plates", d("40")
	m.Categories = append(m.Categories, plates)
	m.Support = &costmodel.Support{TicketsPer1000Orders: d("20"), CostPerTicket: d("4"), StaffMonthly: d("30")}
	m.DataTransfer = &costmodel.DataTransfer{GBPer1000Orders: d("100"), FixedGB: d("1"), Pricing: costmodel.VolumePricing{Bands: []costmodel.Band{{Price: d("0.09")}}}}
	m.Maintenance = []costmodel.MaintenanceItem{{ID: "eng", Monthly: d("100.01")}}
	m.Capacity = &costmodel.Capacity{
		// 210 units in November (150 + 60), 168 in December, 140 in January.
		Fulfilment: &costmodel.FulfilmentCapacity{UnitsPerMonth: d("160"), OverflowPremium: d("0.55")},
		// 4.2, 3.36, 2.8 tickets: 1 agent of 2.5 needs 1 more in
		// November and December.
		Support:      &costmodel.SupportCapacity{Agents: d("1"), TicketsPerAgent: d("2.5"), Mode: costmodel.Hire, HireCost: d("75"), AgentMonthly: d("120")},
		API:          &costmodel.APILimit{OrdersPerMonth: d("180"), Mode: costmodel.Premium, PremiumMonthly: d("49.99")},
		DataTransfer: &costmodel.DataTransferCommitment{CommittedGB: d("18"), Monthly: d("5"), OverageRate: d("0.2")},
	}
	// 75 orders in November, 60 in December: November is throttled.
	s.Capacity = &costmodel.Capacity{API: &costmodel.APILimit{OrdersPerMonth: d("64"), Mode: costmodel.Throttle}}
	p.Allocation = []costmodel.AllocationRule{
		{Partnership: "market", Line: "maintenance", Basis: costmodel.ByFixedShares, Shares: map[string]decimal.Decimal{"mugs": d("0.7"), "plates": d("0.3")}},
		{Line: "*", Basis: costmodel.ByActivity},
		{Line: "*", Basis: costmodel.ByGMV},
	}
	return p
}

func TestCapacityWorkbookParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	p := withCapacity(t)
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []costmodel.Line{costmodel.LineFulfilmentOverflow, costmodel.LineSupportOverflow, costmodel.LineAPIPremium, costmodel.LineDataTransferOverage} {
		if st.Portfolio.Total[l].IsZero() {
			t.Fatalf("%s is zero: the test assumes every capacity is exceeded", l)
		}
	}
	pkg := writeBook(t, Options{Portfolio: p, Statement: st})
	checkParity(t, pkg)
	checkNoConstants(t, openBook(t, pkg), "capacity")
	cells, err := cachedFormulaCells(pkg)
	if err != nil {
		t.Fatal(err)
	}
	steps, allocated, live := 0, 0, 0
	for _, c := range cells {
		if strings.Contains(c.Formula, "ROUNDUP(") {
			steps++
		}
		if c.Sheet == SheetAllocated {
			allocated++
			if strings.Contains(c.Formula, "'Statement'!") {
				live++
			}
		}
	}
	if allocated == 0 || live == 0 {
		t.Errorf("Allocated sheet: %d formula cells, %d reading the Statement", allocated, live)
	}
	if steps == 0 {
		t.Error("no formula steps agents up (ROUNDUP): the hires are not live")
	}
}
