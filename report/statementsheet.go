package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The Statement sheet has one row per partnership × category × month, one
// per partnership-level lines × month, a total per partnership × month and
// over the horizon, and the portfolio's totals. Its columns:
const (
	stPartnership = 1 + iota
	stChannel
	stCategory
	stRowType
	stMonth
	stPeriod      // 1 for the first month of the horizon
	stCalMonth    // 1 (January) to 12
	stSinceLaunch // months since the partnership's launch; negative before
	stOrders
	stLine0 // costmodel.Line l is in column stLine0 + l
)

// Helper columns after the lines.
const (
	stCumulative    = stLine0 + int(costmodel.NumLines) + iota // cumulative net cash flow (total rows)
	stStarted                                                  // a non-zero net cash flow so far (total rows)
	stPaidBack                                                 // cumulative net cash flow ≥ 0 (total rows)
	stNPV                                                      // NPV of the net cash flow (horizon rows)
	stPayback                                                  // payback month (horizon rows)
	stTierVolume                                               // volume a monthly tier schedule is read against
	stEffRate                                                  // effective rate of a volume tier schedule
	stVolCommission                                            // commission per order at the effective rate
	stVolRefund                                                // commission refunded per order if every item came back
	stGB                                                       // data transfer, GB per month
	stMCalls                                                   // API calls, millions per month
	stColumns       = stMCalls
)

// Row types, in the Row column: a filter on it shows one kind of row.
const (
	rowCategory          = "Category"
	rowPartnershipLevel  = "Partnership level"
	rowMonthTotal        = "Month total" // a partnership's or the portfolio's month
	rowTotal             = "Total"       // a partnership's or the portfolio's horizon
	labelPartnershipRows = "(partnership)"
	labelAllCategories   = "(all)"
	labelPortfolio       = "(portfolio)"
	labelAllMonths       = "All months"
	notReached           = "not reached"
)

// statementLayout is where each block of the Statement is: month t of a
// block starting at row s is row s + t.
type statementLayout struct {
	partnerships []partnershipRows
	total, all   int // the portfolio's monthly totals and its horizon row
	last         int
}

type partnershipRows struct {
	categories []int
	own        int
	total      int
	all        int // the horizon row
}

func (b *book) layoutStatement() {
	m := b.p.Months
	row := 2
	b.stmt.partnerships = make([]partnershipRows, len(b.p.Partnerships))
	for i := range b.p.Partnerships {
		pr := &b.stmt.partnerships[i]
		for range b.p.Partnerships[i].Categories {
			pr.categories = append(pr.categories, row)
			row += m
		}
		pr.own = row
		row += m
		pr.total = row
		row += m
		pr.all = row
		row++
	}
	b.stmt.total = row
	row += m
	b.stmt.all = row
	b.stmt.last = row
}

// stRow is one Statement row being built: its cells by column.
type stRow struct {
	b     *book
	row   int
	cells []any
}

func (b *book) newRow(row int) *stRow { return &stRow{b: b, row: row, cells: make([]any, stColumns)} }

func (r *stRow) ref(column int) string { return ref(column, r.row) }

func (r *stRow) formula(column int, formula string, v any, style int) {
	if len(formula) > maxFormulaLength {
		r.b.fail(fmt.Errorf("report: Statement!%s: formula of %d characters; Excel allows %d (too many partnerships or categories for one sum)", r.ref(column), len(formula), maxFormulaLength))
	}
	cell, err := formulaValue(formula, v, style)
	r.b.fail(err)
	r.cells[column-1] = cell
}

func (r *stRow) money(column int, formula string, v decimal.Decimal, style int) {
	r.formula(column, formula, num(v), style)
}

func (r *stRow) value(column int, v any, style int) {
	r.cells[column-1] = excelize.Cell{StyleID: style, Value: v}
}

func (r *stRow) text(column int, s string, style int) {
	r.cells[column-1] = textCell(s, style, r.b.lk.Text)
}

// rowStyles are the styles of one kind of row.
type rowStyles struct {
	money, orders, month, text, months int
	outline                            int
}

func (b *book) styleFor(kind string) rowStyles {
	lk := b.lk
	switch kind {
	case rowCategory, rowPartnershipLevel:
		return rowStyles{money: lk.Money, orders: lk.Orders, month: lk.Month, months: lk.Months, outline: 1}
	case rowMonthTotal:
		return rowStyles{money: lk.MoneyBold, orders: lk.OrdersBold, month: lk.MonthBold, text: lk.Bold, months: lk.Months}
	}
	return rowStyles{money: lk.MoneyTotal, orders: lk.OrdersTotal, month: lk.TotalText, text: lk.TotalText, months: lk.MonthsBold}
}

// categoryLines are the lines computed per category; the others are kept
// at partnership level.
var categoryLines = []costmodel.Line{
	costmodel.LineGMV, costmodel.LineRefunds, costmodel.LineCOGS, costmodel.LineCommission,
	costmodel.LineCommissionRefund, costmodel.LinePaymentFees, costmodel.LineFulfilment,
	costmodel.LineStorage, costmodel.LineShipping, costmodel.LineReturnHandling, costmodel.LineMarketing,
}

var partnershipLines = []costmodel.Line{
	costmodel.LineCommissionTrueUp, costmodel.LineMarketingFixed, costmodel.LineDataTransfer,
	costmodel.LineAPICalls, costmodel.LineSupport, costmodel.LineSupportStaff, costmodel.LineMaintenance,
	costmodel.LineSetup, costmodel.LineAmortisation,
}

func lineCol(l costmodel.Line) int { return stLine0 + int(l) }

func (b *book) writeStatement() error {
	b.layoutStatement()
	sheet := SheetStatement
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: stMonth, YSplit: 1, TopLeftCell: ref(stMonth+1, 2), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	widths := []struct {
		from, to int
		w        float64
	}{
		{stPartnership, stPartnership, 14}, {stChannel, stChannel, 12}, {stCategory, stCategory, 22},
		{stRowType, stRowType, 16}, {stMonth, stMonth, 10}, {stPeriod, stSinceLaunch, 9.5},
		{stOrders, stOrders, 11}, {stLine0, stColumns, 15},
	}
	for _, w := range widths {
		if err := sw.SetColWidth(w.from, w.to, w.w); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", b.statementHeader(), excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	for i := range b.p.Partnerships {
		if err := b.writePartnershipRows(sw, i); err != nil {
			return err
		}
	}
	if err := b.writePortfolioRows(sw); err != nil {
		return err
	}
	// Before Flush: on a stream sheet, extra parts are written with it.
	b.printTitles(sheet)
	if err := b.f.AutoFilter(sheet, fmt.Sprintf("A1:%s", ref(stColumns, b.stmt.last)), nil); err != nil {
		return err
	}
	return sw.Flush()
}

func (b *book) statementHeader() []any {
	heads := make([]string, stColumns)
	copy(heads, []string{"Partnership", "Channel", "Category", "Row", "Month", "Period", "Calendar month", "Months since launch", "Orders"})
	for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
		heads[lineCol(l)-1] = l.Label()
	}
	heads[stCumulative-1] = "Cumulative net cash flow"
	heads[stStarted-1] = "Cash flow started"
	heads[stPaidBack-1] = "Paid back"
	heads[stNPV-1] = "NPV of net cash flow"
	heads[stPayback-1] = "Payback month"
	heads[stTierVolume-1] = "Tier volume (volume-tiered terms)"
	heads[stEffRate-1] = "Effective commission rate"
	heads[stVolCommission-1] = "Commission per order at that rate"
	heads[stVolRefund-1] = "Commission refunded per order if every item came back"
	heads[stGB-1] = "Data transfer (GB)"
	heads[stMCalls-1] = "API calls (millions)"
	out := make([]any, stColumns)
	for i, h := range heads {
		out[i] = excelize.Cell{StyleID: b.lk.Header, Value: h}
	}
	return out
}

// describeRow fills the descriptive columns of a row.
func (b *book) describeRow(r *stRow, kind, partnership, channel, category string, t int, launch *int) rowStyles {
	s := b.styleFor(kind)
	r.text(stPartnership, partnership, s.text)
	r.text(stChannel, channel, s.text)
	r.text(stCategory, category, s.text)
	r.text(stRowType, kind, s.text)
	if t < 0 {
		r.value(stMonth, labelAllMonths, s.month)
		for c := stPeriod; c <= stSinceLaunch; c++ {
			r.value(c, nil, s.months)
		}
		return s
	}
	m := b.p.Start.Add(t)
	r.value(stMonth, time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC), s.month)
	r.value(stPeriod, t+1, s.months)
	r.value(stCalMonth, int(m.Month), s.months)
	if launch != nil {
		r.value(stSinceLaunch, t-*launch, s.months)
	}
	return s
}

// subtotals writes every subtotal line of a row as its terms
// (costmodel.Line.Terms) over the row's own cells.
func (b *book) subtotals(r *stRow, a *costmodel.Amounts, style int) {
	for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
		terms := l.Terms()
		if terms == nil {
			continue
		}
		var f strings.Builder
		for i, t := range terms {
			switch {
			case t.Sign < 0:
				f.WriteByte('-')
			case i > 0:
				f.WriteByte('+')
			}
			f.WriteString(r.ref(lineCol(t.Line)))
		}
		r.money(lineCol(l), f.String(), a[l], style)
	}
}

func (b *book) writePartnershipRows(sw *excelize.StreamWriter, i int) error {
	ps := &b.p.Partnerships[i]
	ss := &b.st.Partnerships[i]
	lay := b.stmt.partnerships[i]
	m := b.p.Months
	for j := range ps.Categories {
		for t := range m {
			r := b.newRow(lay.categories[j] + t)
			s := b.describeRow(r, rowCategory, ps.ID, ps.Channel, ps.Categories[j].ID, t, &ps.LaunchMonth)
			b.categoryRow(r, i, j, t, s)
			if err := sw.SetRow(ref(1, r.row), r.cells, excelize.RowOpts{OutlineLevel: s.outline}); err != nil {
				return err
			}
		}
	}
	for t := range m {
		r := b.newRow(lay.own + t)
		s := b.describeRow(r, rowPartnershipLevel, ps.ID, ps.Channel, labelPartnershipRows, t, &ps.LaunchMonth)
		b.ownRow(r, i, t, s)
		if err := sw.SetRow(ref(1, r.row), r.cells, excelize.RowOpts{OutlineLevel: s.outline}); err != nil {
			return err
		}
	}
	parts := append(slices.Clone(lay.categories), lay.own)
	cum := decimal.Zero
	for t := range m {
		r := b.newRow(lay.total + t)
		s := b.describeRow(r, rowMonthTotal, ps.ID, ps.Channel, labelAllCategories, t, nil)
		refs := make([]string, len(parts))
		for k, start := range parts {
			refs[k] = "%[1]s" + strconv.Itoa(start+t)
		}
		cum = cum.Add(ss.Total.Monthly[t][costmodel.LineNetCashFlow])
		// The partnership-level row's orders are the categories' sum.
		b.totalRow(r, t, refs, refs[len(refs)-1:], ss.Total.Orders[t], &ss.Total.Monthly[t], cum, s)
		if err := sw.SetRow(ref(1, r.row), r.cells); err != nil {
			return err
		}
	}
	r := b.newRow(lay.all)
	s := b.describeRow(r, rowTotal, ps.ID, ps.Channel, labelAllCategories, -1, nil)
	b.horizonRow(r, lay.total, &ss.Total, ss.Measures, s)
	return sw.SetRow(ref(1, r.row), r.cells)
}

func (b *book) writePortfolioRows(sw *excelize.StreamWriter) error {
	m := b.p.Months
	cum := decimal.Zero
	for t := range m {
		r := b.newRow(b.stmt.total + t)
		s := b.describeRow(r, rowMonthTotal, labelPortfolio, "", labelAllCategories, t, nil)
		refs := make([]string, len(b.stmt.partnerships))
		for k, pr := range b.stmt.partnerships {
			refs[k] = "%[1]s" + strconv.Itoa(pr.total+t)
		}
		cum = cum.Add(b.st.Portfolio.Monthly[t][costmodel.LineNetCashFlow])
		b.totalRow(r, t, refs, refs, b.st.Portfolio.Orders[t], &b.st.Portfolio.Monthly[t], cum, s)
		if err := sw.SetRow(ref(1, r.row), r.cells); err != nil {
			return err
		}
	}
	r := b.newRow(b.stmt.all)
	s := b.describeRow(r, rowTotal, labelPortfolio, "", labelAllCategories, -1, nil)
	b.horizonRow(r, b.stmt.total, &b.st.Portfolio, b.st.Measures, s)
	return sw.SetRow(ref(1, r.row), r.cells)
}

// sumColumn writes the sum of the same column in other rows; refs hold
// "%[1]s" where the column letters go.
func sumColumn(refs []string, column int) string {
	letters := col(column)
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = fmt.Sprintf(r, letters)
	}
	return sumOf(out)
}

// totalRow writes a monthly total: each base line and the orders summed
// over the rows in refs, the subtotals, the cumulative net cash flow and
// whether it has turned non-negative.
func (b *book) totalRow(r *stRow, t int, refs, orderRefs []string, orders decimal.Decimal, a *costmodel.Amounts, cum decimal.Decimal, s rowStyles) {
	r.money(stOrders, sumColumn(orderRefs, stOrders), orders, s.orders)
	for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
		if !l.IsSubtotal() {
			r.money(lineCol(l), sumColumn(refs, lineCol(l)), a[l], s.money)
		}
	}
	b.subtotals(r, a, s.money)
	ncf := r.ref(lineCol(costmodel.LineNetCashFlow))
	// Payback counts from the first month with a non-zero cash flow
	// (costmodel.PaybackMonth). Amounts are rounded to the cent before
	// they are compared, as the exact model compares exact cents: binary
	// sums of cents may miss zero by 1e-12.
	nonZero := fmt.Sprintf("ROUND(%s,%d)<>0", ncf, b.minor)
	started := !a[costmodel.LineNetCashFlow].IsZero()
	if t == 0 {
		r.money(stCumulative, ncf, cum, s.money)
		r.formula(stStarted, nonZero, started, b.lk.Flag)
	} else {
		r.money(stCumulative, fmt.Sprintf("%s+%s", ref(stCumulative, r.row-1), ncf), cum, s.money)
		started = started || r.b.startedBefore
		r.formula(stStarted, fmt.Sprintf("OR(%s,%s)", ref(stStarted, r.row-1), nonZero), started, b.lk.Flag)
	}
	b.startedBefore = started
	r.formula(stPaidBack, fmt.Sprintf("AND(%s,ROUND(%s,%d)>=0)", r.ref(stStarted), r.ref(stCumulative), b.minor), started && cum.Sign() >= 0, b.lk.Flag)
}

// horizonRow writes the totals over the horizon of a block of monthly
// total rows starting at first, with its NPV and payback month.
func (b *book) horizonRow(r *stRow, first int, blk *costmodel.Block, ms costmodel.Measures, s rowStyles) {
	last := first + b.p.Months - 1
	span := func(column int) string { return fmt.Sprintf("%s:%s", ref(column, first), ref(column, last)) }
	r.money(stOrders, "SUM("+span(stOrders)+")", blk.TotalOrders(), s.orders)
	for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
		if !l.IsSubtotal() {
			r.money(lineCol(l), "SUM("+span(lineCol(l))+")", blk.Total[l], s.money)
		}
	}
	b.subtotals(r, &blk.Total, s.money)
	// Excel's NPV discounts the first flow once: the model's convention.
	r.money(stNPV, b.roundTo(fmt.Sprintf("NPV(%s,%s)", monthlyRateNm, span(lineCol(costmodel.LineNetCashFlow)))), ms.NPV, s.money)
	var payback any = notReached
	if ms.Payback.Reached {
		payback = ms.Payback.Month
	}
	paid := span(stPaidBack)
	r.formula(stPayback, fmt.Sprintf(`IF(OR(%s),MATCH(TRUE,%s,0),"%s")`, paid, paid, notReached), payback, s.months)
}

// categoryRow writes the row of category j of partnership i in month t.
func (b *book) categoryRow(r *stRow, i, j, t int, s rowStyles) {
	ps := &b.p.Partnerships[i]
	cs := &b.st.Partnerships[i].Categories[j]
	a := &cs.Monthly[t]
	defer b.subtotals(r, a, s.money)
	if t < ps.LaunchMonth {
		// Nothing happens before launch: no orders, no lines.
		r.value(stOrders, 0, s.orders)
		return
	}
	if b.affected[i][t] {
		r.value(stOrders, num(cs.Orders[t]), s.orders)
		for _, l := range categoryLines {
			r.value(lineCol(l), num(a[l]), s.money)
		}
		b.constants = append(b.constants, fmt.Sprintf("%s!%s:%s", SheetStatement, r.ref(stOrders), r.ref(lineCol(costmodel.LineMarketing))))
		return
	}
	c := &ps.Categories[j]
	uc := b.ue[catKey{i, j}]
	pre := ps.ID + "/" + c.ID + "/"
	nm := func(s string) string { return b.name(pre + s) }
	// The exact amounts before rounding, as costmodel computes them, decide
	// how each ROUND must break a tie (see roundExact).
	n := cs.Orders[t]
	u, rr := c.UnitsPerOrder, c.ReturnRate
	N := r.ref(stOrders)
	r.money(stOrders, b.ordersFormula(ps, j, t, r), n, s.orders)
	line := func(l costmodel.Line, expr string, exact decimal.Decimal) {
		b.roundLine(r, l, expr, exact, a[l], s.money)
	}
	line(costmodel.LineGMV, N+"*"+ueRef(ueMixGMV, uc.first), n.Mul(uc.gmv))
	line(costmodel.LineRefunds, fmt.Sprintf("%s*%s*%s", N, ueRef(ueMixItemValue, uc.first), nm("return_rate")), n.Mul(uc.itemValue).Mul(rr))
	line(costmodel.LineCOGS, fmt.Sprintf("%s*%s*(1-%s)*%s", N, nm("units_per_order"), nm("return_rate"), nm("unit_cost")),
		n.Mul(u).Sub(n.Mul(u).Mul(rr)).Mul(c.UnitCost))
	if tm := uc.terms; tm.c != nil {
		if tm.perItem() {
			line(costmodel.LineCommission, N+"*"+ueRef(ueMixCommission, uc.first), n.Mul(uc.commission))
			if tm.c.Refund != nil {
				line(costmodel.LineCommissionRefund, fmt.Sprintf("%s*%s*%s", N, ueRef(ueMixRefundBack, uc.first), nm("return_rate")), n.Mul(uc.refundBack).Mul(rr))
			}
		} else {
			b.volumeTierCommission(r, i, j, t, s)
		}
	}
	if ps.Payment != nil {
		line(costmodel.LinePaymentFees, N+"*"+ueRef(ueMixPayment, uc.first), n.Mul(uc.payment))
	}
	line(costmodel.LineFulfilment, fmt.Sprintf("%s*%s*%s", N, nm("units_per_order"), nm("fulfilment_cost")), n.Mul(u).Mul(c.FulfilmentCost))
	line(costmodel.LineStorage, nm("storage_monthly"), c.StorageMonthly)
	line(costmodel.LineShipping, N+"*"+nm("shipping_cost"), n.Mul(c.ShippingCost))
	line(costmodel.LineReturnHandling, fmt.Sprintf("%s*%s*%s*%s", N, nm("units_per_order"), nm("return_rate"), nm("return_cost")),
		n.Mul(u).Mul(rr).Mul(c.ReturnCost))
	if ps.Marketing != nil {
		// On the exact GMV, before it is rounded, as the model does.
		line(costmodel.LineMarketing, fmt.Sprintf("%s*%s*%s", N, ueRef(ueMixGMV, uc.first), b.name(ps.ID+"/marketing/rate")),
			n.Mul(uc.gmv).Mul(ps.Marketing.Rate))
	}
}

// roundLine writes a base line: expr rounded to the minor unit. exact is
// the amount before rounding as costmodel computes it, and want the
// statement's line; they must agree, or the formula does not describe the
// model (an internal error).
func (b *book) roundLine(r *stRow, l costmodel.Line, expr string, exact, want decimal.Decimal, style int) {
	b.roundCell(r, lineCol(l), expr, exact, want, style)
}

func (b *book) roundCell(r *stRow, column int, expr string, exact, want decimal.Decimal, style int) {
	if got := exact.Round(b.minor); !got.Equal(want) {
		b.fail(fmt.Errorf("report: internal error: %s!%s: the formula's exact amount %s rounds to %s, the statement has %s", SheetStatement, r.ref(column), exact, got, want))
	}
	r.money(column, b.roundExact(expr, exact, SheetStatement+"!"+r.ref(column)), want, style)
}

// tieWindow is how close to a half of the minor unit an exact amount must
// be for its rounding to depend on binary noise: an amount on a half cent
// (12.345) or within 1e-9 of one (3528.52499999999999998, from growth
// compounded month by month) may land on either side in a spreadsheet's
// binary arithmetic. Other amounts are at least 1e-9 from the boundary,
// a million times more than that noise.
var tieWindow = decimal.New(1, -9)

// tieBias is added to or taken from such an amount inside ROUND, so that
// the spreadsheet rounds it to the side the exact model chose. It is
// below any amount a minor unit can show.
const tieBias = "1E-07"

// roundExact is ROUND(expr, minor unit), or for an amount within
// tieWindow of a half unit, ROUND(expr ± 1E-07, minor unit) towards the
// exact model's result. where names the cell, for the About sheet.
func (b *book) roundExact(expr string, exact decimal.Decimal, where string) string {
	rounded := exact.Round(b.minor)
	half := decimal.New(5, -(b.minor + 1))
	if half.Sub(exact.Sub(rounded).Abs()).GreaterThanOrEqual(tieWindow) {
		return b.roundTo(expr)
	}
	b.tieBreaks = append(b.tieBreaks, where)
	if rounded.GreaterThan(exact) {
		return b.roundTo(expr + "+" + tieBias)
	}
	return b.roundTo(expr + "-" + tieBias)
}

// ordersFormula is a category's expected orders in month t:
//
//	base orders × seasonality(calendar month) × ramp × (1 + growth)^(months since launch / 12)
//
// with the ramp rising linearly from ramp_start at launch to 1 after
// ramp_months (costmodel's volumeFactors).
func (b *book) ordersFormula(ps *costmodel.Partnership, j, t int, r *stRow) string {
	c := &ps.Categories[j]
	pre := ps.ID + "/" + c.ID + "/"
	f := b.name(pre + "orders")
	if name, ok := b.seasonality[ps.ID+"/"+c.ID]; ok {
		f += fmt.Sprintf("*INDEX(%s,%s)", name, r.ref(stCalMonth))
	} else if len(c.Seasonality) == 12 {
		f += "*" + b.name(pre+"seasonality/"+monthKeys[int(b.p.Start.Add(t).Month)-1])
	}
	tau := r.ref(stSinceLaunch)
	if c.RampMonths > 0 && t-ps.LaunchMonth < c.RampMonths {
		rs := b.name(pre + "ramp_start")
		f += fmt.Sprintf("*(%s+(1-%s)*%s/%d)", rs, rs, tau, c.RampMonths)
	}
	return f + fmt.Sprintf("*(1+%s)^(%s/12)", b.name(pre+"growth"), tau)
}

// volumeTierCommission writes the commission of a category whose terms
// are read against the month's volume over every category sharing them:
// the tier volume, the effective rate schedule(V)/V, and per price point
// the item fee clamp(rate × fee base), as the model does.
func (b *book) volumeTierCommission(r *stRow, i, j, t int, s rowStyles) {
	ps := &b.p.Partnerships[i]
	uc := b.ue[catKey{i, j}]
	tm := uc.terms
	lay := b.stmt.partnerships[i]
	cs := &b.st.Partnerships[i].Categories[j]
	a := &cs.Monthly[t]
	var vol []string
	volume := decimal.Zero
	for k := range ps.Categories {
		other := b.ue[catKey{i, k}]
		if other.terms.c != tm.c {
			continue
		}
		orders := b.st.Partnerships[i].Categories[k].Orders[t]
		cell := ref(stOrders, lay.categories[k]+t)
		if tm.c.TierBasis == costmodel.MonthlyOrders {
			vol = append(vol, cell)
			volume = volume.Add(orders)
		} else {
			vol = append(vol, cell+"*"+ueRef(ueMixFeeBase, other.first))
			volume = volume.Add(other.feeBase.Mul(orders))
		}
	}
	r.money(stTierVolume, sumOf(vol), volume, b.lk.Quantity)
	one := decimal.NewFromInt(1)
	rate := costmodel.TierFee(tm.c.Tiers, tm.c.TierMode, one)
	if volume.Sign() > 0 {
		rate = costmodel.TierFee(tm.c.Tiers, tm.c.TierMode, volume).DivRound(volume, 20)
	}
	v := r.ref(stTierVolume)
	r.money(stEffRate, fmt.Sprintf("IF(%s>0,%s/%s,%s)", v, b.schedule(tm, v), v, b.schedule(tm, "1")), rate, b.lk.Rate)
	c := &ps.Categories[j]
	units := b.name(ps.ID + "/" + c.ID + "/units_per_order")
	n, u := cs.Orders[t], c.UnitsPerOrder
	var comm, back []string
	commExact, backExact := decimal.Zero, decimal.Zero
	for k, pt := range uc.points {
		row := uc.first + k
		fee := b.clamp(tm, r.ref(stEffRate)+"*"+ueRef(ueFeeBase, row))
		comm = append(comm, fmt.Sprintf("%s*(%s*%s+%s)", ueRef(ueShare, row), fee, units, ueRef(ueOrderFee, row)))
		feeExact := clampFee(tm.c, rate.Mul(pt.base))
		commExact = commExact.Add(pt.share.Mul(u.Mul(feeExact).Add(pt.orderFee)))
		if tm.c.Refund != nil {
			back = append(back, fmt.Sprintf("%s*(%s)", ueRef(ueShare, row), b.refundBack(tm, "("+fee+")")))
			backExact = backExact.Add(pt.share.Mul(feeExact.Sub(tm.c.Refund.AdminFee(feeExact))))
		}
	}
	// Per order at the month's rate, then times the orders: the same
	// shape as the per-item terms, whose per-order figures are on the Unit
	// economics sheet.
	N := r.ref(stOrders)
	r.money(stVolCommission, sumTerms(comm), commExact, b.lk.Unit)
	b.roundLine(r, costmodel.LineCommission, fmt.Sprintf("%s*%s", N, r.ref(stVolCommission)), n.Mul(commExact), a[costmodel.LineCommission], s.money)
	if tm.c.Refund != nil {
		rr := b.name(ps.ID + "/" + c.ID + "/return_rate")
		r.money(stVolRefund, fmt.Sprintf("%s*%s", units, sumTerms(back)), u.Mul(backExact), b.lk.Unit)
		b.roundLine(r, costmodel.LineCommissionRefund, fmt.Sprintf("%s*%s*%s", N, r.ref(stVolRefund), rr),
			n.Mul(u).Mul(backExact).Mul(c.ReturnRate), a[costmodel.LineCommissionRefund], s.money)
	}
}

// clampFee applies a commission's per-item minimum and cap, as
// costmodel.Commission.ItemFee does after the schedule.
func clampFee(c *costmodel.Commission, fee decimal.Decimal) decimal.Decimal {
	if fee.LessThan(c.MinPerItem) {
		fee = c.MinPerItem
	}
	if c.CapPerItem != nil && fee.GreaterThan(*c.CapPerItem) {
		fee = *c.CapPerItem
	}
	return fee
}

// ownRow writes the partnership-level lines of partnership i in month t.
func (b *book) ownRow(r *stRow, i, t int, s rowStyles) {
	ps := &b.p.Partnerships[i]
	ss := &b.st.Partnerships[i]
	a := &ss.Own.Monthly[t]
	lay := b.stmt.partnerships[i]
	defer b.subtotals(r, a, s.money)
	catRefs := func(column int) []string {
		out := make([]string, len(lay.categories))
		for k, start := range lay.categories {
			out[k] = ref(column, start+t)
		}
		return out
	}
	n := ss.Total.Orders[t]
	r.money(stOrders, sumOf(catRefs(stOrders)), n, s.orders)
	if b.affected[i][t] {
		for _, l := range partnershipLines {
			r.value(lineCol(l), num(a[l]), s.money)
		}
		b.constants = append(b.constants, fmt.Sprintf("%s!%s:%s", SheetStatement, r.ref(lineCol(costmodel.LineCommissionTrueUp)), r.ref(lineCol(costmodel.LineAmortisation))))
		return
	}
	line := func(l costmodel.Line, expr string, exact decimal.Decimal) {
		b.roundLine(r, l, expr, exact, a[l], s.money)
	}
	pre := ps.ID + "/"
	if t >= ps.LaunchMonth {
		N := r.ref(stOrders)
		// The minimum guarantee tops up the month's net commission (the
		// categories' rounded lines) when it falls short.
		mc := b.name(pre + "minimum_commission")
		net := decimal.Zero
		for j := range ss.Categories {
			m := &ss.Categories[j].Monthly[t]
			net = net.Add(m[costmodel.LineCommission]).Sub(m[costmodel.LineCommissionRefund])
		}
		short := ps.MinimumCommission.Sub(net)
		if ps.MinimumCommission.Sign() <= 0 || short.Sign() < 0 {
			short = decimal.Zero
		}
		netF := fmt.Sprintf("%s-(%s)", sumOf(catRefs(lineCol(costmodel.LineCommission))), sumOf(catRefs(lineCol(costmodel.LineCommissionRefund))))
		// Net commission is never negative (a refund returns at most the
		// fee), so MAX(0, minimum − net) is 0 without a guarantee.
		c := lineCol(costmodel.LineCommissionTrueUp)
		r.money(c, b.roundExact(fmt.Sprintf("MAX(0,%s-(%s))", mc, netF), short, SheetStatement+"!"+r.ref(c)), a[costmodel.LineCommissionTrueUp], s.money)
		if ps.Marketing != nil {
			line(costmodel.LineMarketingFixed, b.name(pre+"marketing/monthly"), ps.Marketing.Monthly)
		}
		if d := ps.DataTransfer; d != nil {
			q := pre + "data_transfer/"
			gb := dataTransferGB(d, n)
			r.money(stGB, fmt.Sprintf("%s*%s/1000+%s", N, b.name(q+"gb_per_1000_orders"), b.name(q+"fixed_gb")), gb, b.lk.Quantity)
			line(costmodel.LineDataTransfer, b.bandCost(&d.Pricing, q, r.ref(stGB)), d.Pricing.Cost(gb))
		}
		if api := ps.API; api != nil {
			q := pre + "api/"
			calls := apiMillions(api, n)
			r.money(stMCalls, fmt.Sprintf("(%s*%s+%s)/1000000", N, b.name(q+"calls_per_order"), b.name(q+"fixed_calls")), calls, b.lk.Quantity)
			line(costmodel.LineAPICalls, b.bandCost(&api.Pricing, q, r.ref(stMCalls)), api.Pricing.Cost(calls))
		}
		if sp := ps.Support; sp != nil {
			q := pre + "support/"
			line(costmodel.LineSupport, fmt.Sprintf("%s*%s*%s/1000", N, b.name(q+"tickets_per_1000_orders"), b.name(q+"cost_per_ticket")),
				n.Mul(sp.TicketsPer1000Orders).Mul(sp.CostPerTicket).DivRound(thousand, 20))
			line(costmodel.LineSupportStaff, b.name(q+"staff_monthly"), sp.StaffMonthly)
		}
		if len(ps.Maintenance) > 0 {
			var items []string
			exact := decimal.Zero
			for _, it := range ps.Maintenance {
				q := pre + "maintenance/" + it.ID + "/"
				items = append(items, fmt.Sprintf("%s*%s", b.name(q+"hours"), b.name(q+"hourly_rate")), b.name(q+"monthly"))
				exact = exact.Add(it.Hours.Mul(it.HourlyRate)).Add(it.Monthly)
			}
			line(costmodel.LineMaintenance, sumTerms(items), exact)
		}
	}
	// Set-up is paid in its month, launched or not; amortisation spreads
	// it from that month, each month rounded and the last taking the rest.
	var setup, amort []string
	where := func(l costmodel.Line) string { return SheetStatement + "!" + r.ref(lineCol(l)) }
	for _, it := range ps.Setup {
		amount := b.roundExact(b.name(pre+"setup/"+it.ID+"/amount"), it.Amount, where(costmodel.LineSetup))
		if it.Month == t {
			setup = append(setup, amount)
		}
		k := max(it.AmortMonths, 1)
		share := b.roundExact(fmt.Sprintf("%s/%d", amount, k), it.Amount.Round(b.minor).DivRound(decimal.NewFromInt(int64(k)), 30), where(costmodel.LineAmortisation))
		switch step := t - it.Month; {
		case step < 0 || step >= k:
		case step < k-1:
			amort = append(amort, share)
		case k == 1:
			amort = append(amort, amount)
		default:
			amort = append(amort, fmt.Sprintf("%s-%d*%s", amount, k-1, share))
		}
	}
	if len(setup) > 0 {
		r.money(lineCol(costmodel.LineSetup), sumTerms(setup), a[costmodel.LineSetup], s.money)
	}
	if len(amort) > 0 {
		r.money(lineCol(costmodel.LineAmortisation), sumTerms(amort), a[costmodel.LineAmortisation], s.money)
	}
}

var (
	thousand = decimal.NewFromInt(1000)
	million  = decimal.NewFromInt(1_000_000)
)

// dataTransferGB is the month's data transfer, as costmodel computes it.
func dataTransferGB(d *costmodel.DataTransfer, orders decimal.Decimal) decimal.Decimal {
	return orders.Mul(d.GBPer1000Orders).DivRound(thousand, 20).Add(d.FixedGB)
}

// apiMillions is the month's API calls in millions, as costmodel computes
// them.
func apiMillions(a *costmodel.APICalls, orders decimal.Decimal) decimal.Decimal {
	return orders.Mul(a.CallsPerOrder).Add(a.FixedCalls).DivRound(million, 20)
}

// adjustedMonths finds the partnership × month pairs whose drivers a
// month-limited adjustment changes: partnership index → month → true.
// The Assumptions hold the drivers' base values, so those months of the
// Statement are written as Go's values instead of formulas. Adjustments of
// the portfolio's discount rate change nothing (NPV uses the base rate).
func adjustedMonths(p *costmodel.Portfolio) map[int]map[int]bool {
	out := map[int]map[int]bool{}
	if len(p.Adjustments) == 0 {
		return out
	}
	index := map[string]int{}
	for i, ps := range p.Partnerships {
		index[ps.ID] = i
	}
	for _, a := range p.Adjustments {
		ds, err := p.Match(a.Target)
		if err != nil {
			continue
		}
		hit := map[int]bool{}
		for _, d := range ds {
			id, _, _ := strings.Cut(d.Address, "/")
			if i, ok := index[id]; ok {
				hit[i] = true
			}
		}
		for t := max(a.From, 0); t <= a.To && t < p.Months; t++ {
			if len(a.CalendarMonths) > 0 && !slices.Contains(a.CalendarMonths, p.Start.Add(t).Month) {
				continue
			}
			for i := range hit {
				if out[i] == nil {
					out[i] = map[int]bool{}
				}
				out[i][t] = true
			}
		}
	}
	return out
}
