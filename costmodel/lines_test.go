package costmodel

import (
	"testing"
)

// Volume tiers, the minimum guarantee, amortisation and the integration's
// running costs on testdata/small.json's market (150, 120, 100 orders of
// one $20 mug with $5 shipping: fee base $25 per order), by hand.
func TestVolumeTiersByHand(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		comm  *Commission
		wants [3]string // commission by month
	}{
		{"orders, all-units: 15 % above 120 orders", &Commission{
			Tiers: []Tier{{UpTo: dp("120"), Rate: d("0.10")}, {Rate: d("0.15")}}, TierMode: AllUnits, TierBasis: MonthlyOrders,
		}, [3]string{"562.50", "300", "250"}},
		// November: 120 orders at 10 % and 30 at 15 % → 0.11 × 3,750.
		{"orders, marginal", &Commission{
			Tiers: []Tier{{UpTo: dp("120"), Rate: d("0.10")}, {Rate: d("0.15")}}, TierMode: Marginal, TierBasis: MonthlyOrders,
		}, [3]string{"412.50", "300", "250"}},
		// November: 10 % of the first $3,000 of fee base and 15 % of $750.
		{"GMV, marginal", &Commission{
			Tiers: []Tier{{UpTo: dp("3000"), Rate: d("0.10")}, {Rate: d("0.15")}}, TierMode: Marginal, TierBasis: MonthlyGMV,
		}, [3]string{"412.50", "300", "250"}},
	}
	for _, c := range cases {
		p := loadTestdata(t, "small.json")
		c.comm.IncludeShipping = true
		p.Partnerships[0].Commission = c.comm
		st := evalT(t, p)
		m, _ := st.Partnership("market")
		for month, w := range c.wants {
			if got := m.Categories[0].Monthly[month][LineCommission]; !got.Equal(d(w)) {
				t.Errorf("%s: month %d commission %s, want %s", c.name, month, got, w)
			}
		}
		checkFooting(t, c.name, st)
	}
}

func TestPartnershipLevelLinesByHand(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	m := &p.Partnerships[0]
	m.MinimumCommission = d("600")
	m.Setup = []SetupItem{{ID: "build", Amount: d("1000"), Month: 0, AmortMonths: 3}}
	m.DataTransfer = &DataTransfer{GBPer1000Orders: d("2"), FixedGB: d("100"), Pricing: VolumePricing{
		Allowance: d("50"), Bands: []Band{{UpTo: dp("1000"), Price: d("0.09")}, {Price: d("0.05")}}}}
	m.API = &APICalls{CallsPerOrder: d("10"), FixedCalls: d("1000000"), Pricing: VolumePricing{Bands: []Band{{Price: d("3.50")}}}}
	m.Support = &Support{TicketsPer1000Orders: d("20"), CostPerTicket: d("5"), StaffMonthly: d("200")}
	m.Maintenance = []MaintenanceItem{{ID: "eng", Hours: d("10"), HourlyRate: d("95"), Monthly: d("49.99")}}
	st := evalT(t, p)
	checkFooting(t, "partnership lines", st)
	ps, _ := st.Partnership("market")
	nov := ps.Own.Monthly[0]
	want := map[Line]string{
		LineCommissionTrueUp: "82.50",    // 600 − (562.50 − 45)
		LineDataTransfer:     "4.53",     // 150 × 2 / 1000 + 100 = 100.3 GB; (100.3 − 50) × 0.09 = 4.527
		LineAPICalls:         "3.51",     // 1,001,500 calls = 1.0015 M × 3.50 = 3.50525
		LineSupport:          "15",       // 150 / 1000 × 20 tickets × $5
		LineSupportStaff:     "200",      //
		LineMaintenance:      "999.99",   // 10 × 95 + 49.99
		LineSetup:            "1000",     //
		LineAmortisation:     "333.33",   // 1000 / 3
		LineMarketingFixed:   "100",      //
		LineContribution:     "-1405.53", // −(82.50 + 100 + 4.53 + 3.51 + 15 + 200 + 999.99)
	}
	for l, w := range want {
		if !nov[l].Equal(d(w)) {
			t.Errorf("November %s = %s, want %s", l, nov[l], w)
		}
	}
	if got := ps.Own.Monthly[1][LineCommissionTrueUp]; !got.Equal(d("186")) { // 600 − (450 − 36)
		t.Errorf("December true-up %s, want 186", got)
	}
	if got := ps.Own.Monthly[2][LineAmortisation]; !got.Equal(d("333.34")) { // the last month takes the remainder
		t.Errorf("January amortisation %s, want 333.34", got)
	}
	if got := ps.Total.Total[LineAmortisation]; !got.Equal(d("1000")) {
		t.Errorf("amortisation total %s, want 1000", got)
	}
}
