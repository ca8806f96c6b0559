package report

import (
	"context"
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

// Progress is told how far a long step of Compute is: stage names the
// step ("monte carlo", "tornado"), done of total its units (trials,
// statements evaluated). It is called
// from one goroutine at a time.
type Progress func(stage string, done, total int)

// Compute runs the specs on p and returns the workbook's Options with
// every part the specs ask for, and Specs set to the specs as run (the
// trial count and seed used filled in), so that the workbook records
// them:
//
//   - the exact statement (costmodel.Evaluate);
//   - Scenarios compared with the base (scenario.Compare), Guardrails
//     checked on each (Guardrails.CheckRulesComparison and
//     CheckComparison; with guardrails and no scenarios, on the base
//     case alone);
//   - with Uncertainty, the Monte Carlo run (montecarlo.Run) with
//     Trials and Seed (else the spec's run settings), the guardrails
//     checked in every trial and the Fans; with a Renegotiation that has
//     a proposal, current and proposed terms on the same draws
//     (montecarlo.RunPaired, comparing the partnership's contribution);
//   - the Tornado (scenario.RunTornado);
//   - the Renegotiation (scenario.Fairness).
//
// progress, when not nil, is told the Monte Carlo run's trials done
// ("monte carlo") and the tornado's statements evaluated ("tornado").
// Every spec is checked before any work (Validate); Version, Title and
// the other presentation options are left for the caller.
func (s *Specs) Compute(ctx context.Context, p *costmodel.Portfolio, progress Progress) (Options, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := s.Validate(p); err != nil {
		return Options{}, err
	}
	run := *s
	opt := Options{Portfolio: p, Specs: &run}
	var err error
	if opt.Statement, err = costmodel.Evaluate(p); err != nil {
		return Options{}, err
	}
	if len(s.Scenarios) > 0 || len(s.Guardrails) > 0 {
		if opt.Comparison, err = scenario.Compare(p, s.Scenarios...); err != nil {
			return Options{}, err
		}
	}
	if len(s.Guardrails) > 0 {
		if opt.Guardrails, err = s.Guardrails.CheckRulesComparison(opt.Comparison); err != nil {
			return Options{}, err
		}
		if opt.Breaches, err = s.Guardrails.CheckComparison(opt.Comparison); err != nil {
			return Options{}, err
		}
	}
	if s.Uncertainty != nil {
		mo := montecarlo.Options{Trials: s.Trials, Seed: s.Seed, Guardrails: s.Guardrails, Fans: s.Fans}
		if progress != nil {
			mo.Progress = func(done, total int) { progress("monte carlo", done, total) }
		}
		if r := s.Renegotiation; r != nil && r.Proposed != nil {
			q, err := r.Proposed.Apply(p)
			if err != nil {
				return Options{}, err
			}
			ours := scenario.Output{Scope: scenario.Partnership, Key: r.Partnership, Metric: scenario.Contribution}
			opt.Simulation, opt.Paired, err = montecarlo.RunPaired(ctx, p, s.Uncertainty, mo, ours,
				montecarlo.Alternative{Name: r.Proposed.Name, Portfolio: q})
			if err != nil {
				return Options{}, err
			}
		} else if opt.Simulation, err = montecarlo.Run(ctx, p, s.Uncertainty, mo); err != nil {
			return Options{}, err
		}
		opt.Uncertainty = s.Uncertainty
		opt.Seed, opt.Trials = opt.Simulation.Seed, opt.Simulation.Trials
		run.Seed, run.Trials = opt.Seed, opt.Trials
	}
	if t := s.Tornado; t != nil {
		out := t.Output
		if out == (scenario.Output{}) {
			out = scenario.Output{Metric: scenario.Contribution}
		}
		var tp func(done, total int)
		if progress != nil {
			tp = func(done, total int) { progress("tornado", done, total) }
		}
		if opt.Tornado, err = scenario.RunTornadoProgress(p, out, t.Inputs, tp); err != nil {
			return Options{}, fmt.Errorf("tornado: %w", err)
		}
	}
	if r := s.Renegotiation; r != nil {
		if opt.Fairness, err = scenario.Fairness(p, r.Negotiation()); err != nil {
			return Options{}, fmt.Errorf("renegotiation: %w", err)
		}
	}
	return opt, nil
}
