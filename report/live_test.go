package report

import (
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
	changed, values := applyEdits(t, base, edits)
	compared, moved := recalcCompare(t, base, changed, values, modelSheets)
	t.Logf("%d cells compared, %d of them changed by the edit", compared, moved)
	// eBay's commission alone moves 2 categories × 36 months and their
	// subtotals and totals; the four edits move thousands of cells.
	if moved < 1000 {
		t.Errorf("only %d cells changed: the edit did not flow through the model", moved)
	}
}

// modelSheets keeps the cells that follow the Assumptions in the edit
// tests: the Statement, the Unit economics and the Summary's figures
// (its column B; the ranking's order may change with the figures).
func modelSheets(sheet, ref string) bool {
	if sheet == SheetSummary {
		return strings.HasPrefix(ref, "B")
	}
	return sheet == SheetStatement || sheet == SheetUnitEconomics
}
