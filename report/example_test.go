package report_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/report"
	"github.com/xuri/excelize/v2"
)

func small() *costmodel.Portfolio {
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// The workbook of a portfolio, written to any io.Writer.
func ExampleWrite() {
	var buf bytes.Buffer
	if err := report.Write(&buf, report.Options{Portfolio: small()}); err != nil {
		log.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fmt.Println(strings.Join(f.GetSheetList(), ", "))
	// The Statement's cells are formulas over the Assumptions' names and
	// the figures its lines share (a category's GMV per order, on the
	// Unit economics sheet).
	for _, cell := range []string{"I2", "J2", "L2"} {
		formula, _ := f.GetCellFormula(report.SheetStatement, cell)
		fmt.Println(formula)
	}
	gmvPerOrder, _ := f.GetCellFormula(report.SheetUnitEconomics, "E4")
	fmt.Println(gmvPerOrder)
	// Output:
	// Summary, Annual P&L, Assumptions, Unit economics, Statement, Scenarios, Sensitivity, Monte Carlo, Renegotiation, Fairness, About
	// market.mugs.orders*market.mugs.seasonality.nov
	// ROUND(I2*'Unit economics'!$E$4,2)
	// J2-K2
	// market.mugs.units_per_order*market.mugs.price+market.mugs.shipping_charge
}

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "marginal")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "review.xlsx")
	if err := report.WriteFile(path, report.Options{Portfolio: small(), Title: "Mug review"}); err != nil {
		log.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	title, _ := f.GetCellValue(report.SheetSummary, "A1")
	fmt.Println(title)
	fmt.Println(len(f.GetSheetList()), "sheets")
	// Output:
	// Mug review
	// 11 sheets
}

// A finance user changes the marketplace's commission rate on the
// Assumptions sheet; reading the sheet back gives the portfolio to
// evaluate.
func ExampleReadAssumptions() {
	p := small()
	var buf bytes.Buffer
	if err := report.Write(&buf, report.Options{Portfolio: p}); err != nil {
		log.Fatal(err)
	}
	// The edit, as excelize (or a person in Excel) makes it.
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		log.Fatal(err)
	}
	rows, _ := f.GetRows(report.SheetAssumptions)
	for i, row := range rows {
		if row[0] == "market/commission/rate" {
			_ = f.SetCellValue(report.SheetAssumptions, fmt.Sprintf("F%d", i+1), 0.12)
		}
	}
	var edited bytes.Buffer
	if err := f.Write(&edited); err != nil {
		log.Fatal(err)
	}
	f.Close()

	q, err := report.ReadAssumptions(&edited, p)
	if err != nil {
		log.Fatal(err)
	}
	for _, port := range []*costmodel.Portfolio{p, q} {
		st, err := costmodel.Evaluate(port)
		if err != nil {
			log.Fatal(err)
		}
		d, _ := port.Driver("market/commission/rate")
		ps, _ := st.Partnership("market")
		fmt.Println("rate", d.Value, "market contribution", ps.Total.Total[costmodel.LineContribution])
	}
	// Three points less on 370 mugs with a $25 fee base is $277.50 less
	// commission, of which $22.20 would have been refunded on the 37
	// returns (80 % of it): $255.30 more contribution.
	// Output:
	// rate 0.15 market contribution 1476
	// rate 0.12 market contribution 1731.3
}

func ExampleWriteStatementCSV() {
	st, err := costmodel.Evaluate(small())
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.WriteStatementCSV(&buf, st); err != nil {
		log.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	fmt.Println(strings.Join(lines[:4], "\n"))
	// Output:
	// partnership,channel,category,month,line,amount
	// market,marketplace,mugs,2026-11,gmv,3750.00
	// market,marketplace,mugs,2026-11,refunds,300.00
	// market,marketplace,mugs,2026-11,net_sales,3450.00
}
