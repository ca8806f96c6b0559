package costmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader. It must not panic; every
// error must be an input error (ErrInvalid) rather than a crash in
// disguise; and a portfolio it accepts must validate, evaluate, evaluate
// in float64 without NaN or Inf, and save to a file that loads again to
// the same drivers. The seed corpus is testdata/fuzz/FuzzLoad (the
// testdata portfolios and broken variants of them), which every go test
// runs.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("an error that is not an input error: %v", err)
			}
			// encoding/json runs after the walk as a net only: an error
			// of its own means the walk let a mistake through.
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) || strings.Contains(err.Error(), "json: unknown field") {
				t.Fatalf("the JSON walk missed a problem that encoding/json found: %v", err)
			}
			_ = err.Error()
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("a loaded portfolio does not validate: %v", err)
		}
		if p.Months > 60 || len(p.Partnerships) > 5 || len(p.Adjustments) > 4 {
			return // keep each fuzz input fast
		}
		if _, err := Evaluate(p); err != nil {
			t.Fatalf("a loaded portfolio failed to evaluate: %v", err)
		}
		checkTapeExact(t, "fuzz input", p) // the float tape: finite, within half a minor unit
		var buf bytes.Buffer
		if err := p.Save(&buf); err != nil {
			t.Fatal(err)
		}
		q, err := Load(&buf)
		if err != nil {
			t.Fatalf("a saved portfolio does not load: %v\n%s", err, buf.String())
		}
		a, b := p.Drivers(), q.Drivers()
		if len(a) != len(b) {
			t.Fatalf("%d drivers, %d after saving and loading", len(a), len(b))
		}
		for i := range a {
			if a[i].Address != b[i].Address || !a[i].Value.Equal(b[i].Value) {
				t.Fatalf("driver %s = %s, after saving and loading %s = %s", a[i].Address, a[i].Value, b[i].Address, b[i].Value)
			}
		}
	})
}

// TestFuzzCorpusPresent keeps the checked-in seed corpus from vanishing:
// go test runs it only if it is there.
func TestFuzzCorpusPresent(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzLoad", "*"))
	if len(files) < 10 {
		t.Errorf("testdata/fuzz/FuzzLoad holds %d seeds, want the checked-in corpus", len(files))
	}
}
