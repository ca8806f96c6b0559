package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// loadPortfolio reads a portfolio from the repository's testdata.
func loadPortfolio(t testing.TB, name string) *costmodel.Portfolio {
	t.Helper()
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// writeBook writes the workbook for opt and returns its bytes.
func writeBook(t testing.TB, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, opt); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("MARGINAL_KEEP_XLSX"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".xlsx"), buf.Bytes(), 0o644)
	}
	return buf.Bytes()
}

func openBook(t testing.TB, pkg []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(pkg))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// sampleOptions is a workbook of the benchmark generator's portfolio,
// small enough for a test: it has every fee shape, including volume-tiered
// revenue share with a minimum guarantee, which the testdata portfolios
// lack.
func sampleOptions() Options { return Options{Portfolio: sample.Benchmark(5, 3, 14)} }

// TestWorkbookParity recalculates the workbooks of the testdata, a
// benchmark-shaped portfolio and currencies of 0 and 3 decimals in
// LibreOffice: every formula gives its cached value, the exact statement.
func TestWorkbookParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	for _, name := range []string{"small.json", "larkspur.json", "sample", "JPY", "KWD"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var opt Options
			switch name {
			case "sample":
				opt = sampleOptions()
			case "JPY", "KWD": // no minor unit, three decimals
				opt = Options{Portfolio: loadPortfolio(t, "larkspur.json")}
				opt.Portfolio.Currency = name
			default:
				opt = Options{Portfolio: loadPortfolio(t, name)}
			}
			n := checkParity(t, writeBook(t, opt))
			t.Logf("%d formula cells", n)
		})
	}
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// larkspurOptions are the options of a full workbook for larkspur.json:
// three scenarios compared with guardrails, a tornado, a spider, a two-way
// table and a renegotiation of the eBay-like marketplace's rate.
func larkspurOptions(t testing.TB) Options {
	t.Helper()
	p := loadPortfolio(t, "larkspur.json")
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	check(err)
	cut, err := scenario.CompetitiveShift(p, scenario.CompetitiveShiftOptions{Categories: "*/beauty", PriceCut: dec("0.05")})
	check(err)
	fee, err := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "ebay", PercentagePoints: dec("0.02")})
	check(err)
	c, err := scenario.Compare(p, peak, cut, fee)
	check(err)
	minRatio, minCM3 := dec("0.2"), dec("0.3")
	rails := scenario.Guardrails{
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.ContributionRatio, Min: &minRatio},
		{Name: "category CM3 at least 30 %", Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: &minCM3},
	}
	breaches, err := rails.CheckComparison(c)
	check(err)
	contribution := scenario.Output{Metric: scenario.Contribution}
	ten := dec("0.1")
	tornado, err := scenario.RunTornado(p, contribution, []scenario.Input{
		scenario.Percent("amazon-us/beauty/orders", ten),
		scenario.Percent("ebay/commission/rate", ten),
		scenario.Percent("*/*/unit_cost", ten),
		scenario.Percent("own-shop/marketing/rate", dec("0.2")),
		{Target: "amazon-us/clothing/return_rate", Op: costmodel.SetTo, Low: dec("0.15"), High: dec("0.30"), Label: "Amazon clothing returns 15–30 %"},
	})
	check(err)
	spider, err := scenario.RunSpider(p, contribution, []string{"*/*/orders", "*/*/unit_cost", "ebay/commission/rate"},
		[]decimal.Decimal{dec("0.8"), dec("0.9"), dec("1"), dec("1.1"), dec("1.2")})
	check(err)
	table, err := scenario.RunTable(p, scenario.Output{Scope: scenario.Partnership, Key: "ebay", Metric: scenario.Contribution},
		scenario.Axis{Target: "ebay/commission/rate", Op: costmodel.SetTo, Values: []decimal.Decimal{dec("0.10"), dec("0.12"), dec("0.136"), dec("0.15")}},
		scenario.Axis{Target: "ebay/*/orders", Op: costmodel.Multiply, Values: []decimal.Decimal{dec("0.8"), dec("1"), dec("1.2")}})
	check(err)
	fair, err := scenario.Fairness(p, scenario.Negotiation{
		Partnership: "ebay",
		Partner:     scenario.PartnerCosts{PerOrder: dec("0.50"), Monthly: dec("200")},
		Proposed:    &fee,
	})
	check(err)
	// A small simulation with the fee rise on the same draws, so that the
	// Monte Carlo, Samples, Summary and Renegotiation sheets carry results.
	spec, err := montecarlo.LoadFile(filepath.Join("..", "testdata", "specs", "larkspur.uncertainty.json"), p)
	check(err)
	q, err := fee.Apply(p)
	check(err)
	sim, paired, err := montecarlo.RunPaired(context.Background(), p, spec, montecarlo.Options{Trials: 2000, Seed: 42, Fans: []scenario.Output{{Metric: scenario.Contribution}}},
		scenario.Output{Scope: scenario.Partnership, Key: "ebay", Metric: scenario.Contribution},
		montecarlo.Alternative{Name: fee.Name, Portfolio: q})
	check(err)
	return Options{
		Portfolio: p, Comparison: c, Breaches: breaches, Tornado: tornado, Spider: spider, Table: table,
		Fairness: fair, Version: "v0.0.0-test", Seed: sim.Seed, Trials: sim.Trials,
		Simulation: sim, Paired: paired, SampleRows: 500,
	}
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestWorkbookLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	for _, c := range []struct {
		name string
		opt  func(testing.TB) Options
	}{
		{"larkspur", larkspurOptions},
		{"sample", func(testing.TB) Options { return sampleOptions() }},
		{"larkspur-JPY", func(t testing.TB) Options {
			p := loadPortfolio(t, "larkspur.json")
			p.Currency = "JPY"
			return Options{Portfolio: p}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pkg := writeBook(t, c.opt(t))
			bad, n := libreOfficeMismatches(t, pkg, halfCent)
			for i, m := range bad {
				if i == 30 {
					t.Errorf("... and %d more", len(bad)-30)
					break
				}
				t.Error(m)
			}
			t.Logf("compared %d formula cells", n)
		})
	}
}

func TestWriteDeterministic(t *testing.T) {
	t.Parallel()
	opt := larkspurOptions(t)
	first := writeBook(t, opt)
	// excelize writes stream sheets and content types in map order, which
	// changes from run to run: several writes catch an unstable save.
	for i := range 4 {
		var buf bytes.Buffer
		if err := Write(&buf, opt); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("write %d differs from the first", i+2)
		}
	}
	// WriteFile writes the same bytes.
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := WriteFile(path, opt); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, first) {
		t.Errorf("WriteFile wrote different bytes (%v)", err)
	}
}

// TestStatementIsLive checks that every figure of the Statement below the
// heading is a formula, except the descriptive columns and the orders of
// months before a partnership's launch (nothing happens then).
func TestStatementIsLive(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"small.json", "larkspur.json"} {
		p := loadPortfolio(t, name)
		f := openBook(t, writeBook(t, Options{Portfolio: p}))
		rows, err := f.GetRows(SheetStatement)
		if err != nil {
			t.Fatal(err)
		}
		formulas := 0
		for r := 2; r <= len(rows); r++ {
			for c := stOrders; c <= stColumns; c++ {
				cell := ref(c, r)
				v, _ := f.GetCellValue(SheetStatement, cell)
				if v == "" {
					continue
				}
				if fm, _ := f.GetCellFormula(SheetStatement, cell); fm != "" {
					formulas++
					continue
				}
				if c == stOrders && v == "0.0" {
					continue
				}
				t.Errorf("%s: Statement!%s holds the constant %q", name, cell, v)
			}
		}
		if formulas == 0 {
			t.Errorf("%s: no formulas", name)
		}
		about, _ := f.GetCellValue(SheetAbout, "A1")
		if about == "" {
			t.Errorf("%s: About sheet empty", name)
		}
	}
}

func TestSheetNames(t *testing.T) {
	t.Parallel()
	pkg := writeBook(t, larkspurOptions(t))
	want := []string{SheetSummary, SheetAnnualPL, SheetAssumptions, SheetUnitEconomics, SheetStatement, SheetScenarios, SheetSensitivity, SheetMonteCarlo, SheetSamples, SheetRenegotiation, SheetFairness, SheetAbout}
	if got := openBook(t, pkg).GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("sheets %v, want %v", got, want)
	}
}

// hostile is small.json with names and channels that look like formulas
// or break sheet names.
func hostile(t testing.TB) *costmodel.Portfolio {
	p := loadPortfolio(t, "small.json")
	p.Name = `=HYPERLINK("http://evil.example","click")`
	p.Partnerships[0].Name = "+1+2"
	p.Partnerships[0].Channel = "@SUM(A1:A9)"
	p.Partnerships[1].Name = "History: [shop]/*?"
	p.Partnerships[1].Channel = "-own'shop"
	p.Partnerships[1].Categories[0].Name = "\t=cmd|' /C calc'!A0"
	return p
}

// TestTextStaysText writes user text that starts like a formula: it must
// be stored as text, and the only formulas are the workbook's own.
func TestTextStaysText(t *testing.T) {
	t.Parallel()
	p := hostile(t)
	pkg := writeBook(t, Options{Portfolio: p})
	cells, err := cachedFormulaCells(pkg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if strings.Contains(c.Formula, "HYPERLINK") || strings.Contains(c.Formula, "cmd") || strings.HasPrefix(c.Formula, "SUM(A1:A9)") {
			t.Errorf("%s!%s: user text stored as the formula %q", c.Sheet, c.Ref, c.Formula)
		}
	}
	f := openBook(t, pkg)
	for _, want := range []struct{ sheet, cell, text string }{
		{SheetSummary, "A1", p.Name},
		{SheetStatement, "B2", "@SUM(A1:A9)"},
	} {
		if got, _ := f.GetCellValue(want.sheet, want.cell); got != want.text {
			t.Errorf("%s!%s = %q, want %q", want.sheet, want.cell, got, want.text)
		}
	}
	checkParity(t, pkg)
}

// TestIdleMonthsAndAdjustments covers a partnership launched after an idle
// month (payback counts from its first cash flow) and month-limited
// adjustments: each is an input on the Assumptions that the formulas of
// its months read, no Statement cell is a constant, and LibreOffice
// reproduces the exact statement.
func TestIdleMonthsAndAdjustments(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	p := loadPortfolio(t, "small.json")
	p.Partnerships[1].LaunchMonth = 1
	adjusted := peakAdjusted(t, p)
	for _, q := range []*costmodel.Portfolio{p, adjusted} {
		st, err := costmodel.Evaluate(q)
		if err != nil {
			t.Fatal(err)
		}
		if pb := st.Partnerships[1].Measures.Payback; !pb.Reached || pb.Month != 2 {
			t.Fatalf("shop payback %+v, want month 2 (the test assumes it)", pb)
		}
		pkg := writeBook(t, Options{Portfolio: q, Statement: st})
		checkParity(t, pkg)
		f := openBook(t, pkg)
		checkNoConstants(t, f, fmt.Sprintf("%d adjustments", len(q.Adjustments)))
		// Each adjustment's value is an input, and some formula reads it.
		cells, err := cachedFormulaCells(pkg)
		if err != nil {
			t.Fatal(err)
		}
		for k := range q.Adjustments {
			name := fmt.Sprintf("adjustments.%d.value", k+1)
			v, err := f.GetCellValue(SheetAssumptions, "F"+fmt.Sprint(len(q.Drivers())+2+k))
			if err != nil || v == "" {
				t.Errorf("adjustment %d: no value on the Assumptions (%v)", k+1, err)
			}
			used := 0
			for _, c := range cells {
				if c.Sheet == SheetStatement || c.Sheet == SheetUnitEconomics {
					if strings.Contains(c.Formula, name) {
						used++
					}
				}
			}
			if used == 0 {
				t.Errorf("no formula reads %s", name)
			}
		}
	}
}

// peakAdjusted is p with the month-limited adjustments of a ready-made
// peak-season scenario.
func peakAdjusted(t testing.TB, p *costmodel.Portfolio) *costmodel.Portfolio {
	t.Helper()
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	adjusted, err := peak.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(adjusted.Adjustments) == 0 {
		t.Fatal("the peak scenario gives no adjustments (the test assumes some)")
	}
	return adjusted
}

// checkNoConstants fails t for every Statement figure below the heading
// that is not a formula, except the orders of months before a launch.
func checkNoConstants(t *testing.T, f *excelize.File, what string) {
	t.Helper()
	rows, err := f.GetRows(SheetStatement)
	if err != nil {
		t.Fatal(err)
	}
	for r := 2; r <= len(rows); r++ {
		for c := stOrders; c <= stColumns; c++ {
			cell := ref(c, r)
			v, _ := f.GetCellValue(SheetStatement, cell)
			if v == "" {
				continue
			}
			if fm, _ := f.GetCellFormula(SheetStatement, cell); fm != "" || c == stOrders && v == "0.0" {
				continue
			}
			t.Errorf("%s: Statement!%s holds the constant %q", what, cell, v)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := Write(&buf, Options{}); err == nil {
		t.Error("no portfolio: no error")
	}
	p := loadPortfolio(t, "small.json")
	other, err := costmodel.Evaluate(loadPortfolio(t, "larkspur.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(&buf, Options{Portfolio: p, Statement: other}); err == nil {
		t.Error("a statement of another portfolio: no error")
	}
	// Same shape, other numbers: the cached values would disagree.
	changed := p.Clone()
	changed.Partnerships[0].Categories[0].ReturnRate = dec("0.11")
	otherNumbers, err := costmodel.Evaluate(changed)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(&buf, Options{Portfolio: p, Statement: otherNumbers}); err == nil || !strings.Contains(err.Error(), "not the statement of") {
		t.Errorf("a statement of the same shape with other numbers: %v", err)
	}
	bad := p.Clone()
	bad.Partnerships[0].Categories[0].ReturnRate = dec("2")
	if err := Write(&buf, Options{Portfolio: bad}); err == nil || !strings.Contains(err.Error(), "market/mugs/return_rate") {
		t.Errorf("an invalid portfolio: %v", err)
	}
}
