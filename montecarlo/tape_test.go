package montecarlo

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
)

// runBoth runs f on the tape and on the Compiled path. Not parallel with
// other tests that depend on the path: it flips compiledOnly.
func runBoth(t *testing.T, f func() (*Result, []Paired, error)) (tape, compiled *Result, tp, cp []Paired) {
	t.Helper()
	var err error
	tape, tp, err = f()
	if err != nil {
		t.Fatal(err)
	}
	compiledOnly = true
	defer func() { compiledOnly = false }()
	compiled, cp, err = f()
	if err != nil {
		t.Fatal(err)
	}
	return tape, compiled, tp, cp
}

// sameSamples compares two outputs trial by trial: within 1e−9 of the
// output's range (the two paths add the same numbers in another order),
// and a payback month exactly but for trials where the cumulative flow
// ends within float rounding of zero.
func sameSamples(t *testing.T, what string, got, want *OutputResult) {
	t.Helper()
	if got.Output != want.Output || len(got.Samples) != len(want.Samples) {
		t.Fatalf("%s: output %s with %d samples, want %s with %d", what, got.Output, len(got.Samples), want.Output, len(want.Samples))
	}
	tol := 1e-9 * (1 + want.Summary.Max - want.Summary.Min + math.Abs(want.Summary.Mean))
	off := 0
	for j := range want.Samples {
		if d := math.Abs(got.Samples[j] - want.Samples[j]); !(d <= tol) {
			if off++; off <= 3 {
				t.Errorf("%s %s trial %d: tape %v, Compiled %v", what, want.Output, j, got.Samples[j], want.Samples[j])
			}
		}
	}
	if got.Undefined != want.Undefined {
		t.Errorf("%s %s: %d undefined trials, Compiled %d", what, want.Output, got.Undefined, want.Undefined)
	}
}

// TestTapeMatchesCompiled holds the tape path to the Compiled path on the
// testdata portfolio and its uncertainty spec (per-trial and per-month
// inputs with autocorrelation, a correlation group, patterns over many
// drivers), every default metric of every place (ratios, NPVs, payback
// months of the portfolio, partnerships, channels and categories), and on
// alternatives with a month-limited adjustment.
func TestTapeMatchesCompiled(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec, err := LoadFile(filepath.Join("..", "testdata", "specs", "larkspur.uncertainty.json"), p)
	if err != nil {
		t.Fatal(err)
	}
	tape, compiled, _, _ := runBoth(t, func() (*Result, []Paired, error) {
		r, err := Run(context.Background(), p, spec, Options{Trials: 1500, Seed: 11, Workers: 2})
		return r, nil, err
	})
	if len(tape.Outputs) < 30 {
		t.Fatalf("%d outputs: want every default metric of every place", len(tape.Outputs))
	}
	for k := range compiled.Outputs {
		sameSamples(t, "run", &tape.Outputs[k], &compiled.Outputs[k])
	}
	for i := range compiled.Clamped {
		if tape.Clamped[i] != compiled.Clamped[i] {
			t.Errorf("input %s: %d clamped, Compiled %d", compiled.Inputs[i], tape.Clamped[i], compiled.Clamped[i])
		}
	}
	for i := range compiled.InputSamples {
		for j, v := range compiled.InputSamples[i] {
			if tape.InputSamples[i][j] != v {
				t.Fatalf("input %s trial %d: recorded %v, Compiled %v", compiled.Inputs[i], j, tape.InputSamples[i][j], v)
			}
		}
	}
	// Alternatives: a fee change, and a December-only doubling of orders
	// (a month-limited adjustment on an uncertain driver).
	dec := 11
	// Unit costs of amazon-us × 1.7: its payback falls past the horizon
	// in some trials and not in others.
	peak := scenario.Scenario{Name: "dec", Shocks: []scenario.Shock{{Target: "amazon-us/*/orders", Op: costmodel.Multiply, Value: dd("2"), From: &dec, To: &dec},
		{Target: "amazon-us/*/unit_cost", Op: costmodel.Multiply, Value: dd("1.7")}}}
	qPeak, err := peak.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	fee, _ := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "amazon-us", PercentagePoints: dd("0.01")})
	qFee, err := fee.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	amazonPayback := scenario.Output{Scope: scenario.Partnership, Key: "amazon-us", Metric: scenario.PaybackMonth}
	out := scenario.Output{Scope: scenario.Channel, Key: p.Partnerships[0].Channel, Metric: scenario.CM3Ratio}
	tape, compiled, tp, cp := runBoth(t, func() (*Result, []Paired, error) {
		return RunPaired(context.Background(), qPeak, spec, Options{Trials: 1000, Seed: 5, Workers: 1, Outputs: []scenario.Output{out, contribution, {Metric: scenario.PaybackMonth}, amazonPayback}}, out,
			Alternative{Name: "fee", Portfolio: qFee}, Alternative{Name: "base", Portfolio: p})
	})
	for k := range compiled.Outputs {
		sameSamples(t, "paired", &tape.Outputs[k], &compiled.Outputs[k])
	}
	never := tape.Outputs[3].Undefined
	if never == 0 || never == len(tape.Outputs[3].Samples) {
		t.Errorf("amazon-us never pays back in %d of %d trials: want some, to test both", never, len(tape.Outputs[3].Samples))
	}
	for i := range cp {
		sameSamples(t, "difference "+cp[i].Name, &tp[i].Difference, &cp[i].Difference)
		if tp[i].PBetter != cp[i].PBetter {
			t.Errorf("%s: P(better) %v, Compiled %v", cp[i].Name, tp[i].PBetter, cp[i].PBetter)
		}
	}
}

// TestTapeUncertainDiscountRate holds the tape to the Compiled path when
// the discount rate is drawn: each trial's NPVs discount the tape's
// monthly flows at that trial's rate.
func TestTapeUncertainDiscountRate(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec := &Spec{Inputs: []Input{
		{Op: costmodel.SetTo, Target: "portfolio/discount_rate", Dist: DistSpec{Type: "uniform", Min: f64(0.02), Max: f64(0.25)}},
		{Target: "*/*/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.8), Max: f64(1.2)}},
	}}
	var outs []scenario.Output
	for _, pl := range []scenario.Output{{Scope: scenario.Portfolio}, {Scope: scenario.Partnership, Key: "ebay"}, {Scope: scenario.Channel, Key: p.Partnerships[0].Channel}} {
		for _, mt := range []scenario.Metric{scenario.NPV, scenario.Contribution, scenario.PaybackMonth} {
			pl.Metric = mt
			outs = append(outs, pl)
		}
	}
	fee, _ := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "amazon-us", PercentagePoints: dd("0.01")})
	qFee, err := fee.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	npv := scenario.Output{Scope: scenario.Portfolio, Metric: scenario.NPV}
	tape, compiled, tp, cp := runBoth(t, func() (*Result, []Paired, error) {
		return RunPaired(context.Background(), p, spec, Options{Trials: 1200, Seed: 9, Workers: 2, Outputs: outs}, npv, Alternative{Name: "fee", Portfolio: qFee})
	})
	for k := range compiled.Outputs {
		sameSamples(t, "run", &tape.Outputs[k], &compiled.Outputs[k])
	}
	sameSamples(t, "difference", &tp[0].Difference, &cp[0].Difference)
	if s := tape.Outputs[0].Summary; !(s.SD > 0.01*math.Abs(s.Mean)) {
		t.Errorf("portfolio NPV spread %v around %v: the drawn rate should move it", s.SD, s.Mean)
	}
}

// BenchmarkRunCompiled is BenchmarkRun's workload on the Compiled path,
// for comparison with the tape (BenchmarkRun).
func BenchmarkRunCompiled(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	spec := benchSpec(p)
	outs := benchOutputs(p)
	const trials = 4000
	compiledOnly = true
	defer func() { compiledOnly = false }()
	b.ReportAllocs()
	for b.Loop() {
		r, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 1, Workers: 1, Outputs: outs})
		if err != nil {
			b.Fatal(err)
		}
		sinkRun = r
	}
	b.ReportMetric(float64(trials)*float64(b.N)/b.Elapsed().Seconds(), "trials/s")
}
