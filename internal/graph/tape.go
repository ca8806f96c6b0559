package graph

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// maxRoundPlaces is the most places TapeOptions.Round rounds to: money
// and counts. Finer rounding (rates to 20 places, adjusted drivers to 12,
// growth to 30) is below float64's precision for the amounts involved,
// and is left out.
const maxRoundPlaces = 9

// tieTol is the relative tolerance of IfLE and of Round's ties.
const tieTol = 1e-14

// DefaultBlock is the default number of trials of a block.
const DefaultBlock = 128

// TapeOptions tune Compile. The zero value takes the defaults.
type TapeOptions struct {
	// Block is the most trials Run evaluates at once; 0 means
	// DefaultBlock.
	Block int
	// Round makes Round nodes, and Div nodes to at most 9 places, round
	// (half away from zero, ties within a relative 1e−14 rounding away),
	// as the exact evaluator does. Without it Round is the identity:
	// simulation has no use for cents, and a rounded line is a non-linear
	// node that flattening cannot pass.
	Round bool
}

// Tape is the float back end: a graph compiled to a flat instruction tape
// and run over a block of trials at once.
//
// # What Compile does
//
// Compile takes the outputs a simulation records and the drivers that
// vary between its trials, and keeps only the arithmetic that moves:
//
//  1. Pruning: only the nodes the outputs read, directly or through other
//     nodes, are looked at.
//  2. Folding: a node that no varying driver reaches is computed once, in
//     float64, from the drivers' base values, and becomes a number.
//  3. Affine flattening: a node that is a sum, difference, negation, or a
//     product or quotient by a number, of other nodes is not an
//     instruction: it is kept as an affine form k + Σ cᵢ·vᵢ over the
//     values vᵢ that are instructions (the varying inputs and the
//     non-linear nodes: a product of two varying nodes, a quotient by a
//     varying node, min, max, if_le, root12, round). A statement line is
//     mostly such sums and products by numbers (orders × a per-order
//     margin, a total over months, a subtotal), so whole partnerships
//     whose fees are linear in the varying drivers collapse to a few
//     terms, and an output is one weighted sum over the values it reads.
//     Constant factors are pulled out of products and min/max (c·x × y is
//     c·(x × y); max(c·x + d, k) is c·max(x, (k − d)/c) + d for c > 0), so
//     a product shared by every month is one instruction, and equal
//     instructions are emitted once.
//  4. Scheduling: each output's weighted sum is split into partial sums
//     emitted right after the values it reads are computed, so a value
//     dies soon after it is made and the workspace holds only a window of
//     live values (slots are reused as values die). A partial sum adds
//     its first five terms in one pass over the trials, and the others
//     four at a time.
//
// # Evaluation
//
// A Workspace holds one block-length []float64 per slot (structure of
// arrays): the caller writes each varying input's values for the block's
// trials (Workspace.Input), calls Run for n ≤ Block trials, and reads each
// output's values (Workspace.Output). The weighted sums, most of the work,
// run in AVX or SSE2 assembly on amd64, to the Go loops' bits (kernel.go).
// Run allocates nothing; a Tape is
// immutable and may be run by many goroutines at once, each with its own
// Workspace.
//
// # Float semantics
//
// Each kind means in float64 what it means exactly, with these
// differences, which are those of simulation: Div does not round to its
// places (and a zero divisor still gives 0); Round is the identity unless
// TapeOptions.Round is set, so a line differs from the statement's by at
// most half a minor unit, a subtotal by that per rounded line it sums;
// IfLE and a Round on a tie take an amount within a relative 1e−14 of the
// bound as on it, as the decimal model puts an amount exactly on a
// threshold (12 + 1.12 is 13.120000000000001 in float64); Root12 of a
// number ≤ 0 is 0. Reassociation by the flattening changes results by
// float rounding only (about 1e−15 of the largest term).
//
// A new cost line needs nothing here: it is made of the existing kinds. A
// new Kind needs its float meaning in compiler.node (an affine
// combination of its operands' forms, or an instruction: an opcode, its
// loop in Run, its operands in compiler.operands) and a case in the tests
// against the exact evaluator (tape_test.go).
type Tape struct {
	block   int
	nslots  int
	code    []instr
	terms   []term
	inputs  []DriverMonth
	inSlot  []int32
	outSlot []int32
	consts  []constSlot
	// Stats for the curious and for tests.
	nodes, live, folded int
}

type constSlot struct {
	slot int32
	v    float64
}

type opcode uint8

const (
	opLin    opcode = iota // dst = k + Σ c·src
	opAcc                  // dst += Σ c·src
	opMul                  // dst = a × b
	opDiv                  // dst = a ÷ b, 0 when b = 0
	opMin                  // dst = min(a, b)
	opMax                  // dst = max(a, b)
	opMinK                 // dst = min(a, k)
	opMaxK                 // dst = max(a, k)
	opIfLE                 // dst = a ≤ b (within tieTol) ? c : d
	opRound                // dst = round(a × k) / k
	opRoot12               // dst = a^(1/12), 0 when a ≤ 0
	opCeil                 // dst = ⌈a⌉, a within ceilTol above a whole number taken as it
)

// instr is one instruction. Before slot allocation, dst and the operands
// are value numbers; after, slots.
type instr struct {
	op         opcode
	dst        int32
	a, b, c, d int32
	k          float64
	t0, nt     int32 // terms[t0:t0+nt] of opLin and opAcc
}

type term struct {
	v int32
	c float64
}

// form is an affine form k + Σ c·v over value numbers, terms sorted by v;
// a form without terms is the number k.
type form struct {
	k float64
	t []term
}

func (f form) isConst() bool { return len(f.t) == 0 }

// compiler is the state of one Compile.
type compiler struct {
	g    *Graph
	opt  TapeOptions
	code []instr
	// value numbers: 0..len(inputs)-1 are the inputs; then constants and
	// instruction results, in order of creation.
	def      []int32 // per value: index in code, or -1 for inputs and constants
	isConst  []bool
	constVal []float64
	inputs   []DriverMonth
	terms    []term
	cse      map[instr]int32
	lins     map[string]int32
	constVN  map[uint64]int32
	inputVN  map[DriverMonth]int32
	// scratch accumulator for combining forms
	acc     []float64
	seen    []bool
	arena   []term
	fs      []form
	ws      []float64
	touched []int32
	keybuf  []byte
}

// Output is what a tape computes for one output: a weighted sum of
// nodes, Σ Coef × node (a line, a total over months and rows, an NPV with
// the discount factors as weights). Flattening makes the sum as cheap as
// one node: its terms merge into one weighted sum over the varying values.
type Output []Term

// Term is one node of an Output with its weight.
type Term struct {
	Node ID
	Coef float64
}

// Nodes returns one output per node, each the node itself.
func Nodes(ids ...ID) []Output {
	out := make([]Output, len(ids))
	for i, id := range ids {
		out[i] = Output{{id, 1}}
	}
	return out
}

// Compile compiles the outputs of g to a Tape (see Tape for what it
// keeps and how). varying lists the
// drivers whose values change between trials: {d, AllMonths} makes every
// Input of driver d varying, {d, m} only its Input of month m. The other
// Inputs read base (one value per driver) or, for an Input of month m,
// over[{d, m}] when present. The tape's inputs (Tape.Inputs) are the
// varying Input nodes the outputs read, each named by the node's own
// driver and month.
func Compile(g *Graph, outputs []Output, varying []DriverMonth, base []float64, over map[DriverMonth]float64, opt TapeOptions) (*Tape, error) {
	if opt.Block == 0 {
		opt.Block = DefaultBlock
	}
	if opt.Block < 1 || opt.Block > 1<<16 {
		return nil, fmt.Errorf("graph: Compile: block of %d trials, want 1 to 65536", opt.Block)
	}
	if len(base) != g.Drivers {
		return nil, fmt.Errorf("graph: Compile: %d base values for %d drivers", len(base), g.Drivers)
	}
	vary := map[DriverMonth]bool{}
	for _, v := range varying {
		if v.Driver < 0 || int(v.Driver) >= g.Drivers || v.Month < AllMonths {
			return nil, fmt.Errorf("graph: Compile: varying driver %d month %d out of range (%d drivers)", v.Driver, v.Month, g.Drivers)
		}
		vary[v] = true
	}
	// 1. The cone of the outputs.
	need := make([]bool, len(g.Nodes))
	for k, o := range outputs {
		for _, tm := range o {
			if tm.Node < 0 || int(tm.Node) >= len(g.Nodes) {
				return nil, fmt.Errorf("graph: Compile: output %d reads node %d, out of range (%d nodes)", k, tm.Node, len(g.Nodes))
			}
			if math.IsNaN(tm.Coef) || math.IsInf(tm.Coef, 0) {
				return nil, fmt.Errorf("graph: Compile: output %d weighs node %d by %v", k, tm.Node, tm.Coef)
			}
			need[tm.Node] = true
		}
	}
	for i := len(g.Nodes) - 1; i >= 0; i-- {
		if need[i] {
			for _, a := range g.Args(ID(i)) {
				need[a] = true
			}
		}
	}
	c := &compiler{g: g, opt: opt, cse: map[instr]int32{}, lins: map[string]int32{}, constVN: map[uint64]int32{}, inputVN: map[DriverMonth]int32{}}
	// Inputs first, so that their value numbers are 0..n−1.
	for i := range g.Nodes {
		n := &g.Nodes[i]
		if need[i] && n.Kind == Input {
			dm := DriverMonth{n.Driver, n.Month}
			if vary[DriverMonth{n.Driver, AllMonths}] || vary[dm] {
				if _, ok := c.inputVN[dm]; !ok {
					c.inputVN[dm] = c.newValue(-1)
					c.inputs = append(c.inputs, dm)
				}
			}
		}
	}
	// 2–3. Fold and flatten, node by node.
	forms := make([]form, len(g.Nodes))
	t := &Tape{block: opt.Block, nodes: len(g.Nodes)}
	for i := range g.Nodes {
		if !need[i] {
			continue
		}
		t.live++
		forms[i] = c.node(ID(i), forms, base, over)
		if forms[i].isConst() {
			t.folded++
		}
	}
	// 4. Outputs, scheduled; dead code removed; slots allocated.
	// Equal outputs (the same sum asked for twice: a rule's window and a
	// recorded output, two rules on the same cells) are computed once and
	// share a slot.
	var outForms []form
	uniq := make([]int, len(outputs)) // output k is outForms[uniq[k]]
	byKey := map[string]int{}
	for k, o := range outputs {
		fs := make([]form, len(o))
		ws := make([]float64, len(o))
		for i, tm := range o {
			fs[i], ws[i] = forms[tm.Node], tm.Coef
		}
		f := c.combine(fs, ws)
		key := string(c.formKey(f))
		u, ok := byKey[key]
		if !ok {
			u = len(outForms)
			byKey[key] = u
			outForms = append(outForms, f)
		}
		uniq[k] = u
	}
	c.finish(t, outForms)
	slots := t.outSlot
	t.outSlot = make([]int32, len(outputs))
	for k, u := range uniq {
		t.outSlot[k] = slots[u]
	}
	return t, nil
}

// formKey is a form's bytes: equal forms, equal keys (in c.keybuf, valid
// until the next call).
func (c *compiler) formKey(f form) []byte {
	b := c.keybuf[:0]
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.k))
	for _, tm := range f.t {
		b = binary.LittleEndian.AppendUint32(b, uint32(tm.v))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(tm.c))
	}
	c.keybuf = b
	return b
}

func (c *compiler) newValue(def int32) int32 {
	c.def = append(c.def, def)
	c.isConst = append(c.isConst, false)
	c.constVal = append(c.constVal, 0)
	return int32(len(c.def) - 1)
}

// constValue is the value number of a constant broadcast to a slot.
func (c *compiler) constValue(v float64) int32 {
	key := math.Float64bits(v)
	if vn, ok := c.constVN[key]; ok {
		return vn
	}
	vn := c.newValue(-1)
	c.isConst[vn], c.constVal[vn] = true, v
	c.constVN[key] = vn
	return vn
}

// emit appends an instruction (or finds an equal one) and returns its
// value number.
func (c *compiler) emit(in instr) int32 {
	if in.op != opLin && in.op != opAcc {
		if vn, ok := c.cse[in]; ok {
			return vn
		}
	}
	key := in
	vn := c.newValue(int32(len(c.code)))
	in.dst = vn
	c.code = append(c.code, in)
	if in.op != opLin && in.op != opAcc {
		c.cse[key] = vn
	}
	return vn
}

// value makes a form one value: itself when it is 1·v, else a weighted
// sum (one per distinct form).
func (c *compiler) value(f form) int32 {
	if f.isConst() {
		return c.constValue(f.k)
	}
	if len(f.t) == 1 && f.t[0].c == 1 && f.k == 0 {
		return f.t[0].v
	}
	b := c.formKey(f)
	if vn, ok := c.lins[string(b)]; ok {
		return vn
	}
	t0 := int32(len(c.terms))
	c.terms = append(c.terms, f.t...)
	vn := c.emit(instr{op: opLin, k: f.k, t0: t0, nt: int32(len(f.t))})
	c.lins[string(b)] = vn
	return vn
}

// scaled splits a form into c·v when it is a single term without a
// constant, and into 1·value(f) otherwise.
func (c *compiler) scaled(f form) (float64, int32) {
	if len(f.t) == 1 && f.k == 0 {
		return f.t[0].c, f.t[0].v
	}
	return 1, c.value(f)
}

func (c *compiler) atom(v int32, s float64) form {
	t := c.newTerms(1)
	t[0] = term{v, s}
	return form{t: t}
}

// terms1 returns n terms of the compiler's arena: forms are immutable once
// made, so they share a few large allocations instead of one each.
func (c *compiler) newTerms(n int) []term {
	if len(c.arena)+n > cap(c.arena) {
		c.arena = make([]term, 0, max(n, 1<<14))
	}
	start := len(c.arena)
	c.arena = c.arena[:start+n]
	return c.arena[start : start+n : start+n]
}

// combine returns Σ sᵢ·fᵢ.
func (c *compiler) combine(fs []form, s []float64) form {
	var out form
	for i, f := range fs {
		out.k += s[i] * f.k
		for _, tm := range f.t {
			if int(tm.v) >= len(c.acc) {
				n := max(2*len(c.acc), int(tm.v)+1)
				c.acc = append(c.acc, make([]float64, n-len(c.acc))...)
				c.seen = append(c.seen, make([]bool, n-len(c.seen))...)
			}
			if !c.seen[tm.v] {
				c.seen[tm.v] = true
				c.touched = append(c.touched, tm.v)
			}
			c.acc[tm.v] += s[i] * tm.c
		}
	}
	slices.Sort(c.touched)
	live := 0
	for _, v := range c.touched {
		if c.acc[v] != 0 { // a cancelled term is no term
			live++
		}
	}
	if live > 0 {
		out.t = c.newTerms(live)[:0]
	}
	for _, v := range c.touched {
		if cf := c.acc[v]; cf != 0 {
			out.t = append(out.t, term{v, cf})
		}
		c.acc[v], c.seen[v] = 0, false
	}
	c.touched = c.touched[:0]
	return out
}

func (c *compiler) scale(f form, s float64) form {
	if s == 0 {
		return form{}
	}
	out := form{k: f.k * s}
	if len(f.t) > 0 {
		out.t = c.newTerms(len(f.t))
	}
	for i, tm := range f.t {
		out.t[i] = term{tm.v, tm.c * s}
	}
	return out
}

// node computes node id's form from its operands'.
func (c *compiler) node(id ID, forms []form, base []float64, over map[DriverMonth]float64) form {
	n := &c.g.Nodes[id]
	args := c.g.Args(id)
	arg := func(i int) form { return forms[args[i]] }
	switch n.Kind {
	case Const:
		return form{k: c.g.Const(id).InexactFloat64()}
	case Input:
		dm := DriverMonth{n.Driver, n.Month}
		if vn, ok := c.inputVN[dm]; ok {
			return c.atom(vn, 1)
		}
		if v, ok := over[dm]; ok && n.Month != AllMonths {
			return form{k: v}
		}
		return form{k: base[n.Driver]}
	case Add, Sub:
		c.fs = append(c.fs[:0], arg(0), arg(1))
		c.ws = append(c.ws[:0], 1, 1)
		if n.Kind == Sub {
			c.ws[1] = -1
		}
		return c.combine(c.fs, c.ws)
	case Neg:
		return c.scale(arg(0), -1)
	case Sum:
		fs, s := c.fs[:0], c.ws[:0]
		plus := len(args) - int(n.Minus)
		for i := range args {
			w := 1.0
			if i >= plus {
				w = -1
			}
			fs, s = append(fs, arg(i)), append(s, w)
		}
		c.fs, c.ws = fs, s
		return c.combine(fs, s)
	case Mul:
		a, b := arg(0), arg(1)
		switch {
		case a.isConst():
			return c.scale(b, a.k)
		case b.isConst():
			return c.scale(a, b.k)
		}
		ca, va := c.scaled(a)
		cb, vb := c.scaled(b)
		if va > vb {
			va, vb = vb, va
		}
		return c.atom(c.emit(instr{op: opMul, a: va, b: vb}), ca*cb)
	case Div:
		q := c.div(arg(0), arg(1))
		if c.opt.Round && n.Places <= maxRoundPlaces {
			return c.round(q, n.Places)
		}
		return q
	case Min, Max:
		a, b := arg(0), arg(1)
		if a.isConst() && b.isConst() {
			if n.Kind == Min {
				return form{k: math.Min(a.k, b.k)}
			}
			return form{k: math.Max(a.k, b.k)}
		}
		if a.isConst() {
			a, b = b, a
		}
		if b.isConst() {
			// op(s·x + d, k) = s·op'(x, (k − d)/s) + d, op' = op for s > 0
			// and the other one for s < 0.
			if len(a.t) == 1 {
				s, x, d := a.t[0].c, a.t[0].v, a.k
				min := n.Kind == Min
				if s < 0 {
					min = !min
				}
				op := opMaxK
				if min {
					op = opMinK
				}
				vn := c.emit(instr{op: op, a: x, k: (b.k - d) / s})
				return form{k: d, t: []term{{vn, s}}}
			}
			op := opMaxK
			if n.Kind == Min {
				op = opMinK
			}
			return c.atom(c.emit(instr{op: op, a: c.value(a), k: b.k}), 1)
		}
		va, vb := c.value(a), c.value(b)
		if va > vb {
			va, vb = vb, va
		}
		op := opMax
		if n.Kind == Min {
			op = opMin
		}
		return c.atom(c.emit(instr{op: op, a: va, b: vb}), 1)
	case IfLE:
		x, y, th, el := arg(0), arg(1), arg(2), arg(3)
		if x.isConst() && y.isConst() {
			if atMost(x.k, y.k) {
				return th
			}
			return el
		}
		return c.atom(c.emit(instr{op: opIfLE, a: c.value(x), b: c.value(y), c: c.value(th), d: c.value(el)}), 1)
	case Round:
		if !c.opt.Round || n.Places > maxRoundPlaces {
			return arg(0)
		}
		return c.round(arg(0), n.Places)
	case Root12:
		a := arg(0)
		if a.isConst() {
			return form{k: root12F(a.k)}
		}
		return c.atom(c.emit(instr{op: opRoot12, a: c.value(a)}), 1)
	case Ceil:
		a := arg(0)
		if a.isConst() {
			return form{k: ceilF(a.k)}
		}
		return c.atom(c.emit(instr{op: opCeil, a: c.value(a)}), 1)
	}
	panic(fmt.Sprintf("graph: Compile: node %d of kind %s", id, n.Kind))
}

// div is a ÷ b (0 when b is 0), unrounded.
func (c *compiler) div(a, b form) form {
	switch {
	case b.isConst() && b.k == 0:
		return form{}
	case b.isConst():
		return c.scale(a, 1/b.k)
	case a.isConst() && a.k == 0:
		return form{}
	}
	ca, va := c.scaled(a)
	cb, vb := c.scaled(b)
	if a.isConst() {
		ca, va = 1, c.constValue(a.k)
	}
	return c.atom(c.emit(instr{op: opDiv, a: va, b: vb}), ca/cb)
}

// round is f rounded to places.
func (c *compiler) round(f form, places int32) form {
	k := math.Pow(10, float64(places))
	if f.isConst() {
		return form{k: roundTo(f.k, k)}
	}
	return c.atom(c.emit(instr{op: opRound, a: c.value(f), k: k}), 1)
}

// ceilF is ⌈x⌉, an x within ceilTol (or a relative tieTol) above a whole
// number taken as that number: 4 agents' worth of tickets computed as
// 4.000000000000001 in float64, or 3 − 3 as 4e−16 after an unrounded
// division, needs 4 (or no) agents, as the exact model says.
func ceilF(x float64) float64 { return math.Ceil(x - max(math.Abs(x)*tieTol, ceilTol)) }

// ceilTol is how far above a whole number Ceil's operand may be and still
// be taken as it, in the tape and the workbook: a step is a whole agent,
// and no capacity is measured to 10^-9 of one.
const ceilTol = 1e-9

// atMost reports x ≤ bound, taking amounts within tieTol of it as on it.
func atMost(x, bound float64) bool { return x <= bound+math.Abs(bound)*tieTol }

// roundTo rounds x to 1/scale, half away from zero, a tie within tieTol
// rounding away.
func roundTo(x, scale float64) float64 {
	r := math.Abs(x * scale)
	f := math.Floor(r)
	if r-f >= 0.5-r*tieTol {
		f++
	}
	return math.Copysign(f, x) / scale
}

func root12F(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Pow(x, 1.0/12)
}

// flushEvery is how many instructions may pass before the outputs take in
// the values computed so far (see Compile, step 4).
const flushEvery = 64

// finish schedules the outputs, removes dead instructions and allocates
// slots.
func (c *compiler) finish(t *Tape, outs []form) {
	// Each output's terms in the order their values are computed.
	type pending struct {
		f    form
		next int
		vn   int32 // the output's value, once its first partial sum is out
	}
	ps := make([]pending, len(outs))
	for k, f := range outs {
		f.t = slices.Clone(f.t)
		slices.SortStableFunc(f.t, func(x, y term) int { return int(c.def[x.v]) - int(c.def[y.v]) })
		ps[k] = pending{f: f, vn: -1}
	}
	code := c.code
	c.code = nil
	var final []instr
	// Outputs wait in buckets: bucket 0 before the first instruction,
	// bucket b+1 after chunk b of flushEvery instructions, each output in
	// the bucket where its next term's value is ready.
	nChunks := (len(code) + flushEvery - 1) / flushEvery
	buckets := make([][]int, nChunks+1)
	bucketOf := func(v int32) int {
		if d := c.def[v]; d >= 0 {
			return int(d)/flushEvery + 1
		}
		return 0
	}
	for k := range ps {
		b := 0
		if len(ps[k].f.t) > 0 {
			b = bucketOf(ps[k].f.t[0].v)
		}
		buckets[b] = append(buckets[b], k)
	}
	// flush adds to the outputs of bucket b the terms whose values are
	// computed by code[upTo].
	flush := func(b int, upTo int32) {
		for _, k := range buckets[b] {
			p := &ps[k]
			j := p.next
			for j < len(p.f.t) && c.def[p.f.t[j].v] <= upTo {
				j++
			}
			t0 := int32(len(c.terms))
			c.terms = append(c.terms, p.f.t[p.next:j]...)
			in := instr{op: opAcc, dst: p.vn, t0: t0, nt: int32(j - p.next)}
			if p.vn < 0 {
				p.vn = c.newValue(-1)
				in.op, in.dst, in.k = opLin, p.vn, p.f.k
			}
			final = append(final, in)
			p.next = j
			if j < len(p.f.t) {
				nb := bucketOf(p.f.t[j].v)
				buckets[nb] = append(buckets[nb], k)
			}
		}
		buckets[b] = nil
	}
	// Inputs and constants are ready before any instruction.
	flush(0, -1)
	for i, in := range code {
		final = append(final, in)
		if (i+1)%flushEvery == 0 || i == len(code)-1 {
			flush(i/flushEvery+1, int32(i))
		}
	}
	// Dead code: keep what the outputs read.
	liveV := make([]bool, len(c.def))
	for k := range ps {
		liveV[ps[k].vn] = true
	}
	keep := make([]bool, len(final))
	for i := len(final) - 1; i >= 0; i-- {
		in := &final[i]
		if !liveV[in.dst] {
			continue
		}
		keep[i] = true
		for _, v := range c.operands(in) {
			liveV[v] = true
		}
	}
	code = code[:0]
	for i, in := range final {
		if keep[i] {
			code = append(code, in)
		}
	}
	// Slots: inputs and constants first (the caller and the workspace
	// write them), then each instruction's result, reusing the slots of
	// values past their last use. Outputs keep theirs to the end.
	last := make([]int, len(c.def))
	for i := range last {
		last[i] = -1
	}
	isOut := make([]bool, len(c.def))
	for k := range ps {
		isOut[ps[k].vn] = true
	}
	for i := range code {
		for _, v := range c.operands(&code[i]) {
			last[v] = i
		}
	}
	slot := make([]int32, len(c.def))
	for i := range slot {
		slot[i] = -1
	}
	nslots := int32(0)
	var free []int32
	alloc := func() int32 {
		if n := len(free); n > 0 {
			s := free[n-1]
			free = free[:n-1]
			return s
		}
		nslots++
		return nslots - 1
	}
	for vn := range c.inputs {
		slot[vn] = alloc()
		t.inputs = append(t.inputs, c.inputs[vn])
		t.inSlot = append(t.inSlot, slot[vn])
	}
	for vn := range c.def {
		if c.isConst[vn] && liveV[vn] {
			slot[vn] = alloc()
			t.consts = append(t.consts, constSlot{slot[vn], c.constVal[vn]})
		}
	}
	for i := range code {
		in := &code[i]
		if slot[in.dst] < 0 {
			slot[in.dst] = alloc()
		}
		for _, v := range c.operands(in) {
			if last[v] == i && !isOut[v] && !c.isConst[v] && slot[v] >= 0 {
				free = append(free, slot[v])
				last[v] = -2 // freed once
			}
		}
	}
	// Rewrite value numbers as slots.
	for i := range code {
		in := &code[i]
		in.dst = slot[in.dst]
		switch in.op {
		case opLin, opAcc:
			for j := in.t0; j < in.t0+in.nt; j++ {
				c.terms[j].v = slot[c.terms[j].v]
			}
		case opIfLE:
			in.a, in.b, in.c, in.d = slot[in.a], slot[in.b], slot[in.c], slot[in.d]
		case opMul, opDiv, opMin, opMax:
			in.a, in.b = slot[in.a], slot[in.b]
		default:
			in.a = slot[in.a]
		}
	}
	for k := range ps {
		t.outSlot = append(t.outSlot, slot[ps[k].vn])
	}
	t.code = code
	t.terms = c.terms
	t.nslots = int(nslots)
}

// operands lists the values an instruction reads (an opAcc reads its
// destination too).
func (c *compiler) operands(in *instr) []int32 {
	var ops []int32
	switch in.op {
	case opLin, opAcc:
		for _, tm := range c.terms[in.t0 : in.t0+in.nt] {
			ops = append(ops, tm.v)
		}
		if in.op == opAcc {
			ops = append(ops, in.dst)
		}
	case opIfLE:
		ops = append(ops, in.a, in.b, in.c, in.d)
	case opMul, opDiv, opMin, opMax:
		ops = append(ops, in.a, in.b)
	default:
		ops = append(ops, in.a)
	}
	return ops
}

// Inputs lists the tape's varying inputs, in the order of
// Workspace.Input, each by its Input node's driver and month.
func (t *Tape) Inputs() []DriverMonth { return slices.Clone(t.inputs) }

// NumOutputs is the number of outputs, in Compile's order.
func (t *Tape) NumOutputs() int { return len(t.outSlot) }

// Block is the most trials one Run evaluates.
func (t *Tape) Block() int { return t.block }

// Len is the number of instructions run per block.
func (t *Tape) Len() int { return len(t.code) }

// Terms is the number of weighted terms the tape's sums (its outputs and
// the weighted sums between instructions) add per trial: with Len, the
// measure of a tape's work.
func (t *Tape) Terms() int {
	n := 0
	for i := range t.code {
		if op := t.code[i].op; op == opLin || op == opAcc {
			n += int(t.code[i].nt)
		}
	}
	return n
}

// Slots is the number of block-length slots a Workspace holds.
func (t *Tape) Slots() int { return t.nslots }

// Workspace is one goroutine's memory for running a Tape: Slots() ×
// Block() float64s.
type Workspace struct {
	t   *Tape
	buf []float64
}

// NewWorkspace allocates a workspace for t.
func (t *Tape) NewWorkspace() *Workspace {
	w := &Workspace{t: t, buf: make([]float64, t.nslots*t.block)}
	for _, cs := range t.consts {
		s := w.buf[int(cs.slot)*t.block : int(cs.slot+1)*t.block]
		for j := range s {
			s[j] = cs.v
		}
	}
	return w
}

func (w *Workspace) slot(s int32, n int) []float64 {
	o := int(s) * w.t.block
	return w.buf[o : o+n : o+n]
}

// Input returns the block-length slice of input k (Tape.Inputs()[k]) to
// write the next Run's values into: trial j of the block is element j.
// Run may overwrite it, so write every input before every Run.
func (w *Workspace) Input(k int) []float64 { return w.slot(w.t.inSlot[k], w.t.block) }

// Output returns output k's values of the last Run, one per trial of the
// block (a view into the workspace, valid until the next Run).
func (w *Workspace) Output(k int, n int) []float64 { return w.slot(w.t.outSlot[k], n) }

// Run evaluates the tape for the first n trials of the block (n ≤ Block)
// from the inputs written with Input. It allocates nothing.
func (t *Tape) Run(w *Workspace, n int) {
	if w.t != t {
		panic("graph: Tape.Run: the workspace belongs to another tape")
	}
	if n < 0 || n > t.block {
		panic(fmt.Sprintf("graph: Tape.Run: %d trials, block of %d", n, t.block))
	}
	if n == 0 {
		return
	}
	for i := range t.code {
		in := &t.code[i]
		d := w.slot(in.dst, n)
		switch in.op {
		case opLin:
			ts := t.terms[in.t0 : in.t0+in.nt]
			if len(ts) == 0 {
				for j := range d {
					d[j] = in.k
				}
				continue
			}
			linear(w, d, in.k, ts, n)
		case opAcc:
			accumulate(w, d, t.terms[in.t0:in.t0+in.nt], n)
		case opMul:
			a, b := w.slot(in.a, n), w.slot(in.b, n)
			for j := range d {
				d[j] = a[j] * b[j]
			}
		case opDiv:
			a, b := w.slot(in.a, n), w.slot(in.b, n)
			for j := range d {
				if b[j] == 0 {
					d[j] = 0
				} else {
					d[j] = a[j] / b[j]
				}
			}
		case opMin:
			a, b := w.slot(in.a, n), w.slot(in.b, n)
			for j := range d {
				d[j] = min(a[j], b[j])
			}
		case opMax:
			a, b := w.slot(in.a, n), w.slot(in.b, n)
			for j := range d {
				d[j] = max(a[j], b[j])
			}
		case opMinK:
			a, k := w.slot(in.a, n), in.k
			for j := range d {
				d[j] = min(a[j], k)
			}
		case opMaxK:
			a, k := w.slot(in.a, n), in.k
			for j := range d {
				d[j] = max(a[j], k)
			}
		case opIfLE:
			a, b, th, el := w.slot(in.a, n), w.slot(in.b, n), w.slot(in.c, n), w.slot(in.d, n)
			for j := range d {
				if atMost(a[j], b[j]) {
					d[j] = th[j]
				} else {
					d[j] = el[j]
				}
			}
		case opRound:
			a, k := w.slot(in.a, n), in.k
			for j := range d {
				d[j] = roundTo(a[j], k)
			}
		case opRoot12:
			a := w.slot(in.a, n)
			for j := range d {
				d[j] = root12F(a[j])
			}
		case opCeil:
			a := w.slot(in.a, n)
			for j := range d {
				d[j] = ceilF(a[j])
			}
		}
	}
}

// linear writes k + Σ c·src into d: k + c₀s₀, then the other terms as
// accumulate adds them. The first pass adds up to four of them too, in
// accumulate's order, ((k + c₀s₀) + (c₁s₁ + c₂s₂)) + (c₃s₃ + c₄s₄): the same
// result as a pass for k + c₀s₀ followed by accumulate, with one pass
// over d fewer (most outputs have five terms or fewer).
func linear(w *Workspace, d []float64, k float64, ts []term, n int) {
	var s [5][]float64
	var c [5]float64
	nt := min(len(ts), 5)
	for i := range nt {
		s[i], c[i] = w.slot(ts[i].v, n), ts[i].c
	}
	linKernel(d, k, &s, &c, nt)
	if len(ts) > 5 {
		accumulate(w, d, ts[5:], n)
	}
}

// accumulate adds Σ c·src to d, four terms a pass. A pass adds its terms
// two at a time, (d + (c₁s₁ + c₂s₂)) + (c₃s₃ + c₄s₄), exactly as two passes
// of two terms would: the result does not depend on how many terms a pass
// takes, and the pass reads and writes d once instead of twice. Three
// terms left are one pass, (d + (c₁s₁ + c₂s₂)) + c₃s₃, as a pass of two
// and one of one would add them.
func accumulate(w *Workspace, d []float64, ts []term, n int) {
	var s [4][]float64
	var c [4]float64
	for len(ts) > 0 {
		nt := min(len(ts), 4)
		for i := range nt {
			s[i], c[i] = w.slot(ts[i].v, n), ts[i].c
		}
		accKernel(d, &s, &c, nt)
		ts = ts[nt:]
	}
}

// Stats reports the graph's nodes, those in the outputs' cone, and those
// of the cone folded to numbers.
func (t *Tape) Stats() (nodes, cone, folded int) { return t.nodes, t.live, t.folded }
