package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
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
	stCumulative = stLine0 + int(costmodel.NumLines) + iota // cumulative net cash flow (total rows)
	stStarted                                               // a non-zero net cash flow so far (total rows)
	stPaidBack                                              // cumulative net cash flow ≥ 0 (total rows)
	stNPV                                                   // NPV of the net cash flow (horizon rows)
	stPayback                                               // payback month (horizon rows)
	stColumns    = stPayback
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
	money, orders, hours, month, text, months int
	outline                                   int
}

// of is the style of line l's cells: money, or for a line of hours
// (costmodel.LineInfo.Hours, the outage downtime memo) a quantity to
// two decimals, in no currency.
func (s rowStyles) of(l costmodel.Line) int {
	if !l.IsMoney() {
		return s.hours
	}
	return s.money
}

func (b *book) styleFor(kind string) rowStyles {
	lk := b.lk
	switch kind {
	case rowCategory, rowPartnershipLevel:
		return rowStyles{money: lk.Money, orders: lk.Orders, hours: lk.Hours, month: lk.Month, months: lk.Months, outline: 1}
	case rowMonthTotal:
		return rowStyles{money: lk.MoneyBold, orders: lk.OrdersBold, hours: lk.HoursBold, month: lk.MonthBold, text: lk.Bold, months: lk.Months}
	}
	return rowStyles{money: lk.MoneyTotal, orders: lk.OrdersTotal, hours: lk.HoursTotal, month: lk.TotalText, text: lk.TotalText, months: lk.MonthsBold}
}

// categoryLines are the lines computed per category and partnershipLines
// those kept at partnership level, from costmodel's line table.
var (
	categoryLines    = costmodel.LinesScaled(costmodel.PerCategory)
	partnershipLines = costmodel.LinesScaled(costmodel.PerPartnership)
)

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
	b.printTitles(sheet, stMonth) // partnership, channel, category, row type and month on every page
	// Printed by default: the portfolio's months and total (the rows of
	// every partnership and category stay on screen; print them by
	// clearing the print area).
	b.printArea(sheet, 1, b.stmt.total, len(b.statementHeader()), b.stmt.all)
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

// writeLines writes the orders and every line of a Statement row from
// the model's graph: the nodes of the row's block in month t (nil t < 0:
// the totals over the horizon).
func (b *book) writeLines(r *stRow, nb *costmodel.BlockNodes, t int, s rowStyles) {
	nodes := &nb.Total
	if t >= 0 {
		nodes = &nb.Monthly[t]
	}
	g := b.model.Graph()
	// A line the row shares with other rows (a month's storage, the same
	// in every month) is read from this row's cell, not from its home in
	// the first month: CM2 is N3+P3-O3-S3-T3, not …-T2.
	b.local, b.localRow = nodes, r.row
	defer func() { b.local = nil }()
	for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
		id := nodes[l]
		if l.IsSubtotal() && g.Nodes[id].Kind == graph.Const {
			// A subtotal of lines that are all zero (a month before
			// launch) is still written as its terms, so that the margin
			// columns have a figure in every month (NPV skips empty
			// cells).
			r.formula(lineCol(l), b.termsOf(r, l), num(g.Const(id)), s.money)
			continue
		}
		b.nodeCell(r, lineCol(l), id, s.of(l))
	}
}

// termsOf is subtotal l as the signed sum of its terms (Line.Terms) in
// row r.
func (b *book) termsOf(r *stRow, l costmodel.Line) string {
	var f strings.Builder
	for i, t := range l.Terms() {
		switch {
		case t.Sign < 0:
			f.WriteByte('-')
		case i > 0:
			f.WriteByte('+')
		}
		f.WriteString(r.ref(lineCol(t.Line)))
	}
	return f.String()
}

// nodeCell writes node id into a cell of row r: its formula where the
// cell is the node's home (see layoutCells) or the node is short, a
// reference to its home otherwise (a line shared by several months, a
// subtotal equal to one of its terms). An input (orders that are the
// driver itself in the first month) has no home: its name is written. A zero that is no formula (a line
// a partnership does not have, a month before launch) leaves the cell
// empty.
func (b *book) nodeCell(r *stRow, column int, id graph.ID, style int) {
	g := b.model.Graph()
	here := graph.Ref{Sheet: SheetStatement, Col: column, Row: r.row}
	switch g.Nodes[id].Kind {
	case graph.Const:
		if v := g.Const(id); !v.IsZero() {
			r.formula(column, v.String(), num(v), style)
		}
		return
	}
	home := b.home[id]
	var f string
	if rg, ok := b.ranges[id]; ok && home == here {
		f = "SUM(" + ref(rg.Col, rg.Row) + ":" + ref(rg.Col, rg.Row+rg.Rows-1) + ")"
	} else if home.Rows > 1 {
		f = "SUM(" + ref(home.Col, home.Row) + ":" + ref(home.Col, home.Row+home.Rows-1) + ")"
	} else if home == here || home.Col == 0 || b.pr.Short(id) {
		var biased bool
		f, biased = b.pr.Formula(id, SheetStatement)
		if biased {
			b.tieBreaks = append(b.tieBreaks, SheetStatement+"!"+r.ref(column))
		}
	} else {
		f = ref(home.Col, home.Row)
	}
	r.formula(column, f, num(b.vals[id]), style)
}

func (b *book) writePartnershipRows(sw *excelize.StreamWriter, i int) error {
	ps := &b.p.Partnerships[i]
	ss := &b.st.Partnerships[i]
	lay := b.stmt.partnerships[i]
	m := b.p.Months
	for j := range ps.Categories {
		nb := b.model.RowNodes(b.model.Row(i, j))
		for t := range m {
			r := b.newRow(lay.categories[j] + t)
			s := b.describeRow(r, rowCategory, ps.ID, ps.Channel, ps.Categories[j].ID, t, &ps.LaunchMonth)
			if t < ps.LaunchMonth {
				// Nothing happens before launch: no orders, no lines.
				r.value(stOrders, 0, s.orders)
			} else {
				b.nodeCell(r, stOrders, nb.Orders[t], s.orders)
			}
			b.writeLines(r, nb, t, s)
			if err := sw.SetRow(ref(1, r.row), r.cells, excelize.RowOpts{OutlineLevel: s.outline}); err != nil {
				return err
			}
		}
	}
	own := b.model.RowNodes(b.model.OwnRow(i))
	total := b.model.PartnershipNodes(i)
	for t := range m {
		r := b.newRow(lay.own + t)
		s := b.describeRow(r, rowPartnershipLevel, ps.ID, ps.Channel, labelPartnershipRows, t, &ps.LaunchMonth)
		// The partnership-level lines read the orders of every category:
		// the partnership's orders, shown here.
		b.nodeCell(r, stOrders, total.Orders[t], s.orders)
		b.writeLines(r, own, t, s)
		if err := sw.SetRow(ref(1, r.row), r.cells, excelize.RowOpts{OutlineLevel: s.outline}); err != nil {
			return err
		}
	}
	cum := decimal.Zero
	for t := range m {
		r := b.newRow(lay.total + t)
		s := b.describeRow(r, rowMonthTotal, ps.ID, ps.Channel, labelAllCategories, t, nil)
		b.nodeCell(r, stOrders, total.Orders[t], s.orders)
		b.writeLines(r, total, t, s)
		cum = cum.Add(ss.Total.Monthly[t][costmodel.LineNetCashFlow])
		b.cashFlowColumns(r, t, &ss.Total.Monthly[t], cum, s)
		if err := sw.SetRow(ref(1, r.row), r.cells); err != nil {
			return err
		}
	}
	r := b.newRow(lay.all)
	s := b.describeRow(r, rowTotal, ps.ID, ps.Channel, labelAllCategories, -1, nil)
	b.writeLines(r, total, -1, s)
	b.horizonRow(r, lay.total, &ss.Total, ss.Measures, s)
	return sw.SetRow(ref(1, r.row), r.cells)
}

func (b *book) writePortfolioRows(sw *excelize.StreamWriter) error {
	m := b.p.Months
	pn := b.model.PortfolioNodes()
	cum := decimal.Zero
	for t := range m {
		r := b.newRow(b.stmt.total + t)
		s := b.describeRow(r, rowMonthTotal, labelPortfolio, "", labelAllCategories, t, nil)
		b.nodeCell(r, stOrders, pn.Orders[t], s.orders)
		b.writeLines(r, pn, t, s)
		cum = cum.Add(b.st.Portfolio.Monthly[t][costmodel.LineNetCashFlow])
		b.cashFlowColumns(r, t, &b.st.Portfolio.Monthly[t], cum, s)
		if err := sw.SetRow(ref(1, r.row), r.cells); err != nil {
			return err
		}
	}
	r := b.newRow(b.stmt.all)
	s := b.describeRow(r, rowTotal, labelPortfolio, "", labelAllCategories, -1, nil)
	b.writeLines(r, pn, -1, s)
	b.horizonRow(r, b.stmt.total, &b.st.Portfolio, b.st.Measures, s)
	return sw.SetRow(ref(1, r.row), r.cells)
}

// cashFlowColumns writes the cumulative net cash flow of a monthly total
// row and whether it has turned non-negative, for the payback month.
func (b *book) cashFlowColumns(r *stRow, t int, a *costmodel.Amounts, cum decimal.Decimal, s rowStyles) {
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

// horizonRow writes the orders over the horizon of a block of monthly
// total rows starting at first, with its NPV and payback month.
func (b *book) horizonRow(r *stRow, first int, blk *costmodel.Block, ms costmodel.Measures, s rowStyles) {
	last := first + b.p.Months - 1
	span := func(column int) string { return fmt.Sprintf("%s:%s", ref(column, first), ref(column, last)) }
	r.money(stOrders, "SUM("+span(stOrders)+")", blk.TotalOrders(), s.orders)
	// Excel's NPV discounts the first flow once: the model's convention.
	r.money(stNPV, b.roundTo(fmt.Sprintf("NPV(%s,%s)", monthlyRateNm, span(lineCol(costmodel.LineNetCashFlow)))), ms.NPV, s.money)
	var payback any = notReached
	if ms.Payback.Reached {
		payback = ms.Payback.Month
	}
	paid := span(stPaidBack)
	r.formula(stPayback, fmt.Sprintf(`IF(OR(%s),MATCH(TRUE,%s,0),"%s")`, paid, paid, notReached), payback, s.months)
}

// roundTo wraps an expression in ROUND to the currency's minor unit.
func (b *book) roundTo(expr string) string {
	return fmt.Sprintf("ROUND(%s,%d)", expr, b.minor)
}
