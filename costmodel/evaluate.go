package costmodel

import (
	"sort"

	"github.com/shopspring/decimal"
)

var (
	thousand = decimal.NewFromInt(1000)
	million  = decimal.NewFromInt(1_000_000)
)

// Evaluate validates p and computes its exact monthly statement.
//
// Conventions (the README's table repeats them):
//   - every base line of every partnership × category × month is computed
//     exactly and rounded once to the currency's minor unit, half away from
//     zero (Excel's ROUND); subtotals and roll-ups are sums of rounded lines;
//   - volumes are expected values and are never rounded;
//   - nothing happens in a partnership before its launch month except
//     set-up spending; running costs start at launch;
//   - NPV follows Excel: the first month's flow is discounted once.
//
// Evaluate does not modify p.
func Evaluate(p *Portfolio) (*Statement, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return evaluate(p), nil
}

// pricePoint is a price point with its per-item fee base.
type pricePoint struct {
	price, share, base, orderTotal decimal.Decimal
}

// catPlan is a category's inputs resolved for evaluation.
type catPlan struct {
	c      *Category
	comm   *Commission
	points []pricePoint
	orders []decimal.Decimal // expected orders per month
}

func evaluate(p *Portfolio) *Statement {
	rate, _ := MonthlyRate(p.DiscountRate)
	cur, _ := LookupCurrency(p.Currency)
	minor := cur.MinorUnit
	if len(p.Adjustments) == 0 {
		parts := make([]PartnershipStatement, len(p.Partnerships))
		for i := range p.Partnerships {
			parts[i] = evaluatePartnership(p, &p.Partnerships[i], minor, rate, nil)
		}
		return assemble(p, parts, rate)
	}
	// With adjustments, the months fall into groups with the same active
	// adjustments; each group is evaluated on a portfolio whose drivers
	// carry that group's values, and its months are taken from it. Every
	// month of the model depends only on its own month's drivers (growth,
	// set-up amounts and the discount rate, which reach across months,
	// cannot be adjusted by month), so this equals evaluating month by
	// month.
	active, months := p.monthGroups()
	var parts []PartnershipStatement
	for g, act := range active {
		q, _ := p.withAdjustments(act) // Validate has applied every group once
		// Group 0 fills every month; later groups overwrite their own.
		// Measures are computed once, after the merge.
		mask := make([]bool, p.Months)
		for t := range mask {
			mask[t] = g == 0
		}
		for _, t := range months[g] {
			mask[t] = true
		}
		for i := range q.Partnerships {
			ps := evaluatePartnership(q, &q.Partnerships[i], minor, rate, mask)
			if g == 0 {
				parts = append(parts, ps)
				continue
			}
			dst := &parts[i]
			for _, t := range months[g] {
				for j := range dst.Categories {
					dst.Categories[j].Monthly[t] = ps.Categories[j].Monthly[t]
					dst.Categories[j].Orders[t] = ps.Categories[j].Orders[t]
				}
				dst.Own.Monthly[t] = ps.Own.Monthly[t]
				dst.Own.Orders[t] = ps.Own.Orders[t]
			}
		}
	}
	for i := range parts {
		ps := &parts[i]
		for j := range ps.Categories {
			ps.Categories[j].finish()
		}
		ps.Own.finish()
		ps.Total = newBlock(p.Months)
		for j := range ps.Categories {
			ps.Total.add(&ps.Categories[j].Block)
		}
		ps.Total.add(&ps.Own)
		ps.Total.finish()
		ps.Measures = measure(&ps.Total, rate, max(p.Months-p.Partnerships[i].LaunchMonth, 0), minor)
	}
	return assemble(p, parts, rate)
}

// assemble builds the roll-ups and portfolio measures of finished
// partnership statements.
func assemble(p *Portfolio, parts []PartnershipStatement, rate decimal.Decimal) *Statement {
	cur, _ := LookupCurrency(p.Currency)
	minor := cur.MinorUnit
	st := &Statement{
		Currency:         cur,
		Start:            p.Start,
		Months:           p.Months,
		MonthlyRate:      rate,
		Partnerships:     parts,
		PartnershipLevel: newBlock(p.Months),
		Portfolio:        newBlock(p.Months),
	}
	channels := map[string]*Block{}
	categories := map[string]*Block{}
	for i := range st.Partnerships {
		ps := &st.Partnerships[i]
		st.Portfolio.add(&ps.Total)
		st.PartnershipLevel.add(&ps.Own)
		if channels[ps.Channel] == nil {
			b := newBlock(p.Months)
			channels[ps.Channel] = &b
		}
		channels[ps.Channel].add(&ps.Total)
		for j := range ps.Categories {
			cs := &ps.Categories[j]
			if categories[cs.ID] == nil {
				b := newBlock(p.Months)
				categories[cs.ID] = &b
			}
			categories[cs.ID].add(&cs.Block)
		}
	}
	st.ByChannel = rollups(channels)
	st.ByCategory = rollups(categories)
	st.PartnershipLevel.finish()
	st.Portfolio.finish()
	st.Measures = measure(&st.Portfolio, rate, p.Months, minor)
	return st
}

// Measure computes the measures of any block of this statement (a
// channel or category roll-up, say) at the statement's discount rate,
// counting every month of the horizon as active for break-even.
//
// With a nil statement or block there is nothing to measure: every ratio
// is invalid and IRRErr says why.
func (s *Statement) Measure(b *Block) Measures {
	if s == nil || b == nil {
		return Measures{IRRErr: &FieldError{Path: "(statement)", Expected: "a statement and a block of it to measure, not nil"}}
	}
	return measure(b, s.MonthlyRate, s.Months, s.Currency.MinorUnit)
}

func rollups(m map[string]*Block) []Rollup {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Rollup, len(keys))
	for i, k := range keys {
		m[k].finish()
		out[i] = Rollup{Key: k, Block: *m[k]}
	}
	return out
}

// volumeFactors returns the multiplier of a category's base orders in each
// month: seasonality × ramp × growth, zero before launch.
//
// Growth in month τ after launch is (1 + g)^(τ/12), computed as the exact
// power (1 + g)^⌊τ/12⌋ of whole years times the twelfth root to the
// remaining months (30 places), so that whole years are exact, as a
// spreadsheet's (1+g)^(τ/12) is: an amount on a half-cent tie then rounds
// the same way in both.
func volumeFactors(p *Portfolio, c *Category, launch int) []decimal.Decimal {
	out := make([]decimal.Decimal, p.Months)
	const places = 30
	var months [12]decimal.Decimal // (1+g)^(r/12), r = 0..11
	months[0] = one
	gm := one
	if !c.Growth.IsZero() {
		gm = root12(one.Add(c.Growth), places)
	}
	for r := 1; r < 12; r++ {
		months[r] = months[r-1].Mul(gm).Round(places)
	}
	year := one // (1+g)^k for the current whole year k
	startIdx := int(p.Start.Month) - 1
	for t := range out {
		tau := t - launch
		if tau < 0 {
			out[t] = decimal.Zero
			continue
		}
		if tau > 0 && tau%12 == 0 {
			year = year.Mul(one.Add(c.Growth))
			if year.Exponent() < -places {
				year = year.Round(places)
			}
		}
		f := year.Mul(months[tau%12])
		if len(c.Seasonality) == 12 {
			f = f.Mul(c.Seasonality[(startIdx+t)%12])
		}
		if c.RampMonths > 0 && tau < c.RampMonths {
			ramp := c.RampStart.Add(one.Sub(c.RampStart).Mul(decimal.NewFromInt(int64(tau))).
				DivRound(decimal.NewFromInt(int64(c.RampMonths)), ratePrecision))
			f = f.Mul(ramp)
		}
		out[t] = f
	}
	return out
}

func planCategory(p *Portfolio, ps *Partnership, c *Category) catPlan {
	cp := catPlan{c: c, comm: c.Commission}
	if cp.comm == nil {
		cp.comm = ps.Commission
	}
	mix := c.PriceMix
	if len(mix) == 0 {
		mix = []PricePoint{{Price: c.Price, Share: one}}
	}
	shipPerItem := decimal.Zero
	if cp.comm != nil && cp.comm.IncludeShipping && c.UnitsPerOrder.Sign() > 0 {
		shipPerItem = c.ShippingCharge.DivRound(c.UnitsPerOrder, ratePrecision)
	}
	for _, pt := range mix {
		cp.points = append(cp.points, pricePoint{
			price:      pt.Price,
			share:      pt.Share,
			base:       pt.Price.Add(shipPerItem),
			orderTotal: pt.Price.Mul(c.UnitsPerOrder).Add(c.ShippingCharge),
		})
	}
	factors := volumeFactors(p, c, ps.LaunchMonth)
	cp.orders = make([]decimal.Decimal, p.Months)
	for t, f := range factors {
		cp.orders[t] = c.Orders.Mul(f)
	}
	return cp
}

// feeBase is the month's total commission fee base of a category.
func (cp *catPlan) feeBase(t int) decimal.Decimal {
	s := decimal.Zero
	for _, pt := range cp.points {
		s = s.Add(pt.share.Mul(pt.base))
	}
	return s.Mul(cp.c.UnitsPerOrder).Mul(cp.orders[t])
}

// evaluatePartnership computes one partnership's statement. A non-nil
// mask limits the work to the months it marks (the others stay zero).
func evaluatePartnership(p *Portfolio, ps *Partnership, minor int32, rate decimal.Decimal, mask []bool) PartnershipStatement {
	skip := func(t int) bool { return mask != nil && !mask[t] }
	out := PartnershipStatement{ID: ps.ID, Name: ps.Name, Channel: ps.Channel, Own: newBlock(p.Months), Total: newBlock(p.Months)}
	plans := make([]catPlan, len(ps.Categories))
	for j := range ps.Categories {
		plans[j] = planCategory(p, ps, &ps.Categories[j])
	}
	// Effective rates of volume-tiered terms, per terms and month: the
	// volume is summed over every category sharing the terms.
	effRate := map[*Commission][]decimal.Decimal{}
	for j := range plans {
		cm := plans[j].comm
		if cm == nil || cm.basis() == PerItem || effRate[cm] != nil {
			continue
		}
		rates := make([]decimal.Decimal, p.Months)
		for t := range rates {
			if skip(t) {
				continue
			}
			vol := decimal.Zero
			for k := range plans {
				if plans[k].comm != cm {
					continue
				}
				if cm.basis() == MonthlyOrders {
					vol = vol.Add(plans[k].orders[t])
				} else {
					vol = vol.Add(plans[k].feeBase(t))
				}
			}
			if vol.Sign() > 0 {
				rates[t] = TierFee(cm.Tiers, cm.TierMode, vol).DivRound(vol, ratePrecision)
			} else {
				rates[t] = TierFee(cm.Tiers, cm.TierMode, one) // the first tier's rate
			}
		}
		effRate[cm] = rates
	}

	totalOrders := make([]decimal.Decimal, p.Months)
	for t := range totalOrders {
		totalOrders[t] = decimal.Zero
	}
	netCommission := make([]decimal.Decimal, p.Months)
	for t := range netCommission {
		netCommission[t] = decimal.Zero
	}
	for j := range plans {
		cp := &plans[j]
		cs := CategoryStatement{ID: cp.c.ID, Name: cp.c.Name, Block: newBlock(p.Months)}
		for t := 0; t < p.Months; t++ {
			if t < ps.LaunchMonth || skip(t) {
				continue
			}
			var rates []decimal.Decimal
			if cp.comm != nil {
				rates = effRate[cp.comm]
			}
			categoryMonth(&cs.Monthly[t], ps, cp, t, rates, minor)
			cs.Orders[t] = cp.orders[t]
			totalOrders[t] = totalOrders[t].Add(cp.orders[t])
			netCommission[t] = netCommission[t].Add(cs.Monthly[t][LineCommission]).Sub(cs.Monthly[t][LineCommissionRefund])
		}
		cs.finish()
		out.Categories = append(out.Categories, cs)
		out.Total.add(&cs.Block)
	}
	partnershipMonths(&out.Own, p, ps, totalOrders, netCommission, minor, mask)
	out.Own.finish()
	out.Total.add(&out.Own)
	out.Total.finish()
	if mask == nil {
		out.Measures = measure(&out.Total, rate, max(p.Months-ps.LaunchMonth, 0), minor)
	}
	return out
}

// categoryMonth fills the category lines of month t.
func categoryMonth(a *Amounts, ps *Partnership, cp *catPlan, t int, effRate []decimal.Decimal, minor int32) {
	c := cp.c
	n := cp.orders[t]
	u := c.UnitsPerOrder
	items := n.Mul(u)
	returned := items.Mul(c.ReturnRate)
	gmv, refunds := decimal.Zero, decimal.Zero
	commission, commRefund, payment := decimal.Zero, decimal.Zero, decimal.Zero
	cm := cp.comm
	for _, pt := range cp.points {
		nk := n.Mul(pt.share)
		itemRevenue := nk.Mul(u).Mul(pt.price)
		gmv = gmv.Add(itemRevenue).Add(nk.Mul(c.ShippingCharge))
		refunds = refunds.Add(itemRevenue.Mul(c.ReturnRate))
		if ps.Payment != nil {
			payment = payment.Add(nk.Mul(ps.Payment.Fee(pt.orderTotal)))
		}
		if cm != nil {
			var fee decimal.Decimal
			if effRate != nil {
				fee = cm.clamp(effRate[t].Mul(pt.base))
			} else {
				fee = cm.ItemFee(pt.base)
			}
			commission = commission.Add(nk.Mul(u.Mul(fee).Add(cm.OrderFee(pt.orderTotal))))
			if cm.Refund != nil {
				back := fee.Sub(cm.Refund.AdminFee(fee))
				commRefund = commRefund.Add(nk.Mul(u).Mul(c.ReturnRate).Mul(back))
			}
		}
	}
	a[LineGMV] = gmv.Round(minor)
	a[LineRefunds] = refunds.Round(minor)
	a[LineCOGS] = items.Sub(returned).Mul(c.UnitCost).Round(minor)
	a[LineCommission] = commission.Round(minor)
	a[LineCommissionRefund] = commRefund.Round(minor)
	a[LinePaymentFees] = payment.Round(minor)
	a[LineFulfilment] = items.Mul(c.FulfilmentCost).Round(minor)
	a[LineStorage] = c.StorageMonthly.Round(minor)
	a[LineShipping] = n.Mul(c.ShippingCost).Round(minor)
	a[LineReturnHandling] = returned.Mul(c.ReturnCost).Round(minor)
	if ps.Marketing != nil {
		a[LineMarketing] = gmv.Mul(ps.Marketing.Rate).Round(minor)
	}
}

// partnershipMonths fills the partnership-level lines.
func partnershipMonths(b *Block, p *Portfolio, ps *Partnership, orders, netCommission []decimal.Decimal, minor int32, mask []bool) {
	for t := 0; t < p.Months; t++ {
		a := &b.Monthly[t]
		if t < ps.LaunchMonth || (mask != nil && !mask[t]) {
			continue
		}
		n := orders[t]
		if ps.MinimumCommission.Sign() > 0 {
			if short := ps.MinimumCommission.Sub(netCommission[t]); short.Sign() > 0 {
				a[LineCommissionTrueUp] = short.Round(minor)
			}
		}
		if ps.Marketing != nil {
			a[LineMarketingFixed] = ps.Marketing.Monthly.Round(minor)
		}
		if d := ps.DataTransfer; d != nil {
			gb := n.Mul(d.GBPer1000Orders).DivRound(thousand, ratePrecision).Add(d.FixedGB)
			a[LineDataTransfer] = d.Pricing.Cost(gb).Round(minor)
		}
		if api := ps.API; api != nil {
			calls := n.Mul(api.CallsPerOrder).Add(api.FixedCalls)
			a[LineAPICalls] = api.Pricing.Cost(calls.DivRound(million, ratePrecision)).Round(minor)
		}
		if s := ps.Support; s != nil {
			a[LineSupport] = n.Mul(s.TicketsPer1000Orders).Mul(s.CostPerTicket).DivRound(thousand, ratePrecision).Round(minor)
			a[LineSupportStaff] = s.StaffMonthly.Round(minor)
		}
		m := decimal.Zero
		for _, it := range ps.Maintenance {
			m = m.Add(it.Hours.Mul(it.HourlyRate)).Add(it.Monthly)
		}
		a[LineMaintenance] = m.Round(minor)
	}
	for _, s := range ps.Setup {
		if s.Month >= 0 && s.Month < p.Months {
			a := &b.Monthly[s.Month]
			a[LineSetup] = a[LineSetup].Add(s.Amount.Round(minor))
		}
		amortise(b, s, p.Months, minor)
	}
}

// amortise spreads a set-up item evenly over its amortisation months
// (whole at its month when AmortMonths is 0). Each month is rounded once;
// the last month takes the remainder so the months sum to the amount.
func amortise(b *Block, s SetupItem, months int, minor int32) {
	k := max(s.AmortMonths, 1)
	amount := s.Amount.Round(minor)
	share := amount.DivRound(decimal.NewFromInt(int64(k)), minor)
	done := decimal.Zero
	for i := 0; i < k; i++ {
		v := share
		if i == k-1 {
			v = amount.Sub(done)
		}
		done = done.Add(v)
		if t := s.Month + i; t >= 0 && t < months {
			b.Monthly[t][LineAmortisation] = b.Monthly[t][LineAmortisation].Add(v)
		}
	}
}
