package montecarlo

import (
	"errors"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/scenario"
)

// The simulation's model evaluation: each portfolio's statement graph
// (costmodel.Model) compiled to a float tape (internal/graph) for the
// run's outputs, with the uncertain drivers as the tape's inputs, and
// run a block of trials at a time. Only the part of the statement that
// an uncertain driver reaches and an output reads is evaluated per
// trial; the rest is folded into numbers once per run.
//
// The float semantics are graph.Compile's (no line is rounded, so a
// trial's figures differ from the exact statement's at those driver
// values by the statement's rounding to the minor unit; see montecarlo's
// tape tests). An NPV is a weighted sum of the months' net cash flows
// with the discount factors as weights, compiled into the tape; when the
// discount rate itself is uncertain, the tape gives the months' flows and
// each trial discounts them at its own rate.

// tapeModel is one portfolio's tape and how the run reads it, built once
// (ready) before the blocks run (see buildTapes).
type tapeModel struct {
	once  sync.Once
	build func() error
	err   error

	tp    *graph.Tape
	feeds []tapeFeed
	// reads[k] says how output plan k (of the plans compiled) is read
	// from the tape's outputs.
	reads []tapeRead
	// guardAt is the index in reads of the guardrails' first output,
	// guardN their number; sums are the guardrails' sums that are not
	// one tape output each (guardsums.go).
	guardAt, guardN int
	sums            []guardSum
	shared          []int // the sums added once per block (guardsums.go)
	// fanAt is the index in reads of the fans' first monthly output (the
	// base's tape only).
	fanAt int
	// spare holds workspaces of finished runs for the next run's workers
	// (a tape with guardrails has thousands of slots: megabytes that a
	// run would otherwise allocate, zero and leave to the collector).
	spare sync.Pool
	// rate is where the discount rate comes from when it is uncertain:
	// input rate.input's draw for its driver at rate.at, on the base
	// value rate.base; input < 0 when it is certain.
	rate tapeFeed
}

// tapeFeed says where tape input k's value comes from: input `input`'s
// draw for its driver at position `at` (per trial, or in month `month`
// for a per-month input), or the driver's base value when input < 0.
type tapeFeed struct {
	input, at int
	month     int
	base      float64
}

// tapeRead is how one output is computed from tape outputs: out (and ns,
// the net sales, for a ratio), or the months' net cash flows
// flows[0:M] for a payback month or, discounted at the trial's rate, an
// NPV (npv set).
type tapeRead struct {
	plan  outPlan
	out   int
	ns    int
	flows int
	npv   bool
	// sum and nsSum, when ≥ 0, are a guardrail's value and net sales as
	// guard sums (tapeModel.sums) instead of out and ns; flowSums, when
	// set, a guardrail's payback flows (month t's net cash flow) instead
	// of flows.
	sum, nsSum int
	flowSums   []int
}

// tapeWork is one worker's scratch for one tape.
type tapeWork struct {
	ws *graph.Workspace
}

// scopeRows lists the rows of m, the statement graph of the layout's
// portfolio, that make up an output's place.
func (l *layout) scopeRows(m *costmodel.Model, op *outPlan) []int {
	var rows []int
	part := func(i int) {
		for j := range l.parts[i].cats {
			rows = append(rows, m.Row(i, j))
		}
		rows = append(rows, m.OwnRow(i))
	}
	switch op.scope {
	case scenario.Portfolio:
		for i := range l.parts {
			part(i)
		}
	case scenario.Partnership:
		part(op.idx)
	case scenario.Channel:
		for _, i := range l.chanParts[op.idx] {
			part(i)
		}
	case scenario.Category:
		for _, c := range l.catCells[op.idx] {
			rows = append(rows, m.Row(c.part, c.cat))
		}
	default: // channel × category
		for _, c := range op.cc {
			rows = append(rows, m.Row(c.part, c.cat))
		}
	}
	return rows
}

// workspace returns a workspace for the tape: a spare one or a new one.
// Every Run is preceded by writing every input, and the tape writes
// each other slot before reading it, so a used workspace gives what a new
// one gives.
func (tm *tapeModel) workspace() *graph.Workspace {
	if ws, ok := tm.spare.Get().(*graph.Workspace); ok {
		return ws
	}
	return tm.tp.NewWorkspace()
}

// release gives a finished worker's workspaces back to their tapes.
func (e *engine) release(w *worker) {
	for mi, tw := range w.tapes {
		e.models[mi].tape.spare.Put(tw.ws)
	}
	w.tapes = nil
}

// ready builds the tape once, and reports the build's error.
func (tm *tapeModel) ready() error {
	tm.once.Do(func() {
		defer func() {
			// A bug in the build fails every run that asks for this tape
			// (the cache then forgets it), not the process.
			if r := recover(); r != nil {
				tm.err = recovered(r)
			}
			tm.build = nil // a cached tape keeps nothing of the run that built it
		}()
		tm.err = tm.build()
	})
	return tm.err
}

// discountRate is the address of the discount rate.
const discountRate = "portfolio/discount_rate"

// tapeInputs lists the addresses of the drivers drawn per month, and says
// which input draws the discount rate (input −1: none). drivers are the
// portfolio's addresses, in Portfolio.Drivers' order (the spec's driver
// indices).
func tapeInputs(drivers []string, sp *specPlan) (byMonth []string, rate tapeFeed) {
	rate = tapeFeed{input: -1, month: graph.AllMonths}
	for i := range sp.inputs {
		ip := &sp.inputs[i]
		for k, d := range ip.drivers {
			switch {
			case drivers[d] == discountRate:
				// Per-month draws of the discount rate are refused by
				// Spec.plan (WholeHorizonOnly); a later input wins.
				rate.input, rate.at = i, k
			case ip.month:
				byMonth = append(byMonth, drivers[d])
			}
		}
	}
	return byMonth, rate
}

// compile builds the graph of p and compiles it for the plans into tm.
func (tm *tapeModel) compile(p *costmodel.Portfolio, byMonth []string, rateIn tapeFeed, sp *specPlan, lay *layout, plans []outPlan) error {
	m, err := costmodel.BuildModel(p, costmodel.ModelOptions{ByMonth: byMonth})
	if err != nil {
		return err
	}
	base := make([]float64, len(m.Values()))
	for i, v := range m.Values() {
		base[i] = v.InexactFloat64()
	}
	// The inputs that set each driver: a later input wins (Spec.plan
	// refuses overlapping targets, so there is at most one).
	type src struct{ input, at int }
	whole, monthly := map[int]src{}, map[int]src{}
	for i := range sp.inputs {
		for k, d := range sp.inputs[i].drivers {
			if sp.inputs[i].month {
				monthly[d] = src{i, k}
			} else {
				whole[d] = src{i, k}
			}
		}
	}
	var varying []graph.DriverMonth
	for d := range whole {
		varying = append(varying, graph.DriverMonth{Driver: int32(d), Month: graph.AllMonths})
	}
	for d := range monthly {
		if _, ok := whole[d]; !ok {
			varying = append(varying, graph.DriverMonth{Driver: int32(d), Month: graph.AllMonths})
		}
	}
	// The outputs: each a weighted sum over the rows and months of its
	// place.
	M := lay.months
	rate := base[mustIndex(m, discountRate)]
	tm.rate = rateIn
	tm.rate.base = rate
	df := make([]float64, M)
	f, v := monthlyFactorF(rate), 1.0
	for t := range df {
		v /= f
		df[t] = v
	}
	var outs []graph.Output
	// sum is the weighted sum of line l over the rows and the months
	// of a window.
	sum := func(v costmodel.View, rows []int, months []int, l costmodel.Line, w func(t int) float64) int {
		o := make(graph.Output, 0, len(rows)*len(months))
		for _, r := range rows {
			for _, t := range months {
				o = append(o, graph.Term{Node: m.ViewLine(v, r, t, l), Coef: w(t)})
			}
		}
		outs = append(outs, o)
		return len(outs) - 1
	}
	ones := func(int) float64 { return 1 }
	gp := &sumPlanner{lay: lay, atoms: map[atomKey]int{}, lines: map[costmodel.View][]costmodel.Line{},
		uses: map[diffKey]int{}, diffs: map[diffKey]int{}, pmUses: map[pmKey]int{}, pms: map[pmKey]int{},
		direct: func(v costmodel.View, rows, months []int, l costmodel.Line) int { return sum(v, rows, months, l, ones) },
		diff: func(v costmodel.View, rows, months []int, l, b costmodel.Line) int {
			o := make(graph.Output, 0, 2*len(rows)*len(months))
			for _, r := range rows {
				for _, t := range months {
					o = append(o, graph.Term{Node: m.ViewLine(v, r, t, l), Coef: 1}, graph.Term{Node: m.ViewLine(v, r, t, b), Coef: -1})
				}
			}
			outs = append(outs, o)
			return len(outs) - 1
		}}
	guards := plans[tm.guardAt : tm.guardAt+tm.guardN]
	if !directGuardSums {
		gp.addAtoms(m, guards)
		gp.countShared(guards, M)
	}
	for k, pl := range plans {
		rows := lay.scopeRows(m, &pl)
		rd := tapeRead{plan: pl, out: -1, ns: -1, flows: -1, sum: -1, nsSum: -1}
		if k >= tm.guardAt && k < tm.guardAt+tm.guardN && !directGuardSums {
			switch {
			case summed(&pl):
				rd.sum = gp.resolve(m, &pl, pl.line)
				if pl.ratio {
					rd.nsSum = gp.resolve(m, &pl, costmodel.LineNetSales)
				}
				tm.reads = append(tm.reads, rd)
				continue
			case pl.metric == scenario.PaybackMonth:
				// Each month's net cash flow over the place, as the tape's
				// flows below (payback reads the horizon).
				for t := range M {
					mp := pl
					mp.months = []int{t}
					rd.flowSums = append(rd.flowSums, gp.resolve(m, &mp, costmodel.LineNetCashFlow))
				}
				tm.reads = append(tm.reads, rd)
				continue
			}
		}
		switch pl.metric {
		case scenario.NPV:
			if tm.rate.input < 0 {
				rd.out = sum(pl.out.View, rows, pl.months, costmodel.LineNetCashFlow, func(t int) float64 { return df[t] })
				break
			}
			rd.npv = true
			fallthrough
		case scenario.PaybackMonth:
			// The months' flows, one output a month, zero outside the
			// window (payback is read over the horizon only).
			rd.flows = len(outs)
			for t := range M {
				// Month t's flow alone: the window is the horizon
				// (payback) or, for an NPV, t may lie outside it.
				var month []int
				if slices.Contains(pl.months, t) {
					month = []int{t}
				}
				sum(pl.out.View, rows, month, costmodel.LineNetCashFlow, ones)
			}
		case costmodel.MetricOrders:
			// A volume: the rows' order nodes (a partnership's own row
			// has none; volumes are not allocated, so every view reads
			// the same nodes).
			o := make(graph.Output, 0, len(rows)*len(pl.months))
			for _, r := range rows {
				for _, t := range pl.months {
					o = append(o, graph.Term{Node: m.Orders(r, t), Coef: 1})
				}
			}
			outs = append(outs, o)
			rd.out = len(outs) - 1
		default:
			rd.out = sum(pl.out.View, rows, pl.months, pl.line, ones)
			if pl.ratio {
				rd.ns = sum(pl.out.View, rows, pl.months, costmodel.LineNetSales, ones)
			}
		}
		tm.reads = append(tm.reads, rd)
	}
	tp, err := graph.Compile(m.Graph(), outs, varying, base, nil, graph.TapeOptions{})
	if err != nil {
		return err
	}
	tm.tp = tp
	tm.sums, tm.shared = gp.sums, gp.shared
	for _, dm := range tp.Inputs() {
		d := int(dm.Driver)
		fd := tapeFeed{input: -1, base: base[d], month: int(dm.Month)}
		if s, ok := monthly[d]; ok && dm.Month != graph.AllMonths {
			fd.input, fd.at = s.input, s.at
		} else if s, ok := whole[d]; ok {
			fd.input, fd.at, fd.month = s.input, s.at, graph.AllMonths
		}
		tm.feeds = append(tm.feeds, fd)
	}
	return nil
}

func mustIndex(m *costmodel.Model, addr string) int {
	i, ok := m.Index(addr)
	if !ok {
		panic("montecarlo: the model has no driver " + addr)
	}
	return i
}

// monthlyFactorF is 1 + the monthly rate of an annual rate, (1 + r)^(1/12),
// as costmodel.MonthlyRate defines it.
func monthlyFactorF(annual float64) float64 {
	if annual == 0 {
		return 1
	}
	return math.Pow(1+annual, 1.0/12)
}

// tapeTrials evaluates the block's n trials (from start) on the tapes:
// the outputs, the alternatives' differences, the clamp counts and the
// recorded input draws.
func (e *engine) tapeTrials(w *worker, start, n int) {
	M := e.lay.months
	// Clamps, counted once per draw on the base (its drivers are every
	// model's).
	m0 := e.models[0]
	for i := range e.sp.inputs {
		ip := &e.sp.inputs[i]
		for k, d := range ip.drivers {
			if ip.month {
				for _, draw := range w.mdraws[i][:n*M] {
					if _, c := ip.value(draw, k, m0.base[d]); c {
						w.clamp[i]++
					}
				}
				continue
			}
			for _, draw := range w.draws[i][:n] {
				if _, c := ip.value(draw, k, m0.base[d]); c {
					w.clamp[i]++
				}
			}
		}
	}
	if w.tapes == nil {
		tapes := make([]tapeWork, len(e.models))
		for mi, m := range e.models {
			if err := m.tape.ready(); err != nil {
				w.err = err
				return
			}
			tapes[mi].ws = m.tape.workspace()
		}
		w.tapes = tapes
		w.cmpBase = make([]float64, graph.DefaultBlock)
		w.cmpBaseOK = make([]bool, graph.DefaultBlock)
		w.rate = make([]float64, graph.DefaultBlock)
	}
	var acc []guardCount // the block's guardrail counts, every model's
	per := 0
	if len(e.guards) > 0 {
		per = e.guardCounts()
		acc = make([]guardCount, per*len(e.models))
		e.guardAcc[start/e.opt.BlockSize] = acc
	}
	for c0 := 0; c0 < n; c0 += graph.DefaultBlock {
		nb := min(graph.DefaultBlock, n-c0)
		for mi, m := range e.models {
			tm, tw := m.tape, &w.tapes[mi]
			for k, fd := range tm.feeds {
				dst := tw.ws.Input(k)[:nb]
				switch {
				case fd.input < 0:
					for j := range dst {
						dst[j] = fd.base
					}
				case fd.month == graph.AllMonths:
					ip := &e.sp.inputs[fd.input]
					for j, draw := range w.draws[fd.input][c0 : c0+nb] {
						dst[j], _ = ip.value(draw, fd.at, fd.base)
					}
				default:
					ip := &e.sp.inputs[fd.input]
					row := w.mdraws[fd.input][fd.month*n:]
					for j, draw := range row[c0 : c0+nb] {
						dst[j], _ = ip.value(draw, fd.at, fd.base)
					}
				}
			}
			tm.tp.Run(tw.ws, nb)
			if r := tm.rate; r.input >= 0 {
				ip := &e.sp.inputs[r.input]
				for j, draw := range w.draws[r.input][c0 : c0+nb] {
					w.rate[j], _ = ip.value(draw, r.at, r.base)
				}
			}
			if len(e.guards) > 0 {
				e.guardTrials(w, tm, tw.ws, nb, acc[mi*per:(mi+1)*per])
			}
			if mi == 0 {
				for k := range e.plans {
					out := e.outputs[k][start+c0 : start+c0+nb]
					def := e.defined[k]
					for j := range out {
						v, ok := tm.reads[k].value(tw.ws, j, nb, M, w.rate[j])
						out[j] = v
						if def != nil {
							def[start+c0+j] = ok
						}
					}
				}
				if len(e.fans) > 0 {
					e.fanTrials(w, tm, tw.ws, start+c0, nb)
				}
				if len(e.cmp) > 0 {
					rd := &tm.reads[len(e.plans)]
					for j := range nb {
						w.cmpBase[j], w.cmpBaseOK[j] = rd.value(tw.ws, j, nb, M, w.rate[j])
					}
				}
				continue
			}
			if len(e.diffs) == 0 {
				continue // an alternative for its guardrails only
			}
			rd := &tm.reads[0]
			d := e.diffs[mi-1][start+c0 : start+c0+nb]
			def := e.diffDefined[mi-1]
			for j := range d {
				alt, ok := rd.value(tw.ws, j, nb, M, w.rate[j])
				ok = ok && w.cmpBaseOK[j]
				if def != nil {
					def[start+c0+j] = ok
				}
				d[j] = 0
				if ok {
					d[j] = alt - w.cmpBase[j]
				}
			}
		}
	}
	for i := range e.sp.inputs {
		dst := e.inputs[i][start : start+n]
		if !e.sp.inputs[i].month {
			copy(dst, w.draws[i][:n])
			continue
		}
		md := w.mdraws[i]
		for j := range dst {
			s := 0.0
			for t := range M {
				s += md[t*n+j]
			}
			dst[j] = s / float64(M)
		}
	}
}

// value is the output of trial j of the last run of the tape, as
// outPlan.value reads it: ok is false when it is undefined (a ratio over
// zero net sales, a payback not reached within the horizon), and v is
// then 0.
func (rd *tapeRead) value(ws *graph.Workspace, j, n, M int, rate float64) (float64, bool) {
	switch {
	case rd.npv:
		// Discounted as the statement discounts: df_t = f^−(t+1), f the
		// monthly factor of the trial's rate.
		f, df, npv := monthlyFactorF(rate), 1.0, 0.0
		for t := range M {
			df /= f
			npv += ws.Output(rd.flows+t, n)[j] * df
		}
		return npv, true
	case rd.flows >= 0:
		cum, started := 0.0, false // as costmodel.PaybackMonth: from the first non-zero flow
		for t := range M {
			v := ws.Output(rd.flows+t, n)[j]
			cum += v
			started = started || v != 0
			if started && cum >= 0 {
				return float64(t + 1), true
			}
		}
		return 0, false // not within the horizon
	case rd.ns >= 0:
		ns := ws.Output(rd.ns, n)[j]
		if ns == 0 {
			return 0, false
		}
		return ws.Output(rd.out, n)[j] / ns, true
	}
	return ws.Output(rd.out, n)[j], true
}

// directGuardSums makes every guardrail sum one tape output (none
// derived, see guardsums.go): the reference the tests hold the derived
// sums to. Only tests set it, with the model cache reset around.
var directGuardSums bool

// compileTapes gives every model its tape, to be built when a worker
// first needs it.
func compileTapes(models []*model, ps []*costmodel.Portfolio, sp *specPlan, lay *layout, plans, cmp, guards, fans []outPlan) {
	byMonth, rate := tapeInputs(models[0].drivers, sp)
	for mi, m := range models {
		pl := append([]outPlan(nil), cmp...)
		if mi == 0 {
			pl = append(append([]outPlan(nil), plans...), cmp...)
		}
		tm, p := &tapeModel{guardAt: len(pl), guardN: len(guards)}, ps[mi]
		pl = append(pl, guards...)
		if mi == 0 {
			tm.fanAt = len(pl)
			pl = append(pl, fans...)
		}
		tm.build = func() error { return tm.compile(p, byMonth, rate, sp, lay, pl) }
		if m.cache != nil {
			tm = m.cache.tape(tapeKey(byMonth, rate, sp, pl), tm)
		}
		m.tape = tm
	}
}

// buildTapes builds every model's tape, on up to workers goroutines, and
// returns their failures, in model order (errors.Join).
func buildTapes(models []*model, workers int) error {
	errs := make([]error, len(models))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(models)) {
		wg.Go(func() {
			for {
				mi := int(next.Add(1) - 1)
				if mi >= len(models) {
					return
				}
				m := models[mi]
				if errs[mi] = m.tape.ready(); errs[mi] != nil && m.cache != nil {
					m.cache.forget(m.tape)
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func altPortfolios(alts []Alternative) []*costmodel.Portfolio {
	out := make([]*costmodel.Portfolio, len(alts))
	for i, a := range alts {
		out[i] = a.Portfolio
	}
	return out
}
