package montecarlo_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

// CompareTrajectories runs each growth trajectory on the same simulated
// futures and pairs them trial by trial; the exact figures stand beside
// the simulated ones. The sample's trajectories are "stay domestic",
// "add a marketplace" and "open the EU lane".
func ExampleCompareTrajectories() {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		fmt.Println(err)
		return
	}
	trs, err := scenario.LoadTrajectories(bytes.NewReader(marginal.SampleTrajectories()), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 200, Seed: 16}, trs)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pr := range c.Pairs[:len(c.Outcomes)-1] { // those against the first
		fmt.Printf("%s against %s: exact NPV difference %s\n",
			c.Outcomes[pr.B].Trajectory.Name, c.Outcomes[pr.A].Trajectory.Name, pr.ExactNPV.StringFixed(2))
	}
	// Output:
	// add a marketplace against stay domestic: exact NPV difference -55734.24
	// open the EU lane against stay domestic: exact NPV difference -378565.96
}
