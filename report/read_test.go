package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/xuri/excelize/v2"
)

// assumptionCell returns the Assumptions value cell of a driver, found by
// its address in the address column as a user would.
func assumptionCell(t testing.TB, f *excelize.File, address string) string {
	t.Helper()
	rows, err := f.GetRows(SheetAssumptions)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) > 0 && row[0] == address {
			return ref(assumValue, i+1)
		}
	}
	t.Fatalf("no Assumptions row for %s", address)
	return ""
}

// editAssumptions sets Assumptions cells of a workbook (address → value:
// a float64 or a string) with excelize and returns the saved bytes.
func editAssumptions(t testing.TB, pkg []byte, edits map[string]any) []byte {
	t.Helper()
	f := openBook(t, pkg)
	for address, v := range edits {
		cell := assumptionCell(t, f, address)
		if err := f.SetCellValue(SheetAssumptions, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadAssumptionsRoundTrip(t *testing.T) {
	t.Parallel()
	base := loadPortfolio(t, "larkspur.json")
	pkg := writeBook(t, Options{Portfolio: base})

	// Unchanged, the workbook reads back to the same portfolio.
	same, err := ReadAssumptions(bytes.NewReader(pkg), base)
	if err != nil {
		t.Fatal(err)
	}
	if h1, h2 := mustHash(t, base), mustHash(t, same); h1 != h2 {
		t.Errorf("unchanged workbook reads back to a different portfolio")
	}

	edited := editAssumptions(t, pkg, map[string]any{
		"amazon-us/beauty/return_rate": 0.06,
		"ebay/commission/rate":         0.15,
	})
	got, err := ReadAssumptions(bytes.NewReader(edited), base)
	if err != nil {
		t.Fatal(err)
	}
	for address, want := range map[string]string{"amazon-us/beauty/return_rate": "0.06", "ebay/commission/rate": "0.15"} {
		d, err := got.Driver(address)
		if err != nil || d.Value.String() != want {
			t.Errorf("%s = %v (%v), want %s", address, d.Value, err, want)
		}
	}
	if d, _ := base.Driver("ebay/commission/rate"); d.Value.String() != "0.136" {
		t.Errorf("base portfolio modified: ebay/commission/rate = %s", d.Value)
	}
	// The statement shows the change: eBay's commission is 15 % of the fee
	// base now, and amazon-us beauty refunds half as much again.
	before, err := costmodel.Evaluate(base)
	if err != nil {
		t.Fatal(err)
	}
	after, err := costmodel.Evaluate(got)
	if err != nil {
		t.Fatal(err)
	}
	want := base.Clone()
	for address, v := range map[string]string{"amazon-us/beauty/return_rate": "0.06", "ebay/commission/rate": "0.15"} {
		if _, err := want.Set(address, dec(v)); err != nil {
			t.Fatal(err)
		}
	}
	expected, err := costmodel.Evaluate(want)
	if err != nil {
		t.Fatal(err)
	}
	line := func(st *costmodel.Statement, id string, l costmodel.Line) string {
		ps, _ := st.Partnership(id)
		return ps.Total.Total[l].String()
	}
	for _, c := range []struct {
		id string
		l  costmodel.Line
	}{{"ebay", costmodel.LineCommission}, {"amazon-us", costmodel.LineRefunds}} {
		if line(after, c.id, c.l) == line(before, c.id, c.l) {
			t.Errorf("%s %s did not change", c.id, c.l)
		}
		if line(after, c.id, c.l) != line(expected, c.id, c.l) {
			t.Errorf("%s %s = %s, want %s", c.id, c.l, line(after, c.id, c.l), line(expected, c.id, c.l))
		}
	}
	if a, e := after.Portfolio.Total[costmodel.LineContribution], expected.Portfolio.Total[costmodel.LineContribution]; !a.Equal(e) {
		t.Errorf("portfolio contribution %s, want %s", a, e)
	}
}

func mustHash(t testing.TB, p *costmodel.Portfolio) string {
	t.Helper()
	h, err := inputHash(p)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

var readAssumptionsErrorTests = []struct {
	name  string
	edits map[string]any
	want  []string // every problem's text must hold these, in order of problems
}{
	{
		name:  "text",
		edits: map[string]any{"ebay/commission/rate": "abc"},
		want:  []string{`ebay/commission/rate (Assumptions!F`, `got "abc", expected a number`},
	},
	{
		name:  "rate above 1",
		edits: map[string]any{"amazon-us/beauty/return_rate": 1.5},
		want:  []string{"amazon-us/beauty/return_rate (Assumptions!F", "got 1.5", "0 to 1"},
	},
	{
		name:  "negative volume",
		edits: map[string]any{"etsy/art-prints/orders": -10.0},
		want:  []string{"etsy/art-prints/orders (Assumptions!F", "got -10", "≥ 0"},
	},
	{
		name:  "empty",
		edits: map[string]any{"feedlink/api/fixed_calls": ""},
		want:  []string{"feedlink/api/fixed_calls (Assumptions!F", "expected a number"},
	},
	{
		name:  "shares no longer sum to 1",
		edits: map[string]any{"amazon-us/beauty/price_mix/1/share": 0.5},
		want:  []string{"price_mix", "summing to exactly 1"},
	},
}

func TestReadAssumptionsErrors(t *testing.T) {
	t.Parallel()
	base := loadPortfolio(t, "larkspur.json")
	pkg := writeBook(t, Options{Portfolio: base})
	for _, tt := range readAssumptionsErrorTests {
		_, err := ReadAssumptions(bytes.NewReader(editAssumptions(t, pkg, tt.edits)), base)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !errors.Is(err, costmodel.ErrInvalid) {
			t.Errorf("%s: %v does not wrap costmodel.ErrInvalid", tt.name, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tt.name, err, w)
			}
		}
	}

	// Every problem at once, each with its cell and its address.
	bad := editAssumptions(t, pkg, map[string]any{
		"ebay/commission/rate":         "abc",
		"amazon-us/beauty/return_rate": 1.5,
	})
	f := openBook(t, pkg)
	cells := map[string]string{
		"ebay/commission/rate":         assumptionCell(t, f, "ebay/commission/rate"),
		"amazon-us/beauty/return_rate": assumptionCell(t, f, "amazon-us/beauty/return_rate"),
	}
	_, err := ReadAssumptions(bytes.NewReader(bad), base)
	var ve *costmodel.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("error %v, want a ValidationError with 2 problems", err)
	}
	for _, p := range ve.Problems {
		address, _, _ := strings.Cut(p.Path, " ")
		if want := address + " (Assumptions!" + cells[address] + ")"; p.Path != want {
			t.Errorf("problem path %q, want %q", p.Path, want)
		}
	}
}

func TestReadAssumptionsWrongWorkbook(t *testing.T) {
	t.Parallel()
	larkspur := loadPortfolio(t, "larkspur.json")
	small := loadPortfolio(t, "small.json")
	pkg := writeBook(t, Options{Portfolio: small})
	_, err := ReadAssumptions(bytes.NewReader(pkg), larkspur)
	if err == nil || !strings.Contains(err.Error(), "written for another portfolio") {
		t.Errorf("reading small.json's workbook onto larkspur: %v", err)
	}
	// A sheet with a row deleted and a row for an unknown driver.
	f0 := openBook(t, pkg)
	cell := assumptionCell(t, f0, "shop/mugs/unit_cost")
	if err := f0.SetCellValue(SheetAssumptions, "A"+cell[1:], "shop/cups/unit_cost"); err != nil {
		t.Fatal(err)
	}
	var edited bytes.Buffer
	if err := f0.Write(&edited); err != nil {
		t.Fatal(err)
	}
	_, err = ReadAssumptions(bytes.NewReader(edited.Bytes()), small)
	for _, want := range []string{"shop/cups/unit_cost (Assumptions!A" + cell[1:] + "): expected the address of a driver", "shop/mugs/unit_cost: expected a row on the Assumptions sheet"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	f := excelize.NewFile()
	defer f.Close()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAssumptions(bytes.NewReader(buf.Bytes()), small); err == nil || !strings.Contains(err.Error(), "Assumptions") {
		t.Errorf("a workbook without an Assumptions sheet: %v", err)
	}
}

// Structural problems name their drivers and cells; booleans and formulas
// without a saved result are not numbers.
func TestReadAssumptionsStructureAndTypes(t *testing.T) {
	t.Parallel()
	base := loadPortfolio(t, "larkspur.json")
	pkg := writeBook(t, Options{Portfolio: base})
	edited := editAssumptions(t, pkg, map[string]any{
		"amazon-us/beauty/commission/min_per_item": 0.30,
		"amazon-us/beauty/commission/tier/1/up_to": 0.0, // bounds must ascend from above 0
		"ebay/home/price_mix/1/share":              0.9,
		"ebay/collectibles/return_rate":            true,
	})
	f := openBook(t, edited)
	cell := assumptionCell(t, f, "etsy/home/orders")
	if err := f.SetCellFormula(SheetAssumptions, cell, "ROUND(1+2*MIN(300,etsy.home.price)-1,2)"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	_, err := ReadAssumptions(bytes.NewReader(buf.Bytes()), base)
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"amazon-us/beauty/commission/tier/1/up_to (Assumptions!",
		"ebay/home/price_mix/1/share (Assumptions!",
		"ebay/home/price_mix/3/share (Assumptions!",
		"ebay/collectibles/return_rate (Assumptions!",
		"not TRUE or FALSE",
		"etsy/home/orders (Assumptions!" + cell + ")",
		"no numeric result saved",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

// A failed write leaves an existing workbook alone.
func TestWriteFileKeepsOldFileOnError(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/review.xlsx"
	if err := WriteFile(path, Options{Portfolio: loadPortfolio(t, "small.json")}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	bad := loadPortfolio(t, "small.json")
	bad.Months = 0
	if err := WriteFile(path, Options{Portfolio: bad}); err == nil {
		t.Fatal("invalid portfolio written")
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) || len(after) == 0 {
		t.Error("a failed write changed the existing file")
	}
	if left, _ := filepath.Glob(filepath.Dir(path) + "/.*.tmp"); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// ReadAssumptions and ReadAssumptionsFile refuse nil and empty arguments
// as the JSON loaders do: with a *costmodel.FieldError that is
// costmodel.ErrInvalid.
func TestReadAssumptionsNilIsInvalid(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	for name, err := range map[string]error{
		"nil reader": func() error { _, err := ReadAssumptions(nil, p); return err }(),
		"nil base":   func() error { _, err := ReadAssumptions(strings.NewReader(""), nil); return err }(),
		"empty path": func() error { _, err := ReadAssumptionsFile("", p); return err }(),
		"file, nil":  func() error { _, err := ReadAssumptionsFile("book.xlsx", nil); return err }(),
	} {
		var fe *costmodel.FieldError
		if !errors.Is(err, costmodel.ErrInvalid) || !errors.As(err, &fe) {
			t.Errorf("%s: %v is not a costmodel.ErrInvalid FieldError", name, err)
		}
	}
}
