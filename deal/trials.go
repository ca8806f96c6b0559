package deal

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
)

// Outputs lists the statement outputs a simulation must record for
// [EvaluateTrials]: the partnership's contribution and GMV in each month
// of the horizon; for a partnership with outage terms, its outage
// impact and contingency gain in each month and its credits over the
// horizon (montecarlo.CreditOutput): the statement's outage lines, which
// the simulation draws through its downtime; then
// each milestone's measure (GMV and net sales over its window for a
// return-rate milestone, the downtime hours over it for an uptime one).
// Pass them (with any others) in montecarlo.Options.Outputs.
func Outputs(t *Terms, st *costmodel.Statement) ([]costmodel.Output, error) {
	if err := t.Validate(st); err != nil {
		return nil, err
	}
	ps, _ := st.Partnership(t.Partnership)
	month := func(i int, m costmodel.Metric) costmodel.Output {
		w := costmodel.Window{Kind: costmodel.WindowMonth, Month: st.Start.Add(i)}
		return costmodel.Output{Scope: costmodel.ScopePartnership, Key: t.Partnership, Metric: m, Window: w}
	}
	var outs []costmodel.Output
	for i := range st.Months {
		outs = append(outs, month(i, costmodel.MetricContribution), month(i, costmodel.MetricGMV))
	}
	if ps.Outage {
		for i := range st.Months {
			outs = append(outs, month(i, costmodel.MetricOutageImpact), month(i, costmodel.MetricOutageContingencyGain))
		}
		outs = append(outs, montecarlo.CreditOutput(t.Partnership))
	}
	for _, tr := range t.Tranches {
		switch m := tr.Milestone; {
		case m == nil:
		case m.Metric == MetricUptime:
			outs = append(outs, windowOutput(t, m, costmodel.MetricOutageDowntime))
		case m.Metric == MetricReturnRate:
			outs = append(outs, windowOutput(t, m, costmodel.MetricGMV), windowOutput(t, m, costmodel.MetricNetSales))
		default:
			outs = append(outs, windowOutput(t, m, m.Metric))
		}
	}
	return outs, nil
}

// Distribution summarises a per-trial figure: its samples (trial order),
// mean, standard error of the mean and PERCENTILE.INC percentiles.
type Distribution struct {
	Samples      []float64
	Mean, StdErr float64
	P5, P50, P95 float64
}

func distribution(x []float64) Distribution {
	d := Distribution{Samples: x}
	n := float64(len(x))
	if len(x) == 0 {
		return d
	}
	for _, v := range x {
		d.Mean += v
	}
	d.Mean /= n
	if len(x) > 1 {
		ss := 0.0
		for _, v := range x {
			ss += (v - d.Mean) * (v - d.Mean)
		}
		d.StdErr = math.Sqrt(ss / (n - 1) / n)
	}
	s := slices.Clone(x)
	slices.Sort(s)
	d.P5, d.P50, d.P95 = montecarlo.Percentile(s, 0.05), montecarlo.Percentile(s, 0.5), montecarlo.Percentile(s, 0.95)
	return d
}

// Trials is the deal evaluated on each trial of a simulation.
type Trials struct {
	// N is the number of trials.
	N int
	// PReached[j] is the share of trials in which tranche j's month came
	// with the deal still running; PMet[j] the share in which its
	// milestone was then met (an unconditional tranche: reached).
	PReached, PMet []float64
	// Released is the funding released (staged).
	Released Distribution
	// Staged and Committed are the NPVs of staged funding and of
	// committing every tranche; OptionValue their difference, trial by
	// trial (the value of the option to stop, delay or reduce).
	Staged, Committed, OptionValue Distribution
	// PStopped is the share of trials stopped on a missed milestone;
	// PFailed the share in which the partner failed within the horizon.
	PStopped, PFailed float64
	// LostReceivables are what the payout cycle owed at a failure (0 in
	// trials without one).
	LostReceivables Distribution
	// For a partnership with outage terms and a contingency plan: the
	// staged NPV with the contingency (Staged) and without it
	// (NoContingency), on the same outages (common random numbers: the
	// statement's impact less its contingency gain, trial by trial),
	// their difference ContingencyGain and the share of trials in which
	// the contingency did better.
	NoContingency, ContingencyGain Distribution
	PContingencyBetter             float64
	// Credits is the service credits and response penalties over the
	// horizon (the outage_credit line: positive when earned, negative
	// when paid), with the contingency; PCredit the share of trials in
	// which a credit changes hands within the horizon and PCreditSE its
	// standard error (montecarlo's Result.PCredit). They are the
	// partnership's, whether or not the deal stops or the partner fails.
	// Zero without outage terms.
	Credits            Distribution
	PCredit, PCreditSE float64
}

// EvaluateTrials evaluates the terms on every trial of res, a run that
// recorded [Outputs]. The outages are the simulation's (its draws of
// the partnership's downtime, through the statement's outage lines); the
// partner's failure and the renewal are drawn per trial from streams of
// seed (montecarlo.Stream with addresses "deal/exit" and "deal/renewal",
// block = trial index), so the same seed gives the same draws, and the
// staged, committed and no-contingency evaluations of a trial share them.
func EvaluateTrials(t *Terms, st *costmodel.Statement, res *montecarlo.Result, seed uint64) (*Trials, error) {
	if res == nil {
		return nil, errors.New("deal: EvaluateTrials: nil simulation result")
	}
	outs, err := Outputs(t, st)
	if err != nil {
		return nil, err
	}
	samples := make([][]float64, len(outs))
	defined := make([]*montecarlo.OutputResult, len(outs))
	for i, o := range outs {
		r, ok := res.Output(o)
		if !ok {
			return nil, fmt.Errorf("deal: the simulation did not record %s (record deal.Outputs)", o)
		}
		if len(r.Samples) != res.Trials {
			return nil, fmt.Errorf("deal: output %s has %d samples for %d trials", o, len(r.Samples), res.Trials)
		}
		samples[i], defined[i] = r.Samples, r
	}
	n := st.Months
	tr := &Trials{N: res.Trials, PReached: make([]float64, len(t.Tranches)), PMet: make([]float64, len(t.Tranches))}
	var released, staged, committed, option, lostRec, noCont, gain, credits []float64
	stopped, failed, better := 0, 0, 0
	ps, _ := st.Partnership(t.Partnership)
	outage := ps.Outage
	for k := range res.Trials {
		p := path[float64]{
			contribution: make([]float64, n), gmv: make([]float64, n),
			measure: make([]float64, len(t.Tranches)), defined: make([]bool, len(t.Tranches)),
			fail: -1, renewal: 1,
		}
		for i := range n {
			p.contribution[i], p.gmv[i] = samples[2*i][k], samples[2*i+1][k]
		}
		next := 2 * n
		var without []float64
		total := 0.0
		if outage {
			p.service, without = make([]float64, n), make([]float64, n)
			for i := range n {
				impact, gain := samples[next+2*i][k], samples[next+2*i+1][k]
				p.contribution[i] -= impact
				p.service[i], without[i] = impact, impact-gain
			}
			total = samples[next+2*n][k]
			next += 2*n + 1
		}
		for j, tc := range t.Tranches {
			switch m := tc.Milestone; {
			case m == nil:
				p.defined[j] = true
			case m.Metric == MetricUptime:
				months, _ := m.Window.Months(st.Start, n)
				p.measure[j], p.defined[j] = uptime(floatOps, samples[next][k], windowHours(st, months)), true
				next++
			case m.Metric == MetricReturnRate:
				gmv, ns := samples[next][k], samples[next+1][k]
				p.measure[j], p.defined[j] = floatOps.div(gmv-ns, gmv), gmv != 0
				next += 2
			default:
				p.measure[j], p.defined[j] = samples[next][k], defined[next].IsDefined(k)
				next++
			}
		}
		if t.Exit != nil {
			p.fail = t.Exit.drawFailure(montecarlo.Stream(seed, "deal/exit", k), st.Start, n)
			if t.Exit.TermMonths > 0 {
				p.renewal = 0
				if montecarlo.Stream(seed, "deal/renewal", k).Float64() < t.Exit.RenewalProbability.InexactFloat64() {
					p.renewal = 1 + t.Exit.RenewalChange.InexactFloat64()
				}
			}
		}
		s := evaluate(floatOps, t, st, p, true)
		c := evaluate(floatOps, t, st, p, false)
		for j := range t.Tranches {
			if s.checked[j] {
				tr.PReached[j]++
				if s.met[j] {
					tr.PMet[j]++
				}
			}
		}
		if s.stopped >= 0 {
			stopped++
		}
		if p.fail >= 0 {
			failed++
		}
		released = append(released, s.released)
		staged = append(staged, s.npv)
		committed = append(committed, c.npv)
		option = append(option, s.npv-c.npv)
		lostRec = append(lostRec, s.lostReceivables)
		credits = append(credits, total)
		if outage {
			q := p
			q.service = without
			w := evaluate(floatOps, t, st, q, true)
			noCont = append(noCont, w.npv)
			gain = append(gain, s.npv-w.npv)
			if s.npv > w.npv {
				better++
			}
		}
	}
	for j := range t.Tranches {
		tr.PReached[j] /= float64(res.Trials)
		tr.PMet[j] /= float64(res.Trials)
	}
	nt := float64(res.Trials)
	tr.PStopped, tr.PFailed = float64(stopped)/nt, float64(failed)/nt
	tr.Released, tr.Staged, tr.Committed, tr.OptionValue = distribution(released), distribution(staged), distribution(committed), distribution(option)
	tr.LostReceivables, tr.Credits = distribution(lostRec), distribution(credits)
	if outage {
		tr.PCredit, tr.PCreditSE, _ = res.PCredit(t.Partnership)
	}
	// Without a contingency plan (or one that never moved a month) the
	// gain is 0 in every trial: there is nothing to compare.
	if slices.ContainsFunc(gain, func(g float64) bool { return g != 0 }) {
		tr.NoContingency, tr.ContingencyGain = distribution(noCont), distribution(gain)
		tr.PContingencyBetter = float64(better) / nt
	}
	for _, d := range []*Distribution{&tr.Released, &tr.Staged, &tr.Committed, &tr.OptionValue, &tr.LostReceivables, &tr.Credits, &tr.NoContingency, &tr.ContingencyGain} {
		for _, v := range d.Samples {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, errors.New("deal: a trial's figure is not finite (the simulation's values are out of float64's range)")
			}
		}
	}
	return tr, nil
}
