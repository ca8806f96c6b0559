package montecarlo

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
)

// DistSpec is the JSON form of a distribution, as finance users write it in
// a portfolio's uncertainty section. Type selects the distribution and the
// fields it reads:
//
//	{"type":"normal",     "mean":m, "sd":s}
//	{"type":"lognormal",  "mean":m, "sd":s}          mean and sd of the variable
//	{"type":"lognormal",  "mu":μ, "sigma":σ}         of its logarithm
//	{"type":"triangular", "min":a, "mode":c, "max":b}
//	{"type":"pert",       "min":a, "mode":c, "max":b, "lambda":λ}   λ optional, default 4
//	{"type":"uniform",    "min":a, "max":b}
//	{"type":"beta",       "alpha":α, "beta":β, "min":a, "max":b}    min, max optional, default [0, 1]
//	{"type":"gamma",      "shape":k, "scale":θ}
//	{"type":"weibull",    "shape":k, "scale":λ}
//	{"type":"poisson",    "lambda":λ}
//	{"type":"discrete",   "values":[...], "weights":[...]}
//	{"type":"empirical",  "data":[...]}
//
// Any of them may add "truncate":{"lo":a,"hi":b} (either bound optional).
// A field that the type does not read is an error, so a misspelt or
// misplaced parameter is never silently ignored.
type DistSpec struct {
	Type    string      `json:"type" required:"true"`
	Mean    *float64    `json:"mean,omitempty"`
	SD      *float64    `json:"sd,omitempty"`
	Mu      *float64    `json:"mu,omitempty"`
	Sigma   *float64    `json:"sigma,omitempty"`
	Min     *float64    `json:"min,omitempty"`
	Mode    *float64    `json:"mode,omitempty"`
	Max     *float64    `json:"max,omitempty"`
	Lambda  *float64    `json:"lambda,omitempty"`
	Alpha   *float64    `json:"alpha,omitempty"`
	Beta    *float64    `json:"beta,omitempty"`
	Shape   *float64    `json:"shape,omitempty"`
	Scale   *float64    `json:"scale,omitempty"`
	Values  []float64   `json:"values,omitempty"`
	Weights []float64   `json:"weights,omitempty"`
	Data    []float64   `json:"data,omitempty"`
	Trunc   *Truncation `json:"truncate,omitempty"`
}

// Truncation is the optional "truncate" member of a [DistSpec]. A missing
// bound leaves that side unbounded; at least one must be given.
type Truncation struct {
	Lo *float64 `json:"lo,omitempty"`
	Hi *float64 `json:"hi,omitempty"`
}

// specTypes lists, per type, the required and the optional fields.
var specTypes = map[string]struct{ required, optional []string }{
	"normal":     {required: []string{"mean", "sd"}},
	"lognormal":  {optional: []string{"mean", "sd", "mu", "sigma"}}, // one pair required, checked below
	"triangular": {required: []string{"min", "mode", "max"}},
	"pert":       {required: []string{"min", "mode", "max"}, optional: []string{"lambda"}},
	"uniform":    {required: []string{"min", "max"}},
	"beta":       {required: []string{"alpha", "beta"}, optional: []string{"min", "max"}},
	"gamma":      {required: []string{"shape", "scale"}},
	"weibull":    {required: []string{"shape", "scale"}},
	"poisson":    {required: []string{"lambda"}},
	"discrete":   {required: []string{"values", "weights"}},
	"empirical":  {required: []string{"data"}},
}

// typeNames is the sorted list of types for error messages.
var typeNames = func() string {
	var names []string
	for k := range specTypes {
		names = append(names, k)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}()

// numbers returns the scalar fields of s by JSON name (nil when absent).
func (s DistSpec) numbers() map[string]*float64 {
	return map[string]*float64{
		"mean": s.Mean, "sd": s.SD, "mu": s.Mu, "sigma": s.Sigma,
		"min": s.Min, "mode": s.Mode, "max": s.Max, "lambda": s.Lambda,
		"alpha": s.Alpha, "beta": s.Beta, "shape": s.Shape, "scale": s.Scale,
	}
}

// fieldOrder fixes the order in which field problems are reported.
var fieldOrder = []string{"mean", "sd", "mu", "sigma", "min", "mode", "max", "lambda",
	"alpha", "beta", "shape", "scale", "values", "weights", "data"}

// Build validates s and returns its distribution. Every problem is
// reported at once in a *costmodel.ValidationError whose paths extend path
// with the JSON field name (path+".sd", path+".weights[2]",
// path+".truncate.hi"): an unknown type, a missing required field, a field
// the type does not read, NaN or ±Inf anywhere, sd ≤ 0, min > mode,
// mode > max, min ≥ max, negative weights or weights without a positive
// sum, values and weights of different lengths, empty data, a truncation
// with lo ≥ hi or with no probability in [lo, hi], and parameters whose
// mean or variance overflows.
//
// Discrete values and empirical data are copied and sorted; s is not
// modified.
func (s DistSpec) Build(path string) (Distribution, error) {
	var p costmodel.Problems
	reported := map[string]bool{}
	add := func(at, value, expected string) {
		reported[at] = true
		p.Add(at, value, expected)
	}
	at := func(field string) string { return join(path, field) }
	nums := s.numbers()
	lists := map[string][]float64{"values": s.Values, "weights": s.Weights, "data": s.Data}
	present := func(f string) bool {
		if l, ok := lists[f]; ok {
			return l != nil
		}
		return nums[f] != nil
	}

	// Numbers must be finite whatever the type.
	for _, f := range fieldOrder {
		if v := nums[f]; v != nil && !finite(*v) {
			add(at(f), formatG(*v), "a finite number")
		}
	}

	// One spelling, as every enumerated value in Marginal's files: "Normal"
	// or " normal" is refused, not read as normal.
	typ := s.Type
	kind, known := specTypes[typ]
	switch {
	case s.Type == "":
		add(at("type"), "", "a distribution type: one of "+typeNames)
	case !known:
		add(at("type"), quote(s.Type), "one of "+typeNames)
	}
	if known {
		allowed := append(slices.Clone(kind.required), kind.optional...)
		for _, f := range fieldOrder {
			if present(f) && !slices.Contains(allowed, f) && !reported[at(f)] {
				add(at(f), "", fmt.Sprintf("no %q for type %s (it reads %s)", f, typ, strings.Join(allowed, ", ")))
			}
		}
		for _, f := range kind.required {
			if !present(f) {
				add(at(f), "", fmt.Sprintf("a %q (required for type %s)", f, typ))
			}
		}
	}

	// val returns a field, NaN when absent or already reported, so that the
	// distribution's own check skips it.
	val := func(f string) float64 {
		if v := nums[f]; v != nil && !reported[at(f)] {
			return *v
		}
		return math.NaN()
	}
	var d Distribution
	var raw checker // what to check, in the user's order
	switch typ {
	case "normal":
		d = Normal{Mu: val("mean"), Sigma: val("sd")}
	case "lognormal":
		byMoments := s.Mean != nil || s.SD != nil
		byLog := s.Mu != nil || s.Sigma != nil
		switch {
		case byMoments && byLog:
			add(path, "", `either "mean" and "sd" (of the variable) or "mu" and "sigma" (of its logarithm), not both`)
		case byLog:
			for _, f := range []string{"mu", "sigma"} {
				if !present(f) {
					add(at(f), "", fmt.Sprintf("a %q (lognormal by mu and sigma)", f))
				}
			}
			d = LogNormal{Mu: val("mu"), Sigma: val("sigma")}
		default:
			for _, f := range []string{"mean", "sd"} {
				if !present(f) {
					add(at(f), "", fmt.Sprintf("a %q (lognormal by mean and sd; or give mu and sigma)", f))
				}
			}
			if m, sd := val("mean"), val("sd"); finite(m) && finite(sd) {
				l, err := LogNormalFromMeanSD(m, sd)
				if err != nil {
					p.Merge(path, err)
				} else {
					// Checked in terms of mean and sd already; the μ
					// and σ checks would speak of parameters the user
					// did not write.
					d, raw = l, checkedAlready{}
				}
			}
		}
	case "triangular":
		d = Triangular{Min: val("min"), Mode: val("mode"), Max: val("max")}
	case "pert":
		lam := 0.0
		if s.Lambda != nil {
			lam = val("lambda")
			if lam == 0 {
				// In Go a zero Lambda means the classic 4; in a file an
				// explicit 0 is a mistake, not a request for the default.
				p.Add(join(path, "lambda"), "0", "a lambda > 0 (leave it out for the classic 4)")
			}
		}
		d = PERT{Min: val("min"), Mode: val("mode"), Max: val("max"), Lambda: lam}
	case "uniform":
		d = Uniform{Min: val("min"), Max: val("max")}
	case "beta":
		b := Beta{Alpha: val("alpha"), Beta: val("beta")}
		if (s.Min == nil) != (s.Max == nil) {
			add(path, "", `both "min" and "max", or neither for [0, 1]`)
		} else if s.Min != nil {
			b.Min, b.Max = val("min"), val("max")
		}
		d = b
	case "gamma":
		d = Gamma{Shape: val("shape"), Scale: val("scale")}
	case "weibull":
		d = Weibull{Shape: val("shape"), Scale: val("scale")}
	case "poisson":
		d = Poisson{Lambda: val("lambda")}
	case "discrete":
		if present("values") && present("weights") {
			raw = discreteRaw{Discrete{Values: s.Values, Weights: s.Weights}}
			d = NewDiscrete(s.Values, s.Weights)
		}
	case "empirical":
		if present("data") {
			raw = empiricalRaw{Empirical{Data: s.Data}}
			d = NewEmpirical(s.Data)
		}
	}

	if d != nil {
		var q costmodel.Problems
		if raw != nil {
			raw.check(&q, path)
		} else {
			q.Merge("", Validate(d, path))
		}
		// Skip what was already reported (a missing field shows up again
		// as NaN), judged against the problems found before this check.
		seen := maps.Clone(reported)
		var ve *costmodel.ValidationError
		if errors.As(q.Err(), &ve) {
			for _, e := range ve.Problems {
				if !seen[e.Path] {
					add(e.Path, e.Value, e.Expected)
				}
			}
		}
	}

	if t := s.Trunc; t != nil {
		tp := at("truncate")
		t0 := Truncated{Dist: d, Lo: math.Inf(-1), Hi: math.Inf(1)}
		okBounds := true
		if t.Lo == nil && t.Hi == nil {
			add(tp, "", `at least one of "lo" and "hi"`)
			okBounds = false
		}
		if t.Lo != nil {
			t0.Lo = *t.Lo
			if !finite(*t.Lo) {
				add(join(tp, "lo"), formatG(*t.Lo), "a finite number (omit lo for no lower bound)")
				okBounds = false
			}
		}
		if t.Hi != nil {
			t0.Hi = *t.Hi
			if !finite(*t.Hi) {
				add(join(tp, "hi"), formatG(*t.Hi), "a finite number (omit hi for no upper bound)")
				okBounds = false
			}
		}
		if okBounds && t0.Lo >= t0.Hi {
			add(join(tp, "hi"), formatG(t0.Hi), "a bound greater than lo ("+formatG(t0.Lo)+")")
			okBounds = false
		}
		if okBounds && p.Len() == 0 && d != nil {
			if _, mass := t0.masses(); !(mass > 0) {
				add(tp, "["+formatG(t0.Lo)+", "+formatG(t0.Hi)+"]",
					"an interval with positive probability under the distribution")
			}
		}
		if p.Len() == 0 {
			t0 = NewTruncated(t0.Dist, t0.Lo, t0.Hi)
		}
		d = t0
	}

	if p.Len() == 0 && d != nil && !(finite(d.Mean()) && finite(d.Variance())) {
		add(path, "mean "+formatG(d.Mean())+", variance "+formatG(d.Variance()),
			"parameters giving a finite mean and variance")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if d == nil { // unreachable: every path without a distribution records a problem
		return nil, &costmodel.ValidationError{Problems: []*costmodel.FieldError{{Path: path, Expected: "a distribution"}}}
	}
	return d, nil
}

// checkedAlready is the checker of a distribution whose parameters were
// checked as the user gave them.
type checkedAlready struct{}

func (checkedAlready) check(*costmodel.Problems, string) {}

// discreteRaw and empiricalRaw check the user's lists before sorting, so
// that indices in errors match the input.
type discreteRaw struct{ Discrete }

func (d discreteRaw) check(p *costmodel.Problems, path string) { d.checkOrder(p, path, false) }

type empiricalRaw struct{ Empirical }

func (e empiricalRaw) check(p *costmodel.Problems, path string) { e.checkOrder(p, path, false) }
