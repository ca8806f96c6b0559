package montecarlo

import (
	"context"
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/scenario"
)

// Guardrails in the simulation: P(breach) of each rule (Options.Guardrails)
// under the base and each alternative, on the same draws. Each rule's
// values are the Outputs it reads (scenario.Rule.Output, one per cell and
// window), compiled into the tape beside the recorded outputs and read in
// the trial loop; only counts and sums are kept per block, never the
// trials' values, and they are merged in block order so that the result
// does not depend on the number of workers.

// GuardrailResult is one rule under one model of a run (the base, or an
// alternative) over the run's trials.
type GuardrailResult struct {
	// Scenario is "base" or the alternative's name; Rule the rule.
	Scenario string
	Rule     scenario.Rule
	Trials   int
	// PBreach is the share of trials with at least one breach, in any
	// window and any cell; SE its standard error √(p(1 − p)/n) (the
	// binomial one, which Latin Hypercube sampling can only improve on).
	PBreach, SE float64
	// Shortfall is the expected distance past the limit given a breach:
	// the mean, over the trials with a breach, of the largest exceedance
	// over the windows and cells (in the metric's units: a ratio's points
	// as a fraction, an amount in the currency). 0 with no breach.
	Shortfall float64
	// Undefined counts the trials in which some cell's value was
	// undefined in some window (no net sales): such a value is not
	// checked, and is not a breach.
	Undefined int
	// Windows are the rule's windows, in order; MostBreached is the index
	// of the one breached in the most trials (the first among equals),
	// −1 when none is ever breached.
	Windows      []WindowBreach
	MostBreached int
}

// WindowBreach is one window of a rule: P(breach in this window, in any
// cell), its standard error and the expected shortfall given a breach
// there.
type WindowBreach struct {
	Window              scenario.Window
	PBreach, SE         float64
	Shortfall           float64
	Breached, Undefined int // trials
}

// RunScenarios simulates the base portfolio and each alternative (a
// scenario applied to it) on the same draws and reports the guardrails
// of opt.Guardrails under each: Result.Guardrails holds the base's rules
// (Scenario "base") and then each alternative's, in order. The rest of
// the result is Run's for the base.
func RunScenarios(ctx context.Context, p *costmodel.Portfolio, spec *Spec, opt Options, alts ...Alternative) (*Result, error) {
	if len(opt.Guardrails) == 0 {
		return nil, errNil("guardrails", "at least one guardrail (Options.Guardrails) to check under the scenarios")
	}
	r, _, err := run(ctx, p, spec, opt, scenario.Output{}, alts)
	return r, err
}

// guardPlan is one rule of a run, resolved.
type guardPlan struct {
	rule           scenario.Rule
	min, max       float64
	hasMin, hasMax bool
	windows        []scenario.Window
	// cells[w] are the indices, in the rule plans, of window w's cells.
	cells [][]int
}

// exceed is how far past the limits v is (> 0 is a breach).
func (g *guardPlan) exceed(v float64) float64 {
	ex := math.Inf(-1)
	if g.hasMin {
		ex = g.min - v
	}
	if g.hasMax {
		ex = math.Max(ex, v-g.max)
	}
	return ex
}

// worst raises win[j] to how far past the limits vs[j] is, where that
// is more (exceed, with the limits' cases taken outside the loop).
func (g *guardPlan) worst(win, vs []float64) {
	vs = vs[:len(win)]
	switch lo, hi := g.min, g.max; {
	case !g.hasMax:
		for j, v := range vs {
			if ex := lo - v; ex > win[j] {
				win[j] = ex
			}
		}
	case !g.hasMin:
		for j, v := range vs {
			if ex := v - hi; ex > win[j] {
				win[j] = ex
			}
		}
	default:
		for j, v := range vs {
			if ex := max(lo-v, v-hi); ex > win[j] {
				win[j] = ex
			}
		}
	}
}

// worstRatio is worst for the ratios vs[j]/ns[j], marking winUn[j] where
// ns[j] is 0 (the ratio undefined); r is scratch as long as win.
func (g *guardPlan) worstRatio(win []float64, winUn []bool, vs, ns, r []float64) {
	// An undefined trial's ratio is a limit itself, which breaches
	// nothing (exceed ≤ 0: the rules' min ≤ max, and win[j] ≥ 0).
	inside := g.max
	if g.hasMin {
		inside = g.min
	}
	r, vs, ns = r[:len(win)], vs[:len(win)], ns[:len(win)]
	for j, v := range vs {
		if ns[j] == 0 {
			winUn[j], r[j] = true, inside
			continue
		}
		r[j] = v / ns[j]
	}
	g.worst(win, r)
}

// guardCount is what a block keeps of one rule's window (or, last, of
// the rule over every window): trials breached and undefined, and the sum
// of their exceedances.
type guardCount struct {
	breached, undefined int
	exceed              float64
}

// planGuardrails checks the rules against the portfolio and resolves the
// outputs they read, in rule, window, cell order.
func planGuardrails(p *costmodel.Portfolio, lay *layout, rules scenario.Guardrails, pr *costmodel.Problems) ([]guardPlan, []outPlan) {
	if len(rules) == 0 {
		return nil, nil
	}
	if err := rules.ValidateFor(p); err != nil {
		pr.Merge("", err)
		return nil, nil
	}
	var gps []guardPlan
	var plans []outPlan
	for _, r := range rules {
		ws, _ := r.Window.Windows(lay.start, lay.months)
		g := guardPlan{rule: r, windows: ws}
		if r.Min != nil {
			g.min, g.hasMin = r.Min.InexactFloat64(), true
		}
		if r.Max != nil {
			g.max, g.hasMax = r.Max.InexactFloat64(), true
		}
		keys := scenario.PortfolioKeys(p, r.Scope)
		if r.Scope != "" && r.Scope != scenario.Portfolio && r.Key != "*" {
			keys = []string{r.Key}
		}
		for _, w := range ws {
			var outs []scenario.Output
			for _, k := range keys {
				outs = append(outs, r.Output(k, w))
			}
			var none costmodel.Problems // validated above
			ps := lay.resolve(outs, "guardrails", &none)
			if none.Len() > 0 {
				pr.Merge("", none.Err())
				return nil, nil
			}
			idx := make([]int, len(ps))
			for i := range ps {
				idx[i] = len(plans) + i
			}
			plans = append(plans, ps...)
			g.cells = append(g.cells, idx)
		}
		gps = append(gps, g)
	}
	return gps, plans
}

// guardScratch is a worker's scratch for the rules, one value per trial
// of a tape block.
type guardScratch struct {
	rule, win     []float64
	ruleUn, winUn []bool
	// vals and nss hold derived sums (sumValues), outs ratios (worstRatio)
	vals, nss, outs []float64
	// payback's running totals: the cumulative flow, whether a non-zero
	// flow was seen, and the month reached (1-based, 0 not yet)
	cum     []float64
	started []bool
	month   []int
}

// paybackSums computes, for the first n trials, the payback month of the
// flows (one guard sum a month) as tapeRead.value does month by month:
// from the first non-zero flow, the first month whose cumulative flow is
// ≥ 0; 0 when none within the horizon.
func (tm *tapeModel) paybackSums(ws *graph.Workspace, flows []int, n int, gs *guardScratch) {
	if gs.cum == nil {
		b := graph.DefaultBlock
		gs.cum, gs.started, gs.month = make([]float64, b), make([]bool, b), make([]int, b)
	}
	cum, started, month := gs.cum[:n], gs.started[:n], gs.month[:n]
	for j := range cum {
		cum[j], started[j], month[j] = 0, false, 0
	}
	left := n
	for t, s := range flows {
		for j, v := range tm.sumValues(ws, s, n, gs.vals) {
			if month[j] != 0 {
				continue
			}
			cum[j] += v
			started[j] = started[j] || v != 0
			if started[j] && cum[j] >= 0 {
				month[j] = t + 1
				left--
			}
		}
		if left == 0 {
			return
		}
	}
}

// guardTrials checks the rules on the last tape run of model mi (nb
// trials), adding to the block's counts acc (model mi's part).
func (e *engine) guardTrials(w *worker, tm *tapeModel, ws *graph.Workspace, nb int, acc []guardCount) {
	if w.guard.rule == nil {
		n := graph.DefaultBlock
		w.guard = guardScratch{rule: make([]float64, n), win: make([]float64, n), ruleUn: make([]bool, n), winUn: make([]bool, n),
			vals: make([]float64, n), nss: make([]float64, n), outs: make([]float64, n)}
	}
	gs := &w.guard
	M := e.lay.months
	at := 0 // the rule's first count in acc
	for gi := range e.guards {
		g := &e.guards[gi]
		rule, ruleUn := gs.rule[:nb], gs.ruleUn[:nb]
		for j := range rule {
			rule[j], ruleUn[j] = 0, false
		}
		for wi, cells := range g.cells {
			win, winUn := gs.win[:nb], gs.winUn[:nb]
			for j := range win {
				win[j], winUn[j] = 0, false
			}
			for _, c := range cells {
				rd := &tm.reads[tm.guardAt+c]
				switch {
				case rd.flowSums != nil: // payback, its flows as guard sums
					tm.paybackSums(ws, rd.flowSums, nb, gs)
					for j, t := range gs.month[:nb] {
						if t == 0 {
							winUn[j] = true
							continue
						}
						if ex := g.exceed(float64(t)); ex > win[j] {
							win[j] = ex
						}
					}
				case rd.sum >= 0 && rd.nsSum < 0: // an amount, as guard sums
					g.worst(win, tm.sumValues(ws, rd.sum, nb, gs.vals))
				case rd.sum >= 0: // a ratio, as guard sums
					g.worstRatio(win, winUn, tm.sumValues(ws, rd.sum, nb, gs.vals), tm.sumValues(ws, rd.nsSum, nb, gs.nss), gs.outs)
				case rd.flows < 0 && rd.ns < 0: // an amount
					g.worst(win, ws.Output(rd.out, nb))
				case rd.flows < 0: // a ratio
					g.worstRatio(win, winUn, ws.Output(rd.out, nb), ws.Output(rd.ns, nb), gs.outs)
				default: // NPV at an uncertain rate, payback
					for j := range nb {
						v, ok := rd.value(ws, j, nb, M, w.rate[j])
						if !ok {
							winUn[j] = true
							continue
						}
						if ex := g.exceed(v); ex > win[j] {
							win[j] = ex
						}
					}
				}
			}
			ct := &acc[at+wi]
			for j, ex := range win {
				if ex > 0 {
					ct.breached++
					ct.exceed += ex
					rule[j] = math.Max(rule[j], ex)
				} else if winUn[j] {
					ct.undefined++
				}
				ruleUn[j] = ruleUn[j] || winUn[j]
			}
		}
		ct := &acc[at+len(g.cells)]
		for j, ex := range rule {
			if ex > 0 {
				ct.breached++
				ct.exceed += ex
			}
			if ruleUn[j] {
				ct.undefined++
			}
		}
		at += len(g.cells) + 1
	}
}

// guardCounts is the number of counts of one model in a block.
func (e *engine) guardCounts() int {
	n := 0
	for _, g := range e.guards {
		n += len(g.cells) + 1
	}
	return n
}

// guardResults merges the blocks' counts, in block order, into each
// model's results.
func (e *engine) guardResults(trials int, names []string) []GuardrailResult {
	if len(e.guards) == 0 {
		return nil
	}
	per := e.guardCounts()
	tot := make([]guardCount, per*len(e.models))
	for b, acc := range e.guardAcc {
		if start, _ := e.span(b); start >= trials || acc == nil {
			continue // a block run past the convergence point
		}
		for i, c := range acc {
			tot[i].breached += c.breached
			tot[i].undefined += c.undefined
			tot[i].exceed += c.exceed
		}
	}
	n := float64(trials)
	prob := func(c guardCount) (p, se, sf float64) {
		p = float64(c.breached) / n
		se = math.Sqrt(p * (1 - p) / n)
		if c.breached > 0 {
			sf = c.exceed / float64(c.breached)
		}
		return p, se, sf
	}
	var out []GuardrailResult
	for mi := range e.models {
		at := mi * per
		for gi := range e.guards {
			g := &e.guards[gi]
			r := GuardrailResult{Scenario: names[mi], Rule: g.rule, Trials: trials, MostBreached: -1}
			for wi, w := range g.windows {
				c := tot[at+wi]
				wb := WindowBreach{Window: w, Breached: c.breached, Undefined: c.undefined}
				wb.PBreach, wb.SE, wb.Shortfall = prob(c)
				if c.breached > 0 && (r.MostBreached < 0 || c.breached > r.Windows[r.MostBreached].Breached) {
					r.MostBreached = wi
				}
				r.Windows = append(r.Windows, wb)
			}
			c := tot[at+len(g.windows)]
			r.PBreach, r.SE, r.Shortfall = prob(c)
			r.Undefined = c.undefined
			out = append(out, r)
			at += len(g.windows) + 1
		}
	}
	return out
}

// Guardrail returns the result of the rule with the given label under a
// scenario ("base" for the base).
func (r *Result) Guardrail(scenarioName, label string) (*GuardrailResult, bool) {
	if r == nil {
		return nil, false
	}
	for i := range r.Guardrails {
		if g := &r.Guardrails[i]; g.Scenario == scenarioName && g.Rule.Label() == label {
			return g, true
		}
	}
	return nil, false
}

// String says the window's P(breach) in words: "P(breach) in peak 2027
// (11, 12) = 38.0 % ± 0.5 %".
func (w WindowBreach) String() string {
	return fmt.Sprintf("P(breach) in %s = %.1f %% ± %.1f %%", w.Window, 100*w.PBreach, 100*w.SE)
}
