package graph

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// eval builds with f over the given driver values and returns the value
// of the node f returns.
func eval(t *testing.T, drivers []string, over Overrides, f func(b *Builder) ID) decimal.Decimal {
	t.Helper()
	b := NewBuilder(len(drivers))
	id := f(b)
	g := b.Graph()
	checkOrder(t, g)
	vals := make([]decimal.Decimal, len(drivers))
	for i, s := range drivers {
		vals[i] = d(s)
	}
	out, err := g.Eval(vals, over, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out[id]
}

// checkOrder checks that every operand precedes its node.
func checkOrder(t *testing.T, g *Graph) {
	t.Helper()
	for i := range g.Nodes {
		for _, a := range g.Args(ID(i)) {
			if a >= ID(i) {
				t.Fatalf("node %d (%s) has operand %d", i, g.Nodes[i].Kind, a)
			}
		}
	}
}

func TestArithmetic(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		drivers []string
		f       func(b *Builder) ID
		want    string
	}{
		// 3 items at 19.99 less 5 % refunds: 59.97 − 2.9985 = 56.9715 → 56.97.
		{"price × qty − refunds, rounded", []string{"19.99", "3", "0.05"}, func(b *Builder) ID {
			gmv := b.Mul(b.Input(0, AllMonths), b.Input(1, AllMonths))
			return b.Round(b.Sub(gmv, b.Mul(gmv, b.Input(2, AllMonths))), 2)
		}, "56.97"},
		{"half away from zero, positive", []string{"2.345"}, func(b *Builder) ID { return b.Round(b.Input(0, AllMonths), 2) }, "2.35"},
		{"half away from zero, negative", []string{"-2.345"}, func(b *Builder) ID { return b.Round(b.Input(0, AllMonths), 2) }, "-2.35"},
		{"round to 0 places", []string{"12.5"}, func(b *Builder) ID { return b.Round(b.Input(0, AllMonths), 0) }, "13"},
		// 2/3 to 20 places, last digit rounded up.
		{"div", []string{"2", "3"}, func(b *Builder) ID { return b.Div(b.Input(0, AllMonths), b.Input(1, AllMonths), 20) }, "0.66666666666666666667"},
		{"div by zero is zero", []string{"2", "0"}, func(b *Builder) ID { return b.Div(b.Input(0, AllMonths), b.Input(1, AllMonths), 20) }, "0"},
		{"neg", []string{"1.5"}, func(b *Builder) ID { return b.Neg(b.Input(0, AllMonths)) }, "-1.5"},
		{"min", []string{"0.3", "0.25"}, func(b *Builder) ID { return b.Min(b.Input(0, AllMonths), b.Input(1, AllMonths)) }, "0.25"},
		{"max", []string{"0.3", "0.25"}, func(b *Builder) ID { return b.Max(b.Input(0, AllMonths), b.Input(1, AllMonths)) }, "0.3"},
		{"if_le equal takes then", []string{"10", "10"}, func(b *Builder) ID {
			return b.IfLE(b.Input(0, AllMonths), b.Input(1, AllMonths), b.Int(1), b.Int(2))
		}, "1"},
		{"if_le above takes else", []string{"10.01", "10"}, func(b *Builder) ID {
			return b.IfLE(b.Input(0, AllMonths), b.Input(1, AllMonths), b.Int(1), b.Int(2))
		}, "2"},
		{"sum with minus", []string{"100", "30", "20", "5"}, func(b *Builder) ID {
			in := func(i int) ID { return b.Input(i, AllMonths) }
			return b.Sum([]ID{in(0), in(3)}, []ID{in(1), in(2)})
		}, "55"},
		{"sum of minus only", []string{"30", "20"}, func(b *Builder) ID {
			return b.Sum(nil, []ID{b.Input(0, AllMonths), b.Input(1, AllMonths)})
		}, "-50"},
		// Amazon Beauty: 8 % up to 10.00, 15 % above, all-units.
		{"all-units on the bound", []string{"10", "0.08", "0.15", "10"}, func(b *Builder) ID {
			return b.AllUnits(b.Input(3, AllMonths), []ID{b.Input(0, AllMonths), Unbounded}, []ID{b.Input(1, AllMonths), b.Input(2, AllMonths)})
		}, "0.8"},
		{"all-units above the bound", []string{"10", "0.08", "0.15", "10.01"}, func(b *Builder) ID {
			return b.AllUnits(b.Input(3, AllMonths), []ID{b.Input(0, AllMonths), Unbounded}, []ID{b.Input(1, AllMonths), b.Input(2, AllMonths)})
		}, "1.5015"},
		{"all-units past every bound takes the last rate", []string{"10", "0.08", "20", "0.15", "25"}, func(b *Builder) ID {
			return b.AllUnits(b.Input(4, AllMonths), []ID{b.Input(0, AllMonths), b.Input(2, AllMonths)}, []ID{b.Input(1, AllMonths), b.Input(3, AllMonths)})
		}, "3.75"},
		// 15 % up to 100, 8 % above: 150 pays 15 + 4.
		{"marginal", []string{"100", "0.15", "0.08", "150"}, func(b *Builder) ID {
			return b.Marginal(b.Zero(), b.Input(3, AllMonths), []ID{b.Input(0, AllMonths), Unbounded}, []ID{b.Input(1, AllMonths), b.Input(2, AllMonths)})
		}, "19"},
		// AWS egress, 60 TB with 100 GB free off the first band: 10 TB at
		// 0.09 less 100 GB, 40 TB at 0.085, 10 TB at 0.07 = 5,111.
		{"banded price with allowance", []string{"100", "10240", "0.09", "51200", "0.085", "153600", "0.07", "0.05", "61440"}, func(b *Builder) ID {
			in := func(i int) ID { return b.Input(i, AllMonths) }
			return b.Marginal(in(0), in(8), []ID{in(1), in(3), in(5), Unbounded}, []ID{in(2), in(4), in(6), in(7)})
		}, "5111"},
		{"banded price inside the allowance", []string{"100", "10240", "0.09", "0.05", "60"}, func(b *Builder) ID {
			in := func(i int) ID { return b.Input(i, AllMonths) }
			return b.Marginal(in(0), in(4), []ID{in(1), Unbounded}, []ID{in(2), in(3)})
		}, "0"},
	} {
		if got := eval(t, c.drivers, nil, c.f); !got.Equal(d(c.want)) {
			t.Errorf("%s = %s, want %s", c.name, got, c.want)
		}
	}
}

// TestRoot12 checks the twelfth root against its definition: the root to
// 30 places, raised to the 12th power, is the base within 12 × 10^-30 × the
// base (each place of the root's error is multiplied by 12 x^11).
func TestRoot12(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"1.1", "0.65", "2", "1"} {
		x := eval(t, []string{s}, nil, func(b *Builder) ID { return b.Root12(b.Input(0, AllMonths), 30) })
		if x.Exponent() < -30 {
			t.Errorf("root of %s has %d places", s, -x.Exponent())
		}
		err := x.Pow(decimal.NewFromInt(12)).Sub(d(s)).Abs()
		if err.GreaterThan(d("1.2e-28").Mul(d(s))) {
			t.Errorf("root12(%s) = %s: 12th power off by %s", s, x, err)
		}
	}
}

func TestOverridesByMonth(t *testing.T) {
	t.Parallel()
	b := NewBuilder(2)
	// Orders × price in months 0 and 1; price varies by month, orders not.
	m0 := b.Mul(b.Input(0, AllMonths), b.Input(1, 0))
	m1 := b.Mul(b.Input(0, AllMonths), b.Input(1, 1))
	total := b.Sum([]ID{m0, m1}, nil)
	g := b.Graph()
	vals, err := g.Eval([]decimal.Decimal{d("10"), d("2.5")}, Overrides{{Driver: 1, Month: 1}: d("3"), {Driver: 0, Month: 1}: d("99")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Month 1's price is overridden; orders are read once (AllMonths), so
	// an override of driver 0 in month 1 does not reach them.
	if !vals[m0].Equal(d("25")) || !vals[m1].Equal(d("30")) || !vals[total].Equal(d("55")) {
		t.Errorf("months %s, %s, total %s; want 25, 30, 55", vals[m0], vals[m1], vals[total])
	}
	if _, err := g.Eval([]decimal.Decimal{d("1")}, nil, nil); err == nil {
		t.Error("Eval with too few driver values did not fail")
	}
}

// TestFolding checks that operations on constants and identities add no
// nodes, and that the folded values are the computed ones.
func TestFolding(t *testing.T) {
	t.Parallel()
	b := NewBuilder(1)
	x := b.Input(0, AllMonths)
	before := b.Len()
	if b.Add(x, b.Zero()) != x || b.Mul(x, b.One()) != x || b.Mul(b.Zero(), x) != b.Zero() || b.Sub(x, b.Zero()) != x ||
		b.Sum([]ID{b.Zero(), x}, []ID{b.Zero()}) != x || b.Div(b.Zero(), x, 2) != b.Zero() {
		t.Error("an identity built a node")
	}
	c := b.Round(b.Div(b.Int(2), b.Int(3), 5), 2)
	if b.Graph().Nodes[c].Kind != Const || !b.Graph().Const(c).Equal(d("0.67")) {
		t.Errorf("constant expression = %v %s, want const 0.67", b.Graph().Nodes[c].Kind, b.Graph().Const(c))
	}
	if b.IfLE(b.Int(1), b.Int(2), x, b.Zero()) != x {
		t.Error("a constant condition built a node")
	}
	if n := b.Len() - before; n > 4 { // the constants 2, 3, 0.66667, 0.67
		t.Errorf("%d nodes built, want only constants", n)
	}
	r := b.Round(x, 2)
	if b.Round(r, 2) != r || b.Round(r, 4) != r {
		t.Error("rounding a rounded node again built a node")
	}
	if b.Label(r, "GMV"); b.Graph().Label(r) != "GMV" {
		t.Error("label lost")
	}
}

// randomDecimal draws a decimal with up to 120 digits and an exponent from
// −100 to 5, half of them short (money-sized) and some exactly on a half.
func randomDecimal(r *rand.Rand) decimal.Decimal {
	digits := 1 + r.IntN(18)
	if r.IntN(2) == 0 {
		digits = 1 + r.IntN(120)
	}
	c := new(big.Int)
	for range digits {
		c.Mul(c, big.NewInt(10)).Add(c, big.NewInt(int64(r.IntN(10))))
	}
	if r.IntN(4) == 0 {
		c.Mul(c, big.NewInt(10)).Add(c, big.NewInt(5)) // a tie at some place
	}
	if r.IntN(2) == 0 {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, int32(r.IntN(106)-100))
}

// TestRoundAndSumMatchDecimal holds the evaluator's rounding and sums to
// decimal.Round and a chain of decimal.Add/Sub on random values, to the
// digit.
func TestRoundAndSumMatchDecimal(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		x := randomDecimal(r)
		places := int32(r.IntN(40) - 3)
		if got, want := round(x, places), x.Round(places); !got.Equal(want) {
			t.Fatalf("round(%s, %d) = %s, want %s", x, places, got, want)
		}
	}
	for range 5000 {
		n := 1 + r.IntN(40)
		vals := make([]decimal.Decimal, n)
		args := make([]ID, n)
		for i := range vals {
			vals[i] = randomDecimal(r)
			if r.IntN(2) == 0 {
				vals[i] = vals[i].Round(int32(r.IntN(4))) // money
			}
			if r.IntN(8) == 0 {
				vals[i] = decimal.Zero
			}
			args[i] = ID(i)
		}
		minus := r.IntN(n + 1)
		want := decimal.Zero
		for i, v := range vals {
			if i < n-minus {
				want = want.Add(v)
			} else {
				want = want.Sub(v)
			}
		}
		if got := sum(vals, args, minus); !got.Equal(want) {
			t.Fatalf("sum of %v minus the last %d = %s, want %s", vals, minus, got, want)
		}
	}
}
