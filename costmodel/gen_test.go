package costmodel

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"
)

// gen draws random valid portfolios covering every fee shape the model
// has: flat, all-units and marginal tiers read per item, on monthly GMV
// and on monthly orders (shared by several categories, or a category's
// own), amounts exactly on tier bounds and per-order thresholds,
// minimums and caps per item, per-order fees with thresholds, refunds
// with admin fees, payment fees with caps, minimum guarantees, set-up
// items with amortisation past the horizon, maintenance, data transfer
// and API bands with both allowance modes, support, price mixes, launch
// months, ramps, growth (negative, zero, large), seasonality, currencies
// with 0, 2 and 3 minor digits, and month-limited adjustments of every
// op on drivers that may vary by month.
type gen struct {
	r *rand.Rand
	// edges puts monthly volumes exactly on volume-tier bounds (edgeSeeds).
	edges bool
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), edges: seed >= edgeSeeds}
}

// edgeSeeds is the first seed whose portfolios put volumes on tier bounds;
// the seeds below it draw exactly what they drew before edges existed (their
// digests were written by the arithmetic before the graph).
const edgeSeeds = 300

// dec is a random number in [lo, hi] with the given decimal places.
func (g *gen) dec(lo, hi float64, places int32) decimal.Decimal {
	v := lo + g.r.Float64()*(hi-lo)
	return decimal.NewFromFloat(v).Round(places)
}

func (g *gen) ptr(v decimal.Decimal) *decimal.Decimal { return &v }
func (g *gen) coin(p float64) bool                    { return g.r.Float64() < p }

// bounds returns n−1 ascending bounds in (lo, hi) with the given places
// and nil for the last, unbounded tier.
func (g *gen) bounds(n int, lo, hi float64, places int32) []*decimal.Decimal {
	out := make([]*decimal.Decimal, n)
	prev := decimal.NewFromFloat(lo).Round(places)
	step := (hi - lo) / float64(n)
	for i := 0; i < n-1; i++ {
		v := prev.Add(g.dec(step*0.2, step*1.5, places))
		if !v.GreaterThan(prev) {
			v = prev.Add(decimal.New(1, -places))
		}
		out[i] = g.ptr(v)
		prev = v
	}
	return out
}

// commission draws terms for a category whose prices are near price and
// monthly volume near orders.
func (g *gen) commission(price, orders float64) *Commission {
	c := &Commission{}
	n := 1 + g.r.IntN(4)
	switch g.r.IntN(4) {
	case 0: // flat
		c.Rate = g.dec(0, 0.3, 4)
	case 1: // per item tiers around the price
		c.TierMode = []TierMode{AllUnits, Marginal}[g.r.IntN(2)]
		for i, u := range g.bounds(n, price*0.3, price*1.5, 2) {
			c.Tiers = append(c.Tiers, Tier{UpTo: u, Rate: g.dec(0.02, 0.2, 3)})
			_ = i
		}
	case 2: // monthly GMV tiers
		c.TierMode = []TierMode{AllUnits, Marginal}[g.r.IntN(2)]
		c.TierBasis = MonthlyGMV
		for _, u := range g.bounds(n, 0, price*orders*2, 0) {
			c.Tiers = append(c.Tiers, Tier{UpTo: u, Rate: g.dec(0.02, 0.2, 3)})
		}
	case 3: // monthly order tiers
		c.TierMode = []TierMode{AllUnits, Marginal}[g.r.IntN(2)]
		c.TierBasis = MonthlyOrders
		for _, u := range g.bounds(n, 0, orders*2, 0) {
			c.Tiers = append(c.Tiers, Tier{UpTo: u, Rate: g.dec(0.02, 0.2, 3)})
		}
	}
	if g.coin(0.5) {
		c.MinPerItem = g.dec(0, 1, 2)
	}
	if g.coin(0.4) {
		c.CapPerItem = g.ptr(c.MinPerItem.Add(g.dec(0, price*0.2, 2)))
	}
	c.IncludeShipping = g.coin(0.5)
	if g.coin(0.5) {
		c.PerOrderFee = g.dec(0, 1, 2)
		if g.coin(0.6) {
			c.PerOrderThreshold = g.ptr(g.dec(price*0.5, price*3, 2))
			c.PerOrderFeeAbove = g.dec(0, 1.5, 2)
		}
	}
	if g.coin(0.6) {
		c.Refund = &RefundTerms{AdminRate: g.dec(0, 0.5, 2)}
		if g.coin(0.6) {
			c.Refund.AdminFixed = g.ptr(g.dec(0, 3, 2))
		}
	}
	return c
}

func (g *gen) pricing(q float64) VolumePricing {
	v := VolumePricing{}
	if g.coin(0.6) {
		v.Allowance = g.dec(0, q*0.5, 1)
	}
	if g.coin(0.4) {
		v.AllowanceMode = Shift
	}
	n := 1 + g.r.IntN(4)
	for _, u := range g.bounds(n, 0, q*1.5, 1) {
		v.Bands = append(v.Bands, Band{UpTo: u, Price: g.dec(0.01, 4, 3)})
	}
	return v
}

var genCurrencies = []string{"USD", "USD", "EUR", "JPY", "KWD"}

// portfolio draws one valid portfolio.
func (g *gen) portfolio() *Portfolio {
	p := &Portfolio{
		Currency:     genCurrencies[g.r.IntN(len(genCurrencies))],
		Start:        Month{Year: 2025 + g.r.IntN(3), Month: time.Month(1 + g.r.IntN(12))},
		Months:       1 + g.r.IntN(40),
		DiscountRate: g.dec(-0.1, 0.3, 3),
	}
	if g.coin(0.1) {
		p.DiscountRate = decimal.Zero
	}
	np := 1 + g.r.IntN(4)
	for i := range np {
		ps := Partnership{
			ID:          fmt.Sprintf("p%d", i+1),
			Channel:     []string{"marketplace", "own-shop", "integration"}[g.r.IntN(3)],
			LaunchMonth: g.r.IntN(p.Months),
		}
		if g.coin(0.3) {
			ps.LaunchMonth = 0
		}
		nc := g.r.IntN(4)
		if g.coin(0.1) {
			nc = 0
		}
		if nc > 0 && g.coin(0.7) {
			ps.Commission = g.commission(30, 800)
		}
		for j := range nc {
			c := Category{
				ID:            fmt.Sprintf("c%d", g.r.IntN(3)*10+j), // shared IDs roll up across partnerships
				Orders:        g.dec(0, 3000, 1),
				UnitsPerOrder: g.dec(1, 3, 1),
				UnitCost:      g.dec(0, 40, 2),
			}
			if g.coin(0.08) {
				c.Orders = decimal.Zero
			}
			price := g.dec(1, 120, 2)
			if g.coin(0.5) {
				k := 1 + g.r.IntN(3)
				left := decimal.NewFromInt(1)
				for m := range k {
					share := left
					if m < k-1 {
						share = g.dec(0, left.InexactFloat64(), 2)
					}
					left = left.Sub(share)
					c.PriceMix = append(c.PriceMix, PricePoint{Price: g.dec(1, 150, 2), Share: share})
				}
			} else {
				c.Price = price
			}
			if g.coin(0.7) {
				c.ShippingCharge = g.dec(0, 8, 2)
			}
			c.ReturnRate = g.dec(0, 0.3, 3)
			c.FulfilmentCost = g.dec(0, 4, 2)
			c.ShippingCost = g.dec(0, 7, 2)
			c.ReturnCost = g.dec(0, 3, 2)
			c.StorageMonthly = g.dec(0, 900, 2)
			if g.coin(0.6) {
				for range 12 {
					c.Seasonality = append(c.Seasonality, g.dec(0.5, 1.6, 2))
				}
			}
			if g.coin(0.5) {
				c.RampMonths = 1 + g.r.IntN(14)
				c.RampStart = g.dec(0, 1, 2)
			}
			switch g.r.IntN(4) {
			case 0:
			case 1:
				c.Growth = g.dec(-0.5, 0.5, 3)
			case 2:
				c.Growth = g.dec(0, 3, 2)
			case 3:
				c.Growth = g.dec(-0.9, 0, 2)
			}
			if g.coin(0.3) {
				c.Commission = g.commission(price.InexactFloat64(), c.Orders.InexactFloat64())
			}
			// Put an amount exactly on a bound: a price on a per-item tier
			// bound or the order total on the per-order threshold.
			if cm := commissionOf(&ps, &c); cm != nil && g.coin(0.5) && len(c.PriceMix) == 0 {
				if len(cm.Tiers) > 1 && cm.basis() == PerItem && !cm.IncludeShipping {
					c.Price = *cm.Tiers[g.r.IntN(len(cm.Tiers)-1)].UpTo
				} else if cm.PerOrderThreshold != nil {
					cm.PerOrderThreshold = g.ptr(c.Price.Mul(c.UnitsPerOrder).Add(c.ShippingCharge))
				}
			}
			dup := false
			for _, o := range ps.Categories {
				dup = dup || o.ID == c.ID
			}
			if !dup {
				ps.Categories = append(ps.Categories, c)
			}
		}
		if len(ps.Categories) == 0 {
			ps.Commission = nil
		}
		if g.coin(0.4) {
			ps.MinimumCommission = g.dec(0, 5000, 2)
		}
		if g.coin(0.5) {
			ps.Payment = &PaymentFee{Rate: g.dec(0, 0.04, 3), Fixed: g.dec(0, 0.5, 2)}
			if g.coin(0.4) {
				ps.Payment.Cap = g.ptr(g.dec(0.1, 3, 2))
			}
		}
		if g.coin(0.6) {
			ps.Marketing = &Marketing{Rate: g.dec(0, 0.1, 3), Monthly: g.dec(0, 2000, 2)}
		}
		for k := range g.r.IntN(3) {
			ps.Setup = append(ps.Setup, SetupItem{ID: fmt.Sprintf("s%d", k), Amount: g.dec(0, 50000, 3),
				Month: g.r.IntN(p.Months), AmortMonths: g.r.IntN(50)})
		}
		for k := range g.r.IntN(3) {
			ps.Maintenance = append(ps.Maintenance, MaintenanceItem{ID: fmt.Sprintf("m%d", k),
				Hours: g.dec(0, 40, 1), HourlyRate: g.dec(0, 150, 2), Monthly: g.dec(0, 500, 2)})
		}
		if g.coin(0.4) {
			ps.DataTransfer = &DataTransfer{GBPer1000Orders: g.dec(0, 5, 2), FixedGB: g.dec(0, 800, 1), Pricing: g.pricing(2000)}
		}
		if g.coin(0.4) {
			ps.API = &APICalls{CallsPerOrder: g.dec(0, 20, 1), FixedCalls: g.dec(0, 3e6, 0), Pricing: g.pricing(3)}
		}
		if g.coin(0.5) {
			ps.Support = &Support{TicketsPer1000Orders: g.dec(0, 30, 1), CostPerTicket: g.dec(0, 9, 2), StaffMonthly: g.dec(0, 1500, 2)}
		}
		if g.edges {
			g.volumeOnBound(&ps)
		}
		p.Partnerships = append(p.Partnerships, ps)
	}
	g.adjustments(p)
	return p
}

// adjustments adds month-limited adjustments, keeping only those that
// leave the portfolio valid.
func (g *gen) adjustments(p *Portfolio) {
	var targets []string
	for _, d := range p.Drivers() {
		if wholeHorizonOnly(d.Address) == "" {
			targets = append(targets, d.Address)
		}
	}
	for range g.r.IntN(5) {
		a := Adjustment{Op: []Op{Multiply, Add, SetTo}[g.r.IntN(3)]}
		a.From = g.r.IntN(p.Months)
		a.To = a.From + g.r.IntN(p.Months-a.From)
		if g.coin(0.3) {
			a.CalendarMonths = []time.Month{time.Month(1 + g.r.IntN(12)), time.Month(1 + g.r.IntN(12))}
		}
		t := targets[g.r.IntN(len(targets))]
		if g.coin(0.3) { // a pattern over every partnership and category
			t = "*/*/orders"
		}
		a.Target = t
		d, err := p.Driver(t)
		switch {
		case err != nil: // a pattern
			a.Value = g.dec(0.5, 1.5, 3)
			a.Op = Multiply
		case a.Op == Multiply:
			a.Value = g.dec(0.5, 1.5, 4) // 1.2345 × a 12-place value rounds in Update
		case a.Op == Add:
			a.Value = g.dec(-0.1, 0.1, 3).Mul(d.Value.Abs().Add(decimal.NewFromInt(1)))
		default:
			a.Value = d.Value.Mul(g.dec(0.5, 1.2, 2)).Round(6)
		}
		p.Adjustments = append(p.Adjustments, a)
		if p.Validate() != nil {
			p.Adjustments = p.Adjustments[:len(p.Adjustments)-1]
		}
	}
}

// volumeOnBound gives a partnership volume-tiered default terms whose
// first bound is exactly the monthly volume of the categories sharing them
// (orders, or GMV fee base with one item per order and no shipping in the
// base), with seasonality, ramps and growth removed so that every month
// after launch has that volume.
func (g *gen) volumeOnBound(ps *Partnership) {
	if len(ps.Categories) == 0 {
		return
	}
	cm := g.commission(30, 800)
	cm.TierBasis = []TierBasis{MonthlyOrders, MonthlyGMV}[g.r.IntN(2)]
	cm.TierMode = []TierMode{AllUnits, Marginal}[g.r.IntN(2)]
	cm.IncludeShipping = false
	cm.Rate = decimal.Zero
	vol := decimal.Zero
	for j := range ps.Categories {
		c := &ps.Categories[j]
		if c.Commission != nil {
			continue
		}
		c.Seasonality, c.RampMonths, c.RampStart, c.Growth = nil, 0, decimal.Zero, decimal.Zero
		if cm.TierBasis == MonthlyOrders {
			vol = vol.Add(c.Orders)
			continue
		}
		c.UnitsPerOrder = decimal.NewFromInt(1)
		if len(c.PriceMix) == 0 {
			vol = vol.Add(c.Orders.Mul(c.Price))
		}
		for _, pt := range c.PriceMix {
			vol = vol.Add(c.Orders.Mul(pt.Share).Mul(pt.Price))
		}
	}
	if vol.Sign() <= 0 || vol.Exponent() < -maxDecimals {
		return
	}
	cm.Tiers = []Tier{{UpTo: g.ptr(vol), Rate: g.dec(0.02, 0.2, 3)}, {UpTo: g.ptr(vol.Mul(decimal.NewFromInt(2))), Rate: g.dec(0.02, 0.2, 3)}, {Rate: g.dec(0.02, 0.2, 3)}}
	ps.Commission = cm
}
