package montecarlo_test

import (
	"context"
	"fmt"
	"log"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// A competitor cuts mug prices by 15 % from the second month for one
// month; the volume of mugs and their unit cost are uncertain (the dearer
// the mug, the less margin the orders lost by holding price take with
// them). Hold price, match,
// or match half, compared on the same futures.
func ExampleCompareResponses() {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	spec := &montecarlo.Spec{Inputs: []montecarlo.Input{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Dist: montecarlo.DistSpec{Type: "pert", Min: f(0.6), Mode: f(1), Max: f(1.3)}},
		{Target: "*/mugs/unit_cost", Op: costmodel.SetTo, Dist: montecarlo.DistSpec{Type: "pert", Min: f(4), Mode: f(8), Max: f(16)}},
	}}
	cut := scenario.CompetitorCut{Categories: "*/mugs", Start: 1, Depth: decimal.RequireFromString("0.15"), Duration: 1,
		Elasticity: decimal.RequireFromString("-2.5")}
	out := scenario.Output{Scope: scenario.Category, Key: "mugs", Metric: scenario.Contribution}
	cmp, err := montecarlo.CompareResponses(context.Background(), p, spec, montecarlo.Options{Trials: 4000, Seed: 7}, cut, out, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range cmp.Responses {
		fmt.Printf("%-17s contribution %s", r.Scenario.Name, r.Exact.Amount.StringFixed(2))
		if r.VsFirst != nil {
			fmt.Printf(", P(better than hold) %.2f", r.VsFirst.PBetter)
		}
		fmt.Println()
	}
	// At the base values matching is better; over the futures, where mugs
	// cost 8.67 on average and up to 16, holding price is better in most.

	// Output:
	// hold price        contribution 3748.04
	// match             contribution 3772.10, P(better than hold) 0.37
	// match part (0.5)  contribution 3768.97, P(better than hold) 0.44
}

func f(v float64) *float64 { return &v }
