package costmodel

import (
	"testing"

	"github.com/shopspring/decimal"
)

// everyLinePartnership is small.json with its marketplace given two
// categories, every capacity exceeded in some month, the partner's side
// with an uptime credit and customers' value on both sides, a lane with
// every cross-border line, outage terms, and allocation rules: a partnership with a
// non-zero amount on (nearly) every base line.
func everyLinePartnership(t *testing.T, currency string) *Portfolio {
	t.Helper()
	d := decimal.RequireFromString
	p := loadTestdata(t, "small.json")
	p.Currency = currency
	m := &p.Partnerships[0]
	plates := m.Categories[0]
	plates.ID, plates.Name, plates.Orders = "plates", "Plates", d("40")
	m.Categories = append(m.Categories, plates)
	m.Categories[0].StorageMonthly = d("12.34")
	m.MinimumCommission = d("700")
	m.Payment = &PaymentFee{Rate: d("0.019"), Fixed: d("0.25")}
	m.Support = &Support{TicketsPer1000Orders: d("20"), CostPerTicket: d("4"), StaffMonthly: d("30")}
	m.DataTransfer = &DataTransfer{GBPer1000Orders: d("100"), FixedGB: d("1"), Pricing: VolumePricing{Bands: []Band{{Price: d("0.09")}}}}
	m.API = &APICalls{CallsPerOrder: d("30"), FixedCalls: d("1000"), Pricing: VolumePricing{Bands: []Band{{Price: d("3.5")}}}}
	m.Maintenance = []MaintenanceItem{{ID: "eng", Monthly: d("100.01")}}
	m.Setup = append(m.Setup, SetupItem{ID: "lane", Amount: d("999.99"), Month: 1, AmortMonths: 2})
	m.Capacity = &Capacity{
		Fulfilment:   &FulfilmentCapacity{UnitsPerMonth: d("160"), OverflowPremium: d("0.55")},
		Support:      &SupportCapacity{Agents: d("1"), TicketsPerAgent: d("2.5"), Mode: Hire, HireCost: d("75"), AgentMonthly: d("120")},
		API:          &APILimit{OrdersPerMonth: d("180"), Mode: Premium, PremiumMonthly: d("49.99")},
		DataTransfer: &DataTransferCommitment{CommittedGB: d("18"), Monthly: d("5"), OverageRate: d("0.2")},
	}
	cv := &CustomerValue{NewPerOrder: d("0.3"), RepeatPerMonth: d("0.2"), MarginPerRepeat: d("7.5"), Retention: []decimal.Decimal{d("1"), d("0.6")}}
	m.CustomerValue = cv
	m.Partner = &PartnerSide{PerOrder: d("0.45"), RateOfGMV: d("0.02"), Monthly: d("310"),
		Uptime:        &UptimeCredit{Target: d("0.999"), Expected: d("0.995"), CreditPerPoint: d("0.1"), MaxCredit: d("0.25")},
		CustomerValue: cv.clone()}
	m.Lane = &Lane{Origin: "US", Destination: "DE", DutyRate: ptrOf(d("0.047")), DutyDeMinimis: ptrOf(d("15")), VAT: VATAbsorbed, VATRate: ptrOf(d("0.19")),
		ShippingPerOrder: d("6.4"), ExtraReturnRate: d("0.07"), ReturnShippingPerOrder: d("5.5"), FXFeeRate: d("0.015")}
	// 7.2 hours down a month (1 % of November's 720 hours: the 10 %
	// band), with a fallback path: every outage line.
	m.Outage = &Outage{DowntimeHours: d("7.2"), LongIncidents: d("1"), ResponsePenalty: d("50"), UptimeCommitment: d("0.999"),
		MonthlyFee: d("1000"), Direction: CreditsEarned, Recovery: d("0.4"),
		Credits:     []OutageCredit{{From: d("0.99"), To: d("0.999"), Share: d("0.1")}, {From: d("0"), To: d("0.99"), Share: d("0.25")}},
		Contingency: &OutageContingency{FallbackShare: d("0.5"), CostPerHour: d("10"), StandbyMonthly: d("20")}}
	p.Allocation = []AllocationRule{
		{Partnership: "market", Line: "maintenance", Basis: ByFixedShares, Shares: map[string]decimal.Decimal{"mugs": d("0.7"), "plates": d("0.3")}},
		{Line: "*", Basis: ByActivity},
		{Line: "*", Basis: ByGMV},
	}
	return p
}

// TestEveryLineConvertedOnce prices the marketplace of
// everyLinePartnership in EUR inside a USD portfolio, at a different rate
// each month, and holds every base line of every row (both categories
// and the partnership's own) and month to the hand rule: the line of the
// same partnership in a EUR portfolio (its local amount, rounded to the
// cent), × the month's rate, rounded once to the cent. A line converted
// twice (× rate²) or not at all fails; so does one the conversion
// misses. The downtime memo, in hours, stays as given. The subtotals foot on converted lines, and the allocated view
// shares out converted own lines (each allocated line of the
// partnership sums to the converted own line).
func TestEveryLineConvertedOnce(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	local := everyLinePartnership(t, "EUR")
	foreign := everyLinePartnership(t, "USD")
	foreign.Partnerships[0].Currency = "EUR"
	rates := []decimal.Decimal{d("1.0837"), d("1.1291"), d("0.9573")}
	foreign.FX = []FXRate{{Currency: "EUR", Monthly: rates}}
	ls, err := Evaluate(local)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := Evaluate(foreign)
	if err != nil {
		t.Fatal(err)
	}
	lp, fp := &ls.Partnerships[0], &fs.Partnerships[0]
	rows := []struct {
		name   string
		lo, fo *Block
	}{{"mugs", &lp.Categories[0].Block, &fp.Categories[0].Block}, {"plates", &lp.Categories[1].Block, &fp.Categories[1].Block},
		{"own", &lp.Own, &fp.Own}}
	nonZero := map[Line]bool{}
	for _, r := range rows {
		for mo := range foreign.Months {
			for l := Line(0); l < NumLines; l++ {
				if l.IsSubtotal() {
					continue
				}
				loc := r.lo.Monthly[mo][l]
				want := loc.Mul(rates[mo]).Round(2)
				if !l.IsMoney() {
					want = loc // hours (the downtime memo): not converted
				}
				if got := r.fo.Monthly[mo][l]; !got.Equal(want) {
					t.Errorf("%s month %d %s: %s USD, want round(%s EUR × %s, 2) = %s", r.name, mo, l, got, loc, rates[mo], want)
				}
				if !loc.IsZero() {
					nonZero[l] = true
				}
			}
			for l := Line(0); l < NumLines; l++ {
				if !l.IsSubtotal() {
					continue
				}
				sum := decimal.Zero
				for _, tm := range l.Terms() {
					sum = sum.Add(r.fo.Monthly[mo][tm.Line].Mul(decimal.NewFromInt(int64(tm.Sign))))
				}
				if got := r.fo.Monthly[mo][l]; !got.Equal(sum) {
					t.Errorf("%s month %d %s: %s, its converted terms sum to %s", r.name, mo, l, got, sum)
				}
			}
		}
	}
	// The case must exercise the lines it claims to: every base line but
	// the throttle's absence (premium mode) is non-zero somewhere.
	for l := Line(0); l < NumLines; l++ {
		if !l.IsSubtotal() && !nonZero[l] {
			t.Errorf("%s is zero in every row and month: the test does not check its conversion", l)
		}
	}
	// Landed cost per unit stays in the partnership's currency.
	if a, b := lp.Categories[0].LandedCost[0], fp.Categories[0].LandedCost[0]; !a.Equal(b) || a.IsZero() {
		t.Errorf("landed cost per unit: %s in the EUR portfolio, %s in the USD one (both EUR, non-zero)", a, b)
	}
	// The allocated view shares out the converted own lines.
	if fs.Allocated == nil {
		t.Fatal("no allocated view")
	}
	ap := &fs.Allocated.Partnerships[0]
	moved := 0
	for mo := range foreign.Months {
		for l := Line(0); l < NumLines; l++ {
			if l.IsSubtotal() {
				continue
			}
			sum := ap.Own.Monthly[mo][l]
			for j := range ap.Categories {
				sum = sum.Add(ap.Categories[j].Monthly[mo][l])
			}
			want := fp.Own.Monthly[mo][l]
			for j := range fp.Categories {
				want = want.Add(fp.Categories[j].Monthly[mo][l])
			}
			if !sum.Equal(want) {
				t.Errorf("allocated month %d %s: rows sum to %s, the converted lines to %s", mo, l, sum, want)
			}
			if !fp.Own.Monthly[mo][l].IsZero() && ap.Own.Monthly[mo][l].IsZero() {
				moved++
			}
		}
	}
	if moved == 0 {
		t.Error("the allocation moved nothing: the test does not check it")
	}
}
