package report

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// sampleTrajectoryComparison compares the sample trajectories over a
// few hundred trials of the sample uncertainty.
func sampleTrajectoryComparison(t *testing.T) (*costmodel.Portfolio, []scenario.Trajectory, *montecarlo.TrajectoryComparison) {
	t.Helper()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	trs, err := scenario.LoadTrajectories(bytes.NewReader(marginal.SampleTrajectories()), p)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 300, Seed: 5}, trs)
	if err != nil {
		t.Fatal(err)
	}
	return p, trs, c
}

// TestTrajectoriesSheet: the sheet's two tables are the comparison's
// figures cell by cell, every number on the sheet is finite, and each
// trajectory has a fan chart whose series read filled ranges of the sheet.
func TestTrajectoriesSheet(t *testing.T) {
	t.Parallel()
	p, trs, c := sampleTrajectoryComparison(t)
	data := writeBook(t, Options{Portfolio: p, Trajectories: c})
	f := openBook(t, data)
	rows, err := f.GetRows(SheetTrajectories, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	// The tables are found by their headers: the row after "Trajectory",
	// "Changes" starts the outcomes, the row after "Trajectory", "Against"
	// the pairs.
	find := func(second string) int {
		for i, r := range rows {
			if len(r) > 1 && r[0] == "Trajectory" && r[1] == second {
				return i + 1
			}
		}
		t.Fatalf("no table headed Trajectory, %s on the sheet", second)
		return 0
	}
	at := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	// excelize writes a float with 15 significant digits, as Excel keeps
	// them, so a cell holds the comparison's figure to a relative 1e-14
	// (half a unit in the 15th digit is 5e-15 of the value).
	checkNum := func(where string, r []string, i int, want float64) {
		t.Helper()
		got, err := strconv.ParseFloat(at(r, i), 64)
		if err != nil || !(math.Abs(got-want) <= 1e-14*math.Abs(want)) { // NaN fails
			t.Errorf("%s column %d: %q, want %v", where, i+1, at(r, i), want)
		}
	}
	// An exact figure (decimal money) reads back to the cent.
	checkExact := func(where string, r []string, i int, want decimal.Decimal) {
		t.Helper()
		got, err := decimal.NewFromString(at(r, i))
		if err != nil || !got.Round(2).Equal(want) {
			t.Errorf("%s column %d: %q, want %s to the cent", where, i+1, at(r, i), want)
		}
	}
	checkSim := func(where string, r []string, i int, want float64, defined bool) {
		t.Helper()
		if !defined {
			if at(r, i) != na {
				t.Errorf("%s column %d: %q, want %q (no trials)", where, i+1, at(r, i), na)
			}
			return
		}
		checkNum(where, r, i, want)
	}
	first := find("Changes")
	for k, o := range c.Outcomes {
		r := rows[first+k]
		w := "outcome " + o.Trajectory.Name
		if at(r, 0) != trs[k].Name {
			t.Errorf("%s: row %d names %q, want %q", w, first+k+1, at(r, 0), trs[k].Name)
		}
		checkExact(w, r, 2, o.Exact.NPV)
		if o.Exact.Payback.Reached {
			checkNum(w, r, 3, float64(o.Exact.Payback.Month))
		} else if !strings.HasPrefix(at(r, 3), "not within") {
			t.Errorf("%s: payback %q, want not within the horizon", w, at(r, 3))
		}
		checkExact(w, r, 4, o.Exact.PeakFunding)
		def := o.NPV.N > 0
		checkSim(w, r, 5, o.NPV.Mean, def)
		checkSim(w, r, 6, o.NPV.P5, def)
		checkSim(w, r, 7, o.NPV.P50, def)
		checkSim(w, r, 8, o.NPV.P95, def)
		checkNum(w, r, 9, o.PPayback)
		checkSim(w, r, 10, o.Payback.P50, o.Payback.N > 0)
		checkSim(w, r, 11, o.PeakFunding.Mean, o.PeakFunding.N > 0)
		checkSim(w, r, 12, o.PeakFunding.P95, o.PeakFunding.N > 0)
	}
	if r := rows[first+len(c.Outcomes)]; len(r) != 0 {
		t.Errorf("the outcomes table runs on past %d trajectories: %v", len(c.Outcomes), r)
	}
	first = find("Against")
	if len(c.Pairs) != 3 {
		t.Fatalf("%d pairs of the 3 sample trajectories, want 3", len(c.Pairs))
	}
	for k, pr := range c.Pairs {
		r := rows[first+k]
		w := fmt.Sprintf("pair %d", k)
		if at(r, 0) != trs[pr.B].Name || at(r, 1) != trs[pr.A].Name {
			t.Errorf("%s: %q against %q, want %q against %q", w, at(r, 0), at(r, 1), trs[pr.B].Name, trs[pr.A].Name)
		}
		checkExact(w, r, 2, pr.ExactNPV)
		def := pr.NPV.N > 0
		checkSim(w, r, 3, pr.NPV.Mean, def)
		checkSim(w, r, 4, pr.NPV.SE, def)
		checkSim(w, r, 5, pr.NPV.P5, def)
		checkSim(w, r, 6, pr.NPV.P50, def)
		checkSim(w, r, 7, pr.NPV.P95, def)
		checkNum(w, r, 8, pr.PBetter)
		checkSim(w, r, 9, pr.PeakFunding.Mean, pr.PeakFunding.N > 0)
		checkSim(w, r, 10, pr.Payback.Mean, pr.Payback.N > 0)
	}
	// The exact NPV difference of a pair is the difference of the two
	// outcomes' exact NPVs, to the cent (decimal, not float).
	for _, pr := range c.Pairs {
		if want := c.Outcomes[pr.B].Exact.NPV.Sub(c.Outcomes[pr.A].Exact.NPV); !pr.ExactNPV.Equal(want) {
			t.Errorf("pair %d against %d: exact NPV difference %s, want %s", pr.B, pr.A, pr.ExactNPV, want)
		}
	}
	// No cell on the sheet is NaN or ±Inf (excelize would write them as
	// the text "NaN" or "+Inf", which ParseFloat reads back).
	for i, r := range rows {
		for j, v := range r {
			if x, err := strconv.ParseFloat(v, 64); err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
				t.Errorf("%s row %d column %d: %q", SheetTrajectories, i+1, j+1, v)
			}
		}
	}

	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)<(?:c:)?(val|cat|tx)>(.*?)</(?:c:)?(?:val|cat|tx)>`)
	formula := regexp.MustCompile(`<(?:c:)?f>([^<]*)</(?:c:)?f>`)
	charts := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if !strings.Contains(unescapeXML(string(xml)), quoteSheet(SheetTrajectories)+"!") {
			continue
		}
		charts++
		refs := 0
		for _, m := range block.FindAllStringSubmatch(string(xml), -1) {
			if fm := formula.FindStringSubmatch(m[2]); fm != nil {
				refs++
				checkChartRange(t.Errorf, f, zf.Name, unescapeXML(fm[1]), m[1] == "val")
			}
		}
		if refs == 0 {
			t.Errorf("%s: no series references", zf.Name)
		}
	}
	if charts != len(c.Outcomes) {
		t.Errorf("%d charts on the Trajectories sheet, want one fan per trajectory (%d)", charts, len(c.Outcomes))
	}
	if err := Write(io.Discard, Options{Portfolio: p, Trajectories: &montecarlo.TrajectoryComparison{}}); err == nil || !strings.Contains(err.Error(), "Options.Trajectories") {
		t.Errorf("an empty comparison: %v", err)
	}
	bad := *c
	bad.Pairs = []montecarlo.TrajectoryPair{{A: 0, B: 0}, {A: 1, B: 7}}
	err = Write(io.Discard, Options{Portfolio: p, Trajectories: &bad})
	for _, want := range []string{"Options.Trajectories.Pairs[0]", "Options.Trajectories.Pairs[1]"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("pairs naming no two outcomes: %v, want a problem at %s", err, want)
		}
	}
}

// TestTrajectoryParity: the workbook of the base portfolio with the
// Trajectories sheet, and the workbook of the "add a marketplace"
// trajectory's portfolio, whose new marketplace takes orders from two
// others (costmodel.OrderTake), recalculate in LibreOffice to their
// cached values: the cannibalisation is in the formulas, as in the exact
// statement, and the Trajectories sheet (values only) breaks no formula.
func TestTrajectoryParity(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	p, trs, c := sampleTrajectoryComparison(t)
	n := checkParity(t, writeBook(t, Options{Portfolio: p, Trajectories: c}))
	t.Logf("base with Trajectories: %d formula cells agree", n)
	q, err := trs[1].Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	n = checkParity(t, writeBook(t, Options{Portfolio: q}))
	t.Logf("%s: %d formula cells agree", trs[1].Name, n)
}
