package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/report"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The example runs on the sample portfolio and deal embedded in the
// library, from a directory with no files in it (as CI runs it), prints the orders
// milestone's plan value (checked against the statement's expected
// orders of amazon-us, January to June, summed here by hand), and writes
// a workbook whose Deal terms sheet holds live XNPV and XIRR formulas.
func TestDealExample(t *testing.T) {
	t.Chdir(t.TempDir())
	out := "deal.xlsx"
	var w bytes.Buffer
	if err := run(&w, "", "", "", 200, out, true); err != nil {
		t.Fatal(err)
	}
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := st.Partnership("amazon-us")
	orders := decimal.Zero
	for _, c := range ps.Categories {
		for m := range 6 {
			orders = orders.Add(c.Orders[m])
		}
	}
	for _, want := range []string{"orders ≥ 23,500.00 over 2026-01 to 2026-06, else stop", money(orders), "P(met)", "option value", "XNPV at", "XIRR: ", "Wrote "} {
		if !strings.Contains(w.String(), want) {
			t.Errorf("no %q in:\n%s", want, w.String())
		}
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetDeal)
	if err != nil {
		t.Fatal(err)
	}
	var formulas string
	for r := range rows {
		for c := range rows[r] {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := f.GetCellFormula(report.SheetDeal, cell); fm != "" {
				formulas += fm + "\n"
			}
		}
	}
	for _, fn := range []string{"XNPV(", "XIRR("} {
		if !strings.Contains(formulas, fn) {
			t.Errorf("no live %s formula on the Deal terms sheet", fn)
		}
	}
}

// Files named on the command line are read instead of the samples: the
// sample's own files give the same plan, and a file that is not there is
// an error naming it.
func TestDealExampleFiles(t *testing.T) {
	root := filepath.Join("..", "..")
	var fromFiles, embedded bytes.Buffer
	if err := run(&fromFiles, filepath.Join(root, "testdata", "larkspur.json"), filepath.Join(root, "testdata", "specs", "larkspur.uncertainty.json"),
		filepath.Join(root, "testdata", "specs", "larkspur.deal.json"), 200, "", true); err != nil {
		t.Fatal(err)
	}
	if err := run(&embedded, "", "", "", 200, "", true); err != nil {
		t.Fatal(err)
	}
	if fromFiles.String() != embedded.String() {
		t.Errorf("the sample's files and the embedded sample differ:\n%s\n---\n%s", fromFiles.String(), embedded.String())
	}
	missing := filepath.Join(t.TempDir(), "nowhere.deal.json")
	err := run(io.Discard, "", "", missing, 50, "", true)
	if err == nil || !strings.Contains(err.Error(), "nowhere.deal.json") {
		t.Errorf("a missing deal file: error %v, want one naming it", err)
	}
}

func TestMoneyFormats(t *testing.T) {
	if got := money(decimal.RequireFromString("-1234567.125")); got != "-1,234,567.13" {
		t.Errorf("money = %s", got)
	}
	if got := whole(1234567.49); got != "1,234,567" {
		t.Errorf("whole = %s", got)
	}
}

// -trials 0 (or 1, or a negative count) is refused before any work, with
// what is expected.
func TestTrialsRefused(t *testing.T) {
	for _, n := range []int{0, 1, -5} {
		var w strings.Builder
		err := run(&w, "", "", "", n, "", true)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("-trials %d: expected 2 to 100,000,000 trials", n)) || w.Len() > 0 {
			t.Errorf("-trials %d: %v (output %q)", n, err, w.String())
		}
	}
}
