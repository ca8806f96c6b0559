// Command healthcheck runs the quarterly business review of the sample
// portfolio's first year: plan against actual, the variance bridge of
// contribution, the billing check, the health of every agreed metric and
// the re-forecast of the horizon, with a Monte Carlo of the months after
// the cut-off. It runs on the embedded sample data
// with no arguments; -portfolio, -actuals and -agreements take files
// instead (actuals as long-form CSV, or JSON when the name ends in
// .json):
//
//	go run ./examples/healthcheck
//	go run ./examples/healthcheck -portfolio plan.json -actuals actuals.csv -agreements agreements.json
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

func main() {
	log.SetFlags(0)
	portfolio := flag.String("portfolio", "", "plan portfolio JSON (default: the embedded sample)")
	actualsFile := flag.String("actuals", "", "actuals CSV or JSON (default: the embedded sample year)")
	agreements := flag.String("agreements", "", "agreed metrics JSON (default: the embedded sample)")
	flag.Parse()
	if err := run(os.Stdout, *portfolio, *actualsFile, *agreements); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer, portfolioFile, actualsFile, agreementsFile string) error {
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
	data, agData := marginal.SampleActuals(), marginal.SampleAgreements()
	if actualsFile != "" {
		if data, err = os.ReadFile(actualsFile); err != nil {
			return err
		}
	}
	if agreementsFile != "" {
		if agData, err = os.ReadFile(agreementsFile); err != nil {
			return err
		}
	}
	var a *actuals.Actuals
	if strings.HasSuffix(actualsFile, ".json") {
		a, err = actuals.ReadJSON(data, p)
	} else {
		a, err = actuals.ReadCSV(bytes.NewReader(data), p, costmodel.Month{})
	}
	if err != nil {
		return err
	}
	m, err := actuals.NewModel(p, a)
	if err != nil {
		return err
	}
	year := costmodel.Window{Kind: costmodel.WindowRange, From: p.Start, To: a.CutOff}
	fmt.Fprintf(w, "Health check of %s, actuals %s to %s\n\n", p.Name, p.Start, a.CutOff)

	fmt.Fprintf(w, "Plan against actual, %s to %s\n", p.Start, a.CutOff)
	fmt.Fprintf(w, "  %-14s %-14s %14s %14s %12s %8s\n", "partnership", "metric", "plan", "actual", "difference", "%")
	for _, ps := range m.Plan().Partnerships {
		for _, met := range []costmodel.Metric{costmodel.MetricGMV, costmodel.MetricCM2, costmodel.MetricContribution} {
			o := costmodel.Output{Scope: costmodel.ScopePartnership, Key: ps.ID, Metric: met, Window: year}
			pl, ac, err := m.Compare(o)
			if err != nil {
				return err
			}
			v := actuals.Variance{Plan: pl.Amount, Actual: ac.Amount}
			fmt.Fprintf(w, "  %-14s %-14s %14s %14s %12s %8s\n", ps.ID, met, format.MoneyPlaces(pl.Amount, 2), format.MoneyPlaces(ac.Amount, 2), format.MoneyPlaces(v.Difference(), 2), pct(v.Percent()))
		}
	}

	for _, o := range []costmodel.Output{
		{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution, Window: year},
		{Scope: costmodel.ScopePartnership, Key: "feedlink", Metric: costmodel.MetricContribution, Window: year},
	} {
		b, err := m.Bridge(o)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nVariance bridge: %s\n  %-26s %14s\n", o, "Planned contribution", format.MoneyPlaces(b.Plan, 2))
		for _, e := range b.Effects {
			fmt.Fprintf(w, "  %-26s %14s\n", e.Effect.Label(), format.MoneyPlaces(e.Amount, 2))
		}
		fmt.Fprintf(w, "  %-26s %14s   (variance %s)\n", "Actual contribution", format.MoneyPlaces(b.Actual, 2), format.MoneyPlaces(b.Total(), 2))
	}

	fmt.Fprintf(w, "\nBilling check (billed against the terms at actual volumes)\n")
	for _, b := range m.Billing() {
		if !b.Difference().IsZero() {
			fmt.Fprintf(w, "  %s %s: billed %s, terms imply %s, over by %s\n", b.Partnership, b.Month, format.MoneyPlaces(b.Billed, 2), format.MoneyPlaces(b.Implied, 2), format.MoneyPlaces(b.Difference(), 2))
		}
	}

	ag, err := actuals.ReadAgreements(agData, p)
	if err != nil {
		return err
	}
	hs, err := m.Health(ag)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nAgreed metrics (at risk within %s %% of the threshold)\n", ag.AtRiskMargin.Shift(2))
	for _, h := range hs {
		count := map[actuals.State]int{}
		var breached []string
		for _, wh := range h.Windows {
			count[wh.State]++
			if wh.State == actuals.Breached {
				breached = append(breached, wh.Window.String())
			}
		}
		fmt.Fprintf(w, "  %-10s %-38s %s %s per %s: on target %d, at risk %d, breached %d",
			h.Partnership, h.Name, h.Direction, h.Threshold, orMonth(h.Window), count[actuals.OnTarget], count[actuals.AtRisk], count[actuals.Breached])
		if len(breached) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(breached, ", "))
		}
		if h.Trend.Valid {
			fmt.Fprintf(w, "; trend %s/month", h.Trend.Amount)
		}
		if h.Utilisation.Valid {
			fmt.Fprintf(w, "; last month at %s %% of the threshold", h.Utilisation.Amount.Shift(2).StringFixed(1))
		}
		if !h.RunsOut.IsZero() {
			fmt.Fprintf(w, "; over the threshold from %s", h.RunsOut)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\nFree allowances of the terms (volume of the last actual month)\n")
	for _, al := range m.Allowances(3) {
		last := len(al.Monthly) - 1
		fmt.Fprintf(w, "  %-10s %-17s %14s of %s free, price band %d", al.Partnership, al.Measure, al.Monthly[last].StringFixed(0), al.Allowance, al.Band[last])
		if al.Utilisation.Valid {
			fmt.Fprintf(w, ", %s %% used", al.Utilisation.Amount.Shift(2).StringFixed(1))
		}
		if !al.RunsOut.IsZero() {
			fmt.Fprintf(w, ", allowance exceeded from %s", al.RunsOut)
		}
		fmt.Fprintln(w)
	}

	fmt.Fprintf(w, "\nRe-forecast of contribution\n")
	plan := costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution}
	pv, _ := plan.Of(m.Plan())
	fmt.Fprintf(w, "  %-34s %14s\n", "plan, horizon", format.MoneyPlaces(pv.Amount, 2))
	for _, method := range []actuals.Method{actuals.PlanUnchanged, actuals.RunRate} {
		rf, err := m.Reforecast(method, 3)
		if err != nil {
			return err
		}
		v, _ := plan.Of(rf.Statement)
		fmt.Fprintf(w, "  %-34s %14s\n", "actuals + "+label(method), format.MoneyPlaces(v.Amount, 2))
	}
	if portfolioFile != "" {
		return nil // the sample's uncertainty is for the sample portfolio
	}
	spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p)
	if err != nil {
		return err
	}
	o, err := m.Simulate(context.Background(), spec, montecarlo.Options{Trials: 2000, Seed: 14}, actuals.RunRate, 3, []actuals.Guardrail{{
		Name:      "contribution margin at least 24 %",
		Output:    costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContributionRatio, Window: costmodel.Window{Kind: costmodel.WindowYear, Year: a.CutOff.Year + 1}},
		Direction: actuals.AtLeast, Threshold: decimal.RequireFromString("0.24"),
	}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nMonte Carlo of the months after %s (2,000 trials, actual months fixed, run-rate re-forecast)\n", a.CutOff)
	fmt.Fprintf(w, "  P(%s reaches its plan of %s) = %.3f\n", o.Plan, format.MoneyPlaces(o.PlanValue, 2), o.PMeetPlan)
	fmt.Fprintf(w, "  P(breach: contribution margin below 24 %% in %d) = %.3f\n", a.CutOff.Year+1, o.PBreach[0])
	return nil
}

func label(m actuals.Method) string {
	if m == actuals.RunRate {
		return "plan at 3-month run-rate"
	}
	return "plan unchanged"
}

func orMonth(k costmodel.WindowKind) string {
	if k == "" {
		return "month"
	}
	return string(k)
}

func pct(v costmodel.Value) string {
	if !v.Valid {
		return "n/a"
	}
	return v.Amount.Shift(2).StringFixed(1)
}
