package actuals

import (
	"context"
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

// Portfolio returns the re-forecast as a portfolio that any tool reading
// portfolios can run (the simulation, scenarios, the workbook): the plan's
// terms with growth 0, seasonality 1 and the ramp at full volume, every
// category's base orders 1, and month-limited adjustments that give each
// month its volume and the actual months their figures:
//
//   - after the cut-off, orders multiplied by the re-forecast's orders of
//     the month (plan, or plan × run-rate);
//   - in the actual months, every driver the actuals set (orders and the
//     drivers Model's table derives) set to its actual value, and the
//     other per-month drivers set to their plan value, so that an
//     uncertainty input on them leaves the actual months as they were.
//
// Adjustment values are rounded to 12 places, as every input is, so the
// portfolio's statement is the re-forecast's to within that rounding (a
// cent on a line at most, where an amount lies on a half-cent).
// Uncertainty on orders must multiply (a draw around 1 multiplies the
// month's volume); a "set" on orders would set the base of 1.
func (m *Model) Portfolio(method Method, span int) (*costmodel.Portfolio, error) {
	rf, err := m.Reforecast(method, span)
	if err != nil {
		return nil, err
	}
	q := m.plan.Clone()
	for i := range q.Partnerships {
		for j := range q.Partnerships[i].Categories {
			c := &q.Partnerships[i].Categories[j]
			c.Growth, c.RampStart, c.Orders = decimal.Zero, decimal.NewFromInt(1), decimal.NewFromInt(1)
			for k := range c.Seasonality {
				c.Seasonality[k] = decimal.NewFromInt(1)
			}
		}
	}
	drivers := m.model.Drivers()
	adj := func(addr string, op costmodel.Op, t int, v decimal.Decimal) {
		q.Adjustments = append(q.Adjustments, costmodel.Adjustment{Target: addr, Op: op, Value: v.Round(places), From: t, To: t})
	}
	// The actual months: every per-month driver at its value in the actual
	// statement's evaluation (the later overrides win, as in evaluation).
	final := m.overrides(len(Effects), nil)
	perMonth := map[int32]bool{}
	for k := range final {
		perMonth[k.Driver] = true
	}
	isOrders := map[int32]bool{}
	for _, d := range m.ordersD {
		isOrders[d] = true
	}
	for t := 0; t <= m.cut; t++ {
		for di := range drivers {
			d := int32(di)
			if !perMonth[d] && !m.isByMonth(d) {
				continue
			}
			v, ok := final[keyOf(d, t)]
			if !ok {
				if isOrders[d] {
					continue // before launch: no orders
				}
				v = m.base[d]
			}
			adj(drivers[d].Address, costmodel.SetTo, t, v)
		}
	}
	for r, ref := range m.rows {
		addr := ref.partnership + "/" + ref.category + "/orders"
		for t := max(m.cut+1, ref.launch); t < m.plan.Months; t++ {
			adj(addr, costmodel.Multiply, t, rf.Statement.Partnerships[ref.p].Categories[ref.c].Orders[t])
		}
		_ = r
	}
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("actuals: the re-forecast portfolio: %w", err)
	}
	return q, nil
}

// Guardrail is a floor or a ceiling on an output by the end of the
// horizon's window it reads (contribution ratio at least 8 % in 2026).
type Guardrail struct {
	Name      string
	Output    costmodel.Output
	Direction Direction
	Threshold decimal.Decimal
}

// Outlook is the simulated landing of the re-forecast.
type Outlook struct {
	// Plan is the output the plan is measured by, portfolio contribution
	// of a calendar year: the year of the first month after the cut-off
	// (the first with months left to simulate; the cut-off's own year
	// when the horizon ends there), and PlanValue its planned value.
	Plan      costmodel.Output
	PlanValue decimal.Decimal
	// PMeetPlan is the share of trials in which the output reaches the
	// plan (≥ PlanValue).
	PMeetPlan float64
	// PBreach is, guardrail by guardrail, the share of trials on the
	// wrong side of the threshold (strictly).
	PBreach []float64
	Result  *montecarlo.Result
}

// Simulate runs a Monte Carlo of the months after the cut-off with the
// actual months fixed: the re-forecast portfolio (Portfolio) under the
// uncertainty spec (read with montecarlo.Load against that portfolio,
// or against the plan: its targets are the same addresses). It reports
// P(meeting the annual plan) and P(breaching each guardrail). opt is as
// for montecarlo.Run; its Outputs are replaced by the plan output and the
// guardrails'.
func (m *Model) Simulate(ctx context.Context, spec *montecarlo.Spec, opt montecarlo.Options, method Method, span int, guardrails []Guardrail) (*Outlook, error) {
	if m == nil || len(m.stages) == 0 {
		return nil, &costmodel.FieldError{Path: "(model)", Expected: "a Model built by NewModel, not nil"}
	}
	if spec == nil {
		return nil, &costmodel.FieldError{Path: "(spec)", Expected: "an uncertainty spec, not nil"}
	}
	q, err := m.Portfolio(method, span)
	if err != nil {
		return nil, err
	}
	year := m.actuals.CutOff.Year
	if m.cut+1 < m.plan.Months {
		year = m.plan.Start.Add(m.cut + 1).Year
	}
	o := &Outlook{Plan: costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution, Window: costmodel.Window{Kind: costmodel.WindowYear, Year: year}}}
	pv, err := o.Plan.Of(m.planSt)
	if err != nil {
		return nil, err
	}
	o.PlanValue = pv.Amount
	var pr costmodel.Problems
	opt.Outputs = []costmodel.Output{o.Plan}
	for i, g := range guardrails {
		if g.Direction != AtLeast && g.Direction != AtMost {
			pr.Add(fmt.Sprintf("guardrails[%d].direction", i), string(g.Direction), `"at_least" or "at_most"`)
		}
		if err := g.Output.Check(m.planSt); err != nil {
			pr.Merge(fmt.Sprintf("guardrails[%d].output", i), err)
		}
		opt.Outputs = append(opt.Outputs, g.Output)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	res, err := montecarlo.Run(ctx, q, spec, opt)
	if err != nil {
		return nil, err
	}
	o.Result = res
	share := func(out costmodel.Output, bad func(x float64) bool) float64 {
		r, ok := res.Output(out)
		if !ok {
			return 0
		}
		xs := r.DefinedSamples()
		if len(xs) == 0 {
			return 0
		}
		n := 0
		for _, x := range xs {
			if bad(x) {
				n++
			}
		}
		return float64(n) / float64(len(xs))
	}
	plan := pv.Amount.InexactFloat64()
	o.PMeetPlan = share(o.Plan, func(x float64) bool { return x >= plan })
	for _, g := range guardrails {
		t := g.Threshold.InexactFloat64()
		if g.Direction == AtLeast {
			o.PBreach = append(o.PBreach, share(g.Output, func(x float64) bool { return x < t }))
		} else {
			o.PBreach = append(o.PBreach, share(g.Output, func(x float64) bool { return x > t }))
		}
	}
	return o, nil
}
