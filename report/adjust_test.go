package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// A workbook of a portfolio with month-limited adjustments reads back to
// the same portfolio, adjustments included; an edited adjustment value
// reads back as the new value.
func TestAdjustmentsRoundTrip(t *testing.T) {
	t.Parallel()
	p := peakAdjusted(t, loadPortfolio(t, "larkspur.json"))
	pkg := writeBook(t, Options{Portfolio: p})
	back, err := ReadAssumptions(bytes.NewReader(pkg), p)
	if err != nil {
		t.Fatal(err)
	}
	if mustHash(t, back) != mustHash(t, p) {
		t.Error("the workbook reads back to a different portfolio")
	}
	// The base given to ReadAssumptions supplies the structure; the
	// values come from the sheet: read onto a base whose adjustment values
	// differ, the workbook's values come back.
	other := p.Clone()
	for k := range other.Adjustments {
		other.Adjustments[k].Value = other.Adjustments[k].Value.Add(dec("0.5"))
	}
	back, err = ReadAssumptions(bytes.NewReader(pkg), other)
	if err != nil {
		t.Fatal(err)
	}
	for k := range p.Adjustments {
		if got, want := back.Adjustments[k].Value, p.Adjustments[k].Value; !got.Equal(want) {
			t.Errorf("adjustment %d: read %s, the workbook has %s", k+1, got, want)
		}
	}
	edited := editAssumptions(t, pkg, map[string]any{"adjustments/1/value": 1.75})
	back, err = ReadAssumptions(bytes.NewReader(edited), p)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Adjustments[0].Value; !got.Equal(dec("1.75")) {
		t.Errorf("edited adjustment reads back as %s, want 1.75", got)
	}
	// A row of an adjustment removed is a problem, as a driver's is.
	f := openBook(t, pkg)
	cell := assumptionCell(t, f, "adjustments/1/value")
	row := strings.TrimLeft(cell, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	if err := f.SetCellValue(SheetAssumptions, "A"+row, ""); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAssumptions(&buf, p); err == nil || !strings.Contains(err.Error(), "adjustments/1/value") {
		t.Errorf("missing adjustment row: %v", err)
	}
}

// TestAdjustmentEditLibreOffice proves that an adjustment is a live input:
// change its value on the Assumptions sheet, recalculate in LibreOffice,
// and the Statement, Unit economics and Summary equal Go's evaluation of
// the portfolio with that value, and cells of the adjusted months moved.
func TestAdjustmentEditLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	base := peakAdjusted(t, loadPortfolio(t, "larkspur.json"))
	changed := base.Clone()
	changed.Adjustments[0].Value = changed.Adjustments[0].Value.Add(dec("0.25"))
	if _, err := costmodel.Evaluate(changed); err != nil {
		t.Fatal(err)
	}
	values := map[string]any{"adjustments/1/value": changed.Adjustments[0].Value.InexactFloat64()}
	compared, moved := recalcCompare(t, base, changed, values, modelSheets)
	t.Logf("%d cells compared, %d of them changed by the edit", compared, moved)
	if moved < 20 {
		t.Errorf("only %d cells changed: the adjustment's edit did not flow through the Statement", moved)
	}
}

// TestGeneratedParity recalculates in LibreOffice the workbooks of
// portfolios drawn by costmodel's random generator (every fee shape,
// tiers at their edges, adjustments, launch months; kept in
// testdata/generated): every formula gives the exact statement's value,
// with no constant in the Statement, and each reads back to its portfolio.
func TestGeneratedParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	files, err := filepath.Glob(filepath.Join("..", "testdata", "generated", "*.json"))
	if err != nil || len(files) < 5 {
		t.Fatalf("generated portfolios: %v %v", files, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			p, err := costmodel.LoadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			pkg := writeBook(t, Options{Portfolio: p})
			n := checkParity(t, pkg)
			checkNoConstants(t, openBook(t, pkg), filepath.Base(file))
			back, err := ReadAssumptions(bytes.NewReader(pkg), p)
			if err != nil {
				t.Fatal(err)
			}
			if mustHash(t, back) != mustHash(t, p) {
				t.Error("the workbook reads back to a different portfolio")
			}
			t.Logf("%d formula cells, %d adjustments", n, len(p.Adjustments))
		})
	}
}
