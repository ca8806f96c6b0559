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

// A window's exceedance in a trial is the largest over its cells of how
// far past the limits each value v is, max(min − v, v − max), or 0 when
// none is past them. It is kept as the cells' lowest value against the
// floor and their highest against the ceiling, min − lowest and highest −
// max: fl(min − v) falls as v rises (float subtraction is monotonic), so
// this is, bit for bit, the largest of the cells' exceedances, at one
// comparison a cell instead of a subtraction and a comparison. Only a
// value past a limit counts, so the lowest starts at the floor and the
// highest at the ceiling: a value is stored only where it breaches
// (x − y is 0 only for x = y, so a value past the limit is one by more
// than 0).

// lowest lowers lo[j] to vs[j] and raises hi[j] to it where that is
// further out (lo for a floor, hi for a ceiling; nil when the rule has
// none).
func lowest(lo, hi, vs []float64) {
	if lo != nil {
		vs := vs[:len(lo)]
		for j, v := range vs {
			if v < lo[j] {
				lo[j] = v
			}
		}
	}
	if hi != nil {
		vs := vs[:len(hi)]
		for j, v := range vs {
			if v > hi[j] {
				hi[j] = v
			}
		}
	}
}

// lowestRatio is lowest for the ratios vs[j]/ns[j], marking un[j] where
// ns[j] is 0 (the ratio undefined: not checked, and not a breach).
func lowestRatio(lo, hi []float64, un []bool, vs, ns []float64) {
	n := len(un)
	vs, ns = vs[:n], ns[:n]
	switch {
	case hi == nil:
		lo = lo[:n]
		for j, v := range vs {
			if ns[j] == 0 {
				un[j] = true
			} else if r := v / ns[j]; r < lo[j] {
				lo[j] = r
			}
		}
	case lo == nil:
		hi = hi[:n]
		for j, v := range vs {
			if ns[j] == 0 {
				un[j] = true
			} else if r := v / ns[j]; r > hi[j] {
				hi[j] = r
			}
		}
	default:
		lo, hi = lo[:n], hi[:n]
		for j, v := range vs {
			if ns[j] == 0 {
				un[j] = true
				continue
			}
			r := v / ns[j]
			if r < lo[j] {
				lo[j] = r
			}
			if r > hi[j] {
				hi[j] = r
			}
		}
	}
}

// lowestOne is lowest for one trial's value v.
func lowestOne(lo, hi []float64, j int, v float64) {
	if lo != nil && v < lo[j] {
		lo[j] = v
	}
	if hi != nil && v > hi[j] {
		hi[j] = v
	}
}

// exceedances writes into ex[j] how far past the limits the window's
// lowest and highest values are (0: no breach).
func (g *guardPlan) exceedances(ex, lo, hi []float64) {
	switch {
	case !g.hasMax:
		for j, v := range lo[:len(ex)] {
			ex[j] = g.min - v
		}
	case !g.hasMin:
		for j, v := range hi[:len(ex)] {
			ex[j] = v - g.max
		}
	default:
		lo, hi = lo[:len(ex)], hi[:len(ex)]
		for j := range ex {
			ex[j] = max(g.min-lo[j], hi[j]-g.max)
		}
	}
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
	rule, ex      []float64
	lo, hi        []float64 // a window's lowest and highest values
	ruleUn, winUn []bool
	// vals and nss hold derived sums (sumValues); shared the shared sums
	// of the last tape run once sharedReady (addShared); src is
	// sumValues' scratch
	vals, nss   []float64
	shared      [][]float64
	sharedReady bool
	src         [][]float64
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
		for j, v := range tm.sumValues(ws, s, n, gs.vals, gs) {
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
		w.guard = guardScratch{rule: make([]float64, n), ex: make([]float64, n), lo: make([]float64, n), hi: make([]float64, n),
			ruleUn: make([]bool, n), winUn: make([]bool, n), vals: make([]float64, n), nss: make([]float64, n)}
	}
	gs := &w.guard
	tm.addShared(ws, nb, gs)
	M := e.lay.months
	at := 0 // the rule's first count in acc
	for gi := range e.guards {
		g := &e.guards[gi]
		rule, ruleUn := gs.rule[:nb], gs.ruleUn[:nb]
		for j := range rule {
			rule[j], ruleUn[j] = 0, false
		}
		var lo, hi []float64
		if g.hasMin {
			lo = gs.lo[:nb]
		}
		if g.hasMax {
			hi = gs.hi[:nb]
		}
		for wi, cells := range g.cells {
			winUn := gs.winUn[:nb]
			for j := range winUn {
				winUn[j] = false
			}
			for j := range lo {
				lo[j] = g.min
			}
			for j := range hi {
				hi[j] = g.max
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
						lowestOne(lo, hi, j, float64(t))
					}
				case rd.sum >= 0 && rd.nsSum < 0: // an amount, as guard sums
					lowest(lo, hi, tm.sumValues(ws, rd.sum, nb, gs.vals, gs))
				case rd.sum >= 0: // a ratio, as guard sums
					lowestRatio(lo, hi, winUn, tm.sumValues(ws, rd.sum, nb, gs.vals, gs), tm.sumValues(ws, rd.nsSum, nb, gs.nss, gs))
				case rd.flows < 0 && rd.ns < 0: // an amount
					lowest(lo, hi, ws.Output(rd.out, nb))
				case rd.flows < 0: // a ratio
					lowestRatio(lo, hi, winUn, ws.Output(rd.out, nb), ws.Output(rd.ns, nb))
				default: // NPV at an uncertain rate, payback
					for j := range nb {
						v, ok := rd.value(ws, j, nb, M, w.rate[j])
						if !ok {
							winUn[j] = true
							continue
						}
						lowestOne(lo, hi, j, v)
					}
				}
			}
			ex := gs.ex[:nb]
			g.exceedances(ex, lo, hi)
			ct := &acc[at+wi]
			for j, x := range ex {
				if x > 0 {
					ct.breached++
					ct.exceed += x
					rule[j] = max(rule[j], x)
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
