package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The stale flag in LibreOffice: on the workbook as written every notice
// is empty and the count of changed inputs is 0; after one Assumptions
// value is edited, the count is 1 and every sheet of computed figures says
// STALE with the refresh command; once the workbook is written again from
// the edited Assumptions (ReadAssumptions), the notices are empty again.
func TestStaleFlagLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	opt := someTrialsIdle(t)
	opt.SampleRows = 50
	pkg := writeBook(t, opt)
	notices := []struct{ sheet, cell string }{
		{SheetSummary, "A3"}, {SheetScenarios, "A3"}, {SheetMonteCarlo, "A3"}, {SheetSamples, "A2"},
	}
	dir := t.TempDir()
	check := func(what string, pkg []byte, changed float64) {
		t.Helper()
		path := filepath.Join(dir, what+".xlsx")
		if err := os.WriteFile(path, pkg, 0o644); err != nil {
			t.Fatal(err)
		}
		got := recalcWithLibreOffice(t, path)
		count := got[SheetAssumptions][ref(assumChanged, 1)]
		if count.Value == nil || *count.Value != changed {
			t.Errorf("%s: %d inputs changed, LibreOffice counts %+v", what, int(changed), count)
		}
		for _, n := range notices {
			c, ok := got[n.sheet][n.cell]
			switch {
			case !ok:
				t.Errorf("%s: no stale flag formula at %s!%s", what, n.sheet, n.cell)
			case changed == 0 && c.Text != "":
				t.Errorf("%s: %s!%s shows %q, want nothing (the figures are current)", what, n.sheet, n.cell, c.Text)
			case changed > 0 && (!strings.HasPrefix(c.Text, "STALE: 1 input") || !strings.Contains(c.Text, "-assumptions")):
				t.Errorf("%s: %s!%s shows %q, want the stale notice with the refresh command", what, n.sheet, n.cell, c.Text)
			}
		}
	}
	check("written", pkg, 0)

	// Edit one input, as a user would in Excel.
	f := openBook(t, pkg)
	cell := ref(assumValue, 2)
	v, err := f.GetCellValue(SheetAssumptions, cell, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue(SheetAssumptions, cell, 1.5*parseFloat(t, v)+1); err != nil {
		t.Fatal(err)
	}
	var edited bytes.Buffer
	if err := f.Write(&edited); err != nil {
		t.Fatal(err)
	}
	check("edited", edited.Bytes(), 1)

	// Written again from the edited Assumptions: current again.
	q, err := ReadAssumptions(bytes.NewReader(edited.Bytes()), opt.Portfolio)
	if err != nil {
		t.Fatal(err)
	}
	again := opt
	again.Portfolio, again.Statement = q, nil
	check("rewritten", writeBook(t, again), 0)
}

func parseFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}
