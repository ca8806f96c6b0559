package deal

import (
	"github.com/marginalhq/marginal/costmodel"
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func load(t *testing.T, js string, contribution, gmv []string) (*Terms, *Plan) {
	t.Helper()
	st := synthetic("0", contribution, gmv)
	terms, err := Load(strings.NewReader(js), st)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Evaluate(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	return terms, plan
}

func cashIs(t *testing.T, what string, got []decimal.Decimal, want ...string) {
	t.Helper()
	for i, w := range want {
		if i >= len(got) || !got[i].Equal(d(w)) {
			t.Errorf("%s: cash %v, want %v", what, got, want)
			return
		}
	}
}

// TestTerminationFeeOnEarlyStop: contribution 10 a month for 4 months at
// r = 0; 100 in January, 100 in March if January–February GMV reaches
// 1000 (it is 40: missed, stop, exit cost 10). Within a 4-month term the
// termination fee 15 is paid too: cash −90, 10, −25, 0 (NPV −105). With
// a 2-month term the March stop is after the term: no fee, and
// the renewal probability 0 earns nothing after it anyway: −90, 10, −10,
// 0 (NPV −90).
func TestTerminationFeeOnEarlyStop(t *testing.T) {
	t.Parallel()
	cs, gs := []string{"10", "10", "10", "10"}, []string{"20", "20", "20", "20"}
	const tmpl = `{"partnership": "p", "investment": "200",
	 "tranches": [{"month": "2026-01", "amount": "100"},
	  {"month": "2026-03", "amount": "100", "on_miss": "stop", "exit_cost": "10",
	   "milestone": {"metric": "gmv", "at_least": "1000", "window": {"kind": "range", "from": "2026-01", "to": "2026-02"}}}],
	 "exit": {"termination_fee": "15", "term_months": TERM}}`
	_, plan := load(t, strings.Replace(tmpl, "TERM", "4", 1), cs, gs)
	cashIs(t, "term 4", plan.Staged.Cash, "-90", "10", "-25", "0")
	if !plan.Staged.NPV.Equal(d("-105")) || plan.Staged.Stopped != 2 || !plan.Staged.Released.Equal(d("100")) {
		t.Errorf("term 4: NPV %s, stopped %d, released %s; want −105, 2, 100", plan.Staged.NPV, plan.Staged.Stopped, plan.Staged.Released)
	}
	_, plan = load(t, strings.Replace(tmpl, "TERM", "2", 1), cs, gs)
	cashIs(t, "term 2", plan.Staged.Cash, "-90", "10", "-10", "0")
	if !plan.Staged.NPV.Equal(d("-90")) {
		t.Errorf("term 2: NPV %s, want −90", plan.Staged.NPV)
	}
}

// TestRenewalRePricedWithProbability: 100 a month for 6 months at r = 0,
// a 3-month term renewed with probability 0.8 at 5 % lower. The plan
// weighs the renewed months: 3 × 100 + 3 × 100 × 0.8 × 0.95 − 1 = 527.
// Each trial is renewed or not (NPV 299 + 285 = 584, or 299), renewed in
// a share within 4 standard errors of 0.8, and the trials' mean NPV is
// within 4 standard errors of the plan's.
func TestRenewalRePricedWithProbability(t *testing.T) {
	t.Parallel()
	cs := []string{"100", "100", "100", "100", "100", "100"}
	terms, plan := load(t, `{"partnership": "p", "investment": "1",
	 "tranches": [{"month": "2026-01", "amount": "1"}],
	 "exit": {"term_months": 3, "renewal_probability": "0.8", "renewal_change": "-0.05"}}`, cs, nil)
	cashIs(t, "plan", plan.Staged.Cash, "99", "100", "100", "76", "76", "76")
	if !plan.Staged.NPV.Equal(d("527")) {
		t.Errorf("plan NPV %s, want 527", plan.Staged.NPV)
	}
	const trials = 4000
	cons := make([][]float64, trials)
	for k := range cons {
		cons[k] = []float64{100, 100, 100, 100, 100, 100}
	}
	st := synthetic("0", cs, nil)
	tr, err := EvaluateTrials(terms, st, fakeRun(t, terms, st, cons, nil, nil), 11)
	if err != nil {
		t.Fatal(err)
	}
	renewed := 0
	for _, v := range tr.Staged.Samples {
		switch {
		case math.Abs(v-584) < 1e-9:
			renewed++
		case math.Abs(v-299) < 1e-9:
		default:
			t.Fatalf("a trial's NPV is %g, want 584 (renewed) or 299", v)
		}
	}
	p := float64(renewed) / trials
	if se := math.Sqrt(0.8 * 0.2 / trials); math.Abs(p-0.8) > 4*se {
		t.Errorf("renewed in %.4f of trials, want 0.8 ± %.4f", p, 4*se)
	}
	if math.Abs(tr.Staged.Mean-527) > 4*tr.Staged.StdErr {
		t.Errorf("mean NPV %.2f, plan 527 ± %.2f", tr.Staged.Mean, 4*tr.Staged.StdErr)
	}
}

// TestStrandedSetUpAtFailure: the partner fails at the start of March;
// January's 100 and February's 50 were released (stranded set-up 150),
// April's 50 never is; migration 30 is paid in March; contribution 10 a
// month stops in March: cash −90, −40, −30, 0, 0 (NPV −160).
func TestStrandedSetUpAtFailure(t *testing.T) {
	t.Parallel()
	_, plan := load(t, `{"partnership": "p", "investment": "200",
	 "tranches": [{"month": "2026-01", "amount": "100"}, {"month": "2026-02", "amount": "50"}, {"month": "2026-04", "amount": "50"}],
	 "exit": {"fail_month": "2026-03", "migration_cost": "30"}}`, []string{"10", "10", "10", "10", "10"}, nil)
	cashIs(t, "failure", plan.Staged.Cash, "-90", "-40", "-30", "0", "0")
	if !plan.Staged.Stranded.Equal(d("150")) || !plan.Staged.Released.Equal(d("150")) || !plan.Staged.NPV.Equal(d("-160")) {
		t.Errorf("stranded %s, released %s, NPV %s; want 150, 150, −160", plan.Staged.Stranded, plan.Staged.Released, plan.Staged.NPV)
	}
	// Without the failure: −90, −40, 10, −40, 10 = −150; expected exit
	// loss of the fixed failure is −150 − (−160) = 10.
	if !plan.ExpectedExitLoss.Equal(d("10")) {
		t.Errorf("exit loss %s, want 10", plan.ExpectedExitLoss)
	}
}

// TestDelayedTranche: February's 100 on a missed milestone is delayed 2
// months to April, and March's 50 shifts with it to May; the partnership
// runs on (10 a month): cash −90, 10, 10, −90, −40, 10.
func TestDelayedTranche(t *testing.T) {
	t.Parallel()
	_, plan := load(t, `{"partnership": "p", "investment": "250",
	 "tranches": [{"month": "2026-01", "amount": "100"},
	  {"month": "2026-02", "amount": "100", "on_miss": "delay", "delay_months": 2,
	   "milestone": {"metric": "gmv", "at_least": "1000", "window": {"kind": "month", "month": "2026-01"}}},
	  {"month": "2026-03", "amount": "50"}]}`, []string{"10", "10", "10", "10", "10", "10"}, []string{"1", "1", "1", "1", "1", "1"})
	cashIs(t, "delay", plan.Staged.Cash, "-90", "10", "10", "-90", "-40", "10")
	cashIs(t, "committed", plan.Committed.Cash, "-90", "-90", "-40", "10", "10", "10")
	if !plan.Staged.Released.Equal(d("250")) || !plan.OptionValue.IsZero() {
		t.Errorf("released %s, option value %s; want 250, 0 at r = 0", plan.Staged.Released, plan.OptionValue)
	}
}

// TestUptimeMilestonePlan: a partnership with outage terms whose
// January downtime line is 7.2 hours; the plan's January uptime is
// 1 − 7.2/744 (31 days) = 0.99032…, which meets 0.99 and misses 0.991.
// Without outage terms the milestone is refused with its path.
func TestUptimeMilestonePlan(t *testing.T) {
	t.Parallel()
	const tmpl = `{"partnership": "p", "investment": "2",
	 "tranches": [{"month": "2026-01", "amount": "1"},
	  {"month": "2026-02", "amount": "1", "on_miss": "stop",
	   "milestone": {"metric": "uptime", "at_least": "LIMIT", "window": {"kind": "month", "month": "2026-01"}}}]}`
	want := d("1").Sub(d("7.2").DivRound(d("744"), 20))
	for _, c := range []struct {
		limit string
		met   bool
	}{{"0.99", true}, {"0.991", false}} {
		st := synthetic("0", []string{"10", "10"}, []string{"100", "100"})
		st.Partnerships[0].Outage = true
		st.Partnerships[0].Total.Monthly[0][costmodel.LineOutageDowntime] = d("7.2")
		terms, err := Load(strings.NewReader(strings.Replace(tmpl, "LIMIT", c.limit, 1)), st)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := Evaluate(terms, st)
		if err != nil {
			t.Fatal(err)
		}
		m := plan.Milestones[0]
		if !m.Value.Equal(want) || m.Met != c.met {
			t.Errorf("limit %s: uptime %s met %v, want %s met %v", c.limit, m.Value, m.Met, want, c.met)
		}
	}
	_, err := Load(strings.NewReader(strings.Replace(tmpl, "LIMIT", "0.99", 1)), synthetic("0", []string{"10", "10"}, nil))
	if err == nil || !strings.Contains(err.Error(), "tranches[1].milestone.metric") {
		t.Errorf("an uptime milestone without outage terms: %v, want an error at tranches[1].milestone.metric", err)
	}
}
