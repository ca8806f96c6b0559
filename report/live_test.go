package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLiveModel proves that the workbook is a working model: change rates
// on the Assumptions sheet, let LibreOffice recalculate, and the Unit
// economics, the Statement and the Summary's portfolio figures equal Go's
// evaluation of the portfolio with those drivers set, within half a cent
// per cell.
func TestLiveModel(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	base := loadPortfolio(t, "larkspur.json")
	edits := map[string]string{
		"amazon-us/beauty/return_rate":                             "0.06",
		"ebay/commission/rate":                                     "0.15",
		"feedlink/data_transfer/band/1/price":                      "0.095",
		"amazon-us/electronics-accessories/commission/tier/1/rate": "0.16",
	}
	values := map[string]any{}
	changed := base.Clone()
	for address, v := range edits {
		values[address] = dec(v).InexactFloat64()
		if _, err := changed.Set(address, dec(v)); err != nil {
			t.Fatal(err)
		}
	}
	original := writeBook(t, Options{Portfolio: base})
	edited := editAssumptions(t, original, values)
	path := filepath.Join(t.TempDir(), "edited.xlsx")
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	lo := recalcWithLibreOffice(t, path)

	// Go's values for the changed portfolio are the cached values of its
	// own workbook, whose layout is the same.
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
	compared, moved := 0, 0
	for _, c := range want {
		if c.Sheet == SheetSummary && !strings.HasPrefix(c.Ref, "B") {
			continue // the ranking's order may change with the figures
		}
		if c.Sheet != SheetStatement && c.Sheet != SheetUnitEconomics && c.Sheet != SheetSummary {
			continue
		}
		got, ok := lo[c.Sheet][c.Ref]
		key := c.Sheet + "!" + c.Ref
		switch {
		case !ok:
			t.Errorf("%s: not a formula after the edit", key)
			continue
		case got.Error != 0:
			t.Errorf("%s: LibreOffice error %d", key, got.Error)
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
	t.Logf("%d cells compared, %d of them changed by the edit", compared, moved)
	// eBay's commission alone moves 2 categories × 36 months and their
	// subtotals and totals; the four edits move thousands of cells.
	if moved < 1000 {
		t.Errorf("only %d cells changed: the edit did not flow through the model", moved)
	}
}
