package costmodel_test

import (
	"fmt"
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

// Compile once, then evaluate many driver vectors: here the base values,
// a lower commission rate, and orders drawn afresh each month.
func ExampleCompiled_Eval() {
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", "small.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := costmodel.Compile(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	x := c.Base(nil) // indexed like c.Drivers()
	r := c.NewResult()
	c.Eval(x, nil, r)
	fmt.Printf("base: contribution %.2f, NPV %.2f, payback month %d\n", r.Total[costmodel.LineContribution], r.NPV, r.Payback)

	rate, _ := c.Index("market/commission/rate")
	x[rate] = 0.12
	c.Eval(x, nil, r)
	market := c.Partnerships()[0]
	fmt.Printf("12%% commission: market contribution %.2f\n", r.PartnershipTotal(0)[costmodel.LineContribution])

	// The market's mug orders, 100 a month before seasonality (×1.5 in
	// November, ×1.2 in December), drawn as 90, 130 and 100.
	x[rate] = 0.15
	orders, _ := c.Index("market/mugs/orders")
	mv := &costmodel.MonthlyValues{Drivers: []int{orders}, Values: []float64{90, 130, 100}}
	c.Eval(x, mv, r)
	for t := range c.Months() {
		fmt.Printf("month %d: %.0f orders, GMV %.2f\n", t, r.Orders[market.Row*c.Months()+t], r.Line(market.Row, t, costmodel.LineGMV))
	}
	// Output:
	// base: contribution 3453.20, NPV 2205.23, payback month 1
	// 12% commission: market contribution 1731.30
	// month 0: 135 orders, GMV 3375.00
	// month 1: 156 orders, GMV 3900.00
	// month 2: 100 orders, GMV 2500.00
}
