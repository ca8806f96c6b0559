package scenario_test

import (
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func load() *costmodel.Portfolio {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// Peak season composed with a competitor's price cut, compared with the base.
func ExampleCompare() {
	p := load()
	peak, _ := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	cut, _ := scenario.CompetitiveShift(p, scenario.CompetitiveShiftOptions{Categories: "*/mugs", PriceCut: dec("0.05")})
	c, err := scenario.Compare(p, peak, scenario.Compose("peak+cut", peak, cut))
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range []string{"peak-season", "peak+cut"} {
		r, _ := c.Find(s, scenario.Output{Metric: scenario.Contribution})
		fmt.Printf("%-11s contribution %s (delta %s, %s%%)\n", s, r.Value.Amount, r.Delta.Amount, r.DeltaPct.Amount.Mul(dec("100")).StringFixed(1))
	}
	// By hand for the peak: 30 % more of November's and December's
	// category CM3 (market 720 + 576, shop 984 + 787.20) less the 8 %
	// fulfilment surcharge on market (31.20 + 24.96) = 864.
	// Output:
	// peak-season contribution 4317.2 (delta 864, 25.0%)
	// peak+cut    contribution 4139.18 (delta 685.98, 19.9%)
}

// The revenue-share rate at which a marketplace partnership breaks even.
func ExampleBreakEvenRate() {
	sol, err := scenario.BreakEvenRate(load(), "market", decimal.Zero)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sol.Value.StringFixed(4), sol.Output.Amount.Abs().LessThan(dec("0.05")))
	// Output: 0.3234 true
}

func ExampleRunTornado() {
	ten := dec("0.1")
	t, err := scenario.RunTornado(load(), scenario.Output{Metric: scenario.Contribution}, []scenario.Input{
		scenario.Percent("market/commission/rate", ten),
		scenario.Percent("market/mugs/unit_cost", ten),
		scenario.Percent("shop/mugs/orders", ten),
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range t.Bars {
		fmt.Printf("%-24s %8s .. %8s  swing %s\n", b.Label, b.AtLow.Amount, b.AtHigh.Amount, b.Swing)
	}
	// Output:
	// market/mugs/unit_cost      3719.6 ..   3186.8  swing 532.8
	// shop/mugs/orders          3210.48 ..  3695.92  swing 485.44
	// market/commission/rate    3580.85 ..  3325.55  swing 255.3
}

func ExampleFairness() {
	p := load()
	fs, err := scenario.Fairness(p, scenario.Negotiation{
		Partnership: "market",
		Partner:     scenario.PartnerCosts{PerOrder: dec("1"), Monthly: dec("50")},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("current rate", fs.Current.Rate, "ours", fs.Current.Ours, "theirs", fs.Current.Partner)
	fmt.Println("range", fs.PartnerFloor.Amount.StringFixed(4), "to", fs.OurBreakEven.Amount.StringFixed(4), "Nash", fs.Nash.Amount.StringFixed(4))
	// Output:
	// current rate 0.15 ours 1476 theirs 756.5
	// range 0.0611 to 0.3234 Nash 0.1923
}

func ExampleGuardrails_Check() {
	p := load()
	st, _ := costmodel.Evaluate(p)
	min := dec("0.5")
	g := scenario.Guardrails{{Scope: scenario.Partnership, Key: "*", Metric: scenario.ContributionRatio, Min: &min}}
	breaches, _ := g.Check("base", st)
	for _, b := range breaches {
		fmt.Println(b.Scenario, b.Key, b.Metric, b.Value.Amount.StringFixed(3), "<", b.Limit)
	}
	// Output: base market contribution_ratio 0.173 < 0.5
}

// A scenario written by hand: a November–December uplift on one channel
// and a fee rise from the second year.
func ExampleScenario_Apply() {
	p := load()
	from, to := 1, 2
	s := scenario.Scenario{Name: "holiday + fee", Shocks: []scenario.Shock{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Value: dec("1.2"), CalendarMonths: []time.Month{time.November, time.December}},
		{Target: "market/commission/rate", Op: costmodel.Add, Value: dec("0.02"), From: &from, To: &to},
	}}
	q, err := s.Apply(p)
	if err != nil {
		log.Fatal(err)
	}
	st, _ := costmodel.Evaluate(q)
	m, _ := st.Partnership("market")
	for t := range 3 {
		fmt.Println(st.Start.Add(t), m.Total.Orders[t], m.Total.Monthly[t][costmodel.LineCommission])
	}
	// Output:
	// 2026-11 180 675
	// 2026-12 144 612
	// 2027-01 100 425
}

func ExampleLoad() {
	p := load()
	ss, err := scenario.Load(strings.NewReader(`{"scenarios": [
	  {"name": "shipping +10%", "shocks": [{"target": "*/*/shipping_cost", "op": "multiply", "value": 1.1}]},
	  {"name": "typo", "shocks": [{"target": "*/*/shiping_cost", "op": "multiply", "value": 1.1}]}]}`), p)
	fmt.Println(len(ss), err)
	// Output:
	// 0 1 problem:
	//   scenarios[1].shocks[0].target: got "*/*/shiping_cost", expected an address or pattern that matches at least one driver of the portfolio (scenario "typo")
}

func ExamplePeakSeason() {
	p := load()
	s, _ := scenario.PeakSeason(p, scenario.PeakSeasonOptions{VolumeUplift: dec("1.5")})
	fmt.Println(s.Description)
	for _, sh := range s.Shocks {
		fmt.Println(sh.Target, sh.Op, sh.Value, sh.CalendarMonths)
	}
	// Output:
	// orders ×1.5 and fulfilment ×1.08 in [November December], storage ×3 in [October November December]
	// */*/orders multiply 1.5 [November December]
	// */*/fulfilment_cost multiply 1.08 [November December]
	// */*/storage_monthly multiply 3 [October November December]
}

func ExampleCompetitiveShift() {
	s, _ := scenario.CompetitiveShift(load(), scenario.CompetitiveShiftOptions{Categories: "*/mugs", PriceCut: dec("0.1")})
	fmt.Println(s.Description)
	// Output: prices of */mugs −0.1, orders ×1.1712 (elasticity -1.5)
}

func ExamplePartnerOutage() {
	s, _ := scenario.PartnerOutage(load(), scenario.PartnerOutageOptions{Partnership: "market", Month: 0, Days: 3, Recovered: dec("0.3")})
	fmt.Println(s.Description)
	for _, sh := range s.Shocks {
		fmt.Println(sh.Target, sh.Value.StringFixed(4))
	}
	// Output:
	// market down 3 of 30 days in 2026-11, 0.3 of lost orders recovered elsewhere
	// market/*/orders 0.9000
	// shop/*/orders 1.0600
}

func ExampleFeeChange() {
	s, _ := scenario.FeeChange(load(), scenario.FeeChangeOptions{Partnership: "market", PercentagePoints: dec("0.015")})
	fmt.Println(s.Description, s.Shocks[0].Target)
	// Output: market commission +1.5 points market/commission/rate
}

func ExampleCostShock() {
	s, _ := scenario.CostShock(load(), scenario.ShippingCost, dec("1.12"), "")
	fmt.Println(s.Name, s.Shocks[0].Target, s.Shocks[0].Value)
	// Output: cost-shock-shipping */*/shipping_cost 1.12
}

// The unit cost at which the own shop's contribution falls to 1,500.
func ExampleGoalSeek() {
	sol, err := scenario.GoalSeek(load(), scenario.Seek{
		Apply: func(q *costmodel.Portfolio, v decimal.Decimal) error {
			_, err := q.Set("shop/mugs/unit_cost", v)
			return err
		},
		Output: scenario.Output{Scope: scenario.Partnership, Key: "shop", Metric: scenario.Contribution},
		Goal:   dec("1500"), Lo: dec("0"), Hi: dec("20"),
	})
	if err != nil {
		log.Fatal(err)
	}
	// By hand: 1,977.20 − 185 items × (c − 6) = 1,500 → c = 8.5795…
	fmt.Println(sol.Value.StringFixed(2), sol.Output.Amount.StringFixed(0))
	// Output: 8.58 1500
}

func ExampleLargestSafeDiscount() {
	sol, err := scenario.LargestSafeDiscount(load(), "*/mugs",
		scenario.Output{Scope: scenario.Category, Key: "mugs", Metric: scenario.CM2Ratio}, dec("0.35"), dec("0.5"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sol.Value.StringFixed(3), sol.Output.Amount.StringFixed(3))
	// Output: 0.070 0.350
}

func ExampleVolumeForPayback() {
	sol, err := scenario.VolumeForPayback(load(), "market", 2, dec("10"))
	if err != nil {
		log.Fatal(err)
	}
	// By hand: the first two months' cash flow at k times the orders is
	// (720 + 576)k − 100 − 100 − 1,200 = 0 → k = 1,400 / 1,296.
	fmt.Println("orders ×", sol.Value.StringFixed(3))
	// Output: orders × 1.080
}

func ExampleRunSpider() {
	s, _ := scenario.RunSpider(load(), scenario.Output{Metric: scenario.Contribution},
		[]string{"market/mugs/orders", "market/commission/rate"}, []decimal.Decimal{dec("0.8"), dec("1"), dec("1.2")})
	for _, l := range s.Lines {
		fmt.Println(l.Target, l.Values)
	}
	// Output:
	// market/mugs/orders [3098 3453.2 3808.4]
	// market/commission/rate [3708.5 3453.2 3197.9]
}

func ExampleRunTable() {
	t, _ := scenario.RunTable(load(), scenario.Output{Scope: scenario.Partnership, Key: "market", Metric: scenario.Contribution},
		scenario.Axis{Target: "market/commission/rate", Op: costmodel.SetTo, Values: []decimal.Decimal{dec("0.12"), dec("0.15"), dec("0.18")}},
		scenario.Axis{Target: "market/mugs/orders", Op: costmodel.Multiply, Values: []decimal.Decimal{dec("0.8"), dec("1.2")}})
	for i, row := range t.Cells {
		fmt.Println(t.Rows.Values[i], row)
	}
	// By hand: (1,476 + 300) × k − 300 + (0.15 − rate) × 8,510 × k.
	// Output:
	// 0.12 [1325.04 2137.56]
	// 0.15 [1120.8 1831.2]
	// 0.18 [916.56 1524.84]
}

// LoadFile reads a scenarios file; the scenarios are checked against the
// portfolio they will be applied to.
func ExampleLoadFile() {
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	ss, err := scenario.LoadFile("../testdata/specs/larkspur.scenarios.json", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(ss), ss[0].Name)
	// Output: 3 holiday-peak
}
