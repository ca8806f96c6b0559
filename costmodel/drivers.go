package costmodel

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Driver is one numeric input of a portfolio, named by its address.
//
// An address is a slash-separated path: "portfolio/discount_rate" for the
// portfolio, "<partnership>/<input>" for a partnership's own inputs
// ("amazon-us/payment/rate", "amazon-us/commission/rate",
// "3pl/data_transfer/band/1/price") and "<partnership>/<category>/<input>"
// for a category's ("amazon-us/toys/orders",
// "amazon-us/toys/commission/tier/2/rate", "etsy/art/seasonality/nov").
// Tiers, bands and price points are numbered from 1.
type Driver struct {
	Address string
	// Unit says what the number measures, with "CUR" standing for the
	// portfolio's currency: "orders/month", "CUR/item", "fraction".
	Unit string
	// Range says which values are valid ("0 to 1", "≥ 0").
	Range string
	Value decimal.Decimal
	kind  kind
	// lo and hi are an adjustment value's bounds (kind kAdjustment), from
	// its operation and its targets' ranges and values.
	lo, hi float64
}

// Bounds returns the driver's valid range as float64 bounds, for
// simulation: lo ≤ v ≤ hi, and every value in it is one Set and Validate
// accept. An open bound ("> 0") is returned as the nearest value
// inside it that an input can hold, 12 decimal places away (1e-12: a
// value closer to the bound would round onto it), and the upper bound of
// unbounded drivers is 1e13, the largest input Marginal accepts.
func (d Driver) Bounds() (lo, hi float64) {
	const big = 1e13
	switch d.kind {
	case kPositive:
		return 1e-12, big
	case kRate:
		return 0, 1
	case kGrowth:
		return -0.99, 10
	case kDiscount:
		return -0.5, 10
	case kAdjustment:
		return d.lo, d.hi
	case kMonthHours:
		return 0, maxMonthHours
	}
	return 0, big
}

// kind is the valid range of a driver.
type kind int

const (
	kNonNeg   kind = iota // ≥ 0, at most maxAmount
	kPositive             // > 0
	kRate                 // 0 to 1
	kGrowth               // −0.99 to 10
	kDiscount             // −0.5 to 10
	// kAdjustment is an adjustment's value (a Model driver), bounded so
	// that every driver it adjusts, taken alone, stays in its own range
	// (adjustmentBounds); Validate checks the adjusted drivers with every
	// adjustment applied, stacked ones included.
	kAdjustment
	// kMonthHours is hours in a month: 0 to 744 (Validate checks each
	// month's own hours, 672 to 744).
	kMonthHours
)

func (k kind) String() string {
	switch k {
	case kPositive:
		return "> 0"
	case kRate:
		return "0 to 1"
	case kGrowth:
		return "-0.99 to 10"
	case kDiscount:
		return "-0.5 to 10"
	case kAdjustment:
		return "so that the adjusted drivers stay in their ranges"
	case kMonthHours:
		return "0 to the month's hours (672 to 744)"
	}
	return "≥ 0"
}

// maxAmount bounds every input: larger numbers are not money, volumes or
// prices any business has, and would only overflow the float64 path.
var maxAmount = decimal.New(1, 13)

// maxDecimals bounds the decimal places of an input.
const maxDecimals = 12

var (
	discountMin = decimal.New(-5, -1)
	// Growth stops at −99 % a year: nearer −1, 1 + growth is a tiny
	// number whose float64 form (Monte Carlo's model) is off by more than
	// a cent in relative terms (at −0.999999999999, by 2e−5 of every
	// volume).
	growthMin = decimal.New(-99, -2)
	growthMax = decimal.NewFromInt(10)
)

// check returns what was expected when v is outside the kind's range, or "".
func (k kind) check(v decimal.Decimal) string {
	if v.Exponent() < -maxDecimals {
		return fmt.Sprintf("at most %d decimal places", maxDecimals)
	}
	if v.Abs().GreaterThan(maxAmount) {
		return "a magnitude of at most 1e13"
	}
	switch k {
	case kNonNeg:
		if v.Sign() < 0 {
			return "≥ 0"
		}
	case kPositive:
		if v.Sign() <= 0 {
			return "> 0"
		}
	case kRate:
		if v.Sign() < 0 || v.GreaterThan(one) {
			return "a fraction from 0 to 1 (0.15 for 15 %)"
		}
	case kGrowth:
		if v.LessThan(growthMin) || v.GreaterThan(growthMax) {
			return "an annual rate from -0.99 to 10 (0.05 for 5 %)"
		}
	case kMonthHours:
		if v.Sign() < 0 || v.GreaterThan(decimal.NewFromInt(maxMonthHours)) {
			return "hours from 0 to the month's hours (at most 744, 24 × 31 days)"
		}
	case kDiscount:
		// Below −50 % a year, 600 months of discounting overflow float64.
		if v.LessThan(discountMin) || v.GreaterThan(growthMax) {
			return "an annual rate from -0.5 to 10 (0.10 for 10 %)"
		}
	}
	return ""
}

type driverRef struct {
	addr string
	unit string
	kind kind
	ptr  *decimal.Decimal
}

var monthKeys = [12]string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

type walker struct{ refs []driverRef }

func (w *walker) add(addr, unit string, k kind, ptr *decimal.Decimal) {
	w.refs = append(w.refs, driverRef{addr: addr, unit: unit, kind: k, ptr: ptr})
}

func (w *walker) opt(addr, unit string, k kind, ptr *decimal.Decimal) {
	if ptr != nil {
		w.add(addr, unit, k, ptr)
	}
}

func idx(i int) string { return strconv.Itoa(i + 1) }

// refs lists every driver of p, in a stable order: the portfolio, then
// each partnership's own inputs followed by its categories.
func (p *Portfolio) refs() []driverRef {
	w := &walker{}
	w.add("portfolio/discount_rate", "annual rate", kDiscount, &p.DiscountRate)
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		pre := ps.ID + "/"
		from := len(w.refs)
		if ps.Commission != nil {
			w.commission(pre+"commission/", ps.Commission)
		}
		w.add(pre+"minimum_commission", "CUR/month", kNonNeg, &ps.MinimumCommission)
		if f := ps.Payment; f != nil {
			w.add(pre+"payment/rate", "fraction of order total", kRate, &f.Rate)
			w.add(pre+"payment/fixed", "CUR/order", kNonNeg, &f.Fixed)
			w.opt(pre+"payment/cap", "CUR/order", kNonNeg, f.Cap)
		}
		if m := ps.Marketing; m != nil {
			w.add(pre+"marketing/rate", "fraction of GMV", kRate, &m.Rate)
			w.add(pre+"marketing/monthly", "CUR/month", kNonNeg, &m.Monthly)
		}
		for j := range ps.Setup {
			w.add(pre+"setup/"+ps.Setup[j].ID+"/amount", "CUR", kNonNeg, &ps.Setup[j].Amount)
		}
		for j := range ps.Maintenance {
			it := &ps.Maintenance[j]
			q := pre + "maintenance/" + it.ID + "/"
			w.add(q+"hours", "hours/month", kNonNeg, &it.Hours)
			w.add(q+"hourly_rate", "CUR/hour", kNonNeg, &it.HourlyRate)
			w.add(q+"monthly", "CUR/month", kNonNeg, &it.Monthly)
		}
		if d := ps.DataTransfer; d != nil {
			q := pre + "data_transfer/"
			w.add(q+"gb_per_1000_orders", "GB/1000 orders", kNonNeg, &d.GBPer1000Orders)
			w.add(q+"fixed_gb", "GB/month", kNonNeg, &d.FixedGB)
			w.pricing(q, "GB", &d.Pricing)
		}
		if a := ps.API; a != nil {
			q := pre + "api/"
			w.add(q+"calls_per_order", "calls/order", kNonNeg, &a.CallsPerOrder)
			w.add(q+"fixed_calls", "calls/month", kNonNeg, &a.FixedCalls)
			w.pricing(q, "million calls", &a.Pricing)
		}
		if s := ps.Support; s != nil {
			q := pre + "support/"
			w.add(q+"tickets_per_1000_orders", "tickets/1000 orders", kNonNeg, &s.TicketsPer1000Orders)
			w.add(q+"cost_per_ticket", "CUR/ticket", kNonNeg, &s.CostPerTicket)
			w.add(q+"staff_monthly", "CUR/month", kNonNeg, &s.StaffMonthly)
		}
		w.capacity(pre, ps.Capacity)
		w.sides(pre, ps)
		w.lane(pre, ps.Lane)
		w.outage(pre, ps.Outage)
		w.takes(pre, ps)
		for j := range ps.Categories {
			w.category(pre+ps.Categories[j].ID+"/", &ps.Categories[j])
		}
		localUnits(w.refs[from:], p, ps)
	}
	w.fx(p)
	return w.refs
}

func (w *walker) category(q string, c *Category) {
	w.add(q+"orders", "orders/month", kNonNeg, &c.Orders)
	if len(c.PriceMix) == 0 {
		w.add(q+"price", "CUR/item", kNonNeg, &c.Price)
	}
	for k := range c.PriceMix {
		w.add(q+"price_mix/"+idx(k)+"/price", "CUR/item", kNonNeg, &c.PriceMix[k].Price)
		w.add(q+"price_mix/"+idx(k)+"/share", "fraction of orders", kRate, &c.PriceMix[k].Share)
	}
	w.add(q+"units_per_order", "items/order", kPositive, &c.UnitsPerOrder)
	w.add(q+"shipping_charge", "CUR/order", kNonNeg, &c.ShippingCharge)
	w.add(q+"unit_cost", "CUR/item", kNonNeg, &c.UnitCost)
	w.add(q+"return_rate", "fraction of items", kRate, &c.ReturnRate)
	w.add(q+"fulfilment_cost", "CUR/item", kNonNeg, &c.FulfilmentCost)
	w.add(q+"shipping_cost", "CUR/order", kNonNeg, &c.ShippingCost)
	w.add(q+"return_cost", "CUR/returned item", kNonNeg, &c.ReturnCost)
	w.add(q+"storage_monthly", "CUR/month", kNonNeg, &c.StorageMonthly)
	for m := range c.Seasonality {
		key := idx(m)
		if m < 12 {
			key = monthKeys[m]
		}
		w.add(q+"seasonality/"+key, "factor", kNonNeg, &c.Seasonality[m])
	}
	w.add(q+"ramp_start", "fraction of full volume", kRate, &c.RampStart)
	w.add(q+"growth", "annual rate", kGrowth, &c.Growth)
	if c.Commission != nil {
		w.commission(q+"commission/", c.Commission)
	}
}

func (w *walker) commission(q string, c *Commission) {
	if len(c.Tiers) == 0 {
		w.add(q+"rate", "fraction of fee base", kRate, &c.Rate)
	}
	thresholdUnit := "CUR/item"
	switch c.TierBasis {
	case MonthlyGMV:
		thresholdUnit = "CUR/month"
	case MonthlyOrders:
		thresholdUnit = "orders/month"
	}
	for k := range c.Tiers {
		w.add(q+"tier/"+idx(k)+"/rate", "fraction of fee base", kRate, &c.Tiers[k].Rate)
		w.opt(q+"tier/"+idx(k)+"/up_to", thresholdUnit, kNonNeg, c.Tiers[k].UpTo)
	}
	w.add(q+"min_per_item", "CUR/item", kNonNeg, &c.MinPerItem)
	w.opt(q+"cap_per_item", "CUR/item", kNonNeg, c.CapPerItem)
	w.add(q+"per_order_fee", "CUR/order", kNonNeg, &c.PerOrderFee)
	if c.PerOrderThreshold != nil {
		w.add(q+"per_order_threshold", "CUR/order", kNonNeg, c.PerOrderThreshold)
		w.add(q+"per_order_fee_above", "CUR/order", kNonNeg, &c.PerOrderFeeAbove)
	}
	if r := c.Refund; r != nil {
		w.opt(q+"refund/admin_fixed", "CUR/item", kNonNeg, r.AdminFixed)
		w.add(q+"refund/admin_rate", "fraction of fee", kRate, &r.AdminRate)
	}
}

func (w *walker) pricing(q, unit string, v *VolumePricing) {
	w.add(q+"allowance", unit+"/month", kNonNeg, &v.Allowance)
	for k := range v.Bands {
		w.add(q+"band/"+idx(k)+"/price", "CUR/"+unit, kNonNeg, &v.Bands[k].Price)
		w.opt(q+"band/"+idx(k)+"/up_to", unit+"/month", kNonNeg, v.Bands[k].UpTo)
	}
}

func (r driverRef) driver() Driver {
	return Driver{Address: r.addr, Unit: r.unit, Range: r.kind.String(), Value: *r.ptr, kind: r.kind}
}

// Drivers lists every driver of p with its address, unit, valid range and
// current value, in a stable order (the order of the workbook's
// Assumptions sheet). A nil portfolio has none.
func (p *Portfolio) Drivers() []Driver {
	if p == nil {
		return nil
	}
	refs := p.refs()
	out := make([]Driver, len(refs))
	for i, r := range refs {
		out[i] = r.driver()
	}
	return out
}

// ErrNoMatch is the cause of the error for an address or a pattern that
// names no driver (Portfolio.Driver, Match, Set, Update, and so every
// scenario shock and uncertainty input built on them): errors.Is(err,
// ErrNoMatch) tells a mistyped address from a value out of range. It
// wraps ErrInvalid.
var ErrNoMatch = fmt.Errorf("%w: no driver matches", ErrInvalid)

// checkPattern reports a malformed pattern.
func checkPattern(pattern string) error {
	if _, err := path.Match(pattern, ""); err != nil || pattern == "" || strings.Contains(pattern, "//") {
		return &FieldError{Path: pattern, Expected: "an address or a pattern of segments separated by '/', '*' matching within one segment"}
	}
	return nil
}

func (p *Portfolio) match(pattern string) ([]driverRef, error) {
	if p == nil {
		return nil, errNilPortfolio
	}
	if err := checkPattern(pattern); err != nil {
		return nil, err
	}
	var out []driverRef
	for _, r := range p.refs() {
		if ok, _ := path.Match(pattern, r.addr); ok {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, &FieldError{Path: pattern, Expected: "an address or pattern that matches at least one driver (see Portfolio.Drivers)", Err: ErrNoMatch}
	}
	return out, nil
}

// Driver returns the driver at an exact address.
func (p *Portfolio) Driver(address string) (Driver, error) {
	if p == nil {
		return Driver{}, errNilPortfolio
	}
	for _, r := range p.refs() {
		if r.addr == address {
			return r.driver(), nil
		}
	}
	return Driver{}, &FieldError{Path: address, Expected: "the address of a driver (see Portfolio.Drivers)", Err: ErrNoMatch}
}

// Match returns the drivers a pattern selects. A pattern is an address in
// which '*' stands for any run of characters within one segment
// ("*/toys/orders", "amazon-us/*/return_rate", "ebay/*/price_mix/*/price");
// the other path.Match forms ('?', '[a-z]') work too. A pattern that
// selects nothing is an error.
func (p *Portfolio) Match(pattern string) ([]Driver, error) {
	refs, err := p.match(pattern)
	if err != nil {
		return nil, err
	}
	out := make([]Driver, len(refs))
	for i, r := range refs {
		out[i] = r.driver()
	}
	return out, nil
}

// Set sets every driver the pattern selects to v, after checking v against
// each driver's valid range, and returns how many were set. It modifies p;
// Clone first to keep the original. On error nothing is changed. Set does
// not re-check rules that tie several inputs together (tier order, price
// mix shares summing to 1); Validate does.
func (p *Portfolio) Set(pattern string, v decimal.Decimal) (int, error) {
	return p.Update(pattern, func(Driver) (decimal.Decimal, error) { return v, nil })
}

// Update sets every driver the pattern selects to f of its current value
// (a multiply, an add), rounded to 12 decimal places (the most an input
// may have), checking each new value against its driver's range. Every problem is reported, and on error nothing is changed.
func (p *Portfolio) Update(pattern string, f func(Driver) (decimal.Decimal, error)) (int, error) {
	if f == nil {
		return 0, &FieldError{Path: pattern, Expected: "a function giving each driver's new value, not nil"}
	}
	refs, err := p.match(pattern)
	if err != nil {
		return 0, err
	}
	vals := make([]decimal.Decimal, len(refs))
	var probs Problems
	for i, r := range refs {
		v, err := f(r.driver())
		if err != nil {
			probs.Merge(r.addr, err)
			continue
		}
		// A computed value (a multiplier times a price) can carry more
		// places than any input may; keep the 12 that inputs are allowed.
		v = v.Round(maxDecimals)
		if exp := r.kind.check(v); exp != "" {
			probs.Add(r.addr, v.String(), exp)
		}
		vals[i] = v
	}
	if err := probs.Err(); err != nil {
		return 0, err
	}
	for i, r := range refs {
		*r.ptr = vals[i]
	}
	return len(refs), nil
}

// adjustmentBounds returns the values an adjustment with operation op may
// take so that each target driver (its valid range and its value in the
// portfolio) stays in its range on its own, and the words for them. A
// multiplier of a driver whose value is 0 leaves it at 0 whatever it is.
func adjustmentBounds(op Op, targets []Driver) (lo, hi float64, words string) {
	const big = 1e13
	lo, hi = -big, big
	for _, d := range targets {
		tlo, thi := d.Bounds()
		v, _ := d.Value.Float64()
		var a, b float64
		switch op {
		case Add:
			a, b = tlo-v, thi-v
		case SetTo:
			a, b = tlo, thi
		default: // Multiply
			switch {
			case v > 0:
				a, b = tlo/v, thi/v
			case v < 0:
				a, b = thi/v, tlo/v
			default:
				continue
			}
		}
		lo, hi = max(lo, a), min(hi, b)
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	switch {
	case lo <= -1e9 && hi >= 1e9:
		words = "any number"
	case hi >= 1e9:
		words = "≥ " + g(lo)
	case lo <= -1e9:
		words = "≤ " + g(hi)
	default:
		words = g(lo) + " to " + g(hi)
	}
	return lo, hi, words
}
