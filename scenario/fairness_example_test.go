package scenario_test

import (
	"fmt"
	"log"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// accessories is one month of 100 orders of a $150 item costing $100 on
// 15 % up to $100 and 8 % above (marginal), the partner paying $5 an
// order to serve them.
func accessories() *costmodel.Portfolio {
	upTo := dec("100")
	return &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: 1}, Months: 1, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "acc", Channel: "marketplace",
			Commission: &costmodel.Commission{TierMode: costmodel.Marginal, Tiers: []costmodel.Tier{{UpTo: &upTo, Rate: dec("0.15")}, {Rate: dec("0.08")}}},
			Partner:    &costmodel.PartnerSide{PerOrder: dec("5")},
			Categories: []costmodel.Category{{ID: "cables", Orders: dec("100"), Price: dec("150"), UnitsPerOrder: dec("1"), UnitCost: dec("100")}},
		}}}
}

// The second tier's rate that splits the joint surplus by Nash and by
// Kalai–Smorodinsky: commission 1,500 + 5,000 r, our gain 3,500 − 5,000 r,
// the partner's 1,000 + 5,000 r.
func ExampleBargain_FairTerms() {
	b := scenario.Bargain{Partnership: "acc"}
	for _, rule := range []scenario.SplitRule{scenario.Nash, scenario.KalaiSmorodinsky} {
		fs, err := b.FairTerms(accessories(), scenario.Knob{Driver: "acc/commission/tier/2/rate"}, scenario.Split{Rule: rule})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: tier 2 at %s, our gain %s of %s\n", rule, fs.X.StringFixed(4), fs.At.OurGain.StringFixed(0), fs.At.Joint.StringFixed(0))
	}
	// Output:
	// nash: tier 2 at 0.2500, our gain 2250 of 4500
	// kalai_smorodinsky: tier 2 at 0.3063, our gain 1969 of 4500
}

// The incentive check on volume tiers: all-units terms that drop every
// order to 10 % above 1,000 orders a month cost the marketplace 1,700 as
// our orders grow from 1,000 to 1,200.
func ExampleBargain_AlongVolumes() {
	upTo := dec("1000")
	p := &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: 1}, Months: 1, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "m", Channel: "marketplace",
			Commission: &costmodel.Commission{TierMode: costmodel.AllUnits, TierBasis: costmodel.MonthlyOrders,
				Tiers: []costmodel.Tier{{UpTo: &upTo, Rate: dec("0.15")}, {Rate: dec("0.10")}}},
			Partner:    &costmodel.PartnerSide{PerOrder: dec("1")},
			Categories: []costmodel.Category{{ID: "a", Orders: dec("800"), Price: dec("50"), UnitsPerOrder: dec("1"), UnitCost: dec("20")}},
		}}}
	r, err := scenario.Bargain{Partnership: "m"}.AlongVolumes(p, nil, scenario.VolumePath{Scales: scenario.ScalePath(dec("0.5"), dec("3"), dec("0.25"))})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("passes:", r.CurrentPasses)
	for _, f := range r.Flags {
		fmt.Printf("%s loses %s from %s to %s orders\n", f.Side, f.Lost, f.FromOrders, f.ToOrders)
	}
	// Output:
	// passes: false
	// partner loses 1700 from 1000 to 1200 orders
}

// The glove game: one left glove, two right gloves, a pair worth 1.
func ExampleShapley() {
	game := []string{"0", "0", "0", "1", "0", "1", "0", "1"} // bit 0: the left glove
	vals := make([]decimal.Decimal, len(game))
	for i, s := range game {
		vals[i] = dec(s)
	}
	phi, err := scenario.Shapley(vals)
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range phi {
		fmt.Println(x.StringFixed(4))
	}
	// Output:
	// 0.6667
	// 0.1667
	// 0.1667
}

// Three parties: us and the marketplace (each essential) and an
// integrator we pay $300 a month that brings a fifth of the orders.
// Without it, 80 orders: our value 2,480 and the marketplace's 1,120;
// with it, 2,800, 1,400 and the integrator's 300. The integrator adds 900
// only by joining us both, a third of the orders of joining: 300.
func ExampleCoalition_Shapley() {
	p := accessories()
	p.Partnerships[0].Maintenance = []costmodel.MaintenanceItem{{ID: "integrator", Monthly: dec("300")}}
	c := scenario.Coalition{Partnership: "acc", Parties: []scenario.Party{
		{Name: "us", Essential: true, Value: []costmodel.Term{{Line: costmodel.LineOurValue, Sign: 1}}},
		{Name: "marketplace", Essential: true, Value: []costmodel.Term{{Line: costmodel.LinePartnerValue, Sign: 1}}},
		{Name: "integrator", Value: []costmodel.Term{{Line: costmodel.LineMaintenance, Sign: 1}},
			Without: &scenario.Scenario{Name: "no integrator", Shocks: []scenario.Shock{
				{Target: "acc/*/orders", Op: costmodel.Multiply, Value: dec("0.8")},
				{Target: "acc/maintenance/integrator/monthly", Op: costmodel.SetTo, Value: dec("0")}}}},
	}}
	sp, err := c.Shapley(p)
	if err != nil {
		log.Fatal(err)
	}
	for i, name := range sp.Parties {
		fmt.Printf("%s: Shapley %s, today %s\n", name, sp.Shapley[i].StringFixed(0), sp.Grand[i].StringFixed(0))
	}
	// Output:
	// us: Shapley 2100, today 2800
	// marketplace: Shapley 2100, today 1400
	// integrator: Shapley 300, today 300
}
