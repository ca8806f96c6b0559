package montecarlo

import (
	"fmt"
	"slices"

	"github.com/marginalhq/marginal/scenario"
)

// Result is what a run found.
type Result struct {
	// Trials is the number of trials run (fewer than asked when the run
	// converged early).
	Trials   int
	Seed     uint64
	Sampling Sampling
	// Inputs are the input labels; InputSamples[i][trial] the draw of
	// input i in each trial (for per-month inputs, the mean over months).
	Inputs       []string
	InputSamples [][]float64
	// Clamped counts, per input, the driver values that fell outside their
	// driver's valid range and were clamped to it.
	Clamped []int
	// Outputs are the recorded outputs with their statistics and samples.
	Outputs []OutputResult
	// Convergence is the convergence record, when a rule was given.
	Convergence *ConvergenceRecord
	// Repairs lists the correlation matrices that were not positive
	// definite and were repaired, with how far each entry moved.
	Repairs []Repair
	// Sensitivity is the rank-correlation sensitivity of each requested
	// output to every input; TailShare is the share of worst trials of
	// its tail view.
	Sensitivity []OutputSensitivity
	TailShare   float64
}

// OutputResult is one output's distribution.
type OutputResult struct {
	Output  scenario.Output
	Samples []float64 // one per trial, in trial order
	Summary Summary
	// Percentiles are PERCENTILE.INC values, as Excel computes them.
	Percentiles []Quantile
	// VaR and CVaR at each level: VaR is the (1 − level) percentile, the
	// value the output falls below only 1 − level of the time; CVaR is the
	// mean of the outcomes at or below it (expected shortfall).
	VaR, CVaR []Quantile
	// ProbLoss is P(output < 0).
	ProbLoss float64
	// Targets holds P(output < value) for the targets asked of this output.
	Targets   []Quantile
	Histogram Histogram
	// Undefined counts the trials in which a ratio output had zero net
	// sales: they are recorded as 0 (and included in the statistics), so
	// a non-zero count says the ratio's distribution is partly an artefact.
	Undefined int
}

// Quantile pairs a probability or level (or a target value) with a value.
type Quantile struct {
	P, Value float64
}

// Percentile returns the recorded percentile p, or computes it.
func (o *OutputResult) Percentile(p float64) float64 {
	for _, q := range o.Percentiles {
		if q.P == p {
			return q.Value
		}
	}
	s := slices.Clone(o.Samples)
	slices.Sort(s)
	return Percentile(s, p)
}

// ConvergenceRecord is the history of a convergence rule.
type ConvergenceRecord struct {
	Statistic Statistic
	Tolerance float64
	Converged bool
	// At is the number of trials at which the rule was met.
	At    int
	Trace []ConvergencePoint
}

// ConvergencePoint is one check: the batch-means estimate and its
// standard error after Trials trials.
type ConvergencePoint struct {
	Trials       int
	Estimate, SE float64
}

// Repair is a correlation matrix repaired to the nearest valid one.
type Repair struct {
	Inputs   []string
	Repaired [][]float64
	Moved    [][]float64
	MaxMove  float64
}

// OutputSensitivity ranks the inputs by their rank correlation with an
// output.
type OutputSensitivity struct {
	Output scenario.Output
	// Inputs are index-aligned with Result.Inputs.
	Inputs []InputSensitivity
}

// Paired is the comparison of an alternative with the base on the same
// draws.
type Paired struct {
	Name   string
	Output scenario.Output
	// Difference is the distribution of alternative − base.
	Difference OutputResult
	// PBetter is the share of trials in which the alternative is strictly
	// better (a positive difference).
	PBetter float64
}

// Output returns the result of an output.
func (r *Result) Output(o scenario.Output) (*OutputResult, bool) {
	if o.Scope == "" {
		o.Scope = scenario.Portfolio
	}
	for i := range r.Outputs {
		if r.Outputs[i].Output == o {
			return &r.Outputs[i], true
		}
	}
	return nil, false
}

// describe computes an output's statistics from its samples.
func describe(o scenario.Output, samples []float64, opt *Options, targets []float64) (OutputResult, error) {
	r := OutputResult{Output: o, Samples: samples}
	var err error
	if r.Summary, err = Summarize(samples); err != nil {
		// A NaN or Inf output means the model met inputs it cannot take;
		// report it rather than let it into statistics or a workbook.
		return r, fmt.Errorf("montecarlo: output %s: %w", o, err)
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	for _, p := range opt.Percentiles {
		r.Percentiles = append(r.Percentiles, Quantile{P: p, Value: Percentile(sorted, p)})
	}
	for _, l := range opt.Levels {
		r.VaR = append(r.VaR, Quantile{P: l, Value: VaR(sorted, l)})
		r.CVaR = append(r.CVaR, Quantile{P: l, Value: CVaR(sorted, l)})
	}
	r.ProbLoss = ProbBelow(sorted, 0)
	for _, t := range targets {
		r.Targets = append(r.Targets, Quantile{P: ProbBelow(sorted, t), Value: t})
	}
	r.Histogram, _ = NewHistogram(samples, opt.Bins)
	return r, nil
}

func (e *engine) result(trials int, conv *ConvergenceRecord, sensIdx, targets []int, alts []Alternative) (*Result, []Paired, error) {
	res := &Result{Trials: trials, Seed: e.opt.Seed, Sampling: LHS, Convergence: conv, TailShare: e.opt.TailShare}
	if _, ok := e.sp.sampler.(MonteCarlo); ok {
		res.Sampling = MC
	}
	res.Clamped = make([]int, len(e.sp.inputs))
	for b, c := range e.clamped {
		if start, _ := e.span(b); start >= trials {
			continue // a block run past the convergence point
		}
		for i, v := range c {
			res.Clamped[i] += v
		}
	}
	for i, ip := range e.sp.inputs {
		res.Inputs = append(res.Inputs, ip.label)
		res.InputSamples = append(res.InputSamples, e.inputs[i][:trials])
	}
	for k, pl := range e.plans {
		var tg []float64
		for i, t := range targets {
			if t == k {
				tg = append(tg, e.opt.Targets[i].Value)
			}
		}
		o, err := describe(pl.out, e.outputs[k][:trials], &e.opt, tg)
		if err != nil {
			return nil, nil, err
		}
		for b, u := range e.undefined {
			if start, _ := e.span(b); u != nil && start < trials {
				o.Undefined += u[k]
			}
		}
		res.Outputs = append(res.Outputs, o)
	}
	for _, cp := range e.sp.corrs {
		if !cp.repaired {
			continue
		}
		rep := Repair{Repaired: cp.matrix, Moved: cp.moved, MaxMove: cp.maxMove}
		for _, i := range cp.inputs {
			rep.Inputs = append(rep.Inputs, e.sp.inputs[i].label)
		}
		res.Repairs = append(res.Repairs, rep)
	}
	for _, k := range sensIdx {
		s, err := Sensitivity(res.InputSamples, e.outputs[k][:trials], e.opt.TailShare)
		if err != nil {
			return nil, nil, err
		}
		res.Sensitivity = append(res.Sensitivity, OutputSensitivity{Output: e.plans[k].out, Inputs: s})
	}
	var paired []Paired
	for i, a := range alts {
		d := e.diffs[i][:trials]
		better := 0
		for _, v := range d {
			if v > 0 {
				better++
			}
		}
		diff, err := describe(e.cmp[0].out, d, &e.opt, nil)
		if err != nil {
			return nil, nil, err
		}
		paired = append(paired, Paired{Name: a.Name, Output: e.cmp[0].out, Difference: diff, PBetter: float64(better) / float64(trials)})
	}
	return res, paired, nil
}
