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
//
// The service credits are the partnership's outage terms (costmodel.Outage,
// "outage" on the partnership in the portfolio), read by the deal from the
// statement's outage lines. The sample portfolio has none, so with
// -sample-outage (the default) a partnership without outage terms is given
// the sample's (sampleOutage) and the simulation draws its downtime as
// Poisson incidents of lognormal length (sampleDowntime); the program says
// so. A portfolio whose partnership has outage terms keeps its own, and
// its spec draws the downtime (or leaves it at the plan's).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"slices"

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
	sampleOut := flag.Bool("sample-outage", true, "give the deal's partnership the sample's outage terms and downtime draws when it has no outage terms")
	flag.Parse()
	if err := run(os.Stdout, *portfolio, *uncertainty, *terms, *trials, *out, *sampleOut); err != nil {
		log.Fatal(err)
	}
}

// run evaluates the deal; an empty file name stands for the sample
// embedded in the library, so the program needs no files.
func run(w io.Writer, portfolioFile, specFile, termsFile string, trials int, out string, sampleOut bool) error {
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
	attached := false
	if sampleOut {
		if p, spec, attached, err = withSampleOutage(p, spec, t.Partnership); err != nil {
			return err
		}
		if attached {
			// The statement with the outage lines; the terms again on it.
			if st, err = costmodel.Evaluate(p); err != nil {
				return err
			}
			if t, err = deal.Load(bytes.NewReader(termsData), st); err != nil {
				return fmt.Errorf("%s: %w", nameOr(termsFile, "the sample deal"), err)
			}
			if plan, err = deal.Evaluate(t, st); err != nil {
				return err
			}
		}
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

	fmt.Fprintf(w, "Deal for %s: investment %s in %d tranches\n", t.Partnership, money(t.Investment), len(t.Tranches))
	if attached {
		fmt.Fprintf(w, "Outage terms: the sample's (-sample-outage), given to %s: %s hours down a month on the plan, drawn as %s\n", t.Partnership, sampleDowntimeHours, sampleDowntimeText)
	}
	fmt.Fprintln(w)
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
	if plan.Service != nil {
		fmt.Fprintf(w, "Service credits mean %s, P(a credit in the horizon) %.3f ± %.3f\n", whole(tr.Credits.Mean), tr.PCredit, tr.PCreditSE)
	}
	if tr.ContingencyGain.Samples != nil {
		fmt.Fprintf(w, "Contingency gain mean %s, better in %.1f%% of trials (common random numbers)\n",
			whole(tr.ContingencyGain.Mean), 100*tr.PContingencyBetter)
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

// The sample's outage terms for a partnership without any: a 99.5 %
// commitment with credits of 10 % and 25 % of a 2,000 fee, a contingency
// carrying 60 % of the GMV an outage loses; 2.4 hours down a month on
// the plan (0.8 incidents of 3 hours on average), drawn in the
// simulation as Poisson(0.8) incidents of lognormal length (mean 3 h,
// sd 4 h).
const (
	sampleOutage = `{"downtime_hours": "2.4", "uptime_commitment": "0.995", "monthly_fee": "2000", "direction": "earned",
	  "credits": [{"from": "0.99", "to": "0.995", "share": "0.1"}, {"from": "0", "to": "0.99", "share": "0.25"}],
	  "contingency": {"fallback_share": "0.6"}}`
	sampleDowntimeHours = "2.4"
	sampleDowntimeText  = "Poisson(0.8) incidents a month of lognormal length (mean 3 h, sd 4 h)"
)

// withSampleOutage gives partnership id of p the sample's outage terms,
// and spec an input drawing its downtime, when it has no outage terms:
// a copy of each (p and spec are not changed); attached says whether it
// did.
func withSampleOutage(p *costmodel.Portfolio, spec *montecarlo.Spec, id string) (*costmodel.Portfolio, *montecarlo.Spec, bool, error) {
	q := p.Clone()
	for i := range q.Partnerships {
		ps := &q.Partnerships[i]
		if ps.ID != id || ps.Outage != nil {
			continue
		}
		var o costmodel.Outage
		if err := costmodel.DecodeStrict([]byte(sampleOutage), &o); err != nil {
			return nil, nil, false, err
		}
		ps.Outage = &o
		mean, sd := 3.0, 4.0
		s := *spec
		s.Inputs = append(slices.Clone(spec.Inputs), montecarlo.Input{Name: "sample downtime", Target: id + "/outage/downtime_hours", Op: costmodel.SetTo,
			Dist: montecarlo.DistSpec{Type: "lognormal", Mean: &mean, SD: &sd}, PerMonth: true, Process: montecarlo.CompoundPoisson, EventsPerMonth: 0.8})
		if err := s.Validate(q); err != nil {
			return nil, nil, false, err
		}
		return q, &s, true, nil
	}
	return p, spec, false, nil
}
