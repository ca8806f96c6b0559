package graph

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
)

// ID addresses a node of a Graph: its index in Graph.Nodes.
type ID int32

// AllMonths is the Month of an Input that reads a driver's value for the
// whole horizon (the driver does not vary by month at that node).
const AllMonths = -1

// Kind is what a node computes. The meanings are exact decimal
// arithmetic; a, b, … are the operands in order.
type Kind uint8

const (
	// Const is the number Graph.Const(id).
	Const Kind = iota
	// Input is the value of driver Node.Driver in month Node.Month, or its
	// one value when Month is AllMonths. The evaluator reads the month's
	// override when one is given and the driver's value otherwise.
	Input
	// Add is a + b.
	Add
	// Sub is a − b.
	Sub
	// Mul is a × b.
	Mul
	// Div is a ÷ b rounded to Node.Places decimal places, half away from
	// zero (decimal.DivRound). A zero divisor gives 0: the builder guards
	// every division whose divisor can be zero with IfLE, so the untaken
	// branch of a guard must not fail.
	Div
	// Neg is −a.
	Neg
	// Min is the smaller of a and b.
	Min
	// Max is the larger of a and b.
	Max
	// Round is a rounded to Node.Places decimal places, half away from zero
	// (decimal.Round; Excel's ROUND). Money lines are rounded to the
	// currency's minor unit.
	Round
	// Root12 is a^(1/12) to Node.Places decimal places, a > 0, found by
	// Newton's method from a float64 start exactly as costmodel's monthly
	// rate and growth have always computed it.
	Root12
	// IfLE is c when a ≤ b and d otherwise (all-units tier thresholds,
	// per-order fee thresholds, guards on zero volume).
	IfLE
	// Sum is the sum of the operands, of which the last Node.Minus are
	// subtracted: subtotals, roll-ups and totals over months.
	Sum
	// Ceil is the smallest whole number ≥ a (a ≥ 0: the builder guards its
	// operand with Max): capacity bought in whole steps, as agents hired.
	Ceil
	numKinds
)

var kindNames = [numKinds]string{"const", "input", "add", "sub", "mul", "div", "neg", "min", "max", "round", "root12", "if_le", "sum", "ceil"}

// String is the kind's lower-case name ("if_le").
func (k Kind) String() string {
	if k >= numKinds {
		return fmt.Sprintf("kind(%d)", k)
	}
	return kindNames[k]
}

// arity is the number of operands of a kind; -1 means any (Sum).
var arity = [numKinds]int{Const: 0, Input: 0, Add: 2, Sub: 2, Mul: 2, Div: 2, Neg: 1, Min: 2, Max: 2, Round: 1, Root12: 1, IfLE: 4, Sum: -1, Ceil: 1}

// Node is one operation of a Graph. Which fields mean something depends
// on Kind; the others are zero.
type Node struct {
	Kind Kind
	// Places is the decimal places kept by Div, Round and Root12.
	Places int32
	// Minus is the number of trailing operands a Sum subtracts.
	Minus int32
	// Driver and Month say which value an Input reads: Driver indexes the
	// graph's driver list (its owner, costmodel, defines the list), Month
	// is a month offset from the start of the horizon or AllMonths.
	Driver, Month int32
	// first and n locate the operands in Graph.args; for Const, first is
	// the index of the value in Graph.consts.
	first, n int32
}

// Graph is an expression graph in topological order: every operand of a
// node precedes it. Build one with a Builder. A Graph is immutable and
// may be evaluated by many goroutines at once.
type Graph struct {
	Nodes  []Node
	args   []ID
	consts []decimal.Decimal
	labels map[ID]string
	// Drivers is the number of drivers the Inputs index.
	Drivers int
}

// Len is the number of nodes.
func (g *Graph) Len() int { return len(g.Nodes) }

// Args returns the operands of node id, in order. The slice is shared:
// do not modify it.
func (g *Graph) Args(id ID) []ID {
	n := &g.Nodes[id]
	if n.Kind == Const {
		return nil
	}
	return g.args[n.first : n.first+n.n : n.first+n.n]
}

// Const returns the value of a Const node.
func (g *Graph) Const(id ID) decimal.Decimal {
	n := &g.Nodes[id]
	if n.Kind != Const {
		panic(fmt.Sprintf("graph: node %d is %s, not const", id, n.Kind))
	}
	return g.consts[n.first]
}

// Label returns the label the builder gave node id ("" when none): the
// name the workbook printer writes beside a formula.
func (g *Graph) Label(id ID) string { return g.labels[id] }

// Builder appends nodes to a Graph. Its methods fold operations on
// constants and identities with 0 and 1 (exact decimal arithmetic makes
// these value-preserving), so the nodes a builder returns need not be
// new. The zero Builder is not usable; call NewBuilder.
type Builder struct {
	g      *Graph
	consts map[string]ID
	inputs map[[2]int32]ID
	zero   ID
	one    ID
	// scratch holds a Sum's operands while they are filtered.
	scratch []ID
}

// NewBuilder returns a builder of a graph over the given number of
// drivers.
func NewBuilder(drivers int) *Builder {
	b := &Builder{
		g:      &Graph{Drivers: drivers, labels: map[ID]string{}},
		consts: map[string]ID{},
		inputs: map[[2]int32]ID{},
	}
	b.zero = b.Const(decimal.Zero)
	b.one = b.Const(decimal.NewFromInt(1))
	return b
}

// Graph returns the graph built so far. The builder must not be used
// afterwards.
func (b *Builder) Graph() *Graph { return b.g }

// Len is the number of nodes built so far.
func (b *Builder) Len() int { return len(b.g.Nodes) }

// Zero and One are the constants 0 and 1.
func (b *Builder) Zero() ID { return b.zero }

// One is the constant 1.
func (b *Builder) One() ID { return b.one }

// Label sets the label of node id (the last label given wins).
func (b *Builder) Label(id ID, label string) { b.g.labels[id] = label }

// Const returns a node holding v (the same node for equal values).
func (b *Builder) Const(v decimal.Decimal) ID {
	key := v.String()
	if id, ok := b.consts[key]; ok {
		return id
	}
	g := b.g
	id := ID(len(g.Nodes))
	g.Nodes = append(g.Nodes, Node{Kind: Const, first: int32(len(g.consts))})
	g.consts = append(g.consts, v)
	b.consts[key] = id
	return id
}

// Int returns a node holding the integer i.
func (b *Builder) Int(i int) ID { return b.Const(decimal.NewFromInt(int64(i))) }

// Input returns the node reading driver d in month m (AllMonths for its
// one value); the same node for the same driver and month.
func (b *Builder) Input(d, m int) ID {
	if d < 0 || d >= b.g.Drivers || m < AllMonths {
		panic(fmt.Sprintf("graph: input of driver %d month %d out of range (%d drivers)", d, m, b.g.Drivers))
	}
	key := [2]int32{int32(d), int32(m)}
	if id, ok := b.inputs[key]; ok {
		return id
	}
	g := b.g
	id := ID(len(g.Nodes))
	g.Nodes = append(g.Nodes, Node{Kind: Input, Driver: int32(d), Month: int32(m)})
	b.inputs[key] = id
	return id
}

func (b *Builder) isConst(id ID) bool { return b.g.Nodes[id].Kind == Const }

// value returns the value of a Const node.
func (b *Builder) value(id ID) decimal.Decimal { return b.g.consts[b.g.Nodes[id].first] }

// node appends a node, or folds it to a constant when every operand is one.
func (b *Builder) node(n Node, args ...ID) ID {
	g := b.g
	if a := arity[n.Kind]; a >= 0 && len(args) != a {
		panic(fmt.Sprintf("graph: %s takes %d operands, got %d", n.Kind, a, len(args)))
	}
	folded := true
	for _, a := range args {
		if a < 0 || int(a) >= len(g.Nodes) {
			panic(fmt.Sprintf("graph: operand %d of %s does not exist yet", a, n.Kind))
		}
		folded = folded && b.isConst(a)
	}
	if folded {
		var buf [8]decimal.Decimal
		vals := buf[:0]
		for _, a := range args {
			vals = append(vals, b.value(a))
		}
		return b.Const(apply(&n, vals))
	}
	id := ID(len(g.Nodes))
	n.first, n.n = int32(len(g.args)), int32(len(args))
	g.args = append(g.args, args...)
	g.Nodes = append(g.Nodes, n)
	return id
}

func (b *Builder) isZero(id ID) bool { return b.isConst(id) && b.value(id).IsZero() }
func (b *Builder) isOne(id ID) bool  { return b.isConst(id) && b.value(id).Equal(decimal.NewFromInt(1)) }

// Add is x + y.
func (b *Builder) Add(x, y ID) ID {
	switch {
	case b.isZero(x):
		return y
	case b.isZero(y):
		return x
	}
	return b.node(Node{Kind: Add}, x, y)
}

// Sub is x − y.
func (b *Builder) Sub(x, y ID) ID {
	if b.isZero(y) {
		return x
	}
	return b.node(Node{Kind: Sub}, x, y)
}

// Mul is x × y.
func (b *Builder) Mul(x, y ID) ID {
	switch {
	case b.isZero(x) || b.isZero(y):
		return b.zero
	case b.isOne(x):
		return y
	case b.isOne(y):
		return x
	}
	return b.node(Node{Kind: Mul}, x, y)
}

// Div is x ÷ y to the given places, half away from zero (0 when y is 0).
func (b *Builder) Div(x, y ID, places int32) ID {
	if b.isZero(x) {
		return b.zero
	}
	return b.node(Node{Kind: Div, Places: places}, x, y)
}

// Neg is −x.
func (b *Builder) Neg(x ID) ID { return b.node(Node{Kind: Neg}, x) }

// Min is the smaller of x and y.
func (b *Builder) Min(x, y ID) ID {
	if x == y {
		return x
	}
	return b.node(Node{Kind: Min}, x, y)
}

// Max is the larger of x and y.
func (b *Builder) Max(x, y ID) ID {
	if x == y {
		return x
	}
	return b.node(Node{Kind: Max}, x, y)
}

// Round is x rounded to the given places, half away from zero.
func (b *Builder) Round(x ID, places int32) ID {
	if n := b.g.Nodes[x]; n.Kind == Round && n.Places <= places {
		return x // already rounded at least as far
	}
	return b.node(Node{Kind: Round, Places: places}, x)
}

// Ceil is the smallest whole number at least x (x ≥ 0).
func (b *Builder) Ceil(x ID) ID {
	if b.isConst(x) {
		return b.Const(b.value(x).Ceil())
	}
	return b.node(Node{Kind: Ceil}, x)
}

// Root12 is x^(1/12) to the given places (x > 0).
func (b *Builder) Root12(x ID, places int32) ID {
	return b.node(Node{Kind: Root12, Places: places}, x)
}

// IfLE is then when x ≤ y and otherwise els.
func (b *Builder) IfLE(x, y, then, els ID) ID {
	if then == els {
		return then
	}
	if b.isConst(x) && b.isConst(y) {
		if b.value(x).LessThanOrEqual(b.value(y)) {
			return then
		}
		return els
	}
	return b.node(Node{Kind: IfLE}, x, y, then, els)
}

// Sum is Σ plus − Σ minus. Constant zero terms are dropped; a sum of one
// added term is that term.
func (b *Builder) Sum(plus, minus []ID) ID {
	args := b.scratch[:0] // the operands, filtered; node copies them
	for _, x := range plus {
		if !b.isZero(x) {
			args = append(args, x)
		}
	}
	np := len(args)
	for _, x := range minus {
		if !b.isZero(x) {
			args = append(args, x)
		}
	}
	b.scratch = args
	switch {
	case len(args) == 0:
		return b.zero
	case len(args) == 1 && np == 1:
		return args[0]
	}
	return b.node(Node{Kind: Sum, Minus: int32(len(args) - np)}, args...)
}

// Grow makes room for n more nodes with m more operands in all, so that
// building a large graph does not copy it as it grows.
func (b *Builder) Grow(n, m int) {
	b.g.Nodes = slices.Grow(b.g.Nodes, n)
	b.g.args = slices.Grow(b.g.args, m)
}
