package montecarlo

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/apicheck"
	"github.com/marginalhq/marginal/scenario"
)

// nilCase calls one exported function or method (named as in the source:
// "Run", "Beta.Quantile") with nil or zero-value arguments. wantErr says
// the call must return an error; calls without an error result must only
// not panic (and return what their doc says for such input).
type nilCase struct {
	name    string
	call    func() error
	wantErr bool
}

func nilCases(t *testing.T) []nilCase {
	p := loadPortfolio(t, "small.json")
	var (
		ctx   = context.Background()
		nilP  *costmodel.Portfolio
		nilS  *Spec
		empty = &costmodel.Portfolio{}
		good  = twoNormals(LHS)
		opt   = Options{Trials: 100}
	)
	cases := []nilCase{
		{"Run", func() error { _, err := Run(ctx, nilP, nilS, Options{}); return err }, true},
		{"Run", func() error { _, err := Run(ctx, p, nilS, opt); return err }, true},
		{"Run", func() error { _, err := Run(ctx, nilP, good, opt); return err }, true},
		{"Run", func() error { _, err := Run(ctx, empty, good, opt); return err }, true},
		{"Run", func() error { _, err := Run(ctx, p, &Spec{}, opt); return err }, true},
		{"Run", func() error { _, err := Run(ctx, p, good, Options{}); return err }, true},
		{"Run", func() error { _, err := Run(nil, p, good, opt); return err }, true}, //nolint:staticcheck // a nil context on purpose
		{"RunPaired", func() error { _, _, err := RunPaired(ctx, nilP, nilS, Options{}, scenario.Output{}); return err }, true},
		{"RunFairness", func() error { _, err := RunFairness(ctx, nilP, nilP, nilS, Options{}, FairnessOptions{}); return err }, true},
		{"RunFairness", func() error {
			_, err := RunFairness(ctx, nilP, nilP, nilS, Options{}, FairnessOptions{Bargain: scenario.Bargain{Partnership: "m"}, BandHi: 1})
			return err
		}, true},
		{"RunScenarios", func() error { _, err := RunScenarios(ctx, nilP, nilS, Options{}); return err }, true},
		{"RunScenarios", func() error {
			_, err := RunScenarios(ctx, nilP, good, Options{Guardrails: scenario.Guardrails{{Metric: scenario.CM1}}})
			return err
		}, true},
		{"Result.Guardrail", func() error { var r *Result; r.Guardrail("", ""); (&Result{}).Guardrail("", ""); return nil }, false},
		{"Result.PCredit", func() error {
			var r *Result
			if _, _, ok := r.PCredit(""); ok {
				return errors.New("a nil result has a P(credit)")
			}
			if _, _, ok := (&Result{}).PCredit(""); ok {
				return errors.New("an empty result has a P(credit)")
			}
			return nil
		}, false},
		{"CreditOutput", func() error { _ = CreditOutput(""); return nil }, false},
		{"Result.Fan", func() error { var r *Result; r.Fan(scenario.Output{}); (&Result{}).Fan(scenario.Output{}); return nil }, false},
		{"WindowBreach.String", func() error { _ = WindowBreach{}.String(); return nil }, false},
		{"SafeDiscount", func() error { _, err := SafeDiscount(ctx, nilP, nilS, Options{}, SafeDiscountOptions{}); return err }, true},
		{"RunPaired", func() error {
			_, _, err := RunPaired(ctx, p, good, opt, scenario.Output{}, Alternative{})
			return err
		}, true},
		{"RunPaired", func() error {
			_, _, err := RunPaired(nil, p, good, opt, contribution, Alternative{Portfolio: p}) //nolint:staticcheck
			return err
		}, true},
		{"CompareTrajectories", func() error { _, err := CompareTrajectories(ctx, nilP, good, opt, nil); return err }, true},
		{"CompareTrajectories", func() error { _, err := CompareTrajectories(ctx, p, nilS, opt, nil); return err }, true},
		{"CompareTrajectories", func() error { _, err := CompareTrajectories(ctx, empty, good, opt, nil); return err }, true},
		{"CompareTrajectories", func() error {
			_, err := CompareTrajectories(ctx, p, good, opt, []scenario.Trajectory{{}, {}})
			return err
		}, true},
		{"TrajectoryComparison.Pair", func() error {
			var c *TrajectoryComparison
			c.Pair(0, 1)
			(&TrajectoryComparison{}).Pair(0, 1)
			return nil
		}, false},
		{"CompareResponses", func() error {
			_, err := CompareResponses(ctx, nilP, nilS, Options{}, scenario.CompetitorCut{}, scenario.Output{}, nil)
			return err
		}, true},
		{"CompareResponses", func() error {
			_, err := CompareResponses(ctx, p, nilS, opt, scenario.CompetitorCut{}, contribution, nil)
			return err
		}, true},
		{"CompareResponses", func() error {
			cut := scenario.CompetitorCut{Depth: dd("0.1"), Duration: 1}
			_, err := CompareResponses(nil, p, good, opt, cut, contribution, nil) //nolint:staticcheck // a nil context on purpose
			return err
		}, true},
		{"Load", func() error { _, err := Load(nil, nil); return err }, true},
		{"Load", func() error { _, err := Load(strings.NewReader(`{"inputs":[]}`), nilP); return err }, true},
		{"Load", func() error { _, err := Load(strings.NewReader(`{}`), p); return err }, true},
		{"LoadFile", func() error { _, err := LoadFile("", p); return err }, true},
		{"LoadFile", func() error {
			_, err := LoadFile(filepath.Join("..", "testdata", "specs", "larkspur.uncertainty.json"), nilP)
			return err
		}, true},
		{"Spec.Validate", func() error { return nilS.Validate(p) }, true},
		{"Spec.Validate", func() error { return good.Validate(nilP) }, true},
		{"Spec.Validate", func() error { return (&Spec{}).Validate(p) }, true},
		{"Spec.Validate", func() error { return good.Validate(empty) }, true},
		{"Input.Label", func() error { var in *Input; _ = in.Label(); _ = (&Input{}).Label(); return nil }, false},
		{"Result.Output", func() error {
			var r *Result
			r.Output(scenario.Output{})
			(&Result{}).Output(scenario.Output{})
			return nil
		}, false},
		{"OutputResult.IsDefined", func() error { var o *OutputResult; o.IsDefined(0); (&OutputResult{}).IsDefined(-1); return nil }, false},
		{"OutputResult.DefinedSamples", func() error { var o *OutputResult; o.DefinedSamples(); (&OutputResult{}).DefinedSamples(); return nil }, false},
		{"OutputResult.Percentile", func() error { var o *OutputResult; o.Percentile(0.5); (&OutputResult{}).Percentile(0.5); return nil }, false},
		{"OutputResult.PercentileOK", func() error {
			var o *OutputResult
			if _, ok := o.PercentileOK(0.5); ok {
				return errors.New("a percentile of nothing")
			}
			if _, ok := (&OutputResult{Valid: true}).PercentileOK(0.5); ok {
				return errors.New("a percentile of no samples")
			}
			return nil
		}, false},
		{"PanicError.Error", func() error { var e *PanicError; _ = e.Error(); _ = (&PanicError{}).Error(); return nil }, false},
		{"PanicError.Unwrap", func() error { var e *PanicError; _ = e.Unwrap(); _ = (&PanicError{}).Unwrap(); return nil }, false},
		{"BatchSE", func() error { _, err := BatchSE(nil, 0, nil); return err }, true},
		{"BatchSE", func() error { _, err := BatchSE([]float64{1, 2, 3, 4}, 2, nil); return err }, true},
		{"MeanSE", func() error { _, err := MeanSE(nil, 0); return err }, true},
		{"PercentileSE", func() error { _, err := PercentileSE(nil, 0, 0); return err }, true},
		{"CVaRSE", func() error { _, err := CVaRSE(nil, 0, 0); return err }, true},
		{"ValidateCorrelation", func() error { return ValidateCorrelation(nil, "") }, true},
		{"NearestCorrelation", func() error { _, _, _, err := NearestCorrelation(nil); return err }, true},
		{"NewDiscrete", func() error { NewDiscrete(nil, nil); return nil }, false},
		{"NewEmpirical", func() error { NewEmpirical(nil); return nil }, false},
		{"NewTruncated", func() error { NewTruncated(nil, 0, 0); return nil }, false},
		{"Validate", func() error { return Validate(nil, "") }, true},
		{"Validate", func() error { return Validate(Truncated{}, "") }, true},
		{"Validate", func() error { return Validate(Discrete{}, "") }, true},
		{"NewHistogram", func() error { _, err := NewHistogram(nil, 0); return err }, true},
		{"SCurve", func() error { SCurve(nil, 0); return nil }, false},
		{"ImanConover", func() error { return ImanConover(nil, nil, nil) }, true},
		{"ImanConover", func() error {
			return ImanConover([][]float64{{1, 2, 3}, {3, 2, 1}}, [][]float64{{1, 0.5}, {0.5, 1}}, nil)
		}, true},
		{"LogNormalFromMeanSD", func() error { _, err := LogNormalFromMeanSD(0, 0); return err }, true},
		{"Percentile", func() error { Percentile(nil, 0); return nil }, false},
		{"VaR", func() error { VaR(nil, 0); return nil }, false},
		{"CVaR", func() error { CVaR(nil, 0); return nil }, false},
		{"ProbBelow", func() error { ProbBelow(nil, 0); return nil }, false},
		{"Ranks", func() error { Ranks(nil, nil); return nil }, false},
		{"Spearman", func() error { _, err := Spearman(nil, nil); return err }, true},
		{"Sensitivity", func() error { _, err := Sensitivity(nil, nil, 0); return err }, true},
		{"DistSpec.Build", func() error { _, err := DistSpec{}.Build(""); return err }, true},
		{"Stream", func() error { Stream(0, "", 0); return nil }, false},
		{"Summarize", func() error { _, err := Summarize(nil); return err }, true},
		{"StandardError", func() error { StandardError(nil); return nil }, false},
		{"MonteCarlo.Uniforms", func() error { MonteCarlo{}.Uniforms(nil, 10, nil); MonteCarlo{}.Uniforms(nil, -1, nil); return nil }, false},
		{"LatinHypercube.Uniforms", func() error { LatinHypercube{}.Uniforms(nil, 10, nil); return nil }, false},
	}
	// Every distribution's zero value: methods may return NaN for an
	// invalid distribution (the Distribution doc) but never panic.
	for _, d := range []struct {
		name string
		d    Distribution
	}{
		{"Beta", Beta{}}, {"Discrete", Discrete{}}, {"Empirical", Empirical{}}, {"Gamma", Gamma{}},
		{"LogNormal", LogNormal{}}, {"Normal", Normal{}}, {"PERT", PERT{}}, {"Poisson", Poisson{}},
		{"Triangular", Triangular{}}, {"Truncated", Truncated{}}, {"Uniform", Uniform{}}, {"Weibull", Weibull{}},
		{"Discrete", Discrete{Values: []float64{1, 2}}}, {"Truncated", Truncated{Dist: Normal{}}},
	} {
		cases = append(cases,
			nilCase{d.name + ".Quantile", func() error { d.d.Quantile(0.5); d.d.Quantile(0); d.d.Quantile(1); return nil }, false},
			nilCase{d.name + ".CDF", func() error { d.d.CDF(0); return nil }, false},
			nilCase{d.name + ".Mean", func() error { d.d.Mean(); return nil }, false},
			nilCase{d.name + ".Variance", func() error { d.d.Variance(); return nil }, false},
		)
	}
	return cases
}

// Every exported function and method, called with nil or zero-value
// arguments, returns an error (or, without an error result, a value)
// and never panics.
func TestNilArguments(t *testing.T) {
	t.Parallel()
	for _, c := range nilCases(t) {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panicked: %v", c.name, r)
				}
			}()
			err := c.call()
			if c.wantErr && err == nil {
				t.Errorf("%s: no error for nil or zero-value arguments", c.name)
			}
			if !c.wantErr && err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}()
	}
}

// The table of TestNilArguments covers every exported function and
// method of the package, so that a new one cannot be forgotten.
func TestNilArgumentsCoverEveryExportedFunc(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, c := range nilCases(t) {
		covered[c.name] = true
	}
	for _, name := range exportedFuncs(t, ".") {
		if !covered[name] {
			t.Errorf("%s is not called with nil or zero-value arguments in nilCases", name)
		}
	}
}

// A panic inside a worker goroutine is recovered and returned as an
// error; it never crashes the caller's process. Not parallel: it sets the
// package's block hook.
func TestWorkerPanicIsAnError(t *testing.T) {
	p := loadPortfolio(t, "small.json")
	blockHook = func(b int) {
		if b == 2 {
			panic("boom")
		}
	}
	defer func() { blockHook = nil }()
	_, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 5000, Seed: 1, Outputs: []scenario.Output{contribution}})
	var pe *PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "boom") || len(pe.Stack) == 0 {
		t.Errorf("a panic in a worker: %v", err)
	}
}

// exportedFuncs lists the exported functions ("Run") and the exported
// methods of exported types ("Beta.Quantile") of the non-test Go files
// in dir.
func exportedFuncs(t *testing.T, dir string) []string {
	t.Helper()
	names, err := apicheck.Exported(dir)
	if err != nil || len(names) < 10 {
		t.Fatalf("found only %v in %s: %v", names, dir, err)
	}
	return names
}

// A worker's panic with an error value unwraps to it (errors.Is, As);
// one with any other value unwraps to nil.
func TestPanicErrorUnwrap(t *testing.T) {
	t.Parallel()
	cause := errors.New("index out of range")
	err := error(&PanicError{Value: cause})
	if !errors.Is(err, cause) {
		t.Errorf("%v does not unwrap to its cause", err)
	}
	if got := (&PanicError{Value: "boom"}).Unwrap(); got != nil {
		t.Errorf("a string panic unwraps to %v", got)
	}
}
