package costmodel

import (
	"fmt"

	"github.com/marginalhq/marginal/internal/graph"
)

// The formulas of the two sides' values for fairness (LevelSides):
// the partner's costs, the uptime credit and the value of customers
// acquired. See PartnerSide, UptimeCredit and CustomerValue.

// discountPlaces is the places of each month's discount factor in the
// value of customers acquired.
const discountPlaces = 12

// partnerCategory writes a category's LinePartnerServeCost in a month of
// n orders whose GMV line is gmv.
func (b *modelBuilder) partnerCategory(a *[NumLines]graph.ID, ps *Partnership, n graph.ID, t int) {
	s := ps.Partner
	if s == nil {
		return
	}
	cost := b.Add(b.Mul(n, b.at(&s.PerOrder, t)), b.Mul(a[LineGMV], b.at(&s.RateOfGMV, t)))
	a[LinePartnerServeCost] = b.money(cost)
}

// sidesPlan adds to fp the value per new customer of each side's
// customer value with the drivers of month t.
func (b *modelBuilder) sidesPlan(ps *Partnership, fp *fixedPlan, t int) {
	fp.customerValue, fp.partnerCustomerValue = b.Zero(), b.Zero()
	if ps.CustomerValue != nil {
		fp.customerValue = b.perCustomer(ps.CustomerValue, t)
	}
	if ps.Partner != nil && ps.Partner.CustomerValue != nil {
		fp.partnerCustomerValue = b.perCustomer(ps.Partner.CustomerValue, t)
	}
}

// perCustomer is the discounted value of one new customer:
// margin × repeat orders per month × Σ_k retention[k] ÷ (1 + r_m)^k.
func (b *modelBuilder) perCustomer(c *CustomerValue, t int) graph.ID {
	// The monthly rate as MonthlyRate computes it.
	root := b.Root12(b.Add(b.One(), b.at(&b.p.DiscountRate, t)), ratePrecision+10)
	factor := b.Add(b.One(), b.Round(b.Sub(root, b.One()), ratePrecision))
	b.Label(factor, "One plus the monthly discount rate")
	disc := b.One()
	terms := make([]graph.ID, len(c.Retention))
	for k := range c.Retention {
		disc = b.Div(disc, factor, discountPlaces)
		b.Label(disc, fmt.Sprintf("Discount factor of month %d after acquisition", k+1))
		terms[k] = b.Mul(b.at(&c.Retention[k], t), disc)
	}
	v := b.Mul(b.Mul(b.at(&c.MarginPerRepeat, t), b.at(&c.RepeatPerMonth, t)), b.Sum(terms, nil))
	b.Label(v, "Value of one new customer (discounted repeat margin)")
	return b.Mul(v, b.at(&c.NewPerOrder, t))
}

// sidesMonth writes the partnership-level lines of the sides in month t
// for n orders and the commission net of refunds.
func (b *modelBuilder) sidesMonth(a *[NumLines]graph.ID, ps *Partnership, fp *fixedPlan, n, netCommission graph.ID, t int) {
	a[LineCustomerValue] = b.money(b.Mul(n, fp.customerValue))
	a[LinePartnerCustomerValue] = b.money(b.Mul(n, fp.partnerCustomerValue))
	s := ps.Partner
	if s == nil {
		return
	}
	a[LinePartnerFixedCost] = b.money(b.at(&s.Monthly, t))
	if u := s.Uptime; u != nil {
		points := b.Mul(b.Max(b.Sub(b.at(&u.Target, t), b.at(&u.Expected, t)), b.Zero()), b.Int(100))
		share := b.Min(b.Mul(points, b.at(&u.CreditPerPoint, t)), b.at(&u.MaxCredit, t))
		b.Label(share, "Share of the revenue share credited for uptime below target")
		a[LineServiceCredit] = b.money(b.Mul(share, b.Add(netCommission, a[LineCommissionTrueUp])))
	}
}
