package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// SheetAnnualPL is the annual P&L: calendar years across, the margin
// waterfall down (GMV to net cash flow, with the margins in % of net
// sales), for the portfolio, each channel and each partnership. Every
// figure is a live formula over the Statement: a partnership's line in a
// year is the SUM of its monthly total rows of that year in the line's
// column, the portfolio's the SUM of the portfolio's monthly rows, a
// channel's the sum of its partnerships' figures on this sheet; the
// grouped cost lines (selling costs, marketing, running costs) are the
// differences of the margins around them, which are those costs by the
// Statement's definition of the margins. The cached values are the exact
// statement's sums. Costs are shown negative, so that each block foots
// down its column.
const SheetAnnualPL = "Annual P&L"

// Rows of the Annual P&L's top: title, note, column headings; the first
// block starts below.
const (
	plHeadRow  = 4
	plFirstRow = plHeadRow + 1
	plLabelCol = 1
	plYear0Col = 2 // the first year's column
)

// plYear is one column of the annual P&L: the months first..last (0 is
// the horizon's first month) of one calendar year.
type plYear struct {
	Label       string
	First, Last int
}

// plYears are the calendar years of a horizon of months from start; a
// year the horizon covers only in part says which months ("2026 (Jun–Dec)").
func plYears(start costmodel.Month, months int) []plYear {
	var out []plYear
	for t := 0; t < months; {
		m := start.Add(t)
		last := min(t+(12-int(m.Month)), months-1)
		y := plYear{Label: fmt.Sprint(m.Year), First: t, Last: last}
		if end := start.Add(last); m.Month != time.January || end.Month != time.December {
			y.Label += " (" + m.Month.String()[:3]
			if last > t {
				y.Label += "–" + end.Month.String()[:3]
			}
			y.Label += ")"
		}
		out = append(out, y)
		t = last + 1
	}
	return out
}

// plLine is one line of the annual P&L. A line read from the Statement
// (from ≠ 0 or Line set) is its column's sum, times sign; a grouped cost
// (diff) is margin below − margin above, the rows of the lines minus and
// plus in the same block.
type plLine struct {
	Label    string
	Line     costmodel.Line
	Sign     int
	Subtotal bool
	// Diff is set for a grouped cost: the line is Line − Above (both
	// margins), negative for a cost.
	Diff  bool
	Above costmodel.Line
}

// plLines are the annual P&L's lines in order.
var plLines = []plLine{
	{Label: "GMV", Line: costmodel.LineGMV, Sign: 1},
	{Label: "Refunds", Line: costmodel.LineRefunds, Sign: -1},
	{Label: "Net sales", Line: costmodel.LineNetSales, Sign: 1, Subtotal: true},
	{Label: "Cost of goods sold", Line: costmodel.LineCOGS, Sign: -1},
	{Label: "CM1", Line: costmodel.LineCM1, Sign: 1, Subtotal: true},
	{Label: "Selling costs (commission, payment, fulfilment, shipping, returns)", Line: costmodel.LineCM2, Diff: true, Above: costmodel.LineCM1},
	{Label: "CM2", Line: costmodel.LineCM2, Sign: 1, Subtotal: true},
	{Label: "Marketing", Line: costmodel.LineCM3, Diff: true, Above: costmodel.LineCM2},
	{Label: "CM3", Line: costmodel.LineCM3, Sign: 1, Subtotal: true},
	{Label: "Running costs (integration, support, maintenance)", Line: costmodel.LineContribution, Diff: true, Above: costmodel.LineCM3},
	{Label: "Contribution", Line: costmodel.LineContribution, Sign: 1, Subtotal: true},
	{Label: "Set-up", Line: costmodel.LineSetup, Sign: -1},
	{Label: "Net cash flow", Line: costmodel.LineNetCashFlow, Sign: 1, Subtotal: true},
}

// plRatios are the margins shown under the lines, in % of net sales.
var plRatios = []struct {
	Label string
	Line  costmodel.Line
}{
	{"CM1 margin", costmodel.LineCM1},
	{"CM2 margin", costmodel.LineCM2},
	{"CM3 margin", costmodel.LineCM3},
	{"Contribution margin", costmodel.LineContribution},
}

// plBlockRows is the height of one block: its title, the lines, the
// ratios and a blank row.
var plBlockRows = 1 + len(plLines) + len(plRatios) + 1

// plBlocksPerPage is how many blocks an upright A4 page holds at the
// sheet's width (four, the first page with the title and headings).
const plBlocksPerPage = 4

// plRowOf is the row of a statement line's figure in the block starting
// at row top (its title row); 0 when the P&L does not show the line.
func plRowOf(top int, l costmodel.Line) int {
	for i, pl := range plLines {
		if pl.Line == l && !pl.Diff {
			return top + 1 + i
		}
	}
	return 0
}

// plBlock is one block of the annual P&L being written.
type plBlock struct {
	title string
	blk   *costmodel.Block
	// cell is the formula of a Statement line over months first..last:
	// its sum, unsigned, or with the P&L's sign when signed.
	cell   func(l costmodel.Line, first, last int) string
	signed bool
}

func (b *book) writeAnnualPL() error {
	sheet := SheetAnnualPL
	b.pageSetup(sheet, 1)
	b.portrait(sheet)
	g := b.grid(sheet)
	lk := b.lk
	whole := strings.ReplaceAll(lk.AxisFormat, "[Red]", "")
	money, err := b.f.NewStyle(styleMoney(whole, false))
	if err != nil {
		return err
	}
	moneySub, err := b.f.NewStyle(styleMoney(whole, true))
	if err != nil {
		return err
	}
	headRight, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: solidFill(headerFill),
		Border: []excelize.Border{{Type: "bottom", Color: borderColour, Style: 1}}, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center"}})
	if err != nil {
		return err
	}
	years := plYears(b.p.Start, b.p.Months)
	totalCol := plYear0Col + len(years)

	g.text(1, 1, "Annual P&L", lk.Title)
	g.text(1, 2, fmt.Sprintf("Each year is the sum of the Statement's months (live formulas); costs are negative; margins are %% of net sales. %s to %s, %s.",
		monthLabel(b.p.Start), monthLabel(b.p.Start.Add(b.p.Months-1)), b.cur), lk.Note)
	g.text(plLabelCol, plHeadRow, "Line", lk.Header)
	for k, y := range years {
		g.text(plYear0Col+k, plHeadRow, y.Label, headRight)
	}
	g.text(totalCol, plHeadRow, "Total", headRight)

	stCol := func(l costmodel.Line) int { return lineCol(l) }
	statementSum := func(firstRow int) func(costmodel.Line, int, int) string {
		return func(l costmodel.Line, first, last int) string {
			return "SUM(" + absRange(SheetStatement, stCol(l), firstRow+first, stCol(l), firstRow+last) + ")"
		}
	}
	// Blocks: the portfolio, the channels, the partnerships; a channel's
	// figures sum its partnerships' blocks, which come after it.
	top := plFirstRow
	partTop := make([]int, len(b.p.Partnerships))
	nBlocks := 1 + len(b.st.ByChannel)
	for i := range partTop {
		partTop[i] = plFirstRow + (nBlocks+i)*plBlockRows
	}
	blocks := []plBlock{{title: "Portfolio", blk: &b.st.Portfolio, cell: statementSum(b.stmt.total)}}
	for c := range b.st.ByChannel {
		ch := &b.st.ByChannel[c]
		var tops []int
		for i, ps := range b.p.Partnerships {
			if ps.Channel == ch.Key {
				tops = append(tops, partTop[i])
			}
		}
		// year → column: the partnerships' figures in the same column.
		blocks = append(blocks, plBlock{title: "Channel: " + labelOr(ch.Key, "(no channel)"), blk: &ch.Block, signed: true})
		blocks[len(blocks)-1].cell = func(l costmodel.Line, first, _ int) string {
			k := b.yearIndex(years, first)
			var parts []string
			for _, t := range tops {
				parts = append(parts, ref(plYear0Col+k, plRowOf(t, l)))
			}
			if len(parts) == 0 {
				return "0"
			}
			return "SUM(" + strings.Join(parts, ",") + ")"
		}
	}
	for i := range b.p.Partnerships {
		ps := &b.st.Partnerships[i]
		title := labelOr(ps.Name, ps.ID)
		if ps.Name != "" && ps.Name != ps.ID {
			title += " (" + ps.ID + ")"
		}
		blocks = append(blocks, plBlock{title: "Partnership: " + title, blk: &ps.Total, cell: statementSum(b.stmt.partnerships[i].total)})
	}

	for n, blk := range blocks {
		// plBlocksPerPage blocks to a printed page, none split across two
		if n > 0 && n%plBlocksPerPage == 0 {
			b.fail(b.f.InsertPageBreak(sheet, ref(1, top)))
		}
		g.text(plLabelCol, top, blk.title, lk.TotalText)
		for c := plYear0Col; c <= totalCol; c++ {
			g.text(c, top, "", lk.TotalText)
		}
		for i, pl := range plLines {
			r := top + 1 + i
			style := money
			label := pl.Label
			if pl.Subtotal {
				style = moneySub
				g.text(plLabelCol, r, label, lk.Bold)
			} else {
				g.text(plLabelCol, r, "  "+label, 0)
			}
			for k, y := range years {
				c := plYear0Col + k
				var f string
				var v decimal.Decimal
				if pl.Diff {
					f = ref(c, plRowOf(top, pl.Line)) + "-" + ref(c, plRowOf(top, pl.Above))
					v = yearSum(blk.blk, pl.Line, y).Sub(yearSum(blk.blk, pl.Above, y))
				} else {
					f = blk.cell(pl.Line, y.First, y.Last)
					if pl.Sign < 0 && !blk.signed {
						f = "-" + f
					}
					v = yearSum(blk.blk, pl.Line, y)
					if pl.Sign < 0 {
						v = v.Neg()
					}
				}
				g.formula(c, r, f, num(v), style)
			}
			all := plYear{First: 0, Last: b.p.Months - 1}
			v := yearSum(blk.blk, pl.Line, all)
			switch {
			case pl.Diff:
				v = v.Sub(yearSum(blk.blk, pl.Above, all))
			case pl.Sign < 0:
				v = v.Neg()
			}
			g.formula(totalCol, r, fmt.Sprintf("SUM(%s:%s)", ref(plYear0Col, r), ref(totalCol-1, r)), num(v), style)
		}
		ns := plRowOf(top, costmodel.LineNetSales)
		for i, rt := range plRatios {
			r := top + 1 + len(plLines) + i
			g.text(plLabelCol, r, "  "+rt.Label, lk.Note)
			for k := 0; k <= len(years); k++ {
				c := plYear0Col + k
				y := plYear{First: 0, Last: b.p.Months - 1}
				if k < len(years) {
					y = years[k]
				}
				var v any = na
				if den := yearSum(blk.blk, costmodel.LineNetSales, y); !den.IsZero() {
					v = num(yearSum(blk.blk, rt.Line, y).DivRound(den, 10))
				}
				g.formula(c, r, fmt.Sprintf(`IF(%s=0,"%s",%s/%s)`, ref(c, ns), na, ref(c, plRowOf(top, rt.Line)), ref(c, ns)), v, lk.Percent)
			}
		}
		top += plBlockRows
	}
	g.width(plLabelCol, plLabelCol, 52)
	g.width(plYear0Col, totalCol, 17)
	g.freeze(plYear0Col, plFirstRow)
	b.printRows(sheet, plHeadRow, plHeadRow, 0)
	return nil
}

// yearIndex is the column index of the year whose first month is first.
func (b *book) yearIndex(years []plYear, first int) int {
	for k, y := range years {
		if y.First == first {
			return k
		}
	}
	b.fail(fmt.Errorf("report: internal error: no year starts at month %d", first))
	return 0
}

// yearSum is line l of a block summed over the months of y.
func yearSum(blk *costmodel.Block, l costmodel.Line, y plYear) decimal.Decimal {
	s := decimal.Zero
	for t := y.First; t <= y.Last && t < len(blk.Monthly); t++ {
		s = s.Add(blk.Monthly[t][l])
	}
	return s
}

// styleMoney is the annual P&L's whole-currency style (thousands
// separators, no cents, negatives with a minus and not in red: costs are
// negative by convention here), bold over a rule for a subtotal.
func styleMoney(format string, subtotal bool) *excelize.Style {
	s := &excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Horizontal: "right"}}
	if subtotal {
		s.Font = &excelize.Font{Bold: true}
		s.Border = []excelize.Border{{Type: "top", Color: borderColour, Style: 1}}
	}
	return s
}
