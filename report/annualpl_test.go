package report

import (
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

func TestPLYears(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		start  costmodel.Month
		months int
		want   []plYear
	}{
		{"calendar years", costmodel.Month{Year: 2026, Month: 1}, 36, []plYear{{"2026", 0, 11}, {"2027", 12, 23}, {"2028", 24, 35}}},
		{"part years", costmodel.Month{Year: 2026, Month: 6}, 20, []plYear{{"2026 (Jun–Dec)", 0, 6}, {"2027", 7, 18}, {"2028 (Jan)", 19, 19}}},
		{"inside one year", costmodel.Month{Year: 2026, Month: 3}, 4, []plYear{{"2026 (Mar–Jun)", 0, 3}}},
		{"one month", costmodel.Month{Year: 2026, Month: 12}, 1, []plYear{{"2026 (Dec)", 0, 0}}},
	} {
		got := plYears(c.start, c.months)
		if len(got) != len(c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: year %d is %+v, want %+v", c.name, i, got[i], c.want[i])
			}
		}
	}
}

// plCell reads a cached figure of the Annual P&L as a decimal.
func plCell(t *testing.T, f *excelize.File, c, r int) (decimal.Decimal, string) {
	t.Helper()
	v, err := f.GetCellValue(SheetAnnualPL, ref(c, r), excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		return decimal.Zero, v
	}
	return d, v
}

// The Annual P&L's cached figures are the exact statement's year sums to
// the cent: each line of the portfolio, each channel (the statement's
// roll-up) and each partnership, in each calendar year and over the
// horizon; the grouped costs are the sums of their Statement lines (the
// terms of the margin below them other than the margin above); and a
// channel's figure is the sum of its partnerships' figures.
func TestAnnualPLCachedValues(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	// A horizon that starts in June: part years at both ends.
	p.Start = costmodel.Month{Year: 2026, Month: 6}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, writeBook(t, Options{Portfolio: p, Statement: st}))
	years := plYears(p.Start, p.Months)
	if len(years) != 4 {
		t.Fatalf("%d years from Jun 2026 over %d months, want 4", len(years), p.Months)
	}
	years = append(years, plYear{Label: "Total", First: 0, Last: p.Months - 1})
	sum := func(blk *costmodel.Block, l costmodel.Line, y plYear) decimal.Decimal {
		s := decimal.Zero
		for m := y.First; m <= y.Last; m++ {
			s = s.Add(blk.Monthly[m][l])
		}
		return s
	}
	// want is the figure of a P&L line from the statement's own lines.
	want := func(blk *costmodel.Block, pl plLine, y plYear) decimal.Decimal {
		if !pl.Diff {
			return sum(blk, pl.Line, y).Mul(decimal.NewFromInt(int64(pl.Sign)))
		}
		s := decimal.Zero
		for _, term := range pl.Line.Terms() {
			if term.Line != pl.Above {
				s = s.Add(sum(blk, term.Line, y).Mul(decimal.NewFromInt(int64(term.Sign))))
			}
		}
		return s
	}
	blocks := []*costmodel.Block{&st.Portfolio}
	for i := range st.ByChannel {
		blocks = append(blocks, &st.ByChannel[i].Block)
	}
	for i := range st.Partnerships {
		blocks = append(blocks, &st.Partnerships[i].Total)
	}
	cent := decimal.RequireFromString("0.005")
	checked := 0
	for k, blk := range blocks {
		top := plFirstRow + k*plBlockRows
		for i, pl := range plLines {
			for c, y := range years {
				got, raw := plCell(t, f, plYear0Col+c, top+1+i)
				if w := want(blk, pl, y); got.Sub(w).Abs().GreaterThan(cent) || raw == "" {
					t.Errorf("block %d %s %s: cached %q, want %s", k, pl.Label, y.Label, raw, w.StringFixed(2))
				}
				checked++
			}
		}
		ns := years[len(years)-1]
		got, raw := plCell(t, f, plYear0Col+len(years)-1, top+1+len(plLines)+2) // CM3 margin over the horizon
		if den := sum(blk, costmodel.LineNetSales, ns); den.IsZero() {
			if raw != na {
				t.Errorf("block %d: CM3 margin over zero net sales is %q, want %s", k, raw, na)
			}
		} else if w := sum(blk, costmodel.LineCM3, ns).DivRound(den, 10); got.Sub(w).Abs().GreaterThan(decimal.New(1, -9)) {
			t.Errorf("block %d: CM3 margin %s, want %s", k, raw, w)
		}
	}
	// A channel is the sum of its partnerships.
	for c := range st.ByChannel {
		top := plFirstRow + (1+c)*plBlockRows
		for i := range plLines {
			total := decimal.Zero
			for j, ps := range p.Partnerships {
				if ps.Channel == st.ByChannel[c].Key {
					v, _ := plCell(t, f, plYear0Col, plFirstRow+(1+len(st.ByChannel)+j)*plBlockRows+1+i)
					total = total.Add(v)
				}
			}
			if got, _ := plCell(t, f, plYear0Col, top+1+i); got.Sub(total).Abs().GreaterThan(cent) {
				t.Errorf("channel %s %s: %s, its partnerships sum to %s", st.ByChannel[c].Key, plLines[i].Label, got, total)
			}
		}
	}
	if want := len(blocks) * len(plLines) * len(years); checked != want {
		t.Errorf("checked %d figures, want %d", checked, want)
	}
	// The portfolio's GMV in 2026 by hand: the first 7 months.
	gmv := decimal.Zero
	for m := 0; m < 7; m++ {
		gmv = gmv.Add(st.Portfolio.Monthly[m][costmodel.LineGMV])
	}
	if got, _ := plCell(t, f, plYear0Col, plFirstRow+1); !got.Equal(gmv) {
		t.Errorf("portfolio GMV Jun–Dec 2026: %s, want %s", got, gmv)
	}
	if h, _ := f.GetCellValue(SheetAnnualPL, ref(plYear0Col, plHeadRow)); h != "2026 (Jun–Dec)" {
		t.Errorf("first year heading %q", h)
	}
}

// An edit on the Assumptions moves the Annual P&L: after LibreOffice
// recalculates the edited workbook, every Annual P&L figure equals the
// cached figure of the workbook Go writes for the edited portfolio, and
// many of them changed.
func TestAnnualPLFollowsAssumptions(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	edits := map[string]string{"amazon-us/beauty/return_rate": "0.06", "ebay/commission/rate": "0.15"}
	compared, moved := recalcAfterEdits(t, loadPortfolio(t, "larkspur.json"), edits, SheetAnnualPL)
	t.Logf("%d Annual P&L cells compared, %d moved by the edit", compared, moved)
	if compared < 300 || moved < 50 {
		t.Errorf("%d cells compared, %d moved: the Annual P&L does not follow the Assumptions", compared, moved)
	}
}
