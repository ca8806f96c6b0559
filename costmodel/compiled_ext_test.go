package costmodel_test

import (
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

// TestCompiledParityBenchmark holds the float path to the decimal
// statement on the benchmark portfolio, which has every fee shape the
// model supports.
func TestCompiledParityBenchmark(t *testing.T) {
	t.Parallel()
	for _, size := range [][3]int{{20, 8, 36}, {7, 3, 61}} {
		p := sample.Benchmark(size[0], size[1], size[2])
		t.Logf("%s: %v", p.Name, costmodel.CheckCompiledParity(t, p.Name, p))
	}
}

var sinkResult *costmodel.FloatResult

// BenchmarkCompiledEval evaluates the compiled benchmark portfolio and
// larkspur, the float counterpart of BenchmarkEvaluate; ns/line is per
// base line as there (11 per category-month, 9 per partnership-month).
// The monthly case draws every category's orders afresh each month.
func BenchmarkCompiledEval(b *testing.B) {
	lark, err := costmodel.LoadFile(filepath.Join("..", "testdata", "larkspur.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name    string
		p       *costmodel.Portfolio
		monthly bool
	}{
		{"2x2x12", sample.Benchmark(2, 2, 12), false},
		{"20x8x36", sample.Benchmark(20, 8, 36), false},
		{"20x8x36/monthly-orders", sample.Benchmark(20, 8, 36), true},
		{"larkspur", lark, false},
	} {
		c, err := costmodel.Compile(bc.p)
		if err != nil {
			b.Fatal(err)
		}
		cats := 0
		for _, cp := range c.Partnerships() {
			cats += len(cp.Categories)
		}
		lines := float64(c.Months() * (cats*11 + len(c.Partnerships())*9))
		x := c.Base(nil)
		var mv *costmodel.MonthlyValues
		if bc.monthly {
			mv = &costmodel.MonthlyValues{}
			for i, d := range c.Drivers() {
				if filepath.Base(d.Address) == "orders" {
					mv.Drivers = append(mv.Drivers, i)
				}
			}
			for range c.Months() {
				for _, i := range mv.Drivers {
					mv.Values = append(mv.Values, x[i])
				}
			}
		}
		r := c.NewResult()
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Eval(x, mv, r)
			}
			sinkResult = r
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/lines, "ns/line")
		})
	}
}

// BenchmarkEvaluateLarkspur is the decimal statement of larkspur, for
// comparison with BenchmarkCompiledEval/larkspur.
func BenchmarkEvaluateLarkspur(b *testing.B) {
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", "larkspur.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		st, err := costmodel.Evaluate(p)
		if err != nil {
			b.Fatal(err)
		}
		sinkStatement = st
	}
}
