package montecarlo

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// FuzzLoad feeds arbitrary bytes to the uncertainty loader against
// testdata/small.json. It must not panic; every error must be an input
// error (costmodel.ErrInvalid); and a spec it accepts must validate and
// run (64 trials) to finite statistics. The seed corpus is
// testdata/fuzz/FuzzLoad, which every go test runs.
func FuzzLoad(f *testing.F) {
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", "small.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"inputs":[{"target":"market/mugs/orders","op":"multiply","dist":{"type":"pert","min":0.7,"mode":1,"max":1.25}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load(bytes.NewReader(data), p)
		if err != nil {
			if !errors.Is(err, costmodel.ErrInvalid) {
				t.Fatalf("an error that is not an input error: %v", err)
			}
			_ = err.Error()
			return
		}
		if err := s.Validate(p); err != nil {
			t.Fatalf("a loaded spec does not validate: %v", err)
		}
		if len(s.Inputs) > 16 {
			return // keep each fuzz input fast
		}
		res, err := Run(context.Background(), p, s, Options{Trials: 64, Workers: 1})
		if err != nil {
			t.Fatalf("a loaded spec does not run: %v", err)
		}
		for _, o := range res.Outputs {
			for _, v := range []float64{o.Summary.Mean, o.Summary.SD, o.Summary.Min, o.Summary.Max} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("%v: a statistic is %v", o.Output, v)
				}
			}
		}
	})
}

func TestFuzzLoadCorpusPresent(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzLoad", "*"))
	if len(files) < 10 {
		t.Errorf("testdata/fuzz/FuzzLoad holds %d seeds, want the checked-in corpus", len(files))
	}
}
