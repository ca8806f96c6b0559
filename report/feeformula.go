package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
)

// This file writes costmodel's fee primitives as Excel formulas over the
// Assumptions names. Each function mirrors the Go function named in its
// comment; the tests hold the two together on every testdata portfolio.

// terms is a commission's terms with the address prefix of their drivers
// ("amazon-us/commission/" or "amazon-us/beauty/commission/").
type terms struct {
	c      *costmodel.Commission
	prefix string
}

// perItem reports whether the terms are read per item (not against the
// month's volume).
func (t terms) perItem() bool {
	return len(t.c.Tiers) == 0 || t.c.TierBasis == "" || t.c.TierBasis == costmodel.PerItem
}

// commissionTerms returns the terms that apply to a category, or nil c
// when it pays no commission.
func commissionTerms(ps *costmodel.Partnership, j int) terms {
	c := &ps.Categories[j]
	if c.Commission != nil {
		return terms{c: c.Commission, prefix: ps.ID + "/" + c.ID + "/commission/"}
	}
	if ps.Commission != nil {
		return terms{c: ps.Commission, prefix: ps.ID + "/commission/"}
	}
	return terms{}
}

// schedule is the commission before minimum and cap on the amount x (a
// cell reference or a parenthesised expression), as
// costmodel.Commission.schedule and costmodel.TierFee:
//
//	flat:       rate × x
//	all-units:  IF(x ≤ up1, r1, IF(x ≤ up2, r2, r3)) × x
//	marginal:   r1 × MIN(x, up1) + r2 × MAX(0, MIN(x, up2) − up1) + r3 × MAX(0, x − up2)
func (b *book) schedule(t terms, x string) string {
	c := t.c
	if len(c.Tiers) == 0 {
		return b.name(t.prefix+"rate") + "*" + x
	}
	rate := func(k int) string { return b.name(t.prefix + "tier/" + strconv.Itoa(k+1) + "/rate") }
	upTo := func(k int) string { return b.name(t.prefix + "tier/" + strconv.Itoa(k+1) + "/up_to") }
	n := len(c.Tiers)
	if c.TierMode == costmodel.Marginal {
		var parts []string
		for k := range n {
			switch {
			case n == 1:
				parts = append(parts, rate(k)+"*"+x)
			case k == 0:
				parts = append(parts, fmt.Sprintf("%s*MIN(%s,%s)", rate(k), x, upTo(k)))
			case k == n-1:
				parts = append(parts, fmt.Sprintf("%s*MAX(0,%s-%s)", rate(k), x, upTo(k-1)))
			default:
				parts = append(parts, fmt.Sprintf("%s*MAX(0,MIN(%s,%s)-%s)", rate(k), x, upTo(k), upTo(k-1)))
			}
		}
		return sumTerms(parts)
	}
	// All-units: nested IFs pick the rate of the tier x falls in; the last
	// tier has no bound (Validate ensures it).
	expr := rate(n - 1)
	for k := n - 2; k >= 0; k-- {
		expr = fmt.Sprintf("IF(%s<=%s,%s,%s)", x, upTo(k), rate(k), expr)
	}
	if n == 1 {
		return expr + "*" + x
	}
	return "(" + expr + ")*" + x
}

// clamp applies the per-item minimum and cap (costmodel.Commission.clamp):
// MIN(MAX(fee, minimum), cap). Validate ensures cap ≥ minimum.
func (b *book) clamp(t terms, fee string) string {
	s := fmt.Sprintf("MAX(%s,%s)", fee, b.name(t.prefix+"min_per_item"))
	if t.c.CapPerItem != nil {
		s = fmt.Sprintf("MIN(%s,%s)", s, b.name(t.prefix+"cap_per_item"))
	}
	return s
}

// orderFee is the per-order fee on an order whose total is the cell
// orderTotal (costmodel.Commission.OrderFee).
func (b *book) orderFee(t terms, orderTotal string) string {
	if t.c.PerOrderThreshold != nil {
		return fmt.Sprintf("IF(%s>%s,%s,%s)", orderTotal, b.name(t.prefix+"per_order_threshold"),
			b.name(t.prefix+"per_order_fee_above"), b.name(t.prefix+"per_order_fee"))
	}
	return b.name(t.prefix + "per_order_fee")
}

// refundBack is what comes back of an item fee when the item is returned:
// fee − MIN(admin fixed, admin rate × fee) (costmodel.RefundTerms.AdminFee).
// fee must be a cell reference or a parenthesised expression.
func (b *book) refundBack(t terms, fee string) string {
	r := t.c.Refund
	admin := fmt.Sprintf("%s*%s", b.name(t.prefix+"refund/admin_rate"), fee)
	if r.AdminFixed != nil {
		admin = fmt.Sprintf("MIN(%s,%s)", b.name(t.prefix+"refund/admin_fixed"), admin)
	}
	return fee + "-" + admin
}

// paymentFee is the processor's fee on an order of total orderTotal
// (costmodel.PaymentFee.Fee): MIN(rate × total + fixed, cap).
func (b *book) paymentFee(ps *costmodel.Partnership, orderTotal string) string {
	pre := ps.ID + "/payment/"
	s := fmt.Sprintf("%s*%s+%s", b.name(pre+"rate"), orderTotal, b.name(pre+"fixed"))
	if ps.Payment.Cap != nil {
		s = fmt.Sprintf("MIN(%s,%s)", s, b.name(pre+"cap"))
	}
	return s
}

// bandCost is the price of the quantity q (a cell reference) under volume
// pricing whose drivers start with prefix ("feedlink/data_transfer/"), as
// costmodel.VolumePricing.Cost. Each band charges its overlap with the
// charged stretch (start, end]:
//
//	first_band: start = allowance, end = q
//	shift:      start = 0,         end = q − allowance
//
// so band k adds price_k × MAX(0, MIN(end, up_k) − MAX(up_{k−1}, start)).
func (b *book) bandCost(v *costmodel.VolumePricing, prefix, q string) string {
	allowance := b.name(prefix + "allowance")
	price := func(k int) string { return b.name(prefix + "band/" + strconv.Itoa(k+1) + "/price") }
	upTo := func(k int) string { return b.name(prefix + "band/" + strconv.Itoa(k+1) + "/up_to") }
	shift := v.AllowanceMode == costmodel.Shift
	end := q
	if shift {
		end = "(" + q + "-" + allowance + ")"
	}
	// from is the lower end of band k's charged part.
	from := func(k int) string {
		switch {
		case shift && k == 0:
			return ""
		case shift:
			return upTo(k - 1)
		case k == 0:
			return allowance
		}
		return fmt.Sprintf("MAX(%s,%s)", upTo(k-1), allowance)
	}
	n := len(v.Bands)
	var parts []string
	for k := range n {
		hi := end
		if k < n-1 {
			hi = fmt.Sprintf("MIN(%s,%s)", end, upTo(k))
		}
		if lo := from(k); lo != "" {
			hi += "-" + lo
		}
		parts = append(parts, fmt.Sprintf("%s*MAX(0,%s)", price(k), hi))
	}
	return sumTerms(parts)
}

// sumTerms adds products: SUM(a*b,c*d) rather than a*b+c*d. The two are
// the same in Excel and LibreOffice; excelize's calculation engine (which
// the tests use) mis-evaluates some "x+y*F(…)" chains but not SUM.
func sumTerms(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return "SUM(" + strings.Join(parts, ",") + ")"
}

// roundTo wraps an expression in ROUND to the currency's minor unit, the
// rounding of every base line (half away from zero, as Go rounds).
func (b *book) roundTo(expr string) string {
	return fmt.Sprintf("ROUND(%s,%d)", expr, b.minor)
}

// sumOf adds cell references: "J5+J41+J77", or "0" for none. Long lists
// are nested SUMs of at most 255 arguments (Excel's limit per function).
func sumOf(refs []string) string {
	switch len(refs) {
	case 0:
		return "0"
	case 1:
		return refs[0]
	}
	if len(refs) <= 30 {
		return strings.Join(refs, "+")
	}
	const chunk = 250
	var groups []string
	for i := 0; i < len(refs); i += chunk {
		groups = append(groups, "SUM("+strings.Join(refs[i:min(i+chunk, len(refs))], ",")+")")
	}
	if len(groups) == 1 {
		return groups[0]
	}
	return "SUM(" + strings.Join(groups, ",") + ")"
}
