package montecarlo

import (
	"slices"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// The uncertainty file's JSON layer: every missing required value,
// duplicate key and type error is reported with its JSON path, all at
// once; a distribution without one of its parameters is an error too.
func TestLoadRefusesMissingDuplicateAndMistyped(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(strings.NewReader(`{"inputs": [
	  {"target": "market/mugs/orders"},
	  {"dist": {"type": "normal", "mean": 1, "sd": 0.1}},
	  {"target": "market/mugs/price", "op": "set", "dist": {"type": "normal", "mean": 1, "mean": 2, "sd": 0.1}},
	  {"target": "market/mugs/price", "op": "set", "dist": {"type": "normal", "mean": "1", "sd": 1e400}},
	  {"target": "market/mugs/price", "op": "set", "dist": {"mean": 1, "sd": 0.1}, "per_month": "yes"}
	], "correlations": [{"inputs": ["a", "b"]}], "run": {"trials": -5, "seed": 1.5}}`), p)
	want := []string{
		"inputs[0].dist",
		"inputs[0].op",
		"inputs[1].op",
		"inputs[1].target",
		"inputs[2].dist.mean",
		"inputs[3].dist.mean",
		"inputs[3].dist.sd",
		"inputs[4].dist.type",
		"inputs[4].per_month",
		"correlations[0].matrix",
		"run.seed",
	}
	slices.Sort(want)
	got := problemPaths(t, err)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("paths:\n got  %q\n want %q\n%v", got, want, err)
	}

	// Past the JSON layer, a distribution missing a parameter is named.
	_, err = Load(strings.NewReader(`{"inputs": [{"target": "market/mugs/price", "op": "set", "dist": {"type": "normal", "mean": 1}}]}`), p)
	if got := problemPaths(t, err); !has(got, "inputs[0].dist.sd") {
		t.Errorf("a normal without sd: %v", err)
	}
	if _, err := Load(strings.NewReader(`[{"inputs": []}]`), p); err == nil || !strings.Contains(err.Error(), "got a JSON array, expected an object") {
		t.Errorf("top-level array: %v", err)
	}
	if _, err := Load(strings.NewReader("\xEF\xBB\xBF"+`{"inputs": [{"target": "market/mugs/price", "op": "set", "dist": {"type": "normal", "mean": 20, "sd": 1}}]}`), p); err != nil {
		t.Errorf("byte-order mark: %v", err)
	}
}

// An input without "op" is refused, not taken as "set": deleting op from a
// ×0.7–1.25 orders multiplier would otherwise set orders to about 1. The
// message lists the ops and what each does.
func TestLoadRequiresOp(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load(strings.NewReader(`{"inputs": [{"target": "market/mugs/orders", "dist": {"type": "uniform", "min": 0.7, "max": 1.25}}]}`), p)
	if got := problemPaths(t, err); !slices.Equal(got, []string{"inputs[0].op"}) {
		t.Fatalf("paths %q, want inputs[0].op: %v", got, err)
	}
	for _, w := range []string{`"multiply"`, `"add"`, `"set"`, "op is required", "multiplies", "replaces"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks %s: %v", w, err)
		}
	}
	// In Go, an empty Op is an error too, naming the input.
	s := &Spec{Inputs: []Input{{Name: "mug demand", Target: "market/mugs/orders", Dist: DistSpec{Type: "uniform", Min: f64(0.7), Max: f64(1.25)}}}}
	err = s.Validate(p)
	if got := problemPaths(t, err); !slices.Equal(got, []string{"inputs[0].op"}) || !strings.Contains(err.Error(), "mug demand") || !strings.Contains(err.Error(), `"multiply"`) {
		t.Errorf("empty Op: %v", err)
	}
}
