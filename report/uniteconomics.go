package report

import (
	"fmt"
	"strconv"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The Unit economics sheet holds what does not vary by month: for each
// partnership × category × price point, the fee base, order total and the
// fees per item and per order; and for each category, the per-order
// figures at its price mix that the Statement multiplies by the month's
// orders. Every cell is a formula over the Assumptions names.
//
// Columns of the price-point rows:
const (
	uePartnership = 1 + iota
	ueCategory
	uePoint
	uePrice
	ueShare
	ueUnits
	ueFeeBase      // per item: price + shipping charge per item when the fee base includes shipping
	ueOrderTotal   // price × items per order + shipping charge
	ueItemFee      // commission per item (terms read per item)
	ueOrderFee     // per-order commission fee
	ueCommOrder    // commission per order at this price
	ueRefundBack   // commission refunded per returned item
	uePaymentOrder // payment fee per order
	// Per order at the category's mix, on the category's first row.
	ueMixGMV
	ueMixItemValue
	ueMixCommission
	ueMixRefundBack
	ueMixPayment
	ueMixFeeBase
	ueColumns = ueMixFeeBase
)

// ueFirstRow is the first price-point row; ueRateRow holds the monthly
// discount rate.
const (
	ueRateRow     = 1
	ueHeaderRow   = 3
	ueFirstRow    = 4
	monthlyRateNm = "monthly_discount_rate"
)

// ueCat is the layout and the exact per-order figures of one
// category.
type ueCat struct {
	first, last int // price-point rows
	terms       terms
	points      []uePricePoint
	// Exact per-order figures at the mix, as Go computes them.
	gmv, itemValue, commission, refundBack, payment, feeBase decimal.Decimal
}

// uePricePoint is one price point as costmodel evaluates it.
type uePricePoint struct {
	price, share, base, orderTotal, itemFee, orderFee, back, payment decimal.Decimal
}

var ueHeadings = [ueColumns]string{
	"Partnership", "Category", "Price point", "Price", "Share of orders", "Items per order",
	"Fee base per item", "Order total", "Commission per item", "Per-order fee",
	"Commission per order", "Commission refunded per returned item", "Payment fee per order",
	"Mix: GMV per order", "Mix: item value per order", "Mix: commission per order",
	"Mix: commission refunded per order if every item came back", "Mix: payment fees per order",
	"Mix: fee base per order",
}

func (b *book) writeUnitEconomics() error {
	sheet := SheetUnitEconomics
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: ueHeaderRow, TopLeftCell: ref(3, ueFirstRow), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 2, 22); err != nil {
		return err
	}
	if err := sw.SetColWidth(3, ueColumns, 14); err != nil {
		return err
	}
	// The monthly discount rate (costmodel.MonthlyRate) is derived here
	// once, for the NPV formulas of the Statement.
	rateCell, err := formulaValue(fmt.Sprintf("(1+%s)^(1/12)-1", b.name("portfolio/discount_rate")), num(b.st.MonthlyRate), b.lk.Rate)
	if err != nil {
		return err
	}
	if err := sw.SetRow(ref(1, ueRateRow), []any{
		excelize.Cell{StyleID: b.lk.Bold, Value: "Monthly discount rate"}, rateCell,
		excelize.Cell{StyleID: b.lk.Note, Value: "= (1 + annual discount rate)^(1/12) − 1, for NPV"},
	}); err != nil {
		return err
	}
	if err := b.f.SetDefinedName(&excelize.DefinedName{Name: monthlyRateNm, RefersTo: absRef(sheet, 2, ueRateRow), Comment: "(1 + portfolio/discount_rate)^(1/12) − 1"}); err != nil {
		return err
	}
	head := make([]any, ueColumns)
	for i, h := range ueHeadings {
		head[i] = excelize.Cell{StyleID: b.lk.Header, Value: h}
	}
	if err := sw.SetRow(ref(1, ueHeaderRow), head, excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	row := ueFirstRow
	for i := range b.p.Partnerships {
		ps := &b.p.Partnerships[i]
		for j := range ps.Categories {
			uc := b.planUnitEconomics(ps, j)
			uc.first, uc.last = row, row+len(uc.points)-1
			b.ue[catKey{i, j}] = uc
			for k := range uc.points {
				cells := b.uePointRow(ps, j, uc, k, row)
				if err := sw.SetRow(ref(1, row), cells); err != nil {
					return err
				}
				row++
			}
		}
	}
	return sw.Flush()
}

// planUnitEconomics computes a category's price points and per-order
// figures exactly, as costmodel's evaluation does.
func (b *book) planUnitEconomics(ps *costmodel.Partnership, j int) *ueCat {
	c := &ps.Categories[j]
	uc := &ueCat{terms: commissionTerms(ps, j)}
	mix := c.PriceMix
	if len(mix) == 0 {
		mix = []costmodel.PricePoint{{Price: c.Price, Share: decimal.NewFromInt(1)}}
	}
	u := c.UnitsPerOrder
	shipPerItem := decimal.Zero
	if uc.terms.c != nil && uc.terms.c.IncludeShipping && u.Sign() > 0 {
		shipPerItem = c.ShippingCharge.DivRound(u, 20)
	}
	zero := decimal.Zero
	uc.gmv, uc.itemValue, uc.commission, uc.refundBack, uc.payment, uc.feeBase = zero, zero, zero, zero, zero, zero
	for _, pt := range mix {
		p := uePricePoint{price: pt.Price, share: pt.Share, base: pt.Price.Add(shipPerItem),
			orderTotal: pt.Price.Mul(u).Add(c.ShippingCharge)}
		if t := uc.terms; t.c != nil {
			p.orderFee = t.c.OrderFee(p.orderTotal)
			if t.perItem() {
				p.itemFee = t.c.ItemFee(p.base)
				if t.c.Refund != nil {
					p.back = p.itemFee.Sub(t.c.Refund.AdminFee(p.itemFee))
				}
			}
		}
		if ps.Payment != nil {
			p.payment = ps.Payment.Fee(p.orderTotal)
		}
		uc.points = append(uc.points, p)
		uc.gmv = uc.gmv.Add(p.share.Mul(p.orderTotal))
		uc.itemValue = uc.itemValue.Add(p.share.Mul(p.price))
		uc.commission = uc.commission.Add(p.share.Mul(u.Mul(p.itemFee).Add(p.orderFee)))
		uc.refundBack = uc.refundBack.Add(p.share.Mul(p.back))
		uc.payment = uc.payment.Add(p.share.Mul(p.payment))
		uc.feeBase = uc.feeBase.Add(p.share.Mul(p.base))
	}
	uc.itemValue = uc.itemValue.Mul(u)
	uc.refundBack = uc.refundBack.Mul(u)
	uc.feeBase = uc.feeBase.Mul(u)
	return uc
}

// uePointRow is the row of price point k of a category.
func (b *book) uePointRow(ps *costmodel.Partnership, j int, uc *ueCat, k, row int) []any {
	c := &ps.Categories[j]
	pre := ps.ID + "/" + c.ID + "/"
	pt := uc.points[k]
	cells := make([]any, ueColumns)
	r := func(column int) string { return ref(column, row) }
	set := func(column int, formula string, v decimal.Decimal, style int) {
		cell, err := formulaValue(formula, num(v), style)
		b.fail(err)
		cells[column-1] = cell
	}
	cells[uePartnership-1] = textCell(ps.ID, 0, b.lk.Text)
	cells[ueCategory-1] = textCell(c.ID, 0, b.lk.Text)
	cells[uePoint-1] = k + 1
	if len(c.PriceMix) > 0 {
		set(uePrice, b.name(pre+"price_mix/"+strconv.Itoa(k+1)+"/price"), pt.price, b.lk.Unit)
		set(ueShare, b.name(pre+"price_mix/"+strconv.Itoa(k+1)+"/share"), pt.share, b.lk.Percent)
	} else {
		set(uePrice, b.name(pre+"price"), pt.price, b.lk.Unit)
		cells[ueShare-1] = excelize.Cell{StyleID: b.lk.Percent, Value: 1}
	}
	set(ueUnits, b.name(pre+"units_per_order"), c.UnitsPerOrder, b.lk.Decimal)
	t := uc.terms
	// Fee bases and order totals are compared with tier bounds and
	// thresholds: ROUND to 10 places removes binary noise (9.99 + 0.01)
	// without moving any amount by a cent.
	if t.c != nil && t.c.IncludeShipping {
		set(ueFeeBase, fmt.Sprintf("ROUND(%s+%s/%s,10)", r(uePrice), b.name(pre+"shipping_charge"), r(ueUnits)), pt.base, b.lk.Unit)
	} else {
		set(ueFeeBase, r(uePrice), pt.base, b.lk.Unit)
	}
	set(ueOrderTotal, fmt.Sprintf("ROUND(%s*%s+%s,10)", r(uePrice), r(ueUnits), b.name(pre+"shipping_charge")), pt.orderTotal, b.lk.Unit)
	if t.c != nil {
		if t.perItem() {
			set(ueItemFee, b.clamp(t, b.schedule(t, r(ueFeeBase))), pt.itemFee, b.lk.Unit)
		}
		set(ueOrderFee, b.orderFee(t, r(ueOrderTotal)), pt.orderFee, b.lk.Unit)
		if t.perItem() {
			set(ueCommOrder, fmt.Sprintf("%s*%s+%s", r(ueUnits), r(ueItemFee), r(ueOrderFee)),
				c.UnitsPerOrder.Mul(pt.itemFee).Add(pt.orderFee), b.lk.Unit)
			if t.c.Refund != nil {
				set(ueRefundBack, b.refundBack(t, r(ueItemFee)), pt.back, b.lk.Unit)
			}
		}
	}
	if ps.Payment != nil {
		set(uePaymentOrder, b.paymentFee(ps, r(ueOrderTotal)), pt.payment, b.lk.Unit)
	}
	if k > 0 {
		return cells
	}
	// The mix figures, on the category's first row.
	span := func(column int) string {
		return fmt.Sprintf("%s:%s", ref(column, uc.first), ref(column, uc.last))
	}
	sp := func(column int) string { return fmt.Sprintf("SUMPRODUCT(%s,%s)", span(ueShare), span(column)) }
	set(ueMixGMV, sp(ueOrderTotal), uc.gmv, b.lk.Unit)
	set(ueMixItemValue, r(ueUnits)+"*"+sp(uePrice), uc.itemValue, b.lk.Unit)
	if t.c != nil {
		if t.perItem() {
			set(ueMixCommission, sp(ueCommOrder), uc.commission, b.lk.Unit)
			if t.c.Refund != nil {
				set(ueMixRefundBack, r(ueUnits)+"*"+sp(ueRefundBack), uc.refundBack, b.lk.Unit)
			}
		}
		set(ueMixFeeBase, r(ueUnits)+"*"+sp(ueFeeBase), uc.feeBase, b.lk.Unit)
	}
	if ps.Payment != nil {
		set(ueMixPayment, sp(uePaymentOrder), uc.payment, b.lk.Unit)
	}
	return cells
}

// ueRef is an absolute reference to a Unit economics cell, for the
// Statement.
func ueRef(column, row int) string { return absRef(SheetUnitEconomics, column, row) }
