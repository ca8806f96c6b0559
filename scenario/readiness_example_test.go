package scenario_test

import (
	"fmt"
	"log"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// A peak season against the partnership's capacities: a fulfilment
// provider that takes 1,200 units a month and an API that lets 1,250
// orders a month through.
func ExamplePeakStress() {
	p := &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: time.October}, Months: 4, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "shop", Channel: "own-shop",
			Categories: []costmodel.Category{{ID: "toys", Orders: dec("1000"), Price: dec("20"), UnitsPerOrder: dec("1"), UnitCost: dec("5")}},
			Capacity: &costmodel.Capacity{
				Fulfilment: &costmodel.FulfilmentCapacity{UnitsPerMonth: dec("1200"), OverflowPremium: dec("0.50")},
				API:        &costmodel.APILimit{OrdersPerMonth: dec("1250"), Mode: costmodel.Throttle},
			}}}}
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	if err != nil {
		log.Fatal(err)
	}
	r, err := scenario.PeakStress(p, peak)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range r.Overloads {
		fmt.Println(o)
	}
	pf := r.Portfolio
	fmt.Printf("overflow %s, orders lost %s; contribution %s with capacity, %s without\n",
		pf.OverflowCost.StringFixed(2), pf.LostOrders.Round(2), pf.With.StringFixed(2), pf.Without.StringFixed(2))
	// Output:
	// 2026-11 shop fulfilment over capacity: 25.00
	// 2026-11 shop api rate limit: 50 orders lost (GMV 1000.00)
	// 2026-12 shop fulfilment over capacity: 25.00
	// 2026-12 shop api rate limit: 50 orders lost (GMV 1000.00)
	// overflow 50.00, orders lost 100; contribution 67450.00 with capacity, 69000.00 without
}

// A competitor cuts prices of toys by 20 % for two months from November,
// fading over two more; our orders follow the price gap with elasticity
// −2. Holding price loses orders; matching keeps them at a lower price.
func ExampleCompetitiveResponse() {
	p := &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: time.October}, Months: 6, DiscountRate: dec("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "shop", Channel: "own-shop",
			Categories: []costmodel.Category{{ID: "toys", Orders: dec("1000"), Price: dec("20"), UnitsPerOrder: dec("1"), UnitCost: dec("5")}}}}}
	cut := scenario.CompetitorCut{Categories: "*/toys", Start: 1, Depth: dec("0.2"), Duration: 2, Fade: 2, Elasticity: dec("-2")}
	for _, r := range []scenario.Response{scenario.HoldPrice(), scenario.MatchPrice(), scenario.MatchPart(dec("0.5"))} {
		s, err := scenario.CompetitiveResponse(p, cut, r)
		if err != nil {
			log.Fatal(err)
		}
		q, err := s.Apply(p)
		if err != nil {
			log.Fatal(err)
		}
		st, err := costmodel.Evaluate(q)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-17s orders", s.Name)
		for _, o := range st.Portfolio.Orders {
			fmt.Printf(" %6s", o.Round(1))
		}
		fmt.Printf("  contribution %s\n", st.Portfolio.Total[costmodel.LineContribution].StringFixed(2))
	}
	// Output:
	// hold price        orders   1000    640    640  751.1  871.1   1000  contribution 73533.32
	// match             orders   1000   1000   1000   1000   1000   1000  contribution 78000.00
	// match part (0.5)  orders   1000  790.1  790.1  862.2  932.2   1000  contribution 75689.09
}
