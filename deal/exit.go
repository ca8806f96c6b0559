package deal

import (
	"fmt"
	"math/rand/v2"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Exit is how the deal can end early or be renewed. In JSON:
//
//	{"monthly_hazard": "0.01", "migration_cost": "40000", "termination_fee": "15000",
//	 "term_months": 24, "renewal_probability": "0.8", "renewal_change": "-0.05"}
//
// The partner fails at the start of a month: at FailMonth, or in each
// month with probability MonthlyHazard given that it has not failed yet
// (failure in month k, 1-based, has probability (1 − h)^(k−1)·h). From
// the failure month on the partnership's contribution is lost, no tranche
// is released, MigrationCost is paid in that month, and what the payout
// cycle still owed is lost (the receivables); the tranches already
// released are stranded set-up. When the deal is stopped on a missed
// milestone before the term ends, TerminationFee is paid with the
// tranche's exit cost. At the end of the term (TermMonths from the
// start, when set) the contract is renewed with RenewalProbability, the
// contribution then changed by RenewalChange (−0.05: re-priced 5 % lower);
// not renewed, the partnership earns nothing after the term.
type Exit struct {
	// FailMonth, when set, is the month the partner fails (within the
	// horizon); it excludes MonthlyHazard.
	FailMonth costmodel.Month `json:"fail_month,omitzero"`
	// MonthlyHazard, in [0, 1], is the monthly failure probability.
	MonthlyHazard decimal.Decimal `json:"monthly_hazard,omitzero"`
	// MigrationCost (≥ 0) is the cost of moving to an alternative.
	MigrationCost decimal.Decimal `json:"migration_cost,omitzero"`
	// TerminationFee (≥ 0) is paid when the deal is stopped early.
	TerminationFee decimal.Decimal `json:"termination_fee,omitzero"`
	// TermMonths (≥ 1, within the horizon) is the contract's term; 0
	// means the contract runs the whole horizon.
	TermMonths int `json:"term_months,omitempty"`
	// RenewalProbability, in [0, 1], and RenewalChange, > −1, apply at the
	// end of the term.
	RenewalProbability decimal.Decimal `json:"renewal_probability,omitzero"`
	RenewalChange      decimal.Decimal `json:"renewal_change,omitzero"`
}

func (e *Exit) check(p *costmodel.Problems, at string, st *costmodel.Statement) {
	if !e.FailMonth.IsZero() {
		if i := monthIndex(st.Start, e.FailMonth); i < 0 || i >= st.Months {
			p.Addf(at+".fail_month", e.FailMonth.String(), "a month of the horizon %s to %s", st.Start, st.Start.Add(st.Months-1))
		}
		if !e.MonthlyHazard.IsZero() {
			p.Add(at+".monthly_hazard", e.MonthlyHazard.String(), "no hazard with a fail_month (one or the other)")
		}
	}
	if !inUnit(e.MonthlyHazard) {
		p.Add(at+".monthly_hazard", e.MonthlyHazard.String(), "a probability in [0, 1]")
	}
	if e.MigrationCost.Sign() < 0 {
		p.Add(at+".migration_cost", e.MigrationCost.String(), "an amount ≥ 0")
	}
	if e.TerminationFee.Sign() < 0 {
		p.Add(at+".termination_fee", e.TerminationFee.String(), "an amount ≥ 0")
	}
	if e.TermMonths < 0 || e.TermMonths > st.Months {
		p.Addf(at+".term_months", fmt.Sprint(e.TermMonths), "a term of 1 to %d months (the horizon), or 0 for the whole horizon", st.Months)
	}
	if !inUnit(e.RenewalProbability) {
		p.Add(at+".renewal_probability", e.RenewalProbability.String(), "a probability in [0, 1]")
	}
	if e.RenewalChange.LessThanOrEqual(decimal.NewFromInt(-1)) {
		p.Add(at+".renewal_change", e.RenewalChange.String(), "a change > -1")
	}
}

// failMonthOf is the 0-based failure month of a fixed FailMonth, or −1.
func (e *Exit) failMonthOf(start costmodel.Month) int {
	if e == nil || e.FailMonth.IsZero() {
		return -1
	}
	return monthIndex(start, e.FailMonth)
}

// drawFailure draws the 0-based failure month of one trial, −1 for none
// within months: a fixed FailMonth, or the first month whose uniform falls
// below the hazard (one draw per month, so trials stay aligned).
func (e *Exit) drawFailure(r *rand.Rand, start costmodel.Month, months int) int {
	if e == nil {
		return -1
	}
	if k := e.failMonthOf(start); k >= 0 {
		return k
	}
	h := e.MonthlyHazard.InexactFloat64()
	fail := -1
	for t := range months {
		if u := r.Float64(); fail < 0 && u < h {
			fail = t
		}
	}
	return fail
}

// FailureProbabilities is P(the partner fails at the start of month t),
// t = 0 … months−1, and P(no failure within the horizon) last: a fixed
// FailMonth is certain; a hazard h gives (1 − h)^t·h. The probabilities
// are exact decimals (integer powers) and sum to 1.
func (e *Exit) FailureProbabilities(start costmodel.Month, months int) []decimal.Decimal {
	if months < 0 {
		return nil
	}
	p := make([]decimal.Decimal, months+1)
	for i := range p {
		p[i] = decimal.Zero
	}
	if e == nil {
		p[months] = one
		return p
	}
	if k := e.failMonthOf(start); k >= 0 && k < months {
		p[k] = one
		return p
	}
	h := e.MonthlyHazard
	survive := one
	for t := range months {
		p[t] = survive.Mul(h)
		survive = survive.Mul(one.Sub(h))
	}
	p[months] = survive
	return p
}
