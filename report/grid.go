package report

import (
	"github.com/xuri/excelize/v2"
)

// grid writes the cells of a normal (non-stream) sheet, recording the
// first error in the book (see book.fail) so that sheet builders read as
// a list of cells.
type grid struct {
	b     *book
	sheet string
}

func (b *book) grid(sheet string) grid { return grid{b: b, sheet: sheet} }

// text writes user or label text as text, never as a formula.
func (g grid) text(c, r int, s string, style int) {
	cell := ref(c, r)
	g.b.fail(setText(g.b.f, g.sheet, cell, s, g.b.lk.Text))
	if style != 0 && !startsLikeFormula(s) {
		g.b.fail(g.b.f.SetCellStyle(g.sheet, cell, cell, style))
	}
}

// value writes a number (or a bool) with a style.
func (g grid) value(c, r int, v any, style int) {
	cell := ref(c, r)
	g.b.fail(g.b.f.SetCellValue(g.sheet, cell, v))
	if style != 0 {
		g.b.fail(g.b.f.SetCellStyle(g.sheet, cell, cell, style))
	}
}

// formula writes a formula with its cached value.
func (g grid) formula(c, r int, formula string, v any, style int) {
	cell := ref(c, r)
	g.b.fail(setFormula(g.b.f, g.b.fc, g.sheet, cell, formula, v))
	if style != 0 {
		g.b.fail(g.b.f.SetCellStyle(g.sheet, cell, cell, style))
	}
}

// header writes a row of column headings from column c.
func (g grid) header(c, r int, heads ...string) {
	for i, h := range heads {
		g.text(c+i, r, h, g.b.lk.Header)
	}
}

// width sets the width of columns from..to.
func (g grid) width(from, to int, w float64) {
	g.b.fail(g.b.f.SetColWidth(g.sheet, col(from), col(to), w))
}

// freeze freezes the rows above row and the columns before column.
func (g grid) freeze(column, row int) {
	g.b.fail(g.b.f.SetPanes(g.sheet, &excelize.Panes{
		Freeze: true, XSplit: column - 1, YSplit: row - 1,
		TopLeftCell: ref(column, row), ActivePane: activePane(column, row),
	}))
}

func activePane(column, row int) string {
	switch {
	case column > 1 && row > 1:
		return "bottomRight"
	case column > 1:
		return "topRight"
	}
	return "bottomLeft"
}

// na is the text of a figure that is not defined (a ratio over zero net
// sales) or not computed (a simulation that was not run).
const na = "n/a"
