package montecarlo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// outagePortfolio is one partnership with an outage from January 2026:
// GMV 50,000 a month, contribution before the outage lines 29,000
// (margin 0.58), credits 10 % / 25 % / 100 % of 20,000 by band, recovery
// 0.4, a contingency carrying 70 % of the lost GMV at 300 an hour and
// 1,500 a month.
func outagePortfolio(t testing.TB, months int) *costmodel.Portfolio {
	t.Helper()
	p, err := costmodel.Load(strings.NewReader(fmt.Sprintf(`{"currency": "USD", "start": "2026-01", "months": %d, "discount_rate": 0.1,
 "partnerships": [{"id": "amazon-us", "channel": "marketplace",
  "maintenance": [{"id": "ops", "monthly": 1000}],
  "categories": [{"id": "toys", "orders": 1000, "price": 50, "units_per_order": 1, "unit_cost": 20}],
  "outage": {"downtime_hours": "1.6", "uptime_commitment": "0.999", "monthly_fee": "20000", "direction": "earned",
   "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"}, {"from": "0.95", "to": "0.99", "share": "0.25"},
               {"from": "0", "to": "0.95", "share": "1"}],
   "recovery": "0.4",
   "contingency": {"fallback_share": "0.7", "cost_per_hour": "300", "standby_monthly": "1500"}}}]}`, months)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// downtimeSpec draws the downtime as incidents Poisson(0.8) a month, each
// lognormal with mean 2 hours and sd 3: E[D] = 0.8 × 2 = 1.6 hours a
// month, Var = 0.8 × (9 + 4) = 10.4.
func downtimeSpec() *Spec {
	mean, sd := 2.0, 3.0
	return &Spec{Inputs: []Input{{Name: "downtime", Target: "amazon-us/outage/downtime_hours", Op: costmodel.SetTo,
		Dist: DistSpec{Type: "lognormal", Mean: &mean, SD: &sd}, PerMonth: true, Process: CompoundPoisson, EventsPerMonth: 0.8}}}
}

// TestCompoundPoissonDowntime: the mean downtime a month against λ·E[D]
// and the share of trials with no incident in three months against
// exp(−3λ), each within 4 standard errors of the estimate; the lost GMV
// line follows the draws (50,000 × D/H × 0.6 × 0.3 a month, its mean
// against the closed form, 4 standard errors).
func TestCompoundPoissonDowntime(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, 3)
	const trials = 20000
	lost := costmodel.Output{Scope: costmodel.ScopePartnership, Key: "amazon-us", Metric: costmodel.MetricOutageLostGMV}
	for _, sampling := range []Sampling{LHS, MC} {
		spec := downtimeSpec()
		spec.Sampling = sampling
		res, err := Run(context.Background(), p, spec, Options{Trials: trials, Seed: 7, Outputs: []costmodel.Output{lost}})
		if err != nil {
			t.Fatal(err)
		}
		x := res.InputSamples[0] // the mean over the three months, per trial
		m, se := meanSE(x)
		if want := 0.8 * 2.0; math.Abs(m-want) > 4*se {
			t.Errorf("%s: mean downtime %.4f hours a month, want λ·E[D] = %.4f ± 4 × %.4f", sampling, m, want, se)
		}
		zero := 0.0
		for _, v := range x {
			if v == 0 {
				zero++
			}
		}
		pz, want := zero/trials, math.Exp(-3*0.8)
		if sez := math.Sqrt(want * (1 - want) / trials); math.Abs(pz-want) > 4*sez {
			t.Errorf("%s: P(no incident in 3 months) = %.4f, want exp(−2.4) = %.4f ± 4 × %.4f", sampling, pz, want, sez)
		}
		r, _ := res.Output(lost)
		lm, lse := meanSE(r.Samples)
		wantLost := 50000 * 0.6 * 0.3 * 1.6 * (1.0/744 + 1.0/672 + 1.0/744)
		if math.Abs(lm-wantLost) > 4*lse+0.01 {
			t.Errorf("%s: mean lost GMV %.4f, want %.4f ± 4 × %.4f", sampling, lm, wantLost, lse)
		}
	}
}

func meanSE(x []float64) (mean, se float64) {
	for _, v := range x {
		mean += v
	}
	n := float64(len(x))
	mean /= n
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

// TestContingencyPairedOnOutages: the portfolio without the contingency
// against the one with it, on common random numbers (RunPaired): in each
// trial of a one-month horizon the difference in contribution (none −
// with) is, by hand at that trial's downtime D (the input's draw),
//
//	lost contribution with − lost contribution without + fallback cost
//	= round(round(50,000·D/744·0.6·0.3)·0.58) − round(round(50,000·D/744·0.6)·0.58) + round(300·D + 1,500)
//
// within 2.5 cents: both sides saw the same outage. (The simulation's
// tape does not round its lines, so each of the four rounded amounts of
// a side may differ from its cents by up to half a cent, the lost
// contributions by 0.005 + 0.58 × 0.005: at most 0.0229 in all.)
func TestContingencyPairedOnOutages(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, 1)
	// The alternative must have the base's drivers (a scenario applied to
	// it): no contingency is the contingency with every term 0, which the
	// graph evaluates to the figures without one (lost GMV × (1 − 0), a
	// fallback cost of 0).
	none := p.Clone()
	if _, err := none.Set("amazon-us/outage/contingency/*", decimal.Zero); err != nil {
		t.Fatal(err)
	}
	contribution := costmodel.Output{Scope: costmodel.ScopePartnership, Key: "amazon-us", Metric: costmodel.MetricContribution}
	res, pairs, err := RunPaired(context.Background(), p, downtimeSpec(), Options{Trials: 2000, Seed: 3}, contribution, Alternative{Name: "no contingency", Portfolio: none})
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 1 {
		t.Fatalf("%d paired results", len(pairs))
	}
	cents := func(x float64) float64 { return math.Round(x*100) / 100 }
	diff := pairs[0].Difference.Samples
	better := 0
	for k, d := range diff {
		h := math.Min(res.InputSamples[0][k], 744)
		s := h / 744
		want := cents(cents(50000*s*0.6*0.3)*0.58) - cents(cents(50000*s*0.6)*0.58) + cents(300*h+1500)
		if math.Abs(d-want) > 0.025 {
			t.Errorf("trial %d: D = %.6f hours, difference %.2f, want %.2f", k, h, d, want)
			break
		}
		if d > 0 {
			better++
		}
	}
	// The standby alone costs 1,500, and the fallback 300 an hour against
	// 29,000 × 0.42 / 744 ≈ 16.37 saved: the contingency never pays here.
	if better != len(diff) || pairs[0].PBetter != 1 {
		t.Errorf("no contingency better in %d of %d trials (PBetter %g)", better, len(diff), pairs[0].PBetter)
	}
}

// TestCompoundPoissonSpecErrors: the process's rules, each with its path.
func TestCompoundPoissonSpecErrors(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, 3)
	mean, sd := 0.0, 1.0
	bad := Spec{Inputs: []Input{
		{Target: "amazon-us/outage/downtime_hours", Op: costmodel.Multiply, Dist: DistSpec{Type: "normal", Mean: &mean, SD: &sd},
			Process: CompoundPoisson, EventsPerMonth: -1, Autocorrelation: 0.5},
		{Target: "amazon-us/outage/long_incidents", Op: costmodel.SetTo, Dist: DistSpec{Type: "normal", Mean: &mean, SD: &sd},
			PerMonth: true, EventsPerMonth: 2},
	}}
	err := bad.Validate(p)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"inputs[0].events_per_month", "inputs[0].process", "inputs[0].op", "inputs[0].autocorrelation", "inputs[0].dist",
		"inputs[1].events_per_month",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("no problem at %s in\n%v", w, err)
		}
	}
	if err := downtimeSpec().Validate(p); err != nil {
		t.Errorf("a good spec: %v", err)
	}
}

// TestOutageMetricsCompoundPoisson: the outage metrics a simulation
// reports for a partnership with outage terms, three months of
// incidents Poisson(0.8) × lognormal(mean 2, sd 3) hours:
//
//   - outage_downtime_hours (hours, the memo line) is in every trial the
//     sum of the three months' draws (3 × the input's sample, the mean of
//     the months) unless a month is capped at its hours, and its mean is
//     3 × λ·E[D] = 4.8 hours within 4 standard errors;
//   - with the commitment at 100 % and one band [0, 1) crediting 10 % of
//     20,000, a month earns 2,000 exactly when it has an incident: P(a
//     credit in the horizon) = 1 − exp(−3λ) and the mean credit 3 × 2,000
//     × (1 − exp(−λ)), each within 4 standard errors.
func TestOutageMetricsCompoundPoisson(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, 3)
	o := p.Partnerships[0].Outage
	o.UptimeCommitment = decimal.NewFromInt(1)
	o.Credits = []costmodel.OutageCredit{{From: decimal.Zero, To: decimal.NewFromInt(1), Share: decimal.RequireFromString("0.1")}}
	const trials, lambda = 20000, 0.8
	hours := costmodel.Output{Scope: costmodel.ScopePartnership, Key: "amazon-us", Metric: costmodel.MetricOutageDowntime}
	credit := CreditOutput("amazon-us")
	res, err := Run(context.Background(), p, downtimeSpec(), Options{Trials: trials, Seed: 11, Outputs: []costmodel.Output{hours, credit}})
	if err != nil {
		t.Fatal(err)
	}
	h, _ := res.Output(hours)
	x := res.InputSamples[0]
	for k, v := range h.Samples {
		if sum := 3 * x[k]; v > sum+1e-9*math.Max(1, sum) || (sum < 672 && math.Abs(v-sum) > 1e-9*math.Max(1, sum)) {
			t.Fatalf("trial %d: downtime %.9f hours, the months' draws sum to %.9f", k, v, sum)
		}
	}
	if m, se := meanSE(h.Samples); math.Abs(m-3*lambda*2) > 4*se {
		t.Errorf("mean downtime %.4f hours over 3 months, want 3λ·E[D] = 4.8 ± 4 × %.4f", m, se)
	}
	c, _ := res.Output(credit)
	paid := 0.0
	for _, v := range c.Samples {
		if v > 0 {
			paid++
		}
	}
	pc, want := paid/trials, 1-math.Exp(-3*lambda)
	if se := math.Sqrt(want * (1 - want) / trials); math.Abs(pc-want) > 4*se {
		t.Errorf("P(a credit in 3 months) = %.4f, want 1 − exp(−3λ) = %.4f ± 4 × %.4f", pc, want, se)
	}
	// The ready-made figure reads the same output (CreditOutput is it).
	if p, se, ok := res.PCredit("amazon-us"); !ok || p != pc || math.Abs(se-math.Sqrt(pc*(1-pc)/trials)) > 1e-15 || math.Abs(p-want) > 4*se {
		t.Errorf("PCredit = %.4f ± %.4f (%v), want the share %.4f and 1 − exp(−3λ) = %.4f within 4 SE", p, se, ok, pc, want)
	}
	if _, _, ok := res.PCredit("nobody"); ok {
		t.Error("PCredit of a partnership whose credits were not recorded")
	}
	if m, se := meanSE(c.Samples); math.Abs(m-6000*(1-math.Exp(-lambda))) > 4*se {
		t.Errorf("mean credit %.2f, want 6,000 × (1 − exp(−λ)) = %.2f ± 4 × %.2f", m, 6000*(1-math.Exp(-lambda)), se)
	}
}
