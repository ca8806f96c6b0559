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
	values := map[string]any{}
	changed := base.Clone()
	for address, v := range edits {
		values[address] = dec(v).InexactFloat64()
		if _, err := changed.Set(address, dec(v)); err != nil {
			t.Fatal(err)
		}
	}
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
		if c.Sheet != sheet {
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
