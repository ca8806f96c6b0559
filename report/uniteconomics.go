package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/xuri/excelize/v2"
)

// Every formula of the Unit economics and Statement sheets is printed from
// the portfolio's model (costmodel.Model), the same expression graph the
// exact statement is evaluated from (internal/graph's Excel printer): this
// package holds no arithmetic of the model's own. Each line of each
// Statement row is a node of the graph with a cell; the figures several
// lines share (a category's GMV per order, its commission per order, the
// monthly growth factor, a tier schedule's volume in a month) get cells of
// their own on the Unit economics sheet, one row each, beside the
// partnership, category and months that use them. Everything else is
// written out inside the formula that uses it.
//
// Columns of the Unit economics sheet's figures:
const (
	uePartnership = 1 + iota
	ueCategory
	ueMonths
	ueFigure
	ueValue
	ueColumns = ueValue
)

// ueRateRow holds the monthly discount rate; the shared figures start at
// ueFirstRow, under their headings.
const (
	ueRateRow     = 1
	ueHeaderRow   = 3
	ueFirstRow    = 4
	monthlyRateNm = "monthly_discount_rate"
)

// ueRow is one shared figure: its node and who uses it.
type ueRow struct {
	id          graph.ID
	partnership int // -1: several partnerships
	category    int // -1: the partnership's own lines, or several categories
	first, last int // months that use it (-1: not known)
}

// prepareModel builds the portfolio's model and its exact values, the
// source of every formula and cached value of the Statement.
func (b *book) prepareModel() error {
	m, err := costmodel.NewModel(b.p)
	if err != nil {
		return err
	}
	vals, err := m.Graph().Eval(m.Values(), nil, nil)
	if err != nil {
		return err
	}
	b.model, b.vals = m, vals
	// The cached values of the lines are the model's; the measures (NPV,
	// payback, ratios) and the cumulative cash flow are Options.Statement's.
	// They must be of the same numbers.
	check := func(nb *costmodel.BlockNodes, blk *costmodel.Block, what string) error {
		for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
			if !vals[nb.Total[l]].Equal(blk.Total[l]) {
				return fmt.Errorf("report: Options.Statement is not the statement of Options.Portfolio: %s %s is %s, the portfolio gives %s", what, l, blk.Total[l], vals[nb.Total[l]])
			}
		}
		return nil
	}
	if err := check(m.PortfolioNodes(), &b.st.Portfolio, "the portfolio's"); err != nil {
		return err
	}
	for i := range b.st.Partnerships {
		if err := check(m.PartnershipNodes(i), &b.st.Partnerships[i].Total, b.st.Partnerships[i].ID+"'s"); err != nil {
			return err
		}
	}
	b.home = make([]graph.Ref, m.Graph().Len())
	b.ranges = map[graph.ID]graph.Ref{}
	g := m.Graph()
	b.pr = graph.NewExcelPrinter(g, func(id graph.ID) (graph.Ref, bool) {
		if b.local != nil && g.Nodes[id].Kind != graph.Const {
			for l, x := range b.local {
				if x == id {
					return graph.Ref{Sheet: SheetStatement, Col: lineCol(costmodel.Line(l)), Row: b.localRow}, true
				}
			}
		}
		r := b.home[id]
		return r, r.Col != 0
	}, func(d, _ int) string { return b.driverNames[d] })
	b.pr.Exact = vals
	return nil
}

// layoutCells gives every node of the Statement its home cell: the first
// cell, in sheet order, that holds it (a line shared by several months or
// a subtotal equal to one of its terms is held by several); then picks the
// shared figures (graph.ExcelPrinter.Helpers) and gives them rows on the
// Unit economics sheet.
func (b *book) layoutCells() {
	b.layoutStatement()
	m := b.model
	g := m.Graph()
	var roots []graph.ID
	// rowOf maps the home cells of category and own rows to (partnership,
	// category or -1, month), through a key: the Statement row.
	type where struct{ p, c, t int }
	at := map[int]where{}
	key := make(map[graph.ID]int)
	place := func(id graph.ID, column, row int, w *where) {
		if k := g.Nodes[id].Kind; k == graph.Const || k == graph.Input || b.home[id].Col != 0 {
			return
		}
		b.home[id] = graph.Ref{Sheet: SheetStatement, Col: column, Row: row}
		roots = append(roots, id)
		if w != nil {
			key[id] = row
			at[row] = *w
		}
	}
	block := func(nb *costmodel.BlockNodes, first int, w *where, orders bool) {
		for t := range b.p.Months {
			var wt *where
			if w != nil {
				wt = &where{w.p, w.c, t}
			}
			if orders {
				place(nb.Orders[t], stOrders, first+t, wt)
			}
			for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
				place(nb.Monthly[t][l], lineCol(l), first+t, wt)
			}
		}
	}
	// A category's or own row's total of a line over the horizon is the
	// sum of its column in the row block (a line that is the same node in
	// every month, such as storage, is written in each month's cell): it
	// is written SUM(T2:T37) in the totals that add it up.
	columnTotals := func(nb *costmodel.BlockNodes, first int) {
		for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
			id := nb.Total[l]
			if l.IsSubtotal() || g.Nodes[id].Kind != graph.Sum || b.home[id].Col != 0 {
				continue
			}
			b.home[id] = graph.Ref{Sheet: SheetStatement, Col: lineCol(l), Row: first, Rows: b.p.Months}
			roots = append(roots, id)
		}
	}
	horizon := func(nb *costmodel.BlockNodes, row int) {
		for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
			id := nb.Total[l]
			if h := b.home[id]; h.Rows > 1 {
				// A partnership's total that is one part's column (its
				// only category with the line): the horizon cell writes
				// SUM(range) and is what the portfolio's totals refer to.
				b.ranges[id] = h
				b.home[id] = graph.Ref{Sheet: SheetStatement, Col: lineCol(l), Row: row}
				continue
			}
			place(id, lineCol(l), row, nil)
		}
	}
	for i := range b.p.Partnerships {
		lay := b.stmt.partnerships[i]
		for j := range b.p.Partnerships[i].Categories {
			block(m.RowNodes(m.Row(i, j)), lay.categories[j], &where{i, j, 0}, true)
		}
		own := m.RowNodes(m.OwnRow(i))
		total := m.PartnershipNodes(i)
		for t := range b.p.Months {
			place(total.Orders[t], stOrders, lay.own+t, &where{i, -1, t})
		}
		block(own, lay.own, &where{i, -1, 0}, false)
		for j := range b.p.Partnerships[i].Categories {
			columnTotals(m.RowNodes(m.Row(i, j)), lay.categories[j])
		}
		columnTotals(own, lay.own)
		block(total, lay.total, nil, true)
		horizon(total, lay.all)
	}
	block(m.PortfolioNodes(), b.stmt.total, nil, true)
	horizon(m.PortfolioNodes(), b.stmt.all)

	helpers := b.pr.Helpers(roots, func(id graph.ID) int {
		if k, ok := key[id]; ok {
			return k
		}
		return -1
	})
	b.ueRows = b.ueRows[:0]
	for _, h := range helpers {
		r := ueRow{id: h.ID, partnership: -1, category: -1, first: -1, last: -1}
		if h.First >= 0 {
			lo, hi := at[h.First], at[h.Last]
			if lo.p == hi.p {
				r.partnership = lo.p
				if lo.c == hi.c {
					r.category = lo.c
					r.first, r.last = lo.t, hi.t
				}
			}
		}
		b.ueRows = append(b.ueRows, r)
	}
	b.landedCostRows()
	// Partnership by partnership, each category's figures then the
	// partnership's own, by month of first use; the graph's order (which
	// follows the model's build) breaks ties.
	order := func(x int) int {
		if x < 0 {
			return 1 << 30
		}
		return x
	}
	slices.SortStableFunc(b.ueRows, func(x, y ueRow) int {
		return cmp.Or(cmp.Compare(order(x.partnership), order(y.partnership)), cmp.Compare(order(x.category), order(y.category)),
			cmp.Compare(x.first, y.first), cmp.Compare(x.id, y.id))
	})
	for k, r := range b.ueRows {
		b.home[r.id] = graph.Ref{Sheet: SheetUnitEconomics, Col: ueValue, Row: ueFirstRow + k}
	}
}

func (b *book) writeUnitEconomics() error {
	sheet := SheetUnitEconomics
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 0, YSplit: ueHeaderRow, TopLeftCell: ref(1, ueFirstRow), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for _, w := range []struct {
		c     int
		width float64
	}{{uePartnership, 22}, {ueCategory, 22}, {ueMonths, 22}, {ueFigure, 40}, {ueValue, 16}} {
		if err := sw.SetColWidth(w.c, w.c, w.width); err != nil {
			return err
		}
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
	for i, h := range []string{"Partnership", "Category", "Months", "Figure the Statement's lines share", "Value"} {
		head[i] = excelize.Cell{StyleID: b.lk.Header, Value: h}
	}
	if err := sw.SetRow(ref(1, ueHeaderRow), head, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	g := b.model.Graph()
	for k, r := range b.ueRows {
		row := ueFirstRow + k
		who, what := "(several)", ""
		if r.partnership >= 0 {
			ps := &b.p.Partnerships[r.partnership]
			who = ps.ID
			what = labelPartnershipRows
			if r.category >= 0 {
				what = ps.Categories[r.category].ID
			}
		}
		months := ""
		if r.first >= 0 {
			months = monthLabel(b.p.Start.Add(r.first))
			if r.last > r.first {
				months += " – " + monthLabel(b.p.Start.Add(r.last))
			}
		}
		label := g.Label(r.id)
		if label == "" {
			label = "(shared by several lines)"
		}
		f, biased := b.pr.Formula(r.id, sheet)
		if biased {
			b.tieBreaks = append(b.tieBreaks, sheet+"!"+ref(ueValue, row))
		}
		if len(f) > maxFormulaLength {
			return fmt.Errorf("report: %s!%s: formula of %d characters; Excel allows %d", sheet, ref(ueValue, row), len(f), maxFormulaLength)
		}
		value, err := formulaValue(f, num(b.vals[r.id]), b.lk.Figure)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref(1, row), []any{
			textCell(who, 0, b.lk.Text), textCell(what, 0, b.lk.Text), months, textCell(label, 0, b.lk.Text), value,
		}); err != nil {
			return err
		}
	}
	return sw.Flush()
}
