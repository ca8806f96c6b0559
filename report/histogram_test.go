package report

import "testing"

// binOf finds the bin [edges[i], edges[i+1]) of a value, the last bin
// closed at its top, and −1 outside the edges.
func TestBinOf(t *testing.T) {
	t.Parallel()
	edges := []float64{-1, 0, 1.5, 3}
	for _, c := range []struct {
		v    float64
		want int
	}{{-1.5, -1}, {-1, 0}, {-0.5, 0}, {0, 1}, {1.4999, 1}, {1.5, 2}, {2.9, 2}, {3, 2}, {3.0001, -1}} {
		if got := binOf(edges, c.v); got != c.want {
			t.Errorf("binOf(%v) = %d, want %d", c.v, got, c.want)
		}
	}
	if got := binOf([]float64{1}, 1); got != -1 {
		t.Errorf("no bins: %d, want -1", got)
	}
}
