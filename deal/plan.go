package deal

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/finance"
	"github.com/shopspring/decimal"
)

// Funding is the result of one way of funding the deal on one future.
type Funding struct {
	// Released is the investment released; Stranded the part released
	// before the partner failed (sunk set-up; 0 without a failure).
	Released, Stranded decimal.Decimal
	// Stopped is the 0-based month the deal was stopped on a missed
	// milestone, −1 if it was not.
	Stopped int
	// Cash is the net cash month by month (see the package doc); months
	// past the horizon hold payouts that clear after it.
	Cash []decimal.Decimal
	// LostReceivables is what the payout cycle owed when the partner
	// failed.
	LostReceivables decimal.Decimal
	// NPV is Cash's NPV at the statement's monthly rate (costmodel.NPV),
	// rounded to the minor unit.
	NPV decimal.Decimal
}

// MilestoneResult is one tranche's milestone on the plan.
type MilestoneResult struct {
	Tranche int
	// Value is the measure (0 and Defined false for a ratio over zero
	// net sales); Met is false for an undefined one.
	Value   decimal.Decimal
	Defined bool
	Checked bool
	Met     bool
}

// Plan is the deal evaluated on the statement (the plan).
type Plan struct {
	Milestones []MilestoneResult
	// Staged releases each tranche on its milestone; Committed releases
	// them all on schedule whatever the milestones.
	Staged, Committed Funding
	// OptionValue is Staged.NPV − Committed.NPV: what the right to stop,
	// delay or reduce is worth on the plan (0 when every milestone is met).
	OptionValue decimal.Decimal
	// ExpectedExitLoss is the expected NPV lost to the partner's failure
	// under the hazard (or the fixed failure month), staged funding:
	// Σ_k P(failure at k)·(NPV without failure − NPV with failure at k).
	// FailureProbabilities are the P(failure at k), k = 0 … months−1,
	// then P(no failure).
	ExpectedExitLoss     decimal.Decimal
	FailureProbabilities []decimal.Decimal
	// Flows are Staged's dated cash flows: tranches and exit costs on the
	// first day of their month, contribution on its payout dates (the
	// last day of its month without a payout cycle), the service impact
	// on the last day of its month. XNPV and XIRR are of them at the
	// statement's annual rate (XIRRErr when there is no IRR).
	Flows   []finance.DatedFlow
	XNPV    decimal.Decimal
	XIRR    float64
	XIRRErr error
	// AnnualRate is (1 + monthly rate)^12 − 1, the XNPV's rate.
	AnnualRate decimal.Decimal
	// Service is the partnership's outage lines month by month, read from
	// the statement (nil without outage terms); Staged's cash holds each
	// month's Impact while the deal runs.
	Service []ServiceMonth
}

// Evaluate evaluates valid terms (Validate) on the statement. The plan
// has no uncertainty: outages are the statement's (the partnership's
// outage/downtime_hours driver, an expected figure), a fixed
// FailMonth applies and a hazard enters only ExpectedExitLoss, and a
// renewal's contribution is weighted by its probability.
func Evaluate(t *Terms, st *costmodel.Statement) (*Plan, error) {
	if err := t.Validate(st); err != nil {
		return nil, err
	}
	ps, _ := st.Partnership(t.Partnership)
	o := decOps(st.Currency.MinorUnit)
	p := path[decimal.Decimal]{
		contribution: ps.Total.Series(costmodel.LineContribution),
		gmv:          ps.Total.Series(costmodel.LineGMV),
		measure:      make([]decimal.Decimal, len(t.Tranches)),
		defined:      make([]bool, len(t.Tranches)),
		fail:         t.Exit.failMonthOf(st.Start),
		renewal:      one,
	}
	if t.Exit != nil && t.Exit.TermMonths > 0 {
		p.renewal = t.Exit.RenewalProbability.Mul(one.Add(t.Exit.RenewalChange))
	}
	plan := &Plan{Service: serviceMonths(st, ps)}
	if plan.Service != nil {
		p.service = make([]decimal.Decimal, st.Months)
		for i, m := range plan.Service {
			p.service[i] = m.Impact
			p.contribution[i] = p.contribution[i].Sub(m.Impact)
		}
	}
	for j, tr := range t.Tranches {
		if tr.Milestone == nil {
			p.defined[j] = true
			continue
		}
		v, ok, err := planMeasure(t, st, tr.Milestone)
		if err != nil {
			return nil, fmt.Errorf("deal: tranches[%d].milestone: %w", j, err)
		}
		p.measure[j], p.defined[j] = v, ok
	}
	staged := evaluate(o, t, st, p, true)
	committed := evaluate(o, t, st, p, false)
	plan.Staged, plan.Committed = funding(staged), funding(committed)
	plan.OptionValue = plan.Staged.NPV.Sub(plan.Committed.NPV)
	for j, tr := range t.Tranches {
		if tr.Milestone != nil {
			plan.Milestones = append(plan.Milestones, MilestoneResult{Tranche: j, Value: p.measure[j], Defined: p.defined[j], Checked: staged.checked[j], Met: staged.met[j]})
		}
	}
	// The hazard's expected loss: every failure month on the same plan.
	plan.FailureProbabilities = t.Exit.FailureProbabilities(st.Start, st.Months)
	if t.Exit != nil && t.Exit.failMonthOf(st.Start) < 0 && t.Exit.MonthlyHazard.Sign() > 0 {
		plan.ExpectedExitLoss = expectedExitLoss(o, t, st, p, plan.FailureProbabilities)
	} else if p.fail >= 0 {
		noFail := p
		noFail.fail = -1
		plan.ExpectedExitLoss = evaluate(o, t, st, noFail, true).npv.Sub(staged.npv)
	}
	if err := plan.dated(t, st, p, staged); err != nil {
		return nil, err
	}
	return plan, nil
}

// expectedExitLoss is Σ_k P(fail at k)·(NPV(no failure) − NPV(fail at k)).
func expectedExitLoss[T any](o ops[T], t *Terms, st *costmodel.Statement, p path[T], probs []decimal.Decimal) T {
	p.fail = -1
	base := evaluate(o, t, st, p, true).npv
	sum := o.zero()
	for k := range st.Months {
		if probs[k].IsZero() {
			continue
		}
		p.fail = k
		loss := o.sub(base, evaluate(o, t, st, p, true).npv)
		sum = o.add(sum, o.mul(o.from(probs[k]), loss))
	}
	return o.money(sum)
}

func funding(out outcome[decimal.Decimal]) Funding {
	return Funding{Released: out.released, Stranded: out.stranded, Stopped: out.stopped, Cash: out.cash, LostReceivables: out.lostReceivables, NPV: out.npv}
}

// planMeasure reads a milestone's measure from the statement.
func planMeasure(t *Terms, st *costmodel.Statement, m *Milestone) (decimal.Decimal, bool, error) {
	if m.Metric == MetricUptime {
		down, err := windowOutput(t, m, costmodel.MetricOutageDowntime).Of(st)
		if err != nil {
			return decimal.Zero, false, err
		}
		months, err := m.Window.Months(st.Start, st.Months)
		if err != nil {
			return decimal.Zero, false, err
		}
		return uptime(decOps(20), down.Amount, windowHours(st, months)), true, nil
	}
	if m.Metric == MetricReturnRate {
		gmv, err := windowOutput(t, m, costmodel.MetricGMV).Of(st)
		if err != nil {
			return decimal.Zero, false, err
		}
		ns, err := windowOutput(t, m, costmodel.MetricNetSales).Of(st)
		if err != nil {
			return decimal.Zero, false, err
		}
		if gmv.Amount.IsZero() {
			return decimal.Zero, false, nil
		}
		return gmv.Amount.Sub(ns.Amount).DivRound(gmv.Amount, 20), true, nil
	}
	v, err := windowOutput(t, m, m.Metric).Of(st)
	if err != nil {
		return decimal.Zero, false, err
	}
	return v.Amount, v.Valid, nil
}

// windowOutput is a metric of the partnership over a milestone's window.
func windowOutput(t *Terms, m *Milestone, metric costmodel.Metric) costmodel.Output {
	return costmodel.Output{Scope: costmodel.ScopePartnership, Key: t.Partnership, Metric: metric, Window: m.Window}
}

// windowHours is the hours of the months of a window.
func windowHours(st *costmodel.Statement, months []int) int64 {
	h := int64(0)
	for _, i := range months {
		h += hoursIn(st.Start, i)
	}
	return h
}

// uptime is 1 − downtime / hours: the share of a window's hours up, the
// downtime being the statement's outage_downtime_hours over the window
// (each month capped at its hours).
func uptime[T any](o ops[T], down T, hours int64) T {
	return o.sub(o.fromInt(1), o.div(down, o.fromInt(hours)))
}

// dated builds Flows, XNPV and XIRR for the staged outcome.
func (pl *Plan) dated(t *Terms, st *costmodel.Statement, p path[decimal.Decimal], staged outcome[decimal.Decimal]) error {
	g := one.Add(st.MonthlyRate)
	annual, err := g.PowWithPrecision(decimal.NewFromInt(12), 20)
	if err != nil {
		return fmt.Errorf("deal: annual rate: %w", err)
	}
	pl.AnnualRate = annual.Sub(one).Round(20)
	o := decOps(st.Currency.MinorUnit)
	var flows []finance.DatedFlow
	add := func(at time.Time, a decimal.Decimal) {
		if !a.IsZero() {
			flows = append(flows, finance.DatedFlow{Date: at, Amount: a})
		}
	}
	for i := range st.Months {
		add(monthStart(st.Start, i), staged.outflow[i].Neg())
		add(settleDate(st.Start, i), staged.service[i])
	}
	if t.Payout != nil {
		var until time.Time
		if p.fail >= 0 {
			until = monthStart(st.Start, p.fail)
		}
		dates, amounts, _ := payouts(o, t.Payout, st.Start, staged.earned, until)
		for k := range dates {
			add(dates[k], amounts[k])
		}
	} else {
		for i := range st.Months {
			add(settleDate(st.Start, i), staged.earned[i])
		}
	}
	if len(flows) == 0 {
		return nil
	}
	// XNPV's valuation date is the first flow's: the horizon's first day
	// comes first, as a zero flow when nothing else falls on it.
	slices.SortStableFunc(flows, func(a, b finance.DatedFlow) int { return a.Date.Compare(b.Date) })
	if first := monthStart(st.Start, 0); flows[0].Date.After(first) {
		flows = append([]finance.DatedFlow{{Date: first, Amount: decimal.Zero}}, flows...)
	}
	pl.Flows = flows
	v, err := finance.XNPV(pl.AnnualRate, flows)
	if err != nil {
		return fmt.Errorf("deal: XNPV: %w", err)
	}
	pl.XNPV = v.Round(st.Currency.MinorUnit)
	pl.XIRR, pl.XIRRErr = finance.XIRR(flows, 0.1)
	if pl.XIRRErr != nil && !errors.Is(pl.XIRRErr, finance.ErrNeedBothSigns) && !errors.Is(pl.XIRRErr, finance.ErrNoRoot) {
		return pl.XIRRErr
	}
	return nil
}
