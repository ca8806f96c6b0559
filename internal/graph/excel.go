package graph

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// The Excel printer writes a node as a spreadsheet formula with the meaning
// the exact evaluator gives it:
//
//	Add, Sub, Sum, Mul, Neg   a+b, a-b, a+b-c, a*b, -a
//	Div                       ROUND(a/b,places)
//	Round                     ROUND(a,places)   (half away from zero in Excel and LibreOffice too)
//	Min, Max                  MIN(a,b,…), MAX(a,b,…)
//	IfLE                      IF(a<=b,c,d)
//	Root12                    ROUND(a^(1/12),places)
//	Ceil                      MAX(0,ROUNDUP(a-1E-9,0))   (a ≥ 0; within 1E-9 of a whole number is it)
//
// A node that has a cell of its own (a statement line, a helper cell) is
// printed as a reference to it; a driver's input as its defined name;
// every other node is written out inside the formula that uses it. Which
// nodes get helper cells is decided by [ExcelPrinter.Helpers].
//
// A spreadsheet computes in binary floating point, to about 15 digits,
// where the exact evaluator keeps every digit. The two agree to far
// better than a cent except where a decision hangs on the last digits: a
// money amount exactly on (or within 10^-(places+7) of) a half unit, or a
// comparison of two amounts that are equal (or nearly). Given the exact
// values, the printer biases those few spots by far less than anything a
// currency shows (ROUND(x+1E-7,2); IF(a<=b+1E-7×scale,…)) so the
// spreadsheet takes the branch the exact model took; Biased lists them. A
// twelfth root to 30 places is beyond a double: the spreadsheet's power
// is within one part in 10^15 of it, which moves no amount by a cent.

// Ref is a cell of a workbook: its sheet and 1-based column and row.
// With Rows > 1 it is a column range of that many rows from Row, for a
// sum whose terms are those cells (a line's total over the months of a
// row block): it prints as SUM(J2:J37).
type Ref struct {
	Sheet    string
	Col, Row int
	Rows     int
}

// ExcelPrinter prints nodes of a graph as Excel formulas. It is not safe
// for concurrent use (Formula records whether it biased a tie).
type ExcelPrinter struct {
	g *Graph
	// Cell returns the cell of a node that has one (ok false otherwise).
	Cell func(id ID) (Ref, bool)
	// Name returns the defined name of driver d's input in month m
	// (AllMonths for its one value).
	Name func(d, m int) string
	// Exact, when set, holds the exact value of every node (Graph.Eval):
	// the printer then biases ties as described above.
	Exact []decimal.Decimal

	biased bool
}

// NewExcelPrinter returns a printer of g's nodes.
func NewExcelPrinter(g *Graph, cell func(ID) (Ref, bool), name func(d, m int) string) *ExcelPrinter {
	return &ExcelPrinter{g: g, Cell: cell, Name: name}
}

// Operator precedence of a printed expression, loosest first: a child
// whose precedence is below what its place needs is parenthesised.
const (
	precAdd  = iota // a+b, a-b
	precMul         // a*b
	precNeg         // -a
	precAtom        // references, names, numbers, function calls
)

// Formula returns the formula of node id as written in a cell of sheet
// (without the leading "="): id itself is written out even when it has a
// cell (that is the cell being written); its operands are references,
// names or expressions. References to the same sheet are relative (A5),
// to another sheet absolute ('Unit economics'!$N$4). biased reports
// whether a tie bias was needed.
func (p *ExcelPrinter) Formula(id ID, sheet string) (formula string, biased bool) {
	var sb strings.Builder
	p.biased = false
	p.expr(&sb, id, sheet, precAdd, true)
	return sb.String(), p.biased
}

// operand writes node id where an operand of precedence at least prec is
// needed.
func (p *ExcelPrinter) operand(sb *strings.Builder, id ID, sheet string, prec int) {
	p.expr(sb, id, sheet, prec, false)
}

func (p *ExcelPrinter) ref(sb *strings.Builder, r Ref, sheet string) {
	if r.Rows > 1 {
		p.ref(sb, Ref{Sheet: r.Sheet, Col: r.Col, Row: r.Row}, sheet)
		sb.WriteByte(':')
		last := Ref{Sheet: r.Sheet, Col: r.Col, Row: r.Row + r.Rows - 1}
		if r.Sheet == sheet {
			p.ref(sb, last, sheet)
			return
		}
		sb.WriteByte('$')
		sb.WriteString(colName(last.Col))
		sb.WriteByte('$')
		sb.WriteString(strconv.Itoa(last.Row))
		return
	}
	if r.Sheet == sheet {
		sb.WriteString(colName(r.Col))
		sb.WriteString(strconv.Itoa(r.Row))
		return
	}
	sb.WriteString(quoteSheet(r.Sheet))
	sb.WriteString("!$")
	sb.WriteString(colName(r.Col))
	sb.WriteByte('$')
	sb.WriteString(strconv.Itoa(r.Row))
}

// rounded returns the operand of a Round that changes nothing — a value
// already rounded to as few places (by Round, Div or Root12; the growth
// powers start with the root itself) — and id otherwise: ROUND(x,30) of
// a 30-place root is the root, in the exact model and in a spreadsheet.
func (p *ExcelPrinter) rounded(id ID) ID {
	n := &p.g.Nodes[id]
	if n.Kind != Round {
		return id
	}
	x := p.g.args[n.first]
	switch a := &p.g.Nodes[x]; a.Kind {
	case Round, Div, Root12:
		if a.Places <= n.Places {
			return x
		}
	}
	return id
}

// prec is the precedence node id prints with (inlined).
func (p *ExcelPrinter) prec(id ID, root bool) int {
	n := &p.g.Nodes[id]
	if !root {
		if _, ok := p.Cell(id); ok {
			return precAtom
		}
	}
	if x := p.rounded(id); x != id {
		return p.prec(x, false)
	}
	switch n.Kind {
	case Const:
		if p.g.consts[n.first].Sign() < 0 {
			return precNeg
		}
		return precAtom
	case Add, Sub:
		return precAdd
	case Sum:
		if p.sumAsFunction(id) || p.sumOfTerms(id) {
			return precAtom
		}
		if n.n == 1 { // −a: a sum of one subtracted term
			return precNeg
		}
		return precAdd
	case Mul:
		return precMul
	case Neg:
		return precNeg
	}
	return precAtom
}

// sumLimit is the number of terms above which a Sum is written as SUM(…)
// of ranges rather than a+b+…: a column of 36 months reads better as
// SUM(J2:J37).
const sumLimit = 12

func (p *ExcelPrinter) sumAsFunction(id ID) bool {
	n := &p.g.Nodes[id]
	return n.Minus == 0 && n.n > sumLimit
}

// sumOfTerms reports whether a Sum is written SUM(a,b,-c) rather than
// a+b-c: when a term is more than a reference, a name or a number (a
// marginal schedule's bands, a price mix), one term per argument reads
// better, and excelize's calculation engine, which the tests use beside
// LibreOffice, mis-evaluates some "x+y*F(…)" chains but not SUM.
func (p *ExcelPrinter) sumOfTerms(id ID) bool {
	n := &p.g.Nodes[id]
	if n.n < 2 || p.sumAsFunction(id) {
		return false
	}
	for _, a := range p.g.Args(id) {
		if _, ok := p.Cell(a); ok {
			continue
		}
		if k := p.g.Nodes[a].Kind; k != Const && k != Input {
			return true
		}
	}
	return false
}

func (p *ExcelPrinter) expr(sb *strings.Builder, id ID, sheet string, need int, root bool) {
	g := p.g
	n := &g.Nodes[id]
	if !root {
		if r, ok := p.Cell(id); ok {
			if r.Rows > 1 {
				sb.WriteString("SUM(")
				p.ref(sb, r, sheet)
				sb.WriteByte(')')
				return
			}
			p.ref(sb, r, sheet)
			return
		}
	}
	if x := p.rounded(id); x != id {
		p.expr(sb, x, sheet, need, false)
		return
	}
	if p.prec(id, root) < need {
		sb.WriteByte('(')
		p.expr(sb, id, sheet, precAdd, root)
		sb.WriteByte(')')
		return
	}
	args := g.Args(id)
	switch n.Kind {
	case Const:
		sb.WriteString(g.consts[n.first].String())
	case Input:
		sb.WriteString(p.Name(int(n.Driver), int(n.Month)))
	case Add:
		p.operand(sb, args[0], sheet, precAdd)
		sb.WriteByte('+')
		p.operand(sb, args[1], sheet, precAdd)
	case Sub:
		p.operand(sb, args[0], sheet, precAdd)
		sb.WriteByte('-')
		p.operand(sb, args[1], sheet, precMul)
	case Sum:
		if p.sumAsFunction(id) {
			p.sumFunction(sb, args, sheet)
			return
		}
		plus := len(args) - int(n.Minus)
		if p.sumOfTerms(id) {
			sb.WriteString("SUM(")
			for i, a := range args {
				if i > 0 {
					sb.WriteByte(',')
				}
				if i >= plus {
					sb.WriteByte('-') // −a×b is (−a)×b: no parentheses
					p.operand(sb, a, sheet, precMul)
					continue
				}
				p.operand(sb, a, sheet, precAdd)
			}
			sb.WriteByte(')')
			return
		}
		for i, a := range args {
			switch {
			case i >= plus:
				sb.WriteByte('-')
				p.operand(sb, a, sheet, precMul)
				continue
			case i > 0:
				sb.WriteByte('+')
			}
			p.operand(sb, a, sheet, precAdd)
		}
	case Mul:
		// A product of several factors is written as one chain, the
		// factors that need parentheses first: (a-b)*x*y rather than
		// x*(a-b)*y. The same exact product; and excelize's calculation
		// engine (which the tests use beside LibreOffice) mis-evaluates
		// x*(a-F(…)) inside a function.
		var buf [8]ID
		factors := p.factors(buf[:0], id)
		k := 0
		for _, f := range factors {
			if p.prec(f, false) < precMul {
				if k > 0 {
					sb.WriteByte('*')
				}
				p.operand(sb, f, sheet, precMul)
				k++
			}
		}
		for _, f := range factors {
			if p.prec(f, false) >= precMul {
				if k > 0 {
					sb.WriteByte('*')
				}
				p.operand(sb, f, sheet, precMul)
				k++
			}
		}
	case Neg:
		sb.WriteByte('-')
		p.operand(sb, args[0], sheet, precNeg)
	case Div:
		sb.WriteString("ROUND(")
		p.operand(sb, args[0], sheet, precMul)
		sb.WriteByte('/')
		p.operand(sb, args[1], sheet, precNeg)
		sb.WriteByte(',')
		sb.WriteString(strconv.Itoa(int(n.Places)))
		sb.WriteByte(')')
	case Round:
		sb.WriteString("ROUND(")
		p.operand(sb, args[0], sheet, precAdd)
		sb.WriteString(p.tieBias(args[0], n.Places))
		sb.WriteByte(',')
		sb.WriteString(strconv.Itoa(int(n.Places)))
		sb.WriteByte(')')
	case Min, Max:
		if n.Kind == Min {
			sb.WriteString("MIN(")
		} else {
			sb.WriteString("MAX(")
		}
		p.flat(sb, id, n.Kind, sheet, true)
		sb.WriteByte(')')
	case IfLE:
		sb.WriteString("IF(")
		p.operand(sb, args[0], sheet, precAdd)
		sb.WriteString("<=")
		p.operand(sb, args[1], sheet, precAdd)
		sb.WriteString(p.compareBias(args[0], args[1]))
		sb.WriteByte(',')
		p.operand(sb, args[2], sheet, precAdd)
		sb.WriteByte(',')
		p.operand(sb, args[3], sheet, precAdd)
		sb.WriteByte(')')
	case Root12:
		sb.WriteString("ROUND(")
		p.operand(sb, args[0], sheet, precAtom)
		sb.WriteString("^(1/12),")
		sb.WriteString(strconv.Itoa(int(n.Places)))
		sb.WriteByte(')')
	case Ceil:
		// A whole number computed in binary a little above itself (4 as
		// 4.000000000000001, 0 as 4E-16) must not step up: as the tape,
		// within 1E-9 of a whole number is that number. MAX keeps 0 for
		// an operand of 0 (ROUNDUP rounds -1E-9 away from zero, to -1).
		sb.WriteString("MAX(0,ROUNDUP(")
		p.operand(sb, args[0], sheet, precAdd)
		sb.WriteString("-1E-9,0))")
	default:
		panic("graph: Excel printer: unknown kind " + n.Kind.String())
	}
}

// factors appends the factors of product id: its operands, and the
// factors of operands that are products written out in it.
func (p *ExcelPrinter) factors(out []ID, id ID) []ID {
	for _, a := range p.g.Args(id) {
		if _, ok := p.Cell(a); !ok && p.g.Nodes[a].Kind == Mul {
			out = p.factors(out, a)
			continue
		}
		out = append(out, a)
	}
	return out
}

// flat writes the operands of a Min or Max, merging inlined operands of
// the same kind: MIN(MIN(a,b),c) is MIN(a,b,c).
func (p *ExcelPrinter) flat(sb *strings.Builder, id ID, k Kind, sheet string, first bool) bool {
	for _, a := range p.g.Args(id) {
		if _, ok := p.Cell(a); !ok && p.g.Nodes[a].Kind == k {
			first = p.flat(sb, a, k, sheet, first)
			continue
		}
		if !first {
			sb.WriteByte(',')
		}
		first = false
		p.operand(sb, a, sheet, precAdd)
	}
	return first
}

// sumFunction writes a long sum as SUM(…), its terms in runs of adjacent
// cells of one column written as ranges, at most 250 arguments per SUM
// (Excel allows 255).
func (p *ExcelPrinter) sumFunction(sb *strings.Builder, args []ID, sheet string) {
	var items []string
	var item strings.Builder
	for i := 0; i < len(args); {
		r, ok := p.Cell(args[i])
		if ok && r.Rows > 1 {
			item.Reset()
			p.ref(&item, r, sheet)
			items = append(items, item.String())
			i++
			continue
		}
		if !ok {
			item.Reset()
			p.operand(&item, args[i], sheet, precAdd)
			items = append(items, item.String())
			i++
			continue
		}
		j := i + 1
		for j < len(args) {
			s, ok := p.Cell(args[j])
			if !ok || s.Rows > 1 || s.Sheet != r.Sheet || s.Col != r.Col || s.Row != r.Row+(j-i) {
				break
			}
			j++
		}
		item.Reset()
		p.ref(&item, r, sheet)
		if j-i > 1 {
			item.WriteByte(':')
			last := r
			last.Row += j - i - 1
			if r.Sheet == sheet {
				p.ref(&item, last, sheet)
			} else {
				item.WriteByte('$')
				item.WriteString(colName(last.Col))
				item.WriteByte('$')
				item.WriteString(strconv.Itoa(last.Row))
			}
		}
		items = append(items, item.String())
		i = j
	}
	const chunk = 250
	if len(items) <= chunk {
		sb.WriteString("SUM(" + strings.Join(items, ",") + ")")
		return
	}
	sb.WriteString("SUM(")
	for i := 0; i < len(items); i += chunk {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString("SUM(" + strings.Join(items[i:min(i+chunk, len(items))], ",") + ")")
	}
	sb.WriteByte(')')
}

// roundTieBiasPlaces is the most places at which a rounding is biased on
// a tie: money amounts (0 to 4 places). A rounding to 12 or 30 places
// only trims what a double cannot hold anyway.
const roundTieBiasPlaces = 6

// tieBias returns "+1E-7" or "-1E-7" (for 2 places) when the exact
// value of x is within 10^-(places+7) of a half unit, towards the side the
// exact rounding took; "" otherwise.
func (p *ExcelPrinter) tieBias(x ID, places int32) string {
	if p.Exact == nil || places > roundTieBiasPlaces {
		return ""
	}
	v := p.Exact[x]
	r := round(v, places)
	half := decimal.New(5, -(places + 1))
	window := decimal.New(1, -(places + 7))
	if half.Sub(v.Sub(r).Abs()).GreaterThanOrEqual(window) {
		return ""
	}
	p.biased = true
	bias := "1E-" + strconv.Itoa(int(places+5))
	if r.GreaterThan(v) {
		return "+" + bias
	}
	return "-" + bias
}

// compareBias returns "+bias" or "-bias" for IF(a<=b…) when the exact a
// and b are within 10^-9 × max(1, |b|) of each other, so that binary noise
// cannot flip the comparison the exact model made.
func (p *ExcelPrinter) compareBias(a, b ID) string {
	if p.Exact == nil {
		return ""
	}
	va, vb := p.Exact[a], p.Exact[b]
	scale := int32(0) // the power of ten of max(1, |b|)
	if ab := vb.Abs(); ab.GreaterThan(decimal.NewFromInt(1)) {
		scale = int32(len(ab.Truncate(0).String())) - 1
	}
	window := decimal.New(1, scale-9)
	if va.Sub(vb).Abs().GreaterThanOrEqual(window) {
		return ""
	}
	p.biased = true
	bias := "1E" + strconv.Itoa(int(scale-7))
	if va.LessThanOrEqual(vb) {
		return "+" + bias
	}
	return "-" + bias
}

// Helpers decides which nodes get helper cells of their own, given the
// nodes that have cells (the roots: a statement's lines). A node is
// written into every formula that uses it, unless it is used more than
// once (counting the uses of the formulas it would be written into) and
// is more than a short product or sum of names and references: such a
// shared figure (a category's GMV per order, the monthly growth factor, a
// tier schedule's volume) gets its own cell, so that formulas stay short
// and the workbook small. The result is in ascending ID order, which is
// also an order in which every helper follows the helpers it uses.
//
// For each helper, Helpers also reports the smallest and largest key of
// the roots that use it (through other helpers too); key may return -1
// for roots that do not count.
func (p *ExcelPrinter) Helpers(roots []ID, key func(ID) int) []Helper {
	if len(roots) == 0 {
		return nil
	}
	n := len(p.g.Nodes)
	isRoot := make([]bool, n)
	for _, r := range roots {
		isRoot[r] = true
	}
	// mark is the cells of a result: the roots and the helpers.
	mark := func(hs []Helper) []bool {
		m := slices.Clone(isRoot)
		for _, h := range hs {
			m[h.ID] = true
		}
		return m
	}
	// Whether a node is short depends on which of its operands get cells,
	// decided after it (operands have smaller IDs): each pass decides with
	// the previous pass's cells, until a pass gives the same cells.
	settle := func(known, forced []bool) ([]Helper, []int32, []bool) {
		var out []Helper
		var uses []int32
		for range 8 {
			out, uses = p.helpers(roots, key, known, forced)
			next := mark(out)
			if known != nil && slices.Equal(next, known) {
				break
			}
			known = next
		}
		return out, uses, mark(out)
	}
	_, uses, known := settle(nil, nil)
	// Then long formulas are split: bottom up, a formula of more than
	// maxInline operations gives its largest written-out operand a cell,
	// until it fits; a long sum gives each of its terms a cell (a price
	// mix of tiered fees: one cell per price point).
	forced := make([]bool, n)
	size := make([]int32, n)
	for id := range p.g.Nodes {
		nd := &p.g.Nodes[id]
		if nd.Kind == Const || nd.Kind == Input || (uses[id] == 0 && !known[id]) {
			continue
		}
		for {
			s, big := int32(1), ID(-1)
			for _, a := range p.g.Args(ID(id)) {
				if known[a] || forced[a] {
					continue
				}
				s += size[a]
				if big < 0 || size[a] > size[big] {
					big = a
				}
			}
			size[id] = s
			if s <= maxInline || big < 0 || size[big] < 2 {
				break
			}
			if nd.Kind == Sum {
				// The terms of a long sum alike: each one that is more
				// than a name gets a cell.
				for _, a := range p.g.Args(ID(id)) {
					if !known[a] && size[a] >= 2 {
						forced[a] = true
					}
				}
				continue
			}
			forced[big] = true
		}
	}
	out, uses, cells := settle(known, forced)
	// Last, a node the settled passes write out though it is used twice
	// and is not short gets a cell (the passes may not agree on a node
	// whose shortness hangs on another's cell).
	for range 4 {
		more := false
		for id := range p.g.Nodes {
			k := p.g.Nodes[id].Kind
			if k == Const || k == Input || cells[id] || uses[id] < 2 || p.small(ID(id), cells, nil) {
				continue
			}
			forced[id], more = true, true
		}
		if !more {
			break
		}
		out, uses, cells = settle(cells, forced)
	}
	return out
}

// maxInline is the most operations a formula writes out before the
// largest of its parts gets a cell of its own.
const maxInline = 12

// helpers is one top-down pass: known marks nodes a previous pass gave
// cells (for the test of a short formula), forced the nodes that get
// helper cells whenever they are used. It also returns the uses.
func (p *ExcelPrinter) helpers(roots []ID, key func(ID) int, known, forced []bool) ([]Helper, []int32) {
	g := p.g
	uses := make([]int32, len(g.Nodes))
	printed := make([]bool, len(g.Nodes)) // has a cell or a helper cell
	lo := make([]int32, len(g.Nodes))
	hi := make([]int32, len(g.Nodes))
	for i := range lo {
		lo[i], hi[i] = -1, -1
	}
	top := ID(0)
	isRoot := make([]bool, len(g.Nodes))
	for _, r := range roots {
		printed[r] = true
		isRoot[r] = true
		top = max(top, r)
		if k := key(r); k >= 0 {
			lo[r], hi[r] = int32(k), int32(k)
		}
	}
	var out []Helper
	for id := top; id >= 0; id-- {
		n := &g.Nodes[id]
		if n.Kind == Const || n.Kind == Input {
			continue
		}
		if !printed[id] {
			if uses[id] == 0 {
				continue
			}
			if (forced != nil && forced[id]) || uses[id] >= 2 && !p.small(id, printed, known) {
				printed[id] = true
				out = append(out, Helper{ID: id})
			}
		}
		w := int32(1)
		if !printed[id] {
			w = uses[id]
		}
		for _, a := range g.Args(id) {
			uses[a] += w
			// A root's keys are its own: a total referring to a line's
			// cell does not use what the line uses.
			if lo[id] >= 0 && !isRoot[a] {
				if lo[a] < 0 || lo[id] < lo[a] {
					lo[a] = lo[id]
				}
				hi[a] = max(hi[a], hi[id])
			}
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	for i := range out {
		out[i].First, out[i].Last = int(lo[out[i].ID]), int(hi[out[i].ID])
	}
	return out, uses
}

// Helper is a node that gets a helper cell, with the smallest and largest
// key of the roots that use it (-1 when none counted).
type Helper struct {
	ID          ID
	First, Last int
}

// small reports whether node id, written out, is an operation on names,
// numbers and references only (a*b, a+b, -a, ROUND(a,2)): short enough
// to repeat.
func (p *ExcelPrinter) small(id ID, printed, known []bool) bool {
	n := &p.g.Nodes[id]
	switch n.Kind {
	case Add, Sub, Mul, Neg, Round:
	default:
		return false
	}
	for _, a := range p.g.Args(id) {
		k := p.g.Nodes[a].Kind
		if k != Const && k != Input && !printed[a] && (known == nil || !known[a]) {
			return false
		}
	}
	return true
}

// colName is the letters of a 1-based column number (1 → A, 27 → AA).
func colName(c int) string {
	var buf [4]byte
	i := len(buf)
	for c > 0 {
		c--
		i--
		buf[i] = byte('A' + c%26)
		c /= 26
	}
	return string(buf[i:])
}

// quoteSheet writes a sheet name as a formula writes it: 'Unit economics'.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// Short reports whether node id, written out, is one operation on names,
// numbers and cell references (a*b, a+b, -a, ROUND(a,2)): a formula short
// enough to write again in a second cell rather than refer to the first.
func (p *ExcelPrinter) Short(id ID) bool {
	n := &p.g.Nodes[id]
	switch n.Kind {
	case Add, Sub, Mul, Neg, Round:
	default:
		return false
	}
	for _, a := range p.g.Args(id) {
		k := p.g.Nodes[a].Kind
		if _, ok := p.Cell(a); k != Const && k != Input && !ok {
			return false
		}
	}
	return true
}
