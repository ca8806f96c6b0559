package graph

import (
	"math"
	"testing"
)

// Ceil in each back end: the exact evaluator, the Excel printer and the
// float tape, a whole number computed in float64 a hair above itself
// (within 1e-9) taken as that number.
func TestCeil(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ x, want string }{
		{"0", "0"}, {"4", "4"}, {"4.000000000001", "5"}, {"1.5", "2"}, {"0.0000001", "1"}, {"1250", "1250"},
	} {
		got := eval(t, []string{c.x}, nil, func(b *Builder) ID { return b.Ceil(b.Input(0, AllMonths)) })
		if !got.Equal(d(c.want)) {
			t.Errorf("⌈%s⌉ = %s, want %s", c.x, got, c.want)
		}
	}
	b := NewBuilder(1)
	if id := b.Ceil(b.Const(d("2.2"))); b.Graph().Nodes[id].Kind != Const || !b.Graph().Const(id).Equal(d("3")) {
		t.Error("⌈2.2⌉ of a constant is not folded to 3")
	}
	x := b.Input(0, AllMonths)
	// 1,250 tickets at 300 an agent, less 3 agents: ⌈1.1666…⌉ = 2.
	hires := b.Ceil(b.Max(b.Sub(b.Div(b.Mul(x, b.Const(d("0.1"))), b.Const(d("300")), 12), b.Const(d("3"))), b.Zero()))
	g := b.Graph()
	if got, _ := printerOf(g, nil).Formula(hires, "S"); got != "MAX(0,ROUNDUP(MAX(ROUND(d0*0.1/300,12)-3,0)-1E-9,0))" {
		t.Errorf("Excel: %s", got)
	}
	tp, err := Compile(g, Nodes(hires), []DriverMonth{{0, AllMonths}}, []float64{12500}, nil, TapeOptions{Block: 4})
	if err != nil {
		t.Fatal(err)
	}
	w := tp.NewWorkspace()
	// 12,500 orders: 1,250 tickets, 2 hires; 12,000: exactly 1,200, 1 hire
	// (0.1 × 12000 / 300 − 3 is 1.0000000000000009 in float64); 9,000:
	// none (3 − 3 is 4.4e−16 in float64); 12,003: 1,200.3 tickets, 2.
	in := []float64{12500, 12000, 9000, 12003}
	copy(w.Input(0), in)
	tp.Run(w, len(in))
	for j, want := range []float64{2, 1, 0, 2} {
		if got := w.Output(0, len(in))[j]; got != want || math.IsNaN(got) {
			t.Errorf("tape: %g orders → %g hires, want %g", in[j], got, want)
		}
	}
}
