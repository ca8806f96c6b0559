// Command peakseason asks how the sample portfolio's margins hold up in a
// strong holiday peak, and how far beauty prices can be cut in a price war
// without breaking the 25 % CM3-ratio guardrail. It writes
// peak-season.xlsx.
//
//	go run ./examples/peakseason
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/format"
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
	return analyse(w, dir, p)
}

// analyse runs the peak-season questions on p, a portfolio with the
// sample's categories.
func analyse(w io.Writer, dir string, p *costmodel.Portfolio) error {

	// A peak stronger than the plan: orders +50 % in November and
	// December, with carriers' peak surcharges on fulfilment (+12 %) and
	// triple storage fees from October.
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{
		VolumeUplift:        dec("1.50"),
		FulfilmentSurcharge: dec("1.12"),
	})
	if err != nil {
		return err
	}
	// Peak season is also when shipping gets dearer.
	shipping, err := scenario.CostShock(p, scenario.ShippingCost, dec("1.15"), "")
	if err != nil {
		return err
	}
	both := scenario.Compose("peak + dear shipping", peak, shipping)

	cmp, err := scenario.Compare(p, peak, both)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "contribution by channel over 36 months:")
	for _, ch := range cmp.Base.ByChannel {
		o := scenario.Output{Scope: scenario.Channel, Key: ch.Key, Metric: scenario.Contribution}
		a, _ := cmp.Find(peak.Name, o)
		b, _ := cmp.Find(both.Name, o)
		fmt.Fprintf(w, "  %-12s base %12s   peak %12s (%s)   peak + shipping %12s (%s)\n", ch.Key,
			format.Money(a.Base.Amount), format.Money(a.Value.Amount), signedPercent(a.DeltaPct),
			format.Money(b.Value.Amount), signedPercent(b.DeltaPct))
	}

	// The guardrail: every category keeps a CM3 ratio of at least 25 %.
	min := dec("0.25")
	rules := scenario.Guardrails{{Name: "CM3 ratio ≥ 25 %", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &min}}
	breaches, err := rules.CheckComparison(cmp)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nguardrail breaches: %d\n", len(breaches))
	for _, b := range breaches {
		if b.Undefined {
			fmt.Fprintf(w, "  %s: %s %s CM3 ratio n/a (no net sales), not checked against %s %%\n", b.Scenario, b.Scope, b.Key,
				b.Limit.Shift(2).StringFixed(0))
			continue
		}
		fmt.Fprintf(w, "  %s: %s %s CM3 ratio %s < %s %%\n", b.Scenario, b.Scope, b.Key,
			percent(b.Value), b.Limit.Shift(2).StringFixed(0))
	}

	// How deep can beauty prices go before the beauty category's CM3
	// ratio falls to 25 %? (Goal seek on the exact model.)
	cut, err := scenario.LargestSafeDiscount(p, "*/beauty",
		scenario.Output{Scope: scenario.Category, Key: "beauty", Metric: scenario.CM3Ratio}, min, dec("0.5"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nlargest beauty price cut that keeps CM3 ≥ 25 %%: %s%% (%d evaluations)\n",
		cut.Value.Mul(dec("100")).StringFixed(2), cut.Evaluations)

	out := filepath.Join(dir, "peak-season.xlsx")
	if err := report.WriteFile(out, report.Options{Portfolio: p, Statement: cmp.Base, Comparison: cmp, Breaches: breaches, Version: marginal.Version}); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s\n", out)
	return nil
}

// percent is a fraction in percent with one decimal ("31.2 %"), or "n/a"
// when it is undefined (a ratio over zero net sales): never 0.
func percent(v scenario.Value) string {
	if !v.Valid {
		return "n/a"
	}
	return v.Amount.Shift(2).StringFixed(1) + " %"
}

// signedPercent is a change in percent with its sign ("+4.2%"), or "n/a"
// when the base is 0.
func signedPercent(v scenario.Value) string {
	if !v.Valid {
		return "n/a"
	}
	s := v.Amount.Shift(2).StringFixed(1) + "%"
	if !v.Amount.IsNegative() {
		s = "+" + s
	}
	return s
}
