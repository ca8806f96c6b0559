package deal_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
	"github.com/marginalhq/marginal/montecarlo"
)

// runSmall runs a deal on testdata/small.json's "market" partnership with
// uncertain mug volume.
func runSmall(terms string, trials int) (*costmodel.Statement, *deal.Terms, *deal.Plan, *montecarlo.Result, *deal.Trials) {
	return runSmallOutage(terms, "", "", trials)
}

// runSmallOutage is runSmall with outage terms (JSON, costmodel.Outage)
// on the "market" partnership and its downtime drawn by the spec input
// downtime (JSON; none when empty).
func runSmallOutage(terms, outage, downtime string, trials int) (*costmodel.Statement, *deal.Terms, *deal.Plan, *montecarlo.Result, *deal.Trials) {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	if outage != "" {
		var o costmodel.Outage
		if err := costmodel.DecodeStrict([]byte(outage), &o); err != nil {
			log.Fatal(err)
		}
		p.Partnerships[0].Outage = &o
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		log.Fatal(err)
	}
	t, err := deal.Load(strings.NewReader(terms), st)
	if err != nil {
		log.Fatal(err)
	}
	plan, err := deal.Evaluate(t, st)
	if err != nil {
		log.Fatal(err)
	}
	if downtime != "" {
		downtime = ", " + downtime
	}
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"target": "market/mugs/orders", "op": "multiply", "dist": {"type": "lognormal", "mean": 1, "sd": 0.4}}`+downtime+`]}`), p)
	if err != nil {
		log.Fatal(err)
	}
	outs, err := deal.Outputs(t, st)
	if err != nil {
		log.Fatal(err)
	}
	res, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: trials, Seed: 3, Outputs: outs})
	if err != nil {
		log.Fatal(err)
	}
	tr, err := deal.EvaluateTrials(t, st, res, 3)
	if err != nil {
		log.Fatal(err)
	}
	return st, t, plan, res, tr
}

// A second tranche released only if November's GMV reaches 3750, else
// the deal stops: the plan meets it exactly; the simulation shows how
// often it is missed and what the right to stop is worth. Here it is
// worth less than nothing: a stopped partnership gives up December's and
// January's contribution, more than the 400 the stop saves.
func Example() {
	_, _, plan, _, tr := runSmall(`{"partnership": "market", "investment": "1500",
	 "tranches": [
	  {"month": "2026-11", "amount": "1000"},
	  {"month": "2026-12", "amount": "500", "on_miss": "stop", "exit_cost": "100",
	   "milestone": {"metric": "gmv", "at_least": "3750", "window": {"kind": "month", "month": "2026-11"}}}]}`, 4000)
	fmt.Println("met on the plan:", plan.Milestones[0].Met, "option value on the plan:", plan.OptionValue)
	fmt.Printf("P(met) %.2f, expected funding %.0f, option value mean %.0f\n", tr.PMet[1], tr.Released.Mean, tr.OptionValue.Mean)
	// Output:
	// met on the plan: true option value on the plan: 0
	// P(met) 0.42, expected funding 1212, option value mean -98
}

// The deal's service figures are its partnership's outage lines: here
// market is given outage terms (7.2 hours down a month on the plan: 99 %
// of November's 720 hours, the lower edge of the 10 % band of a 300 fee)
// and the simulation draws the downtime as Poisson(0.5) incidents a month
// of lognormal length. The plan reads November's credit from the
// statement; the trials give P(a credit in the three months): a month
// earns one when its downtime passes 0.72 hours (99.9 % of 720, a little
// more of 744), which nearly every incident does, so it is just under
// 1 − e^(−1.5) ≈ 0.78.
func Example_outage() {
	_, _, plan, _, tr := runSmallOutage(`{"partnership": "market", "investment": "1",
	 "tranches": [{"month": "2026-11", "amount": "1"}]}`,
		`{"downtime_hours": "7.2", "uptime_commitment": "0.999", "monthly_fee": "300", "direction": "earned",
	   "credits": [{"from": "0.99", "to": "0.999", "share": "0.1"}, {"from": "0", "to": "0.99", "share": "0.3"}]}`,
		`{"target": "market/outage/downtime_hours", "op": "set", "per_month": true,
	   "process": "compound_poisson", "events_per_month": 0.5, "dist": {"type": "lognormal", "mean": 3, "sd": 2}}`, 4000)
	m := plan.Service[0]
	fmt.Println("November on the plan: uptime", m.Uptime, "credit", m.Credit)
	fmt.Printf("P(a credit in the horizon) %.2f ± %.2f\n", tr.PCredit, tr.PCreditSE)
	// Output:
	// November on the plan: uptime 0.99 credit 30
	// P(a credit in the horizon) 0.77 ± 0.01
}
