package montecarlo

import (
	"context"
	"fmt"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
)

// fxInputs are the EUR and GBP rates drawn afresh each month (lognormal
// multipliers around 1, 3 % a month, month-to-month autocorrelation 0.9).
func fxInputs() []Input {
	var in []Input
	for _, code := range []string{"eur", "gbp"} {
		in = append(in, Input{Target: "portfolio/fx/" + code + "/rate", Op: costmodel.Multiply,
			Dist: DistSpec{Type: "lognormal", Mean: f64(1), SD: f64(0.03)}, PerMonth: true, Autocorrelation: 0.9})
	}
	return in
}

// BenchmarkRunCurrencies is BenchmarkRun's workload (the benchmark
// portfolio, 100 uncertain drivers, a 10 × 10 correlation block, 4000
// trials) in one currency (currencies=1, BenchmarkRun itself) and in three
// (currencies=3: a third of the partnerships in EUR and a third in GBP,
// both FX rates uncertain per month), so that the two rates are measured
// under the same load. The issue asks currencies=3 to run at ≥ 70 % of
// currencies=1's trials/s. Each sub-benchmark runs once before it is
// timed, so both are measured with the compiled-model cache
// (modelcache.go) warm, as BenchmarkRun is after its first iteration:
// the ratio is of the simulation's speed, not of a first build.
func BenchmarkRunCurrencies(b *testing.B) {
	for _, n := range []int{1, 3} {
		p := sample.Benchmark(20, 8, 36)
		spec := benchSpec(p)
		if n == 3 {
			p = benchCurrencies()
			spec.Inputs = append(spec.Inputs, fxInputs()...)
		}
		outs := []scenario.Output{contribution, {Metric: scenario.NPV}}
		for _, ps := range p.Partnerships {
			outs = append(outs, scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
		}
		const trials = 4000
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("currencies=%d/workers=%d", n, workers), func(b *testing.B) {
				b.ReportAllocs()
				warm, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Workers: workers, Outputs: outs})
				if err != nil {
					b.Fatal(err)
				}
				sinkRun = warm
				cpu0 := processCPU()
				for b.Loop() { // b.Loop resets the timer at its first call: the warm-up is not timed
					r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Workers: workers, Outputs: outs})
					if err != nil {
						b.Fatal(err)
					}
					sinkRun = r
				}
				b.ReportMetric(float64(trials)*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
				// cpu-ms/op is the process's CPU time per run: steadier than
				// ns/op when other processes share the cores.
				b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// benchCurrencies is the benchmark portfolio in USD, EUR and GBP.
func benchCurrencies() *costmodel.Portfolio { return sample.BenchmarkCurrencies(20, 8, 36) }
