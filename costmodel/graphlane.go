package costmodel

import (
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// The formulas of a cross-border lane's lines (see Lane), written once.
// The amounts per order are computed once per group of months with the
// order plan (lanePlan); the month's lines are n × each (laneMonth).

// lanePlan is a category's cross-border amounts per order in one group of
// months, in the partnership's currency.
type lanePlan struct {
	duty, vat, shipping, returnShipping graph.ID
	// landed is the landed cost per unit, rounded to the minor unit.
	landed graph.ID
}

// laneReturnRate is the return rate of a category on ps's lane: its own
// rr plus the lane's extra rate, at most 1; rr without a lane.
func (b *modelBuilder) laneReturnRate(ps *Partnership, rr graph.ID, t int) graph.ID {
	if ps.Lane == nil {
		return rr
	}
	eff := b.Min(b.Add(rr, b.at(&ps.Lane.ExtraReturnRate, t)), b.One())
	b.Label(eff, "Return rate on the lane (the category's + the lane's extra, at most 1)")
	return eff
}

// lanePlan builds the per-order amounts of ps's lane for a category with
// u units per order at average item price avgPrice, returned share rr
// and unit cost unitCost; nil without a lane.
func (b *modelBuilder) lanePlan(ps *Partnership, u, avgPrice, rr, unitCost graph.ID, t int) *lanePlan {
	l := ps.Lane
	if l == nil {
		return nil
	}
	z := b.Zero()
	lp := &lanePlan{duty: z, vat: z}
	lp.shipping = b.at(&l.ShippingPerOrder, t)
	goods := b.Mul(u, avgPrice)
	b.Label(goods, "Goods value per order at the average price (lane)")
	customs := goods
	if l.CustomsValue != GoodsOnly {
		customs = b.Add(goods, lp.shipping)
	}
	b.Label(customs, "Customs value per order (lane)")
	if l.DutyRate != nil {
		lp.duty = b.Mul(b.at(l.DutyRate, t), customs)
		if l.DutyDeMinimis != nil {
			lp.duty = b.IfLE(goods, b.at(l.DutyDeMinimis, t), z, lp.duty)
		}
		b.Label(lp.duty, "Import duty per order (0 at or below the de-minimis)")
	}
	if l.VAT == VATAbsorbed && l.VATRate != nil {
		lp.vat = b.Mul(b.at(l.VATRate, t), b.Add(customs, lp.duty))
		if l.VATDeMinimis != nil {
			lp.vat = b.IfLE(goods, b.at(l.VATDeMinimis, t), z, lp.vat)
		}
		b.Label(lp.vat, "Import VAT per order, absorbed (0 at or below the de-minimis)")
	}
	lp.returnShipping = b.Mul(rr, b.at(&l.ReturnShippingPerOrder, t))
	b.Label(lp.returnShipping, "Return shipping per order (returned share × cost per returned order)")
	perUnit := b.Div(b.Sum([]graph.ID{lp.duty, lp.vat, lp.shipping}, nil), u, ratePrecision)
	lp.landed = b.money(b.Add(unitCost, perUnit))
	b.Label(lp.landed, "Landed cost per unit: unit cost + (duty + import VAT + international shipping) ÷ units per order")
	return lp
}

// laneMonth writes a category's lane lines of a month of n orders; a
// holds the month's GMV and refunds lines already.
func (b *modelBuilder) laneMonth(a *[NumLines]graph.ID, ps *Partnership, lp *lanePlan, n graph.ID, t int) {
	if lp == nil {
		return
	}
	a[LineImportDuty] = b.money(b.Mul(n, lp.duty)) // zero without a duty rate
	a[LineImportVAT] = b.money(b.Mul(n, lp.vat))   // zero unless VAT is absorbed
	a[LineInternationalShipping] = b.money(b.Mul(n, lp.shipping))
	a[LineReturnShipping] = b.money(b.Mul(n, lp.returnShipping))
	a[LineFXFee] = b.money(b.Mul(b.at(&ps.Lane.FXFeeRate, t), b.Sub(a[LineGMV], a[LineRefunds])))
}

// landedCost records a category's landed cost per unit in month t.
func (b *modelBuilder) landedCost(c *Category, id graph.ID, t int) {
	if b.landed == nil {
		b.landed = map[*Category][]graph.ID{}
	}
	s := b.landed[c]
	if s == nil {
		s = make([]graph.ID, b.months)
		for k := range s {
			s[k] = -1
		}
		b.landed[c] = s
	}
	s[t] = id
}

// keepLanded moves the landed-cost nodes of ps's categories, rows from
// row on, into m (the months without one, before launch, get zero).
func (b *modelBuilder) keepLanded(m *Model, ps *Partnership, row int) {
	if ps.Lane == nil {
		return
	}
	if m.landed == nil {
		m.landed = map[int][]graph.ID{}
	}
	for j := range ps.Categories {
		ids := make([]graph.ID, b.months)
		got := b.landed[&ps.Categories[j]]
		for t := range ids {
			ids[t] = b.Zero()
			if got != nil && got[t] >= 0 {
				ids[t] = got[t]
			}
		}
		m.landed[row+j] = ids
	}
}

// LandedCost is the node of a category row's landed cost per unit in
// month t (see CategoryStatement.LandedCost); −1 for a row that is not
// a category of a partnership with a lane, or a month outside the model.
func (m *Model) LandedCost(row, t int) graph.ID {
	if !m.has(row, t) || m.landed[row] == nil {
		return -1
	}
	return m.landed[row][t]
}

// landedValues is a row's landed cost per unit by month; nil without one.
func (m *Model) landedValues(vals []decimal.Decimal, row int) []decimal.Decimal {
	ids := m.landed[row]
	if ids == nil {
		return nil
	}
	out := make([]decimal.Decimal, len(ids))
	for t, id := range ids {
		out[t] = vals[id]
	}
	return out
}
