package report

import (
	"testing"
)

// TestTwoCurrencyParity writes the workbook of the two-currency sample
// (USD with an EUR marketplace at monthly FX rates) and checks every
// formula cell in LibreOffice against the exact model's cached value: the
// conversion formulas (ROUND(EUR line × rate, 2)) are the graph's.
func TestTwoCurrencyParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	p := loadPortfolio(t, "larkspur-eu.json")
	n := checkParity(t, writeBook(t, Options{Portfolio: p}))
	t.Logf("%d formula cells agree", n)
}

// TestFXRatesLive edits two months' EUR rates on the Assumptions sheet,
// recalculates in LibreOffice, and compares the Statement with Go's
// evaluation of the portfolio with those rates: the FX rates are live
// inputs of the workbook.
func TestFXRatesLive(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	edits := map[string]string{"portfolio/fx/eur/month/10": "1.25", "portfolio/fx/eur/month/20": "0.91"}
	compared, moved := recalcAfterEdits(t, loadPortfolio(t, "larkspur-eu.json"), edits, SheetStatement)
	t.Logf("%d Statement cells compared, %d changed by the edit", compared, moved)
	if moved < 20 {
		t.Errorf("only %d cells changed: the FX rates did not flow through the workbook", moved)
	}
}

// TestCurrencyUnits checks which driver units get the money input format.
func TestCurrencyUnits(t *testing.T) {
	for unit, want := range map[string][2]bool{
		"CUR per EUR": {true, false}, "CUR per XYZ": {false, false}, "EUR/item": {false, true}, "EUR": {false, true},
		"JPY/month": {false, true}, "orders/month": {false, false}, "eur/item": {false, false}, "GB/month": {false, false},
	} {
		if got := [2]bool{isFXUnit(unit), isLocalMoneyUnit(unit)}; got != want {
			t.Errorf("%q: FX, local money = %v, want %v", unit, got, want)
		}
	}
}
