package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/report"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The round trip: the sample review's workbook, one Assumptions cell
// edited, then review -assumptions on it alone. The new workbook has the
// same sheets (the hidden Specs sheet too), the same scenarios, rules,
// uncertainty, tornado, renegotiation and run settings, and figures that
// follow the edit.
func TestReviewRoundTrip(t *testing.T) {
	dir := t.TempDir()
	first, csv1 := filepath.Join(dir, "first.xlsx"), filepath.Join(dir, "first.csv")
	var out, errb bytes.Buffer
	if err := run(context.Background(), config{out: first, csv: csv1, trials: 1000}, &out, &errb); err != nil {
		t.Fatal(err)
	}

	// Edit etsy/home-decor/unit_cost... whichever etsy category comes
	// first: its unit cost 1.5 times what it was.
	const address = "etsy/" // the first etsy unit cost on the sheet
	f, err := excelize.OpenFile(first)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(report.SheetAssumptions, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	addrCol, valCol := slices.Index(rows[0], "Driver address"), slices.Index(rows[0], "Value")
	if addrCol < 0 || valCol < 0 {
		t.Fatalf("Assumptions headings: %q", rows[0])
	}
	var edited, category string
	var old decimal.Decimal
	for i, r := range rows[1:] {
		if a := r[addrCol]; strings.HasPrefix(a, address) && strings.HasSuffix(a, "/unit_cost") && strings.Count(a, "/") == 2 {
			edited, category = a, strings.Split(a, "/")[1]
			old = decimal.RequireFromString(r[valCol])
			cell, _ := excelize.CoordinatesToCellName(valCol+1, i+2)
			if err := f.SetCellValue(report.SheetAssumptions, cell, old.Mul(decimal.RequireFromString("1.5")).InexactFloat64()); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if edited == "" {
		t.Fatal("no etsy unit cost on the Assumptions sheet")
	}
	editedBook := filepath.Join(dir, "edited.xlsx")
	if err := f.SaveAs(editedBook); err != nil {
		t.Fatal(err)
	}
	f.Close()

	second, csv2 := filepath.Join(dir, "second.xlsx"), filepath.Join(dir, "second.csv")
	out.Reset()
	if err := run(context.Background(), config{assumptions: editedBook, out: second, csv: csv2}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "the specs it records") {
		t.Errorf("stdout:\n%s", out.String())
	}

	// The same sheets, in the same order.
	if a, b := sheets(t, first), sheets(t, second); !slices.Equal(a, b) {
		t.Errorf("sheets differ:\n first  %q\n second %q", a, b)
	} else {
		for _, want := range []string{"Scenarios", "Sensitivity", "Monte Carlo", "Renegotiation", "Guardrails", "Uncertainty", report.SheetSpecs} {
			if !slices.Contains(a, want) {
				t.Errorf("no %s sheet in %q", want, a)
			}
		}
	}
	// The same specs, run settings included (1,000 trials, the sample's
	// seed), on the edited portfolio.
	p1, s1 := readSpecs(t, first)
	p2, s2 := readSpecs(t, second)
	if j1, j2 := jsonOf(t, s1), jsonOf(t, s2); j1 != j2 {
		t.Errorf("specs differ:\n%s\n%s", j1, j2)
	}
	if s2.Trials != 1000 || len(s2.Scenarios) != 5 || len(s2.Guardrails) != 4 || s2.Tornado == nil || s2.Renegotiation == nil || s2.Uncertainty == nil {
		t.Errorf("second review's specs: %d trials, %d scenarios, %d guardrails", s2.Trials, len(s2.Scenarios), len(s2.Guardrails))
	}
	v1, _ := p1.Driver(edited)
	v2, _ := p2.Driver(edited)
	if !v1.Value.Equal(old) || !v2.Value.Equal(old.Mul(decimal.RequireFromString("1.5"))) {
		t.Errorf("%s: recorded %s then %s, want %s then 1.5 times it", edited, v1.Value, v2.Value, old)
	}

	// The figures follow the edit: the category's COGS (the unit cost of
	// the items kept) is 1.5 times what it was each month, within the
	// rounding of two lines to the cent; its GMV is unchanged.
	c1, c2 := lines(t, csv1, "etsy", category), lines(t, csv2, "etsy", category)
	checked := 0
	for key, a := range c1 {
		b := c2[key]
		switch {
		case strings.HasSuffix(key, "|cogs"):
			want := a.Mul(decimal.RequireFromString("1.5"))
			if b.Sub(want).Abs().GreaterThan(decimal.RequireFromString("0.0125")) {
				t.Errorf("%s: COGS %s after the edit, want 1.5 × %s = %s", key, b, a, want)
			}
			checked++
		case strings.HasSuffix(key, "|gmv"):
			if !a.Equal(b) {
				t.Errorf("%s: GMV moved from %s to %s with a unit cost", key, a, b)
			}
		}
	}
	if checked == 0 {
		t.Fatalf("no COGS line of etsy/%s in the CSV", category)
	}
}

// A tampered Specs sheet is refused with the cell, the part and the JSON
// path of each problem.
func TestReviewTamperedSpecs(t *testing.T) {
	dir := t.TempDir()
	first := filepath.Join(dir, "first.xlsx")
	var out, errb bytes.Buffer
	if err := run(context.Background(), config{out: first, trials: -1}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(first)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetSheetVisible(report.SheetSpecs); v {
		t.Error("the Specs sheet is visible")
	}
	rows, _ := f.GetRows(report.SheetSpecs)
	var scenCell string
	for i, r := range rows {
		if len(r) > 1 && r[0] == "scenarios" {
			scenCell, _ = excelize.CoordinatesToCellName(2, i+1)
			r[1] = strings.Replace(r[1], `"op":"multiply"`, `"op":"divide"`, 1)
			f.SetCellValue(report.SheetSpecs, scenCell, r[1])
		}
		if len(r) > 1 && r[0] == "tornado" {
			cell, _ := excelize.CoordinatesToCellName(2, i+1)
			f.SetCellValue(report.SheetSpecs, cell, `{"inputs": "all of them"}`)
		}
	}
	bad := filepath.Join(dir, "bad.xlsx")
	if err := f.SaveAs(bad); err != nil {
		t.Fatal(err)
	}
	f.Close()
	err = run(context.Background(), config{assumptions: bad, out: filepath.Join(dir, "x.xlsx")}, &out, &errb)
	if err == nil {
		t.Fatal("a tampered Specs sheet was accepted")
	}
	t.Log(err)
	for _, want := range []string{bad, "Specs!" + scenCell + " (scenarios): scenarios[", ".op", "divide", "(tornado): inputs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.xlsx")); err == nil {
		t.Error("a workbook was written from tampered specs")
	}
}

func sheets(t *testing.T, path string) []string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.GetSheetList()
}

func readSpecs(t *testing.T, path string) (*costmodel.Portfolio, *report.Specs) {
	t.Helper()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	p, s, err := report.ReadSpecs(in)
	if err != nil {
		t.Fatal(err)
	}
	return p, s
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lines reads the statement CSV's lines of one category: month|line →
// amount.
func lines(t *testing.T, path, partnership, category string) map[string]decimal.Decimal {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]decimal.Decimal{}
	for _, r := range recs[1:] {
		if r[0] == partnership && r[2] == category {
			out[r[3]+"|"+r[4]] = decimal.RequireFromString(r[5])
		}
	}
	return out
}

// -portfolio testdata/larkspur.json runs what the quickstart runs (the
// Monte Carlo run included); a portfolio the sample review does not fit
// is told each part left out and why.
func TestReviewPortfolioKeepsTheSampleReview(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	c := config{portfolio: filepath.Join("..", "..", "testdata", "larkspur.json"), out: filepath.Join(dir, "l.xlsx"), trials: 500, progress: true}
	if err := run(context.Background(), c, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"monte carlo: 500 trials, seed 20261127", "renegotiation with feedlink: a bargaining range exists: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "left out") {
		t.Errorf("the sample review left a part out on the sample portfolio:\n%s", out.String())
	}
	// -progress draws the bar although stderr is not a terminal.
	if !strings.Contains(errb.String(), "monte carlo [") || !strings.Contains(errb.String(), "500/500") {
		t.Errorf("stderr with -progress:\n%s", errb.String())
	}

	out.Reset()
	c = config{portfolio: filepath.Join("..", "..", "testdata", "small.json"), out: filepath.Join(dir, "s.xlsx")}
	if err := run(context.Background(), c, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sample review: scenario amazon-us outage: left out, it does not fit this portfolio: ",
		"sample review: the renegotiation with feedlink: left out", "no Monte Carlo run"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
}
