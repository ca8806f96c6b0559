package scenario_test

import (
	"fmt"
	"log"

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
