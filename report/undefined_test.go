package report

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// idleOptions is larkspur.json with no orders at amazon-us, so that its
// ratios are undefined (zero net sales) in the statement, in every
// scenario and in every Monte Carlo trial (the uncertainty spec only
// multiplies its orders).
func idleOptions(t testing.TB) Options { return idle(t, "amazon-us/") }

// idle is larkspur.json with no orders in the partnerships whose driver
// addresses start with prefix ("" for all), its peak-season comparison and
// a 500-trial simulation.
func idle(t testing.TB, prefix string) Options {
	t.Helper()
	p := loadPortfolio(t, "larkspur.json")
	for _, d := range p.Drivers() {
		if strings.HasPrefix(d.Address, prefix) && strings.HasSuffix(d.Address, "/orders") {
			if _, err := p.Set(d.Address, decimal.Zero); err != nil {
				t.Fatal(err)
			}
		}
	}
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := scenario.Compare(p, peak)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := montecarlo.LoadFile(filepath.Join("..", "testdata", "specs", "larkspur.uncertainty.json"), p)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: 500, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	return Options{Portfolio: p, Comparison: cmp, Simulation: sim, SampleRows: 200}
}

// Undefined figures are "n/a", never 0, and they are right-aligned like
// the figures around them.
func TestUndefinedIsNotZero(t *testing.T) {
	t.Parallel()
	opt := idleOptions(t)
	amazon := opt.Portfolio.Partnerships[0]
	if amazon.ID != "amazon-us" {
		t.Fatalf("first partnership %s", amazon.ID)
	}
	if r := opt.Statement; r != nil {
		t.Fatal("statement given")
	}
	st, _ := costmodel.Evaluate(opt.Portfolio)
	if st.Partnerships[0].Measures.ContributionRatio.Valid {
		t.Fatal("amazon-us has net sales: the test needs it idle")
	}
	pkg := writeBook(t, opt)
	f := openBook(t, pkg)

	// Summary: amazon-us's contribution margin.
	rows, err := f.GetRows(SheetSummary, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	name := amazon.Name
	if name == "" {
		name = amazon.ID
	}
	found := false
	for _, r := range rows {
		if len(r) >= smMargin && r[0] == name && r[smRank-1] != "" {
			found = true
			if r[smMargin-1] != na {
				t.Errorf("Summary: %s's contribution margin is %q, want n/a", name, r[smMargin-1])
			}
		}
	}
	if !found {
		t.Errorf("no Summary row for %s", name)
	}

	// Monte Carlo: the statistics of amazon-us's contribution ratio, which
	// no trial defines, are n/a, not a mean of 0.
	want := outputLabel(scenario.Output{Scope: scenario.Partnership, Key: "amazon-us", Metric: scenario.ContributionRatio})
	rows, _ = f.GetRows(SheetMonteCarlo, excelizeRaw())
	found = false
	for _, r := range rows {
		if len(r) > 6 && r[0] == want {
			found = true
			for c := 1; c < len(r)-1; c++ { // every statistic, P(loss) included
				if r[c] != na {
					t.Errorf("Monte Carlo %s column %s = %q, want n/a", want, col(c+1), r[c])
				}
			}
			if r[len(r)-1] != "500" {
				t.Errorf("undefined trials %q, want 500", r[len(r)-1])
			}
		}
	}
	if !found {
		t.Errorf("no Monte Carlo row %q", want)
	}

	// Samples: amazon-us's contribution ratio is not a sample column (only
	// contributions of partnerships are); the portfolio's ratio is defined.
	// Every "n/a" anywhere is right-aligned.
	nas := 0
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet, excelizeRaw())
		for i, r := range rows {
			for j, v := range r {
				if v != na {
					continue
				}
				nas++
				cell := ref(j+1, i+1)
				if !rightAligned(t, f, sheet, cell) {
					t.Errorf("%s!%s: n/a is not right-aligned like the figures", sheet, cell)
				}
			}
		}
	}
	if nas < 10 {
		t.Errorf("only %d n/a cells", nas)
	}
}

// The workbook of an idle partnership recalculates in LibreOffice to its
// cached values, the n/a of the live ratio formulas included.
func TestUndefinedLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	checkLibreOfficeParity(t, writeBook(t, idleOptions(t)), halfCent)
}

// With no sales at all, the portfolio's ratios are undefined everywhere:
// the Summary's, the Samples column of the simulated contribution margin
// and its live statistics all say n/a, and LibreOffice agrees.
func TestUndefinedPortfolio(t *testing.T) {
	t.Parallel()
	opt := idle(t, "")
	pkg := writeBook(t, opt)
	f := openBook(t, pkg)
	rows, _ := f.GetRows(SheetSummary, excelizeRaw())
	ratios := 0
	for _, r := range rows {
		if len(r) > 1 && (strings.HasPrefix(r[0], "CM3 ratio") || strings.HasPrefix(r[0], "Contribution margin (")) {
			ratios++
			if r[1] != na {
				t.Errorf("Summary %q = %q, want n/a", r[0], r[1])
			}
		}
	}
	if ratios != 2 {
		t.Errorf("%d ratio rows on the Summary", ratios)
	}
	label := outputLabel(scenario.Output{Scope: scenario.Portfolio, Metric: scenario.ContributionRatio})
	rows, _ = f.GetRows(SheetSamples, excelizeRaw())
	c := -1
	for j, h := range rows[smpHead-1] {
		if h == label {
			c = j
		}
	}
	if c < 0 {
		t.Fatalf("no Samples column %q in %q", label, rows[smpHead-1])
	}
	for i := smpStatFirst - 1; i < len(rows); i++ {
		if i >= smpStatFirst-1+len(sampleStats) && i < smpFirst-1 {
			continue
		}
		if i < smpStatFirst-1+len(sampleStats) && sampleStats[i-smpStatFirst+1].p == -4 {
			// the count of undefined trials: every sample row
			if r := rows[i]; c >= len(r) || r[c] != strconv.Itoa(opt.SampleRows) {
				t.Errorf("Samples!%s = %q, want %d undefined trials", ref(c+1, i+1), r[min(c, len(r)-1)], opt.SampleRows)
			}
			continue
		}
		if r := rows[i]; c >= len(r) || r[c] != na {
			t.Errorf("Samples!%s = %q, want n/a", ref(c+1, i+1), rows[i][min(c, len(rows[i])-1)])
		}
	}
	if requireLibreOffice(t) != "" {
		checkLibreOfficeParity(t, pkg, halfCent)
	}
}

func rightAligned(t *testing.T, f *excelize.File, sheet, cell string) bool {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s.Alignment != nil && s.Alignment.Horizontal == "right"
}

// Trials marked undefined (NaN) are left out of the Samples statistics,
// whose formulas then skip the "n/a" cells and say n/a themselves when too
// few trials remain.
func TestSampleStatisticUndefinedTrials(t *testing.T) {
	t.Parallel()
	nan := nan()
	tests := []struct {
		p       float64
		x       []float64
		formula string
		value   any
	}{
		{-1, []float64{1, 3}, "AVERAGE(B1:B2)", 2.0},
		{-1, []float64{1, nan, 3}, `IF(COUNT(B1:B3)<1,"n/a",AVERAGE(B1:B3))`, 2.0},
		{-1, []float64{nan, nan}, `IF(COUNT(B1:B2)<1,"n/a",AVERAGE(B1:B2))`, na},
		{-2, []float64{2, nan}, `IF(COUNT(B1:B2)<2,"n/a",STDEV.S(B1:B2))`, na},
		{-2, []float64{2, nan, 4}, `IF(COUNT(B1:B3)<2,"n/a",STDEV.S(B1:B3))`, 1.4142135623730951},
		{-3, []float64{-1, nan, 1, 2}, `IF(COUNT(B1:B4)<1,"n/a",COUNTIF(B1:B4,"<0")/COUNT(B1:B4))`, 1.0 / 3},
		{0.5, []float64{nan, 5, 1, 3}, `IF(COUNT(B1:B4)<1,"n/a",PERCENTILE.INC(B1:B4,0.5))`, 3.0},
	}
	for _, tt := range tests {
		rng := fmt.Sprintf("B1:B%d", len(tt.x))
		f, v := sampleStatistic(tt.p, rng, tt.x)
		if f != tt.formula || v != tt.value {
			t.Errorf("sampleStatistic(%v, %v) = %s, %v; want %s, %v", tt.p, tt.x, f, v, tt.formula, tt.value)
		}
	}
}
