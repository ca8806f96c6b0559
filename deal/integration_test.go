package deal_test

import (
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
	st, terms, _, res, tr := runSmall(`{"partnership": "market", "investment": "1500",
	 "tranches": [
	  {"month": "2026-11", "amount": "1000"},
	  {"month": "2026-12", "amount": "500", "on_miss": "stop", "exit_cost": "100",
	   "milestone": {"metric": "gmv", "at_least": "3750", "window": {"kind": "month", "month": "2026-11"}}}],
	 "service": {"uptime_commitment": "0.999", "monthly_fee": "100", "direction": "earned",
	   "incidents_per_month": 2, "duration_mean_hours": 5, "duration_sd_hours": 5,
	   "credits": [{"from": "0", "to": "0.999", "share": "0.1"}],
	   "contingency": {"fallback_share": "1"}}}`, 2000)
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

// TestOutageDraws: the incidents are Poisson(λ) a month. With a
// commitment of 100 % uptime and a credit of the whole fee below it,
// every month with at least one incident earns the fee, so the expected
// credit over 3 months is 3 × fee × P(N ≥ 1) = 3 × fee × (1 − e^−λ);
// checked within 4 standard errors of the mean.
func TestOutageDraws(t *testing.T) {
	t.Parallel()
	_, _, _, res, tr := runSmall(`{"partnership": "market", "investment": "1",
	 "tranches": [{"month": "2026-11", "amount": "1"}],
	 "service": {"uptime_commitment": "1", "monthly_fee": "100", "direction": "earned",
	   "incidents_per_month": 0.7, "duration_mean_hours": 1, "duration_sd_hours": 0.5,
	   "credits": [{"from": "0", "to": "1", "share": "1"}]}}`, 4000)
	want := 3 * 100 * (1 - math.Exp(-0.7))
	if se := tr.Credits.StdErr; math.Abs(tr.Credits.Mean-want) > 4*se {
		t.Errorf("mean credits %g over %d trials, want 3·100·(1 − e^−0.7) = %g ± %g", tr.Credits.Mean, res.Trials, want, 4*se)
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
