package scenario

import (
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

func dptr(s string) *decimal.Decimal { v := dec(s); return &v }

// tiered is one month of 100 orders of one $150 item costing $100, sold on
// Amazon's Electronics Accessories schedule (15 % of the portion up to
// $100, 8 % above, marginal), with the partner paying perOrder to serve
// each order. By hand, with r the second tier's rate:
//
//	commission = 100 × (15 + 50 r) = 1,500 + 5,000 r
//	our value  = 100 × (150 − 100) − commission = 3,500 − 5,000 r
//	partner    = commission − 100 × perOrder
func tiered(perOrder string) *costmodel.Portfolio {
	return &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: 1}, Months: 1, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "acc", Channel: "marketplace",
			Commission: &costmodel.Commission{TierMode: costmodel.Marginal, Tiers: []costmodel.Tier{{UpTo: dptr("100"), Rate: dec("0.15")}, {Rate: dec("0.08")}}},
			Partner:    &costmodel.PartnerSide{PerOrder: dec(perOrder)},
			Categories: []costmodel.Category{{ID: "cables", Orders: dec("100"), Price: dec("150"), UnitsPerOrder: dec("1"), UnitCost: dec("100")}},
		}}}
}

func near(t *testing.T, what string, got decimal.Decimal, want, tol float64) {
	t.Helper()
	if math.Abs(got.InexactFloat64()-want) > tol {
		t.Errorf("%s = %s, want %.8g", what, got, want)
	}
}

// TestFairTermsTieredByHand: solving for the second tier's rate. With the
// partner's cost at $5 an order its gain is 1,000 + 5,000 r, the joint
// surplus 4,500. Nash: 3,500 − 5,000 r = 2,250, r = 0.25. A 60 % share:
// r = 0.16. Kalai–Smorodinsky: the rate cannot go below 0, so our ideal
// is 3,500 (at r = 0) and the partner's 4,500 (at our break-even r =
// 0.7); g₁/3,500 = g₂/4,500 with g₁ + g₂ = 4,500 gives g₁ = 1,968.75,
// r = 0.30625. Scaling both tiers by s instead: commission 1,900 s, our
// gain 5,000 − 1,900 s = 2,250 at s = 2,750/1,900.
func TestFairTermsTieredByHand(t *testing.T) {
	t.Parallel()
	p := tiered("5")
	b := Bargain{Partnership: "acc"}
	tier := Knob{Driver: "acc/commission/tier/2/rate"}
	// The tolerance on the knob is DefaultTolerance; a value moves by
	// 5,000 × that, plus the cent each line rounds to.
	tol := 5000*DefaultTolerance + 0.01
	sixty := dec("0.6")
	for _, c := range []struct {
		split Split
		knob  Knob
		x     float64
		ours  float64
		slope float64 // of our gain in the knob
	}{
		{Split{Rule: Nash}, tier, 0.25, 2250, 5000},
		{Split{Rule: Share, Weight: &sixty}, tier, 0.16, 2700, 5000},
		{Split{Rule: KalaiSmorodinsky}, tier, 0.30625, 1968.75, 5000},
		{Split{Rule: Nash}, Knob{}, 2750.0 / 1900, 2250, 1900},
	} {
		fs, err := b.FairTerms(p, c.knob, c.split)
		if err != nil {
			t.Fatalf("%s: %v", c.split.Rule, err)
		}
		// The gains move in cents: the knob is known to a cent's worth of
		// it (0.01 ÷ slope) beyond the solver's tolerance.
		near(t, string(c.split.Rule)+" x", fs.X, c.x, DefaultTolerance+0.01/c.slope)
		near(t, string(c.split.Rule)+" our gain", fs.At.OurGain, c.ours, tol*3)
		near(t, string(c.split.Rule)+" joint", fs.At.Joint, 4500, 0.011)
	}
	fs, _ := b.FairTerms(p, tier, Split{Rule: KalaiSmorodinsky})
	near(t, "partner's floor", fs.Floor, 0, 0)
	near(t, "our break-even", fs.BreakEven, 0.7, DefaultTolerance+0.01/5000)
	near(t, "our ideal", fs.IdealOurs, 3500, 0.01)
	near(t, "partner's ideal", fs.IdealPartner, 4500, tol)
	if len(fs.Drivers) != 1 || fs.Drivers[0].Address != "acc/commission/tier/2/rate" || !fs.Drivers[0].Value.Equal(fs.X) {
		t.Errorf("drivers %+v", fs.Drivers)
	}
}

// TestFairTermsSymmetric: when both sides' ideal gains are equal (the
// partner's cost of $20 an order puts its floor at r = 0.1 and our
// break-even is r = 0.7: each side's ideal is the whole 3,000), Nash and
// Kalai–Smorodinsky both split 50/50, at r = 0.4.
func TestFairTermsSymmetric(t *testing.T) {
	t.Parallel()
	p := tiered("20")
	b := Bargain{Partnership: "acc"}
	for _, rule := range []SplitRule{Nash, KalaiSmorodinsky} {
		fs, err := b.FairTerms(p, Knob{Driver: "acc/commission/tier/2/rate"}, Split{Rule: rule})
		if err != nil {
			t.Fatal(err)
		}
		near(t, string(rule)+" rate", fs.X, 0.4, DefaultTolerance+0.01/5000)
		near(t, string(rule)+" our share", fs.At.OurShare.Amount, 0.5, 1e-6)
		near(t, string(rule)+" partner's share", fs.At.PartnerShare().Amount, 0.5, 1e-6)
	}
}

// TestFairTermsBadInput: disagreement points above the joint surplus, a
// share the family cannot reach, an unknown rule or driver: clear errors.
func TestFairTermsBadInput(t *testing.T) {
	t.Parallel()
	p := tiered("5")
	tier := Knob{Driver: "acc/commission/tier/2/rate"}
	nine := dec("0.9")
	for _, c := range []struct {
		b     Bargain
		k     Knob
		s     Split
		wants string
	}{
		{Bargain{Partnership: "acc", OurNoDeal: dec("3000"), PartnerNoDeal: dec("2000")}, tier, Split{Rule: Nash}, "disagreement points below the joint value"},
		// At r = 0 we get 3,500 of 4,500: at most 77.8 %.
		{Bargain{Partnership: "acc"}, tier, Split{Rule: Share, Weight: &nine}, "a share the family reaches"},
		{Bargain{Partnership: "acc"}, tier, Split{Rule: "fair"}, "split.rule"},
		{Bargain{Partnership: "acc"}, tier, Split{Rule: KalaiSmorodinsky, Weight: &nine}, "no weight with kalai_smorodinsky"},
		{Bargain{Partnership: "acc"}, Knob{Driver: "acc/nothing"}, Split{Rule: Nash}, "knob.driver"},
		{Bargain{Partnership: "nope"}, tier, Split{Rule: Nash}, "partnership"},
		{Bargain{Partnership: "acc"}, Knob{Driver: "acc/cables/orders"}, Split{Rule: Nash}, "knob.hi"},
	} {
		_, err := c.b.FairTerms(p, c.k, c.s)
		if err == nil || !strings.Contains(err.Error(), c.wants) {
			t.Errorf("%+v %+v: error %v, want one naming %q", c.b, c.s, err, c.wants)
		}
	}
	if _, err := (Bargain{}).FairTerms(nil, Knob{}, Split{Rule: Nash}); err == nil {
		t.Error("nil portfolio accepted")
	}
}

// TestFairTermsGuarantee: a monthly minimum guarantee of 3,000 on the
// tiered terms (commission 1,900 at 8 %) pays a true-up of 1,100: the
// partner's gain is 3,000 − 500 = 2,500, ours 5,000 − 3,000 = 2,000.
// Solving for the guarantee that splits the 4,500 by Nash: the partner's
// gain max(1,900, m) − 500 = 2,250 at m = 2,750.
func TestFairTermsGuarantee(t *testing.T) {
	t.Parallel()
	p := tiered("5")
	p.Partnerships[0].MinimumCommission = dec("3000")
	b := Bargain{Partnership: "acc"}
	s, err := b.SurplusOf(p)
	if err != nil {
		t.Fatal(err)
	}
	if !s.OurGain.Equal(dec("2000")) || !s.PartnerGain.Equal(dec("2500")) || !s.Joint.Equal(dec("4500")) || !s.InRange {
		t.Errorf("surplus %+v", s)
	}
	fs, err := b.FairTerms(p, Knob{Driver: "acc/minimum_commission", Hi: dec("10000")}, Split{Rule: Nash})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "fair guarantee", fs.X, 2750, 0.02)
}
