package report

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
)

// checkParts reports every optional part of opt that is set but holds
// nothing a sheet could show (a zero value: &scenario.Tornado{},
// &montecarlo.Result{}, a Breach with no fields) or whose parts disagree
// in length, so that Write returns an error instead of writing zeros the
// user never computed, or panicking on a short slice. The parts are
// checked for shape only; their figures are the scenario and montecarlo
// packages' results.
func checkParts(opt *Options) error {
	var pr costmodel.Problems
	if c := opt.Comparison; c != nil {
		if c.Base == nil {
			pr.Add("Options.Comparison.Base", "nil", "the base statement (scenario.Compare fills it)")
		}
		if len(c.Statements) != len(c.Scenarios) {
			pr.Add("Options.Comparison.Statements", fmt.Sprintf("%d statements for %d scenarios", len(c.Statements), len(c.Scenarios)), "one statement per scenario (scenario.Compare fills them)")
		}
	}
	for i, br := range opt.Breaches {
		if br.Scenario == "" && br.Rule == "" && br.Metric == "" {
			pr.Add(fmt.Sprintf("Options.Breaches[%d]", i), "an empty breach", "a breach from scenario.Guardrails.CheckComparison")
		}
	}
	if t := opt.Tornado; t != nil && len(t.Bars) == 0 {
		pr.Add("Options.Tornado.Bars", "none", "at least one bar (scenario.RunTornado); leave Tornado nil for none")
	}
	if s := opt.Spider; s != nil {
		if len(s.Steps) == 0 || len(s.Lines) == 0 {
			pr.Add("Options.Spider", fmt.Sprintf("%d steps, %d lines", len(s.Steps), len(s.Lines)), "steps and lines (scenario.RunSpider); leave Spider nil for none")
		}
		for k, l := range s.Lines {
			if len(l.Values) != len(s.Steps) {
				pr.Add(fmt.Sprintf("Options.Spider.Lines[%d].Values", k), fmt.Sprintf("%d values", len(l.Values)), fmt.Sprintf("one value per step (%d)", len(s.Steps)))
			}
		}
	}
	if t := opt.Table; t != nil {
		if len(t.Rows.Values) == 0 || len(t.Cols.Values) == 0 {
			pr.Add("Options.Table", fmt.Sprintf("%d × %d values", len(t.Rows.Values), len(t.Cols.Values)), "values on both axes (scenario.RunTable); leave Table nil for none")
		}
		if len(t.Cells) != len(t.Rows.Values) {
			pr.Add("Options.Table.Cells", fmt.Sprintf("%d rows", len(t.Cells)), fmt.Sprintf("one row per row value (%d)", len(t.Rows.Values)))
		}
		for i, r := range t.Cells {
			if len(r) != len(t.Cols.Values) {
				pr.Add(fmt.Sprintf("Options.Table.Cells[%d]", i), fmt.Sprintf("%d cells", len(r)), fmt.Sprintf("one cell per column value (%d)", len(t.Cols.Values)))
			}
		}
	}
	if fs := opt.Fairness; fs != nil {
		found := false
		for _, ps := range opt.Portfolio.Partnerships {
			found = found || ps.ID == fs.Partnership
		}
		if !found {
			pr.Add("Options.Fairness.Partnership", fmt.Sprintf("%q", fs.Partnership), "a partnership of Options.Portfolio (scenario.Fairness fills it)")
		}
	}
	checkFairnessReview(&pr, opt.Portfolio, opt.FairnessReview)
	checkTrajectories(&pr, opt.Trajectories)
	if r := opt.Simulation; r != nil {
		checkSimulation(&pr, r)
	}
	for i, pd := range opt.Paired {
		at := fmt.Sprintf("Options.Paired[%d]", i)
		if len(pd.Difference.Samples) == 0 {
			pr.Add(at+".Difference.Samples", "none", "the trials' differences (montecarlo.RunPaired)")
		}
		if pd.Name == "" {
			pr.Add(at+".Name", `""`, "the alternative's name")
		}
	}
	return pr.Err()
}

// checkSimulation checks that a simulation result has trials and that its
// slices are as long as its trials and inputs say.
func checkSimulation(pr *costmodel.Problems, r *montecarlo.Result) {
	const at = "Options.Simulation"
	if r.Trials <= 0 {
		pr.Add(at+".Trials", fmt.Sprint(r.Trials), "at least 1 trial (montecarlo.Run); leave Simulation nil for none")
		return
	}
	if len(r.Outputs) == 0 {
		pr.Add(at+".Outputs", "none", "at least one recorded output (montecarlo.Run)")
	}
	if len(r.InputSamples) != len(r.Inputs) || len(r.Clamped) != len(r.Inputs) {
		pr.Add(at+".InputSamples", fmt.Sprintf("%d sample columns and %d clamp counts for %d inputs", len(r.InputSamples), len(r.Clamped), len(r.Inputs)), "one of each per input")
	}
	for i, s := range r.InputSamples {
		if len(s) < r.Trials {
			pr.Add(fmt.Sprintf("%s.InputSamples[%d]", at, i), fmt.Sprintf("%d samples", len(s)), fmt.Sprintf("one per trial (%d)", r.Trials))
		}
	}
	for k := range r.Outputs {
		o := &r.Outputs[k]
		if len(o.Samples) < r.Trials {
			pr.Add(fmt.Sprintf("%s.Outputs[%d].Samples", at, k), fmt.Sprintf("%d samples", len(o.Samples)), fmt.Sprintf("one per trial (%d)", r.Trials))
		}
		if o.Defined != nil && len(o.Defined) != len(o.Samples) {
			pr.Add(fmt.Sprintf("%s.Outputs[%d].Defined", at, k), fmt.Sprintf("%d marks for %d samples", len(o.Defined), len(o.Samples)), "one mark per sample, or nil when every trial is defined")
		}
		if h := o.Histogram; len(h.Counts) > 0 && len(h.Edges) != len(h.Counts)+1 {
			pr.Add(fmt.Sprintf("%s.Outputs[%d].Histogram", at, k), fmt.Sprintf("%d edges for %d bins", len(h.Edges), len(h.Counts)), "one edge more than bins")
		}
	}
	for k, s := range r.Sensitivity {
		if len(s.Inputs) != len(r.Inputs) {
			pr.Add(fmt.Sprintf("%s.Sensitivity[%d].Inputs", at, k), fmt.Sprintf("%d inputs", len(s.Inputs)), fmt.Sprintf("one per input (%d)", len(r.Inputs)))
		}
	}
}
