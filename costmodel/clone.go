package costmodel

import "github.com/shopspring/decimal"

// Clone returns a deep copy of p: changing the copy's drivers (Set,
// Update) leaves p untouched. Decimals are immutable values, so only
// slices and pointers are copied. The clone of nil is nil.
func (p *Portfolio) Clone() *Portfolio {
	if p == nil {
		return nil
	}
	q := *p
	q.Adjustments = make([]Adjustment, len(p.Adjustments))
	for i, a := range p.Adjustments {
		a.CalendarMonths = clip(a.CalendarMonths)
		q.Adjustments[i] = a
	}
	if p.Adjustments == nil {
		q.Adjustments = nil
	}
	q.Allocation = cloneAllocation(p.Allocation)
	if p.FX != nil {
		q.FX = make([]FXRate, len(p.FX))
		for i, f := range p.FX {
			f.Monthly = clip(f.Monthly)
			q.FX[i] = f
		}
	}
	q.Partnerships = make([]Partnership, len(p.Partnerships))
	for i := range p.Partnerships {
		q.Partnerships[i] = p.Partnerships[i].clone()
	}
	return &q
}

func (ps Partnership) clone() Partnership {
	q := ps
	q.Commission = ps.Commission.clone()
	q.Categories = make([]Category, len(ps.Categories))
	for j := range ps.Categories {
		c := ps.Categories[j]
		c.PriceMix = clip(c.PriceMix)
		c.Seasonality = clip(c.Seasonality)
		c.Commission = c.Commission.clone()
		q.Categories[j] = c
	}
	if ps.Payment != nil {
		f := *ps.Payment
		f.Cap = dptr(f.Cap)
		q.Payment = &f
	}
	if ps.Marketing != nil {
		m := *ps.Marketing
		q.Marketing = &m
	}
	q.Setup = clip(ps.Setup)
	q.Takes = clip(ps.Takes)
	q.Maintenance = clip(ps.Maintenance)
	if ps.DataTransfer != nil {
		d := *ps.DataTransfer
		d.Pricing = d.Pricing.clone()
		q.DataTransfer = &d
	}
	if ps.API != nil {
		a := *ps.API
		a.Pricing = a.Pricing.clone()
		q.API = &a
	}
	if ps.Support != nil {
		s := *ps.Support
		q.Support = &s
	}
	q.Capacity = ps.Capacity.clone()
	q.Partner = ps.Partner.clone()
	q.CustomerValue = ps.CustomerValue.clone()
	q.Lane = ps.Lane.clone()
	q.Outage = ps.Outage.clone()
	return q
}

func (c *Commission) clone() *Commission {
	if c == nil {
		return nil
	}
	q := *c
	q.Tiers = make([]Tier, len(c.Tiers))
	for i, t := range c.Tiers {
		q.Tiers[i] = Tier{UpTo: dptr(t.UpTo), Rate: t.Rate}
	}
	if len(c.Tiers) == 0 {
		q.Tiers = nil
	}
	q.CapPerItem = dptr(c.CapPerItem)
	q.PerOrderThreshold = dptr(c.PerOrderThreshold)
	if c.Refund != nil {
		r := *c.Refund
		r.AdminFixed = dptr(r.AdminFixed)
		q.Refund = &r
	}
	return &q
}

func (v VolumePricing) clone() VolumePricing {
	q := v
	q.Bands = make([]Band, len(v.Bands))
	for i, b := range v.Bands {
		q.Bands[i] = Band{UpTo: dptr(b.UpTo), Price: b.Price}
	}
	return q
}

func dptr(d *decimal.Decimal) *decimal.Decimal {
	if d == nil {
		return nil
	}
	v := *d
	return &v
}

// clip copies a slice, keeping nil as nil.
func clip[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}
