// Command quickstart runs the whole partnership review on the sample
// portfolio embedded in the library: the base case, the ready-made
// scenarios with guardrails, a 10,000-trial Monte Carlo and a tornado,
// then writes partnership-review.xlsx. It takes no arguments:
//
//	go run ./examples/quickstart
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
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

// run does the review of the sample portfolio, printing to w and writing
// the workbook into dir.
func run(w io.Writer, dir string) error {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		return err
	}
	return review(w, dir, p)
}

// review does the review of p, a portfolio with the sample's partnerships.
func review(w io.Writer, dir string, p *costmodel.Portfolio) error {
	// 1. The base case, exact to the cent.
	base, err := costmodel.Evaluate(p)
	if err != nil {
		return err
	}

	// 2. The ready-made scenarios, compared with the base, and the
	// guardrails finance watches.
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	if err != nil {
		return err
	}
	priceWar, err := scenario.CompetitiveShift(p, scenario.CompetitiveShiftOptions{Categories: "*/beauty", PriceCut: dec("0.10")})
	if err != nil {
		return err
	}
	outage, err := scenario.PartnerOutage(p, scenario.PartnerOutageOptions{Partnership: "amazon-us", Month: 10, Days: 3, Recovered: dec("0.3")})
	if err != nil {
		return err
	}
	feeRise, err := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "amazon-us", PercentagePoints: dec("0.02")})
	if err != nil {
		return err
	}
	shipping, err := scenario.CostShock(p, scenario.ShippingCost, dec("1.10"), "")
	if err != nil {
		return err
	}
	cmp, err := scenario.Compare(p, peak, priceWar, outage, feeRise, shipping)
	if err != nil {
		return err
	}
	minRatio, peakRatio, maxPayback := dec("0.15"), dec("0.10"), dec("12")
	rules := scenario.Guardrails{
		{Name: "CM3 ratio ≥ 15 % per category", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &minRatio},
		// the peak's squeeze, which a whole-horizon ratio averages away
		{Name: "peak CM3 ratio ≥ 10 % per category", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &peakRatio, Window: scenario.EachPeak()},
		{Name: "contribution ≥ 0 per partnership", Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: &decimal.Zero},
		{Name: "payback within 12 months", Scope: scenario.Partnership, Key: "*", Metric: scenario.PaybackMonth, Max: &maxPayback},
	}
	checks, err := rules.CheckRulesComparison(cmp)
	if err != nil {
		return err
	}
	breaches, err := rules.CheckComparison(cmp)
	if err != nil {
		return err
	}

	// 3. Uncertainty: 10,000 trials, Latin Hypercube, seeded.
	spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p)
	if err != nil {
		return err
	}
	sim, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: 10000, Seed: 20261127, Guardrails: rules,
		Fans: []scenario.Output{{Scope: scenario.Portfolio, Metric: scenario.Contribution}}})
	if err != nil {
		return err
	}

	// 4. Which assumptions matter most (a tornado of portfolio contribution).
	ten := dec("0.10")
	var inputs []scenario.Input
	for _, t := range []string{"amazon-us/*/orders", "own-shop/*/orders", "feedlink/*/orders", "*/*/unit_cost",
		"*/*/shipping_cost", "amazon-us/*/commission/tier/*/rate", "*/marketing/rate", "*/*/return_rate"} {
		inputs = append(inputs, scenario.Percent(t, ten))
	}
	contribution := scenario.Output{Metric: scenario.Contribution}
	tornado, err := scenario.RunTornado(p, contribution, inputs)
	if err != nil {
		return err
	}

	// 5. The summary a partnership manager reads.
	fmt.Fprintf(w, "%s — %d months from %s, %s\n\n", p.Name, p.Months, p.Start, base.Currency.Code)
	fmt.Fprintf(w, "%-10s %14s %9s %14s %14s %14s %7s  (%s; contribution %% = contribution / net sales)\n",
		"partner", "contribution", "contrib %", "P5", "P50", "P95", "P(loss)", base.Currency.Code)
	for _, ps := range base.Partnerships {
		o, ok := sim.Output(scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
		if !ok {
			return fmt.Errorf("the simulation did not record %s's contribution", ps.ID)
		}
		fmt.Fprintf(w, "%-10s %14s %9s %14s %14s %14s %7s\n", ps.ID, money(ps.Total.Total[costmodel.LineContribution]),
			ratio(ps.Measures.ContributionRatio), simMoney(o, 0.05), simMoney(o, 0.5), simMoney(o, 0.95), probLoss(o))
	}
	o, ok := sim.Output(contribution)
	if !ok {
		return fmt.Errorf("the simulation did not record the portfolio's contribution")
	}
	fmt.Fprintf(w, "%-10s %14s %9s %14s %14s %14s %7s\n\n", "portfolio", money(base.Portfolio.Total[costmodel.LineContribution]),
		ratio(base.Measures.ContributionRatio), simMoney(o, 0.05), simMoney(o, 0.5), simMoney(o, 0.95), probLoss(o))

	fmt.Fprintln(w, "scenarios (portfolio contribution):")
	for _, s := range cmp.Scenarios {
		r, _ := cmp.Find(s.Name, contribution)
		// the delta of the rounded figures, so that the line adds up
		delta := r.Value.Amount.Round(0).Sub(r.Base.Amount.Round(0))
		fmt.Fprintf(w, "  %-20s %14s  (%s, %s)\n", s.Name, money(r.Value.Amount), money(delta), percent(r.DeltaPct))
	}
	fmt.Fprintf(w, "\nguardrail breaches: %d\n", len(breaches))
	for i, b := range breaches {
		if i == 8 {
			fmt.Fprintf(w, "  … and %d more (Guardrails sheet)\n", len(breaches)-i)
			break
		}
		value, limit := b.Value.String(), b.Limit.String()
		if b.Metric.IsRatio() {
			value, limit = percent(b.Value), b.Limit.Shift(2).StringFixed(1)+"%"
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
	fmt.Fprintln(w, "\nP(breach) over 10,000 futures (base case):")
	for _, g := range sim.Guardrails {
		most := "never breached"
		if g.MostBreached >= 0 {
			most = "most often " + g.Windows[g.MostBreached].Window.String()
		}
		fmt.Fprintf(w, "  %-38s %5.1f %% ± %.1f %%  (%s)\n", g.Rule.Label(), 100*g.PBreach, 100*g.SE, most)
	}
	fmt.Fprintln(w, "\nlargest swings of portfolio contribution (inputs ±10 %):")
	for _, b := range tornado.Bars[:5] {
		swing := "n/a (undefined at an end)"
		if !b.Undefined {
			swing = money(b.Swing)
		}
		fmt.Fprintf(w, "  %-36s %s\n", b.Label, swing)
	}

	// 6. The workbook.
	out := filepath.Join(dir, "partnership-review.xlsx")
	err = report.WriteFile(out, report.Options{
		Portfolio: p, Statement: base, Comparison: cmp, Breaches: breaches, Guardrails: checks, Tornado: tornado,
		Simulation: sim, Uncertainty: spec, Version: marginal.Version, Seed: sim.Seed, Trials: sim.Trials,
	})
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(out)
	fmt.Fprintf(w, "\nwrote %s (open it in Excel or LibreOffice; change an input on the Assumptions sheet and the Statement follows)\n", abs)
	return nil
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

// money formats an amount with thousands separators and no cents.
func money(d decimal.Decimal) string { return group(d.Round(0).String()) }

func moneyF(f float64) string { return money(decimal.NewFromFloat(f)) }

// simMoney is a simulated percentile p of an output, or "n/a" when no
// trial defines the output.
func simMoney(o *montecarlo.OutputResult, p float64) string {
	v, ok := o.PercentileOK(p)
	if !ok {
		return "n/a"
	}
	return moneyF(v)
}

// probLoss is P(output < 0) over the defined trials in percent, or "n/a"
// when no trial defines the output.
func probLoss(o *montecarlo.OutputResult) string {
	if !o.Valid {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*o.ProbLoss)
}

func group(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
