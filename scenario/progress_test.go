package scenario

import (
	"reflect"
	"testing"
)

// RunTornadoProgress gives the tornado RunTornado gives, and tells each
// of its 1 + 2 × 4 evaluations once, counting up to the total.
func TestRunTornadoProgress(t *testing.T) {
	t.Parallel()
	p := small(t)
	ten := dec("0.1")
	inputs := []Input{Percent("market/commission/rate", ten), Percent("market/mugs/orders", ten),
		Percent("shop/mugs/orders", ten), Percent("market/mugs/unit_cost", ten)}
	want, err := RunTornado(p, Output{Metric: Contribution}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	got, err := RunTornadoProgress(p, Output{Metric: Contribution}, inputs, func(done, total int) {
		if total != 9 {
			t.Errorf("total %d, want 9", total)
		}
		seen = append(seen, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the tornado with progress differs from RunTornado's")
	}
	if !reflect.DeepEqual(seen, []int{1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("progress calls %v, want 1 to 9 in order", seen)
	}
	if _, err := RunTornadoProgress(p, Output{Metric: Contribution}, []Input{Percent("nobody/x", ten)}, func(int, int) {}); err == nil {
		t.Error("a target that matches nothing was accepted")
	}
}
