package montecarlo

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// The tape against the exact model: a run's trial, replayed through
// costmodel.Evaluate at that trial's driver values (each per-trial input's
// recorded draw applied as the run applies it), gives the same outputs.
//
// The tolerance: the tape evaluates the statement without rounding any
// line, while the exact statement rounds every money line of every row
// and month to the cent; each rounding moves a line by at most half a
// cent, and a line feeds an output through at most the lines below it
// (fewer than NumLines), so a sum over the rows and months of a place
// differs by at most 0.005 × rows × months × NumLines. A ratio's bound
// is that over its net sales, and an NPV's the same (discount factors
// are below 1). Setting a driver rounds it to 12 places, far below that.
// A payback month is compared exactly but for a trial whose cumulative
// flow is within that bound of zero at the exact payback month.

// exactTrial is the exact statement of trial j of a run of p: every
// per-trial input's draw, read back from r, applied to its drivers.
func exactTrial(t *testing.T, p *costmodel.Portfolio, sp *specPlan, r *Result, j int) *costmodel.Statement {
	t.Helper()
	q := p.Clone()
	ds := p.Drivers()
	for i := range sp.inputs {
		ip := &sp.inputs[i]
		if ip.month {
			t.Fatalf("input %s is per month: its draws are not recorded", ip.label)
		}
		draw := r.InputSamples[i][j]
		for k, d := range ip.drivers {
			v, _ := ip.value(draw, k, ds[d].Value.InexactFloat64())
			if _, err := q.Set(ds[d].Address, decimal.NewFromFloat(v)); err != nil {
				t.Fatal(err)
			}
		}
	}
	st, err := costmodel.Evaluate(q)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// roundingBound is the tolerance above for an output of p.
func roundingBound(p *costmodel.Portfolio, o scenario.Output) float64 {
	rows := 0
	for _, ps := range p.Partnerships {
		n := 0
		switch o.Scope {
		case scenario.Category:
			for _, c := range ps.Categories {
				if c.ID == o.Key {
					n++
				}
			}
		case scenario.Partnership:
			if ps.ID == o.Key {
				n = len(ps.Categories) + 1
			}
		case scenario.Channel:
			if ps.Channel == o.Key {
				n = len(ps.Categories) + 1
			}
		default:
			n = len(ps.Categories) + 1
		}
		rows += n
	}
	return 0.005 * float64(rows*p.Months*int(costmodel.NumLines))
}

// checkTrial compares trial j of output res with the exact statement st.
func checkTrial(t *testing.T, p *costmodel.Portfolio, st *costmodel.Statement, res *OutputResult, j int) (undefined bool) {
	t.Helper()
	o := res.Output
	want, err := o.Of(st)
	if err != nil {
		t.Fatal(err)
	}
	if want.Valid != res.IsDefined(j) {
		t.Errorf("%s trial %d: tape defined %v, exact %v", o, j, res.IsDefined(j), want)
		return !want.Valid
	}
	if !want.Valid {
		return true
	}
	w, got := want.Amount.InexactFloat64(), res.Samples[j]
	tol := roundingBound(p, o)
	switch {
	case o.Metric.IsRatio():
		ns, _ := scenario.Output{Scope: o.Scope, Key: o.Key, Metric: scenario.NetSales}.Of(st)
		tol /= math.Abs(ns.Amount.InexactFloat64())
	case o.Metric == scenario.PaybackMonth:
		if got != w {
			t.Errorf("%s trial %d: tape payback month %v, exact %v", o, j, got, w)
		}
		return false
	}
	if d := math.Abs(got - w); !(d <= tol+1e-9*math.Abs(w)) {
		t.Errorf("%s trial %d: tape %v, exact %v (off by %g, bound %g)", o, j, got, w, d, tol)
	}
	return false
}

// perTrialSpec is the testdata spec without its per-month input, whose
// monthly draws a result does not keep.
func perTrialSpec(t *testing.T, p *costmodel.Portfolio) *Spec {
	t.Helper()
	spec, err := LoadFile(filepath.Join("..", "testdata", "specs", "larkspur.uncertainty.json"), p)
	if err != nil {
		t.Fatal(err)
	}
	var ins []Input
	for _, in := range spec.Inputs {
		if !in.PerMonth {
			ins = append(ins, in)
		}
	}
	if len(ins) == len(spec.Inputs) || len(ins) < 5 {
		t.Fatalf("%d of %d inputs per trial: want the per-month one dropped and the rest kept", len(ins), len(spec.Inputs))
	}
	spec.Inputs = ins
	return spec
}

func planOf(t *testing.T, spec *Spec, p *costmodel.Portfolio) *specPlan {
	t.Helper()
	sp, err := spec.plan(p)
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

var replayTrials = []int{0, 1, 537, 1499}

// TestTapeMatchesExact holds the tape path to the exact model on the
// testdata portfolio and its spec's per-trial inputs (a correlation
// group, patterns over many drivers, set and multiply ops), every default
// metric of every place (ratios, NPVs, payback months of the portfolio,
// partnerships, channels and categories), over two workers.
func TestTapeMatchesExact(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec := perTrialSpec(t, p)
	sp := planOf(t, spec, p)
	r, err := Run(context.Background(), p, spec, Options{Trials: 1500, Seed: 11, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Outputs) < 30 {
		t.Fatalf("%d outputs: want every default metric of every place", len(r.Outputs))
	}
	for _, j := range replayTrials {
		st := exactTrial(t, p, sp, r, j)
		for k := range r.Outputs {
			checkTrial(t, p, st, &r.Outputs[k], j)
		}
	}
}

// TestTapePairedMatchesExact holds the paired tape path to the exact
// model: a base with a December-only doubling of orders (a month-limited
// adjustment on an uncertain driver) and a unit-cost shock that makes
// amazon-us pay back in some trials only, a fee change and the plain
// portfolio as alternatives, and the differences.
func TestTapePairedMatchesExact(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec := perTrialSpec(t, p)
	sp := planOf(t, spec, p)
	dec := 11
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
	r, pd, err := RunPaired(context.Background(), qPeak, spec, Options{Trials: 1500, Seed: 5, Workers: 1,
		Outputs: []scenario.Output{out, contribution, {Scope: scenario.Portfolio, Metric: scenario.PaybackMonth}, amazonPayback}}, out,
		Alternative{Name: "fee", Portfolio: qFee}, Alternative{Name: "base", Portfolio: p})
	if err != nil {
		t.Fatal(err)
	}
	never := r.Outputs[3].Undefined
	if never == 0 || never == len(r.Outputs[3].Samples) {
		t.Errorf("amazon-us never pays back in %d of %d trials: want some, to test both", never, len(r.Outputs[3].Samples))
	}
	seen := map[bool]bool{}
	for j := range r.Outputs[3].Samples {
		if j%50 != 0 && !slicesContain(replayTrials, j) {
			continue
		}
		st := exactTrial(t, qPeak, sp, r, j)
		for k := range r.Outputs {
			u := checkTrial(t, qPeak, st, &r.Outputs[k], j)
			if k == 3 {
				seen[u] = true
			}
		}
		base, _ := out.Of(st)
		for a, q := range []*costmodel.Portfolio{qFee, p} {
			alt, _ := out.Of(exactTrial(t, q, sp, r, j))
			d := &pd[a].Difference
			if ok := alt.Valid && base.Valid; ok != d.IsDefined(j) {
				t.Errorf("%s trial %d: difference defined %v, exact %v and %v", pd[a].Name, j, d.IsDefined(j), base, alt)
				continue
			}
			want := alt.Amount.Sub(base.Amount).InexactFloat64()
			if got := d.Samples[j]; math.Abs(got-want) > 1e-6 {
				t.Errorf("%s trial %d: difference %v, exact %v", pd[a].Name, j, got, want)
			}
		}
	}
	if !seen[true] || !seen[false] {
		t.Errorf("the trials replayed have amazon-us paying back %v: want both cases replayed", seen)
	}
}

func slicesContain(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestTapeUncertainDiscountRate holds the tape to the exact model when the
// discount rate is drawn: each trial's NPVs discount the tape's monthly
// flows at that trial's rate.
func TestTapeUncertainDiscountRate(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec := &Spec{Inputs: []Input{
		{Op: costmodel.SetTo, Target: "portfolio/discount_rate", Dist: DistSpec{Type: "uniform", Min: f64(0.02), Max: f64(0.25)}},
		{Target: "*/*/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.8), Max: f64(1.2)}},
	}}
	sp := planOf(t, spec, p)
	var outs []scenario.Output
	for _, pl := range []scenario.Output{{Scope: scenario.Portfolio}, {Scope: scenario.Partnership, Key: "ebay"}, {Scope: scenario.Channel, Key: p.Partnerships[0].Channel}} {
		for _, mt := range []scenario.Metric{scenario.NPV, scenario.Contribution, scenario.PaybackMonth} {
			pl.Metric = mt
			outs = append(outs, pl)
		}
	}
	r, err := Run(context.Background(), p, spec, Options{Trials: 1500, Seed: 9, Workers: 2, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range replayTrials {
		st := exactTrial(t, p, sp, r, j)
		for k := range r.Outputs {
			checkTrial(t, p, st, &r.Outputs[k], j)
		}
	}
	if s := r.Outputs[0].Summary; !(s.SD > 0.01*math.Abs(s.Mean)) {
		t.Errorf("portfolio NPV spread %v around %v: the drawn rate should move it", s.SD, s.Mean)
	}
}
