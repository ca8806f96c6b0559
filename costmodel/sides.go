package costmodel

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// PartnerSide is what the partnership is worth to the partner (the
// marketplace or integration partner on the other side of the revenue
// share), for a two-sided fairness analysis. The model computes it beside
// our statement, as the lines of LevelSides:
//
//	partner contribution = commission − commission refunded + true-up
//	                       − service credit
//	                       − PerOrder × orders − RateOfGMV × GMV   (LinePartnerServeCost, per category)
//	                       − Monthly, from the launch month        (LinePartnerFixedCost)
//	partner value        = partner contribution + the value of customers it acquires
//
// None of it enters our contribution: the partner's costs are the
// partner's. The service credit is ours as much as the partner's: see
// UptimeCredit.
type PartnerSide struct {
	// PerOrder is the partner's cost to serve one of our orders
	// (CUR/order, ≥ 0). Optional (default 0).
	PerOrder decimal.Decimal `json:"per_order,omitzero"`
	// RateOfGMV is the partner's cost that scales with GMV (payment
	// processing it bears, fraud, support; a fraction from 0 to 1).
	// Optional (default 0).
	RateOfGMV decimal.Decimal `json:"rate_of_gmv,omitzero"`
	// Monthly is the partner's fixed cost of the partnership per month
	// from the launch month (CUR/month, ≥ 0). Optional (default 0).
	Monthly decimal.Decimal `json:"monthly,omitzero"`
	// Uptime is a simple uptime commitment of the partner's (nil: none).
	Uptime *UptimeCredit `json:"uptime,omitempty"`
	// CustomerValue is the value to the partner of the customers the
	// partnership brings it (nil: not counted).
	CustomerValue *CustomerValue `json:"customer_value,omitempty"`
}

// UptimeCredit is a simple service commitment: when the partner's
// expected uptime falls short of its target, it credits back a share of
// the month's revenue share,
//
//	credit = min(CreditPerPoint × 100 × max(Target − Expected, 0), MaxCredit)
//	         × (commission − commission refunded + true-up)
//
// per month (LineServiceCredit). It is an expected-value credit for a
// fairness analysis: it moves money from the partner's value to ours
// (LineOurValue, LinePartnerValue) and is not a line of our contribution
// or cash flow. Full service-level terms belong to the deal terms.
type UptimeCredit struct {
	// Target is the committed uptime, a fraction from 0 to 1 (0.999).
	// Required.
	Target decimal.Decimal `json:"target" required:"true"`
	// Expected is the uptime expected, a fraction from 0 to 1. Required.
	Expected decimal.Decimal `json:"expected" required:"true"`
	// CreditPerPoint is the share of the month's revenue share credited
	// per percentage point of uptime below target, 0 to 1. Required.
	CreditPerPoint decimal.Decimal `json:"credit_per_point" required:"true"`
	// MaxCredit caps the share credited in a month, 0 to 1. Required.
	MaxCredit decimal.Decimal `json:"max_credit" required:"true"`
}

// CustomerValue is the value of the customers a partnership acquires for
// one side: some orders come from customers new to that side, and a
// share of them come back through its own channels. The value booked in
// the month a customer is acquired is
//
//	new customers = NewPerOrder × orders of the month
//	value         = new customers × MarginPerRepeat × RepeatPerMonth
//	                × Σ_{k=1..K} Retention[k] ÷ (1 + r_m)^k
//
// where Retention[k] is the share of a month's new customers still buying
// k months later (K = len(Retention)) and r_m the portfolio's monthly
// discount rate, (1 + discount_rate)^(1/12) − 1. Each discount factor is
// rounded to 12 places. It is value beyond the horizon's contribution, so
// it enters the side's value (LineCustomerValue, LinePartnerCustomerValue)
// and not the statement's contribution.
type CustomerValue struct {
	// NewPerOrder is the number of new customers per order, 0 to 1.
	// Required.
	NewPerOrder decimal.Decimal `json:"new_per_order" required:"true"`
	// RepeatPerMonth is the number of repeat orders a retained customer
	// places per month (≥ 0). Required.
	RepeatPerMonth decimal.Decimal `json:"repeat_per_month" required:"true"`
	// MarginPerRepeat is the margin of one repeat order (CUR/order, ≥ 0).
	// Required.
	MarginPerRepeat decimal.Decimal `json:"margin_per_repeat" required:"true"`
	// Retention is the retention curve, month 1 first, each a fraction
	// from 0 to 1; from 1 to 600 months. Required.
	Retention []decimal.Decimal `json:"retention" required:"true"`
}

// sides lists the drivers of a partnership's partner side and customer
// value.
func (w *walker) sides(pre string, ps *Partnership) {
	if s := ps.Partner; s != nil {
		q := pre + "partner/"
		w.add(q+"per_order", "CUR/order", kNonNeg, &s.PerOrder)
		w.add(q+"rate_of_gmv", "fraction of GMV", kRate, &s.RateOfGMV)
		w.add(q+"monthly", "CUR/month", kNonNeg, &s.Monthly)
		if u := s.Uptime; u != nil {
			w.add(q+"uptime/target", "fraction of time", kRate, &u.Target)
			w.add(q+"uptime/expected", "fraction of time", kRate, &u.Expected)
			w.add(q+"uptime/credit_per_point", "fraction of revenue share per point", kRate, &u.CreditPerPoint)
			w.add(q+"uptime/max_credit", "fraction of revenue share", kRate, &u.MaxCredit)
		}
		w.customerValue(q+"customer_value/", s.CustomerValue)
	}
	w.customerValue(pre+"customer_value/", ps.CustomerValue)
}

func (w *walker) customerValue(q string, c *CustomerValue) {
	if c == nil {
		return
	}
	w.add(q+"new_per_order", "customers/order", kRate, &c.NewPerOrder)
	w.add(q+"repeat_per_month", "orders/customer/month", kNonNeg, &c.RepeatPerMonth)
	w.add(q+"margin_per_repeat", "CUR/order", kNonNeg, &c.MarginPerRepeat)
	for k := range c.Retention {
		w.add(q+"retention/"+idx(k), "fraction of new customers", kRate, &c.Retention[k])
	}
}

func validateSides(pr *Problems, ps *Partnership, at string) {
	check := func(c *CustomerValue, q string) {
		if c != nil && (len(c.Retention) == 0 || len(c.Retention) > MaxMonths) {
			pr.Add(q+".retention", fmt.Sprintf("%d values", len(c.Retention)), fmt.Sprintf("a retention curve of 1 to %d months", MaxMonths))
		}
	}
	check(ps.CustomerValue, at+".customer_value")
	if ps.Partner != nil {
		check(ps.Partner.CustomerValue, at+".partner.customer_value")
	}
}

func (c *CustomerValue) clone() *CustomerValue {
	if c == nil {
		return nil
	}
	q := *c
	q.Retention = clip(c.Retention)
	return &q
}

func (s *PartnerSide) clone() *PartnerSide {
	if s == nil {
		return nil
	}
	q := *s
	if s.Uptime != nil {
		u := *s.Uptime
		q.Uptime = &u
	}
	q.CustomerValue = s.CustomerValue.clone()
	return &q
}
