package scenario

import (
	"strings"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// stressPortfolio is one partnership, one category of 1,000 orders a
// month at 20 with a unit cost of 5 (margin 15 an order), from October
// over n months.
func stressPortfolio(n int) *costmodel.Portfolio {
	return &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: time.October}, Months: n, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "m", Channel: "marketplace", Categories: []costmodel.Category{
			{ID: "toys", Orders: dec("1000"), Price: dec("20"), UnitsPerOrder: dec("1"), UnitCost: dec("5")},
		}}}}
}

// A 20 % cut from month 1 for 2 months, fading over 3: depths 0, 0.2,
// 0.2, 0.15, 0.1, 0.05, 0. With elasticity −2, holding price multiplies
// orders by (1/(1 − d))^−2 = (1 − d)²: 640, 640, 722.5, 810, 902.5;
// matching half prices at 1 − d/2 and orders by ((1 − d/2)/(1 − d))^−2.
func TestCompetitivePathByHand(t *testing.T) {
	t.Parallel()
	p := stressPortfolio(7)
	cut := CompetitorCut{Categories: "m/toys", Start: 1, Depth: dec("0.2"), Duration: 2, Fade: 3, Elasticity: dec("-2")}
	depths := cut.Depths(7)
	for i, want := range []string{"0", "0.2", "0.2", "0.15", "0.1", "0.05", "0"} {
		if !depths[i].Equal(dec(want)) {
			t.Errorf("depth in month %d = %s, want %s", i, depths[i], want)
		}
	}
	scs, err := CompetitiveResponses(p, cut)
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) != 3 || scs[0].Name != "hold price" || scs[1].Name != "match" || scs[2].Name != "match part (0.5)" {
		t.Fatalf("responses %v", scs)
	}
	orders := func(s Scenario) []decimal.Decimal {
		q, err := s.Apply(p)
		if err != nil {
			t.Fatal(err)
		}
		st, err := costmodel.Evaluate(q)
		if err != nil {
			t.Fatal(err)
		}
		return st.Partnerships[0].Categories[0].Orders
	}
	gmv := func(s Scenario) []decimal.Decimal {
		q, _ := s.Apply(p)
		st, _ := costmodel.Evaluate(q)
		return st.Portfolio.Series(costmodel.LineGMV)
	}
	hold := orders(scs[0])
	for i, want := range []string{"1000", "640", "640", "722.5", "810", "902.5", "1000"} {
		if !hold[i].Equal(dec(want)) {
			t.Errorf("hold: orders in month %d = %s, want %s", i, hold[i], want)
		}
	}
	match := orders(scs[1])
	matchGMV := gmv(scs[1])
	for i, d := range []string{"0", "0.2", "0.2", "0.15", "0.1", "0.05", "0"} {
		if !match[i].Equal(dec("1000")) {
			t.Errorf("match: orders in month %d = %s, want 1000", i, match[i])
		}
		// 1,000 orders at 20 × (1 − d).
		if want := dec("20000").Mul(decimal.NewFromInt(1).Sub(dec(d))); !matchGMV[i].Equal(want) {
			t.Errorf("match: GMV in month %d = %s, want %s", i, matchGMV[i], want)
		}
	}
	// Half: month 1, ours 0.9 against theirs 0.8: (0.9/0.8)^−2 = 0.64/0.81
	// = 0.790123456790…; month 3, 0.925/0.85.
	half := orders(scs[2])
	for i, want := range map[int]string{1: "790.123456790", 3: "844.411979547"} {
		if got := half[i].Round(9); !got.Equal(dec(want)) {
			t.Errorf("match half: orders in month %d = %s, want %s", i, got, want)
		}
	}
}

func TestCompetitiveCutValidation(t *testing.T) {
	t.Parallel()
	p := stressPortfolio(6)
	_, err := CompetitiveResponse(p, CompetitorCut{Start: 9, Depth: dec("1"), Duration: 0, Fade: -1, Elasticity: dec("0.5")}, Response{Match: dec("2")})
	for _, path := range []string{"competitor_cut.depth", "competitor_cut.start", "competitor_cut.duration", "competitor_cut.fade", "competitor_cut.elasticity", "response.match"} {
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("no problem at %s in %v", path, err)
		}
	}
	if _, err := CompetitiveResponse(p, CompetitorCut{Categories: "z/*", Depth: dec("0.1"), Duration: 1}, HoldPrice()); err == nil {
		t.Error("a cut of no category: no error")
	}
}

// The peak season (orders × 1.3 in November and December) against a
// fulfilment capacity of 1,200 units (premium 0.50) and an API limit of
// 1,250 orders that throttles: November and December lose 50 orders
// each, and their 1,250 units overflow by 50 (25.00 a month). Without
// the capacities the contribution is higher by the overflow (50.00) and
// the margin of the 100 lost orders (100 × 15 = 1,500).
func TestPeakStressByHand(t *testing.T) {
	t.Parallel()
	p := stressPortfolio(4)
	p.Partnerships[0].Capacity = &costmodel.Capacity{
		Fulfilment: &costmodel.FulfilmentCapacity{UnitsPerMonth: dec("1200"), OverflowPremium: dec("0.5")},
		API:        &costmodel.APILimit{OrdersPerMonth: dec("1250"), Mode: costmodel.Throttle},
	}
	peak, err := PeakSeason(p, PeakSeasonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := PeakStress(p, peak)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range r.Overloads {
		got = append(got, o.String())
	}
	want := []string{
		"2026-11 m fulfilment over capacity: 25.00",
		"2026-11 m api rate limit: 50 orders lost (GMV 1000.00)",
		"2026-12 m fulfilment over capacity: 25.00",
		"2026-12 m api rate limit: 50 orders lost (GMV 1000.00)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("overloads:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	pf := r.Portfolio
	// The throttle's share (1,250 / 1,300) is kept to 20 places, so the
	// orders let through are 1,250 to 10^-17.
	if !pf.OverflowCost.Equal(dec("50")) || !pf.LostOrders.Round(12).Equal(dec("100")) || !pf.LostGMV.Equal(dec("2000")) {
		t.Errorf("overflow %s, lost orders %s, lost GMV %s; want 50, 100, 2000", pf.OverflowCost, pf.LostOrders, pf.LostGMV)
	}
	if d := pf.Without.Sub(pf.With); !d.Equal(dec("1550")) {
		t.Errorf("contribution without − with = %s, want 50 + 1,500 = 1,550", d)
	}
	// 4 months: 1,000, 1,300, 1,300, 1,000 orders at a margin of 15 without.
	if !pf.Without.Equal(dec("69000")) {
		t.Errorf("contribution without capacity %s, want 4,600 × 15 = 69,000", pf.Without)
	}
	if !pf.WithRatio.Valid || !pf.WithoutRatio.Valid || !pf.WithRatio.Amount.LessThan(pf.WithoutRatio.Amount) {
		t.Errorf("contribution ratio with %v, without %v", pf.WithRatio, pf.WithoutRatio)
	}
}
