package montecarlo

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// linearSides returns, for the market of a portfolio whose mugs orders
// are scaled by k, our value A·k − F and the partner's B·k, from the exact
// model at k = 1 and k = 0.5 (every line is proportional to orders but
// the fixed marketing, up to the cent each line rounds to).
func linearSides(t *testing.T, p *costmodel.Portfolio) (a, f, b float64) {
	t.Helper()
	at := func(k string) (float64, float64) {
		q := p.Clone()
		if _, err := q.Set("market/mugs/orders", q.Partnerships[0].Categories[0].Orders.Mul(dd(k))); err != nil {
			t.Fatal(err)
		}
		s, err := (scenario.Bargain{Partnership: "market"}).SurplusOf(q)
		if err != nil {
			t.Fatal(err)
		}
		return s.Ours.InexactFloat64(), s.Partner.InexactFloat64()
	}
	o1, p1 := at("1")
	oh, _ := at("0.5")
	a = 2 * (o1 - oh)
	return a, a - o1, p1
}

// TestRunFairness: with the market's orders uniform on 0.5× to 1.5×, our
// share is s(k) = (A k − F) / ((A + B) k − F), rising in k. Each trial's
// share is s at its drawn k (within 1e-4: the lines round to cents), the
// probability of leaving the band [0.5, 0.55] is that of k outside
// [s⁻¹(0.5), s⁻¹(0.55)] (within 3 standard errors of a binomial share),
// and P(proposed fairer) is the share of trials where the proposed terms
// (2 points less commission) put s nearer 0.525, by the same closed form.
func TestRunFairness(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	up, _ := scenario.FeeChange(p, scenario.FeeChangeOptions{Partnership: "market", PercentagePoints: dd("-0.02")})
	q, err := up.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	spec := &Spec{Inputs: []Input{{Target: "market/mugs/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.5), Max: f64(1.5)}}}}
	const n = 4000
	fo := FairnessOptions{Bargain: scenario.Bargain{Partnership: "market"}, BandLo: 0.5, BandHi: 0.55}
	r, err := RunFairness(context.Background(), p, q, spec, Options{Trials: n, Seed: 7}, fo)
	if err != nil {
		t.Fatal(err)
	}
	a, f, b := linearSides(t, p)
	a2, f2, b2 := linearSides(t, q)
	s := func(a, f, b, k float64) float64 { return (a*k - f) / ((a+b)*k - f) }
	inv := func(x float64) float64 { return f * (x - 1) / (x*(a+b) - a) }
	res, _ := Run(context.Background(), p, spec, Options{Trials: n, Seed: 7, Outputs: []scenario.Output{{Scope: scenario.Partnership, Key: "market", Metric: costmodel.MetricOurValue}}})
	fairer := 0
	for i := range n {
		k := res.InputSamples[0][i]
		c, pr := s(a, f, b, k), s(a2, f2, b2, k)
		if !r.Current.Defined[i] || math.Abs(r.Current.Samples[i]-c) > 1e-4 || math.Abs(r.Proposed.Samples[i]-pr) > 1e-4 {
			t.Fatalf("trial %d (k = %.4f): shares %.6f, %.6f, want %.6f, %.6f", i, k, r.Current.Samples[i], r.Proposed.Samples[i], c, pr)
		}
		if math.Abs(pr-0.525) < math.Abs(c-0.525) {
			fairer++
		}
	}
	if want := float64(fairer) / n; math.Abs(r.PFairer-want) > 2.0/n {
		t.Errorf("P(fairer) %.4f, want %.4f", r.PFairer, want)
	}
	pOut := math.Max(inv(0.5)-0.5, 0) + math.Max(1.5-inv(0.55), 0)
	if se := math.Sqrt(pOut * (1 - pOut) / n); math.Abs(r.Current.POutside-pOut) > 3*se {
		t.Errorf("P(outside band) %.4f, want %.4f ± %.4f", r.Current.POutside, pOut, 3*se)
	}
	if r.Current.N != n || r.PFairer <= 0.05 || r.PFairer >= 0.95 || r.Target != 0.525 {
		t.Errorf("N %d, P(fairer) %g, target %g", r.Current.N, r.PFairer, r.Target)
	}
}

func TestRunFairnessBadInput(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	_, err := RunFairness(context.Background(), p, nil, &Spec{}, Options{Trials: 10}, FairnessOptions{BandLo: 0.7, BandHi: 0.6})
	if err == nil || !strings.Contains(err.Error(), "band") || !strings.Contains(err.Error(), "bargain.partnership") {
		t.Errorf("bad band and no partnership: %v", err)
	}
}
