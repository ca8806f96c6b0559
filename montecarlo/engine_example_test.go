package montecarlo_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// Uncertain volume and unit cost on the small test portfolio: the
// distribution of the portfolio's contribution.
func ExampleRun() {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	spec, err := montecarlo.Load(strings.NewReader(`{
	  "inputs": [
	    {"name": "volume", "target": "*/mugs/orders", "op": "multiply",
	     "dist": {"type": "pert", "min": 0.6, "mode": 1.0, "max": 1.2}},
	    {"name": "mug cost", "target": "market/mugs/unit_cost", "op": "set",
	     "dist": {"type": "triangular", "min": 7.5, "mode": 8, "max": 10}}
	  ]}`), p)
	if err != nil {
		log.Fatal(err)
	}
	contribution := scenario.Output{Metric: scenario.Contribution}
	r, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{
		Trials: 20000, Seed: 42, Outputs: []scenario.Output{contribution},
	})
	if err != nil {
		log.Fatal(err)
	}
	o, _ := r.Output(contribution)
	fmt.Printf("P5 %.0f  P50 %.0f  P95 %.0f  P(loss) %.2f\n", o.Percentile(0.05), o.Percentile(0.5), o.Percentile(0.95), o.ProbLoss)
	for i, s := range r.Sensitivity[0].Inputs {
		fmt.Printf("%-8s rank correlation %+.2f\n", r.Inputs[i], s.RankCorrelation)
	}
	// Output:
	// P5 2328  P50 3175  P95 3906  P(loss) 0.00
	// volume   rank correlation +0.93
	// mug cost rank correlation -0.35
}

// Current against proposed terms on the same futures.
func ExampleRunPaired() {
	p, _ := costmodel.LoadFile("../testdata/small.json")
	spec, _ := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"target": "market/mugs/orders", "op": "multiply", "dist": {"type": "lognormal", "mean": 1, "sd": 0.3}},
	  {"target": "market/mugs/return_rate", "op": "set", "dist": {"type": "pert", "min": 0.05, "mode": 0.1, "max": 0.3}}]}`), p)
	// Proposed: the rate falls from 15 % to 12 % but a $400 monthly minimum applies.
	proposed := scenario.Scenario{Name: "proposed", Shocks: []scenario.Shock{
		{Target: "market/commission/rate", Op: costmodel.SetTo, Value: decimal.RequireFromString("0.12")},
		{Target: "market/minimum_commission", Op: costmodel.SetTo, Value: decimal.RequireFromString("400")},
	}}
	q, err := proposed.Apply(p)
	if err != nil {
		log.Fatal(err)
	}
	ours := scenario.Output{Scope: scenario.Partnership, Key: "market", Metric: scenario.Contribution}
	_, paired, err := montecarlo.RunPaired(context.Background(), p, spec, montecarlo.Options{Trials: 20000, Seed: 1}, ours,
		montecarlo.Alternative{Name: "proposed", Portfolio: q})
	if err != nil {
		log.Fatal(err)
	}
	d := paired[0].Difference
	fmt.Printf("better off in %.0f%% of futures; mean gain %.0f, P5 %.0f\n", 100*paired[0].PBetter, d.Summary.Mean, d.Percentile(0.05))
	// Output:
	// better off in 49% of futures; mean gain -20, P5 -465
}

// A spec with a mistake in every input is refused before any work, with
// every problem listed.
func ExampleLoad() {
	p, _ := costmodel.LoadFile("../testdata/small.json")
	_, err := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"target": "market/mugs/orders", "op": "set", "dist": {"type": "normal", "mean": 100, "sd": -5}},
	  {"target": "market/toys/orders", "op": "set", "dist": {"type": "triangular", "min": 1, "mode": 3, "max": 2}}]}`), p)
	fmt.Println(err)
	// Output:
	// 3 problems:
	//   inputs[0].dist.sd: got -5, expected a number greater than 0
	//   inputs[1].target: got "market/toys/orders", expected an address or pattern that selects at least one driver
	//   inputs[1].dist.mode: got 3, expected a mode at most max (2)
}

// LoadFile reads an uncertainty file; its inputs are checked against the
// portfolio the run will use.
func ExampleLoadFile() {
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := montecarlo.LoadFile("../testdata/specs/larkspur.uncertainty.json", p)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(spec.Inputs), spec.Inputs[0].Label(), spec.Run.Trials)
	// Output: 8 amazon volume 10000
}
