package montecarlo

import (
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/scenario"
)

// Guardrail sums: the rules' windows are thousands of weighted sums over
// the statement's cells (3,700 on the benchmark portfolio with 10 rules),
// each as many terms in the tape as the varying values of its rows. Many
// are sums of others the rules read anyway, and are added outside the
// tape from them instead:
//
//   - atoms are the partnerships' one-month sums that a rule reads (a
//     partnership rule checked each month, and its net sales for a
//     ratio); they are tape outputs;
//   - a portfolio's, channel's or partnership's sum of a line over a
//     window, when the line's atoms exist for every partnership of the
//     place and month of the window, is their sum: a portfolio's or
//     channel's rows are exactly the union of its partnerships' rows
//     (layout.scopeRows), and a window's months the union of its months;
//   - failing that, when another line's atoms exist there, the sum is
//     theirs plus one tape output, the difference of the two lines over
//     the place and window (contribution = CM3 − the running costs: the
//     terms the two lines share cancel in the tape, leaving the few that
//     differ).
//
// Everything else is one tape output, as before. A derived sum adds the
// same numbers in another order than the tape would: it differs from the
// direct one by float rounding (a few 1e−16 of the magnitudes summed), so
// a trial's breach changes only for a value within that of its limit (the
// test against the direct sums finds the same breaches).

// guardSum is a sum a rule reads: tape output out, or Σ of the tape
// outputs parts (atoms) plus, when diff ≥ 0, tape output diff.
type guardSum struct {
	out   int
	parts []int
	diff  int
}

// atomKey names an atom: line of view in month t of partnership part.
type atomKey struct {
	view  costmodel.View
	line  costmodel.Line
	part  int
	month int
}

// summed reports whether the plan's value is a sum of one line over its
// rows and months (an amount or a ratio's numerator and net sales), the
// only values guardSums derives.
func summed(pl *outPlan) bool {
	switch pl.metric {
	case scenario.NPV, scenario.PaybackMonth, costmodel.MetricOrders:
		return false
	}
	return true
}

// placeParts lists the partnerships whose rows make up the plan's place,
// nil for a category or channel × category (partial partnerships).
func (l *layout) placeParts(pl *outPlan) []int {
	switch pl.scope {
	case scenario.Portfolio:
		all := make([]int, len(l.parts))
		for i := range all {
			all[i] = i
		}
		return all
	case scenario.Partnership:
		return []int{pl.idx}
	case scenario.Channel:
		return l.chanParts[pl.idx]
	}
	return nil
}

// sumPlanner resolves the rules' sums (see above) while compile adds the
// tape outputs.
type sumPlanner struct {
	lay   *layout
	atoms map[atomKey]int // tape output of each atom
	lines map[costmodel.View][]costmodel.Line
	sums  []guardSum
	// direct adds a tape output: line of view over the rows and months.
	direct func(v costmodel.View, rows, months []int, line costmodel.Line) int
	// diff adds a tape output: line − base of view over rows and months.
	diff func(v costmodel.View, rows, months []int, line, base costmodel.Line) int
}

// addAtoms makes the atoms of the guard plans: each one-month
// partnership sum a plan reads.
func (sp *sumPlanner) addAtoms(m *costmodel.Model, plans []outPlan) {
	for i := range plans {
		pl := &plans[i]
		if !summed(pl) || pl.scope != scenario.Partnership || len(pl.months) != 1 {
			continue
		}
		rows := sp.lay.scopeRows(m, pl)
		lines := []costmodel.Line{pl.line}
		if pl.ratio {
			lines = append(lines, costmodel.LineNetSales)
		}
		for _, l := range lines {
			k := atomKey{pl.out.View, l, pl.idx, pl.months[0]}
			if _, ok := sp.atoms[k]; !ok {
				sp.atoms[k] = sp.direct(pl.out.View, rows, pl.months, l)
				sp.addLine(pl.out.View, l)
			}
		}
	}
}

func (sp *sumPlanner) addLine(v costmodel.View, l costmodel.Line) {
	for _, x := range sp.lines[v] {
		if x == l {
			return
		}
	}
	sp.lines[v] = append(sp.lines[v], l)
}

// atomsOf returns the atoms of line l of view v for the partnerships and
// months, in partnership then month order, or false when one is missing.
func (sp *sumPlanner) atomsOf(v costmodel.View, l costmodel.Line, parts, months []int) ([]int, bool) {
	out := make([]int, 0, len(parts)*len(months))
	for _, i := range parts {
		for _, t := range months {
			o, ok := sp.atoms[atomKey{v, l, i, t}]
			if !ok {
				return nil, false
			}
			out = append(out, o)
		}
	}
	return out, true
}

// resolve returns the index in sp.sums of line l of the plan's view over
// its place and window.
func (sp *sumPlanner) resolve(m *costmodel.Model, pl *outPlan, l costmodel.Line) int {
	v := pl.out.View
	rows := sp.lay.scopeRows(m, pl)
	gs := guardSum{out: -1, diff: -1}
	parts := sp.lay.placeParts(pl)
	if len(parts) == 0 || len(pl.months) == 0 {
		parts = nil // nothing to derive from: one tape output
	}
	if ps, ok := sp.atomsOf(v, l, parts, pl.months); parts != nil && ok {
		if len(ps) == 1 {
			gs.out = ps[0] // an atom itself
		} else {
			gs.parts = ps
		}
	} else if parts != nil {
		// The nearest line in the waterfall whose atoms cover the place
		// and window: the fewest lines between them, the fewest terms
		// in their difference.
		best, bestParts := costmodel.Line(-1), []int(nil)
		for _, b := range sp.lines[v] {
			if b == l {
				continue
			}
			if ps, ok := sp.atomsOf(v, b, parts, pl.months); ok && (best < 0 || absLine(b-l) < absLine(best-l)) {
				best, bestParts = b, ps
			}
		}
		if best >= 0 {
			gs.parts = bestParts
			gs.diff = sp.diff(v, rows, pl.months, l, best)
		}
	}
	if gs.out < 0 && gs.parts == nil {
		gs.out = sp.direct(v, rows, pl.months, l)
	}
	sp.sums = append(sp.sums, gs)
	return len(sp.sums) - 1
}

func absLine(l costmodel.Line) costmodel.Line {
	if l < 0 {
		return -l
	}
	return l
}

// sumValues writes the first n trials' values of sum s of the last tape
// run into dst and returns it (a view of the tape's output when s is
// one).
func (tm *tapeModel) sumValues(ws *graph.Workspace, s, n int, dst []float64) []float64 {
	gs := &tm.sums[s]
	if gs.out >= 0 {
		return ws.Output(gs.out, n)[:n]
	}
	dst = dst[:n]
	copy(dst, ws.Output(gs.parts[0], n))
	for _, o := range gs.parts[1:] {
		for j, x := range ws.Output(o, n)[:n] {
			dst[j] += x
		}
	}
	if gs.diff >= 0 {
		for j, x := range ws.Output(gs.diff, n)[:n] {
			dst[j] += x
		}
	}
	return dst
}
