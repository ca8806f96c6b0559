package report

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/xuri/excelize/v2"
)

// SheetAllocated is the fully loaded view of the statement (the
// portfolio's allocation rules, costmodel.AllocationRule), written only
// when the portfolio has allocation rules: the Statement's columns for
// each partnership × category × month and each partnership's own row,
// with the partnership-level lines the rules cover moved to the
// categories. Every cell is a live formula: a line the allocation leaves
// alone refers to its Statement cell, an allocated share is
// ROUND(amount × weight ÷ total weight, 2) over the Statement's cells
// (the last category takes the remainder), and the subtotals are sums of
// the row's own cells. Partnership totals, channels and the portfolio are
// the Statement's: the allocation moves costs between rows, not in or out.
const SheetAllocated = "Allocated"

// allocatedLayout is where each row block of the Allocated sheet starts:
// rows[i][j] for category j of partnership i, own[i] for its own row.
type allocatedLayout struct {
	rows [][]int
	own  []int
	last int
}

// layoutAllocated gives the allocated view's nodes that have no cell yet
// their home on the Allocated sheet.
func (b *book) layoutAllocated() allocatedLayout {
	m := b.model
	g := m.Graph()
	var lay allocatedLayout
	row := 2
	place := func(nb *costmodel.BlockNodes, first int) {
		for t := range b.p.Months {
			for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
				id := nb.Monthly[t][l]
				if k := g.Nodes[id].Kind; k == graph.Const || k == graph.Input || b.home[id].Col != 0 {
					continue
				}
				b.home[id] = graph.Ref{Sheet: SheetAllocated, Col: lineCol(l), Row: first + t}
			}
		}
	}
	for i := range b.p.Partnerships {
		var cats []int
		for j := range b.p.Partnerships[i].Categories {
			cats = append(cats, row)
			place(m.ViewRowNodes(costmodel.Allocated, m.Row(i, j)), row)
			row += b.p.Months
		}
		lay.rows = append(lay.rows, cats)
		lay.own = append(lay.own, row)
		place(m.ViewRowNodes(costmodel.Allocated, m.OwnRow(i)), row)
		row += b.p.Months
	}
	lay.last = row - 1
	return lay
}

func (b *book) writeAllocatedIfAny() error {
	if !b.model.HasAllocation() {
		return nil
	}
	lay := b.layoutAllocated()
	sheet := SheetAllocated
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: stMonth, YSplit: 1, TopLeftCell: ref(stMonth+1, 2), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	lastCol := lineCol(costmodel.NumLines - 1)
	if err := sw.SetColWidth(stPartnership, stMonth, 14); err != nil {
		return err
	}
	if err := sw.SetColWidth(stPeriod, lastCol, 13); err != nil {
		return err
	}
	if err := sw.SetRow("A1", b.statementHeader()[:lastCol], excelize.RowOpts{Height: 45}); err != nil {
		return err
	}
	m := b.model
	for i := range b.p.Partnerships {
		ps := &b.p.Partnerships[i]
		write := func(nb, orders *costmodel.BlockNodes, first int, kind, category string) error {
			for t := range b.p.Months {
				r := b.newRow(first + t)
				s := b.describeRow(r, kind, ps.ID, ps.Channel, category, t, &ps.LaunchMonth)
				b.allocatedCell(r, stOrders, orders.Orders[t], s.orders)
				for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
					id := nb.Monthly[t][l]
					if l.IsSubtotal() && m.Graph().Nodes[id].Kind == graph.Const {
						r.formula(lineCol(l), b.termsOf(r, l), num(m.Graph().Const(id)), s.money)
						continue
					}
					b.allocatedCell(r, lineCol(l), id, s.of(l))
				}
				if err := sw.SetRow(ref(1, r.row), r.cells[:lastCol], excelize.RowOpts{OutlineLevel: s.outline}); err != nil {
					return err
				}
			}
			return nil
		}
		for j := range ps.Categories {
			if err := write(m.ViewRowNodes(costmodel.Allocated, m.Row(i, j)), m.RowNodes(m.Row(i, j)), lay.rows[i][j], rowCategory, ps.Categories[j].ID); err != nil {
				return err
			}
		}
		if err := write(m.ViewRowNodes(costmodel.Allocated, m.OwnRow(i)), m.PartnershipNodes(i), lay.own[i], rowPartnershipLevel, labelPartnershipRows); err != nil {
			return err
		}
	}
	b.printTitles(sheet, stMonth)
	if err := b.f.AutoFilter(sheet, fmt.Sprintf("A1:%s", ref(lastCol, max(lay.last, 2))), nil); err != nil {
		return err
	}
	return sw.Flush()
}

// allocatedCell writes node id into a cell of an Allocated row: its
// formula where the cell is its home (or it has none), a reference to its
// home otherwise (a Statement cell, or the cell of the same node in an
// earlier row).
func (b *book) allocatedCell(r *stRow, column int, id graph.ID, style int) {
	g := b.model.Graph()
	if g.Nodes[id].Kind == graph.Const {
		if v := g.Const(id); !v.IsZero() {
			r.formula(column, v.String(), num(v), style)
		}
		return
	}
	here := graph.Ref{Sheet: SheetAllocated, Col: column, Row: r.row}
	home := b.home[id]
	var f string
	switch {
	case home == here || home.Col == 0:
		var biased bool
		f, biased = b.pr.Formula(id, SheetAllocated)
		if biased {
			b.tieBreaks = append(b.tieBreaks, SheetAllocated+"!"+r.ref(column))
		}
	case home.Rows > 1:
		f = "SUM(" + absRange(home.Sheet, home.Col, home.Row, home.Col, home.Row+home.Rows-1) + ")"
	case home.Sheet == SheetAllocated:
		f = ref(home.Col, home.Row)
	default:
		f = absRef(home.Sheet, home.Col, home.Row)
	}
	r.formula(column, f, num(b.vals[id]), style)
}
