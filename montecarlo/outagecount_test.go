package montecarlo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestCompoundPoissonCountsLongIncidents: a downtime drawn as incidents
// with count_over 4 hours sets amazon-us/outage/long_incidents to the
// number of the month's incidents that lasted longer than 4 hours, from
// the same incidents. On a one-month horizon, per trial: the count is a
// whole number, 0 when there was no downtime, and less than the downtime
// over 4 (each counted incident alone lasted longer than 4 hours); the
// downtime draws are those of the run without the count (the same
// streams), so the service line moves by exactly 500 × (count − 0.1),
// the plan's 0.1 long incidents replaced by the drawn count (within a
// cent: the tape does not round). Its mean against λ·P(D > 4) for the
// lognormal durations (mean 2, sd 3), within 4 standard errors.
func TestCompoundPoissonCountsLongIncidents(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, 1)
	if _, err := p.Set("amazon-us/outage/long_incidents", decimal.RequireFromString("0.1")); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Set("amazon-us/outage/response_penalty", decimal.RequireFromString("500")); err != nil {
		t.Fatal(err)
	}
	credit := costmodel.Output{Scope: costmodel.ScopePartnership, Key: "amazon-us", Metric: costmodel.MetricOutageCredit}
	const trials = 20000
	for _, sampling := range []Sampling{LHS, MC} {
		plain := downtimeSpec()
		plain.Sampling = sampling
		counted := downtimeSpec()
		counted.Sampling = sampling
		over := 4.0
		counted.Inputs[0].CountOver = &over
		counted.Inputs[0].CountTarget = "amazon-us/outage/long_incidents"
		opt := Options{Trials: trials, Seed: 11, Outputs: []costmodel.Output{credit}}
		r0, err := Run(context.Background(), p, plain, opt)
		if err != nil {
			t.Fatal(err)
		}
		r1, err := Run(context.Background(), p, counted, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(r1.Inputs) != 2 || r1.Inputs[1] != "downtime over 4" {
			t.Fatalf("%s: inputs %q, want the downtime and its count \"downtime over 4\"", sampling, r1.Inputs)
		}
		c0, _ := r0.Output(credit)
		c1, _ := r1.Output(credit)
		down, long := r1.InputSamples[0], r1.InputSamples[1]
		for k := range long {
			n := long[k]
			switch {
			case down[k] != r0.InputSamples[0][k]:
				t.Fatalf("%s trial %d: downtime %v with the count, %v without: the count moved the draws", sampling, k, down[k], r0.InputSamples[0][k])
			case n != math.Trunc(n) || n < 0:
				t.Fatalf("%s trial %d: %v long incidents", sampling, k, n)
			case down[k] == 0 && n != 0, n > 0 && !(down[k] > 4*n):
				t.Fatalf("%s trial %d: %v incidents over 4 hours in %v hours of downtime", sampling, k, n, down[k])
			}
			if d, want := c1.Samples[k]-c0.Samples[k], 500*(n-0.1); math.Abs(d-want) > 0.01 {
				t.Fatalf("%s trial %d: service line moved %.4f with %v long incidents, want 500 × (%v − 0.1) = %.2f", sampling, k, d, n, n, want)
			}
		}
		// lognormal with mean 2, sd 3: σ² = ln(1 + 9/4), μ = ln 2 − σ²/2
		s2 := math.Log(1 + 9.0/4)
		pOver := 1 - distuv.Normal{Mu: math.Log(2) - s2/2, Sigma: math.Sqrt(s2)}.CDF(math.Log(4))
		m, se := meanSE(long)
		if want := 0.8 * pOver; math.Abs(m-want) > 4*se {
			t.Errorf("%s: mean long incidents %.4f a month, want λ·P(D > 4) = 0.8 × %.4f = %.4f ± 4 × %.4f", sampling, m, pOver, want, se)
		}
	}
}

// TestCountTargetErrors: count_over and count_target are refused, each at
// its path, on an input that is not compound Poisson, without each other,
// with a negative threshold, or with a target that reaches no driver or a
// driver another input draws.
func TestCountTargetErrors(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, 2)
	neg, four := -1.0, 4.0
	cases := []struct {
		name  string
		edit  func(s *Spec)
		paths []string
	}{
		{"not compound", func(s *Spec) {
			s.Inputs[0].Process, s.Inputs[0].EventsPerMonth = "", 0
			s.Inputs[0].CountOver, s.Inputs[0].CountTarget = &four, "amazon-us/outage/long_incidents"
		}, []string{"inputs[0].count_target"}},
		{"no target", func(s *Spec) { s.Inputs[0].CountOver = &four }, []string{"inputs[0].count_target"}},
		{"no threshold", func(s *Spec) { s.Inputs[0].CountTarget = "amazon-us/outage/long_incidents" }, []string{"inputs[0].count_over"}},
		{"negative threshold and unknown target", func(s *Spec) {
			s.Inputs[0].CountOver, s.Inputs[0].CountTarget = &neg, "amazon-us/outage/no_such_driver"
		}, []string{"inputs[0].count_over", "inputs[0].count_target"}},
		{"drawn twice", func(s *Spec) {
			s.Inputs[0].CountOver, s.Inputs[0].CountTarget = &four, "amazon-us/outage/long_incidents"
			lo, hi := 0.0, 2.0
			s.Inputs = append(s.Inputs, Input{Name: "long", Target: "amazon-us/outage/long_incidents", Op: costmodel.SetTo,
				Dist: DistSpec{Type: "uniform", Min: &lo, Max: &hi}, PerMonth: true})
		}, []string{"inputs[0].count_target", `inputs[1] "long"`}},
	}
	for _, c := range cases {
		s := downtimeSpec()
		c.edit(s)
		_, err := Run(context.Background(), p, s, Options{Trials: 10, Seed: 1})
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, at := range c.paths {
			if !strings.Contains(err.Error(), at) {
				t.Errorf("%s: error lacks %s:\n%v", c.name, at, err)
			}
		}
	}
}
