package report

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGrowthDigitsLibreOffice compares LibreOffice's twelfth roots and
// growth powers with the exact model's, to the digit a double holds: the
// exact evaluator's 30-place root, stored as the nearest double, and
// LibreOffice's (1+g)^(1/12) differ by at most a few units in the last
// place (a relative 1e-15), far below what moves an amount by a cent.
func TestGrowthDigitsLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	b, err := newBook(larkspurOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	if err := b.build(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := saveDeterministicWith(b.f, &buf, saveOptions{Formulas: b.fc}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	lo := recalcWithLibreOffice(t, path)
	g := b.model.Graph()
	roots, powers, worst := 0, 0, 0.0
	for k, r := range b.ueRows {
		label := g.Label(r.id)
		// A root is within an ulp or two of the true root; a power of it,
		// rounded at each of up to 11 steps, within a few more.
		tol := 4.5e-16
		switch {
		case strings.HasPrefix(label, "Monthly growth factor"):
			roots++
		case strings.HasPrefix(label, "Growth over"):
			powers++
			tol = 2e-15
		default:
			continue
		}
		cell := ref(ueValue, ueFirstRow+k)
		exact := b.vals[r.id].InexactFloat64()
		got := lo[SheetUnitEconomics][cell]
		if got.Value == nil {
			t.Fatalf("%s: LibreOffice %q", cell, got.Text)
		}
		rel := math.Abs(*got.Value-exact) / exact
		worst = max(worst, rel)
		if rel > tol {
			t.Errorf("%s %s: LibreOffice %v, exact %s (relative %.2g)", cell, label, *got.Value, b.vals[r.id], rel)
		}
	}
	if roots < 5 || powers < 5*11 {
		t.Errorf("%d twelfth roots and %d powers found; larkspur has a growth rate per category", roots, powers)
	}
	t.Logf("%d roots, %d powers, worst relative difference %.2g", roots, powers, worst)
}

// TestFormulasReadable holds the printed formulas to what a finance
// reader can follow: no formula adds a cell to itself (a total over months
// is SUM(T2:T37), not T2,T2,… for a line that is the same node in every
// month), and none is longer than maxReadable characters.
func TestFormulasReadable(t *testing.T) {
	t.Parallel()
	const maxReadable = 600
	cellRef := regexp.MustCompile(`(\$?[A-Z]{1,3}\$?[0-9]+)([,+])`)
	for _, name := range []string{"larkspur.json", "small.json", "generated/seed-302.json"} {
		p := loadPortfolio(t, name)
		cells, err := cachedFormulaCells(writeBook(t, Options{Portfolio: peakAdjusted(t, p)}))
		if err != nil {
			t.Fatal(err)
		}
		longest := 0
		for _, c := range cells {
			if c.Sheet != SheetStatement && c.Sheet != SheetUnitEconomics {
				continue
			}
			longest = max(longest, len(c.Formula))
			if len(c.Formula) > maxReadable {
				t.Errorf("%s: %s!%s: formula of %d characters: %s", name, c.Sheet, c.Ref, len(c.Formula), c.Formula)
			}
			for _, m := range cellRef.FindAllStringSubmatchIndex(c.Formula, -1) {
				r := c.Formula[m[2]:m[3]]
				if rest := c.Formula[m[5]:]; strings.HasPrefix(rest, r) && !strings.HasPrefix(rest[len(r):], "0") &&
					(len(rest) == len(r) || !isDigit(rest[len(r)])) {
					t.Errorf("%s: %s!%s adds %s to itself: %s", name, c.Sheet, c.Ref, r, c.Formula)
					break
				}
			}
		}
		t.Logf("%s: longest formula %d characters", name, longest)
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
