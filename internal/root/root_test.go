package root

import (
	"errors"
	"math"
	"testing"
)

func TestBrent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		f    func(float64) float64
		a, b float64
		want float64
	}{
		{"sqrt2", func(x float64) float64 { return x*x - 2 }, 0, 2, math.Sqrt2},
		{"cos", math.Cos, 0, 3, math.Pi / 2},
		{"cubic", func(x float64) float64 { return (x - 1) * (x + 2) * (x - 3) }, 2, 4, 3},
		{"flat-then-steep", func(x float64) float64 { return math.Exp(x) - 1e6 }, 0, 20, math.Log(1e6)},
		{"root-at-end", func(x float64) float64 { return x - 5 }, 0, 5, 5},
	}
	for _, c := range cases {
		got, err := Brent(c.f, c.a, c.b, 1e-12)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if math.Abs(got-c.want) > 1e-10 {
			t.Errorf("%s: got %.15g, want %.15g", c.name, got, c.want)
		}
	}
}

func TestBrentNoBracket(t *testing.T) {
	t.Parallel()
	_, err := Brent(func(x float64) float64 { return x*x + 1 }, -1, 1, 1e-9)
	var nb *NoBracketError
	if !errors.As(err, &nb) || !errors.Is(err, ErrNoBracket) {
		t.Fatalf("want NoBracketError, got %v", err)
	}
	if nb.FA != 2 || nb.FB != 2 {
		t.Errorf("values at ends: %v %v", nb.FA, nb.FB)
	}
	if _, err := Brent(func(x float64) float64 { return math.NaN() }, 0, 1, 1e-9); err == nil {
		t.Error("NaN function accepted")
	}
	if _, err := Brent(func(x float64) float64 { return x }, 0, 1, 0); err == nil {
		t.Error("zero tolerance accepted")
	}
}
