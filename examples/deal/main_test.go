package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/report"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The example runs on the sample portfolio and deal, prints the orders
// milestone's plan value (checked against the statement's expected
// orders of amazon-us, January to June, summed here by hand), and writes
// a workbook whose Deal terms sheet holds live XNPV and XIRR formulas.
func TestDealExample(t *testing.T) {
	root := filepath.Join("..", "..")
	out := filepath.Join(t.TempDir(), "deal.xlsx")
	var w bytes.Buffer
	if err := run(&w, filepath.Join(root, "testdata", "larkspur.json"), filepath.Join(root, "testdata", "specs", "larkspur.uncertainty.json"),
		filepath.Join(root, "testdata", "specs", "larkspur.deal.json"), 200, out); err != nil {
		t.Fatal(err)
	}
	p, err := costmodel.LoadFile(filepath.Join(root, "testdata", "larkspur.json"))
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

func TestGroup(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "999": "999", "1000": "1,000", "-1234567": "-1,234,567"} {
		if got := group(in); got != want {
			t.Errorf("group(%s) = %s, want %s", in, got, want)
		}
	}
}
