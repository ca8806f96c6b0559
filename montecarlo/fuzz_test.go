package montecarlo

import (
	"encoding/json"
	"math"
	"testing"
)

// FuzzDistSpec checks that no JSON spec makes Build panic, and that every
// distribution it accepts has finite quantiles, a CDF in [0, 1], and a
// finite mean and variance.
func FuzzDistSpec(f *testing.F) {
	for _, s := range []string{
		`{"type":"normal","mean":1,"sd":2}`,
		`{"type":"lognormal","mean":1,"sd":2,"truncate":{"hi":3}}`,
		`{"type":"pert","min":1,"mode":1,"max":2,"lambda":0.5}`,
		`{"type":"beta","alpha":0.1,"beta":0.1}`,
		`{"type":"gamma","shape":1e-3,"scale":1e5}`,
		`{"type":"weibull","shape":0.05,"scale":1}`,
		`{"type":"poisson","lambda":1e8,"truncate":{"lo":1e8}}`,
		`{"type":"discrete","values":[1,1,2],"weights":[0,1,0]}`,
		`{"type":"empirical","data":[1e308,-1e308]}`,
		`{"type":"triangular","min":-1e308,"mode":0,"max":1e308}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, js string) {
		var s DistSpec
		if json.Unmarshal([]byte(js), &s) != nil {
			return
		}
		d, err := s.Build("f")
		if err != nil {
			return
		}
		for _, p := range []float64{0, 1e-300, 0.3, 0.5, 1 - 1e-16, 1} {
			if x := d.Quantile(p); math.IsNaN(x) {
				t.Fatalf("%s: Quantile(%g) = NaN", js, p)
			}
		}
		for _, x := range []float64{math.Inf(-1), 0, 1, math.Inf(1)} {
			if c := d.CDF(x); !(c >= 0 && c <= 1) {
				t.Fatalf("%s: CDF(%g) = %g", js, x, c)
			}
		}
		if !finite(d.Mean()) || !finite(d.Variance()) {
			t.Fatalf("%s: mean %g variance %g", js, d.Mean(), d.Variance())
		}
	})
}
