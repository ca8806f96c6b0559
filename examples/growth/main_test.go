package main

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
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
	lanes := 0
	for _, o := range c.Outcomes {
		costs, err := laneCosts(o.Portfolio)
		if err != nil {
			t.Fatal(err)
		}
		for _, lc := range costs {
			lanes++
			re := regexp.MustCompile(regexp.QuoteMeta(lc.Address) + ` +` + regexp.QuoteMeta(lc.Line.Label()) + ` +\+` + amount + `, NPV cost ` + amount + `\n`)
			m := re.FindStringSubmatch(text)
			if m == nil {
				t.Errorf("no line for %s:\n%s", lc.Address, text)
				continue
			}
			cents(lc.Address+" line", m[1], lc.Total)
			cents(lc.Address+" NPV cost", m[2], lc.NPVCost)
			if lc.Line == costmodel.LineFXFee {
				checkFXFeeNPV(t, o.Portfolio, lc)
			}
		}
	}
	for _, o := range c.Outcomes {
		whole, err := wholeLaneCosts(o.Portfolio)
		if err != nil {
			t.Fatal(err)
		}
		costs, _ := laneCosts(o.Portfolio)
		for id, v := range whole {
			m := regexp.MustCompile(regexp.QuoteMeta(id) + `'s whole lane: NPV cost ` + amount + ` `).FindStringSubmatch(text)
			if m == nil {
				t.Errorf("no whole-lane line for %s:\n%s", id, text)
				continue
			}
			cents(id+" whole lane", m[1], v)
			// The inputs overlap (shipping in the customs value, the
			// extra returns shipped back), so the whole lane costs less
			// than their sum and more than the dearest alone.
			sum, most := decimal.Zero, decimal.Zero
			for _, lc := range costs {
				sum, most = sum.Add(lc.NPVCost), decimal.Max(most, lc.NPVCost)
			}
			if !(v.LessThan(sum) && v.GreaterThan(most)) {
				t.Errorf("%s: whole lane's NPV cost %s, want between the dearest input's %s and the sum %s", id, v, most, sum)
			}
		}
	}
	// "open the EU lane" states its lane: shipping, return shipping,
	// extra returns, duty and the FX fee (VAT passes through).
	if lanes != 5 {
		t.Errorf("%d lane inputs broken down, want 5:\n%s", lanes, text)
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

// checkFXFeeNPV checks the FX fee's NPV cost by hand: the fee is a line
// of its own that nothing else reads, so setting its rate to 0 removes
// exactly that line from the net cash flow, and the NPV cost is the NPV
// of the fee's monthly series (within a cent: the two NPVs it is the
// difference of are each rounded to the cent). Its line total is the
// partnership's FX fee over the horizon.
func checkFXFeeNPV(t *testing.T, p *costmodel.Portfolio, lc laneInput) {
	t.Helper()
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range st.Partnerships {
		if !strings.HasPrefix(lc.Address, ps.ID+"/") {
			continue
		}
		fee := ps.Total.Series(costmodel.LineFXFee)
		npv, err := costmodel.NPV(st.MonthlyRate, fee)
		if err != nil {
			t.Fatal(err)
		}
		if d := npv.Sub(lc.NPVCost).Abs(); d.GreaterThan(decimal.RequireFromString("0.01")) {
			t.Errorf("FX fee: NPV cost %s, the NPV of its monthly series %s", lc.NPVCost, npv)
		}
		if !ps.Total.Total[costmodel.LineFXFee].Equal(lc.Total) {
			t.Errorf("FX fee over the horizon %s, printed %s", ps.Total.Total[costmodel.LineFXFee], lc.Total)
		}
		return
	}
	t.Errorf("%s: no such partnership", lc.Address)
}
