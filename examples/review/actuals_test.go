package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/xuri/excelize/v2"
)

// -actuals adds the health sheets; a bad actuals file is refused with
// the file, the row and the column, and nothing is written.
func TestReviewActuals(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "actuals.csv")
	if err := os.WriteFile(good, marginal.SampleActuals(), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	book := filepath.Join(dir, "r.xlsx")
	if err := run(context.Background(), config{actuals: good, out: book, trials: -1}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, s := range []string{"Actuals", "Health", "Variance bridge"} {
		if idx, _ := f.GetSheetIndex(s); idx < 0 {
			t.Errorf("no %s sheet", s)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	data := strings.Replace(string(marginal.SampleActuals()), "2026-01,amazon-us,beauty,orders,", "2026-01,amazon-uk,beauty,orders,", 1)
	if err := os.WriteFile(bad, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.xlsx")
	err = run(context.Background(), config{actuals: bad, out: other, trials: -1}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "bad.csv") || !strings.Contains(err.Error(), "row 2, column partnership") {
		t.Errorf("bad actuals: %v", err)
	}
	if _, err := os.Stat(other); err == nil {
		t.Error("a workbook was written from bad actuals")
	}
}
