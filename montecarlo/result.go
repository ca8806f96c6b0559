package montecarlo

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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
	// Guardrails holds P(breach) of each rule of Options.Guardrails:
	// the base's rules (Scenario "base"), then each alternative's, in
	// order (RunScenarios); nil without guardrails.
	Guardrails []GuardrailResult
	// Fans are the cumulative monthly paths of Options.Fans, in order
	// (fan.go); nil without fans.
	Fans []Fan
}

// OutputResult is one output's distribution.
//
// # Undefined trials
//
// A ratio is undefined in a trial with zero net sales, and a payback
// month in a trial that does not pay back within the horizon. Such a
// trial is never a number: Undefined counts them, Defined marks them, and
// every statistic (Summary, Percentiles, VaR, CVaR, ProbLoss, Targets,
// Histogram) is over the defined trials only, so Summary.N is the number
// of defined trials and probabilities are shares of them. An output
// undefined in every trial has Valid false and no statistic at all (zero
// Summary, nil slices, empty Histogram), which a report shows as n/a.
//
// Samples keeps one entry per trial so that it stays aligned with
// Result.InputSamples; an undefined trial holds 0 there, a placeholder
// that is not a value: read Samples together with IsDefined, or use
// DefinedSamples.
type OutputResult struct {
	Output scenario.Output
	// Samples holds one value per trial, in trial order; 0 in an
	// undefined trial (see IsDefined).
	Samples []float64
	// Defined reports, per trial, whether the output is defined; nil when
	// it is defined in every trial (Undefined = 0).
	Defined []bool
	// Valid is false when the output is undefined in every trial: then no
	// statistic below is a value.
	Valid bool
	// Summary is over the defined trials (N of them).
	Summary Summary
	// Percentiles are PERCENTILE.INC values, as Excel computes them.
	Percentiles []Quantile
	// VaR and CVaR at each level: VaR is the (1 − level) percentile, the
	// value the output falls below only 1 − level of the time; CVaR is the
	// mean of the outcomes at or below it (expected shortfall).
	VaR, CVaR []Quantile
	// ProbLoss is P(output < 0), the share of defined trials below 0.
	ProbLoss float64
	// Targets holds P(output < value) for the targets asked of this
	// output, as shares of the defined trials.
	Targets   []Quantile
	Histogram Histogram
	// Undefined counts the trials in which the output is undefined (a
	// ratio over zero net sales, a payback not reached): they are left out
	// of every statistic.
	Undefined int
}

// IsDefined reports whether the output is defined in trial i (0-based);
// false for a trial outside the run.
func (o *OutputResult) IsDefined(i int) bool {
	if o == nil || i < 0 || i >= len(o.Samples) {
		return false
	}
	return o.Defined == nil || o.Defined[i]
}

// DefinedSamples returns the values of the defined trials, in trial
// order: Samples itself when every trial is defined (do not modify it),
// a new slice otherwise.
func (o *OutputResult) DefinedSamples() []float64 {
	if o == nil {
		return nil
	}
	return definedValues(o.Samples, o.Defined)
}

// definedValues returns the entries of x that mask marks defined (all of
// x, not copied, when mask is nil).
func definedValues(x []float64, mask []bool) []float64 {
	if mask == nil {
		return x
	}
	out := make([]float64, 0, len(x))
	for i, v := range x {
		if mask[i] {
			out = append(out, v)
		}
	}
	return out
}

// Quantile pairs a probability or level (or a target value) with a value.
type Quantile struct {
	P, Value float64
}

// Percentile returns the recorded percentile p, or computes it from the
// defined trials. It returns 0 when the output is not Valid (undefined
// in every trial); use PercentileOK to tell that apart.
func (o *OutputResult) Percentile(p float64) float64 {
	v, _ := o.PercentileOK(p)
	return v
}

// PercentileOK returns the percentile p of the defined trials and true,
// or 0 and false when the output is undefined in every trial.
func (o *OutputResult) PercentileOK(p float64) (float64, bool) {
	if o == nil || !o.Valid || len(o.DefinedSamples()) == 0 {
		return 0, false
	}
	for _, q := range o.Percentiles {
		if q.P == p {
			return q.Value, true
		}
	}
	s := slices.Clone(o.DefinedSamples())
	slices.Sort(s)
	return Percentile(s, p), true
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
// output. It is computed over the trials in which the output is defined
// (the inputs are defined in every trial, so the pairs are complete):
// rank correlations, means and the tail view all use those Trials.
type OutputSensitivity struct {
	Output scenario.Output
	// Inputs are index-aligned with Result.Inputs; nil when not Valid.
	Inputs []InputSensitivity
	// Trials is the number of trials it is computed over: those in which
	// the output is defined.
	Trials int
	// Valid is false when fewer than two trials are defined, too few to
	// rank: then Inputs is nil.
	Valid bool
}

// Paired is the comparison of an alternative with the base on the same
// draws.
type Paired struct {
	Name   string
	Output scenario.Output
	// Difference is the distribution of alternative − base, defined in
	// the trials in which the compared output is defined on both sides
	// (a ratio with net sales on both, a payback reached by both).
	Difference OutputResult
	// PBetter is the share of those trials in which the alternative is
	// strictly better (a positive difference); 0 and meaningless when
	// Difference is not Valid.
	PBetter float64
}

// Output returns the result of an output.
func (r *Result) Output(o scenario.Output) (*OutputResult, bool) {
	if r == nil {
		return nil, false
	}
	if o.Scope == "" {
		o.Scope = scenario.Portfolio
	}
	if o.View == "unallocated" {
		o.View = "" // the zero View is the unallocated one (costmodel.Unallocated)
	}
	for i := range r.Outputs {
		if r.Outputs[i].Output == o {
			return &r.Outputs[i], true
		}
	}
	return nil, false
}

// describe computes an output's statistics from the samples of its
// defined trials (mask nil: every trial is defined).
// scratch, when long enough, holds the sorted copy (it is overwritten, and
// returned grown for the next output).
func describe(o scenario.Output, samples []float64, mask []bool, opt *Options, targets []float64, scratch *[]float64) (OutputResult, error) {
	r := OutputResult{Output: o, Samples: samples}
	if mask != nil {
		for _, ok := range mask {
			if !ok {
				r.Undefined++
			}
		}
		if r.Undefined > 0 {
			r.Defined = mask
		}
	}
	defined := definedValues(samples, r.Defined)
	if len(defined) == 0 {
		return r, nil // undefined in every trial: no statistic
	}
	r.Valid = true
	var err error
	if r.Summary, err = Summarize(defined); err != nil {
		// A NaN or Inf output means the model met inputs it cannot take;
		// report it rather than let it into statistics or a workbook.
		return r, fmt.Errorf("montecarlo: output %s: %w", o, err)
	}
	var sorted []float64
	if scratch != nil {
		*scratch = append((*scratch)[:0], defined...)
		sorted = *scratch
	} else {
		sorted = slices.Clone(defined)
	}
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
	r.Histogram, _ = NewHistogram(defined, opt.Bins)
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
	// Each output's statistics (a sort and its percentiles, moments,
	// histogram) are independent: described on the run's workers, an
	// output at a time, and reported in output order (the first failure
	// in that order is the run's).
	res.Outputs = make([]OutputResult, len(e.plans))
	errs := make([]error, len(e.plans))
	// One sort buffer per goroutine, shared by the outputs' statistics
	// and the sensitivities: with 10^6 trials a buffer is 8 MB, and each
	// one more would add to the run's peak memory.
	scratch := make([][]float64, max(1, e.opt.Workers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(e.opt.Workers, len(e.plans)) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= len(e.plans) {
					return
				}
				errs[k] = e.describeOutput(k, trials, targets, &res.Outputs[k], &scratch[w])
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
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
		// Over the trials in which the output is defined: the inputs'
		// draws of those trials against the output's values.
		o := &res.Outputs[k]
		out := o.DefinedSamples()
		os := OutputSensitivity{Output: e.plans[k].out, Trials: len(out)}
		if len(out) >= 2 {
			ins := res.InputSamples
			if o.Defined != nil {
				ins = make([][]float64, len(res.InputSamples))
				for i, x := range res.InputSamples {
					ins[i] = definedValues(x, o.Defined)
				}
			}
			s, err := sensitivity(ins, out, e.opt.TailShare, e.opt.Workers, scratch)
			if err != nil {
				return nil, nil, err
			}
			os.Inputs, os.Valid = s, true
		}
		res.Sensitivity = append(res.Sensitivity, os)
	}
	names := []string{"base"}
	for _, a := range alts {
		names = append(names, a.Name)
	}
	res.Guardrails = e.guardResults(trials, names)
	res.Fans = e.fanResults(trials)
	var paired []Paired
	for i, a := range alts {
		if len(e.diffs) == 0 {
			break // alternatives for their guardrails only
		}
		var mask []bool
		if e.diffDefined[i] != nil {
			mask = e.diffDefined[i][:trials]
		}
		if err := e.checkFinite(e.cmp[0].out, e.diffs[i][:trials], mask); err != nil {
			return nil, nil, fmt.Errorf("alternative %s: %w", quote(a.Name), err)
		}
		diff, err := describe(e.cmp[0].out, e.diffs[i][:trials], mask, &e.opt, nil, nil)
		if err != nil {
			return nil, nil, err
		}
		pd := Paired{Name: a.Name, Output: e.cmp[0].out, Difference: diff}
		if d := diff.DefinedSamples(); len(d) > 0 {
			better := 0
			for _, v := range d {
				if v > 0 {
					better++
				}
			}
			pd.PBetter = float64(better) / float64(len(d))
		}
		paired = append(paired, pd)
	}
	return res, paired, nil
}

// checkFinite reports an output that is NaN or ±Inf in a defined trial:
// the model met inputs it cannot evaluate. The error names the output,
// how many trials, the first one (1-based, as the Samples sheet numbers
// them) and the inputs drawn in it, so the case can be reproduced; never
// a position in an internal slice.
func (e *engine) checkFinite(o scenario.Output, x []float64, mask []bool) error {
	bad, first := 0, -1
	for i, v := range x {
		if (mask == nil || mask[i]) && !finite(v) {
			if bad == 0 {
				first = i
			}
			bad++
		}
	}
	if bad == 0 {
		return nil
	}
	var drawn []string
	for i, ip := range e.sp.inputs {
		drawn = append(drawn, fmt.Sprintf("%s = %s", quote(ip.label), formatG(e.inputs[i][first])))
	}
	return fmt.Errorf("montecarlo: %s is not a finite number in %d of %d trials, first in trial %d (inputs %s): the model met inputs it cannot evaluate",
		o, bad, len(x), first+1, strings.Join(drawn, ", "))
}

// describeOutput computes the statistics of output k over the run's
// trials into o.
func (e *engine) describeOutput(k, trials int, targets []int, o *OutputResult, sorted *[]float64) error {
	pl := e.plans[k]
	var tg []float64
	for i, t := range targets {
		if t == k {
			tg = append(tg, e.opt.Targets[i].Value)
		}
	}
	var mask []bool
	if e.defined[k] != nil {
		mask = e.defined[k][:trials]
	}
	if err := e.checkFinite(pl.out, e.outputs[k][:trials], mask); err != nil {
		return err
	}
	d, err := describe(pl.out, e.outputs[k][:trials], mask, &e.opt, tg, sorted)
	if err != nil {
		return err
	}
	*o = d
	return nil
}
