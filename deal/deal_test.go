package deal

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func dp(s string) *decimal.Decimal {
	v := d(s)
	return &v
}

// synthetic is a statement of one partnership "p" from 2026-01 whose
// contribution and GMV are given month by month.
func synthetic(rate string, contribution, gmv []string) *costmodel.Statement {
	st := &costmodel.Statement{
		Start: costmodel.Month{Year: 2026, Month: time.January}, Months: len(contribution),
		MonthlyRate: d(rate), Currency: costmodel.Currency{MinorUnit: 2},
	}
	b := costmodel.Block{Monthly: make([]costmodel.Amounts, len(contribution))}
	for i := range contribution {
		b.Monthly[i][costmodel.LineContribution] = d(contribution[i])
		if gmv != nil {
			b.Monthly[i][costmodel.LineGMV] = d(gmv[i])
		}
	}
	st.Partnerships = []costmodel.PartnershipStatement{{ID: "p", Total: b}}
	return st
}

// withImpacts gives synthetic's partnership outage terms whose impact
// is impacts month by month (as credits), added to its contribution as
// the statement adds it.
func withImpacts(st *costmodel.Statement, impacts []string) {
	ps := &st.Partnerships[0]
	ps.Outage = true
	for i, v := range impacts {
		a := &ps.Total.Monthly[i]
		a[costmodel.LineOutageCredit], a[costmodel.LineOutageImpact] = d(v), d(v)
		a[costmodel.LineContribution] = a[costmodel.LineContribution].Add(d(v))
	}
}

func month(m time.Month) costmodel.Month { return costmodel.Month{Year: 2026, Month: m} }

// fakeRun is a simulation result recording Outputs(t, st) with the given
// per-trial contribution and GMV series and milestone measures.
func fakeRun(t *testing.T, terms *Terms, st *costmodel.Statement, contribution, gmv [][]float64, measures [][]float64) *montecarlo.Result {
	t.Helper()
	outs, err := Outputs(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	trials := len(contribution)
	res := &montecarlo.Result{Trials: trials}
	for i, o := range outs {
		s := make([]float64, trials)
		for k := range trials {
			switch {
			case i < 2*st.Months && i%2 == 0:
				s[k] = contribution[k][i/2]
			case i < 2*st.Months:
				if gmv != nil {
					s[k] = gmv[k][i/2]
				}
			default:
				s[k] = measures[k][i-2*st.Months]
			}
		}
		res.Outputs = append(res.Outputs, montecarlo.OutputResult{Output: o, Samples: s, Valid: true})
	}
	return res
}

// TestValueOfStoppingTwoBranchTree: two equally likely futures. Tranche 1
// (100) in January; tranche 2 (100) in February if January's contribution
// is at least 50, else stop with an exit cost of 10.
//
//	good: contribution 60, 80, 80: met; staged = committed
//	bad:  contribution 20, 10, 10: missed
//	      staged    −100+20, −10,      0
//	      committed −100+20, −100+10, 10
//
// The option to stop is worth 0 in the good branch and
// 80/(1+r)² − 10/(1+r)³ in the bad one (r monthly, January discounted
// once), so its expected value is half that: 35 at r = 0.
func TestValueOfStoppingTwoBranchTree(t *testing.T) {
	t.Parallel()
	for _, rate := range []string{"0", "0.01"} {
		st := synthetic(rate, []string{"0", "0", "0"}, nil)
		terms := &Terms{Partnership: "p", Investment: d("200"), Tranches: []Tranche{
			{Month: month(time.January), Amount: d("100")},
			{Month: month(time.February), Amount: d("100"), OnMiss: Stop, ExitCost: d("10"),
				Milestone: &Milestone{Metric: costmodel.MetricContribution, AtLeast: dp("50"),
					Window: costmodel.Window{Kind: costmodel.WindowMonth, Month: month(time.January)}}},
		}}
		res := fakeRun(t, terms, st, [][]float64{{60, 80, 80}, {20, 10, 10}}, nil, [][]float64{{60}, {20}})
		tr, err := EvaluateTrials(terms, st, res, 1)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := d(rate).Float64()
		bad := 80/math.Pow(1+r, 2) - 10/math.Pow(1+r, 3)
		if got := tr.OptionValue.Mean; math.Abs(got-bad/2) > 1e-9 {
			t.Errorf("rate %s: expected value of stopping = %.10f, want %.10f", rate, got, bad/2)
		}
		if tr.OptionValue.Samples[0] != 0 || math.Abs(tr.OptionValue.Samples[1]-bad) > 1e-9 {
			t.Errorf("rate %s: per branch %v, want [0 %g]", rate, tr.OptionValue.Samples, bad)
		}
		if tr.PMet[1] != 0.5 || tr.PReached[1] != 1 || tr.PStopped != 0.5 {
			t.Errorf("rate %s: P(met) %v, P(reached) %v, P(stopped) %g", rate, tr.PMet, tr.PReached, tr.PStopped)
		}
		if tr.Released.Mean != 150 {
			t.Errorf("rate %s: expected funding released %g, want (200 + 100)/2 = 150", rate, tr.Released.Mean)
		}
		// Staged NPV in the good branch: −40/(1+r) − 20/(1+r)² + 80/(1+r)³.
		good := -40/(1+r) - 20/math.Pow(1+r, 2) + 80/math.Pow(1+r, 3)
		if math.Abs(tr.Staged.Samples[0]-good) > 1e-9 {
			t.Errorf("rate %s: good branch NPV %g, want %g", rate, tr.Staged.Samples[0], good)
		}
	}
}

// TestHazardExpectedLossClosedForm: contribution c = 1000 a month for
// n = 24 months, no discounting, migration M = 5000, hazard h = 0.03
// (q = 1 − h). Month t is lost when the partner has failed by its start,
// with probability 1 − q^(t+1), and M is paid when it fails at all, so
//
//	E[loss] = c·Σ_{t<n}(1 − q^(t+1)) + M·(1 − q^n) = c·(n − q(1 − q^n)/h) + M·(1 − q^n)
//
// less the one tranche of 1 in January, not released when the partner
// fails at once (probability h).
func TestHazardExpectedLossClosedForm(t *testing.T) {
	t.Parallel()
	const n = 24
	cs := make([]string, n)
	for i := range cs {
		cs[i] = "1000"
	}
	st := synthetic("0", cs, nil)
	terms := &Terms{Partnership: "p", Investment: d("1"), Tranches: []Tranche{{Month: month(time.January), Amount: d("1")}},
		Exit: &Exit{MonthlyHazard: d("0.03"), MigrationCost: d("5000")}}
	plan, err := Evaluate(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	h, q := 0.03, 0.97
	qn := math.Pow(q, n)
	want := 1000*(n-q*(1-qn)/h) + 5000*(1-qn) - h*1
	// The plan's loss is exact to the cent: exact probabilities times
	// whole-unit losses, rounded once.
	if got := plan.ExpectedExitLoss.InexactFloat64(); math.Abs(got-want) > 0.005+1e-9*want {
		t.Errorf("expected exit loss = %.4f, closed form %.4f", got, want)
	}
	sum := decimal.Zero
	for _, p := range plan.FailureProbabilities {
		sum = sum.Add(p)
	}
	if !sum.Equal(d("1")) {
		t.Errorf("failure probabilities sum to %s", sum)
	}
	// The simulated failure share against 1 − q^n, within 4 standard errors.
	const trials = 4000
	cons := make([][]float64, trials)
	for k := range cons {
		cons[k] = make([]float64, n)
		for i := range cons[k] {
			cons[k][i] = 1000
		}
	}
	res := fakeRun(t, terms, st, cons, nil, nil)
	tr, err := EvaluateTrials(terms, st, res, 7)
	if err != nil {
		t.Fatal(err)
	}
	pf := 1 - qn
	if se := math.Sqrt(pf * (1 - pf) / trials); math.Abs(tr.PFailed-pf) > 4*se {
		t.Errorf("P(failed) = %.4f, want %.4f ± %.4f", tr.PFailed, pf, 4*se)
	}
	noFail := 1000.0*n - 1
	if lossMean := noFail - tr.Staged.Mean; math.Abs(lossMean-want) > 4*tr.Staged.StdErr {
		t.Errorf("simulated mean loss %.1f, closed form %.1f ± %.1f", lossMean, want, 4*tr.Staged.StdErr)
	}
}

// TestPayoutLagHandCase: January earns 1000, February 2000, March 0,
// settled on each month's last day; payouts every 14 days from
// 2026-01-08 (01-08, 01-22, 02-05, 02-19, 03-05, 03-19, 04-02, 04-16),
// 10 % reserve held 30 days:
//
//	02-05: January's 1000 settled 01-31: pay 900, hold 100 until 03-07
//	03-05: February's 2000 settled 02-28: pay 1800, hold 200 until 04-04
//	03-19: the first reserve is released: 100
//	04-16: the second: 200
func TestPayoutLagHandCase(t *testing.T) {
	t.Parallel()
	c := &PayoutCycle{EveryDays: 14, FirstPayout: Date{time.Date(2026, 1, 8, 0, 0, 0, 0, time.UTC)}, ReserveShare: d("0.1"), ReserveDays: 30}
	earned := []decimal.Decimal{d("1000"), d("2000"), d("0")}
	got := c.Schedule(month(time.January), earned, 2)
	want := []struct {
		day    string
		amount string
	}{{"2026-02-05", "900"}, {"2026-03-05", "1800"}, {"2026-03-19", "100"}, {"2026-04-16", "200"}}
	if len(got) != len(want) {
		t.Fatalf("payouts %v, want %v", got, want)
	}
	for i, w := range want {
		if got[i].Date.Format(time.DateOnly) != w.day || !got[i].Amount.Equal(d(w.amount)) {
			t.Errorf("payout %d: %s %s, want %s %s", i, got[i].Date.Format(time.DateOnly), got[i].Amount, w.day, w.amount)
		}
	}
	// On 2026-03-01 the marketplace owes January's reserve (100) and all
	// of February (2000, settled 02-28, payable 03-05).
	if u := c.Unpaid(month(time.January), earned, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 2); !u.Equal(d("2100")) {
		t.Errorf("unpaid on 03-01 = %s, want 2100", u)
	}
	// A partner failing at the start of March loses them: the deal's
	// cash then holds only the 900 of 02-05.
	st := synthetic("0", []string{"1000", "2000", "0"}, nil)
	terms := &Terms{Partnership: "p", Investment: d("1"), Tranches: []Tranche{{Month: month(time.January), Amount: d("1")}},
		Payout: c, Exit: &Exit{FailMonth: month(time.March)}}
	plan, err := Evaluate(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Staged.LostReceivables.Equal(d("2100")) || !plan.Staged.Cash[1].Equal(d("900")) {
		t.Errorf("failure in March: lost receivables %s, February cash %s; want 2100, 900", plan.Staged.LostReceivables, plan.Staged.Cash[1])
	}
}

// TestLoadReportsEveryProblem: a milestone whose window ends after its
// tranche and a tranche after the horizon, tranches that do not sum to
// the investment, a hazard above 1, and a "service" block (service terms
// are the partnership's outage terms now; their overlapping credit bands
// are the portfolio's error, costmodel's TestOutageValidation): one error
// naming each path.
func TestLoadReportsEveryProblem(t *testing.T) {
	t.Parallel()
	st := synthetic("0", []string{"1", "1", "1", "1"}, nil)
	const js = `{"partnership": "p", "investment": "300",
	 "tranches": [
	  {"month": "2026-01", "amount": "100"},
	  {"month": "2026-02", "amount": "100", "on_miss": "stop",
	   "milestone": {"metric": "gmv", "at_least": "5", "window": {"kind": "range", "from": "2026-01", "to": "2026-03"}}},
	  {"month": "2026-09", "amount": "50"}],
	 "service": {"uptime_commitment": "0.999"},
	 "exit": {"monthly_hazard": "1.5"}}`
	_, err := Load(strings.NewReader(js), st)
	if !errors.Is(err, costmodel.ErrInvalid) {
		t.Fatalf("Load: %v, want a validation error", err)
	}
	for _, path := range []string{"tranches[1].milestone.window", "tranches[2].month", "tranches: ", "exit.monthly_hazard", "service: got service terms in the deal"} {
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error does not name %s:\n%v", path, err)
		}
	}
	// Missing required fields are named too.
	_, err = Load(strings.NewReader(`{"partnership": "p", "tranches": [{"amount": "1"}]}`), st)
	for _, path := range []string{"investment", "tranches[0].month"} {
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("missing %s not reported: %v", path, err)
		}
	}
}

// TestHazardOutsideUnitInterval: a monthly hazard (and a renewal
// probability) must be a probability: just below 0 and just above 1 are
// refused at their paths with what is expected; 0 and 1 themselves are
// probabilities (1: the partner fails in the first month).
func TestHazardOutsideUnitInterval(t *testing.T) {
	t.Parallel()
	st := synthetic("0", []string{"1", "1", "1"}, nil)
	const tmpl = `{"partnership": "p", "investment": "1", "tranches": [{"month": "2026-01", "amount": "1"}],
	 "exit": {"monthly_hazard": "H", "renewal_probability": "R", "term_months": 2}}`
	for _, c := range []struct {
		hazard, renewal string
		bad             []string
	}{
		{"-0.0001", "0.5", []string{"exit.monthly_hazard: got -0.0001, expected a probability in [0, 1]"}},
		{"1.0001", "-0.1", []string{"exit.monthly_hazard: got 1.0001, expected a probability in [0, 1]", "exit.renewal_probability: got -0.1, expected a probability in [0, 1]"}},
		{"0", "1", nil},
		{"1", "0", nil},
	} {
		_, err := Load(strings.NewReader(strings.NewReplacer("H", c.hazard, "R", c.renewal).Replace(tmpl)), st)
		if c.bad == nil {
			if err != nil {
				t.Errorf("hazard %s, renewal %s: %v", c.hazard, c.renewal, err)
			}
			continue
		}
		for _, w := range c.bad {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("hazard %s, renewal %s: %v, want %q", c.hazard, c.renewal, err, w)
			}
		}
	}
}

// TestPlanAndTrialAgree: a trial whose figures are the plan's gives the
// plan's staged NPV (float64 against exact decimals: within a cent per
// rounded amount over the horizon).
func TestPlanAndTrialAgree(t *testing.T) {
	t.Parallel()
	cs := []string{"-500", "120.37", "250.11", "300.5", "310", "320.99"}
	gs := []string{"0", "1000", "2000", "2500", "2600", "2700"}
	st := synthetic("0.0095", cs, gs)
	// The partnership's outage impact (its statement lines), inside the
	// contribution as the statement has it.
	impacts := []string{"-12.5", "0", "-3.21", "-40", "7.5", "-7.77"}
	withImpacts(st, impacts)
	terms := &Terms{Partnership: "p", Investment: d("900"), Tranches: []Tranche{
		{Month: month(time.January), Amount: d("600")},
		{Month: month(time.March), Amount: d("300"), OnMiss: Reduce, ScopeShare: d("0.5"),
			Milestone: &Milestone{Metric: costmodel.MetricGMV, AtLeast: dp("5000"), Window: costmodel.Window{Kind: costmodel.WindowRange, From: month(time.January), To: month(time.March)}}},
	},
		Payout: &PayoutCycle{EveryDays: 7, FirstPayout: Date{time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}, ReserveShare: d("0.05"), ReserveDays: 21},
	}
	plan, err := Evaluate(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	// GMV Jan–Mar is 3000 < 5000: the milestone is missed, scope halves.
	if len(plan.Milestones) != 1 || plan.Milestones[0].Met || !plan.Staged.Released.Equal(d("750")) {
		t.Fatalf("milestones %+v, released %s; want missed, 600 + 150", plan.Milestones, plan.Staged.Released)
	}
	// The float path on the plan's figures, as EvaluateTrials reads a
	// trial: contribution before the outage lines, the impact beside it.
	o := floatOps
	p := path[float64]{fail: -1, renewal: 1, measure: []float64{0, 3000}, defined: []bool{true, true}}
	for i := range cs {
		c, _ := d(cs[i]).Float64()
		g, _ := d(gs[i]).Float64()
		s, _ := d(impacts[i]).Float64()
		p.contribution, p.gmv, p.service = append(p.contribution, c), append(p.gmv, g), append(p.service, s)
	}
	f := evaluate(o, terms, st, p, true)
	if tol := 0.01 * float64(4*len(cs)); math.Abs(f.npv-plan.Staged.NPV.InexactFloat64()) > tol {
		t.Errorf("float NPV %.4f, exact %s (tolerance %.2f)", f.npv, plan.Staged.NPV, tol)
	}
	// The dated flows' XNPV at the annual equivalent of the monthly rate
	// is close to the monthly NPV: both discount the same cash, by days
	// or by whole months (end of month vs its payout dates), so they
	// differ by less than a month's discounting of the flows' size.
	if plan.XNPV.IsZero() || len(plan.Flows) == 0 {
		t.Errorf("no dated flows: %+v", plan)
	}
	sum := decimal.Zero
	for _, fl := range plan.Flows {
		sum = sum.Add(fl.Amount)
	}
	total := decimal.Zero
	for _, c := range plan.Staged.Cash {
		total = total.Add(c)
	}
	if !sum.Equal(total) {
		t.Errorf("dated flows sum to %s, monthly cash to %s", sum, total)
	}
}
