package deal

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

// The deal's service figures are the statement's outage lines
// (costmodel's graphoutage.go), read on the plan from the exact
// statement and per trial from the simulation's tape. These tests hold
// both paths to hand values; the lines themselves are tested in
// costmodel (TestOutageByHand, TestOutageCreditAtBandEdges,
// TestOutageTapeEqualsExact) and their workbook formulas in report
// (TestOutageWorkbook*).

// outagePortfolio is one partnership "p" from start for months months,
// at a discount rate of 0: orders × price of GMV less orders × unitCost
// of COGS and nothing else, so the contribution before the outage lines
// is GMV − COGS; outage is its outage terms (JSON).
func outagePortfolio(t testing.TB, start string, months, orders, price, unitCost int, outage string) *costmodel.Portfolio {
	t.Helper()
	p, err := costmodel.Load(strings.NewReader(fmt.Sprintf(`{"currency": "USD", "start": %q, "months": %d, "discount_rate": 0,
	 "partnerships": [{"id": "p", "channel": "marketplace",
	  "categories": [{"id": "c", "orders": %d, "price": %d, "units_per_order": 1, "unit_cost": %d}],
	  "outage": %s}]}`, start, months, orders, price, unitCost, outage)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// oneTranche is a deal of 1 in the horizon's first month, unconditional.
func oneTranche(st *costmodel.Statement) *Terms {
	return &Terms{Partnership: "p", Investment: d("1"), Tranches: []Tranche{{Month: st.Start, Amount: d("1")}}}
}

// planAt is the deal's plan with the partnership's downtime set to hours
// (every month).
func planAt(t *testing.T, p *costmodel.Portfolio, hours string) (*costmodel.Statement, *Plan) {
	t.Helper()
	q := p.Clone()
	if _, err := q.Set("p/outage/downtime_hours", d(hours)); err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(q)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Evaluate(oneTranche(st), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Service) != st.Months {
		t.Fatalf("plan has %d service months, want %d", len(plan.Service), st.Months)
	}
	return st, plan
}

// trialsAt runs a two-trial simulation in which every month's downtime is
// hours (a one-point distribution), and evaluates the deal on it.
func trialsAt(t *testing.T, p *costmodel.Portfolio, hours float64, extra ...costmodel.Output) (*montecarlo.Result, *Trials) {
	t.Helper()
	spec, err := montecarlo.Load(strings.NewReader(fmt.Sprintf(`{"inputs": [{"target": "p/outage/downtime_hours", "op": "set", "per_month": true,
	  "dist": {"type": "discrete", "values": [%v], "weights": [1]}}]}`, hours)), p)
	if err != nil {
		t.Fatal(err)
	}
	return simulate(t, p, spec, 2, extra...)
}

func simulate(t *testing.T, p *costmodel.Portfolio, spec *montecarlo.Spec, trials int, extra ...costmodel.Output) (*montecarlo.Result, *Trials) {
	t.Helper()
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	terms := oneTranche(st)
	outs, err := Outputs(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	res, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: trials, Seed: 5, Outputs: append(outs, extra...)})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := EvaluateTrials(terms, st, res, 5)
	if err != nil {
		t.Fatal(err)
	}
	return res, tr
}

func monthOutput(st *costmodel.Statement, i int, m costmodel.Metric) costmodel.Output {
	return costmodel.Output{Scope: costmodel.ScopePartnership, Key: "p", Metric: m,
		Window: costmodel.Window{Kind: costmodel.WindowMonth, Month: st.Start.Add(i)}}
}

const bandOutage = `{"downtime_hours": "0", "uptime_commitment": "0.999", "monthly_fee": "1000", "direction": "earned",
  "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"}, {"from": "0.95", "to": "0.99", "share": "0.25"},
              {"from": "0", "to": "0.95", "share": "1"}]}`

// TestServiceCreditBandEdgesExactAndFloat: in a 720-hour month (April)
// the band edges are at 0.72 hours down (99.9 %: no credit), 7.2 (99 %:
// the lower edge of the 10 % band), 36 (95 %: the lower edge of the 25 %
// band) and 720 (0 % up: 100 %); a hair past each edge falls in the band
// below. The fee is 1000, so the credit is 1000 × share by hand; with no
// GMV (no orders), no penalty and no contingency the impact is the
// credit. Both paths give it: the plan (the exact statement's lines) and
// the trials (the simulation's tape, downtime drawn at the value), the
// float tape taking an uptime within 1e−14 of an edge as on it, as the
// exact model puts it there; 744 hours in the simulation is capped at
// the month's 720. The band formula alone (costmodel.OutageCreditShare)
// puts each edge where the lines do.
func TestServiceCreditBandEdgesExactAndFloat(t *testing.T) {
	t.Parallel()
	p := outagePortfolio(t, "2026-04", 1, 0, 100, 80, bandOutage)
	for _, c := range []struct {
		hours  string
		credit float64
	}{
		{"0", 0}, {"0.72", 0}, {"0.7201", 100}, {"7.2", 100}, {"7.2001", 250},
		{"36", 250}, {"36.0001", 1000}, {"720", 1000}, {"744", 1000},
	} {
		want := decimal.NewFromFloat(c.credit)
		if c.hours != "744" { // the portfolio refuses more hours than April has
			_, plan := planAt(t, p, c.hours)
			if m := plan.Service[0]; !m.Credit.Equal(want) || !m.Impact.Equal(want) {
				t.Errorf("exact: %s hours down of 720: credit %s, impact %s, want %s", c.hours, m.Credit, m.Impact, want)
			}
		}
		h, _ := d(c.hours).Float64()
		_, tr := trialsAt(t, p, h)
		// The deal's cash at r = 0: the tranche paid, the credit received.
		if got := tr.Credits.Samples[0]; got != c.credit || tr.Staged.Samples[0] != c.credit-1 {
			t.Errorf("float: %s hours down of 720: credits %g, staged NPV %g, want %g and %g", c.hours, got, tr.Staged.Samples[0], c.credit, c.credit-1)
		}
	}
	// Paid credits are the same amounts with the sign turned.
	paid := outagePortfolio(t, "2026-04", 1, 0, 100, 80, strings.Replace(bandOutage, `"earned"`, `"paid"`, 1))
	if _, plan := planAt(t, paid, "7.2"); !plan.Service[0].Impact.Equal(d("-100")) {
		t.Errorf("paid at 99 %%: impact %s, want −100", plan.Service[0].Impact)
	}
	// The band schedule alone, at each edge and a hair below it.
	for _, c := range []struct{ uptime, share string }{
		{"1", "0"}, {"0.999", "0"}, {"0.9989999", "0.10"}, {"0.99", "0.10"},
		{"0.9899999", "0.25"}, {"0.95", "0.25"}, {"0.9499999", "1"}, {"0", "1"},
	} {
		if got, err := costmodel.OutageCreditShare(p.Partnerships[0].Outage, d(c.uptime)); err != nil || !got.Equal(d(c.share)) {
			t.Errorf("uptime %s: credit share %s (%v), want %s", c.uptime, got, err, c.share)
		}
	}
}

// TestServiceLostGMVRecovery: a 744-hour month (January), 18.6 hours
// down (2.5 %), GMV 80000, contribution 12000 (15 %), recovery 0.3: lost
// GMV 80000 × 0.025 × 0.7 = 1400 and its contribution 1400 × 0.15 = 210
// by hand; no band (uptime 97.5 % is above a 97 % commitment), so the
// impact is −210, and the deal's cash at r = 0 is −1 + 12000 − 210. The
// simulation agrees to 1e−9.
func TestServiceLostGMVRecovery(t *testing.T) {
	t.Parallel()
	const o = `{"downtime_hours": "0", "uptime_commitment": "0.97", "monthly_fee": "5000", "direction": "earned",
	  "credits": [{"from": "0", "to": "0.97", "share": "0.5"}], "recovery": "RECOVERY"}`
	p := outagePortfolio(t, "2026-01", 1, 1000, 80, 68, strings.Replace(o, "RECOVERY", "0.3", 1))
	_, plan := planAt(t, p, "18.6")
	if m := plan.Service[0]; !m.Uptime.Equal(d("0.975")) || !m.LostGMV.Equal(d("1400")) || !m.LostContribution.Equal(d("210")) || !m.Credit.IsZero() || !m.Impact.Equal(d("-210")) {
		t.Errorf("figures %+v, want uptime 0.975, lost GMV 1400, lost contribution 210, impact −210", m)
	}
	if !plan.Staged.NPV.Equal(d("11789")) {
		t.Errorf("staged NPV %s, want −1 + 12000 − 210 = 11789", plan.Staged.NPV)
	}
	st, _ := costmodel.Evaluate(p)
	impact := monthOutput(st, 0, costmodel.MetricOutageImpact)
	res, tr := trialsAt(t, p, 18.6, impact)
	r, _ := res.Output(impact)
	if math.Abs(r.Samples[0]+210) > 1e-9 || math.Abs(tr.Staged.Samples[0]-11789) > 1e-9 {
		t.Errorf("float impact %g, staged NPV %g, want −210 and 11789", r.Samples[0], tr.Staged.Samples[0])
	}
	// Full recovery loses nothing; none loses 2000 of GMV (300 of contribution).
	for _, c := range []struct{ rec, lost, margin string }{{"1", "0", "0"}, {"0", "2000", "300"}} {
		q := outagePortfolio(t, "2026-01", 1, 1000, 80, 68, strings.Replace(o, "RECOVERY", c.rec, 1))
		_, plan := planAt(t, q, "18.6")
		if m := plan.Service[0]; !m.LostGMV.Equal(d(c.lost)) || !m.LostContribution.Equal(d(c.margin)) {
			t.Errorf("recovery %s: lost GMV %s, contribution %s, want %s and %s", c.rec, m.LostGMV, m.LostContribution, c.lost, c.margin)
		}
	}
}

const handOutage = `{"downtime_hours": "7.2", "long_incidents": "2", "response_penalty": "500",
  "uptime_commitment": "0.999", "monthly_fee": "1000", "direction": "DIRECTION",
  "credits": [{"from": "0.98", "to": "0.999", "share": "0.1"}], "recovery": "0.4"CONTINGENCY}`

func handPortfolio(t *testing.T, direction string, contingency bool) *costmodel.Portfolio {
	o := strings.Replace(handOutage, "DIRECTION", direction, 1)
	c := ""
	if contingency {
		c = `, "contingency": {"fallback_share": "0.75", "cost_per_hour": "50", "standby_monthly": "100"}`
	}
	return outagePortfolio(t, "2026-04", 1, 1000, 100, 80, strings.Replace(o, "CONTINGENCY", c, 1))
}

// TestServiceMonthHandCase: 720 hours (April), 7.2 down (1 %), GMV
// 100000, contribution 20000: lost GMV 1000 × (1 − 0.4 recovery) = 600,
// contribution lost 600 × 0.2 = 120; with a fallback carrying 75 % of
// it: 150 lost GMV, 30 of contribution, cost 7.2 × 50 + 100 = 460. Two
// long incidents at 500 each and credits earned of 10 % of 1000 = 100:
// the credit line is 1100. Impact 1100 − 120 = 980 without the
// contingency, 1100 − 30 − 460 = 610 with it; paid, without it,
// −1100 − 120 = −1220.
func TestServiceMonthHandCase(t *testing.T) {
	t.Parallel()
	_, plan := planAt(t, handPortfolio(t, "earned", false), "7.2")
	if m := plan.Service[0]; !m.LostGMV.Equal(d("600")) || !m.LostContribution.Equal(d("120")) || !m.Credit.Equal(d("1100")) || !m.Impact.Equal(d("980")) || !m.ContingencyGain.IsZero() {
		t.Errorf("no contingency: %+v, want lost GMV 600, lost contribution 120, credit 100 + penalties 1000, impact 980, no gain", m)
	}
	_, plan = planAt(t, handPortfolio(t, "earned", true), "7.2")
	if m := plan.Service[0]; !m.LostGMV.Equal(d("150")) || !m.LostContribution.Equal(d("30")) || !m.Fallback.Equal(d("460")) || !m.Impact.Equal(d("610")) {
		t.Errorf("contingency: %+v, want lost GMV 150, lost contribution 30, fallback 460, impact 1100 − 30 − 460 = 610", m)
	}
	if _, plan = planAt(t, handPortfolio(t, "paid", false), "7.2"); !plan.Service[0].Impact.Equal(d("-1220")) {
		t.Errorf("credits paid: impact %s, want −1100 − 120", plan.Service[0].Impact)
	}
}

// TestServiceContingencyDifferenceByHand: the month of
// TestServiceMonthHandCase. The fallback carries 75 % of the 600 of GMV
// lost back (450 of GMV, 450 × 0.2 = 90 of contribution) at 460, so with
// − without = 90 − 460 = −370 by hand: the contingency gain line, and
// on the deal's path (r = 0, no payout cycle) the NPV with the
// contingency less the NPV without it, in the plan's lines and in the
// simulation's trial (ContingencyGain, to 1e−9). The credit is the same
// on both sides and cancels.
func TestServiceContingencyDifferenceByHand(t *testing.T) {
	t.Parallel()
	p := handPortfolio(t, "earned", true)
	_, with := planAt(t, p, "7.2")
	_, without := planAt(t, handPortfolio(t, "earned", false), "7.2")
	if g := with.Service[0].ContingencyGain; !g.Equal(d("-370")) || !with.Service[0].Impact.Sub(without.Service[0].Impact).Equal(g) {
		t.Errorf("exact: gain %s, with %s − without %s, want 90 − 460 = −370", g, with.Service[0].Impact, without.Service[0].Impact)
	}
	if recovered := without.Service[0].LostGMV.Sub(with.Service[0].LostGMV); !recovered.Equal(d("450")) || !with.Service[0].Fallback.Equal(d("460")) {
		t.Errorf("recovered GMV %s, fallback %s, want 450 and 460", recovered, with.Service[0].Fallback)
	}
	_, tr := trialsAt(t, p, 7.2)
	if len(tr.ContingencyGain.Samples) != 2 || math.Abs(tr.ContingencyGain.Samples[0]+370) > 1e-9 || tr.PContingencyBetter != 0 {
		t.Errorf("float: contingency gain %v, P(better) %g, want −370 in each trial, 0", tr.ContingencyGain.Samples, tr.PContingencyBetter)
	}
	// Without a contingency there is nothing to compare.
	if _, tr := trialsAt(t, handPortfolio(t, "earned", false), 7.2); tr.ContingencyGain.Samples != nil {
		t.Errorf("no contingency, yet a comparison: %v", tr.ContingencyGain.Samples)
	}
}

// TestServiceContingencyCommonRandomNumbers: on drawn outages (a
// compound Poisson downtime: Poisson(2) incidents of lognormal length,
// mean 5 h, sd 8 h; 300 trials × April–June, 720, 744 and 720 hours,
// GMV and margins varying by month) both variants read the same draw, so
// each trial-month's contingency gain is, by hand at that month's
// downtime D (the statement's memo line, capped at the month's hours H),
//
//	GMV × D/H × (1 − recovery) × fallback share × margin − (D × cost per hour + standby)
//	= GMV × D/H × 0.6 × 0.75 × contribution/GMV − (50 D + 100)
//
// (the tape does not round), and the deal's ContingencyGain (r = 0, no
// payout cycle) is the sum of the three months'.
func TestServiceContingencyCommonRandomNumbers(t *testing.T) {
	t.Parallel()
	// April–June GMV 100000, 90000, 120000 (seasonality), contribution
	// before the outage lines 20 % of it less 1000 of maintenance: 19000,
	// 17000, 23000 (margins 0.19, 0.1889, 0.1917).
	p, err := costmodel.Load(strings.NewReader(`{"currency": "USD", "start": "2026-04", "months": 3, "discount_rate": 0,
	 "partnerships": [{"id": "p", "channel": "marketplace", "maintenance": [{"id": "ops", "monthly": 1000}],
	  "categories": [{"id": "c", "orders": 1000, "price": 100, "units_per_order": 1, "unit_cost": 80,
	                  "seasonality": [1, 1, 1, 1, 0.9, 1.2, 1, 1, 1, 1, 1, 1]}],
	  "outage": {"downtime_hours": "1", "uptime_commitment": "0.999", "monthly_fee": "1000", "direction": "earned",
	   "credits": [{"from": "0", "to": "0.999", "share": "0.1"}], "recovery": "0.4",
	   "contingency": {"fallback_share": "0.75", "cost_per_hour": "50", "standby_monthly": "100"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [{"target": "p/outage/downtime_hours", "op": "set", "per_month": true,
	  "process": "compound_poisson", "events_per_month": 2, "dist": {"type": "lognormal", "mean": 5, "sd": 8}}]}`), p)
	if err != nil {
		t.Fatal(err)
	}
	var extra []costmodel.Output
	for i := range 3 {
		extra = append(extra, monthOutput(st, i, costmodel.MetricOutageDowntime), monthOutput(st, i, costmodel.MetricOutageContingencyGain))
	}
	const trials = 300
	res, tr := simulate(t, p, spec, trials, extra...)
	hours := []float64{720, 744, 720}
	gmv, contribution := []float64{100000, 90000, 120000}, []float64{19000, 17000, 23000}
	for k := range trials {
		sum := 0.0
		for i := range 3 {
			dh, _ := res.Output(extra[2*i])
			g, _ := res.Output(extra[2*i+1])
			D := dh.Samples[k]
			want := gmv[i]*D/hours[i]*0.6*0.75*(contribution[i]/gmv[i]) - (D*50 + 100)
			if got := g.Samples[k]; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("trial %d month %d (%.4f h): contingency gain %g, want %g", k, i, D, got, want)
			}
			sum += want
		}
		if got := tr.ContingencyGain.Samples[k]; math.Abs(got-sum) > 1e-6 {
			t.Fatalf("trial %d: the deal's contingency gain %g, the months' %g", k, got, sum)
		}
	}
}
