package montecarlo

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// problemAt returns the problem at path, or nil.
func problemAt(err error, path string) *costmodel.FieldError {
	var ve *costmodel.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			if p.Path == path {
				return p
			}
		}
	}
	var fe *costmodel.FieldError
	if errors.As(err, &fe) && fe.Path == path {
		return fe
	}
	return nil
}

// Two inputs that reach one driver would silently replace one draw with
// the other (and drop the first's correlation): an error naming both
// inputs, their patterns and one shared driver, reported with the other
// problems of the spec.
func TestOverlappingInputsRefused(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	js := `{"inputs": [
	  {"name": "amazon volume", "target": "amazon-us/*/orders", "op": "multiply", "dist": {"type": "pert", "min": 0.7, "mode": 1.0, "max": 1.25}},
	  {"name": "own-shop volume", "target": "own-shop/*/orders", "op": "multiply", "dist": {"type": "uniform", "min": 0.8, "max": 1.2}},
	  {"name": "market", "target": "*/*/orders", "op": "multiply", "dist": {"type": "uniform", "min": 0.9, "max": 1.1}},
	  {"name": "noise", "target": "amazon-us/beauty/orders", "op": "multiply", "per_month": true, "dist": {"type": "uniform", "min": 0.9, "max": 1.1}},
	  {"name": "bad", "target": "etsy/home/return_rate", "op": "set", "dist": {"type": "normal", "mean": 0.1, "sd": -1}}
	],
	"correlations": [{"inputs": ["amazon volume", "own-shop volume"], "matrix": [[1, 0.8], [0.8, 1]]}]}`
	_, err := Load(strings.NewReader(js), p)
	if !errors.Is(err, costmodel.ErrInvalid) {
		t.Fatalf("overlapping inputs accepted: %v", err)
	}
	// inputs[2] overlaps inputs[0] and inputs[1]; inputs[3] overlaps 0 and 2.
	for _, c := range []struct{ path, first, pattern, shared string }{
		{"inputs[2].target", `inputs[0] "amazon volume"`, "amazon-us/*/orders", "amazon-us/"},
		{"inputs[2].target", `inputs[1] "own-shop volume"`, "own-shop/*/orders", "own-shop/"},
		{"inputs[3].target", `inputs[0] "amazon volume"`, "amazon-us/*/orders", "amazon-us/beauty/orders"},
		{"inputs[3].target", `inputs[2] "market"`, "*/*/orders", "amazon-us/beauty/orders"},
	} {
		found := false
		var ve *costmodel.ValidationError
		errors.As(err, &ve)
		for _, pr := range ve.Problems {
			if pr.Path == c.path && strings.Contains(pr.Expected, c.first) && strings.Contains(pr.Expected, c.pattern) && strings.Contains(pr.Expected, c.shared) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at %s naming %s (%s) and a driver %s…:\n%v", c.path, c.first, c.pattern, c.shared, err)
		}
	}
	if problemAt(err, "inputs[4].dist.sd") == nil {
		t.Errorf("the other problems are not reported with the overlap:\n%v", err)
	}
	// Disjoint inputs on the same kind of driver are fine.
	ok := `{"inputs": [
	  {"target": "amazon-us/*/orders", "op": "multiply", "dist": {"type": "uniform", "min": 0.9, "max": 1.1}},
	  {"target": "ebay/*/orders", "op": "multiply", "dist": {"type": "uniform", "min": 0.9, "max": 1.1}}]}`
	if _, err := Load(strings.NewReader(ok), p); err != nil {
		t.Errorf("disjoint inputs refused: %v", err)
	}
}

// A correlation group needs a minimum of trials in each block; with fewer
// the message names the group and the minimum, not Iman–Conover's
// internals.
func TestTooFewTrialsForCorrelation(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	spec := loadSpec(t, p) // a 3-input group: amazon, own-shop and feedlink volume
	_, err := Run(context.Background(), p, spec, Options{Trials: 2, Outputs: []scenario.Output{contribution}})
	if err == nil {
		t.Fatal("2 trials for a 3-input correlation group accepted")
	}
	pr := problemAt(err, "trials")
	if pr == nil || strings.Contains(err.Error(), "samples[") {
		t.Fatalf("want a problem at trials, not Iman–Conover's internals:\n%v", err)
	}
	for _, w := range []string{"correlations[0]", "amazon volume", "own-shop volume", "feedlink volume", "at least 150 trials"} {
		if !strings.Contains(pr.Expected, w) {
			t.Errorf("message does not say %q: %v", w, pr)
		}
	}
	// The minimum is enough, one fewer is not.
	if _, err := Run(context.Background(), p, spec, Options{Trials: 150, Seed: 1, Outputs: []scenario.Output{contribution}}); err != nil {
		t.Errorf("150 trials: %v", err)
	}
	if _, err := Run(context.Background(), p, spec, Options{Trials: 149, Seed: 1, Outputs: []scenario.Output{contribution}}); problemAt(err, "trials") == nil {
		t.Errorf("149 trials: %v", err)
	}
	// A short last block is never below the group's minimum: 1,100
	// trials in blocks of 1,000 run as one block of 1,100, and 1,700 as
	// 1,000 and 700. With blocks of 200 and a minimum of 150, 1,120 run
	// as 5 blocks of 200 and one of 120 would be too small: it joins the
	// last full block.
	if _, err := Run(context.Background(), p, spec, Options{Trials: 1120, BlockSize: 200, Seed: 1, Outputs: []scenario.Output{contribution}}); err != nil {
		t.Errorf("1,120 trials in blocks of 200: %v", err)
	}
}

// Iman–Conover itself needs k+1 trials for k inputs and says so.
func TestImanConoverMinimumTrials(t *testing.T) {
	t.Parallel()
	target := [][]float64{{1, 0.5, 0.5}, {0.5, 1, 0.5}, {0.5, 0.5, 1}}
	cols := [][]float64{{1, 2, 3}, {1, 2, 3}, {1, 2, 3}}
	err := ImanConover(cols, target, Stream(1, "x", 0))
	if err == nil || !strings.Contains(err.Error(), "at least 4 trials for 3 inputs") {
		t.Errorf("3 trials for 3 inputs: %v", err)
	}
	// With k+1 trials it succeeds for every seed: a singular draw of the
	// scores is redrawn, not reported.
	for seed := range uint64(200) {
		cols := [][]float64{{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}}
		if err := ImanConover(cols, target, Stream(seed, "x", 0)); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}

// No trial count anywhere is an error that says where to give one; an
// explicit zero or negative count is an error; the spec's run.trials is
// used when Options.Trials is not set.
func TestTrialCount(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	outs := []scenario.Output{contribution}
	_, err := Run(context.Background(), p, twoNormals(LHS), Options{Seed: 1, Outputs: outs})
	if pr := problemAt(err, "trials"); pr == nil || !strings.Contains(pr.Expected, "Options.Trials") || !strings.Contains(pr.Expected, "run.trials") {
		t.Errorf("no trial count: %v", err)
	}
	if !errors.Is(err, ErrNoTrials) {
		t.Errorf("no trial count is not ErrNoTrials: %v", err)
	}
	for _, n := range []int{-1, -100} {
		if _, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: n, Outputs: outs}); problemAt(err, "trials") == nil {
			t.Errorf("%d trials: %v", n, err)
		}
	}
	s := twoNormals(LHS)
	s.Run = &RunSpec{Trials: 300, Seed: 5}
	r, err := Run(context.Background(), p, s, Options{Outputs: outs})
	if err != nil || r.Trials != 300 || r.Seed != 5 {
		t.Errorf("spec's run.trials: %v, %+v", err, r)
	}
	if r, err := Run(context.Background(), p, s, Options{Trials: 200, Outputs: outs}); err != nil || r.Trials != 200 {
		t.Errorf("Options.Trials over the spec's: %v", err)
	}
	// In a file, "trials": 0 is a mistake, not a request for a default.
	for _, js := range []string{
		`{"inputs":[{"target":"market/mugs/unit_cost", "op": "set","dist":{"type":"normal","mean":8,"sd":0.5}}],"run":{"trials":0}}`,
		`{"inputs":[{"target":"market/mugs/unit_cost", "op": "set","dist":{"type":"normal","mean":8,"sd":0.5}}],"run":{"trials":-5}}`,
	} {
		if _, err := Load(strings.NewReader(js), p); problemAt(err, "run.trials") == nil {
			t.Errorf("%s: %v", js, err)
		}
	}
	if _, err := Load(strings.NewReader(`{"inputs":[{"target":"market/mugs/unit_cost", "op": "set","dist":{"type":"normal","mean":8,"sd":0.5}}],"run":{"seed":3}}`), p); err != nil {
		t.Errorf("run without trials: %v", err)
	}
}

// Messages show numbers as written (shortest form), shorten long text,
// and speak of a lognormal's mean and sd when it was given by them.
func TestMessagesReadable(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	long := strings.Repeat("x", 300)
	for _, c := range []struct {
		js, path, want, not string
	}{
		{`{"inputs":[{"target":"market/mugs/return_rate", "op": "set","dist":{"type":"lognormal","mean":1e300,"sd":1e300}}]}`, "inputs[0].dist.sd", "1e+300", "sigma"},
		{`{"inputs":[{"target":"market/mugs/return_rate", "op": "set","dist":{"type":"lognormal","mean":0.1,"sd":1e200}}]}`, "inputs[0].dist.sd", "1e+200", "sigma"},
		{`{"inputs":[{"target":"market/mugs/return_rate", "op": "set","dist":{"type":"normal","mean":0.1,"sd":0}}]}`, "inputs[0].dist.sd", "got 0,", "0.0000"},
		{`{"inputs":[{"target":"market/mugs/return_rate", "op": "set","dist":{"type":"pert","min":0.1,"mode":0.3,"max":0.2}}]}`, "inputs[0].dist.mode", "got 0.3,", "0.3000"},
		{`{"inputs":[{"target":"` + long + `", "op": "set","dist":{"type":"normal","mean":1,"sd":1}}]}`, "inputs[0].target", "300 characters", long},
		{`{"sampling":"` + long + `","inputs":[{"target":"market/mugs/return_rate", "op": "set","dist":{"type":"normal","mean":0.1,"sd":0.01}}]}`, "sampling", "300 characters", long},
	} {
		_, err := Load(strings.NewReader(c.js), p)
		pr := problemAt(err, c.path)
		if pr == nil {
			t.Errorf("%.80s: no problem at %s: %v", c.js, c.path, err)
			continue
		}
		if msg := pr.Error(); !strings.Contains(msg, c.want) || strings.Contains(msg, c.not) || len(msg) > 250 {
			t.Errorf("%.80s: %q should say %q and not %.20q", c.js, msg, c.want, c.not)
		}
	}
	// The lognormal by mean and sd never reports mu or sigma.
	_, err := Load(strings.NewReader(`{"inputs":[{"target":"market/mugs/return_rate", "op": "set","dist":{"type":"lognormal","mean":1e300,"sd":1e300}}]}`), p)
	if err == nil || strings.Contains(err.Error(), "mu") || strings.Contains(err.Error(), "sigma") {
		t.Errorf("lognormal by mean and sd: %v", err)
	}
}

// The spec's problems, the trial count and the options' problems come in
// one error.
func TestRunReportsEverythingAtOnce(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	s := &Spec{Inputs: []Input{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.9), Max: f64(1.1)}},
		{Target: "market/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.9), Max: f64(1.1)}},
	}}
	_, err := Run(context.Background(), p, s, Options{Outputs: []scenario.Output{{Scope: scenario.Partnership, Key: "nobody", Metric: scenario.Contribution}}, Bins: -1})
	for _, path := range []string{"inputs[1].target", "trials", "outputs[0].key", "bins"} {
		if problemAt(err, path) == nil {
			t.Errorf("no problem at %s in\n%v", path, err)
		}
	}
	if !errors.Is(err, ErrNoTrials) || !errors.Is(err, costmodel.ErrInvalid) {
		t.Errorf("not ErrNoTrials and ErrInvalid: %v", err)
	}
}

// A non-finite output names the trial (1-based) and its inputs, not a
// position in an internal slice.
func TestNonFiniteOutputMessage(t *testing.T) {
	t.Parallel()
	e := &engine{sp: &specPlan{inputs: []inputPlan{{label: "volume"}}}, inputs: [][]float64{{0.9, 1.25, 1.1}}}
	err := e.checkFinite(contribution, []float64{1, math.Inf(1), math.NaN()}, nil)
	if err == nil || !strings.Contains(err.Error(), "2 of 3 trials, first in trial 2") || !strings.Contains(err.Error(), `"volume" = 1.25`) || strings.Contains(err.Error(), "samples[") {
		t.Errorf("non-finite output: %v", err)
	}
	// An undefined trial holds a placeholder, never checked.
	if err := e.checkFinite(contribution, []float64{1, 0, 3}, []bool{true, false, true}); err != nil {
		t.Error(err)
	}
}

// An input on a target that names no driver is costmodel.ErrNoMatch.
func TestInputNoMatch(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	spec := &Spec{Inputs: []Input{{Name: "typo", Target: "nobody/*/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.9), Max: f64(1.1)}}}}
	_, err := Run(context.Background(), p, spec, Options{Trials: 10, Seed: 1})
	if !errors.Is(err, costmodel.ErrNoMatch) || !strings.Contains(err.Error(), "nobody/*/orders") {
		t.Errorf("got %v, want costmodel.ErrNoMatch naming the target", err)
	}
}

// A negative worker count is an error, not quietly GOMAXPROCS; 0 still
// means GOMAXPROCS and more than the cores is capped.
func TestNegativeWorkers(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	outs := []scenario.Output{contribution}
	_, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 20, Workers: -2, Outputs: outs})
	if pr := problemAt(err, "workers"); pr == nil || pr.Value != "-2" {
		t.Errorf("Workers -2: %v", err)
	}
	for _, w := range []int{0, 1, 1000} {
		if _, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 20, Workers: w, Outputs: outs}); err != nil {
			t.Errorf("Workers %d: %v", w, err)
		}
	}
}
