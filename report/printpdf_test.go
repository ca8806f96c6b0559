package report

import (
	"strings"
	"testing"
)

// Every sheet prints fitted to its width, with the running header
// (portfolio, sheet name) and footer (page of pages, date), and the
// Statement and the Samples print only their summary rows.
func TestPrintSetup(t *testing.T) {
	t.Parallel()
	opt := someTrialsIdle(t)
	opt.SampleRows = 50
	f := openBook(t, writeBook(t, opt))
	for _, sheet := range f.GetSheetList() {
		lay, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if lay.FitToWidth == nil || *lay.FitToWidth < 1 || *lay.FitToWidth > 2 {
			t.Errorf("%s: fit to %v pages wide, want 1 or 2", sheet, lay.FitToWidth)
		}
		if lay.FitToHeight == nil || *lay.FitToHeight != 0 {
			t.Errorf("%s: fit to %v pages high, want as many as needed (0)", sheet, lay.FitToHeight)
		}
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(hf.OddHeader, "&A") || !strings.Contains(hf.OddHeader, hfText(opt.Portfolio.Name)) {
			t.Errorf("%s: header %q lacks the portfolio or the sheet name", sheet, hf.OddHeader)
		}
		if !strings.Contains(hf.OddFooter, "Page &P of &N") || !strings.Contains(hf.OddFooter, "&D") {
			t.Errorf("%s: footer %q lacks the page numbers or the date", sheet, hf.OddFooter)
		}
	}
	areas := map[string]string{}
	titles := map[string]bool{}
	for _, dn := range f.GetDefinedName() {
		switch dn.Name {
		case "_xlnm.Print_Area":
			areas[dn.Scope] = dn.RefersTo
		case "_xlnm.Print_Titles":
			titles[dn.Scope] = true
		}
	}
	for _, s := range []string{SheetStatement, SheetSamples} {
		if areas[s] == "" {
			t.Errorf("%s has no print area: it would print every row", s)
		}
	}
	for _, s := range []string{SheetSummary, SheetAssumptions, SheetStatement, SheetScenarios, SheetMonteCarlo} {
		if !titles[s] {
			t.Errorf("%s repeats no heading rows on its pages", s)
		}
	}
}

// The page count of the quickstart's workbook as LibreOffice prints it:
// TestSampleReviewPrintedPages (samplereview_test.go).
