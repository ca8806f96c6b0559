package montecarlo

import (
	"fmt"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/scenario"
)

// Fan charts: the distribution of an output's cumulative monthly path.
// For each output of Options.Fans the run reads the output month by month
// from the tape beside the recorded outputs, accumulates it within the
// trial and keeps the running total of every month (one float64 a month
// a trial, allocated once before the blocks run, never per trial). The
// per-month quantiles are computed once the run is done (Result.Fans).

// Fan is the distribution, month by month, of an output's cumulative
// total from the first month of the horizon: month t's figures are of
// the sum of the output over months 1 to t. Quantiles are PERCENTILE.INC
// as the outputs' percentiles.
type Fan struct {
	// Output is the output accumulated (an amount over the horizon).
	Output scenario.Output
	// Months are the months of the horizon, in order; every slice below
	// has one entry a month.
	Months []costmodel.Month
	// Mean is the mean of the cumulative total; P5 … P95 its 5th, 25th,
	// 50th, 75th and 95th percentiles over the trials.
	Mean                   []float64
	P5, P25, P50, P75, P95 []float64
	// Trials is the number of trials the figures are over.
	Trials int
}

// Fan returns the fan of an output asked for in Options.Fans.
func (r *Result) Fan(o scenario.Output) (*Fan, bool) {
	if r == nil {
		return nil, false
	}
	if o.Scope == "" {
		o.Scope = scenario.Portfolio
	}
	if o.View == costmodel.Unallocated {
		o.View = ""
	}
	for i := range r.Fans {
		if r.Fans[i].Output == o {
			return &r.Fans[i], true
		}
	}
	return nil, false
}

// planFans checks the fans' outputs and resolves the monthly outputs
// they read: fan f's month t is entry f·M + t.
func planFans(lay *layout, fans []scenario.Output, pr *costmodel.Problems) ([]scenario.Output, []outPlan) {
	var outs []scenario.Output
	var plans []outPlan
	for i, o := range fans {
		at := fmt.Sprintf("fans[%d]", i)
		if o.Scope == "" {
			o.Scope = scenario.Portfolio
		}
		if o.View == costmodel.Unallocated {
			o.View = ""
		}
		if _, ok := o.Metric.Line(); !ok || o.Metric.IsRatio() {
			pr.Add(at+".metric", quote(o.Metric), "an amount (gmv, net_sales, cm1 … contribution, net_cash_flow): a cumulative path of a ratio, NPV or payback month is not a sum")
			continue
		}
		if !o.Window.IsHorizon() {
			pr.Add(at+".window", o.Window.String(), "the whole horizon (a fan runs over every month)")
			continue
		}
		monthly := make([]scenario.Output, lay.months)
		for t := range monthly {
			monthly[t] = o
			monthly[t].Window = scenario.Window{Kind: costmodel.WindowMonth, Month: lay.start.Add(t)}
		}
		var sub costmodel.Problems
		ps := lay.resolve(monthly, at, &sub)
		if sub.Len() > 0 {
			pr.Merge("", sub.Err())
			continue
		}
		outs = append(outs, o)
		plans = append(plans, ps...)
	}
	return outs, plans
}

// fanTrials adds the cumulative paths of the last tape run (nb trials,
// the run's trials from `at`) to the fans' samples.
func (e *engine) fanTrials(w *worker, tm *tapeModel, ws *graph.Workspace, at, nb int) {
	if w.fanCum == nil {
		w.fanCum = make([]float64, graph.DefaultBlock)
	}
	M, T := e.lay.months, e.opt.Trials
	for f := range e.fans {
		cum := w.fanCum[:nb]
		clear(cum)
		vals := e.fanVals[f]
		for t := range M {
			rd := &tm.reads[tm.fanAt+f*M+t]
			dst := vals[t*T+at : t*T+at+nb]
			for j, v := range ws.Output(rd.out, nb)[:nb] {
				cum[j] += v
				dst[j] = cum[j]
			}
		}
	}
}

// fanResults computes the fans' per-month statistics over the first
// `trials` trials (sorting the samples in place: they are not kept).
func (e *engine) fanResults(trials int) []Fan {
	if len(e.fans) == 0 {
		return nil
	}
	M, T := e.lay.months, e.opt.Trials
	months := make([]costmodel.Month, M)
	for t := range months {
		months[t] = e.lay.start.Add(t)
	}
	res := make([]Fan, len(e.fans))
	for f, o := range e.fans {
		fn := Fan{Output: o, Months: months, Trials: trials}
		for _, s := range []*[]float64{&fn.Mean, &fn.P5, &fn.P25, &fn.P50, &fn.P75, &fn.P95} {
			*s = make([]float64, M)
		}
		for t := range M {
			x := e.fanVals[f][t*T : t*T+trials]
			sum := 0.0
			for _, v := range x {
				sum += v
			}
			if trials > 0 {
				fn.Mean[t] = sum / float64(trials)
			}
			slices.Sort(x)
			fn.P5[t], fn.P25[t], fn.P50[t] = Percentile(x, 0.05), Percentile(x, 0.25), Percentile(x, 0.50)
			fn.P75[t], fn.P95[t] = Percentile(x, 0.75), Percentile(x, 0.95)
		}
		res[f] = fn
	}
	return res
}
