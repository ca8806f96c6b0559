package deal_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// TestTrialsAgainstSamples: on a real simulation, P(met) is the share of
// trials whose recorded November GMV reaches the target (read straight
// from the simulation's samples), the expected funding is 1000 + 500 ×
// P(met), and the contingency that carries all of an outage's GMV at no
// cost never does worse than none on the same outages.
func TestTrialsAgainstSamples(t *testing.T) {
	t.Parallel()
	st, terms, _, res, tr := runSmallOutage(`{"partnership": "market", "investment": "1500",
	 "tranches": [
	  {"month": "2026-11", "amount": "1000"},
	  {"month": "2026-12", "amount": "500", "on_miss": "stop", "exit_cost": "100",
	   "milestone": {"metric": "gmv", "at_least": "3750", "window": {"kind": "month", "month": "2026-11"}}}]}`,
		`{"downtime_hours": "10", "uptime_commitment": "0.999", "monthly_fee": "100", "direction": "earned",
	   "credits": [{"from": "0", "to": "0.999", "share": "0.1"}],
	   "contingency": {"fallback_share": "1"}}`,
		downtimeInput(2, 5, 5), 2000)
	m := terms.Tranches[1].Milestone
	o, ok := res.Output(costmodel.Output{Scope: costmodel.ScopePartnership, Key: "market", Metric: costmodel.MetricGMV, Window: m.Window})
	if !ok {
		t.Fatal("November GMV not recorded")
	}
	met := 0
	for _, v := range o.Samples {
		if v >= 3750 {
			met++
		}
	}
	if want := float64(met) / float64(res.Trials); tr.PMet[1] != want {
		t.Errorf("P(met) = %g, share of samples ≥ 3750 = %g", tr.PMet[1], want)
	}
	if want := 1000 + 500*tr.PMet[1]; math.Abs(tr.Released.Mean-want) > 1e-9 {
		t.Errorf("expected funding %g, want %g", tr.Released.Mean, want)
	}
	if tr.ContingencyGain.Samples == nil {
		t.Fatal("no contingency comparison")
	}
	for k, g := range tr.ContingencyGain.Samples {
		if g < -1e-9 {
			t.Fatalf("trial %d: a free, complete fallback did worse by %g", k, -g)
		}
	}
	if tr.PContingencyBetter == 0 {
		t.Error("with two incidents a month the fallback never helped")
	}
	// The Deal's months are the statement's.
	if len(tr.Staged.Samples) != res.Trials || st.Months != 3 {
		t.Errorf("%d samples for %d trials", len(tr.Staged.Samples), res.Trials)
	}
}

// downtimeInput is the spec input drawing market's downtime a month as
// Poisson(lambda) incidents of lognormal length (mean and sd in hours).
func downtimeInput(lambda, mean, sd float64) string {
	return fmt.Sprintf(`{"target": "market/outage/downtime_hours", "op": "set", "per_month": true,
	  "process": "compound_poisson", "events_per_month": %v, "dist": {"type": "lognormal", "mean": %v, "sd": %v}}`, lambda, mean, sd)
}

// TestOutageDraws: the incidents are Poisson(λ) a month (the
// simulation's compound Poisson downtime, read by the deal through the
// statement's outage lines). With a commitment of 100 % uptime and a
// credit of the whole fee below it, every month with at least one
// incident earns the fee, so over the 3 months
//
//	E[credits]   = 3 × fee × P(N ≥ 1) = 3 × 100 × (1 − e^−λ)
//	P(credit)    = P(some month has an incident) = 1 − e^(−3λ)
//
// each checked within 4 standard errors (P(credit)'s own
// √(p(1 − p)/N)), and P(credit) is the share of trials whose horizon
// credit is not 0.
func TestOutageDraws(t *testing.T) {
	t.Parallel()
	const lambda = 0.7
	_, _, _, res, tr := runSmallOutage(`{"partnership": "market", "investment": "1",
	 "tranches": [{"month": "2026-11", "amount": "1"}]}`,
		`{"downtime_hours": "0.7", "uptime_commitment": "1", "monthly_fee": "100", "direction": "earned",
	   "credits": [{"from": "0", "to": "1", "share": "1"}]}`, downtimeInput(lambda, 1, 0.5), 4000)
	want := 3 * 100 * (1 - math.Exp(-lambda))
	if se := tr.Credits.StdErr; math.Abs(tr.Credits.Mean-want) > 4*se {
		t.Errorf("mean credits %g over %d trials, want 3·100·(1 − e^−0.7) = %g ± %g", tr.Credits.Mean, res.Trials, want, 4*se)
	}
	pc := 1 - math.Exp(-3*lambda)
	if se := math.Sqrt(pc * (1 - pc) / float64(res.Trials)); math.Abs(tr.PCredit-pc) > 4*se {
		t.Errorf("P(credit) %g, want 1 − e^(−3λ) = %g ± 4 × %g", tr.PCredit, pc, se)
	}
	paid := 0
	for _, c := range tr.Credits.Samples {
		if c != 0 {
			paid++
		}
	}
	if got := float64(paid) / float64(res.Trials); tr.PCredit != got || tr.PCreditSE != math.Sqrt(got*(1-got)/float64(res.Trials)) {
		t.Errorf("P(credit) %g ± %g, share of trials with credits %g", tr.PCredit, tr.PCreditSE, got)
	}
}

// TestReturnRateMilestone: the return-rate milestone reads refunds over
// GMV; here checked against the statement's refunds line in November and
// December, and the simulation agrees with the plan when every trial is
// at the plan (the volume multiplier does not move a return rate).
func TestReturnRateMilestone(t *testing.T) {
	t.Parallel()
	st, _, plan, _, tr := runSmall(`{"partnership": "market", "investment": "2",
	 "tranches": [{"month": "2026-11", "amount": "1"},
	  {"month": "2026-12", "amount": "1", "on_miss": "delay", "delay_months": 1,
	   "milestone": {"metric": "return_rate", "at_most": "0.5", "window": {"kind": "range", "from": "2026-11", "to": "2026-12"}}}]}`, 200)
	ps, _ := st.Partnership("market")
	refunds, gmv := ps.Total.Series(costmodel.LineRefunds), ps.Total.Series(costmodel.LineGMV)
	want := refunds[0].Add(refunds[1]).DivRound(gmv[0].Add(gmv[1]), 20)
	if got := plan.Milestones[0]; !got.Defined || !got.Value.Equal(want) || !got.Met {
		t.Errorf("return rate %+v, want %s (refunds / GMV), met", got, want)
	}
	if tr.PMet[1] != 1 {
		t.Errorf("P(met) = %g; the return rate does not depend on volume", tr.PMet[1])
	}
}
