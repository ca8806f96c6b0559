package costmodel

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
)

// graphStatement builds p's model and evaluates it at the portfolio's
// values, failing on any field the builder read that is not a driver.
func graphStatement(t testing.TB, name string, p *Portfolio) *Statement {
	t.Helper()
	m, err := NewModel(p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if m.notDrivers != 0 {
		t.Errorf("%s: the builder read %d numbers that are not drivers", name, m.notDrivers)
	}
	st, err := m.Evaluate(nil, nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return st
}

// diffs collects the differences between two statements, up to a limit.
type diffs struct {
	list []string
	n    int
}

func (d *diffs) add(format string, args ...any) {
	d.n++
	if len(d.list) < 12 {
		d.list = append(d.list, fmt.Sprintf(format, args...))
	}
}

func (d *diffs) dec(where string, got, want decimal.Decimal) {
	if !got.Equal(want) {
		d.add("%s = %s, want %s", where, got, want)
	}
}

func (d *diffs) block(where string, got, want *Block) {
	if len(got.Monthly) != len(want.Monthly) || len(got.Orders) != len(want.Orders) {
		d.add("%s: %d months and %d orders, want %d and %d", where, len(got.Monthly), len(got.Orders), len(want.Monthly), len(want.Orders))
		return
	}
	for m := range want.Monthly {
		for l := Line(0); l < NumLines; l++ {
			d.dec(fmt.Sprintf("%s month %d %s", where, m, l), got.Monthly[m][l], want.Monthly[m][l])
		}
		d.dec(fmt.Sprintf("%s month %d orders", where, m), got.Orders[m], want.Orders[m])
	}
	for l := Line(0); l < NumLines; l++ {
		d.dec(fmt.Sprintf("%s total %s", where, l), got.Total[l], want.Total[l])
	}
}

func (d *diffs) measures(where string, got, want Measures) {
	r := func(name string, g, w Ratio) {
		if g.Valid != w.Valid || !g.Value.Equal(w.Value) {
			d.add("%s %s = %v, want %v", where, name, g, w)
		}
	}
	r("CM1 ratio", got.CM1Ratio, want.CM1Ratio)
	r("CM2 ratio", got.CM2Ratio, want.CM2Ratio)
	r("CM3 ratio", got.CM3Ratio, want.CM3Ratio)
	r("contribution ratio", got.ContributionRatio, want.ContributionRatio)
	r("break-even orders", got.BreakEvenOrders, want.BreakEvenOrders)
	d.dec(where+" NPV", got.NPV, want.NPV)
	if got.IRRMonthly != want.IRRMonthly || got.IRRAnnual != want.IRRAnnual || fmt.Sprint(got.IRRErr) != fmt.Sprint(want.IRRErr) {
		d.add("%s IRR = %v %v %v, want %v %v %v", where, got.IRRMonthly, got.IRRAnnual, got.IRRErr, want.IRRMonthly, want.IRRAnnual, want.IRRErr)
	}
	if got.Payback != want.Payback {
		d.add("%s payback = %v, want %v", where, got.Payback, want.Payback)
	}
}

// compareStatements lists every difference between got and want: every
// Amounts entry of every month, row and roll-up, the orders, the totals
// and the measures, compared with decimal.Equal.
func compareStatements(got, want *Statement) *diffs {
	d := &diffs{}
	if got.Currency != want.Currency || got.Start != want.Start || got.Months != want.Months {
		d.add("header %v %v %d, want %v %v %d", got.Currency, got.Start, got.Months, want.Currency, want.Start, want.Months)
	}
	d.dec("monthly rate", got.MonthlyRate, want.MonthlyRate)
	if len(got.Partnerships) != len(want.Partnerships) {
		d.add("%d partnerships, want %d", len(got.Partnerships), len(want.Partnerships))
		return d
	}
	for i := range want.Partnerships {
		g, w := &got.Partnerships[i], &want.Partnerships[i]
		if g.ID != w.ID || g.Name != w.Name || g.Channel != w.Channel || len(g.Categories) != len(w.Categories) {
			d.add("partnership %d: %s %q %s with %d categories, want %s %q %s with %d", i, g.ID, g.Name, g.Channel, len(g.Categories), w.ID, w.Name, w.Channel, len(w.Categories))
			continue
		}
		for j := range w.Categories {
			if g.Categories[j].ID != w.Categories[j].ID || g.Categories[j].Name != w.Categories[j].Name {
				d.add("%s category %d: %s, want %s", w.ID, j, g.Categories[j].ID, w.Categories[j].ID)
			}
			d.block(w.ID+"/"+w.Categories[j].ID, &g.Categories[j].Block, &w.Categories[j].Block)
		}
		d.block(w.ID+" own", &g.Own, &w.Own)
		d.block(w.ID+" total", &g.Total, &w.Total)
		d.measures(w.ID, g.Measures, w.Measures)
	}
	rollups := func(kind string, g, w []Rollup) {
		if len(g) != len(w) {
			d.add("%d %s roll-ups, want %d", len(g), kind, len(w))
			return
		}
		for k := range w {
			if g[k].Key != w[k].Key {
				d.add("%s roll-up %d: %s, want %s", kind, k, g[k].Key, w[k].Key)
			}
			d.block(kind+" "+w[k].Key, &g[k].Block, &w[k].Block)
		}
	}
	rollups("channel", got.ByChannel, want.ByChannel)
	rollups("category", got.ByCategory, want.ByCategory)
	d.block("partnership level", &got.PartnershipLevel, &want.PartnershipLevel)
	d.block("portfolio", &got.Portfolio, &want.Portfolio)
	d.measures("portfolio", got.Measures, want.Measures)
	return d
}

// checkGraphEqual holds the graph's exact statement of p to the old
// arithmetic's, to the digit.
func checkGraphEqual(t testing.TB, name string, p *Portfolio) {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	want := evaluate(p)
	got := graphStatement(t, name, p)
	if d := compareStatements(got, want); d.n > 0 {
		t.Errorf("%s: %d differences:\n  %s", name, d.n, fmt.Sprint(d.list))
	}
}

// CheckGraphEqual exposes the check to the external test package, which
// can build the benchmark portfolios.
var CheckGraphEqual = checkGraphEqual

func TestGraphEqualsStatementTestdata(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata portfolios: %v %v", files, err)
	}
	for _, f := range files {
		checkGraphEqual(t, filepath.Base(f), loadTestdata(t, filepath.Base(f)))
	}
	for name, p := range variants(t) {
		checkGraphEqual(t, name, p)
	}
	checkGraphEqual(t, "adjusted", adjusted(t))
}

// TestGraphEqualsStatementRandom holds the graph to the old arithmetic on
// random valid portfolios of every fee shape.
func TestGraphEqualsStatementRandom(t *testing.T) {
	t.Parallel()
	n := 300
	if testing.Short() {
		n = 40
	}
	adjusted := 0
	for seed := range uint64(n) {
		p := newGen(seed).portfolio()
		if err := p.Validate(); err != nil {
			t.Fatalf("seed %d: the generator drew an invalid portfolio: %v", seed, err)
		}
		if len(p.Adjustments) > 0 {
			adjusted++
		}
		checkGraphEqual(t, fmt.Sprintf("seed %d", seed), p)
	}
	if adjusted < n/4 {
		t.Errorf("only %d of %d portfolios have adjustments", adjusted, n)
	}
}
