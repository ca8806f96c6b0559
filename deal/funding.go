package deal

import (
	"time"

	"github.com/marginalhq/marginal/costmodel"
)

// path is one future of the deal: the partnership's statement month by
// month and the events drawn for it.
type path[T any] struct {
	contribution, gmv []T
	// measure[j] is tranche j's milestone measure; defined[j] is false
	// when it is undefined (a ratio over zero net sales): not met.
	measure []T
	defined []bool
	// service[t] is month t's service impact (nil without service terms).
	service []T
	// fail is the 0-based month the partner fails, −1 for none.
	fail int
	// renewal multiplies the contribution from the end of the term on.
	renewal T
}

// outcome is what one path gives under one way of funding.
type outcome[T any] struct {
	// checked[j] and met[j]: tranche j's milestone was checked and met
	// (an unconditional tranche counts as met when reached).
	checked, met []bool
	// Released is the funding released; Stranded the part released before
	// the partner failed (0 when it did not).
	released, stranded T
	// stopped is the month the deal was stopped, −1 if not.
	stopped int
	// cash[t] is month t's net cash: contribution (through the payout
	// cycle) and service impact less tranches and exit costs; the months
	// past the horizon hold payouts that clear after it.
	cash []T
	// lostReceivables is what the payout cycle owed when the partner
	// failed.
	lostReceivables T
	npv             T
	// The parts of cash over the horizon: earned[t] the contribution
	// (scope and renewal applied), service[t] the service impact,
	// outflow[t] the tranches and exit costs.
	earned, service, outflow []T
}

// evaluate runs the terms on one path. staged false is the commitment up
// front: every tranche released on schedule at full scope whatever the
// milestones, so that staged − committed is the value of the option to
// stop (or delay, or reduce).
func evaluate[T any](o ops[T], t *Terms, st *costmodel.Statement, p path[T], staged bool) outcome[T] {
	n := st.Months
	out := outcome[T]{
		checked: make([]bool, len(t.Tranches)), met: make([]bool, len(t.Tranches)),
		released: o.zero(), stranded: o.zero(), stopped: -1, lostReceivables: o.zero(),
	}
	releases := make([]T, n)
	costs := make([]T, n)
	for i := range releases {
		releases[i], costs[i] = o.zero(), o.zero()
	}
	alive := func(m int) bool { return p.fail < 0 || m < p.fail }
	term := n
	if t.Exit != nil && t.Exit.TermMonths > 0 {
		term = t.Exit.TermMonths
	}
	scopeFrom := make([]T, n) // scope of month t's contribution
	for i := range scopeFrom {
		scopeFrom[i] = o.fromInt(1)
	}
	scope := o.fromInt(1)
	shift := 0
	stopAt := n
	for j, tr := range t.Tranches {
		m := monthIndex(st.Start, tr.Month)
		if m >= stopAt || !alive(m) {
			break
		}
		due := m + shift
		out.checked[j] = true
		met := tr.Milestone == nil || (p.defined[j] && milestoneMet(o, tr.Milestone, p.measure[j]))
		out.met[j] = met
		if !met && staged {
			switch tr.OnMiss {
			case Stop:
				stopAt = m
				out.stopped = m
				c := o.from(tr.ExitCost)
				if t.Exit != nil && m < term {
					c = o.add(c, o.from(t.Exit.TerminationFee))
				}
				costs[m] = o.add(costs[m], c)
				continue
			case Delay:
				shift += tr.DelayMonths
				due = m + shift
			case Reduce:
				scope = o.mul(scope, o.from(tr.ScopeShare))
				for i := m; i < n; i++ {
					scopeFrom[i] = scope
				}
			}
		}
		if due < n && alive(due) {
			a := o.money(o.mul(o.from(tr.Amount), scope))
			releases[due] = o.add(releases[due], a)
			out.released = o.add(out.released, a)
		}
	}
	if p.fail >= 0 && p.fail < stopAt {
		out.stranded = out.released
		if t.Exit != nil {
			costs[p.fail] = o.add(costs[p.fail], o.from(t.Exit.MigrationCost))
		}
	}
	earned := make([]T, n)
	for i := range earned {
		earned[i] = o.zero()
		if i >= stopAt || !alive(i) {
			continue
		}
		c := o.money(o.mul(p.contribution[i], scopeFrom[i]))
		if i >= term {
			c = o.money(o.mul(c, p.renewal))
		}
		earned[i] = c
	}
	cash := make([]T, n)
	if t.Payout != nil {
		var until time.Time
		if p.fail >= 0 {
			until = monthStart(st.Start, p.fail)
		}
		dates, amounts, lost := payouts(o, t.Payout, st.Start, earned, until)
		out.lostReceivables = lost
		for i := range cash {
			cash[i] = o.zero()
		}
		for k, d := range dates {
			i := monthIndex(st.Start, costmodel.Month{Year: d.Year(), Month: d.Month()})
			if i < 0 {
				i = 0 // a payout before the horizon is counted in its first month
			}
			for len(cash) <= i {
				cash = append(cash, o.zero())
			}
			cash[i] = o.add(cash[i], amounts[k])
		}
	} else {
		copy(cash, earned)
	}
	out.earned = earned
	out.service = make([]T, n)
	out.outflow = make([]T, n)
	for i := range n {
		out.service[i] = o.zero()
		if p.service != nil && i < stopAt && alive(i) {
			out.service[i] = p.service[i]
		}
		out.outflow[i] = o.add(releases[i], costs[i])
		cash[i] = o.sub(o.add(cash[i], out.service[i]), out.outflow[i])
	}
	out.cash = cash
	out.npv = o.npv(st.MonthlyRate, cash)
	return out
}

func milestoneMet[T any](o ops[T], m *Milestone, v T) bool {
	if m.AtLeast != nil {
		return o.cmp(v, o.from(*m.AtLeast)) >= 0
	}
	return m.AtMost != nil && o.cmp(v, o.from(*m.AtMost)) <= 0
}
