package montecarlo

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
)

// benchSpec puts 100 uncertain drivers on the benchmark portfolio (20
// partnerships × 8 categories × 36 months): the orders of 60 categories
// (multipliers; PERT, triangular, lognormal and normal in turn), 20
// return rates and 20 unit costs, with a 10 × 10 rank-correlation block
// over the first ten.
func benchSpec(p *costmodel.Portfolio) *Spec {
	s := &Spec{}
	dists := []DistSpec{
		{Type: "pert", Min: f64(0.7), Mode: f64(1), Max: f64(1.3)},
		{Type: "triangular", Min: f64(0.6), Mode: f64(1), Max: f64(1.2)},
		{Type: "lognormal", Mean: f64(1), SD: f64(0.15)},
		{Type: "normal", Mean: f64(1), SD: f64(0.1), Trunc: &Truncation{Lo: f64(0.5)}},
	}
	for i := range 60 {
		s.Inputs = append(s.Inputs, Input{Target: fmt.Sprintf("partner-%02d/cat-%02d/orders", i%20+1, i/20+1), Op: costmodel.Multiply, Dist: dists[i%4]})
	}
	for i := range 20 {
		s.Inputs = append(s.Inputs, Input{Op: costmodel.SetTo, Target: fmt.Sprintf("partner-%02d/cat-%02d/return_rate", i+1, 5), Dist: DistSpec{Type: "uniform", Min: f64(0.02), Max: f64(0.12)}})
		s.Inputs = append(s.Inputs, Input{Target: fmt.Sprintf("partner-%02d/cat-%02d/unit_cost", i+1, 6), Op: costmodel.Multiply, Dist: DistSpec{Type: "normal", Mean: f64(1), SD: f64(0.05)}})
	}
	c := Correlation{}
	for i := range 10 {
		c.Inputs = append(c.Inputs, s.Inputs[i].Label())
		row := make([]float64, 10)
		for j := range row {
			row[j] = 0.3
		}
		row[i] = 1
		c.Matrix = append(c.Matrix, row)
	}
	s.Correlations = []Correlation{c}
	return s
}

var sinkRun *Result

// BenchmarkRun reports trials per second on the benchmark portfolio with
// 100 uncertain drivers and a 10 × 10 correlation block, recording the
// portfolio's and every partnership's contribution and NPV. Each Run is
// timed whole (spec resolution, sampling, evaluation, statistics), but
// from the second on, the portfolio's validation, statement graph and
// tape come from the compiled-model cache (modelcache.go), as they do for
// a program that runs a portfolio again; BenchmarkRunUncached pays them
// every time.
func BenchmarkRun(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	outs := []scenario.Output{contribution, {Metric: scenario.NPV}}
	for _, ps := range p.Partnerships {
		outs = append(outs, scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
	}
	const trials = 4000
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Workers: workers, Outputs: outs})
				if err != nil {
					b.Fatal(err)
				}
				sinkRun = r
			}
			b.ReportMetric(float64(trials)*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}

// BenchmarkRunUncached is BenchmarkRun with the compiled-model cache
// emptied before each Run: every Run validates the portfolio, builds its
// statement graph and compiles the tape (the build runs beside the
// workers' first blocks; on one worker it takes a second core when there
// is one).
func BenchmarkRunUncached(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	outs := benchOutputs(p)
	const trials = 4000
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resetModelCache()
				r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Workers: workers, Outputs: outs})
				if err != nil {
					b.Fatal(err)
				}
				sinkRun = r
			}
			b.ReportMetric(float64(trials)*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
		})
	}
}

// BenchmarkRunMillion runs 10^6 trials once and reports, with the result
// still held, the heap in use after a GC (heap-MiB), the bytes of the
// result's own samples (samples-MiB: 8 bytes a trial for every recorded
// input and output, 1 for each defined mask) and the difference
// (over-MiB), which the issue bounds at 50 MB. Run it alone, under
// /usr/bin/time -v for the peak resident memory:
//
//	MARGINAL_BENCH_MILLION=1 go test ./montecarlo -run='^$' -bench=RunMillion -benchtime=1x
func BenchmarkRunMillion(b *testing.B) {
	if os.Getenv("MARGINAL_BENCH_MILLION") == "" {
		b.Skip("set MARGINAL_BENCH_MILLION=1 to run 10^6 trials (about a minute, 1 GB)")
	}
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	outs := []scenario.Output{contribution, {Metric: scenario.NPV}, {Metric: scenario.CM3}}
	const trials = 1_000_000
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Outputs: outs})
		if err != nil {
			b.Fatal(err)
		}
		sinkRun = r
	}
	elapsed := b.Elapsed()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	samples := 0
	for _, x := range sinkRun.InputSamples {
		samples += 8 * len(x)
	}
	for _, o := range sinkRun.Outputs {
		samples += 8*len(o.Samples) + len(o.Defined)
	}
	heap := float64(after.HeapInuse) - float64(before.HeapInuse)
	b.ReportMetric(float64(trials)*float64(b.N)/elapsed.Seconds(), "trials/s")
	b.ReportMetric(heap/(1<<20), "heap-MiB")
	b.ReportMetric(float64(samples)/(1<<20), "samples-MiB")
	b.ReportMetric((heap-float64(samples))/(1<<20), "over-MiB")
}
