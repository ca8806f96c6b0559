package montecarlo

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// problemPaths returns the paths named by a validation error.
func problemPaths(t *testing.T, err error) []string {
	t.Helper()
	var ve *costmodel.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *costmodel.ValidationError", err, err)
	}
	if !errors.Is(err, costmodel.ErrInvalid) {
		t.Errorf("error does not wrap costmodel.ErrInvalid")
	}
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path)
	}
	return paths
}

func has(paths []string, want string) bool {
	for _, p := range paths {
		if p == want {
			return true
		}
	}
	return false
}

var badSpecs = []struct {
	name string
	json string
	spec *DistSpec // used instead of json for values JSON cannot carry
	want []string
}{
	{name: "unknown type", json: `{"type":"cauchy","mean":1}`, want: []string{"in.type"}},
	{name: "missing type", json: `{"mean":1}`, want: []string{"in.type"}},
	{name: "normal sd zero", json: `{"type":"normal","mean":1,"sd":0}`, want: []string{"in.sd"}},
	{name: "normal sd negative and stray field", json: `{"type":"normal","mean":1,"sd":-2,"min":0}`, want: []string{"in.sd", "in.min"}},
	{name: "normal missing both", json: `{"type":"normal"}`, want: []string{"in.mean", "in.sd"}},
	{name: "triangular min > mode", json: `{"type":"triangular","min":5,"mode":4,"max":10}`, want: []string{"in.mode"}},
	{name: "triangular mode > max", json: `{"type":"triangular","min":1,"mode":11,"max":10}`, want: []string{"in.mode"}},
	{name: "triangular min == max", json: `{"type":"triangular","min":3,"mode":3,"max":3}`, want: []string{"in.max"}},
	{name: "triangular missing mode", json: `{"type":"triangular","min":3,"max":5}`, want: []string{"in.mode"}},
	{name: "pert negative lambda", json: `{"type":"pert","min":1,"mode":2,"max":3,"lambda":-1}`, want: []string{"in.lambda"}},
	{name: "uniform reversed", json: `{"type":"uniform","min":3,"max":1}`, want: []string{"in.max"}},
	{name: "beta bad shapes and half range", json: `{"type":"beta","alpha":0,"beta":-1,"min":2}`, want: []string{"in.alpha", "in.beta", "in"}},
	{name: "gamma", json: `{"type":"gamma","shape":-1}`, want: []string{"in.shape", "in.scale"}},
	{name: "weibull tiny shape", json: `{"type":"weibull","shape":0.001,"scale":1}`, want: []string{"in.shape"}},
	{name: "poisson", json: `{"type":"poisson","lambda":0}`, want: []string{"in.lambda"}},
	{name: "lognormal both forms", json: `{"type":"lognormal","mean":1,"sd":1,"mu":0,"sigma":1}`, want: []string{"in"}},
	{name: "lognormal negative mean", json: `{"type":"lognormal","mean":-1,"sd":1}`, want: []string{"in.mean"}},
	{name: "lognormal mu without sigma", json: `{"type":"lognormal","mu":1}`, want: []string{"in.sigma"}},
	{name: "discrete length mismatch", json: `{"type":"discrete","values":[1,2,3],"weights":[1,2]}`, want: []string{"in.weights"}},
	{name: "discrete negative weight", json: `{"type":"discrete","values":[1,2],"weights":[1,-2]}`, want: []string{"in.weights[1]"}},
	{name: "discrete zero sum", json: `{"type":"discrete","values":[1,2],"weights":[0,0]}`, want: []string{"in.weights"}},
	{name: "discrete empty", json: `{"type":"discrete","values":[],"weights":[]}`, want: []string{"in.values"}},
	{name: "empirical empty", json: `{"type":"empirical","data":[]}`, want: []string{"in.data"}},
	{name: "empirical missing", json: `{"type":"empirical"}`, want: []string{"in.data"}},
	{name: "truncation reversed", json: `{"type":"normal","mean":0,"sd":1,"truncate":{"lo":2,"hi":1}}`, want: []string{"in.truncate.hi"}},
	{name: "truncation empty", json: `{"type":"normal","mean":0,"sd":1,"truncate":{}}`, want: []string{"in.truncate"}},
	{name: "truncation without mass", json: `{"type":"uniform","min":0,"max":1,"truncate":{"lo":2,"hi":3}}`, want: []string{"in.truncate"}},
	{name: "truncation without mass far tail", json: `{"type":"normal","mean":0,"sd":1,"truncate":{"lo":50,"hi":60}}`, want: []string{"in.truncate"}},
	{name: "everything wrong at once", json: `{"type":"triangular","min":5,"mode":1,"sd":2,"truncate":{"lo":1,"hi":0}}`,
		want: []string{"in.mode", "in.max", "in.sd", "in.truncate.hi"}},
	{name: "NaN and Inf", spec: &DistSpec{Type: "normal", Mean: f(math.NaN()), SD: f(math.Inf(1))}, want: []string{"in.mean", "in.sd"}},
	{name: "NaN in lists", spec: &DistSpec{Type: "discrete", Values: []float64{1, math.NaN()}, Weights: []float64{math.Inf(1), 1}},
		want: []string{"in.values[1]", "in.weights[0]"}},
	{name: "NaN in data", spec: &DistSpec{Type: "empirical", Data: []float64{1, 2, math.NaN()}}, want: []string{"in.data[2]"}},
	{name: "Inf truncation", spec: &DistSpec{Type: "normal", Mean: f(0), SD: f(1), Trunc: &Truncation{Lo: f(math.Inf(-1))}}, want: []string{"in.truncate.lo"}},
	{name: "overflowing variance", json: `{"type":"gamma","shape":1e300,"scale":1e300}`, want: []string{"in"}},
}

func TestDistSpecBuildErrors(t *testing.T) {
	t.Parallel()
	for _, c := range badSpecs {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var s DistSpec
			if c.spec != nil {
				s = *c.spec
			} else if err := json.Unmarshal([]byte(c.json), &s); err != nil {
				t.Fatal(err)
			}
			d, err := s.Build("in")
			if err == nil {
				t.Fatalf("no error; built %#v", d)
			}
			paths := problemPaths(t, err)
			for _, w := range c.want {
				if !has(paths, w) {
					t.Errorf("missing problem at %q; got:\n%v", w, err)
				}
			}
			if d != nil {
				t.Errorf("returned a distribution with an error")
			}
			for _, line := range strings.Split(err.Error(), "\n")[1:] {
				if !strings.Contains(line, "expected") {
					t.Errorf("problem without an expectation: %q", line)
				}
			}
		})
	}
}

func TestDistSpecBuild(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		json string
		want Distribution
	}{
		{`{"type":"normal","mean":5,"sd":2}`, Normal{Mu: 5, Sigma: 2}},
		{`{"type":"lognormal","mu":1,"sigma":0.5}`, LogNormal{Mu: 1, Sigma: 0.5}},
		{`{"type":"triangular","min":1,"mode":2,"max":4}`, Triangular{Min: 1, Mode: 2, Max: 4}},
		{`{"type":"pert","min":1,"mode":2,"max":4}`, PERT{Min: 1, Mode: 2, Max: 4}},
		{`{"type":"pert","min":1,"mode":2,"max":4,"lambda":3}`, PERT{Min: 1, Mode: 2, Max: 4, Lambda: 3}},
		{`{"type":"uniform","min":1,"max":4}`, Uniform{Min: 1, Max: 4}},
		{`{"type":"beta","alpha":2,"beta":3}`, Beta{Alpha: 2, Beta: 3}},
		{`{"type":"beta","alpha":2,"beta":3,"min":5,"max":9}`, Beta{Alpha: 2, Beta: 3, Min: 5, Max: 9}},
		{`{"type":"gamma","shape":2,"scale":3}`, Gamma{Shape: 2, Scale: 3}},
		{`{"type":"weibull","shape":2,"scale":3}`, Weibull{Shape: 2, Scale: 3}},
		{`{"type":"poisson","lambda":3}`, Poisson{Lambda: 3}},
	} {
		var s DistSpec
		if err := json.Unmarshal([]byte(c.json), &s); err != nil {
			t.Fatal(err)
		}
		d, err := s.Build("in")
		if err != nil {
			t.Errorf("%s: %v", c.json, err)
			continue
		}
		if d != c.want {
			t.Errorf("%s: got %#v, want %#v", c.json, d, c.want)
		}
	}

	// Lists are sorted, and the spec's own slices are left alone.
	s := DistSpec{Type: "discrete", Values: []float64{3, 1, 2}, Weights: []float64{0.5, 0.2, 0.3}}
	d, err := s.Build("in")
	if err != nil {
		t.Fatal(err)
	}
	disc := d.(Discrete)
	if disc.Values[0] != 1 || disc.Weights[0] != 0.2 || s.Values[0] != 3 {
		t.Errorf("discrete not sorted by value, or input modified: %v %v %v", disc.Values, disc.Weights, s.Values)
	}

	// The lognormal by mean and sd has that mean and sd.
	s = DistSpec{Type: "lognormal", Mean: f(100), SD: f(30)}
	d = mustDist(t, s)
	if math.Abs(d.Mean()-100) > 1e-9 || math.Abs(math.Sqrt(d.Variance())-30) > 1e-9 {
		t.Errorf("lognormal mean %g sd %g, want 100, 30", d.Mean(), math.Sqrt(d.Variance()))
	}

	// Truncation wraps the distribution and keeps draws inside.
	s = DistSpec{Type: "normal", Mean: f(0), SD: f(1), Trunc: &Truncation{Lo: f(0)}}
	d = mustDist(t, s)
	tr, ok := d.(Truncated)
	if !ok || tr.Lo != 0 || !math.IsInf(tr.Hi, 1) {
		t.Fatalf("got %#v, want a Truncated on [0, +Inf)", d)
	}
	if q := d.Quantile(0); q != 0 {
		t.Errorf("Quantile(0) = %g, want 0", q)
	}
	// The half-normal mean is √(2/π).
	if got, want := d.Mean(), math.Sqrt(2/math.Pi); math.Abs(got-want) > 1e-4 {
		t.Errorf("half-normal mean %g, want %g", got, want)
	}
}

func TestValidateStructLiterals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		d    Distribution
		want []string
	}{
		{Normal{Mu: 0, Sigma: -1}, []string{"d.sd"}},
		{LogNormal{Mu: math.NaN(), Sigma: 1}, []string{"d.mu"}},
		{Triangular{Min: 1, Mode: 0, Max: 2}, []string{"d.mode"}},
		{Empirical{Data: []float64{2, 1}}, []string{"d.data[1]"}},
		{Discrete{Values: []float64{1, 2}, Weights: []float64{1}}, []string{"d.weights"}},
		{Truncated{Dist: Normal{Sigma: 0}, Lo: 0, Hi: 1}, []string{"d.sd"}},
		{Truncated{Dist: Normal{Sigma: 1}, Lo: 1, Hi: 0}, []string{"d.truncate.hi"}},
		{nil, []string{"d"}},
	} {
		err := Validate(c.d, "d")
		if err == nil {
			t.Errorf("%#v: no error", c.d)
			continue
		}
		paths := problemPaths(t, err)
		for _, w := range c.want {
			if !has(paths, w) {
				t.Errorf("%#v: missing %q in %v", c.d, w, err)
			}
		}
	}
}

// TestInvalidNeverPanics calls every method of invalid struct literals.
func TestInvalidNeverPanics(t *testing.T) {
	t.Parallel()
	for _, d := range []Distribution{
		Normal{}, LogNormal{}, Triangular{}, PERT{}, Uniform{}, Beta{Alpha: -1},
		Gamma{}, Weibull{}, Poisson{}, Discrete{}, Empirical{}, Truncated{},
		Truncated{Dist: Normal{Sigma: 1}, Lo: 5, Hi: 1},
	} {
		for _, p := range []float64{0, 0.5, 1, math.NaN()} {
			_ = d.Quantile(p)
		}
		_, _, _ = d.CDF(0), d.Mean(), d.Variance()
	}
}
