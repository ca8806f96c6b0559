package costmodel

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// The float tape (internal/graph) against the exact statement, on the
// model's graph of real portfolios: every line of every row and month,
// and every row's orders, with every driver at its value.

// errorBounds bounds, node by node, how far the float tape with Round as
// the identity may be from the exact value: each Round adds half a unit
// of its last place, each Div half a unit of its places (the tape does
// not round either), and the bounds propagate through the arithmetic to
// first order (|a|·e_b + |b|·e_a + e_a·e_b for a product). An if_le whose
// operands are closer than their bounds, or a division by an uncertain
// divisor, has no bound (+Inf): the test skips those nodes.
func errorBounds(g *graph.Graph, vals []decimal.Decimal) []float64 {
	e := make([]float64, len(g.Nodes))
	v := func(id graph.ID) float64 { return vals[id].InexactFloat64() }
	for i := range g.Nodes {
		n := &g.Nodes[i]
		a := g.Args(graph.ID(i))
		switch n.Kind {
		case graph.Round:
			e[i] = e[a[0]] + 0.5*math.Pow(10, -float64(n.Places))
		case graph.Add, graph.Sub, graph.Sum:
			for _, x := range a {
				e[i] += e[x]
			}
		case graph.Neg:
			e[i] = e[a[0]]
		case graph.Mul:
			e[i] = mulBound(math.Abs(v(a[0])), e[a[1]]) + mulBound(math.Abs(v(a[1])), e[a[0]]) + mulBound(e[a[0]], e[a[1]])
		case graph.Div:
			switch d := math.Abs(v(a[1])); {
			case d == 0:
			case e[a[1]] == 0:
				e[i] = e[a[0]]/d + 0.5*math.Pow(10, -float64(n.Places))
			case e[a[1]] < d/2:
				e[i] = (e[a[0]]+math.Abs(v(graph.ID(i)))*e[a[1]])/(d-e[a[1]]) + 0.5*math.Pow(10, -float64(n.Places))
			default:
				e[i] = math.Inf(1)
			}
		case graph.Min, graph.Max:
			e[i] = max(e[a[0]], e[a[1]])
		case graph.Root12:
			if x := v(a[0]); x > 0.5 {
				e[i] = e[a[0]] * math.Pow(x, -11.0/12) / 12
			} else if e[a[0]] > 0 {
				e[i] = math.Inf(1)
			}
		case graph.Ceil:
			// Exact unless the operand is within its bound of a whole
			// number (where the tape may step the other way).
			x := v(a[0])
			if frac := x - math.Floor(x); e[a[0]] > 0 && (frac <= e[a[0]] || 1-frac <= e[a[0]]) {
				e[i] = math.Inf(1)
			}
		case graph.IfLE:
			if gap := math.Abs(v(a[0]) - v(a[1])); gap > e[a[0]]+e[a[1]] || (e[a[0]] == 0 && e[a[1]] == 0) {
				e[i] = max(e[a[2]], e[a[3]])
			} else {
				e[i] = math.Inf(1)
			}
		}
	}
	return e
}

// mulBound is x·e, 0 when either is 0 (an exact zero times an unbounded
// error is an exact zero).
func mulBound(x, e float64) float64 {
	if x == 0 || e == 0 {
		return 0
	}
	return x * e
}

// tapeCase is the model of a portfolio with the nodes a tape check
// reads: every line of every row and month, and every row's orders.
type tapeCase struct {
	m    *Model
	ids  []graph.ID
	what []string
	half float64 // half a minor unit
	// tapes[folded][round]: every driver an input of the tape (folded 0)
	// or none, with the tape rounding or not.
	tapes [2][2]*graph.Tape
}

func newTapeCase(t testing.TB, name string, m *Model) *tapeCase {
	t.Helper()
	c := &tapeCase{m: m, half: 0.5 * math.Pow(10, -float64(m.cur.MinorUnit))}
	for r := range m.Rows() {
		for mo := range m.Months() {
			for l := Line(0); l < NumLines; l++ {
				c.ids = append(c.ids, m.Line(r, mo, l))
				c.what = append(c.what, fmt.Sprintf("row %d month %d %s", r, mo, l))
			}
			c.ids = append(c.ids, m.Orders(r, mo))
			c.what = append(c.what, fmt.Sprintf("row %d month %d orders", r, mo))
			if m.HasAllocation() {
				for l := Line(0); l < NumLines; l++ {
					c.ids = append(c.ids, m.ViewLine(Allocated, r, mo, l))
					c.what = append(c.what, fmt.Sprintf("row %d month %d %s (allocated)", r, mo, l))
				}
			}
		}
	}
	base := floats(m.Values())
	var all []graph.DriverMonth
	for d := range m.Drivers() {
		all = append(all, graph.DriverMonth{Driver: int32(d), Month: graph.AllMonths})
	}
	for f, varying := range [][]graph.DriverMonth{all, nil} {
		for r, round := range []bool{false, true} {
			tp, err := graph.Compile(m.Graph(), graph.Nodes(c.ids...), varying, base, nil, graph.TapeOptions{Block: 3, Round: round})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			c.tapes[f][r] = tp
		}
	}
	return c
}

func floats(ds []decimal.Decimal) []float64 {
	out := make([]float64, len(ds))
	for i, v := range ds {
		out[i] = v.InexactFloat64()
	}
	return out
}

// check runs the tapes at the given driver values and per-month overrides
// (the folded tapes only at the portfolio's values, over nil) and
// compares with the exact graph: with the tape rounding, every line
// within half a minor unit; without, every line within its error bound
// (half a minor unit per rounded line it sums) and every base line within
// half a minor unit. Every output must be finite.
func (c *tapeCase) check(t *testing.T, name string, drivers []decimal.Decimal, over graph.Overrides) {
	t.Helper()
	g := c.m.Graph()
	vals, err := g.Eval(drivers, over, nil)
	if err != nil {
		t.Fatal(err)
	}
	bounds := errorBounds(g, vals)
	folds := 2
	if over != nil || !slicesEqualDec(drivers, c.m.values) {
		folds = 1 // the folded tapes hold the portfolio's values
	}
	for f := range folds {
		for r, round := range []bool{false, true} {
			tp := c.tapes[f][r]
			w := tp.NewWorkspace()
			for k, dm := range tp.Inputs() {
				v := drivers[dm.Driver]
				if o, ok := over[dm]; ok && dm.Month != graph.AllMonths {
					v = o
				}
				for j := range w.Input(k) {
					w.Input(k)[j] = v.InexactFloat64()
				}
			}
			tp.Run(w, 2)
			bad, unbounded := 0, 0
			for k, id := range c.ids {
				want := vals[id].InexactFloat64()
				for _, got := range w.Output(k, 2) {
					if math.IsNaN(got) || math.IsInf(got, 0) {
						t.Fatalf("%s: %s is %v", name, c.what[k], got)
					}
					d := math.Abs(got - want)
					noise := 1e-9 * (1 + math.Abs(want))
					tol := c.half + noise
					if !round {
						if math.IsInf(bounds[id], 1) {
							unbounded++
							continue
						}
						tol = bounds[id] + noise
						if g.Nodes[id].Kind == graph.Round && bounds[id] <= c.half*1.0001 {
							tol = c.half + noise // a base line: half a minor unit
						}
					}
					if !(d <= tol) {
						if bad++; bad <= 5 {
							t.Errorf("%s (%d inputs, round %v): %s: tape %.6f, exact %s, off by %.3g > %.3g", name, len(tp.Inputs()), round, c.what[k], got, vals[id], d, tol)
						}
					}
				}
			}
			if unbounded > len(c.ids)/10 {
				t.Errorf("%s: %d of %d lines without an error bound: the check is too weak", name, unbounded/2, len(c.ids))
			}
		}
	}
}

func slicesEqualDec(a, b []decimal.Decimal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// checkTapeExact checks p's tape at the portfolio's values.
func checkTapeExact(t *testing.T, name string, p *Portfolio) {
	t.Helper()
	m, err := NewModel(p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	newTapeCase(t, name, m).check(t, name, m.Values(), nil)
}

// TestTapeEqualsExact checks the tape against the exact statement on the
// testdata portfolios, the variants of every fee shape, a portfolio with
// adjustments and random portfolios.
func TestTapeEqualsExact(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata portfolios: %v %v", files, err)
	}
	for _, f := range files {
		checkTapeExact(t, filepath.Base(f), loadTestdata(t, filepath.Base(f)))
	}
	for name, p := range variants(t) {
		checkTapeExact(t, name, p)
	}
	checkTapeExact(t, "adjusted", adjusted(t))
	n := 40
	if testing.Short() {
		n = 8
	}
	for seed := range uint64(n) {
		checkTapeExact(t, fmt.Sprintf("seed %d", seed), newGen(seed).portfolio())
	}
}

// TestTapeMovedDriver moves one driver at a time, as a simulation does
// (the tape's input, the exact graph's driver value), and holds the tape
// to the exact statement of the portfolio with the driver set to that
// value (Portfolio.Set): tiers and thresholds exactly on a bound, a
// category's own volume tiers, set-up, support, the discount rate.
func TestTapeMovedDriver(t *testing.T) {
	t.Parallel()
	ports := variants(t)
	ports["larkspur"] = loadTestdata(t, "larkspur.json")
	moves := []struct{ port, addr, value string }{
		{"larkspur", "amazon-us/beauty/commission/tier/1/rate", "0.09"},
		{"larkspur", "amazon-us/beauty/commission/tier/1/up_to", "8.99"}, // a price exactly on the bound
		{"larkspur", "amazon-us/clothing/commission/tier/2/up_to", "35"},
		{"larkspur", "amazon-us/electronics-accessories/commission/tier/1/up_to", "29.99"},
		{"larkspur", "amazon-us/electronics-accessories/commission/refund/admin_fixed", "0.5"},
		{"larkspur", "amazon-us/furniture/price_mix/1/price", "199.99"},
		{"larkspur", "amazon-us/beauty/unit_cost", "6.15"},
		{"larkspur", "ebay/commission/rate", "0.1235"},
		{"larkspur", "ebay/commission/per_order_threshold", "28.95"}, // an order total exactly on it
		{"larkspur", "ebay/home/seasonality/nov", "2.5"},
		{"larkspur", "etsy/home/return_rate", "0.3"},
		{"larkspur", "etsy/payment/rate", "0.05"},
		{"larkspur", "own-shop/beauty/orders", "1537.5"},
		{"larkspur", "own-shop/beauty/ramp_start", "0.9"},
		{"larkspur", "own-shop/home/growth", "-0.3"},
		{"larkspur", "own-shop/setup/site-build/amount", "31234.57"},
		{"larkspur", "own-shop/marketing/rate", "0.2"},
		{"larkspur", "feedlink/minimum_commission", "5000"},
		{"larkspur", "feedlink/data_transfer/band/1/up_to", "900"},
		{"larkspur", "feedlink/data_transfer/allowance", "850"},
		{"larkspur", "feedlink/api/band/1/up_to", "3.5"},
		{"larkspur", "feedlink/support/cost_per_ticket", "11"},
		{"larkspur", "portfolio/discount_rate", "0.25"},
		{"larkspur", "portfolio/discount_rate", "-0.5"},
		{"larkspur+variants", "feedlink/commission/tier/1/up_to", "1500"},
		{"larkspur+variants", "feedlink/commission/tier/2/rate", "0.07"},
		{"larkspur+variants", "feedlink/beauty/orders", "500"},
		{"larkspur+variants", "ebay/commission/tier/2/up_to", "20000"},
		{"larkspur+variants", "ebay/home/price_mix/2/price", "31"},
		{"larkspur+variants", "ebay/minimum_commission", "4000"},
		{"larkspur+variants", "own-shop/payment/cap", "0.6"},
		{"larkspur+variants", "feedlink/data_transfer/fixed_gb", "11000"},
		{"larkspur+variants", "amazon-us/clothing/commission/tier/1/up_to", "13.12"}, // 12 + 1.12 exactly on it (float: 13.120000000000001)
		{"larkspur+variants", "amazon-us/furniture/commission/tier/1/up_to", "40"},
		{"larkspur+variants", "hosting/setup/migration/amount", "99999.99"},
		{"larkspur+variants", "hosting/maintenance/servers/monthly", "0"},
	}
	cases := map[string]*tapeCase{}
	for _, mv := range moves {
		name := mv.port + " " + mv.addr + "=" + mv.value
		p := ports[mv.port]
		c := cases[mv.port]
		if c == nil {
			m, err := NewModel(p)
			if err != nil {
				t.Fatal(err)
			}
			c = newTapeCase(t, mv.port, m)
			cases[mv.port] = c
		}
		i, ok := c.m.Index(mv.addr)
		if !ok {
			t.Fatalf("%s: no driver", name)
		}
		vals := c.m.Values()
		vals[i] = d(mv.value)
		c.check(t, name, vals, nil)
		// The exact graph at the moved value is the moved portfolio's
		// statement.
		q := p.Clone()
		if _, err := q.Set(mv.addr, d(mv.value)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := c.m.Evaluate(vals, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameTotals(t, name, got, evalT(t, q))
	}
}

// sameTotals compares two statements' totals to the digit: the
// portfolio's lines, NPV and every partnership's lines.
func sameTotals(t *testing.T, name string, got, want *Statement) {
	t.Helper()
	for l := Line(0); l < NumLines; l++ {
		if !got.Portfolio.Total[l].Equal(want.Portfolio.Total[l]) {
			t.Errorf("%s: portfolio %s %s, want %s", name, l, got.Portfolio.Total[l], want.Portfolio.Total[l])
		}
		for i := range want.Partnerships {
			if g, w := got.Partnerships[i].Total.Total[l], want.Partnerships[i].Total.Total[l]; !g.Equal(w) {
				t.Errorf("%s: %s %s %s, want %s", name, want.Partnerships[i].ID, l, g, w)
			}
		}
	}
	if !got.Measures.NPV.Equal(want.Measures.NPV) {
		t.Errorf("%s: NPV %s, want %s", name, got.Measures.NPV, want.Measures.NPV)
	}
}

// TestTapeMonthByMonth gives drivers of every kind a value of their own
// in each month (ModelOptions.ByMonth, as Monte Carlo's per-month inputs
// do) and holds the tape to the exact graph at those values; and, in the
// exact graph, a month's lines equal those of the whole horizon at that
// month's value.
func TestTapeMonthByMonth(t *testing.T) {
	t.Parallel()
	p := variants(t)["larkspur+variants"]
	for _, addr := range []string{"etsy/commission/rate", "ebay/commission/tier/1/rate", "amazon-us/beauty/price_mix/2/price",
		"feedlink/home/units_per_order", "feedlink/home/ramp_start", "amazon-us/beauty/orders",
		"ebay/home/seasonality/nov", "feedlink/minimum_commission", "own-shop/payment/cap"} {
		m, err := BuildModel(p, ModelOptions{ByMonth: []string{addr}})
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		i, _ := m.Index(addr)
		vals := m.Values()
		over := graph.Overrides{}
		value := func(mo int) decimal.Decimal {
			return vals[i].Mul(decimal.NewFromFloat(0.8 + 0.02*float64(mo))).Round(12)
		}
		for mo := range m.Months() {
			over[graph.DriverMonth{Driver: int32(i), Month: int32(mo)}] = value(mo)
		}
		c := newTapeCase(t, addr, m)
		monthly := 0
		for _, dm := range c.tapes[0][0].Inputs() {
			if int(dm.Driver) == i && dm.Month != graph.AllMonths {
				monthly++
			}
		}
		if monthly < 2 || monthly > m.Months() {
			// (fewer than the horizon: a partnership launching late reads
			// no value before its launch, a ramp none after it)
			t.Fatalf("%s: %d tape inputs by month: want one a month it is read", addr, monthly)
		}
		c.check(t, addr+" by month", vals, over)
		st, err := m.Evaluate(vals, over)
		if err != nil {
			t.Fatal(err)
		}
		for _, mo := range []int{0, 17, m.Months() - 1} {
			whole := slices.Clone(vals)
			whole[i] = value(mo)
			one, err := m.Evaluate(whole, nil)
			if err != nil {
				t.Fatal(err)
			}
			for l := Line(0); l < NumLines; l++ {
				if l == LineAmortisation {
					continue // spreads set-up over later months
				}
				for k := range st.Partnerships {
					if g, w := st.Partnerships[k].Total.Monthly[mo][l], one.Partnerships[k].Total.Monthly[mo][l]; !g.Equal(w) {
						t.Errorf("%s: %s month %d %s = %s, want %s", addr, st.Partnerships[k].ID, mo, l, g, w)
					}
				}
			}
		}
	}
}

// TestTapeMonthlyOrders doubles a category's orders in one month only: on
// the small portfolio (3 months) that equals doubling the month's
// seasonality, exactly, and the tape follows.
func TestTapeMonthlyOrders(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	m, err := BuildModel(p, ModelOptions{ByMonth: []string{"market/mugs/orders"}})
	if err != nil {
		t.Fatal(err)
	}
	c := newTapeCase(t, "small", m)
	i, _ := m.Index("market/mugs/orders")
	for t0, month := range []string{"nov", "dec", "jan"} {
		vals := m.Values()
		over := graph.Overrides{{Driver: int32(i), Month: int32(t0)}: vals[i].Mul(d("2"))}
		c.check(t, "orders ×2 in "+month, vals, over)
		got, err := m.Evaluate(vals, over)
		if err != nil {
			t.Fatal(err)
		}
		q := p.Clone()
		addr := "market/mugs/seasonality/" + month
		s, _ := q.Driver(addr)
		if _, err := q.Set(addr, s.Value.Mul(d("2"))); err != nil {
			t.Fatal(err)
		}
		sameTotals(t, "orders ×2 in "+month, got, evalT(t, q))
	}
}
