package montecarlo

import (
	"context"
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// Price discipline at a confidence: the stochastic counterpart of
// scenario.LargestSafeDiscount.

// DefaultCutStep is the resolution of SafeDiscount's answer when
// SafeDiscountOptions.Step is zero: 0.1 percentage point of price.
const DefaultCutStep = 0.001

// SafeDiscountOptions say what SafeDiscount seeks.
type SafeDiscountOptions struct {
	// Categories is the category pattern whose prices are cut ("*/beauty",
	// "amazon-us/*"), as scenario.CutPrices reads it.
	Categories string
	// Level is the highest P(breach) accepted, strictly between 0 and 1
	// (0.05: a cut is safe when every rule breaks in at most 5 % of
	// futures).
	Level float64
	// MaxCut is the deepest cut considered, in (0, 1) (0.30 for 30 %).
	MaxCut float64
	// Step is the answer's resolution, in (0, MaxCut]; 0 means
	// DefaultCutStep.
	Step float64
}

// SafeCut is the deepest price cut whose P(breach) stays at or below the
// level, under every rule of the run's guardrails.
type SafeCut struct {
	// Cut is the deepest cut c in [0, MaxCut], to Step, with P(breach)(c)
	// ≤ Level for every rule; PBreach is the largest rule's P(breach) at
	// Cut and SE its standard error. NoSafeCut is set, and Cut is 0, when
	// even no cut breaks a rule more often than Level; AtMax when MaxCut
	// itself is safe (the bracket does not reach the limit).
	Cut, PBreach, SE float64
	NoSafeCut, AtMax bool
	// Lower and Upper are the deepest cuts at the level less and plus one
	// standard error of P(breach) at the level (√(Level(1 − Level)/n)):
	// the answer the trial count can tell apart from Cut. Resolved is
	// set when Upper − Lower ≤ Step; otherwise TrialsToResolve is the
	// trial count that would narrow them to Step (the band shrinks as
	// 1/√n).
	Lower, Upper    float64
	Resolved        bool
	TrialsToResolve int
	// Trials is the run's trial count; Evaluations the cuts simulated.
	Trials, Evaluations int
}

// SafeDiscount finds the deepest price cut on the categories for which
// P(breach) of every rule of opt.Guardrails stays at or below o.Level,
// by bisection over [0, o.MaxCut] (P(breach) does not decrease as the
// cut deepens: the bracket must hold that). Every candidate cut is
// simulated with opt's seed, so on the same draws (common random
// numbers): the estimated P(breach) is then monotone in the cut whenever
// the model is, and bisection cannot be misled by noise between
// candidates. opt.Outputs is ignored (only the rules are simulated).
func SafeDiscount(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options, o SafeDiscountOptions) (*SafeCut, error) {
	var pr costmodel.Problems
	if p == nil {
		pr.Add("portfolio", "", "a portfolio (got nil)")
	}
	if len(opt.Guardrails) == 0 {
		pr.Add("guardrails", "", "at least one guardrail (Options.Guardrails) whose P(breach) the cut must keep at the level")
	}
	if !(o.Level > 0 && o.Level < 1) {
		pr.Add("level", formatG(o.Level), "a probability strictly between 0 and 1 (0.05 for 5 %)")
	}
	if !(o.MaxCut > 0 && o.MaxCut < 1) {
		pr.Add("max_cut", formatG(o.MaxCut), "a deepest cut strictly between 0 and 1 (0.30 for 30 %)")
	}
	step := o.Step
	if step == 0 {
		step = DefaultCutStep
	}
	if !(step > 0) || (o.MaxCut > 0 && step > o.MaxCut) {
		pr.Add("step", formatG(o.Step), "a resolution above 0 and at most max_cut (0 for 0.001)")
	}
	if p != nil {
		if _, err := scenario.CutPrices(p, o.Categories, decimal.Zero); err != nil {
			pr.Merge("categories", err)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	opt.Outputs = []scenario.Output{}
	opt.Convergence = nil
	opt.Sensitivity = []scenario.Output{}
	cache := map[float64]float64{}
	res := &SafeCut{}
	at := func(c float64) (float64, error) {
		if v, ok := cache[c]; ok {
			return v, nil
		}
		q, err := scenario.CutPrices(p, o.Categories, decimal.NewFromFloat(c).Round(9))
		if err != nil {
			return 0, err
		}
		r, err := Run(ctx, q, spec, opt)
		if err != nil {
			return 0, fmt.Errorf("price cut %s: %w", formatG(c), err)
		}
		worst := 0.0
		for _, g := range r.Guardrails {
			worst = math.Max(worst, g.PBreach)
		}
		res.Trials = r.Trials
		res.Evaluations++
		cache[c] = worst
		return worst, nil
	}
	// deepest is the deepest cut, to step, with P(breach) ≤ level; −1
	// when no cut is.
	deepest := func(level float64) (float64, error) {
		p0, err := at(0)
		if err != nil || p0 > level {
			return -1, err
		}
		pm, err := at(o.MaxCut)
		if err != nil || pm <= level {
			return o.MaxCut, err
		}
		lo, hi := 0.0, o.MaxCut // P(lo) ≤ level < P(hi)
		for hi-lo > step {
			mid := math.Round((lo+hi)/2/step*4) * step / 4 // on a grid, so that the cache finds repeats
			if mid <= lo || mid >= hi {
				mid = (lo + hi) / 2
			}
			pm, err := at(mid)
			if err != nil {
				return 0, err
			}
			if pm <= level {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo, nil
	}
	cut, err := deepest(o.Level)
	if err != nil {
		return nil, err
	}
	n := float64(res.Trials)
	se := math.Sqrt(o.Level * (1 - o.Level) / n)
	lower, err := deepest(o.Level - se)
	if err != nil {
		return nil, err
	}
	upper, err := deepest(o.Level + se)
	if err != nil {
		return nil, err
	}
	res.Cut, res.Lower, res.Upper = math.Max(cut, 0), math.Max(lower, 0), math.Max(upper, 0)
	res.NoSafeCut = cut < 0
	res.AtMax = cut == o.MaxCut
	res.PBreach = cache[res.Cut]
	res.SE = math.Sqrt(res.PBreach * (1 - res.PBreach) / n)
	width := res.Upper - res.Lower
	if lower < 0 && upper >= 0 {
		width = math.Max(width, step*2) // at the edge of no safe cut: not told apart
	}
	res.Resolved = width <= step
	if !res.Resolved {
		res.TrialsToResolve = int(math.Ceil(n * (width / step) * (width / step)))
	}
	return res, nil
}
