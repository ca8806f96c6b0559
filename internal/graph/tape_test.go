package graph

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/shopspring/decimal"
)

// trialValues are one trial's values: every driver's, and per-month
// overrides.
type trialValues struct {
	drivers []decimal.Decimal
	over    Overrides
}

// fill writes trial j's values into the tape's inputs: an Input of month
// m reads its override when the trial has one, else the driver's value,
// as the exact evaluator reads it.
func fill(tp *Tape, w *Workspace, j int, tv trialValues) {
	for k, dm := range tp.Inputs() {
		v := tv.drivers[dm.Driver]
		if o, ok := tv.over[dm]; ok && dm.Month != AllMonths {
			v = o
		}
		w.Input(k)[j] = v.InexactFloat64()
	}
}

func floats(ds []decimal.Decimal) []float64 {
	out := make([]float64, len(ds))
	for i, v := range ds {
		out[i] = v.InexactFloat64()
	}
	return out
}

// cone returns, per node, the largest |value| in its cone: the scale of
// the float error an evaluation of the node may carry.
func cone(g *Graph, vals []decimal.Decimal) []float64 {
	m := make([]float64, len(vals))
	for i := range vals {
		m[i] = math.Abs(vals[i].InexactFloat64())
		for _, a := range g.Args(ID(i)) {
			m[i] = max(m[i], m[a])
		}
	}
	return m
}

// checkTape runs the tape on the trials (in blocks) and compares every
// output of every trial with the exact evaluator's, within a relative
// 1e−9 of the largest value in the output's cone (float64 carries 16
// digits; a few dozen operations lose at most a few of them, so 1e−9 is
// slack for rounding but far below any wrong operation, which moves a
// value by a sizeable share of its operands).
//
// With unrounded set (the tape's Round is the identity), each Round node
// in an output's cone may move it by half a unit of its last place, so
// the tolerance grows by that much per Round node (the test graphs add
// their rounded amounts with coefficients ±1).
func checkTape(t *testing.T, g *Graph, outs []ID, tp *Tape, trials []trialValues, unrounded bool) {
	t.Helper()
	budget := make([]float64, len(g.Nodes))
	if unrounded {
		for _, id := range outs {
			seen := map[ID]bool{}
			var walk func(ID)
			walk = func(i ID) {
				if seen[i] {
					return
				}
				seen[i] = true
				if n := g.Nodes[i]; n.Kind == Round {
					budget[id] += 0.5 * math.Pow(10, -float64(n.Places))
				}
				for _, a := range g.Args(i) {
					walk(a)
				}
			}
			walk(id)
		}
	}
	w := tp.NewWorkspace()
	B := tp.Block()
	for start := 0; start < len(trials); start += B {
		n := min(B, len(trials)-start)
		for j := range n {
			fill(tp, w, j, trials[start+j])
		}
		tp.Run(w, n)
		for j := range n {
			tv := trials[start+j]
			want, err := g.Eval(tv.drivers, tv.over, nil)
			if err != nil {
				t.Fatal(err)
			}
			scale := cone(g, want)
			for k, id := range outs {
				got := w.Output(k, n)[j]
				wv := want[id].InexactFloat64()
				if tol := 1e-9*(1+scale[id]) + budget[id]; !(math.Abs(got-wv) <= tol) {
					t.Fatalf("trial %d output %d (node %d, %s): tape %v, exact %v (tolerance %.3g)", start+j, k, id, g.Nodes[id].Kind, got, want[id], tol)
				}
			}
		}
	}
}

// TestTapeKinds checks every kind, on varying and on folded operands,
// against the exact evaluator.
func TestTapeKinds(t *testing.T) {
	t.Parallel()
	// Drivers: 0 price, 1 units, 2 return rate, 3 bound, 4 rate low,
	// 5 rate high, 6 volume, 7 minimum, 8 a growth rate.
	base := []string{"19.99", "1.2", "0.05", "10", "0.08", "0.15", "120000", "2500", "0.07"}
	type graphCase struct {
		name  string
		build func(b *Builder) []ID
	}
	in := func(b *Builder, i int) ID { return b.Input(i, AllMonths) }
	cases := []graphCase{
		{"add sub mul neg sum", func(b *Builder) []ID {
			gmv := b.Mul(in(b, 0), in(b, 1))
			refunds := b.Mul(gmv, in(b, 2))
			return []ID{b.Add(gmv, refunds), b.Sub(gmv, refunds), b.Neg(refunds),
				b.Sum([]ID{gmv, in(b, 7)}, []ID{refunds, in(b, 3)}), b.Sum(nil, []ID{gmv, refunds})}
		}},
		{"div and root12", func(b *Builder) []ID {
			return []ID{b.Div(in(b, 0), in(b, 1), 12), b.Div(b.Int(1), in(b, 2), 12), b.Div(in(b, 0), b.Sub(in(b, 3), in(b, 3)), 12),
				b.Root12(b.Add(b.One(), in(b, 8)), 30), b.Div(b.Mul(in(b, 6), in(b, 2)), b.Add(in(b, 6), in(b, 0)), 20)}
		}},
		{"min max if_le", func(b *Builder) []ID {
			fee := b.Mul(in(b, 0), in(b, 4))
			return []ID{b.Max(fee, b.Const(d("0.30"))), b.Min(fee, in(b, 3)), b.Max(b.Neg(fee), b.Const(d("-1"))),
				b.Min(b.Mul(b.Int(-3), fee), b.Int(-4)), b.Max(fee, b.Mul(in(b, 1), in(b, 2))),
				b.IfLE(in(b, 0), in(b, 3), in(b, 4), in(b, 5)), b.IfLE(b.Mul(in(b, 3), in(b, 1)), b.Const(d("12")), b.Int(1), fee)}
		}},
		{"tier schedules", func(b *Builder) []ID {
			up := []ID{b.Const(d("100000")), b.Const(d("500000")), Unbounded}
			rates := []ID{b.Const(d("0.06")), b.Const(d("0.045")), b.Const(d("0.03"))}
			fee := b.Marginal(b.Zero(), in(b, 6), up, rates)
			guarantee := b.Max(b.Zero(), b.Sub(in(b, 7), fee))
			return []ID{fee, guarantee, b.AllUnits(in(b, 0), []ID{in(b, 3), Unbounded}, []ID{in(b, 4), in(b, 5)}),
				b.Marginal(b.Const(d("100")), b.Div(in(b, 6), b.Int(40), 12), []ID{b.Const(d("1024")), Unbounded}, []ID{b.Const(d("0.09")), b.Const(d("0.05"))})}
		}},
		{"round", func(b *Builder) []ID {
			gmv := b.Mul(in(b, 0), in(b, 1))
			return []ID{b.Round(b.Mul(gmv, in(b, 2)), 2), b.Round(b.Neg(b.Mul(gmv, in(b, 2))), 2), b.Round(in(b, 0), 0),
				b.Sum([]ID{b.Round(gmv, 2)}, []ID{b.Round(b.Mul(gmv, in(b, 2)), 2)})}
		}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, gc := range cases {
		for _, vary := range [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8}, {0, 6}, {2}, {}} {
			for _, round := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/vary%v/round=%v", gc.name, vary, round), func(t *testing.T) {
					b := NewBuilder(len(base))
					outs := gc.build(b)
					g := b.Graph()
					var varying []DriverMonth
					for _, i := range vary {
						varying = append(varying, DriverMonth{int32(i), AllMonths})
					}
					baseD := make([]decimal.Decimal, len(base))
					for i, s := range base {
						baseD[i] = d(s)
					}
					tp, err := Compile(g, Nodes(outs...), varying, floats(baseD), nil, TapeOptions{Block: 8, Round: round})
					if err != nil {
						t.Fatal(err)
					}
					// Trials: the base, and draws around it; a varying
					// driver moves, the others stay at base.
					var trials []trialValues
					for j := range 21 {
						ds := append([]decimal.Decimal(nil), baseD...)
						if j > 0 {
							for _, i := range vary {
								// two decimals either way of base: ties of
								// the schedules and the rounding occur
								ds[i] = ds[i].Mul(decimal.New(int64(50+rng.IntN(101)), -2)).Round(4)
							}
						}
						trials = append(trials, trialValues{drivers: ds})
					}
					checkTape(t, g, outs, tp, trials, !round)
				})
			}
		}
	}
}

// randomGraph builds a random graph over the drivers and months: inputs
// whole-horizon and by month, constants, and every kind, each node's
// operands drawn half the time from the leaves so that depth (and the
// size of the exact numbers) stays moderate.
func randomGraph(rng *rand.Rand, drivers, months, nodes int) (*Graph, []ID) {
	b := NewBuilder(drivers)
	var all, leaves []ID
	for dr := range drivers {
		leaves = append(leaves, b.Input(dr, AllMonths))
		for m := range months {
			if rng.IntN(2) == 0 {
				leaves = append(leaves, b.Input(dr, m))
			}
		}
	}
	for range 5 {
		leaves = append(leaves, b.Const(decimal.New(int64(rng.IntN(300)-100), -2)))
	}
	all = append(all, leaves...)
	pick := func() ID {
		if rng.IntN(2) == 0 {
			return leaves[rng.IntN(len(leaves))]
		}
		return all[rng.IntN(len(all))]
	}
	leaf := func() ID { return leaves[rng.IntN(len(leaves))] }
	for len(b.Graph().Nodes) < nodes {
		var id ID
		switch rng.IntN(13) {
		case 0:
			id = b.Add(pick(), pick())
		case 1:
			id = b.Sub(pick(), pick())
		case 2:
			id = b.Mul(pick(), leaf())
		case 3:
			id = b.Mul(b.Int(rng.IntN(7)-3), pick())
		case 4:
			id = b.Div(pick(), b.Max(leaf(), b.Const(d("0.5"))), 16)
		case 5:
			id = b.Neg(pick())
		case 6:
			id = b.Min(pick(), pick())
		case 7:
			id = b.Max(pick(), b.Mul(b.Const(decimal.New(int64(rng.IntN(5)-2), 0)), leaf()))
		case 8:
			id = b.IfLE(pick(), pick(), pick(), pick())
		case 9:
			id = b.Round(pick(), 2)
		case 10:
			id = b.Root12(b.Max(pick(), b.Const(d("0.1"))), 20)
		case 11:
			k := 1 + rng.IntN(5)
			var plus, minus []ID
			for range k {
				if rng.IntN(3) == 0 {
					minus = append(minus, pick())
				} else {
					plus = append(plus, pick())
				}
			}
			id = b.Sum(plus, minus)
		default:
			id = b.Marginal(b.Zero(), pick(), []ID{b.Const(d("0.5")), b.Const(d("1.5")), Unbounded}, []ID{leaf(), b.Const(d("0.3")), leaf()})
		}
		all = append(all, id)
	}
	g := b.Graph()
	var outs []ID
	for range 30 {
		outs = append(outs, all[len(leaves)+rng.IntN(len(all)-len(leaves))])
	}
	return g, append(outs, all[len(all)-1])
}

// TestTapeRandomGraphs compares the tape with the exact evaluator on
// random graphs large enough for partial output sums and slot reuse, with
// drivers varying for the whole horizon or in one month, per-month
// overrides on certain and on varying drivers, and blocks not full.
func TestTapeRandomGraphs(t *testing.T) {
	t.Parallel()
	const drivers, months = 10, 4
	for seed := range uint64(12) {
		rng := rand.New(rand.NewPCG(seed, 99))
		g, outs := randomGraph(rng, drivers, months, 1500)
		base := make([]decimal.Decimal, drivers)
		for i := range base {
			base[i] = decimal.New(int64(50+rng.IntN(101)), -2)
		}
		over := Overrides{}
		overF := map[DriverMonth]float64{}
		for range 6 {
			dm := DriverMonth{int32(rng.IntN(drivers)), int32(rng.IntN(months))}
			over[dm] = decimal.New(int64(50+rng.IntN(101)), -2)
			overF[dm] = over[dm].InexactFloat64()
		}
		var varying []DriverMonth
		wholeVar := map[int32]bool{}
		for dr := range int32(drivers) {
			switch rng.IntN(3) {
			case 0:
				varying = append(varying, DriverMonth{dr, AllMonths})
				wholeVar[dr] = true
			case 1:
				varying = append(varying, DriverMonth{dr, int32(rng.IntN(months))})
			}
		}
		for _, round := range []bool{false, true} {
			tp, err := Compile(g, Nodes(outs...), varying, floats(base), overF, TapeOptions{Block: 16, Round: round})
			if err != nil {
				t.Fatal(err)
			}
			// Trials: a varying input's node takes a fresh value; the
			// exact evaluator sees it as the driver's value (whole-horizon)
			// or as the month's override.
			var trials []trialValues
			for range 37 {
				tv := trialValues{drivers: append([]decimal.Decimal(nil), base...), over: Overrides{}}
				for k, v := range over {
					tv.over[k] = v
				}
				for _, v := range varying {
					x := decimal.New(int64(50+rng.IntN(101)), -2)
					if v.Month == AllMonths {
						tv.drivers[v.Driver] = x
					} else if !wholeVar[v.Driver] {
						tv.over[v] = x
					}
				}
				trials = append(trials, tv)
			}
			t.Run(fmt.Sprintf("seed=%d/round=%v", seed, round), func(t *testing.T) {
				checkTape(t, g, outs, tp, trials, !round)
				if tp.Slots() >= tp.Len()+len(tp.Inputs()) && tp.Len() > 200 {
					t.Errorf("%d slots for %d instructions: no slot is reused", tp.Slots(), tp.Len())
				}
			})
		}
	}
}

// TestTapeFoldsAndPrunes checks that only the varying part of the
// outputs' cone becomes instructions: a graph whose outputs read no
// varying driver runs one fill per output, and nodes outside the cone or
// linear in the varying drivers cost nothing.
func TestTapeFoldsAndPrunes(t *testing.T) {
	t.Parallel()
	b := NewBuilder(3)
	x, y, z := b.Input(0, AllMonths), b.Input(1, AllMonths), b.Input(2, AllMonths)
	// A month-by-month statement in miniature: 36 months of orders ×
	// margin, summed; the margin reads the certain drivers only.
	margin := b.Sub(b.Mul(y, b.Const(d("19.99"))), b.Mul(y, b.Const(d("7.5"))))
	var months []ID
	for m := range 36 {
		n := b.Mul(x, b.Const(decimal.New(int64(90+m), -2)))
		months = append(months, b.Round(b.Mul(n, margin), 2))
	}
	total := b.Sum(months, nil)
	unused := b.Root12(b.Mul(x, z), 20)
	_ = unused
	g := b.Graph()
	base := []float64{1000, 1.2, 3}
	// Orders vary: the total is linear in them, one weighted sum.
	tp, err := Compile(g, Nodes(total), []DriverMonth{{0, AllMonths}}, base, nil, TapeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tp.Len() != 1 || len(tp.Inputs()) != 1 {
		t.Errorf("orders varying: %d instructions and %d inputs, want 1 and 1 (total = c·orders)", tp.Len(), len(tp.Inputs()))
	}
	// Nothing varies: one fill.
	tp, err = Compile(g, Nodes(total), nil, base, nil, TapeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tp.Len() != 1 || len(tp.Inputs()) != 0 {
		t.Errorf("nothing varying: %d instructions and %d inputs, want 1 and 0", tp.Len(), len(tp.Inputs()))
	}
	// Every node is in the cone but five: the unused root, its product,
	// the third driver's input, and the builder's constants 0 and 1,
	// which nothing here reads. All of the cone folds.
	if nodes, cone, folded := tp.Stats(); nodes != g.Len() || cone != g.Len()-5 || folded != cone {
		t.Errorf("stats %d nodes, %d in the cone, %d folded; want %d, %d, %d", nodes, cone, folded, g.Len(), g.Len()-5, g.Len()-5)
	}
	// Orders and units vary: one product (orders × units) for every
	// month, and one weighted sum.
	tp, err = Compile(g, Nodes(total), []DriverMonth{{0, AllMonths}, {1, AllMonths}, {2, AllMonths}}, base, nil, TapeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if tp.Len() != 2 || len(tp.Inputs()) != 2 {
		t.Errorf("orders and units varying: %d instructions and %d inputs, want 2 and 2 (the unused driver z pruned)", tp.Len(), len(tp.Inputs()))
	}
	w := tp.NewWorkspace()
	for j := range 3 {
		w.Input(0)[j] = 1000 + float64(j)
		w.Input(1)[j] = 1.2
	}
	tp.Run(w, 3)
	sumF := 0.0
	for m := range 36 {
		sumF += 0.90 + float64(m)/100
	}
	for j, got := range w.Output(0, 3) {
		want := (1000 + float64(j)) * sumF * 1.2 * (19.99 - 7.5)
		if math.Abs(got-want) > 1e-9*want {
			t.Errorf("trial %d: %v, want %v", j, got, want)
		}
	}
}

// TestTapeNoAllocsAndConcurrent runs one tape from several goroutines,
// each with its own workspace, and checks Run allocates nothing.
func TestTapeNoAllocsAndConcurrent(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	g, outs := randomGraph(rng, 6, 3, 800)
	base := []float64{1, 0.9, 1.1, 1.2, 0.8, 1.05}
	varying := []DriverMonth{{0, AllMonths}, {2, AllMonths}, {4, 1}}
	tp, err := Compile(g, Nodes(outs...), varying, base, nil, TapeOptions{Block: 64})
	if err != nil {
		t.Fatal(err)
	}
	w := tp.NewWorkspace()
	setInputs := func(w *Workspace, shift float64) {
		for k := range tp.Inputs() {
			in := w.Input(k)
			for j := range in {
				in[j] = 0.5 + shift + float64(j%17)/16
			}
		}
	}
	setInputs(w, 0)
	if a := testing.AllocsPerRun(20, func() { tp.Run(w, 64) }); a != 0 {
		t.Errorf("Run allocates %v times a block, want 0", a)
	}
	want := make([][]float64, tp.NumOutputs())
	setInputs(w, 0.25)
	tp.Run(w, 64)
	for k := range want {
		want[k] = append([]float64(nil), w.Output(k, 64)...)
	}
	var wg sync.WaitGroup
	errs := make([]string, 4)
	for i := range 4 {
		wg.Go(func() {
			w := tp.NewWorkspace()
			for range 50 {
				setInputs(w, 0.25)
				tp.Run(w, 64)
				for k := range want {
					for j, v := range w.Output(k, 64) {
						if v != want[k][j] && !(math.IsNaN(v) && math.IsNaN(want[k][j])) {
							errs[i] = fmt.Sprintf("goroutine %d output %d trial %d: %v, want %v", i, k, j, v, want[k][j])
							return
						}
					}
				}
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
}

// TestAccumulateFourTermsAsTwo checks that a pass of four terms adds
// exactly as two passes of two did, and linear's first pass of up to five
// as a pass of one and passes of two: the tape's results are the same
// bits whatever the pass width.
func TestAccumulateFourTermsAsTwo(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(12, 4))
	const n = 37
	for nt := range 12 {
		w := &Workspace{t: &Tape{block: n}, buf: make([]float64, (nt+1)*n)}
		ts := make([]term, nt)
		for i := range ts {
			ts[i] = term{int32(i + 1), rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)))}
			for j := range n {
				w.buf[(i+1)*n+j] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(8)))
			}
		}
		for j := range n {
			w.buf[j] = rng.NormFloat64()
		}
		want := append([]float64(nil), w.buf[:n]...)
		for r := ts; len(r) > 0; {
			if len(r) >= 2 {
				for j := range want {
					want[j] += float64(r[0].c*w.buf[int(r[0].v)*n+j]) + float64(r[1].c*w.buf[int(r[1].v)*n+j])
				}
				r = r[2:]
				continue
			}
			for j := range want {
				want[j] += float64(r[0].c * w.buf[int(r[0].v)*n+j])
			}
			r = r[1:]
		}
		d := w.buf[:n]
		accumulate(w, d, ts, n)
		for j := range d {
			if math.Float64bits(d[j]) != math.Float64bits(want[j]) {
				t.Fatalf("%d terms, trial %d: %v, want %v (two terms a pass)", nt, j, d[j], want[j])
			}
		}
		if nt == 0 {
			continue
		}
		// linear: k + c₀s₀ in a pass of its own, then the other terms two
		// at a time, as before its first pass took up to five.
		k := float64(rng.NormFloat64() * 1e6) // rounded: not fused into the sums below
		for j := range want {
			want[j] = k + float64(ts[0].c*w.buf[int(ts[0].v)*n+j])
		}
		for r := ts[1:]; len(r) > 0; {
			if len(r) >= 2 {
				for j := range want {
					want[j] += float64(r[0].c*w.buf[int(r[0].v)*n+j]) + float64(r[1].c*w.buf[int(r[1].v)*n+j])
				}
				r = r[2:]
				continue
			}
			for j := range want {
				want[j] += float64(r[0].c * w.buf[int(r[0].v)*n+j])
			}
			r = r[1:]
		}
		linear(w, d, k, ts, n)
		for j := range d {
			if math.Float64bits(d[j]) != math.Float64bits(want[j]) {
				t.Fatalf("linear, %d terms, trial %d: %v, want %v", nt, j, d[j], want[j])
			}
		}
	}
}

// TestTapeSharesEqualOutputs checks that an output asked for twice, by
// the same terms or by other nodes with the same form, is computed once,
// and that each output still reads its own value.
func TestTapeSharesEqualOutputs(t *testing.T) {
	t.Parallel()
	b := NewBuilder(2)
	x, y := b.Input(0, AllMonths), b.Input(1, AllMonths)
	xy := b.Mul(x, y)
	a := b.Add(b.Mul(xy, b.Int(3)), b.Mul(x, b.Int(2)))      // 3xy + 2x
	a2 := b.Sub(b.Mul(xy, b.Int(4)), b.Sub(xy, b.Add(x, x))) // 4xy − (xy − 2x)
	other := b.Add(xy, y)
	g := b.Graph()
	outs := []Output{{{a, 1}}, {{other, 1}}, {{a2, 1}}, {{a, 0.5}, {a, 0.5}}}
	tp, err := Compile(g, outs, []DriverMonth{{0, AllMonths}, {1, AllMonths}}, []float64{1, 1}, nil, TapeOptions{Block: 4})
	if err != nil {
		t.Fatal(err)
	}
	if tp.NumOutputs() != 4 {
		t.Fatalf("%d outputs, want 4", tp.NumOutputs())
	}
	// One product; 3xy + 2x (shared by outputs 0, 2 and 3) and xy + y
	// each a sum of two terms, begun before the product (2x, y) and
	// finished after it.
	if tp.Len() != 5 || tp.Terms() != 4 {
		t.Errorf("%d instructions and %d terms, want 5 and 4 (equal outputs once)", tp.Len(), tp.Terms())
	}
	unshared, err := Compile(g, outs[:2], []DriverMonth{{0, AllMonths}, {1, AllMonths}}, []float64{1, 1}, nil, TapeOptions{Block: 4})
	if err != nil {
		t.Fatal(err)
	}
	if unshared.Terms() != tp.Terms() || unshared.Len() != tp.Len() {
		t.Errorf("%d terms and %d instructions for outputs 0 and 1 alone, %d and %d with their copies; want equal",
			unshared.Terms(), unshared.Len(), tp.Terms(), tp.Len())
	}
	w := tp.NewWorkspace()
	for j := range 4 {
		w.Input(0)[j], w.Input(1)[j] = float64(j+1), 0.5*float64(j)
	}
	tp.Run(w, 4)
	for j := range 4 {
		xv, yv := float64(j+1), 0.5*float64(j)
		want := []float64{3*xv*yv + 2*xv, xv*yv + yv, 3*xv*yv + 2*xv, 3*xv*yv + 2*xv}
		for k := range want {
			if got := w.Output(k, 4)[j]; math.Abs(got-want[k]) > 1e-12*math.Abs(want[k]) {
				t.Errorf("output %d trial %d: %v, want %v", k, j, got, want[k])
			}
		}
	}
}
