// Command readiness asks whether the sample portfolio's operations can
// take a strong holiday peak, what the categories earn once the
// partnerships' own costs are shared out to them, and whether to match a
// competitor's beauty price cut or hold price, on the same simulated
// futures.
//
//	go run ./examples/readiness
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func f(v float64) *float64 { return &v }

func main() {
	log.SetFlags(0)
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// withCapacity is the sample portfolio with the capacities of its
// operations and allocation rules for its partnership-level costs.
func withCapacity() (*costmodel.Portfolio, error) {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		return nil, err
	}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		switch ps.ID {
		case "amazon-us":
			// The 3PL takes 7,000 items a month; the rest ships through a
			// dearer provider at 0.85 more per item.
			ps.Capacity = &costmodel.Capacity{Fulfilment: &costmodel.FulfilmentCapacity{UnitsPerMonth: dec("7000"), OverflowPremium: dec("0.85")}}
		case "own-shop":
			// One agent answers 50 tickets a month; seasonal agents cost
			// 800 to hire and 2,600 a month.
			ps.Capacity = &costmodel.Capacity{Support: &costmodel.SupportCapacity{
				Agents: dec("1"), TicketsPerAgent: dec("50"), Mode: costmodel.Hire, HireCost: dec("800"), AgentMonthly: dec("2600")}}
		case "feedlink":
			// The partner's API lets 2,800 orders a month through; data
			// transfer is a commitment of 800 GB for 60 a month.
			ps.Capacity = &costmodel.Capacity{
				API:          &costmodel.APILimit{OrdersPerMonth: dec("2800"), Mode: costmodel.Throttle},
				DataTransfer: &costmodel.DataTransferCommitment{CommittedGB: dec("800"), Monthly: dec("60"), OverageRate: dec("0.12")},
			}
		}
	}
	p.Allocation = []costmodel.AllocationRule{{Line: "*", Basis: costmodel.ByActivity}, {Line: "*", Basis: costmodel.ByGMV}}
	return p, p.Validate()
}

func run(w io.Writer) error {
	p, err := withCapacity()
	if err != nil {
		return err
	}

	// 1. Operational readiness in a peak 50 % above plan.
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{VolumeUplift: dec("1.50")})
	if err != nil {
		return err
	}
	r, err := scenario.PeakStress(p, peak)
	if err != nil {
		return err
	}
	// The overloads by partnership and capacity: the months, and the
	// first one.
	type key struct {
		id   string
		kind scenario.CapacityKind
	}
	var keys []key
	first, months := map[key]scenario.Overload{}, map[key]int{}
	for _, o := range r.Overloads {
		k := key{o.Partnership, o.Capacity}
		if months[k] == 0 {
			keys = append(keys, k)
			first[k] = o
		}
		months[k]++
	}
	fmt.Fprintln(w, "peak season against capacity: months over, and the first")
	for _, k := range keys {
		fmt.Fprintf(w, "  %2d months, from %s\n", months[k], first[k])
	}
	pf := r.Portfolio
	fmt.Fprintf(w, "overflow cost %s, orders lost %s (GMV %s)\n", format.Money(pf.OverflowCost), format.Money(pf.LostOrders), format.Money(pf.LostGMV))
	fmt.Fprintf(w, "contribution with capacity %s, without %s\n\n", format.Money(pf.With), format.Money(pf.Without))

	// 2. Fully loaded categories.
	st, err := costmodel.Evaluate(p)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "category contribution over 36 months: as the statement has it, fully loaded")
	for _, c := range st.ByCategory {
		o := scenario.Output{Scope: scenario.Category, Key: c.Key, Metric: scenario.Contribution}
		plain, err := o.Of(st)
		if err != nil {
			return err
		}
		o.View = costmodel.Allocated
		loaded, err := o.Of(st)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-24s %12s %12s\n", c.Key, format.Money(plain.Amount), format.Money(loaded.Amount))
	}

	// 3. A competitor cuts beauty prices by 15 % in November and December
	// 2026, fading over two months: hold, match or match half?
	cut := scenario.CompetitorCut{Categories: "*/beauty", Start: 10, Depth: dec("0.15"), Duration: 2, Fade: 2, Elasticity: dec("-3")}
	spec := &montecarlo.Spec{Inputs: []montecarlo.Input{
		{Target: "*/beauty/orders", Op: costmodel.Multiply, Dist: montecarlo.DistSpec{Type: "pert", Min: f(0.7), Mode: f(1), Max: f(1.2)}},
		{Target: "*/beauty/unit_cost", Op: costmodel.Multiply, Dist: montecarlo.DistSpec{Type: "pert", Min: f(0.9), Mode: f(1), Max: f(1.4)}},
	}}
	min := dec("0.36")
	rails := scenario.Guardrails{{Name: "beauty CM3 ratio ≥ 36 %", Scope: scenario.Category, Key: "beauty", Metric: scenario.CM3Ratio, Min: &min}}
	out := scenario.Output{Scope: scenario.Category, Key: "beauty", Metric: scenario.Contribution, View: costmodel.Allocated}
	cmp, err := montecarlo.CompareResponses(context.Background(), p, spec, montecarlo.Options{Trials: 4000, Seed: 11}, cut, out, rails)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nbeauty price war: fully loaded beauty contribution, guardrail, against holding price")
	for _, rr := range cmp.Responses {
		fmt.Fprintf(w, "  %-17s %10s  breaches %d", rr.Scenario.Name, format.Money(rr.Exact.Amount), len(rr.Breaches))
		if rr.VsFirst != nil {
			fmt.Fprintf(w, "  P(better than hold) %.2f, mean gain %s", rr.VsFirst.PBetter, format.MoneyFloat(rr.VsFirst.Difference.Summary.Mean))
		}
		fmt.Fprintln(w)
	}
	return nil
}
