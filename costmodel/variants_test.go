package costmodel

import (
	"testing"
	"time"
)

// Portfolios the back-end tests share: larkspur with every fee shape it
// lacks, and with month-limited adjustments.

// variants returns larkspur with the structures it lacks: volume-tiered
// terms read against orders and GMV (shared by several categories, one
// category without orders), a per-item cap, a payment cap, a shifted
// allowance, a late launch with a ramp, an amortisation past the horizon,
// a decline, and a currency without minor units.
func variants(t testing.TB) map[string]*Portfolio {
	base := loadTestdata(t, "larkspur.json")
	out := map[string]*Portfolio{}
	p := base.Clone()
	feed := partnership(t, p, "feedlink")
	feed.Commission = &Commission{
		Tiers:      []Tier{{UpTo: dp("1000"), Rate: d("0.06")}, {UpTo: dp("2000"), Rate: d("0.05")}, {Rate: d("0.04")}},
		TierMode:   AllUnits,
		TierBasis:  MonthlyOrders,
		Refund:     &RefundTerms{AdminFixed: dp("0.40"), AdminRate: d("0.2")},
		CapPerItem: dp("1.60"), MinPerItem: d("0.25"),
	}
	feed.DataTransfer.Pricing.AllowanceMode = Shift
	feed.Setup[0].AmortMonths = 48
	feed.Setup[1].AmortMonths = 7
	ebay := partnership(t, p, "ebay")
	ebay.Commission.Rate = d("0")
	ebay.Commission.Tiers = []Tier{{UpTo: dp("15000"), Rate: d("0.14")}, {UpTo: dp("30000"), Rate: d("0.11")}, {Rate: d("0.09")}}
	ebay.Commission.TierMode = Marginal
	ebay.Commission.TierBasis = MonthlyGMV
	ebay.Commission.CapPerItem = dp("4.00")
	ebay.LaunchMonth = 7
	ebay.Categories[1].RampMonths = 40
	ebay.Categories[1].RampStart = d("0.1")
	ebay.Categories[0].Growth = d("-0.35")
	ebay.MinimumCommission = d("900")
	shop := partnership(t, p, "own-shop")
	shop.Payment.Cap = dp("0.95")
	// Volume tiers of one category's own; shipping in a per-item fee base.
	amz := partnership(t, p, "amazon-us")
	amz.Categories[2].ShippingCharge = d("1.12")
	amz.Categories[2].UnitsPerOrder = d("1")
	// An order total on the per-order threshold: 38.00 × 1.1 + 6.00 =
	// 47.80, which float arithmetic puts a few ulps above.
	etsy := partnership(t, p, "etsy")
	etsy.Commission.PerOrderThreshold = dp("47.80")
	etsy.Commission.PerOrderFeeAbove = d("0.45")
	amz.Categories[3].Commission = &Commission{
		Tiers:      []Tier{{UpTo: dp("150"), Rate: d("0.15")}, {Rate: d("0.11")}},
		TierMode:   Marginal,
		TierBasis:  MonthlyOrders,
		MinPerItem: d("0.30"), PerOrderFee: d("0.99"),
	}
	// A partnership without categories: running costs only.
	p.Partnerships = append(p.Partnerships, Partnership{
		ID: "hosting", Channel: "infrastructure", LaunchMonth: 5,
		Setup:       []SetupItem{{ID: "migration", Amount: d("12345.67"), Month: 2, AmortMonths: 5}},
		Maintenance: []MaintenanceItem{{ID: "servers", Monthly: d("812.5")}},
		Support:     &Support{StaffMonthly: d("300")},
	})
	out["larkspur+variants"] = p

	q := p.Clone()
	partnership(t, q, "feedlink").Categories[0].Orders = d("0")
	partnership(t, q, "ebay").Categories[0].Orders = d("0")
	partnership(t, q, "ebay").Categories[1].Orders = d("0")
	out["larkspur+variants, no orders"] = q

	y := p.Clone()
	y.Currency = "JPY"
	y.DiscountRate = d("0")
	out["larkspur+variants in JPY"] = y
	return out
}

func partnership(t testing.TB, p *Portfolio, id string) *Partnership {
	t.Helper()
	for i := range p.Partnerships {
		if p.Partnerships[i].ID == id {
			return &p.Partnerships[i]
		}
	}
	t.Fatalf("no partnership %s", id)
	return nil
}

// adjusted returns larkspur+variants with month-limited adjustments of
// every kind of driver.
func adjusted(t testing.TB) *Portfolio {
	p := variants(t)["larkspur+variants"].Clone()
	p.Adjustments = []Adjustment{
		{Name: "peak", Target: "*/*/orders", Op: Multiply, Value: d("1.4"), From: 0, To: 35, CalendarMonths: []time.Month{time.November, time.December}},
		{Target: "amazon-us/beauty/commission/tier/1/rate", Op: Add, Value: d("0.02"), From: 5, To: 10},
		{Target: "ebay/commission/tier/1/up_to", Op: Multiply, Value: d("0.5"), From: 9, To: 30},
		{Target: "feedlink/commission/tier/*/rate", Op: Add, Value: d("0.01"), From: 9, To: 30},
		{Target: "own-shop/payment/cap", Op: SetTo, Value: d("0.5"), From: 20, To: 35},
		{Target: "feedlink/home/ramp_start", Op: SetTo, Value: d("0.6"), From: 4, To: 6},
		{Target: "*/*/orders", Op: Multiply, Value: d("0.5"), From: 30, To: 31},
		{Target: "feedlink/minimum_commission", Op: Add, Value: d("3000"), From: 14, To: 16},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}
