package montecarlo

import (
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/scenario"
)

// Guardrail sums: the rules' windows are thousands of weighted sums over
// the statement's cells (on the benchmark portfolio with 10 rules), each
// as many terms in the tape as the varying values of its rows. Many
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
//     theirs plus the difference of the two lines over the place and
//     window as tape outputs (contribution = CM3 − the running costs: the
//     terms the two lines share cancel in the tape, about half of the
//     line's on the benchmark portfolio, where the running costs move
//     with the same orders as CM3): one output a month for the months
//     that two or more windows share (a rolling window's), made once and
//     read by each, and one output over the window's other months;
//   - a portfolio's or channel's month of a line that two or more windows
//     read (a monthly rule's cell and the rolling windows through that
//     month) is a shared sum of its partnerships' atoms, added once per
//     tape block before the rules are checked; the windows read it
//     instead of the atoms (a rolling 3 months of the portfolio's
//     contribution: 3 shared months and 3 differences instead of 60
//     atoms and 3 differences).
//
// A payback rule reads each month's net cash flow of its place as such a
// sum (guardrails.go, paybackSums). Everything else is one tape output,
// as before. A derived sum adds the
// same numbers in another order than the tape would: it differs from the
// direct one by float rounding (a few 1e−16 of the magnitudes summed), so
// a trial's breach changes only for a value within that of its limit (the
// test against the direct sums finds the same breaches).

// guardSum is a sum a rule reads: tape output out when ≥ 0, else Σ of
// the tape outputs parts (atoms and differences) and of the shared sums
// subs (indices in tapeModel.sums). A shared sum (shared ≥ 0, its index
// in tapeModel.shared) is a place's month of a line that two or more
// windows read: it is added once per tape block, before the rules are
// checked (guardScratch.shared), and read from there.
type guardSum struct {
	out    int
	parts  []int
	subs   []int
	shared int
}

// pmKey names a place's one-month sum of a line: line of view in month
// t over the place of scope and idx (a portfolio or a channel).
type pmKey struct {
	view  costmodel.View
	line  costmodel.Line
	scope scenario.Scope
	idx   int
	month int
}

// diffKey names a one-month difference: line − base of view in month t
// over the place of scope and idx.
type diffKey struct {
	view       costmodel.View
	line, base costmodel.Line
	scope      scenario.Scope
	idx, month int
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
	// uses counts the windows that would read each one-month difference
	// (countShared), diffs holds the tape output of those made.
	uses, diffs map[diffKey]int
	// pmUses counts the windows that would read each place's month of a
	// line, pms holds the index in sums of those made (shared).
	pmUses, pms map[pmKey]int
	sums        []guardSum
	shared      []int // the shared sums, in order (indices in sums)
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

// base returns the line of view v, other than l, whose atoms cover the
// partnerships and months, nearest l in the waterfall (the fewest lines
// between them, the fewest terms in their difference), and its atoms;
// false when none does.
func (sp *sumPlanner) base(v costmodel.View, l costmodel.Line, parts, months []int) (costmodel.Line, []int, bool) {
	best, bestParts := costmodel.Line(-1), []int(nil)
	for _, b := range sp.lines[v] {
		if b == l {
			continue
		}
		if ps, ok := sp.atomsOf(v, b, parts, months); ok && (best < 0 || absLine(b-l) < absLine(best-l)) {
			best, bestParts = b, ps
		}
	}
	return best, bestParts, best >= 0
}

// derivable returns the partnerships of the plan's place when its sums
// may be derived (see above), nil otherwise.
func (sp *sumPlanner) derivable(pl *outPlan) []int {
	parts := sp.lay.placeParts(pl)
	if len(parts) == 0 || len(pl.months) == 0 {
		return nil // nothing to derive from: one tape output
	}
	return parts
}

// countShared counts, for each one-month difference the guard plans'
// derived sums would read, the windows that read it (after addAtoms; M is
// the horizon's months, payback's window).
func (sp *sumPlanner) countShared(plans []outPlan, M int) {
	count := func(pl *outPlan, l costmodel.Line) {
		parts := sp.derivable(pl)
		if parts == nil {
			return
		}
		v := pl.out.View
		if _, ok := sp.atomsOf(v, l, parts, pl.months); ok {
			sp.countMonths(pl, l, parts)
			return
		}
		if b, _, ok := sp.base(v, l, parts, pl.months); ok {
			sp.countMonths(pl, b, parts)
			for _, t := range pl.months {
				sp.uses[diffKey{v, l, b, pl.scope, pl.idx, t}]++
			}
		}
	}
	for i := range plans {
		pl := &plans[i]
		switch {
		case summed(pl):
			count(pl, pl.line)
			if pl.ratio {
				count(pl, costmodel.LineNetSales)
			}
		case pl.metric == scenario.PaybackMonth:
			for t := range M {
				mp := *pl
				mp.months = []int{t}
				count(&mp, costmodel.LineNetCashFlow)
			}
		}
	}
}

// countMonths counts the plan's reads of its place's months of line l,
// for a place of more than one partnership (a partnership's month of a
// line is an atom itself).
func (sp *sumPlanner) countMonths(pl *outPlan, l costmodel.Line, parts []int) {
	if len(parts) < 2 {
		return
	}
	for _, t := range pl.months {
		sp.pmUses[pmKey{pl.out.View, l, pl.scope, pl.idx, t}]++
	}
}

// addAtomSums adds to gs line l's atoms ps (partnership then month order,
// as atomsOf) of the plan's place: for each month that two or more
// windows read over a place of more than one partnership, the shared sum
// of the place's month (made once), and the atoms themselves for the
// other months.
func (sp *sumPlanner) addAtomSums(gs *guardSum, pl *outPlan, l costmodel.Line, parts, ps []int) {
	nm := len(pl.months)
	for k, t := range pl.months {
		key := pmKey{pl.out.View, l, pl.scope, pl.idx, t}
		if len(parts) < 2 || sp.pmUses[key] < 2 {
			for i := range parts {
				gs.parts = append(gs.parts, ps[i*nm+k])
			}
			continue
		}
		s, ok := sp.pms[key]
		if !ok {
			pm := guardSum{out: -1, shared: len(sp.shared)}
			for i := range parts {
				pm.parts = append(pm.parts, ps[i*nm+k])
			}
			s = len(sp.sums)
			sp.sums = append(sp.sums, pm)
			sp.shared = append(sp.shared, s)
			sp.pms[key] = s
		}
		gs.subs = append(gs.subs, s)
	}
}

// resolve returns the index in sp.sums of line l of the plan's view over
// its place and window.
func (sp *sumPlanner) resolve(m *costmodel.Model, pl *outPlan, l costmodel.Line) int {
	v := pl.out.View
	rows := sp.lay.scopeRows(m, pl)
	gs := guardSum{out: -1, shared: -1}
	parts := sp.derivable(pl)
	if ps, ok := sp.atomsOf(v, l, parts, pl.months); parts != nil && ok {
		if len(ps) == 1 {
			gs.out = ps[0] // an atom itself
		} else {
			sp.addAtomSums(&gs, pl, l, parts, ps)
			if len(gs.parts) == 0 && len(gs.subs) == 1 {
				return gs.subs[0] // a shared month itself
			}
		}
	} else if b, ps, ok := sp.base(v, l, parts, pl.months); parts != nil && ok {
		sp.addAtomSums(&gs, pl, b, parts, ps)
		var rest []int // the months no other window reads
		for _, t := range pl.months {
			k := diffKey{v, l, b, pl.scope, pl.idx, t}
			if sp.uses[k] < 2 {
				rest = append(rest, t)
				continue
			}
			o, ok := sp.diffs[k]
			if !ok {
				o = sp.diff(v, rows, []int{t}, l, b)
				sp.diffs[k] = o
			}
			gs.parts = append(gs.parts, o)
		}
		if len(rest) > 0 {
			gs.parts = append(gs.parts, sp.diff(v, rows, rest, l, b))
		}
	}
	if gs.out < 0 && gs.parts == nil && gs.subs == nil {
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
// one, of the shared sums' scratch when s is shared and they are added,
// see addShared). Parts are added by graph.AddSlices, in the tape's passes.
func (tm *tapeModel) sumValues(ws *graph.Workspace, s, n int, dst []float64, gs *guardScratch) []float64 {
	g := &tm.sums[s]
	if g.out >= 0 {
		return ws.Output(g.out, n)[:n]
	}
	if g.shared >= 0 && gs.sharedReady {
		return gs.shared[g.shared][:n]
	}
	src := gs.src[:0]
	for _, o := range g.parts {
		src = append(src, ws.Output(o, n)[:n])
	}
	for _, sub := range g.subs {
		src = append(src, gs.shared[tm.sums[sub].shared][:n])
	}
	gs.src = src[:0]
	dst = dst[:n]
	if len(src) == 1 {
		copy(dst, src[0])
		return dst
	}
	graph.AddSlices(dst, src)
	return dst
}

// addShared adds the shared sums of the last tape run (n trials) into
// the scratch, for sumValues to read.
func (tm *tapeModel) addShared(ws *graph.Workspace, n int, gs *guardScratch) {
	gs.sharedReady = false
	for len(gs.shared) < len(tm.shared) {
		gs.shared = append(gs.shared, make([]float64, graph.DefaultBlock))
	}
	for k, s := range tm.shared {
		tm.sumValues(ws, s, n, gs.shared[k], gs)
	}
	gs.sharedReady = true
}
