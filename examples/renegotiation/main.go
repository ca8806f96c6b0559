// Command renegotiation prepares a revenue-share renegotiation with the
// sample portfolio's catalogue-syndication partner, FeedLink: 5 % of GMV
// today with a $1,500 monthly minimum; FeedLink proposes 4 % with a
// $5,000 monthly minimum: cheaper if volumes come in, dearer if not. Where is the bargaining range, what is the fair (Nash) rate,
// and in how many simulated futures are we better off under the proposal?
// It writes renegotiation.xlsx.
//
//	go run ./examples/renegotiation
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
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout, "."); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, dir string) error {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		return err
	}
	const partner = "feedlink"

	// The proposal, as a scenario on the current terms.
	proposed := scenario.Scenario{Name: "proposed", Description: "4 % revenue share, $5,000 monthly minimum", Shocks: []scenario.Shock{
		{Target: partner + "/commission/rate", Op: costmodel.SetTo, Value: dec("0.04")},
		{Target: partner + "/minimum_commission", Op: costmodel.SetTo, Value: dec("5000")},
	}}

	// Both sides' economics. FeedLink's cost to serve us, from its
	// published price list and our volumes: $0.25 per order routed, 0.5 %
	// of GMV in payment handling, $2,500 a month of account management;
	// it commits to 99.9 % uptime (expecting 99.85 %), crediting 10 % of
	// the month's revenue share per point short, at most 25 %. These go
	// into the model as FeedLink's partner side, so the workbook's
	// Statement carries the partner's lines too. Without the deal we
	// would still win about 60 % of these orders on other channels: our
	// no-deal outcome is 60 % of today's contribution.
	for i := range p.Partnerships {
		if p.Partnerships[i].ID == partner {
			p.Partnerships[i].Partner = &costmodel.PartnerSide{PerOrder: dec("0.25"), RateOfGMV: dec("0.005"), Monthly: dec("2500"),
				Uptime: &costmodel.UptimeCredit{Target: dec("0.999"), Expected: dec("0.9985"), CreditPerPoint: dec("0.1"), MaxCredit: dec("0.25")}}
		}
	}
	fair, err := scenario.Fairness(p, scenario.Negotiation{
		Partnership: partner,
		OurNoDeal:   dec("700000"),
		Proposed:    &proposed,
	})
	if err != nil {
		return err
	}
	pct := func(v scenario.Value) string {
		if !v.Valid {
			return "n/a"
		}
		return v.Amount.Mul(dec("100")).StringFixed(2) + " %"
	}
	fmt.Fprintf(w, "current terms %s: our value %s, theirs %s\n", pct(scenario.Value{Amount: fair.Current.Rate, Valid: true}),
		format.Money(fair.Current.Ours), format.Money(fair.Current.Partner))
	fmt.Fprintf(w, "proposed:            our value %s, theirs %s\n", format.Money(fair.Proposed.Ours), format.Money(fair.Proposed.Partner))
	fmt.Fprintf(w, "against our no-deal outcome of 700,000: %s\n", format.BargainingRange(fair))
	fmt.Fprintf(w, "Nash rate (equal split of a %s surplus): %s\n", format.Money(fair.Surplus), pct(fair.Nash))

	// The same question under uncertainty: current and proposed terms on
	// the same 10,000 futures (common random numbers).
	q, err := proposed.Apply(p)
	if err != nil {
		return err
	}
	spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p)
	if err != nil {
		return err
	}
	ours := scenario.Output{Scope: scenario.Partnership, Key: partner, Metric: scenario.Contribution}
	sim, paired, err := montecarlo.RunPaired(context.Background(), p, spec, montecarlo.Options{Trials: 10000, Seed: 7}, ours,
		montecarlo.Alternative{Name: proposed.Name, Portfolio: q})
	if err != nil {
		return err
	}
	d := paired[0].Difference
	if !d.Valid {
		fmt.Fprintf(w, "under the proposed terms: n/a (%s is undefined in every future)\n", ours)
	} else {
		p5, _ := d.PercentileOK(0.05)
		p95, _ := d.PercentileOK(0.95)
		fmt.Fprintf(w, "under the proposed terms we are better off in %.0f%% of futures (mean change %s, P5 %s, P95 %s)\n",
			100*paired[0].PBetter, format.MoneyFloat(d.Summary.Mean), format.MoneyFloat(p5), format.MoneyFloat(p95))
		if d.Undefined > 0 {
			fmt.Fprintf(w, "(over the %d futures in which it is defined on both sides; %d undefined are left out)\n", d.Summary.N, d.Undefined)
		}
	}

	review, err := fairnessReview(w, p, q, spec, partner)
	if err != nil {
		return err
	}

	out := filepath.Join(dir, "renegotiation.xlsx")
	if err := report.WriteFile(out, report.Options{Portfolio: p, Fairness: fair, Simulation: sim, Paired: paired,
		FairnessReview: review, Version: marginal.Version, Seed: sim.Seed, Trials: sim.Trials}); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", out)
	return nil
}

// fairnessReview follows the fairness of both terms across volumes: both
// sides' shares of the joint surplus from half to three times today's
// orders, the incentive check (does either side lose from growth?), the
// Nash schedule found by scaling the current rate, the Shapley split of
// the two parties and our share under uncertainty.
func fairnessReview(w io.Writer, p, q *costmodel.Portfolio, spec *montecarlo.Spec, partner string) (*report.FairnessReview, error) {
	b := scenario.Bargain{Partnership: partner, OurNoDeal: dec("700000")}
	vols, err := b.AlongVolumes(p, q, scenario.VolumePath{Scales: scenario.ScalePath(dec("0.5"), dec("3"), dec("0.25"))})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "both sides gain from growth everywhere from 0.5x to 3x: under the current terms %s, under the proposed %s\n",
		yesNo(vols.CurrentPasses), yesNo(vols.ProposedPasses))
	for _, f := range vols.Flags {
		fmt.Fprintf(w, "  %s terms: %s loses %s from %s to %s orders (%s)\n", f.Terms, f.Side, format.Money(f.Lost),
			format.Money(f.FromOrders), format.Money(f.ToOrders), f.Cause)
	}
	fair, err := b.FairTerms(p, scenario.Knob{}, scenario.Split{Rule: scenario.Nash})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "Nash schedule: the current rates x %s (our share %s)\n", fair.X.StringFixed(4), fair.At.OurShare.Amount.StringFixed(3))
	sp, err := scenario.Coalition{Partnership: partner, Parties: []scenario.Party{
		{Name: "us", Essential: true, NoDeal: b.OurNoDeal, Value: []costmodel.Term{{Line: costmodel.LineOurValue, Sign: 1}}},
		{Name: "FeedLink", Essential: true, Value: []costmodel.Term{{Line: costmodel.LinePartnerValue, Sign: 1}}},
	}}.Shapley(p)
	if err != nil {
		return nil, err
	}
	u, err := montecarlo.RunFairness(context.Background(), p, q, spec, montecarlo.Options{Trials: 2000, Seed: 7},
		montecarlo.FairnessOptions{Bargain: b, BandLo: 0.4, BandHi: 0.6})
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "our share outside 40-60 %%: current %.0f%% of futures, proposed %.0f%%; proposed fairer in %.0f%%\n",
		100*u.Current.POutside, 100*u.Proposed.POutside, 100*u.PFairer)
	return &report.FairnessReview{Volumes: vols, Fair: fair, Shapley: sp, Uncertainty: u}, nil
}

// yesNo says a check's outcome in words.
func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}
