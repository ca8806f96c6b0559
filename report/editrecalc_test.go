package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// recalcAfterEdits writes base's workbook, sets the driver addresses of
// edits (decimal strings) on its Assumptions sheet, recalculates the
// edited file in LibreOffice and compares every formula cell of sheet
// with the cached value of the workbook Go writes for base with those
// edits applied, within half a cent. It reports how many cells it
// compared and how many of them the edits moved (their cached value
// before the edits differs): a live sheet moves, a pasted one does not.
func recalcAfterEdits(t *testing.T, base *costmodel.Portfolio, edits map[string]string, sheet string) (compared, moved int) {
	t.Helper()
	changed, values := applyEdits(t, base, edits)
	return recalcCompare(t, base, changed, values, func(sh, _ string) bool { return sh == sheet })
}

// applyEdits returns base with edits (driver address → decimal string)
// set, and the same edits as the Assumptions values that make them.
func applyEdits(t *testing.T, base *costmodel.Portfolio, edits map[string]string) (changed *costmodel.Portfolio, values map[string]any) {
	t.Helper()
	values = map[string]any{}
	changed = base.Clone()
	for address, v := range edits {
		values[address] = dec(v).InexactFloat64()
		if _, err := changed.Set(address, dec(v)); err != nil {
			t.Fatal(err)
		}
	}
	return changed, values
}

// recalcCompare is recalcAfterEdits for a changed portfolio made by the
// caller (an adjustment's value, which Portfolio.Set does not address)
// and the Assumptions values that make it (by driver address): every
// formula cell for which keep is true is compared.
func recalcCompare(t *testing.T, base, changed *costmodel.Portfolio, values map[string]any, keep func(sheet, ref string) bool) (compared, moved int) {
	t.Helper()
	original := writeBook(t, Options{Portfolio: base})
	path := filepath.Join(t.TempDir(), "edited.xlsx")
	if err := os.WriteFile(path, editAssumptions(t, original, values), 0o644); err != nil {
		t.Fatal(err)
	}
	lo := recalcWithLibreOffice(t, path)
	want, err := cachedFormulaCells(writeBook(t, Options{Portfolio: changed}))
	if err != nil {
		t.Fatal(err)
	}
	before, err := cachedFormulaCells(original)
	if err != nil {
		t.Fatal(err)
	}
	old := map[string]string{}
	for _, c := range before {
		old[c.Sheet+"!"+c.Ref] = c.Cached
	}
	for _, c := range want {
		if !keep(c.Sheet, c.Ref) {
			continue
		}
		key := c.Sheet + "!" + c.Ref
		got, ok := lo[c.Sheet][c.Ref]
		if !ok || got.Error != 0 {
			t.Errorf("%s: not a value after the edit (%+v)", key, got)
			continue
		}
		recalculated := got.Text
		if c.Type != "str" {
			recalculated = formatFloat(*got.Value)
		}
		if !cachedValuesAgree(c.Cached, recalculated, halfCent) {
			t.Errorf("%s =%s: LibreOffice %s after the edit, Go %s", key, c.Formula, recalculated, c.Cached)
		}
		compared++
		if !cachedValuesAgree(old[key], c.Cached, halfCent) {
			moved++
		}
	}
	return compared, moved
}
