package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
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

func TestWorkbookLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	pkg := writeBook(t, Options{Portfolio: loadPortfolio(t, "larkspur.json")})
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
