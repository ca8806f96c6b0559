package costmodel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader and, when they load, to the
// evaluator: neither may panic, and an accepted portfolio must evaluate.
// The seed corpus (the testdata portfolios and broken variants of them)
// runs in every go test.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		s := string(data)
		f.Add([]byte(strings.Replace(s, `"months": 3`, `"months": 0`, 1)))
		f.Add([]byte(strings.Replace(s, `0.12`, `1e400`, 1)))
		f.Add([]byte(strings.Replace(s, `"orders": 100`, `"orders": -1`, 1)))
		f.Add([]byte(s[:len(s)/2]))
	}
	f.Add([]byte(badPortfolio))
	f.Add([]byte(`{"currency":"USD","start":"2026-01","months":600,"discount_rate":9.99,"partnerships":[{"id":"a","channel":"c","categories":[{"id":"x","orders":1e12,"price":1e12,"units_per_order":1e12,"unit_cost":0,"growth":10}]}]}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load(strings.NewReader(string(data)))
		if err != nil {
			return
		}
		if p.Months > 60 || len(p.Partnerships) > 5 {
			return // keep each fuzz input fast
		}
		if _, err := Evaluate(p); err != nil {
			t.Fatalf("a loaded portfolio failed to evaluate: %v", err)
		}
	})
}
