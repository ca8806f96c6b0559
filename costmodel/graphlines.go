package costmodel

import (
	"fmt"

	"github.com/marginalhq/marginal/internal/graph"
)

// The formulas of the statement's lines, written once as graph nodes. The
// conventions are Evaluate's: each base line is computed exactly and
// rounded once to the minor unit (money), volumes are never rounded, and
// nothing but set-up happens before launch.
//
// Every amount proportional to the month's orders n is n × a per-order
// coefficient (GMV per order, commission per order, …) that the builder
// computes once per group of months sharing every driver value (orderPlan):
// exact decimal products do not depend on how they are grouped, so this
// is the same number, to the digit, as summing price point by price point.

// perItemRate stands for the effective rate of terms read per item, which
// have none: their fee per item is in the order plan.
const perItemRate graph.ID = -1

// growthPlaces is the places of the twelfth root and monthly powers of
// growth: whole years are exact powers, as a spreadsheet's (1+g)^(τ/12) is.
const growthPlaces = 30

// orderPlan is a category's amounts per order (and per month where they
// do not scale) in one group of months.
type orderPlan struct {
	gmv, refunds, cogs, fulfilment, shipping, returns, payment graph.ID
	// commission and commRefund are per order for terms read per item;
	// volume-tiered terms compute them month by month from points.
	commission, commRefund graph.ID
	// feeBase is the commission fee base per order (volume tiers on GMV).
	feeBase graph.ID
	storage graph.ID // the month's storage line
	units   graph.ID
	rr      graph.ID
	points  []pointPlan
	lane    *lanePlan // the cross-border amounts (graphlane.go); nil without a lane
}

// pointPlan is one price point's share, per-item fee base and per-order fee.
type pointPlan struct {
	share, base, orderFee graph.ID
}

// fixedPlan is a partnership's monthly fixed lines in one group of months.
type fixedPlan struct {
	marketingFixed, supportStaff, maintenance graph.ID
	// customerValue and partnerCustomerValue are each side's value per
	// order of the customers acquired (graphsides.go).
	customerValue, partnerCustomerValue graph.ID
}

// commissionOf returns the commission terms of a category: its own or the
// partnership's default (nil: none).
func commissionOf(ps *Partnership, c *Category) *Commission {
	if c.Commission != nil {
		return c.Commission
	}
	return ps.Commission
}

// partnership builds every category row and the own row of ps and
// returns the category rows; own receives the partnership-level lines.
func (b *modelBuilder) partnership(ps *Partnership, own *BlockNodes) []BlockNodes {
	cats := make([]BlockNodes, len(ps.Categories))
	orders := make([][]graph.ID, len(cats))
	for j := range cats {
		cats[j] = b.newBlock()
		orders[j] = b.categoryOrders(ps, j)
	}
	b.throttle(ps, orders)
	*own = b.newBlock()
	var capState capacityState
	plans := map[[2]int]*orderPlan{}
	plan := func(j, t int) *orderPlan {
		key := [2]int{j, b.group[t]}
		if op := plans[key]; op != nil {
			return op
		}
		c := &ps.Categories[j]
		op := b.orderPlan(ps, c, commissionOf(ps, c), t)
		plans[key] = op
		return op
	}
	fixed := map[int]*fixedPlan{}
	for t := ps.LaunchMonth; t < b.months; t++ {
		// Effective rates of volume-tiered terms: the volume is summed over
		// every category sharing the terms.
		effRate := map[*Commission]graph.ID{}
		for j := range cats {
			cm := commissionOf(ps, &ps.Categories[j])
			if cm == nil || cm.basis() == PerItem {
				continue
			}
			if _, done := effRate[cm]; done {
				continue
			}
			var vol []graph.ID
			for k := range cats {
				if commissionOf(ps, &ps.Categories[k]) != cm {
					continue
				}
				if cm.basis() == MonthlyOrders {
					vol = append(vol, orders[k][t])
				} else {
					vol = append(vol, b.Mul(plan(k, t).feeBase, orders[k][t]))
				}
			}
			v := b.Sum(vol, nil)
			b.Label(v, "Tier volume of the month (every category on these terms)")
			// No volume: the rate of the tier an amount of 1 falls in.
			effRate[cm] = b.IfLE(v, b.Zero(), b.tierFee(cm, b.One(), t), b.Div(b.tierFee(cm, v, t), v, ratePrecision))
			b.Label(effRate[cm], "Effective commission rate of the month (tier fee ÷ volume)")
		}
		var total, netPlus, netMinus []graph.ID
		for j := range cats {
			c := &ps.Categories[j]
			if t < c.LaunchMonth {
				continue // not launched: no lines, no orders
			}
			cm := commissionOf(ps, c)
			rate := perItemRate
			if cm != nil && cm.basis() != PerItem {
				rate = effRate[cm]
			}
			a := &cats[j].Monthly[t]
			b.categoryMonth(a, ps, c, cm, plan(j, t), orders[j][t], rate, t)
			if lp := plan(j, t).lane; lp != nil {
				b.landedCost(c, lp.landed, t)
			}
			cats[j].Orders[t] = orders[j][t]
			total = append(total, orders[j][t])
			netPlus = append(netPlus, a[LineCommission])
			netMinus = append(netMinus, a[LineCommissionRefund])
		}
		fp := fixed[b.group[t]]
		if fp == nil {
			fp = b.fixedPlan(ps, t)
			fixed[b.group[t]] = fp
		}
		n, net := b.Sum(total, nil), b.Sum(netPlus, netMinus)
		b.Label(n, "Orders of the month, every category")
		b.Label(net, "Commission of the month net of refunds, every category")
		gb := b.partnershipMonth(&own.Monthly[t], ps, fp, n, net, t)
		if ps.Capacity != nil {
			units := b.Zero()
			if ps.Capacity.Fulfilment != nil {
				items := make([]graph.ID, len(cats))
				for j := range cats {
					items[j] = b.Mul(orders[j][t], plan(j, t).units)
				}
				units = b.Sum(items, nil)
				b.Label(units, "Units of the month, every category")
			}
			b.capacityMonth(&own.Monthly[t], ps, &capState, n, units, gb, t)
		}
	}
	for k := range ps.Setup {
		b.setup(own, &ps.Setup[k])
	}
	b.outageLines(ps, cats, own)
	return cats
}

// orders is a category's expected orders in each month: base orders ×
// seasonality × ramp × growth, zero before launch.
//
// Growth in month τ after launch is (1 + g)^(τ/12), computed as the exact
// power (1 + g)^⌊τ/12⌋ of whole years times the twelfth root to the
// remaining months (30 places), so that whole years are exact, as a
// spreadsheet's (1+g)^(τ/12) is: an amount on a half-cent tie then rounds
// the same way in both.
func (b *modelBuilder) orders(ps *Partnership, c *Category) []graph.ID {
	out := make([]graph.ID, b.months)
	for t := range out {
		out[t] = b.Zero()
	}
	yearly := b.Add(b.One(), b.whole(&c.Growth))
	monthly := b.Root12(yearly, growthPlaces)
	b.Label(monthly, "Monthly growth factor: (1 + growth)^(1/12)")
	var pow [12]graph.ID // (1+g)^(r/12), r = 0..11
	pow[0] = b.One()
	for r := 1; r < 12; r++ {
		pow[r] = b.Round(b.Mul(pow[r-1], monthly), growthPlaces)
		b.Label(pow[r], fmt.Sprintf("Growth over %d months: (1 + growth)^(%d/12)", r, r))
	}
	year := b.One() // (1+g)^k for the current whole year k
	startIdx := int(b.p.Start.Month) - 1
	launch := max(ps.LaunchMonth, c.LaunchMonth)
	for t := launch; t < b.months; t++ {
		tau := t - launch
		if tau > 0 && tau%12 == 0 {
			year = b.Round(b.Mul(year, yearly), growthPlaces)
			b.Label(year, fmt.Sprintf("Growth over %d years: (1 + growth)^%d", tau/12, tau/12))
		}
		f := b.Mul(year, pow[tau%12])
		if len(c.Seasonality) == 12 {
			f = b.Mul(f, b.at(&c.Seasonality[(startIdx+t)%12], t))
		}
		if c.RampMonths > 0 && tau < c.RampMonths {
			rs := b.at(&c.RampStart, t)
			ramp := b.Add(rs, b.Div(b.Mul(b.Sub(b.One(), rs), b.Int(tau)), b.Int(c.RampMonths), ratePrecision))
			f = b.Mul(f, ramp)
		}
		out[t] = b.Mul(b.at(&c.Orders, t), f)
	}
	return out
}

// orderPlan builds a category's per-order amounts with the drivers of
// month t (and of every month of t's group).
func (b *modelBuilder) orderPlan(ps *Partnership, c *Category, cm *Commission, t int) *orderPlan {
	u := b.at(&c.UnitsPerOrder, t)
	ship := b.at(&c.ShippingCharge, t)
	rr := b.laneReturnRate(ps, b.at(&c.ReturnRate, t), t)
	op := &orderPlan{units: u, rr: rr}
	shipPerItem := b.Zero()
	if cm != nil && cm.IncludeShipping {
		shipPerItem = b.Div(ship, u, ratePrecision)
		b.Label(shipPerItem, "Shipping charge per item (in the commission's fee base)")
	}
	var gmv, price, pay, base, comm, back []graph.ID
	add := func(s []graph.ID, share, x graph.ID) []graph.ID { return append(s, b.Mul(share, x)) }
	for k := range max(len(c.PriceMix), 1) {
		var pr, share graph.ID
		if len(c.PriceMix) > 0 {
			pr, share = b.at(&c.PriceMix[k].Price, t), b.at(&c.PriceMix[k].Share, t)
		} else {
			pr, share = b.at(&c.Price, t), b.One()
		}
		pt := pointPlan{share: share, base: b.Add(pr, shipPerItem)}
		itemsValue := b.Mul(u, pr)
		orderTotal := b.Add(itemsValue, ship)
		b.Label(orderTotal, fmt.Sprintf("Order total at price point %d", k+1))
		gmv = add(gmv, share, orderTotal)
		price = add(price, share, pr)
		base = add(base, share, pt.base)
		if f := ps.Payment; f != nil {
			pay = add(pay, share, b.paymentFee(f, orderTotal, t))
		}
		if cm != nil {
			pt.orderFee = b.orderFee(cm, orderTotal, t)
			if cm.basis() == PerItem {
				fee := b.clamp(cm, b.schedule(cm, pt.base, t), t)
				b.Label(fee, fmt.Sprintf("Commission per item at price point %d", k+1))
				comm = add(comm, share, b.Add(b.Mul(u, fee), pt.orderFee))
				b.Label(comm[len(comm)-1], fmt.Sprintf("Commission per order at price point %d × its share of orders", k+1))
				if cm.Refund != nil {
					back = add(back, share, b.refunded(cm, fee, t))
					b.Label(back[len(back)-1], fmt.Sprintf("Commission refunded per returned item at price point %d × its share of orders", k+1))
				}
			}
		}
		op.points = append(op.points, pt)
	}
	returned := b.Mul(u, rr) // returned items per order
	avgPrice := b.Sum(price, nil)
	unitCost := b.at(&c.UnitCost, t)
	op.gmv = b.Sum(gmv, nil)
	op.refunds = b.Mul(returned, avgPrice)
	op.cogs = b.Mul(b.Sub(u, returned), unitCost)
	op.lane = b.lanePlan(ps, u, avgPrice, rr, unitCost, t)
	op.fulfilment = b.Mul(u, b.at(&c.FulfilmentCost, t))
	op.shipping = b.at(&c.ShippingCost, t)
	op.returns = b.Mul(returned, b.at(&c.ReturnCost, t))
	op.payment = b.Sum(pay, nil)
	op.commission = b.Sum(comm, nil)
	op.commRefund = b.Mul(returned, b.Sum(back, nil))
	op.feeBase = b.Mul(b.Sum(base, nil), u)
	op.storage = b.money(b.at(&c.StorageMonthly, t))
	for _, l := range []struct {
		id    graph.ID
		label string
	}{
		{returned, "Items returned per order"}, {op.gmv, "GMV per order"}, {op.refunds, "Refunds per order"},
		{op.cogs, "COGS per order"}, {op.fulfilment, "Fulfilment per order"}, {op.returns, "Return handling per order"},
		{op.payment, "Payment fees per order"}, {op.commission, "Commission per order"},
		{op.commRefund, "Commission refunded per order"}, {op.feeBase, "Commission fee base per order"},
	} {
		b.Label(l.id, l.label)
	}
	return op
}

// schedule is the commission before minimum and cap on amount x.
func (b *modelBuilder) schedule(cm *Commission, x graph.ID, t int) graph.ID {
	if len(cm.Tiers) == 0 {
		return b.Mul(b.at(&cm.Rate, t), x)
	}
	return b.tierFee(cm, x, t)
}

// tierFee is the fee of cm's tier schedule on amount x ≥ 0.
func (b *modelBuilder) tierFee(cm *Commission, x graph.ID, t int) graph.ID {
	return b.tierSchedule(cm.Tiers, cm.TierMode, x, t)
}

// tierSchedule is the fee a tier schedule charges on amount x ≥ 0: see
// TierMode.
func (b *modelBuilder) tierSchedule(tiers []Tier, mode TierMode, x graph.ID, t int) graph.ID {
	upTo := make([]graph.ID, len(tiers))
	rates := make([]graph.ID, len(tiers))
	for k := range tiers {
		upTo[k], rates[k] = b.opt(tiers[k].UpTo, t), b.at(&tiers[k].Rate, t)
	}
	if mode == Marginal {
		return b.Marginal(b.Zero(), x, upTo, rates)
	}
	return b.AllUnits(x, upTo, rates)
}

// orderFee is the fixed per-order part of the commission on an order
// whose total is orderTotal: PerOrderFeeAbove above the threshold.
func (b *modelBuilder) orderFee(cm *Commission, orderTotal graph.ID, t int) graph.ID {
	fee := b.at(&cm.PerOrderFee, t)
	if cm.PerOrderThreshold != nil {
		fee = b.IfLE(orderTotal, b.at(cm.PerOrderThreshold, t), fee, b.at(&cm.PerOrderFeeAbove, t))
	}
	return fee
}

// paymentFee is the processor's fee on one order: min(rate × total +
// fixed, cap).
func (b *modelBuilder) paymentFee(f *PaymentFee, orderTotal graph.ID, t int) graph.ID {
	fee := b.Add(b.Mul(b.at(&f.Rate, t), orderTotal), b.at(&f.Fixed, t))
	if f.Cap != nil {
		fee = b.Min(fee, b.at(f.Cap, t))
	}
	return fee
}

// clamp applies the per-item minimum and cap.
func (b *modelBuilder) clamp(cm *Commission, fee graph.ID, t int) graph.ID {
	fee = b.Max(fee, b.at(&cm.MinPerItem, t))
	if cm.CapPerItem != nil {
		fee = b.Min(fee, b.at(cm.CapPerItem, t))
	}
	return fee
}

// refunded is the part of an item fee returned on a return: the fee less
// min(AdminFixed, AdminRate × fee).
func (b *modelBuilder) refunded(cm *Commission, fee graph.ID, t int) graph.ID {
	return b.Sub(fee, b.adminFee(cm.Refund, fee, t))
}

// adminFee is what the marketplace keeps of a refunded item fee.
func (b *modelBuilder) adminFee(r *RefundTerms, fee graph.ID, t int) graph.ID {
	admin := b.Mul(b.at(&r.AdminRate, t), fee)
	if r.AdminFixed != nil {
		admin = b.Min(admin, b.at(r.AdminFixed, t))
	}
	return admin
}

// categoryMonth writes the category lines of month t, for n orders.
// rate is the effective rate of volume-tiered terms (perItemRate for
// terms read per item).
func (b *modelBuilder) categoryMonth(a *[NumLines]graph.ID, ps *Partnership, c *Category, cm *Commission, op *orderPlan, n, rate graph.ID, t int) {
	gmv := b.Mul(n, op.gmv)
	b.Label(gmv, "GMV of the month before rounding (for percent-of-GMV marketing)")
	a[LineGMV] = b.money(gmv)
	a[LineRefunds] = b.money(b.Mul(n, op.refunds))
	a[LineCOGS] = b.money(b.Mul(n, op.cogs))
	commission, commRefund := op.commission, op.commRefund
	if rate != perItemRate {
		var comm, back []graph.ID
		for _, pt := range op.points {
			fee := b.clamp(cm, b.Mul(rate, pt.base), t)
			b.Label(fee, "Commission per item at the month's effective rate")
			comm = append(comm, b.Mul(pt.share, b.Add(b.Mul(op.units, fee), pt.orderFee)))
			if cm.Refund != nil {
				back = append(back, b.Mul(pt.share, b.refunded(cm, fee, t)))
			}
		}
		commission = b.Sum(comm, nil)
		commRefund = b.Mul(b.Mul(op.units, op.rr), b.Sum(back, nil))
	}
	a[LineCommission] = b.money(b.Mul(n, commission))
	a[LineCommissionRefund] = b.money(b.Mul(n, commRefund))
	a[LinePaymentFees] = b.money(b.Mul(n, op.payment))
	a[LineFulfilment] = b.money(b.Mul(n, op.fulfilment))
	a[LineStorage] = op.storage
	a[LineShipping] = b.money(b.Mul(n, op.shipping))
	a[LineReturnHandling] = b.money(b.Mul(n, op.returns))
	if m := ps.Marketing; m != nil {
		a[LineMarketing] = b.money(b.Mul(gmv, b.at(&m.Rate, t)))
	}
	b.laneMonth(a, ps, op.lane, n, t)
	b.partnerCategory(a, ps, n, t)
}

// fixedPlan builds a partnership's fixed monthly lines with the drivers
// of month t.
func (b *modelBuilder) fixedPlan(ps *Partnership, t int) *fixedPlan {
	fp := &fixedPlan{marketingFixed: b.Zero(), supportStaff: b.Zero()}
	if m := ps.Marketing; m != nil {
		fp.marketingFixed = b.money(b.at(&m.Monthly, t))
	}
	if s := ps.Support; s != nil {
		fp.supportStaff = b.money(b.at(&s.StaffMonthly, t))
	}
	var items []graph.ID
	for k := range ps.Maintenance {
		it := &ps.Maintenance[k]
		items = append(items, b.Mul(b.at(&it.Hours, t), b.at(&it.HourlyRate, t)), b.at(&it.Monthly, t))
	}
	fp.maintenance = b.money(b.Sum(items, nil))
	b.sidesPlan(ps, fp, t)
	return fp
}

// partnershipMonth writes the partnership-level lines of month t, for n
// orders over every category and the commission net of refunds, and
// returns the month's data transfer in GB (-1 without one). Under a
// data-transfer commitment (Capacity) the line is the commitment's
// monthly fee, and the GB over it are capacityMonth's.
func (b *modelBuilder) partnershipMonth(a *[NumLines]graph.ID, ps *Partnership, fp *fixedPlan, n, netCommission graph.ID, t int) graph.ID {
	gb := graph.ID(-1)
	// The shortfall under the minimum guarantee, if any.
	a[LineCommissionTrueUp] = b.money(b.Max(b.Sub(b.at(&ps.MinimumCommission, t), netCommission), b.Zero()))
	a[LineMarketingFixed] = fp.marketingFixed
	if d := ps.DataTransfer; d != nil {
		gb = b.Add(b.Div(b.Mul(n, b.at(&d.GBPer1000Orders, t)), b.thousand, ratePrecision), b.at(&d.FixedGB, t))
		b.Label(gb, "Data transfer of the month (GB)")
		if committed(ps) {
			a[LineDataTransfer] = b.money(b.at(&ps.Capacity.DataTransfer.Monthly, t))
		} else {
			a[LineDataTransfer] = b.money(b.volumeCost(&d.Pricing, gb, t))
		}
	}
	if api := ps.API; api != nil {
		calls := b.Add(b.Mul(n, b.at(&api.CallsPerOrder, t)), b.at(&api.FixedCalls, t))
		b.Label(calls, "API calls of the month")
		millions := b.Div(calls, b.million, ratePrecision)
		b.Label(millions, "API calls of the month (millions)")
		a[LineAPICalls] = b.money(b.volumeCost(&api.Pricing, millions, t))
	}
	if s := ps.Support; s != nil {
		tickets := b.Mul(b.Mul(n, b.at(&s.TicketsPer1000Orders, t)), b.at(&s.CostPerTicket, t))
		a[LineSupport] = b.money(b.Div(tickets, b.thousand, ratePrecision))
	}
	a[LineSupportStaff] = fp.supportStaff
	a[LineMaintenance] = fp.maintenance
	b.sidesMonth(a, ps, fp, n, netCommission, t)
	return gb
}

// volumeCost is the price of quantity q in month t. See AllowanceMode.
func (b *modelBuilder) volumeCost(v *VolumePricing, q graph.ID, t int) graph.ID {
	allowance := b.at(&v.Allowance, t)
	start, end := allowance, q
	if v.AllowanceMode == Shift {
		start, end = b.Zero(), b.Sub(q, allowance)
	}
	upTo := make([]graph.ID, len(v.Bands))
	prices := make([]graph.ID, len(v.Bands))
	for k := range v.Bands {
		upTo[k], prices[k] = b.opt(v.Bands[k].UpTo, t), b.at(&v.Bands[k].Price, t)
	}
	return b.Marginal(start, end, upTo, prices)
}

// setup adds a set-up item to the own row: whole in its month on the
// Set-up line, spread evenly over its amortisation months (whole at its
// month when AmortMonths is 0) on the Amortisation line. Each month is
// rounded once; the last month takes the remainder so the months sum to
// the amount.
func (b *modelBuilder) setup(own *BlockNodes, s *SetupItem) {
	amount := b.money(b.whole(&s.Amount))
	if s.Month >= 0 && s.Month < b.months {
		a := &own.Monthly[s.Month]
		a[LineSetup] = b.Add(a[LineSetup], amount)
	}
	k := max(s.AmortMonths, 1)
	share := b.Div(amount, b.Int(k), b.minor)
	last := b.Sub(amount, b.Mul(share, b.Int(k-1)))
	for i := range k {
		v := share
		if i == k-1 {
			v = last
		}
		if t := s.Month + i; t >= 0 && t < b.months {
			a := &own.Monthly[t]
			a[LineAmortisation] = b.Add(a[LineAmortisation], v)
		}
	}
}
