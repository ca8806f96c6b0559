package report

import (
	"io"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

// sink keeps the compiler from dropping the benchmarked work.
var sink int64

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkWrite writes the workbook of portfolios from small to the
// issue's benchmark (20 partnerships × 8 categories × 36 months, 7,257
// Statement rows), the statement evaluated beforehand.
func BenchmarkWrite(b *testing.B) {
	cases := []struct {
		name string
		p    func() *costmodel.Portfolio
	}{
		{"small", func() *costmodel.Portfolio { return loadPortfolio(b, "small.json") }},
		{"larkspur", func() *costmodel.Portfolio { return loadPortfolio(b, "larkspur.json") }},
		{"5x4x36", func() *costmodel.Portfolio { return sample.Benchmark(5, 4, 36) }},
		{"20x8x36", func() *costmodel.Portfolio { return sample.Benchmark(20, 8, 36) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			p := c.p()
			st, err := costmodel.Evaluate(p)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var w countingWriter
			for b.Loop() {
				w.n = 0
				if err := Write(&w, Options{Portfolio: p, Statement: st}); err != nil {
					b.Fatal(err)
				}
			}
			sink += w.n
			b.ReportMetric(float64(w.n), "bytes/file")
		})
	}
}

// BenchmarkWriteStatementCSV writes the benchmark portfolio's statement
// in long form.
func BenchmarkWriteStatementCSV(b *testing.B) {
	st, err := costmodel.Evaluate(sample.Benchmark(20, 8, 36))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteStatementCSV(io.Discard, st); err != nil {
			b.Fatal(err)
		}
	}
}
