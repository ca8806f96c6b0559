package scenario

import (
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// volumeTiered is one month of 800 orders of one $50 item on terms tiered
// by the month's orders: 15 % up to 1,000 orders, 10 % above, all-units
// or marginal; the partner pays $1 an order to serve them.
func volumeTiered(mode costmodel.TierMode) *costmodel.Portfolio {
	return &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: 1}, Months: 1, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "m", Channel: "marketplace",
			Commission: &costmodel.Commission{TierMode: mode, TierBasis: costmodel.MonthlyOrders,
				Tiers: []costmodel.Tier{{UpTo: dptr("1000"), Rate: dec("0.15")}, {Rate: dec("0.10")}}},
			Partner:    &costmodel.PartnerSide{PerOrder: dec("1")},
			Categories: []costmodel.Category{{ID: "a", Orders: dec("800"), Price: dec("50"), UnitsPerOrder: dec("1"), UnitCost: dec("20")}},
		}}}
}

// TestIncentiveAllUnitsCliff: from 1,000 orders (1.25×) to 1,200 (1.5×)
// the all-units terms drop every order to 10 %: the partner's gain goes
// from 0.15 × 50,000 − 1,000 = 6,500 to 0.10 × 60,000 − 1,200 = 4,800, a
// loss of 1,700 that growth causes. Marginal terms charge 10 % only above
// 1,000 orders, and neither side ever loses from growth.
func TestIncentiveAllUnitsCliff(t *testing.T) {
	t.Parallel()
	path := VolumePath{Scales: ScalePath(dec("0.5"), dec("3"), dec("0.25"))}
	b := Bargain{Partnership: "m"}
	r, err := b.AlongVolumes(volumeTiered(costmodel.AllUnits), volumeTiered(costmodel.Marginal), path)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) != 11 {
		t.Fatalf("%d points", len(r.Points))
	}
	if r.CurrentPasses || !r.ProposedPasses || len(r.Flags) != 1 {
		t.Fatalf("passes %v/%v, flags %+v", r.CurrentPasses, r.ProposedPasses, r.Flags)
	}
	f := r.Flags[0]
	if f.Terms != "current" || f.Side != "partner" || !f.FromOrders.Equal(dec("1000")) || !f.ToOrders.Equal(dec("1200")) || !f.Lost.Equal(dec("1700")) {
		t.Errorf("flag %+v, want the partner losing 1,700 from 1,000 to 1,200 orders", f)
	}
	if !strings.Contains(f.Cause, "revenue share per order falls from 7.50 to 5.00") {
		t.Errorf("cause %q", f.Cause)
	}
	// Shares along the path: at 800 orders (scale 1), all-units and
	// marginal agree: our gain 800 × 30 − 6,000 = 18,000, the partner's
	// 6,000 − 800 = 5,200, our share 18,000 / 23,200.
	p1 := r.Points[2]
	if !p1.Scale.Equal(dec("1")) || !p1.Current.OurShare.Amount.Equal(dec("18000").DivRound(dec("23200"), 12)) || !p1.Proposed.OurGain.Equal(dec("18000")) {
		t.Errorf("point at 1×: %+v", p1)
	}
	if len(r.Exits) != 0 {
		t.Errorf("exits %+v", r.Exits)
	}
}

// TestVolumeExits: with the partner needing 3,000 without the deal, its
// gain is below zero until its revenue share covers it: under the
// marginal terms at 0.5× (400 orders) it makes 0.15 × 20,000 − 400 =
// 2,600, at 0.75× 3,900; the path leaves the range at the first point
// only, and the partner's value 7.50 n − n = 6.5 n reaches 3,000 at
// n = 461.54 orders.
func TestVolumeExits(t *testing.T) {
	t.Parallel()
	b := Bargain{Partnership: "m", PartnerNoDeal: dec("3000")}
	r, err := b.AlongVolumes(volumeTiered(costmodel.Marginal), nil, VolumePath{Scales: []decimal.Decimal{dec("0.75"), dec("0.5"), dec("1")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Exits) != 1 || r.Exits[0].Side != "partner" || !r.Exits[0].FromOrders.Equal(dec("400")) || !r.Exits[0].ToOrders.Equal(dec("400")) {
		t.Fatalf("exits %+v", r.Exits)
	}
	// The value moves in cents: n is known to 0.01 ÷ 6.5 orders.
	if e := r.Exits[0]; e.StartOrders != nil || e.EndOrders == nil || math.Abs(e.EndOrders.InexactFloat64()-3000/6.5) > 0.01 {
		t.Errorf("crossings %v %v, want none and 461.54", e.StartOrders, e.EndOrders)
	}
	if !r.Points[0].Scale.Equal(dec("0.5")) || r.Points[0].Current.InRange {
		t.Errorf("points not by volume or in range: %+v", r.Points[0])
	}
}

// TestVolumePathBadInput: a non-positive scale, no path: clear errors
// naming the path.
func TestVolumePathBadInput(t *testing.T) {
	t.Parallel()
	b := Bargain{Partnership: "m"}
	p := volumeTiered(costmodel.Marginal)
	for _, c := range []struct {
		path VolumePath
		want string
	}{
		{VolumePath{Scales: []decimal.Decimal{dec("1"), dec("0")}}, "path.scales[1]"},
		{VolumePath{Scales: []decimal.Decimal{dec("-0.5")}}, "path.scales[0]"},
		{VolumePath{}, "path.scales"},
		{VolumePath{Monthly: true, Scales: []decimal.Decimal{dec("1")}}, "one or the other"},
	} {
		_, err := b.AlongVolumes(p, nil, c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %s", c.path, err, c.want)
		}
	}
}

// TestVolumeMonthly: along the growth trajectory of the small portfolio
// (seasonality 1.5 in November, 1.2 in December, 1 in January), one point
// per month, in order of volume, each month's values those of the
// statement's month.
func TestVolumeMonthly(t *testing.T) {
	t.Parallel()
	p := small(t)
	r, err := (Bargain{Partnership: "market"}).AlongVolumes(p, nil, VolumePath{Monthly: true})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := costmodel.Evaluate(p)
	ps, _ := st.Partnership("market")
	if len(r.Points) != 3 || r.Points[0].Month != st.Start.Add(2) || r.Points[2].Month != st.Start {
		t.Fatalf("points %+v", r.Points)
	}
	for i, pt := range r.Points {
		t0 := 2 - i // the months come by volume: January, December, November
		if !pt.Current.Ours.Equal(ps.Total.Monthly[t0][costmodel.LineOurValue]) || !pt.Current.Partner.Equal(ps.Total.Monthly[t0][costmodel.LinePartnerValue]) {
			t.Errorf("%s: %+v", pt.Month, pt.Current)
		}
	}
	if !r.CurrentPasses {
		t.Errorf("flags %+v", r.Flags)
	}
}
