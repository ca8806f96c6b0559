package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
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

func TestWorkbookCalcCellValue(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"small.json", "larkspur.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pkg := writeBook(t, Options{Portfolio: loadPortfolio(t, name)})
			// excelize v2.11.1 evaluates NPV over the first cell of a range only
			// (NPV(0.01,A1:A36) = A1/1.01): LibreOffice checks those cells.
			bad, skipped, err := checkCalcCellValues(openBook(t, pkg), pkg, halfCent, "NPV(")
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range bad {
				if i == 30 {
					t.Errorf("... and %d more", len(bad)-30)
					break
				}
				t.Error(m)
			}
			cells, _ := cachedFormulaCells(pkg)
			t.Logf("%d formula cells, %d skipped", len(cells), skipped)
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
	return Options{
		Portfolio: p, Comparison: c, Breaches: breaches, Tornado: tornado, Spider: spider, Table: table,
		Fairness: fair, Version: "v0.0.0-test", Seed: 42, Trials: 0,
	}
}

func TestWorkbookLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	pkg := writeBook(t, larkspurOptions(t))
	bad, n := libreOfficeMismatches(t, pkg, halfCent)
	for i, m := range bad {
		if i == 30 {
			t.Errorf("... and %d more", len(bad)-30)
			break
		}
		t.Error(m)
	}
	t.Logf("compared %d formula cells", n)
}
