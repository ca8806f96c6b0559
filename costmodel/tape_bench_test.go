package costmodel_test

import (
	"fmt"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/internal/sample"
)

// benchTape compiles the benchmark portfolio's model for montecarlo's
// BenchmarkRun workload: 100 uncertain drivers (the orders of three
// categories of every partnership, a return rate and a unit cost of
// each), outputs the portfolio's contribution and NPV and each
// partnership's contribution.
func benchTape(tb testing.TB, m *costmodel.Model, p *costmodel.Portfolio) (*graph.Tape, []float64) {
	var varying []graph.DriverMonth
	add := func(addr string) {
		d, ok := m.Index(addr)
		if !ok {
			tb.Fatalf("no driver %s", addr)
		}
		varying = append(varying, graph.DriverMonth{Driver: int32(d), Month: graph.AllMonths})
	}
	for i := range 60 {
		add(fmt.Sprintf("partner-%02d/cat-%02d/orders", i%20+1, i/20+1))
	}
	for i := range 20 {
		add(fmt.Sprintf("partner-%02d/cat-%02d/return_rate", i+1, 5))
		add(fmt.Sprintf("partner-%02d/cat-%02d/unit_cost", i+1, 6))
	}
	base := make([]float64, len(m.Values()))
	for i, v := range m.Values() {
		base[i] = v.InexactFloat64()
	}
	var port, npv graph.Output
	outs := []graph.Output{nil, nil}
	row := 0
	for i := range p.Partnerships {
		var o graph.Output
		for range len(p.Partnerships[i].Categories) + 1 {
			for t := range m.Months() {
				o = append(o, graph.Term{Node: m.Line(row, t, costmodel.LineContribution), Coef: 1})
				npv = append(npv, graph.Term{Node: m.Line(row, t, costmodel.LineNetCashFlow), Coef: 1 / (1 + 0.008*float64(t+1))})
			}
			row++
		}
		port = append(port, o...)
		outs = append(outs, o)
	}
	outs[0], outs[1] = port, npv
	tp, err := graph.Compile(m.Graph(), outs, varying, base, nil, graph.TapeOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return tp, base
}

// BenchmarkModelTape reports, on the benchmark portfolio, the cost of
// building its model, of compiling the tape of BenchmarkRun's outputs and
// 100 uncertain drivers, and of running that tape (ns per trial, one
// goroutine), with the tape's size.
func BenchmarkModelTape(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := costmodel.NewModel(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	m, err := costmodel.NewModel(p)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchTape(b, m, p)
		}
	})
	b.Run("run", func(b *testing.B) {
		tp, base := benchTape(b, m, p)
		w := tp.NewWorkspace()
		for k, dm := range tp.Inputs() {
			in := w.Input(k)
			for j := range in {
				in[j] = base[dm.Driver] * (0.9 + 0.2*float64(j)/float64(len(in)))
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			tp.Run(w, tp.Block())
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*tp.Block()), "ns/trial")
		b.ReportMetric(float64(tp.Len()), "instructions")
		b.ReportMetric(float64(tp.Slots()), "slots")
	})
}
