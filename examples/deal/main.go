// Command deal evaluates a partnership deal funded in stages on the
// sample portfolio: the milestones on the plan and their probability
// P(met) in a Monte Carlo, the NPV of staged funding against committing
// everything up front (the value of the option to stop), the service
// credits, and the dated cash flows valued by XNPV and XIRR. It writes a
// workbook with the Deal terms sheet (live XNPV and XIRR formulas),
// atomically:
//
//	go run ./examples/deal
//	go run ./examples/deal -portfolio p.json -uncertainty u.json -deal d.json -trials 2000 -out deal.xlsx
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/shopspring/decimal"
)

func main() {
	log.SetFlags(0)
	portfolio := flag.String("portfolio", "", "portfolio JSON (default: the embedded sample)")
	uncertainty := flag.String("uncertainty", "", "Monte Carlo spec JSON (default: the embedded sample)")
	terms := flag.String("deal", "", "deal terms JSON (default: the embedded sample)")
	trials := flag.Int("trials", 2000, "Monte Carlo trials, 2 to 100000000")
	out := flag.String("out", "deal.xlsx", "workbook to write")
	flag.Parse()
	if err := run(os.Stdout, *portfolio, *uncertainty, *terms, *trials, *out); err != nil {
		log.Fatal(err)
	}
}

// run evaluates the deal; an empty file name stands for the sample
// embedded in the library, so the program needs no files.
func run(w io.Writer, portfolioFile, specFile, termsFile string, trials int, out string) error {
	// A count given must mean itself: 0 is no run at all, not a default.
	if trials < 2 || trials > montecarlo.MaxTrials {
		return fmt.Errorf("-trials %d: expected 2 to %s trials", trials, format.Count(montecarlo.MaxTrials))
	}
	var p *costmodel.Portfolio
	var err error
	if portfolioFile == "" {
		p, err = marginal.SamplePortfolio()
	} else {
		p, err = costmodel.LoadFile(portfolioFile)
	}
	if err != nil {
		return err
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		return err
	}
	termsData, specData := marginal.SampleDeal(), marginal.SampleUncertainty()
	if termsFile != "" {
		if termsData, err = os.ReadFile(termsFile); err != nil {
			return err
		}
	}
	if specFile != "" {
		if specData, err = os.ReadFile(specFile); err != nil {
			return err
		}
	}
	t, err := deal.Load(bytes.NewReader(termsData), st)
	if err != nil {
		return fmt.Errorf("%s: %w", nameOr(termsFile, "the sample deal"), err)
	}
	plan, err := deal.Evaluate(t, st)
	if err != nil {
		return err
	}
	spec, err := montecarlo.Load(bytes.NewReader(specData), p)
	if err != nil {
		return fmt.Errorf("%s: %w", nameOr(specFile, "the sample uncertainty spec"), err)
	}
	outs, err := deal.Outputs(t, st)
	if err != nil {
		return err
	}
	res, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: trials, Seed: 17, Outputs: outs})
	if err != nil {
		return err
	}
	tr, err := deal.EvaluateTrials(t, st, res, 17)
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "Deal for %s: investment %s in %d tranches\n\n", t.Partnership, money(t.Investment), len(t.Tranches))
	fmt.Fprintf(w, "%-8s %12s  %-58s %14s %5s %7s\n", "Month", "Amount", "Milestone", "Plan", "Met", "P(met)")
	k := 0
	for j, tranche := range t.Tranches {
		ms, value, met := "none (released on schedule)", "", ""
		if m := tranche.Milestone; m != nil {
			bound, op := m.AtLeast, "≥"
			if bound == nil {
				bound, op = m.AtMost, "≤"
			}
			ms = fmt.Sprintf("%s %s %s over %s, else %s", m.Metric, op, money(*bound), m.Window, tranche.OnMiss)
			if k < len(plan.Milestones) {
				r := plan.Milestones[k]
				value, met = money(r.Value), fmt.Sprint(r.Met)
				if !r.Defined {
					value = "n/a"
				}
			}
			k++
		}
		fmt.Fprintf(w, "%-8s %12s  %-58s %14s %5s %7.3f\n", tranche.Month, money(tranche.Amount), ms, value, met, tr.PMet[j])
	}
	fmt.Fprintf(w, "\nOn the plan: staged NPV %s, committed up front %s, option value %s\n",
		money(plan.Staged.NPV), money(plan.Committed.NPV), money(plan.OptionValue))
	fmt.Fprintf(w, "Expected loss to the partner's failure (hazard): %s\n", money(plan.ExpectedExitLoss))
	fmt.Fprintf(w, "Over %s trials: funding released %s on average, P(stopped) %.3f, P(partner failed) %.3f\n",
		format.Count(tr.N), whole(tr.Released.Mean), tr.PStopped, tr.PFailed)
	fmt.Fprintf(w, "Staged NPV mean %s (P5 %s, P95 %s); committed mean %s; option value mean %s ± %s\n",
		whole(tr.Staged.Mean), whole(tr.Staged.P5), whole(tr.Staged.P95), whole(tr.Committed.Mean),
		whole(tr.OptionValue.Mean), whole(tr.OptionValue.StdErr))
	if tr.ContingencyGain.Samples != nil {
		fmt.Fprintf(w, "Service credits mean %s; contingency gain mean %s, better in %.1f%% of trials (common random numbers)\n",
			whole(tr.Credits.Mean), whole(tr.ContingencyGain.Mean), 100*tr.PContingencyBetter)
	}
	fmt.Fprintf(w, "\nDated cash flows (staged, on the plan): %d flows from %s to %s\n", len(plan.Flows),
		plan.Flows[0].Date.Format("2006-01-02"), plan.Flows[len(plan.Flows)-1].Date.Format("2006-01-02"))
	fmt.Fprintf(w, "XNPV at %s a year: %s\n", plan.AnnualRate.Round(4), money(plan.XNPV))
	if plan.XIRRErr != nil {
		fmt.Fprintf(w, "XIRR: none (%v)\n", plan.XIRRErr)
	} else {
		fmt.Fprintf(w, "XIRR: %.2f%%\n", 100*plan.XIRR)
	}

	if out == "" {
		return nil
	}
	if err := report.WriteFile(out, report.Options{Portfolio: p, Statement: st, Simulation: res,
		Deal: &report.DealSheet{Terms: t, Plan: plan, Trials: tr}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nWrote %s (the Deal terms sheet: XNPV and XIRR as live formulas)\n", out)
	return nil
}

// nameOr names an input in an error: its file, or what stood in for it.
func nameOr(file, sample string) string {
	if file == "" {
		return sample
	}
	return file
}

// money formats an amount to the cent with thousands separators.
func money(d decimal.Decimal) string { return format.MoneyPlaces(d, 2) }

// whole formats a simulated amount to the unit with thousands separators.
func whole(x float64) string { return format.MoneyFloat(x) }
