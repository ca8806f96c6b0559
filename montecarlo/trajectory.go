package montecarlo

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// Growth trajectories compared on common random numbers. A trajectory
// (scenario.Trajectory) adds partnerships, categories and drivers, so
// its portfolio does not have the base's drivers and RunPaired, which
// evaluates alternatives on one set of drivers, cannot take it. Instead
// each trajectory's portfolio is simulated by Run with the same spec,
// seed, sampling and block size: every input's draws depend only on
// (seed, input, block) (Stream), so an input of the spec is drawn the
// same in every trajectory's trial i, and the per-trial differences are
// paired. An input whose pattern also matches an added partnership's
// drivers (*/beauty/unit_cost) moves them with the same draw; the added
// drivers that no input targets stay at their values.

// TrajectoryComparison compares growth trajectories under uncertainty.
type TrajectoryComparison struct {
	// Trials and Seed are those of every trajectory's run.
	Trials int
	Seed   uint64
	// Outcomes are the trajectories' figures, in the order given; the
	// first is the reference (usually the portfolio as it is: a
	// trajectory with no changes).
	Outcomes []TrajectoryOutcome
	// Pairs compare every trajectory with every later one, B − A on the
	// same trials: those against the first come first (A = 0, B = 1 …),
	// then B against the second, and so on.
	Pairs []TrajectoryPair
}

// TrajectoryOutcome is one trajectory's figures: exact at the drivers'
// values, and their distribution over the trials.
type TrajectoryOutcome struct {
	Trajectory scenario.Trajectory
	// Portfolio is the trajectory applied to the base (with the
	// scenarios on top).
	Portfolio *costmodel.Portfolio
	// Exact is the portfolio's exact statement's NPV, payback and peak
	// funding need.
	Exact TrajectoryFigures
	// NPV is the distribution of the portfolio's NPV over the trials.
	NPV Spread
	// PPayback is the share of trials that pay back within the horizon;
	// Payback the distribution of the payback month (1-based) over those
	// trials (N = 0 when none does).
	PPayback float64
	Payback  Spread
	// PeakFunding is the distribution of the peak funding need (the most
	// negative cumulative net cash flow, as a positive amount: see
	// costmodel.PeakFunding).
	PeakFunding Spread
	// Fan is the cumulative contribution's fan (Options.Fans).
	Fan *Fan
	// Result is the trajectory's run: the NPV, the payback month and the
	// monthly net cash flows as outputs, and the fan.
	Result *Result
}

// TrajectoryFigures are a trajectory's figures on its exact statement.
type TrajectoryFigures struct {
	NPV decimal.Decimal
	// Payback is the 1-based payback month; Reached false when the
	// cumulative net cash flow stays negative over the horizon.
	Payback costmodel.Payback
	// PeakFunding is the most negative cumulative net cash flow as a
	// positive amount (0 when it never falls below 0).
	PeakFunding decimal.Decimal
}

// Spread is a distribution over trials: N values, their mean, the mean's
// standard error (SD/√N over independent trials), and the 5th, 50th and
// 95th percentiles (PERCENTILE.INC).
type Spread struct {
	N            int
	Mean, SE     float64
	P5, P50, P95 float64
}

// TrajectoryPair is trajectory B against trajectory A (indices into
// Outcomes) on the same trials.
type TrajectoryPair struct {
	A, B int
	// NPV is the distribution of NPV(B) − NPV(A); ExactNPV the difference
	// of the exact statements' NPVs.
	NPV      Spread
	ExactNPV decimal.Decimal
	// PBetter is the share of trials in which B's NPV is strictly
	// greater than A's.
	PBetter float64
	// PeakFunding is the distribution of B's peak funding need minus A's
	// (positive: B needs more funding).
	PeakFunding Spread
	// Payback is the distribution of B's payback month minus A's over
	// the trials in which both pay back (N = 0 when there are none).
	Payback Spread
}

// CompareTrajectories simulates the base portfolio p under each
// trajectory (scenario.Trajectory.Apply, with the scenarios `on` on top
// of every one) on common random numbers, as above, and compares them
// on the NPV of the portfolio's net cash flow, the payback month and the
// peak funding need. At least two trajectories are needed; the first is
// the reference. opt is a run's options: its Outputs, Fans and
// Sensitivity are replaced (the comparison records what it needs: the
// NPV, the payback month, the net cash flow of each month, the
// cumulative contribution's fan), and Convergence must be nil (every
// trajectory runs the same trials).
func CompareTrajectories(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options, trs []scenario.Trajectory, on ...scenario.Scenario) (*TrajectoryComparison, error) {
	if ctx == nil {
		return nil, errNil("ctx", "a context (context.Background() when there is nothing to cancel)")
	}
	if p == nil {
		return nil, errNil("portfolio", "a portfolio to apply the trajectories to")
	}
	if spec == nil {
		return nil, errNil("spec", "an uncertainty spec")
	}
	var pr costmodel.Problems
	if len(trs) < 2 {
		pr.Add("trajectories", fmt.Sprint(len(trs)), "at least two trajectories to compare (the first, usually the portfolio as it is, is the reference)")
	}
	if opt.Convergence != nil {
		pr.Add("convergence", "a convergence rule", "none: every trajectory runs the same trials, so that they pair")
	}
	seen := map[string]int{}
	ports := make([]*costmodel.Portfolio, len(trs))
	for i, tr := range trs {
		if j, dup := seen[tr.Name]; dup {
			pr.Add(fmt.Sprintf("trajectories[%d].name", i), quote(tr.Name), fmt.Sprintf("a name not already used by trajectories[%d]", j))
		}
		seen[tr.Name] = i
		q, err := tr.Apply(p, on...)
		if err != nil {
			pr.Merge(fmt.Sprintf("trajectories[%d]", i), err)
			continue
		}
		ports[i] = q
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	npvOut := scenario.Output{Scope: scenario.Portfolio, Metric: scenario.NPV}
	payOut := scenario.Output{Scope: scenario.Portfolio, Metric: scenario.PaybackMonth}
	fanOut := scenario.Output{Scope: scenario.Portfolio, Metric: scenario.Contribution}
	cmp := &TrajectoryComparison{}
	npvs := make([][]float64, len(trs))
	pays := make([]*OutputResult, len(trs))
	peaks := make([][]float64, len(trs))
	for i, q := range ports {
		st, err := costmodel.Evaluate(q)
		if err != nil {
			return nil, fmt.Errorf("trajectory %q: %w", trs[i].Name, err)
		}
		flows := make([]decimal.Decimal, st.Months)
		for t := range flows {
			flows[t] = st.Portfolio.Monthly[t][costmodel.LineNetCashFlow]
		}
		o := opt
		o.Outputs = []scenario.Output{npvOut, payOut}
		for t := range st.Months {
			o.Outputs = append(o.Outputs, scenario.Output{Scope: scenario.Portfolio, Metric: scenario.NetCashFlow,
				Window: scenario.Window{Kind: costmodel.WindowMonth, Month: q.Start.Add(t)}})
		}
		o.Fans = []scenario.Output{fanOut}
		o.Sensitivity = []scenario.Output{npvOut}
		r, err := Run(ctx, q, spec, o)
		if err != nil {
			var rp costmodel.Problems
			rp.Merge(fmt.Sprintf("trajectories[%d]", i), err)
			return nil, rp.Err()
		}
		if i > 0 && r.Trials != cmp.Trials {
			return nil, fmt.Errorf("montecarlo: trajectory %q ran %d trials, the first %d", trs[i].Name, r.Trials, cmp.Trials)
		}
		cmp.Trials, cmp.Seed = r.Trials, r.Seed
		out := TrajectoryOutcome{Trajectory: trs[i], Portfolio: q, Result: r,
			Exact: TrajectoryFigures{NPV: st.Measures.NPV, Payback: st.Measures.Payback, PeakFunding: costmodel.PeakFunding(flows)}}
		npv, _ := r.Output(npvOut)
		pay, _ := r.Output(payOut)
		npvs[i], pays[i] = npv.Samples, pay
		out.NPV = spread(npv.Samples)
		defined := pay.DefinedSamples()
		out.PPayback = float64(len(defined)) / float64(r.Trials)
		out.Payback = spread(defined)
		// Peak funding need per trial, from the months' net cash flows.
		peak := make([]float64, r.Trials)
		cum := make([]float64, r.Trials)
		for t, ncf := range o.Outputs[2:] {
			res, ok := r.Output(ncf)
			if !ok {
				return nil, fmt.Errorf("montecarlo: trajectory %q: the net cash flow of month %d was not recorded", trs[i].Name, t+1)
			}
			for k, v := range res.Samples {
				cum[k] += v
				peak[k] = max(peak[k], -cum[k])
			}
		}
		peaks[i] = peak
		out.PeakFunding = spread(peak)
		out.Fan, _ = r.Fan(fanOut)
		cmp.Outcomes = append(cmp.Outcomes, out)
	}
	for a := range trs {
		for b := a + 1; b < len(trs); b++ {
			pair := TrajectoryPair{A: a, B: b,
				ExactNPV: cmp.Outcomes[b].Exact.NPV.Sub(cmp.Outcomes[a].Exact.NPV)}
			d := make([]float64, cmp.Trials)
			better := 0
			for k := range d {
				d[k] = npvs[b][k] - npvs[a][k]
				if d[k] > 0 {
					better++
				}
			}
			pair.NPV = spread(d)
			pair.PBetter = float64(better) / float64(cmp.Trials)
			for k := range d {
				d[k] = peaks[b][k] - peaks[a][k]
			}
			pair.PeakFunding = spread(d)
			d = d[:0]
			for k := range cmp.Trials {
				if pays[a].IsDefined(k) && pays[b].IsDefined(k) {
					d = append(d, pays[b].Samples[k]-pays[a].Samples[k])
				}
			}
			pair.Payback = spread(d)
			cmp.Pairs = append(cmp.Pairs, pair)
		}
	}
	return cmp, nil
}

// Pair returns the comparison of trajectory b against a (indices into
// Outcomes, a < b).
func (c *TrajectoryComparison) Pair(a, b int) (*TrajectoryPair, bool) {
	if c == nil {
		return nil, false
	}
	for i := range c.Pairs {
		if c.Pairs[i].A == a && c.Pairs[i].B == b {
			return &c.Pairs[i], true
		}
	}
	return nil, false
}

// spread describes x (not modified); the zero Spread when x is empty.
func spread(x []float64) Spread {
	if len(x) == 0 {
		return Spread{}
	}
	s := Spread{N: len(x)}
	sum := 0.0
	for _, v := range x {
		sum += v
	}
	s.Mean = sum / float64(len(x))
	if len(x) > 1 {
		ss := 0.0
		for _, v := range x {
			ss += (v - s.Mean) * (v - s.Mean)
		}
		s.SE = math.Sqrt(ss/float64(len(x)-1)) / math.Sqrt(float64(len(x)))
	}
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	s.P5, s.P50, s.P95 = Percentile(sorted, 0.05), Percentile(sorted, 0.50), Percentile(sorted, 0.95)
	return s
}
