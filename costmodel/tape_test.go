package costmodel

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// The float tape (internal/graph) against the exact statement, on the
// model's graph of real portfolios: every line of every row and month,
// and every row's orders, with every driver at its value.

// modelRows lists the rows of partnership i, computed from the portfolio
// as Compiled numbers them (each partnership's categories, then its own
// row).
func modelRows(p *Portfolio) [][]int {
	var out [][]int
	row := 0
	for i := range p.Partnerships {
		var rows []int
		for range len(p.Partnerships[i].Categories) + 1 {
			rows = append(rows, row)
			row++
		}
		out = append(out, rows)
	}
	return out
}

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

// checkTapeExact compiles the model of p to a tape reading every line,
// runs it with every driver at its value (once with every driver an
// input of the tape, once with all of them folded) and compares with the
// exact graph: with the tape rounding, every line within half a minor
// unit; without, every line within its error bound (half a minor unit
// per rounded line it sums) and every base line within half a minor unit.
func checkTapeExact(t *testing.T, name string, p *Portfolio) {
	t.Helper()
	m, err := NewModel(p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	g := m.Graph()
	vals, err := g.Eval(m.Values(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	base := make([]float64, len(vals))
	for i, v := range m.Values() {
		base[i] = v.InexactFloat64()
	}
	base = base[:len(m.Values())]
	var ids []graph.ID
	var what []string
	for i, rows := range modelRows(p) {
		for _, r := range rows {
			for mo := range m.Months() {
				for l := Line(0); l < NumLines; l++ {
					ids = append(ids, m.Line(r, mo, l))
					what = append(what, fmt.Sprintf("partnership %d row %d month %d %s", i, r, mo, l))
				}
				ids = append(ids, m.Orders(r, mo))
				what = append(what, fmt.Sprintf("partnership %d row %d month %d orders", i, r, mo))
			}
		}
	}
	half := 0.5 * math.Pow(10, -float64(m.cur.MinorUnit))
	bounds := errorBounds(g, vals)
	var all []graph.DriverMonth
	for d := range m.Drivers() {
		all = append(all, graph.DriverMonth{Driver: int32(d), Month: graph.AllMonths})
	}
	for _, varying := range [][]graph.DriverMonth{all, nil} {
		for _, round := range []bool{true, false} {
			tp, err := graph.Compile(g, graph.Nodes(ids...), varying, base, nil, graph.TapeOptions{Block: 3, Round: round})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			w := tp.NewWorkspace()
			for k, dm := range tp.Inputs() {
				for j := range w.Input(k) {
					w.Input(k)[j] = base[dm.Driver]
				}
			}
			tp.Run(w, 2)
			bad, unbounded := 0, 0
			for k, id := range ids {
				want := vals[id].InexactFloat64()
				for _, got := range w.Output(k, 2) {
					d := math.Abs(got - want)
					noise := 1e-9 * (1 + math.Abs(want))
					tol := half + noise
					if !round {
						if math.IsInf(bounds[id], 1) {
							unbounded++
							continue
						}
						tol = bounds[id] + noise
						if g.Nodes[id].Kind == graph.Round && bounds[id] <= half*1.0001 {
							tol = half + noise // a base line: half a minor unit
						}
					}
					if !(d <= tol) {
						if bad++; bad <= 5 {
							t.Errorf("%s (%d inputs, round %v): %s: tape %.6f, exact %s, off by %.3g > %.3g", name, len(tp.Inputs()), round, what[k], got, vals[id], d, tol)
						}
					}
				}
			}
			if unbounded > len(ids)/20 {
				t.Errorf("%s: %d of %d lines without an error bound: the check is too weak", name, unbounded/2, len(ids))
			}
		}
	}
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
