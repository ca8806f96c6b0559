package main

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/report"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// TestGrowth runs the example in an empty directory (as CI does: it
// reads nothing but embedded samples) and checks every printed figure
// against the comparison it returns: exact amounts to the cent, simulated
// ones to the printed whole currency unit, shares to the printed tenth of
// a percent. The workbook it writes has the Trajectories sheet.
func TestGrowth(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	var out bytes.Buffer
	c, err := run(&out, ".")
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if c.Trials != trials || len(c.Outcomes) != 3 {
		t.Fatalf("%d trials, %d trajectories; want %d and 3", c.Trials, len(c.Outcomes), trials)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil {
			t.Fatalf("%q is not a number", s)
		}
		return v
	}
	cents := func(what, s string, want decimal.Decimal) {
		t.Helper()
		if got := decimal.RequireFromString(strings.ReplaceAll(s, ",", "")); !got.Equal(want.Round(2)) {
			t.Errorf("%s: printed %s, want %s", what, s, want.StringFixed(2))
		}
	}
	near := func(what, s string, want, tol float64) {
		t.Helper()
		if got := num(s); !(math.Abs(got-want) <= tol) {
			t.Errorf("%s: printed %s, want %v (±%v)", what, s, want, tol)
		}
	}
	const amount = `(-?[0-9,]+(?:\.[0-9]+)?)`
	for _, o := range c.Outcomes {
		re := regexp.MustCompile(regexp.QuoteMeta(o.Trajectory.Name) + `: NPV ` + amount + ` exact, ` + amount + ` mean; payback (month ([0-9]+)|not within the horizon) exact, within the horizon in ([0-9.]+)% of futures; peak funding need ` + amount + ` exact, ` + amount + ` mean\n`)
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("no line for %s:\n%s", o.Trajectory.Name, text)
			continue
		}
		w := o.Trajectory.Name
		cents(w+" exact NPV", m[1], o.Exact.NPV)
		near(w+" mean NPV", m[2], o.NPV.Mean, 0.5)
		if o.Exact.Payback.Reached != (m[4] != "") || (m[4] != "" && num(m[4]) != float64(o.Exact.Payback.Month)) {
			t.Errorf("%s payback: printed %q, want %+v", w, m[3], o.Exact.Payback)
		}
		near(w+" P(pays back)", m[5], 100*o.PPayback, 0.05)
		cents(w+" exact peak funding", m[6], o.Exact.PeakFunding)
		near(w+" mean peak funding", m[7], o.PeakFunding.Mean, 0.5)
	}
	pairs := 0
	for _, pr := range c.Pairs {
		if pr.A != 0 {
			continue
		}
		pairs++
		w := c.Outcomes[pr.B].Trajectory.Name
		re := regexp.MustCompile(regexp.QuoteMeta(w+" against "+c.Outcomes[0].Trajectory.Name) + `: NPV difference ` + amount + ` exact, ` + amount + ` mean \(P5 ` + amount + `, P95 ` + amount + `\); better in ([0-9.]+)% of futures\n`)
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Errorf("no line for %s against the reference:\n%s", w, text)
			continue
		}
		cents(w+" exact NPV difference", m[1], pr.ExactNPV)
		near(w+" mean NPV difference", m[2], pr.NPV.Mean, 0.5)
		near(w+" P5", m[3], pr.NPV.P5, 0.5)
		near(w+" P95", m[4], pr.NPV.P95, 0.5)
		near(w+" P(better)", m[5], 100*pr.PBetter, 0.05)
	}
	if pairs != 2 {
		t.Errorf("%d pairs against the reference, want 2", pairs)
	}
	f, err := excelize.OpenFile("growth.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if i, _ := f.GetSheetIndex(report.SheetTrajectories); i < 0 {
		t.Errorf("growth.xlsx has no %s sheet: %v", report.SheetTrajectories, f.GetSheetList())
	}
}
