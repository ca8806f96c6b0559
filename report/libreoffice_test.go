package report

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/internal/lotest"
)

// loCell is one formula cell as LibreOffice recalculated it.
type loCell = lotest.Cell

// requireLibreOffice returns the python interpreter that can import uno.
// Without LibreOffice the test is skipped, except on CI (CI=true), where a
// missing LibreOffice must not pass silently.
func requireLibreOffice(t *testing.T) string {
	t.Helper()
	return lotest.Python(t)
}

// recalcWithLibreOffice recalculates the workbook at path in headless
// LibreOffice (testdata/recalc.py: load, calculateAll, read every formula
// cell) and returns the results by sheet and A1 reference.
func recalcWithLibreOffice(t *testing.T, path string) map[string]map[string]loCell {
	t.Helper()
	script, err := filepath.Abs(filepath.Join("testdata", "recalc.py"))
	if err != nil {
		t.Fatal(err)
	}
	return lotest.Recalc(t, script, path)
}

// TestMain stops the LibreOffice the package's recalculations share.
func TestMain(m *testing.M) {
	code := m.Run()
	lotest.Stop()
	os.Exit(code)
}

// libreOfficeMismatches recalculates the saved workbook pkg in LibreOffice
// and describes every formula cell whose cached value is missing, is an
// error, or differs from LibreOffice's result by more than tol. It also
// returns the number of formula cells.
func libreOfficeMismatches(t *testing.T, pkg []byte, tol float64) ([]string, int) {
	t.Helper()
	cells, err := cachedFormulaCells(pkg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	lo := recalcWithLibreOffice(t, path)
	var bad []string
	for _, c := range cells {
		where := c.Sheet + "!" + c.Ref + " =" + c.Formula
		got, ok := lo[c.Sheet][c.Ref]
		switch {
		case !ok:
			bad = append(bad, where+": LibreOffice does not see a formula there")
		case got.Error != 0:
			bad = append(bad, fmt.Sprintf("%s: LibreOffice gives error %d (%s)", where, got.Error, got.Text))
		case !c.HasCached:
			bad = append(bad, fmt.Sprintf("%s: no cached value (LibreOffice: %s)", where, got.Text))
		case c.Type == "e":
			bad = append(bad, fmt.Sprintf("%s: cached value is the error %s", where, c.Cached))
		case c.Type == "str" || c.Type == "inlineStr":
			if !cachedValuesAgree(c.Cached, got.Text, tol) {
				bad = append(bad, fmt.Sprintf("%s: cached %q, LibreOffice %q", where, c.Cached, got.Text))
			}
		default:
			if !cachedValuesAgree(c.Cached, formatFloat(*got.Value), tol) {
				bad = append(bad, fmt.Sprintf("%s: cached %s, LibreOffice %v", where, c.Cached, *got.Value))
			}
		}
	}
	return bad, len(cells)
}

// checkLibreOfficeParity fails t for every formula cell of pkg whose cached
// value LibreOffice does not reproduce within tol (see
// libreOfficeMismatches), and when pkg has no formula at all.
func checkLibreOfficeParity(t *testing.T, pkg []byte, tol float64) int {
	t.Helper()
	bad, n := libreOfficeMismatches(t, pkg, tol)
	if n == 0 {
		t.Error("workbook has no formula cells")
	}
	for _, b := range bad {
		t.Error(b)
	}
	return n
}

// checkParity is checkLibreOfficeParity showing at most 30 problems. The
// workbook's own formulas are checked in LibreOffice, not with excelize's
// calculation engine, which mis-evaluates some of the formulas the
// model's fee rules print (x*MAX(0,MIN(a,b)-MAX(c,d)) inside a SUM, for
// one) and NPV over a range.
func checkParity(t *testing.T, pkg []byte) int {
	t.Helper()
	bad, n := libreOfficeMismatches(t, pkg, halfCent)
	if n == 0 {
		t.Error("workbook has no formula cells")
	}
	for i, m := range bad {
		if i == 30 {
			t.Errorf("... and %d more", len(bad)-30)
			break
		}
		t.Error(m)
	}
	return n
}
