package report

import (
	"bytes"
	"slices"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
)

func healthOptions(t *testing.T) Options {
	t.Helper()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	a, err := actuals.ReadCSV(bytes.NewReader(marginal.SampleActuals()), p, costmodel.Month{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := actuals.NewModel(p, a)
	if err != nil {
		t.Fatal(err)
	}
	ag, err := actuals.ReadAgreements(marginal.SampleAgreements(), p)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Portfolio: p, Actuals: m, Agreements: ag}
}

// The health sheets are in the workbook, their states say what the
// health check says, and the bridge's actual foots to the model's.
func TestHealthSheets(t *testing.T) {
	t.Parallel()
	opt := healthOptions(t)
	f := openBook(t, writeBook(t, opt))
	defer f.Close()
	for _, s := range []string{SheetActuals, SheetHealth, SheetBridge} {
		if !slices.Contains(f.GetSheetList(), s) {
			t.Errorf("no %s sheet", s)
		}
	}
	rows, err := f.GetRows(SheetActuals)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rows) - 1; n != len(opt.Actuals.Records()) {
		t.Errorf("Actuals sheet has %d records, want %d", n, len(opt.Actuals.Records()))
	}
	hs, err := opt.Actuals.Health(opt.Agreements)
	if err != nil {
		t.Fatal(err)
	}
	breached := 0
	for _, h := range hs {
		for _, w := range h.Windows {
			if w.State == actuals.Breached {
				breached++
			}
		}
	}
	hrows, _ := f.GetRows(SheetHealth)
	got := 0
	for _, r := range hrows {
		if len(r) > 7 && r[7] == "breached" {
			got++
		}
	}
	if got != breached || breached == 0 {
		t.Errorf("Health sheet shows %d breached windows, the health check %d", got, breached)
	}
}

// LibreOffice recalculates every formula of the workbook with the health
// sheets to its cached value.
func TestHealthSheetsLibreOfficeParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	n := checkParity(t, writeBook(t, healthOptions(t)))
	t.Logf("%d formula cells", n)
}
