package report

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSaveDeterministic(t *testing.T) {
	t.Parallel()
	first := buildSampleWorkbook(t).save(t)
	// Map order is random per iteration, so several builds are needed to
	// catch an order-dependent save.
	for i := range 8 {
		if got := buildSampleWorkbook(t).save(t); !bytes.Equal(got, first) {
			t.Fatalf("build %d: workbook bytes differ from the first build", i+2)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry %q, want [Content_Types].xml", zr.File[0].Name)
	}
	for i := 1; i < len(zr.File); i++ {
		if !zipEntryOrder(zr.File[i-1].Name, zr.File[i].Name) {
			t.Errorf("entries %q and %q out of order", zr.File[i-1].Name, zr.File[i].Name)
		}
		if !zr.File[i].Modified.Equal(fixedTimestamp) {
			t.Errorf("%s modified %v, want %v", zr.File[i].Name, zr.File[i].Modified, fixedTimestamp)
		}
	}
	core, err := readZipEntry(zr, "docProps/core.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(core), "2000-01-01T00:00:00Z") {
		t.Errorf("docProps/core.xml lacks the fixed date:\n%s", core)
	}
	// The repacked file must still open, with its sheets, names and values.
	f, err := excelize.OpenReader(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "Assumptions,Monthly,Stats,Charts"; got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	if n := len(f.GetDefinedName()); n != 4 {
		t.Errorf("%d defined names, want 4", n)
	}
}

// TestNumericCachedValues checks that formula cells carry their cached value
// with the right type on both kinds of sheets: a viewer that does not
// calculate shows these.
func TestNumericCachedValues(t *testing.T) {
	t.Parallel()
	cells, err := cachedFormulaCells(buildSampleWorkbook(t).save(t))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ typ, cached string }{
		"Assumptions!B7":  {"", "29988"},
		"Assumptions!B8":  {"", "4498.2"},
		"Assumptions!B9":  {"str", "high"},
		"Assumptions!B10": {"b", "1"},
		"Monthly!C2":      {"", "29988"},
		"Monthly!F14":     {"", "1"},
	}
	for _, c := range cells {
		if !c.HasCached {
			t.Errorf("%s!%s: no cached value", c.Sheet, c.Ref)
		}
		if w, ok := want[c.Sheet+"!"+c.Ref]; ok {
			if c.Type != w.typ || c.Cached != w.cached {
				t.Errorf("%s!%s: t=%q v=%q, want t=%q v=%q", c.Sheet, c.Ref, c.Type, c.Cached, w.typ, w.cached)
			}
			delete(want, c.Sheet+"!"+c.Ref)
		}
	}
	for k := range want {
		t.Errorf("%s: not a formula cell", k)
	}
}

// TestCalcCellValueParity holds the cached values to excelize's own engine.
func TestCalcCellValueParity(t *testing.T) {
	t.Parallel()
	pkg := buildSampleWorkbook(t).save(t)
	f, err := excelize.OpenReader(bytes.NewReader(pkg))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bad, skipped, err := checkCalcCellValues(f, pkg, halfCent)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range bad {
		t.Error(m)
	}
	t.Logf("skipped %d formulas", skipped)
}

func TestLibreOfficeParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	pkg := buildSampleWorkbook(t).save(t)
	n := checkLibreOfficeParity(t, pkg, halfCent)
	t.Logf("compared %d formula cells", n)
	if dir := os.Getenv("MARGINAL_KEEP_XLSX"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "sample.xlsx"), pkg, 0o644)
	}
}

// TestLibreOfficeParityDetectsMismatch makes sure the parity check is not
// vacuous: a wrong cached value, a missing one and an unknown function must
// all be reported.
func TestLibreOfficeParityDetectsMismatch(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	wrong, _ := formulaValue("ROUND(A1*3,2)", 10.0, 0) // really 7.5
	right, _ := formulaValue("A1+1", 3.5, 0)
	unknown, _ := formulaValue("NOSUCHFUNCTION(A1)", 1.0, 0)
	if err := sw.SetRow("A1", []any{2.5, wrong, right, excelize.Cell{Formula: "A1*2"}, unknown}); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := saveDeterministic(f, &buf); err != nil {
		t.Fatal(err)
	}
	bad, n := libreOfficeMismatches(t, buf.Bytes(), halfCent)
	if n != 4 || len(bad) != 3 {
		t.Fatalf("%d formulas, %d problems, want 4 and 3: %q", n, len(bad), bad)
	}
	for i, want := range []string{"cached 10, LibreOffice 7.5", "no cached value", "LibreOffice gives error"} {
		if !strings.Contains(bad[i], want) {
			t.Errorf("problem %d = %q, want it to mention %q", i, bad[i], want)
		}
	}
}

func TestCalcCellValuesDetectsMismatch(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	var fc formulaCache
	if err := f.SetCellFloat("Sheet1", "A1", 2.5, -1, 64); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cell, formula string
		value         any
	}{
		{"B1", "ROUND(A1*3,2)", 10.0}, // wrong: 7.5
		{"C1", "A1+0.004", 2.5},       // within half a cent
		{"D1", `IF(A1>2,"big","small")`, "big"},
		{"E1", "A1>2", true},
	} {
		if err := setFormula(f, &fc, "Sheet1", c.cell, c.formula, c.value); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := saveDeterministicWith(f, &buf, saveOptions{Formulas: &fc}); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	bad, _, err := checkCalcCellValues(g, buf.Bytes(), halfCent)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0].Cell.Ref != "B1" {
		t.Fatalf("mismatches %v, want only B1", bad)
	}
}
