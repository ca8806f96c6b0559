// Command quickstart runs the whole partnership review on the sample
// portfolio embedded in the library: the base case, five ready-made
// scenarios with four guardrails, a 10,000-trial Monte Carlo, a tornado
// and the renegotiation with FeedLink, then writes
// partnership-review.xlsx. It takes no arguments:
//
//	go run ./examples/quickstart
//
// What it runs is written once, as report.Specs, in
// internal/samplereview; examples/review runs the same by default, and
// the workbook records it, so that review -assumptions on the edited
// workbook writes the same review again.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/internal/progress"
	"github.com/marginalhq/marginal/internal/samplereview"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
)

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout, "."); err != nil {
		log.Fatal(err)
	}
}

// run does the review of the sample portfolio, printing to w and writing
// the workbook into dir.
func run(w io.Writer, dir string) error {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		return err
	}
	return review(w, dir, p)
}

// testTrials, when set by a test that checks the printing rather than the
// simulation, replaces the sample review's trial count.
var testTrials int

// review does the review of p, a portfolio with the sample's partnerships.
func review(w io.Writer, dir string, p *costmodel.Portfolio) error {
	// 1. What to run: the scenarios, guardrails, uncertainty, tornado and
	// renegotiation of the sample review (internal/samplereview).
	specs, skipped, err := samplereview.Specs(p)
	if err != nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintln(w, s)
	}
	if testTrials > 0 {
		specs.Trials = testTrials
	}

	// 2. Run it all: the exact base case and scenarios, the guardrails,
	// the Monte Carlo run (a progress bar on a terminal), the tornado and
	// the renegotiation.
	bar := progress.New(os.Stderr, false)
	opt, err := specs.Compute(context.Background(), p, bar.Update)
	bar.Done()
	if err != nil {
		return err
	}
	opt.Version = marginal.Version
	base, cmp, sim, tornado := opt.Statement, opt.Comparison, opt.Simulation, opt.Tornado

	// 3. The summary a partnership manager reads.
	fmt.Fprintf(w, "%s — %d months from %s, %s\n\n", p.Name, p.Months, p.Start, base.Currency.Code)
	fmt.Fprintf(w, "%-10s %14s %9s %14s %14s %14s %7s  (%s; contribution %% = contribution / net sales)\n",
		"partner", "contribution", "contrib %", "P5", "P50", "P95", "P(loss)", base.Currency.Code)
	for _, ps := range base.Partnerships {
		o, ok := sim.Output(scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
		if !ok {
			return fmt.Errorf("the simulation did not record %s's contribution", ps.ID)
		}
		fmt.Fprintf(w, "%-10s %14s %9s %14s %14s %14s %7s\n", ps.ID, format.Money(ps.Total.Total[costmodel.LineContribution]),
			ratio(ps.Measures.ContributionRatio), simMoney(o, 0.05), simMoney(o, 0.5), simMoney(o, 0.95), probLoss(o))
	}
	contribution := scenario.Output{Metric: scenario.Contribution}
	o, ok := sim.Output(contribution)
	if !ok {
		return fmt.Errorf("the simulation did not record the portfolio's contribution")
	}
	fmt.Fprintf(w, "%-10s %14s %9s %14s %14s %14s %7s\n\n", "portfolio", format.Money(base.Portfolio.Total[costmodel.LineContribution]),
		ratio(base.Measures.ContributionRatio), simMoney(o, 0.05), simMoney(o, 0.5), simMoney(o, 0.95), probLoss(o))

	fmt.Fprintln(w, "scenarios (portfolio contribution):")
	for _, s := range cmp.Scenarios {
		r, _ := cmp.Find(s.Name, contribution)
		// the delta of the rounded figures, so that the line adds up
		delta := r.Value.Amount.Round(0).Sub(r.Base.Amount.Round(0))
		fmt.Fprintf(w, "  %-20s %14s  (%s, %s)\n", s.Name, format.Money(r.Value.Amount), format.Money(delta), percent(r.DeltaPct))
	}
	fmt.Fprintf(w, "\nguardrail breaches: %d\n", len(opt.Breaches))
	for i, b := range opt.Breaches {
		if i == 8 {
			fmt.Fprintf(w, "  … and %d more (Guardrails sheet)\n", len(opt.Breaches)-i)
			break
		}
		value, limit := format.Money(b.Value.Amount), format.Money(b.Limit)
		if b.Metric.IsRatio() {
			value, limit = percent(b.Value), b.Limit.Shift(2).StringFixed(1)+"%"
		} else if b.Metric == scenario.PaybackMonth {
			value, limit = b.Value.String(), b.Limit.String()
		}
		if b.Undefined {
			value = "n/a (undefined, not checked)"
		}
		where := "horizon"
		if !b.Window.IsHorizon() {
			where = b.Window.String()
		}
		fmt.Fprintf(w, "  %-20s %-9s %-10s %-18s %s: %s (limit %s)\n", b.Scenario, b.Scope, b.Key, where, b.Rule, value, limit)
	}
	fmt.Fprintf(w, "\nP(breach) over %s futures (base case):\n", format.Count(sim.Trials))
	for _, g := range sim.Guardrails {
		if g.Scenario != "base" { // the proposed terms' futures, on the Guardrails sheet
			continue
		}
		most := "never breached"
		if g.MostBreached >= 0 {
			most = "most often " + g.Windows[g.MostBreached].Window.String()
		}
		fmt.Fprintf(w, "  %-38s %5.1f %% ± %.1f %%  (%s)\n", g.Rule.Label(), 100*g.PBreach, 100*g.SE, most)
	}
	fmt.Fprintln(w, "\nlargest swings of portfolio contribution (inputs ±10 %):")
	for _, b := range tornado.Bars[:min(5, len(tornado.Bars))] {
		swing := "n/a (undefined at an end)"
		if !b.Undefined {
			swing = format.Money(b.Swing)
		}
		fmt.Fprintf(w, "  %-36s %s\n", b.Label, swing)
	}
	if fs := opt.Fairness; fs != nil {
		printRenegotiation(w, fs, opt.Paired, specs.Renegotiation)
	}

	// 4. The workbook, which records the specs it was made from.
	out := filepath.Join(dir, "partnership-review.xlsx")
	if err := report.WriteFile(out, opt); err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	fmt.Fprintf(w, "\nwrote %s (open it in Excel or LibreOffice; change an input on the Assumptions sheet and the Statement follows;\n"+
		"then go run ./examples/review -assumptions %s -out NEW.xlsx writes this review again on the edited inputs)\n", abs, filepath.Base(out))
	return nil
}

// printRenegotiation prints both sides' value under the current and the
// proposed terms, the bargaining range in words, the Nash rate and, from
// the simulation, how often the proposal is better for us.
func printRenegotiation(w io.Writer, fs *scenario.FairShare, paired []montecarlo.Paired, r *report.RenegotiationSpec) {
	fmt.Fprintf(w, "\nrenegotiation with %s (our value and theirs over the horizon):\n", fs.Partnership)
	fmt.Fprintf(w, "  current terms  (%s): ours %s, theirs %s\n", format.Rate(scenario.Value{Amount: fs.Current.Rate, Valid: true}),
		format.Money(fs.Current.Ours), format.Money(fs.Current.Partner))
	if fs.Proposed != nil && r != nil && r.Proposed != nil {
		fmt.Fprintf(w, "  proposed terms (%s): ours %s, theirs %s\n", r.Proposed.Description, format.Money(fs.Proposed.Ours), format.Money(fs.Proposed.Partner))
	}
	fmt.Fprintf(w, "  %s\n", format.BargainingRange(fs))
	if fs.Nash.Valid {
		fmt.Fprintf(w, "  Nash rate (equal split of the %s surplus): %s\n", format.Money(fs.Surplus), format.Rate(fs.Nash))
	}
	if len(paired) > 0 {
		d := paired[0].Difference
		if d.Valid {
			fmt.Fprintf(w, "  under the proposed terms we are better off in %.0f%% of %s futures (mean change %s)\n",
				100*paired[0].PBetter, format.Count(d.Summary.N), format.MoneyFloat(d.Summary.Mean))
		}
	}
}

// ratio is a ratio in percent with one decimal, or "n/a" when it is
// undefined (zero net sales): an undefined ratio is never printed as 0.
func ratio(r costmodel.Ratio) string {
	return percent(scenario.Value{Amount: r.Value, Valid: r.Valid})
}

// percent is a fraction in percent with one decimal, or "n/a" when the
// value is undefined.
func percent(v scenario.Value) string {
	if !v.Valid {
		return "n/a"
	}
	return v.Amount.Shift(2).StringFixed(1) + "%"
}

// simMoney is a simulated percentile p of an output, or "n/a" when no
// trial defines the output.
func simMoney(o *montecarlo.OutputResult, p float64) string {
	v, ok := o.PercentileOK(p)
	if !ok {
		return "n/a"
	}
	return format.MoneyFloat(v)
}

// probLoss is P(output < 0) over the defined trials in percent, or "n/a"
// when no trial defines the output.
func probLoss(o *montecarlo.OutputResult) string {
	if !o.Valid {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*o.ProbLoss)
}
