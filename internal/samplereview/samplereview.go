// Package samplereview holds the review the quickstart runs on the sample
// portfolio, as report.Specs: examples/quickstart runs it, and
// examples/review runs it by default, so that both write the same
// workbook.
package samplereview

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// The run settings of the sample review.
const (
	Trials = 10000
	Seed   = 20261127
)

// Specs is the sample review of p:
//
//   - five ready-made scenarios: the holiday peak, a 10 % beauty price
//     war, a 3-day Amazon outage in month 10 (30 % of its orders
//     recovered), Amazon's referral rates +2 points, shipping +10 %;
//   - four guardrails: CM3 ratio ≥ 15 % per category, ≥ 10 % in each
//     peak, contribution ≥ 0 per partnership, payback within 12 months;
//   - the sample uncertainty spec, 10,000 trials with seed 20261127 and
//     the fan of the portfolio's cumulative contribution;
//   - a tornado of the portfolio's contribution over eight inputs ±10 %;
//   - the renegotiation with FeedLink: 5 % with a $1,500 monthly minimum
//     today against its proposal of 4 % with a $5,000 minimum, with
//     FeedLink's cost to serve and our no-deal outcome of $700,000.
//
// On another portfolio, each part that does not fit it (a partnership it
// does not have, a driver it lacks) is left out, and skipped says which
// and why, one line a part; parts that fit are kept.
func Specs(p *costmodel.Portfolio) (s *report.Specs, skipped []string, err error) {
	if p == nil {
		return nil, nil, errors.New("samplereview: no portfolio")
	}
	s = &report.Specs{Trials: Trials, Seed: Seed,
		Fans: []scenario.Output{{Scope: scenario.Portfolio, Metric: scenario.Contribution}}}
	skip := func(part string, err error) {
		skipped = append(skipped, fmt.Sprintf("%s: left out, it does not fit this portfolio: %v", part, firstProblem(err)))
	}

	type built struct {
		name string
		make func() (scenario.Scenario, error)
	}
	for _, b := range []built{
		{"peak season", func() (scenario.Scenario, error) { return scenario.PeakSeason(p, scenario.PeakSeasonOptions{}) }},
		{"beauty price war", func() (scenario.Scenario, error) {
			return scenario.CompetitiveShift(p, scenario.CompetitiveShiftOptions{Categories: "*/beauty", PriceCut: dec("0.10")})
		}},
		{"amazon-us outage", func() (scenario.Scenario, error) {
			return scenario.PartnerOutage(p, scenario.PartnerOutageOptions{Partnership: "amazon-us", Month: 10, Days: 3, Recovered: dec("0.3")})
		}},
		{"amazon-us fee rise", func() (scenario.Scenario, error) {
			return scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "amazon-us", PercentagePoints: dec("0.02")})
		}},
		{"shipping cost +10 %", func() (scenario.Scenario, error) {
			return scenario.CostShock(p, scenario.ShippingCost, dec("1.10"), "")
		}},
	} {
		sc, err := b.make()
		if err == nil {
			_, err = sc.Apply(p)
		}
		if err != nil {
			skip("scenario "+b.name, err)
			continue
		}
		s.Scenarios = append(s.Scenarios, sc)
	}

	minRatio, peakRatio, maxPayback := dec("0.15"), dec("0.10"), dec("12")
	rules := scenario.Guardrails{
		{Name: "CM3 ratio ≥ 15 % per category", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &minRatio},
		// the peak's squeeze, which a whole-horizon ratio averages away
		{Name: "peak CM3 ratio ≥ 10 % per category", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &peakRatio, Window: scenario.EachPeak()},
		{Name: "contribution ≥ 0 per partnership", Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: &decimal.Zero},
		{Name: "payback within 12 months", Scope: scenario.Partnership, Key: "*", Metric: scenario.PaybackMonth, Max: &maxPayback},
	}
	if st, err := costmodel.Evaluate(p); err != nil {
		return nil, nil, err
	} else {
		for _, r := range rules {
			if err := (scenario.Guardrails{r}).Validate(st); err != nil {
				skip("guardrail "+r.Name, err)
				continue
			}
			s.Guardrails = append(s.Guardrails, r)
		}
	}

	if spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p); err != nil {
		skip("the sample uncertainty spec (so the Monte Carlo run)", err)
	} else {
		s.Uncertainty = spec
	}

	ten := dec("0.10")
	t := &report.TornadoSpec{Output: scenario.Output{Metric: scenario.Contribution}}
	for _, target := range []string{"amazon-us/*/orders", "own-shop/*/orders", "feedlink/*/orders", "*/*/unit_cost",
		"*/*/shipping_cost", "amazon-us/*/commission/tier/*/rate", "*/marketing/rate", "*/*/return_rate"} {
		in := scenario.Percent(target, ten)
		if _, err := p.Clone().Update(target, func(d costmodel.Driver) (decimal.Decimal, error) { return in.Op.Apply(d.Value, in.High) }); err != nil {
			skip("tornado input "+target, err)
			continue
		}
		t.Inputs = append(t.Inputs, in)
	}
	if len(t.Inputs) > 0 {
		s.Tornado = t
	}

	const partner = "feedlink"
	r := &report.RenegotiationSpec{
		Partnership: partner,
		// FeedLink's cost to serve us, from its published price list and
		// our volumes: $0.25 per order routed, 0.5 % of GMV in payment
		// handling, $2,500 a month of account management. Without the
		// deal we would still win about 60 % of these orders elsewhere.
		Partner:   scenario.PartnerCosts{PerOrder: dec("0.25"), RateOfGMV: dec("0.005"), Monthly: dec("2500")},
		OurNoDeal: dec("700000"),
		Proposed: &scenario.Scenario{Name: "proposed", Description: "4 % revenue share, $5,000 monthly minimum", Shocks: []scenario.Shock{
			{Target: partner + "/commission/rate", Op: costmodel.SetTo, Value: dec("0.04")},
			{Target: partner + "/minimum_commission", Op: costmodel.SetTo, Value: dec("5000")},
		}},
	}
	if _, err := scenario.Fairness(p, r.Negotiation()); err != nil {
		skip("the renegotiation with "+partner, err)
	} else {
		s.Renegotiation = r
	}
	return s, skipped, nil
}

// firstProblem is an error's first problem, and how many more there are.
func firstProblem(err error) string {
	var ve *costmodel.ValidationError
	if errors.As(err, &ve) && len(ve.Problems) > 0 {
		if n := len(ve.Problems) - 1; n > 0 {
			return fmt.Sprintf("%v (and %d more)", ve.Problems[0], n)
		}
		return ve.Problems[0].Error()
	}
	return err.Error()
}
