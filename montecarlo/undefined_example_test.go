package montecarlo_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

// A launch that may not happen: in about a quarter of the futures there
// are no orders, so the contribution ratio is undefined there. Its
// statistics are over the futures that have sales, and the others are
// counted, not averaged in as 0: with orders, the ratio is the base
// case's 28.28 % in every trial.
func ExampleOutputResult_DefinedSamples() {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	spec := &montecarlo.Spec{Inputs: []montecarlo.Input{{
		Name: "launch", Target: "*/mugs/orders", Op: costmodel.Multiply,
		Dist: montecarlo.DistSpec{Type: "discrete", Values: []float64{0, 1}, Weights: []float64{1, 3}},
	}}}
	ratio := scenario.Output{Scope: scenario.Portfolio, Metric: scenario.ContributionRatio}
	r, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: 2000, Seed: 1, Outputs: []scenario.Output{ratio}})
	if err != nil {
		log.Fatal(err)
	}
	o, _ := r.Output(ratio)
	fmt.Printf("undefined in %d of %d trials\n", o.Undefined, r.Trials)
	fmt.Printf("defined samples %d = Summary.N %d\n", len(o.DefinedSamples()), o.Summary.N)
	fmt.Printf("mean over the defined trials %.4f\n", o.Summary.Mean)
	if v, ok := o.PercentileOK(0.05); ok {
		fmt.Printf("P5 %.4f\n", v)
	}
	// Output:
	// undefined in 500 of 2000 trials
	// defined samples 1500 = Summary.N 1500
	// mean over the defined trials 0.2828
	// P5 0.2828
}

// With no trial count in the options or the spec, a run says where to
// give one.
func ExampleErrNoTrials() {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	spec := &montecarlo.Spec{Inputs: []montecarlo.Input{{Target: "*/mugs/orders", Op: costmodel.Multiply,
		Dist: montecarlo.DistSpec{Type: "uniform", Min: ptr(0.9), Max: ptr(1.1)}}}}
	_, err = montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Seed: 1})
	fmt.Println(errors.Is(err, montecarlo.ErrNoTrials))
	fmt.Println(err)
	// Output:
	// true
	// 1 problem:
	//   trials: expected a number of trials (2 to 100000000): set Options.Trials, or "run": {"trials": N} (run.trials) in the uncertainty spec; there is no default
}

func ptr(x float64) *float64 { return &x }
