package scenario

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Operational readiness: a stress (the ready-made peak season, say)
// applied to a portfolio whose partnerships have capacities
// (costmodel.Capacity), read twice: with the capacities, as the model
// computes them (overflow premiums, extra agents, premium tiers,
// commitments, orders lost to a rate limit), and without them (every
// capacity removed: unlimited operations at planned costs, data transfer
// at its volume pricing). The difference is what the plan's operations
// cost the stress. Every figure is read from the two exact statements;
// the capacity arithmetic is the model graph's.

// CapacityKind names a capacity.
type CapacityKind string

// The kinds of capacity, and the statement line each one's cost is on.
const (
	CapacityFulfilment   CapacityKind = "fulfilment"    // LineFulfilmentOverflow
	CapacitySupport      CapacityKind = "support"       // LineSupportOverflow
	CapacityAPI          CapacityKind = "api"           // LineAPIPremium, or orders lost (throttle)
	CapacityDataTransfer CapacityKind = "data_transfer" // LineDataTransferOverage
)

// capacityLines are the lines of each kind's cost over capacity.
var capacityLines = []struct {
	kind CapacityKind
	line costmodel.Line
}{
	{CapacityFulfilment, costmodel.LineFulfilmentOverflow},
	{CapacitySupport, costmodel.LineSupportOverflow},
	{CapacityAPI, costmodel.LineAPIPremium},
	{CapacityDataTransfer, costmodel.LineDataTransferOverage},
}

// Overload is one month in which one capacity of one partnership is
// exceeded under the stress.
type Overload struct {
	Partnership string
	Month       costmodel.Month
	Capacity    CapacityKind
	// Cost is the month's cost of going over (0 for orders lost to a rate
	// limit, which cost margin instead).
	Cost decimal.Decimal
	// Lost lists, for a throttling rate limit, the orders each category
	// lost that month (its orders without the limit less with it) and
	// their GMV; nil otherwise.
	Lost []CellLoss
}

// CellLoss is a partnership × category cell's orders and GMV lost in a
// month.
type CellLoss struct {
	Category string
	Orders   decimal.Decimal
	GMV      decimal.Decimal
}

// PartnershipReadiness is one partnership's figures over the horizon,
// with its capacities and without them.
type PartnershipReadiness struct {
	ID string
	// OverflowCost is the sum of its capacity lines.
	OverflowCost decimal.Decimal
	// LostOrders and LostGMV are the orders and GMV without the
	// capacities less with them (a throttling rate limit's loss).
	LostOrders, LostGMV decimal.Decimal
	// Contribution with and without the capacities, and its ratio over
	// net sales.
	With, Without           decimal.Decimal
	WithRatio, WithoutRatio Value
}

// Readiness is the operational readiness of a portfolio under a stress.
type Readiness struct {
	Scenario string
	// Overloads lists every month × partnership × capacity exceeded, in
	// partnership, month and capacity order.
	Overloads    []Overload
	Partnerships []PartnershipReadiness
	// Portfolio is the portfolio's figures (ID "portfolio").
	Portfolio PartnershipReadiness
	// With and Without are the stressed portfolio's statements with and
	// without the capacities.
	With, Without *costmodel.Statement
}

// PeakStress applies the stress s to p and reads the operational
// readiness of the result: the months and cells where capacity is
// exceeded, the cost of going over, the orders lost, and the contribution
// with and without the capacities. A zero Scenario reads p as it is. The
// ready-made stress is PeakSeason's scenario.
func PeakStress(p *costmodel.Portfolio, s Scenario) (*Readiness, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	stressed := p
	if len(s.Shocks) > 0 {
		q, err := s.Apply(p)
		if err != nil {
			return nil, err
		}
		stressed = q
	}
	free := stressed.Clone()
	for i := range free.Partnerships {
		free.Partnerships[i].Capacity = nil
	}
	sts, err := evalAll([]*costmodel.Portfolio{stressed, free}, "with capacity", "without capacity")
	if err != nil {
		return nil, err
	}
	with, without := sts[0], sts[1]
	r := &Readiness{Scenario: s.Name, With: with, Without: without}
	for i := range with.Partnerships {
		pw, pf := &with.Partnerships[i], &without.Partnerships[i]
		throttled := false
		if c := stressed.Partnerships[i].Capacity; c != nil && c.API != nil && c.API.Mode == costmodel.Throttle {
			throttled = true
		}
		for t := range with.Months {
			for _, k := range capacityLines {
				if v := pw.Own.Monthly[t][k.line]; v.Sign() > 0 {
					r.Overloads = append(r.Overloads, Overload{Partnership: pw.ID, Month: with.Start.Add(t), Capacity: k.kind, Cost: v})
				}
			}
			if !throttled {
				continue
			}
			var lost []CellLoss
			for j := range pw.Categories {
				o := pf.Categories[j].Orders[t].Sub(pw.Categories[j].Orders[t])
				if o.Sign() > 0 {
					lost = append(lost, CellLoss{Category: pw.Categories[j].ID, Orders: o,
						GMV: pf.Categories[j].Monthly[t][costmodel.LineGMV].Sub(pw.Categories[j].Monthly[t][costmodel.LineGMV])})
				}
			}
			if lost != nil {
				r.Overloads = append(r.Overloads, Overload{Partnership: pw.ID, Month: with.Start.Add(t), Capacity: CapacityAPI, Cost: decimal.Zero, Lost: lost})
			}
		}
		r.Partnerships = append(r.Partnerships, readinessOf(pw.ID, &pw.Total, &pf.Total, with, without))
	}
	r.Portfolio = readinessOf("portfolio", &with.Portfolio, &without.Portfolio, with, without)
	return r, nil
}

func readinessOf(id string, with, without *costmodel.Block, stWith, stWithout *costmodel.Statement) PartnershipReadiness {
	pr := PartnershipReadiness{ID: id, OverflowCost: decimal.Zero}
	for _, k := range capacityLines {
		pr.OverflowCost = pr.OverflowCost.Add(with.Total[k.line])
	}
	pr.LostOrders = without.TotalOrders().Sub(with.TotalOrders())
	pr.LostGMV = without.Total[costmodel.LineGMV].Sub(with.Total[costmodel.LineGMV])
	pr.With, pr.Without = with.Total[costmodel.LineContribution], without.Total[costmodel.LineContribution]
	o := Output{Scope: costmodel.ScopePartnership, Key: id, Metric: costmodel.MetricContributionRatio}
	if id == "portfolio" {
		o = Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContributionRatio}
	}
	pr.WithRatio, _ = o.Of(stWith)
	pr.WithoutRatio, _ = o.Of(stWithout)
	return pr
}

// String is one line per overload: "2026-11 market fulfilment over
// capacity: 27.50", "2026-11 shop api: 11 orders lost (GMV 220.00)".
func (o Overload) String() string {
	if o.Lost == nil {
		return fmt.Sprintf("%s %s %s over capacity: %s", o.Month, o.Partnership, o.Capacity, o.Cost.StringFixed(2))
	}
	orders, gmv := decimal.Zero, decimal.Zero
	for _, l := range o.Lost {
		orders, gmv = orders.Add(l.Orders), gmv.Add(l.GMV)
	}
	return fmt.Sprintf("%s %s %s rate limit: %s orders lost (GMV %s)", o.Month, o.Partnership, o.Capacity, orders.Round(2), gmv.StringFixed(2))
}
