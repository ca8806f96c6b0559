package costmodel

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/marginalhq/marginal/internal/graph"

	"github.com/shopspring/decimal"
)

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

func checkSame(t *testing.T, name string, got, want *Statement) {
	t.Helper()
	if d := compareStatements(got, want); d.n > 0 {
		t.Errorf("%s: %d differences:\n  %s", name, d.n, strings.Join(d.list, "\n  "))
	}
}

// TestModelReadsOnlyDrivers checks, on every digest portfolio, that the
// builder reads every number from a driver and that the graph is in
// topological order with every input on a driver of the model.
func TestModelReadsOnlyDrivers(t *testing.T) {
	t.Parallel()
	names, ps := digestPortfolios(t)
	for i, p := range ps {
		m, err := NewModel(p)
		if err != nil {
			t.Fatalf("%s: %v", names[i], err)
		}
		if m.notDrivers != 0 {
			t.Errorf("%s: the builder read %d numbers that are not drivers", names[i], m.notDrivers)
		}
		g := m.Graph()
		if g.Drivers != len(m.Drivers()) || len(m.Values()) != len(m.Drivers()) {
			t.Errorf("%s: graph over %d drivers, model has %d and %d values", names[i], g.Drivers, len(m.Drivers()), len(m.Values()))
		}
		for id := range g.Nodes {
			for _, a := range g.Args(graph.ID(id)) {
				if int(a) >= id {
					t.Fatalf("%s: node %d reads node %d", names[i], id, a)
				}
			}
		}
	}
}

// TestModelAdjustmentValues changes each adjustment's value as a driver
// of the model and compares with Evaluate of the portfolio whose
// adjustment has that value: the adjustment's months follow its input.
func TestModelAdjustmentValues(t *testing.T) {
	t.Parallel()
	p := adjusted(t)
	m, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range p.Adjustments {
		addr := fmt.Sprintf("adjustments/%d/value", k+1)
		i, ok := m.Index(addr)
		if !ok {
			t.Fatalf("no driver %s", addr)
		}
		if !m.Drivers()[i].Value.Equal(a.Value) {
			t.Errorf("%s = %s, want %s", addr, m.Drivers()[i].Value, a.Value)
		}
		v := a.Value.Mul(d("0.9")).Round(4)
		if a.Op == Add {
			v = a.Value.Mul(d("0.5"))
		}
		vals := m.Values()
		vals[i] = v
		got, err := m.Evaluate(vals, nil)
		if err != nil {
			t.Fatal(err)
		}
		q := p.Clone()
		q.Adjustments[k].Value = v
		checkSame(t, addr, got, evalT(t, q))
		if before := evalT(t, p); compareStatements(got, before).n == 0 {
			t.Errorf("%s = %s moved nothing", addr, v)
		}
	}
}

// TestModelByMonth gives drivers a value per month through overrides and
// compares with Evaluate of the portfolio whose first adjustments set
// those values in those months (later adjustments apply on top of both).
func TestModelByMonth(t *testing.T) {
	t.Parallel()
	p := adjusted(t)
	addrs := []string{"etsy/home/orders", "amazon-us/beauty/commission/tier/1/rate", "own-shop/payment/cap", "feedlink/home/ramp_start"}
	m, err := BuildModel(p, ModelOptions{ByMonth: addrs})
	if err != nil {
		t.Fatal(err)
	}
	// Without overrides, the same statement as Evaluate.
	base, err := m.Evaluate(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, "by month, no overrides", base, evalT(t, p))

	over := graph.Overrides{}
	q := p.Clone()
	var set []Adjustment
	for k, addr := range addrs {
		i, _ := m.Index(addr)
		dr := m.Drivers()[i]
		for _, month := range []int{k, 5 + 2*k, 9, 30} {
			v := dr.Value.Mul(d("0.8").Add(d("0.05").Mul(decimal.NewFromInt(int64(k))))).Round(6)
			over[graph.DriverMonth{Driver: int32(i), Month: int32(month)}] = v
			set = append(set, Adjustment{Target: addr, Op: SetTo, Value: v, From: month, To: month})
		}
	}
	q.Adjustments = append(set, q.Adjustments...)
	got, err := m.Evaluate(nil, over)
	if err != nil {
		t.Fatal(err)
	}
	checkSame(t, "by month with overrides", got, evalT(t, q))
	if compareStatements(got, base).n == 0 {
		t.Error("the overrides moved nothing")
	}

	for _, bad := range []string{"portfolio/discount_rate", "etsy/home/growth", "nobody/orders"} {
		if _, err := BuildModel(p, ModelOptions{ByMonth: []string{bad}}); err == nil {
			t.Errorf("ByMonth %s accepted", bad)
		}
	}
}

// TestModelNodes reads the statement through the model's node tables:
// every row, partnership, roll-up and the portfolio, at the nodes the
// model names, hold the statement's amounts.
func TestModelNodes(t *testing.T) {
	t.Parallel()
	p := adjusted(t)
	m, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := m.Graph().Eval(m.Values(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	st := evalT(t, p)
	d := &diffs{}
	check := func(where string, nb *BlockNodes, b *Block) {
		for mo := range b.Monthly {
			for l := Line(0); l < NumLines; l++ {
				d.dec(fmt.Sprintf("%s month %d %s", where, mo, l), vals[nb.Monthly[mo][l]], b.Monthly[mo][l])
			}
			d.dec(fmt.Sprintf("%s month %d orders", where, mo), vals[nb.Orders[mo]], b.Orders[mo])
		}
		for l := Line(0); l < NumLines; l++ {
			d.dec(fmt.Sprintf("%s total %s", where, l), vals[nb.Total[l]], b.Total[l])
		}
	}
	rows := 0
	for i := range st.Partnerships {
		ps := &st.Partnerships[i]
		for j := range ps.Categories {
			row := m.Row(i, j)
			check(ps.ID+"/"+ps.Categories[j].ID, m.RowNodes(row), &ps.Categories[j].Block)
			if m.Line(row, 3, LineGMV) != m.RowNodes(row).Monthly[3][LineGMV] || m.Orders(row, 3) != m.RowNodes(row).Orders[3] {
				t.Errorf("%s: Line and Orders disagree with RowNodes", ps.ID)
			}
			rows++
		}
		check(ps.ID+" own", m.RowNodes(m.OwnRow(i)), &ps.Own)
		check(ps.ID+" total", m.PartnershipNodes(i), &ps.Total)
		rows++
	}
	if m.Rows() != rows {
		t.Errorf("%d rows, want %d", m.Rows(), rows)
	}
	for _, r := range st.ByChannel {
		nb, ok := m.ChannelNodes(r.Key)
		if !ok {
			t.Fatalf("no channel %s", r.Key)
		}
		check("channel "+r.Key, nb, &r.Block)
	}
	for _, r := range st.ByCategory {
		nb, ok := m.CategoryNodes(r.Key)
		if !ok {
			t.Fatalf("no category %s", r.Key)
		}
		check("category "+r.Key, nb, &r.Block)
	}
	if _, ok := m.ChannelNodes("nowhere"); ok {
		t.Error("a channel nobody has")
	}
	check("partnership level", m.PartnershipLevelNodes(), &st.PartnershipLevel)
	check("portfolio", m.PortfolioNodes(), &st.Portfolio)
	if d.n > 0 {
		t.Errorf("%d differences:\n  %s", d.n, strings.Join(d.list, "\n  "))
	}
}

// TestModelConcurrent evaluates one Model from several goroutines at
// different driver values (run with -race); each result equals the
// serial one.
func TestModelConcurrent(t *testing.T) {
	t.Parallel()
	p := adjusted(t)
	m, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := m.Index("etsy/home/orders")
	want := make([]*Statement, 4)
	for k := range want {
		vals := m.Values()
		vals[i] = vals[i].Add(decimal.NewFromInt(int64(100 * k)))
		if want[k], err = m.Evaluate(vals, nil); err != nil {
			t.Fatal(err)
		}
	}
	got := make([]*Statement, len(want))
	errs := make([]error, len(want))
	var wg sync.WaitGroup
	for k := range want {
		wg.Go(func() {
			vals := m.Values()
			vals[i] = vals[i].Add(decimal.NewFromInt(int64(100 * k)))
			got[k], errs[k] = m.Evaluate(vals, nil)
		})
	}
	wg.Wait()
	for k := range want {
		if errs[k] != nil {
			t.Fatal(errs[k])
		}
		checkSame(t, fmt.Sprintf("goroutine %d", k), got[k], want[k])
	}
}
