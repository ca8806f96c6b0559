package report

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/montecarlo"
)

// BenchmarkWriteSimulated writes the benchmark portfolio's workbook (20
// partnerships × 8 categories × 36 months) with a 10,000-trial simulation
// and a 10,000-row Samples sheet. The simulation runs once, outside the
// timer.
func BenchmarkWriteSimulated(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	st, err := costmodel.Evaluate(p)
	if err != nil {
		b.Fatal(err)
	}
	one := 1.0
	spec := &montecarlo.Spec{}
	for i := range 20 {
		spec.Inputs = append(spec.Inputs, montecarlo.Input{
			Target: fmt.Sprintf("partner-%02d/*/orders", i+1), Op: costmodel.Multiply,
			Dist: montecarlo.DistSpec{Type: "lognormal", Mean: &one, SD: ptr(0.2)},
		})
	}
	sim, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: 10000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	opt := Options{Portfolio: p, Statement: st, Simulation: sim, SampleRows: 10000}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, opt); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB/file")
}

func ptr(v float64) *float64 { return &v }
