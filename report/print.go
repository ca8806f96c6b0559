package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// How a sheet prints. Every sheet of the workbook, and every sheet a new
// part adds, calls pageSetup once, before anything is written to it (a
// stream sheet writes its page properties when its writer is created):
// landscape, fitted to pagesWide pages across (1 for all but the widest
// tables), as many pages down as needed, with the running header and
// footer of pageHeader. printRows then repeats the sheet's title or
// heading rows on every page, and printArea limits what prints.

// pageSetup prints a sheet in landscape, scaled to pagesWide pages wide
// (the pages run down as far as needed), with narrow margins and the
// workbook's header (portfolio, sheet) and footer (page of pages, the run's
// date).
func (b *book) pageSetup(sheet string, pagesWide int) {
	landscape := "landscape"
	wide, auto := pagesWide, 0
	fit := true
	paper := 9 // A4; Letter readers get the same scaling to width
	b.fail(b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}))
	// A sheet two pages wide prints each band of rows left page then
	// right page, so a table's two halves (and the charts beside a
	// table) print one after the other.
	order := "downThenOver"
	if pagesWide > 1 {
		order = "overThenDown"
	}
	b.fail(b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &auto, Size: &paper, PageOrder: &order}))
	side, top, hf := 0.4, 0.6, 0.25
	b.fail(b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &top, Bottom: &top, Header: &hf, Footer: &hf}))
	head, foot := b.pageHeader()
	b.fail(b.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddHeader: head, OddFooter: foot}))
}

// portrait prints a sheet upright: for long, narrow tables (the
// Assumptions, the Unit economics), which then take fewer pages. Call it
// after pageSetup.
func (b *book) portrait(sheet string) {
	o := "portrait"
	b.fail(b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &o}))
}

// pageHeader is the running header and footer of every printed page: the
// portfolio's name on the left and the sheet's name on the right; the page
// number of the sheet's pages in the centre of the footer and the run's
// date (Options.Date; without one, the date it is printed) on the right.
func (b *book) pageHeader() (header, footer string) {
	title := b.opt.Title
	if title == "" {
		title = labelOr(b.p.Name, "Partnership economics")
	}
	date := "printed &D"
	if !b.opt.Date.IsZero() {
		date = "run of " + b.opt.Date.UTC().Format("2 January 2006")
	}
	header = "&L&\"-,Bold\"" + hfText(title) + "&R&A"
	footer = "&LMarginal " + hfText(b.version()) + "&CPage &P of &N&R" + date
	return header, footer
}

// hfText escapes text for a header or footer, where "&" starts a code, and
// keeps it short enough for Excel's 255 characters per header.
func hfText(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return strings.ReplaceAll(s, "&", "&&")
}

// printRows repeats rows first..last at the top of every printed page of
// a sheet (its title and headings), and, when titleCols > 0, the first
// titleCols columns on every page across.
func (b *book) printRows(sheet string, first, last, titleCols int) {
	q := quoteSheet(sheet)
	refers := fmt.Sprintf("%s!$%d:$%d", q, first, last)
	if titleCols > 0 {
		refers = fmt.Sprintf("%s!$A:$%s,%s", q, col(titleCols), refers)
	}
	b.fail(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: refers, Scope: sheet}))
}

// printTitles repeats the first row on every printed page and, when
// titleCols > 0, the first titleCols columns on every page across, so a
// page of later columns still says whose row each is.
func (b *book) printTitles(sheet string, titleCols int) { b.printRows(sheet, 1, 1, titleCols) }

// printArea limits what a sheet prints to the rectangle from column c1,
// row r1 to column c2, row r2: the long sheets (the Statement, the
// Samples) print their summary part and keep the rest on screen.
func (b *book) printArea(sheet string, c1, r1, c2, r2 int) {
	b.fail(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: absRange(sheet, c1, r1, c2, r2), Scope: sheet}))
}

// version is the library version the workbook names (Options.Version, or
// the running binary's).
func (b *book) version() string {
	if v := b.opt.Version; v != "" {
		return v
	}
	return libraryVersion()
}
