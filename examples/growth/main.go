// Command growth compares three growth trajectories of the sample
// portfolio: "stay domestic" (the portfolio as it is), "add a
// marketplace" (a Walmart-like US marketplace from May 2026 that takes
// half its orders from the Amazon-like and eBay-like ones) and "open the
// EU lane" (an Amazon-like German marketplace priced in EUR from July
// 2026, shipped from the US with duty, marketplace-collected VAT,
// international shipping, more returns and an FX fee). Each is simulated
// on the same 2,000 futures of the sample uncertainty (common random
// numbers), and each is set against staying domestic: the NPV
// difference, the share of futures in which it is better, its payback
// month and its peak funding need. It writes growth.xlsx, whose
// Trajectories sheet holds the comparison and a fan chart per trajectory.
//
//	go run ./examples/growth
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
)

// Trials and Seed of the comparison: every trajectory runs these.
const (
	trials = 2000
	seed   = 16
)

func main() {
	log.SetFlags(0)
	if _, err := run(os.Stdout, "."); err != nil {
		log.Fatal(err)
	}
}

// run compares the sample trajectories, prints the comparison to w and
// writes growth.xlsx into dir. Everything it reads is embedded (package
// marginal), so it runs in any directory.
func run(w io.Writer, dir string) (*montecarlo.TrajectoryComparison, error) {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		return nil, err
	}
	trs, err := scenario.LoadTrajectories(bytes.NewReader(marginal.SampleTrajectories()), p)
	if err != nil {
		return nil, err
	}
	spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p)
	if err != nil {
		return nil, err
	}
	c, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: trials, Seed: seed}, trs)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "%d trajectories on the same %d futures (seed %d)\n", len(c.Outcomes), c.Trials, c.Seed)
	for _, o := range c.Outcomes {
		fmt.Fprintf(w, "%s: NPV %s exact, %s mean; payback %s; peak funding need %s exact, %s mean\n",
			o.Trajectory.Name, format.MoneyPlaces(o.Exact.NPV, 2), format.MoneyFloat(o.NPV.Mean),
			payback(o), format.MoneyPlaces(o.Exact.PeakFunding, 2), format.MoneyFloat(o.PeakFunding.Mean))
	}
	ref := c.Outcomes[0].Trajectory.Name
	for _, pr := range c.Pairs {
		if pr.A != 0 {
			continue // the comparison also pairs the later trajectories with each other; the sheet shows those
		}
		fmt.Fprintf(w, "%s against %s: NPV difference %s exact, %s mean (P5 %s, P95 %s); better in %.1f%% of futures\n",
			c.Outcomes[pr.B].Trajectory.Name, ref, format.MoneyPlaces(pr.ExactNPV, 2), format.MoneyFloat(pr.NPV.Mean),
			format.MoneyFloat(pr.NPV.P5), format.MoneyFloat(pr.NPV.P95), 100*pr.PBetter)
	}
	for _, o := range c.Outcomes {
		costs, err := laneCosts(o.Portfolio)
		if err != nil {
			return nil, err
		}
		whole, err := wholeLaneCosts(o.Portfolio)
		if err != nil {
			return nil, err
		}
		printLaneCosts(w, o.Trajectory.Name, costs, whole)
	}
	out := filepath.Join(dir, "growth.xlsx")
	if err := report.WriteFile(out, report.Options{Portfolio: p, Trajectories: c, Version: marginal.Version, Seed: c.Seed, Trials: c.Trials}); err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "wrote %s\n", out)
	return c, nil
}

// payback says a trajectory's exact payback month and the share of
// futures that pay back within the horizon.
func payback(o montecarlo.TrajectoryOutcome) string {
	exact := "not within the horizon"
	if o.Exact.Payback.Reached {
		exact = fmt.Sprintf("month %d", o.Exact.Payback.Month)
	}
	return fmt.Sprintf("%s exact, within the horizon in %.1f%% of futures", exact, 100*o.PPayback)
}
