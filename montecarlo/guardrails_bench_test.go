package montecarlo

import (
	"context"
	"fmt"
	"testing"

	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// benchRules are 10 guardrails over every kind of window and scope, on
// the benchmark portfolio: 3,700 cell × window values a trial.
func benchRules() scenario.Guardrails {
	d := decimal.RequireFromString
	lim := func(s string) *decimal.Decimal { v := d(s); return &v }
	return scenario.Guardrails{
		{Metric: scenario.CM3Ratio, Min: lim("0.10"), Window: scenario.EachMonth()},
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: lim("0"), Window: scenario.EachQuarter()},
		{Scope: scenario.Category, Key: "*", Metric: scenario.CM3Ratio, Min: lim("0.10"), Window: scenario.EachPeak()},
		{Scope: scenario.Channel, Key: "*", Metric: scenario.CM2Ratio, Min: lim("0.15"), Window: scenario.EachYear()},
		{Metric: scenario.Contribution, Min: lim("0"), Window: scenario.EachRolling(3)},
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.CM3Ratio, Min: lim("0.05"), Window: scenario.EachMonth()},
		{Scope: scenario.Category, Key: "*", Metric: scenario.CM3, Min: lim("0"), Window: scenario.EachQuarter()},
		{Metric: scenario.NPV, Min: lim("0")},
		{Scope: scenario.ChannelCategory, Key: "*", Metric: scenario.CM1Ratio, Min: lim("0.2"), Max: lim("0.9"), Window: scenario.EachYear()},
		{Scope: scenario.Partnership, Key: "*", Metric: scenario.PaybackMonth, Max: lim("24")},
	}
}

// BenchmarkRunGuardrails is BenchmarkRun's workload (the same portfolio,
// spec, outputs and trials) without and with the 10 rules of benchRules:
// the cost of P(breach) over all their windows is the ratio of the two.
// cpu-ms/op is the process's CPU time per run, steadier than ns/op on a
// loaded machine (it includes the garbage collector's work).
func BenchmarkRunGuardrails(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	outs := []scenario.Output{contribution, {Metric: scenario.NPV}}
	for _, ps := range p.Partnerships {
		outs = append(outs, scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
	}
	const trials = 4000
	for _, workers := range []int{1, 2} {
		for _, rules := range []scenario.Guardrails{nil, benchRules()} {
			b.Run(fmt.Sprintf("workers=%d/rules=%d", workers, len(rules)), func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := processCPU()
				for b.Loop() {
					r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Workers: workers, Outputs: outs, Guardrails: rules})
					if err != nil {
						b.Fatal(err)
					}
					sinkRun = r
				}
				b.ReportMetric(float64(trials)*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
				b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			})
		}
	}
}
