package costmodel

import (
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// TierMode says how a tier schedule turns an amount into a fee.
type TierMode string

const (
	// AllUnits ("whole-amount threshold") applies the rate of the tier the
	// whole amount falls in to the whole amount: with 8 % up to $10.00 and
	// 15 % above, $10.00 pays $0.80 and $10.01 pays $1.50. An amount equal
	// to a tier's UpTo belongs to that tier.
	AllUnits TierMode = "all-units"
	// Marginal ("incremental") applies each tier's rate to the part of the
	// amount inside the tier's band: with 15 % up to $100 and 8 % above,
	// $150 pays $15.00 + $4.00 = $19.00.
	Marginal TierMode = "marginal"
)

// TierBasis says which amount a commission tier schedule is read against.
type TierBasis string

const (
	// PerItem reads tiers against each item's fee base (Amazon's category
	// price thresholds). The default.
	PerItem TierBasis = "item"
	// MonthlyGMV reads tiers against the month's total fee base of every
	// category that shares the terms (volume-tiered revenue share): the
	// partnership's default terms pool the volume of every category that
	// has none of its own; a category's own terms read its volume alone.
	MonthlyGMV TierBasis = "monthly_gmv"
	// MonthlyOrders reads tiers against the month's order count of every
	// category that shares the terms. In Marginal mode the orders inside
	// each band pay that band's rate on the average fee base per order.
	MonthlyOrders TierBasis = "monthly_orders"
)

// Tier is one band of a schedule: it covers amounts above the previous
// tier's UpTo and up to and including its own. UpTo is nil for the last,
// unbounded tier only; tiers must ascend.
type Tier struct {
	UpTo *decimal.Decimal `json:"up_to,omitempty"`
	Rate decimal.Decimal  `json:"rate"`
}

// Commission is a marketplace's revenue-share terms. Per item, on the fee
// base b (the item price, plus the order's shipping charge per item when
// IncludeShipping is set):
//
//	fee(b) = clamp(schedule(b), MinPerItem, CapPerItem)
//
// where schedule is Rate × b when Tiers is empty, or the tier schedule
// read per TierMode. With a monthly TierBasis, the schedule is read against
// the month's volume and becomes an effective rate ρ = schedule(V)/V, and
// fee(b) = clamp(ρ × b, MinPerItem, CapPerItem). Each order adds
// PerOrderFee (PerOrderFeeAbove when the order total exceeds
// PerOrderThreshold). On a return, Refund says how much of the item fee
// comes back; the per-order fee never does.
type Commission struct {
	Rate      decimal.Decimal `json:"rate,omitzero"`
	Tiers     []Tier          `json:"tiers,omitempty"`
	TierMode  TierMode        `json:"tier_mode,omitempty"`
	TierBasis TierBasis       `json:"tier_basis,omitempty"`
	// MinPerItem is the per-item minimum fee (Amazon: $0.30); zero = none.
	MinPerItem decimal.Decimal `json:"min_per_item,omitzero"`
	// CapPerItem caps the per-item fee; nil = no cap.
	CapPerItem *decimal.Decimal `json:"cap_per_item,omitempty"`
	// IncludeShipping adds the shipping charge to the fee base (Amazon's
	// referral fee base is item price + shipping; eBay's is the order total).
	IncludeShipping bool `json:"include_shipping,omitempty"`
	// PerOrderFee is a fixed fee per order (eBay: $0.30 when the order total
	// is at most $10, $0.40 above: PerOrderFee 0.30, PerOrderThreshold 10,
	// PerOrderFeeAbove 0.40). Without a threshold PerOrderFee always applies.
	PerOrderFee       decimal.Decimal  `json:"per_order_fee,omitzero"`
	PerOrderThreshold *decimal.Decimal `json:"per_order_threshold,omitempty"`
	PerOrderFeeAbove  decimal.Decimal  `json:"per_order_fee_above,omitzero"`
	// Refund, when set, returns the item fee on returned items less an
	// administration fee; nil means the commission is kept on returns.
	Refund *RefundTerms `json:"refund,omitempty"`
}

// RefundTerms is the administration fee a marketplace keeps when it refunds
// its commission on a returned item:
//
//	admin = min(AdminFixed, AdminRate × fee)
//
// Amazon: AdminFixed 5.00, AdminRate 0.20. Nil AdminFixed means no fixed
// limit; a zero AdminRate means no administration fee (books, music, video).
type RefundTerms struct {
	AdminFixed *decimal.Decimal `json:"admin_fixed,omitempty"`
	AdminRate  decimal.Decimal  `json:"admin_rate,omitzero"`
}

// Band is one band of a VolumePricing: the quantity above the previous
// band's UpTo and up to its own costs Price per unit. UpTo is nil for the
// last, unbounded band only.
type Band struct {
	UpTo  *decimal.Decimal `json:"up_to,omitempty"`
	Price decimal.Decimal  `json:"price"`
}

// AllowanceMode says how a free monthly allowance meets the price bands.
type AllowanceMode string

const (
	// FirstBand makes the first Allowance units free and leaves the band
	// boundaries where they are, so the allowance comes off the first band
	// (AWS egress: 60 TB with 100 GB free costs $5,111). The default.
	FirstBand AllowanceMode = "first_band"
	// Shift removes the allowance from the quantity before the bands apply,
	// so every band boundary moves up by the allowance (60 TB: $5,113).
	Shift AllowanceMode = "shift"
)

// VolumePricing prices a monthly quantity (GB, millions of requests) in
// marginal bands after a free Allowance.
type VolumePricing struct {
	Allowance     decimal.Decimal `json:"allowance,omitzero"`
	AllowanceMode AllowanceMode   `json:"allowance_mode,omitempty"`
	Bands         []Band          `json:"bands"`
}

// The fee rules below are the statement's own formulas
// (costmodel/graphlines.go), built into a one-node-deep graph over the
// terms' fields and evaluated exactly: there is no second copy of them.

// TierFee is the fee a tier schedule charges on amount x (x ≥ 0; zero
// for x ≤ 0), exact.
func TierFee(tiers []Tier, mode TierMode, x decimal.Decimal) decimal.Decimal {
	if len(tiers) == 0 || x.Sign() <= 0 {
		return decimal.Zero
	}
	return formula(func(w *walker) {
		for k := range tiers {
			w.add("rate", "", kRate, &tiers[k].Rate)
			w.opt("up_to", "", kNonNeg, tiers[k].UpTo)
		}
	}, x, func(b *modelBuilder, x graph.ID) graph.ID { return b.tierSchedule(tiers, mode, x, 0) })
}

// ItemFee is the commission on one item whose fee base is b, for terms
// read per item (TierBasis PerItem), exact: Amazon Beauty (8 % up to
// $10.00, 15 % above, all-units, $0.30 minimum) gives $0.80 on $10.00 and
// $1.50 on $10.01.
func (c *Commission) ItemFee(b decimal.Decimal) decimal.Decimal {
	return formula(func(w *walker) { w.commission("", c) }, b, func(mb *modelBuilder, x graph.ID) graph.ID {
		return mb.clamp(c, mb.schedule(c, x, 0), 0)
	})
}

// OrderFee is the fixed per-order part of the commission on an order whose
// total is orderTotal.
func (c *Commission) OrderFee(orderTotal decimal.Decimal) decimal.Decimal {
	return formula(func(w *walker) { w.commission("", c) }, orderTotal, func(b *modelBuilder, x graph.ID) graph.ID {
		return b.orderFee(c, x, 0)
	})
}

// basis returns the tier basis, defaulting to PerItem.
func (c *Commission) basis() TierBasis {
	if c.TierBasis == "" || len(c.Tiers) == 0 {
		return PerItem
	}
	return c.TierBasis
}

// AdminFee is what the marketplace keeps of fee when it refunds it.
func (r *RefundTerms) AdminFee(fee decimal.Decimal) decimal.Decimal {
	return formula(func(w *walker) {
		w.opt("admin_fixed", "", kNonNeg, r.AdminFixed)
		w.add("admin_rate", "", kRate, &r.AdminRate)
	}, fee, func(b *modelBuilder, x graph.ID) graph.ID { return b.adminFee(r, x, 0) })
}

// Fee is the processor's fee on one order of the given total, exact.
func (p *PaymentFee) Fee(orderTotal decimal.Decimal) decimal.Decimal {
	return formula(func(w *walker) {
		w.add("rate", "", kRate, &p.Rate)
		w.add("fixed", "", kNonNeg, &p.Fixed)
		w.opt("cap", "", kNonNeg, p.Cap)
	}, orderTotal, func(b *modelBuilder, x graph.ID) graph.ID { return b.paymentFee(p, x, 0) })
}

// Cost is the price of quantity q in a month, exact. See AllowanceMode for
// how the allowance is taken.
func (v *VolumePricing) Cost(q decimal.Decimal) decimal.Decimal {
	return formula(func(w *walker) { w.pricing("", "", v) }, q, func(b *modelBuilder, x graph.ID) graph.ID {
		return b.volumeCost(v, x, 0)
	})
}

// formula builds one formula of the model over the fields a walker lists
// and an amount x, and evaluates it exactly. The fields are the drivers
// of a one-month graph without adjustments.
func formula(list func(*walker), x decimal.Decimal, f func(b *modelBuilder, x graph.ID) graph.ID) decimal.Decimal {
	w := &walker{}
	list(w)
	n := len(w.refs)
	b := &modelBuilder{months: 1, index: make(map[*decimal.Decimal]int, n), byMonth: make([]bool, n+1), group: []int{0}}
	vals := make([]decimal.Decimal, 0, n+1)
	for i, r := range w.refs {
		b.index[r.ptr] = i
		vals = append(vals, *r.ptr)
	}
	vals = append(vals, x)
	b.Builder = graph.NewBuilder(n + 1)
	out := f(b, b.Input(n, graph.AllMonths))
	// One value per driver: Eval cannot fail. A field the walker did not
	// list would be read as a constant, with the same value.
	v, _ := b.Graph().Eval(vals, nil, nil)
	return v[out]
}
