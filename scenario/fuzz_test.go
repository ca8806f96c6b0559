package scenario

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// FuzzLoadScenarios feeds arbitrary bytes to the scenario loader against
// testdata/small.json. It must not panic; every error must be an input
// error (costmodel.ErrInvalid); and every scenario it accepts must apply
// to the portfolio, validate and evaluate. The seed corpus is
// testdata/fuzz/FuzzLoadScenarios, which every go test runs.
func FuzzLoadScenarios(f *testing.F) {
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", "small.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(`{"scenarios":[{"name":"peak","shocks":[{"target":"*/*/orders","op":"multiply","value":1.3,"calendar_months":[11,12]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ss, err := Load(bytes.NewReader(data), p)
		if err != nil {
			if !errors.Is(err, costmodel.ErrInvalid) {
				t.Fatalf("an error that is not an input error: %v", err)
			}
			_ = err.Error()
			return
		}
		if len(ss) > 8 {
			return // keep each fuzz input fast
		}
		for _, s := range ss {
			q, err := s.Apply(p)
			if err != nil {
				t.Fatalf("%s: a loaded scenario does not apply: %v", s.Name, err)
			}
			if err := q.Validate(); err != nil {
				t.Fatalf("%s: the shocked portfolio does not validate: %v", s.Name, err)
			}
			if _, err := costmodel.Evaluate(q); err != nil {
				t.Fatalf("%s: the shocked portfolio does not evaluate: %v", s.Name, err)
			}
		}
	})
}

func TestFuzzCorpusPresent(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzLoadScenarios", "*"))
	if len(files) < 10 {
		t.Errorf("testdata/fuzz/FuzzLoadScenarios holds %d seeds, want the checked-in corpus", len(files))
	}
}
