package deal_test

import (
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestOrdersMilestone: a tranche released when market's November orders
// reach 150. On the plan they are exactly 150 (100 mugs × seasonality
// 1.5): met. In the simulation the orders are 150 × M with M lognormal of
// mean 1 and SD 0.4, so P(met) = P(ln M ≥ 0) = 1 − Φ(σ/2) with
// σ² = ln(1 + 0.4²) (the mean of ln M is −σ²/2); checked within four
// standard errors of a proportion, and trial by trial against the
// recorded orders.
func TestOrdersMilestone(t *testing.T) {
	t.Parallel()
	const trials = 4000
	_, terms, plan, res, tr := runSmall(`{"partnership": "market", "investment": "1500",
	 "tranches": [
	  {"month": "2026-11", "amount": "1000"},
	  {"month": "2026-12", "amount": "500", "on_miss": "stop", "exit_cost": "100",
	   "milestone": {"metric": "orders", "at_least": "150", "window": {"kind": "month", "month": "2026-11"}}}]}`, trials)
	if got := plan.Milestones[0]; !got.Defined || !got.Value.Equal(decimal.NewFromInt(150)) || !got.Met {
		t.Errorf("plan: orders %+v, want 150, met", got)
	}
	sigma := math.Sqrt(math.Log(1 + 0.16))
	want := 1 - distuv.UnitNormal.CDF(sigma/2)
	if se := math.Sqrt(want * (1 - want) / trials); math.Abs(tr.PMet[1]-want) > 4*se {
		t.Errorf("P(met) = %g, want 1 − Φ(σ/2) = %g ± %g", tr.PMet[1], want, 4*se)
	}
	o, ok := res.Output(costmodel.Output{Scope: costmodel.ScopePartnership, Key: "market", Metric: costmodel.MetricOrders, Window: terms.Tranches[1].Milestone.Window})
	if !ok {
		t.Fatal("November orders not recorded")
	}
	met := 0
	for _, v := range o.Samples {
		if v >= 150 {
			met++
		}
	}
	if share := float64(met) / trials; tr.PMet[1] != share {
		t.Errorf("P(met) = %g, share of trials with orders ≥ 150 = %g", tr.PMet[1], share)
	}
}

// TestMilestoneWindowPastHorizon: a milestone window that names months
// after the horizon (testdata/small.json ends 2027-01) is refused with its
// path, not cut to the horizon's months.
func TestMilestoneWindowPastHorizon(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	_, err = deal.Load(strings.NewReader(`{"partnership": "market", "investment": "2",
	 "tranches": [{"month": "2026-11", "amount": "1"},
	  {"month": "2027-01", "amount": "1", "on_miss": "stop",
	   "milestone": {"metric": "orders", "at_least": "1", "window": {"kind": "range", "from": "2026-12", "to": "2027-03"}}}]}`), st)
	if err == nil || !strings.Contains(err.Error(), "tranches[1].milestone.window") || !strings.Contains(err.Error(), "after the horizon") {
		t.Errorf("window to 2027-03 on a horizon ending 2027-01: %v", err)
	}
}
