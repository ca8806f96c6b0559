package costmodel

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// Allocation: the fully loaded view of a statement. Partnership-level
// lines of the waterfall (LinesScaled(PerPartnership): the
// minimum-guarantee true-up, fixed marketing, data transfer, API calls,
// support, maintenance, set-up, amortisation and the capacity lines) stay
// on a partnership's own row in the statement, so a category's
// contribution leaves them out. Allocation rules share them out to the
// partnership's categories in a second view of the statement,
// Statement.Allocated, beside the unallocated one:
//
//   - each month, each partnership-level line of a partnership that a
//     rule covers is split over the partnership's categories in
//     proportion to the rule's basis that month (GMV, orders, units, fixed
//     shares, or the activity that drives the line);
//   - rounding: every category but the last (in the partnership's order)
//     gets its share rounded to the minor unit, half away from zero
//     (ROUND(amount × weight ÷ total weight, 2)); the last category gets
//     the amount less the others' shares, so the categories add up to the
//     partnership's line to the cent, every month;
//   - a month whose weights are all zero (before launch: set-up; a month
//     without orders) splits the amount equally, by the same rounding;
//   - the own row keeps the lines no rule covers; the partnership's
//     total, the channels and the portfolio are the same in both views.
//
// The allocation is arithmetic of the model graph (written once here), so
// the exact statement, the simulation (an Output with View allocated)
// and the workbook have it. See docs/allocation-and-capacity.md.

// AllocationBasis says in proportion to what an allocation rule shares a
// line out to categories.
type AllocationBasis string

// The bases of allocation.
const (
	ByGMV    AllocationBasis = "gmv"    // the category's GMV of the month
	ByOrders AllocationBasis = "orders" // its expected orders of the month
	ByUnits  AllocationBasis = "units"  // its items of the month (orders × units per order)
	// ByFixedShares takes the rule's Shares, the same every month.
	ByFixedShares AllocationBasis = "fixed"
	// ByActivity takes the activity that drives the line: tickets for
	// support and support staff (tickets scale with orders), orders for
	// data transfer, API calls and their capacity lines, units for
	// fulfilment overflow, GMV for fixed marketing, commission net of
	// refunds for the true-up. Maintenance, set-up and amortisation have
	// no activity; a rule naming one of them with this basis is an error,
	// and a "*" rule with this basis passes them to the next rule.
	ByActivity AllocationBasis = "activity"
)

// AllocationRule shares one partnership-level line (or every one, "*")
// of one partnership (or every one, "") out to its categories. For each
// partnership and line the first rule in list order that covers it
// applies; a line no rule covers stays unallocated. In JSON:
//
//	{"line": "support", "basis": "activity"}
//	{"partnership": "amazon-us", "line": "maintenance", "basis": "fixed",
//	 "shares": {"toys": 0.6, "games": 0.4}}
//	{"line": "*", "basis": "gmv"}
//
// Line and Basis are required; Partnership is optional ("": every
// partnership); Shares is required with basis "fixed" (and only then),
// names categories of the rule's partnership (which it requires), each
// share from 0 to 1, summing to exactly 1 (a category left out gets 0).
// Shares are part of the rule's structure, not drivers.
type AllocationRule struct {
	Partnership string                     `json:"partnership,omitempty"`
	Line        string                     `json:"line" required:"true"`
	Basis       AllocationBasis            `json:"basis" required:"true"`
	Shares      map[string]decimal.Decimal `json:"shares,omitempty"`
}

// View says which view of a statement an Output reads.
type View string

// The views of a statement.
const (
	// Unallocated (the zero View) keeps partnership-level lines on each
	// partnership's own row.
	Unallocated View = "unallocated"
	// Allocated reads Statement.Allocated: the portfolio's allocation
	// rules applied.
	Allocated View = "allocated"
)

// IsAllocated reports whether the view is the allocated one.
func (v View) IsAllocated() bool { return v == Allocated }

// allocatable are the lines a rule may share out: the partnership-level
// lines of the waterfall (lines beside it, of other levels, stay where
// they are).
var allocatable = func() []Line {
	var ls []Line
	for _, l := range LinesScaled(PerPartnership) {
		if lineTable[l].Level <= LevelAccounting {
			ls = append(ls, l)
		}
	}
	return ls
}()

// activityOf is the basis a line's activity is (ok false: none).
func activityOf(l Line) (AllocationBasis, bool) {
	switch l {
	case LineCommissionTrueUp:
		return "net_commission", true
	case LineFulfilmentOverflow:
		return ByUnits, true
	case LineMarketingFixed:
		return ByGMV, true
	case LineDataTransfer, LineDataTransferOverage, LineAPICalls, LineAPIPremium, LineSupport, LineSupportStaff, LineSupportOverflow:
		return ByOrders, true
	}
	return "", false
}

// allocatableLines names the lines a rule may name, for messages.
func allocatableLines() string {
	var s []string
	for _, l := range allocatable {
		s = append(s, l.String())
	}
	return "a partnership-level line (" + strings.Join(s, ", ") + ") or \"*\" for every one"
}

// lineNamed is the partnership-level line of a name.
func lineNamed(name string) (Line, bool) {
	for _, l := range allocatable {
		if l.String() == name {
			return l, true
		}
	}
	return 0, false
}

// ruleFor is the rule (and its basis) that allocates line l of
// partnership ps, or nil.
func (p *Portfolio) ruleFor(ps *Partnership, l Line) (*AllocationRule, AllocationBasis) {
	for i := range p.Allocation {
		r := &p.Allocation[i]
		if r.Partnership != "" && r.Partnership != ps.ID {
			continue
		}
		if r.Line != "*" && r.Line != l.String() {
			continue
		}
		if r.Basis == ByActivity {
			b, ok := activityOf(l)
			if !ok {
				continue
			}
			return r, b
		}
		return r, r.Basis
	}
	return nil, ""
}

// validateAllocation reports every problem of the allocation rules, each
// with its JSON path ("allocation[1].shares.toys").
func (p *Portfolio) validateAllocation(pr *Problems) {
	ids := map[string]*Partnership{}
	for i := range p.Partnerships {
		ids[p.Partnerships[i].ID] = &p.Partnerships[i]
	}
	for i := range p.Allocation {
		r := &p.Allocation[i]
		at := fmt.Sprintf("allocation[%d]", i)
		var ps *Partnership
		if r.Partnership != "" {
			if ps = ids[r.Partnership]; ps == nil {
				pr.Add(at+".partnership", quote(r.Partnership), "the ID of a partnership of the portfolio, or none for every partnership")
			} else if len(ps.Categories) == 0 {
				pr.Add(at+".partnership", quote(r.Partnership), "a partnership with categories to allocate to")
			}
		}
		line, named := lineNamed(r.Line)
		if !named && r.Line != "*" {
			pr.Add(at+".line", quote(r.Line), allocatableLines())
		}
		switch r.Basis {
		case ByGMV, ByOrders, ByUnits, ByFixedShares:
		case ByActivity:
			if _, ok := activityOf(line); named && !ok {
				pr.Add(at+".basis", quote(string(r.Basis)), fmt.Sprintf("gmv, orders, units or fixed for %s, which no activity drives", r.Line))
			}
		default:
			pr.Add(at+".basis", quote(string(r.Basis)), "gmv, orders, units, fixed or activity")
		}
		if r.Basis != ByFixedShares {
			if len(r.Shares) > 0 {
				pr.Add(at+".shares", "", `no shares unless basis is "fixed"`)
			}
			continue
		}
		if r.Partnership == "" {
			pr.Add(at+".partnership", "", `the partnership whose categories the fixed shares name (basis "fixed")`)
		}
		if len(r.Shares) == 0 {
			pr.Add(at+".shares", "", `a share per category, summing to 1 (basis "fixed")`)
			continue
		}
		keys := make([]string, 0, len(r.Shares))
		for k := range r.Shares {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sum := decimal.Zero
		for _, k := range keys {
			v := r.Shares[k]
			sum = sum.Add(v)
			q := at + ".shares." + k
			if ps != nil && !slices.ContainsFunc(ps.Categories, func(c Category) bool { return c.ID == k }) {
				pr.Add(q, quote(k), fmt.Sprintf("a category of partnership %s", ps.ID))
			}
			if exp := kRate.check(v); exp != "" {
				pr.Add(q, v.String(), exp)
			}
		}
		if !sum.Equal(one) {
			pr.Add(at+".shares", "shares summing to "+sum.String(), "shares summing to exactly 1")
		}
	}
}

func cloneAllocation(rs []AllocationRule) []AllocationRule {
	if rs == nil {
		return nil
	}
	out := make([]AllocationRule, len(rs))
	for i, r := range rs {
		if r.Shares != nil {
			m := make(map[string]decimal.Decimal, len(r.Shares))
			for k, v := range r.Shares {
				m[k] = v
			}
			r.Shares = m
		}
		out[i] = r
	}
	return out
}

// modelView is the allocated view's nodes: the rows that differ from the
// unallocated view's (categories and own rows), and the roll-ups made of
// them. Partnership totals, channels and the portfolio are shared.
type modelView struct {
	parts      []viewPart
	rows       []*BlockNodes
	categories []modelRollup
	level      BlockNodes
}

type viewPart struct {
	cats []BlockNodes
	own  BlockNodes
}

// allocate builds the allocated view of m, after the unallocated one, so
// that the nodes of a portfolio without rules are what they were.
func (b *modelBuilder) allocate(m *Model) {
	p := b.p
	v := &modelView{parts: make([]viewPart, len(m.parts))}
	categories := map[string][]*BlockNodes{}
	var owns []*BlockNodes
	for i := range m.parts {
		ps, mp, vp := &p.Partnerships[i], &m.parts[i], &v.parts[i]
		vp.own = copyBlock(&mp.own)
		vp.cats = make([]BlockNodes, len(mp.cats))
		for j := range mp.cats {
			vp.cats[j] = copyBlock(&mp.cats[j])
		}
		if len(mp.cats) > 0 {
			b.allocatePartnership(ps, mp, vp)
		}
		for j := range vp.cats {
			b.refinish(&vp.cats[j], &mp.cats[j])
			categories[mp.catIDs[j]] = append(categories[mp.catIDs[j]], &vp.cats[j])
			v.rows = append(v.rows, &vp.cats[j])
		}
		b.refinish(&vp.own, &mp.own)
		v.rows = append(v.rows, &vp.own)
		owns = append(owns, &vp.own)
	}
	v.categories = b.rollups(categories)
	v.level = b.sumBlocks(owns)
	m.alloc = v
}

// refinish is finish for a block copied from orig with some base lines
// changed: a month whose base lines are all orig's keeps its subtotals,
// and a line whose months are all orig's keeps its total.
func (b *modelBuilder) refinish(nb, orig *BlockNodes) {
	changed := make([]bool, NumLines)
	for t := range nb.Monthly {
		month := false
		for l := Line(0); l < NumLines; l++ {
			if !l.IsSubtotal() && nb.Monthly[t][l] != orig.Monthly[t][l] {
				changed[l], month = true, true
			}
		}
		if month {
			b.derive(&nb.Monthly[t])
		}
	}
	col := make([]graph.ID, b.months)
	for l := Line(0); l < NumLines; l++ {
		if l.IsSubtotal() || !changed[l] {
			continue
		}
		for t := range nb.Monthly {
			col[t] = nb.Monthly[t][l]
		}
		nb.Total[l] = b.Sum(col, nil)
	}
	b.derive(&nb.Total)
}

// copyBlock copies a block's monthly lines (its orders are shared).
func copyBlock(nb *BlockNodes) BlockNodes {
	return BlockNodes{Monthly: slices.Clone(nb.Monthly), Total: nb.Total, Orders: nb.Orders}
}

// allocatePartnership moves the partnership-level lines its rules cover
// from the own row to the categories, month by month.
func (b *modelBuilder) allocatePartnership(ps *Partnership, mp *modelPartnership, vp *viewPart) {
	n := len(mp.cats)
	z := b.Zero()
	type key struct {
		basis AllocationBasis
		rule  *AllocationRule
	}
	for t := range b.months {
		weights := map[key][]graph.ID{}
		totals := map[key]graph.ID{}
		weightsOf := func(k key) []graph.ID {
			if w, ok := weights[k]; ok {
				return w
			}
			w := make([]graph.ID, n)
			for j := range w {
				a := &mp.cats[j].Monthly[t]
				switch k.basis {
				case ByGMV:
					w[j] = a[LineGMV]
				case ByOrders:
					w[j] = mp.cats[j].Orders[t]
				case ByUnits:
					w[j] = b.Mul(mp.cats[j].Orders[t], b.at(&ps.Categories[j].UnitsPerOrder, t))
				case ByFixedShares:
					w[j] = b.Const(k.rule.Shares[ps.Categories[j].ID])
				default: // net commission
					w[j] = b.Sub(a[LineCommission], a[LineCommissionRefund])
				}
			}
			weights[k] = w
			return w
		}
		for _, l := range allocatable {
			amount := mp.own.Monthly[t][l]
			r, basis := b.p.ruleFor(ps, l)
			if r == nil || amount == z {
				continue
			}
			k := key{basis: basis} // the same weights whichever rule names the basis
			if basis == ByFixedShares {
				k.rule = r
			}
			w := weightsOf(k)
			var total, equal graph.ID
			if basis != ByFixedShares {
				var ok bool
				if total, ok = totals[k]; !ok {
					total = b.Sum(w, nil)
					b.Label(total, fmt.Sprintf("Allocation weight of the month (%s), every category", basis))
					totals[k] = total
				}
				equal = b.Div(amount, b.Int(n), b.minor)
			}
			shares := make([]graph.ID, n-1)
			for j := range n - 1 {
				if basis == ByFixedShares {
					// The shares sum to exactly 1: the total weight is 1.
					shares[j] = b.money(b.Mul(amount, w[j]))
				} else {
					shares[j] = b.IfLE(total, z, equal, b.Div(b.Mul(amount, w[j]), total, b.minor))
				}
				b.Label(shares[j], fmt.Sprintf("%s allocated to %s (%s)", l.Label(), ps.Categories[j].ID, basis))
				vp.cats[j].Monthly[t][l] = shares[j]
			}
			vp.cats[n-1].Monthly[t][l] = b.Sum([]graph.ID{amount}, shares)
			vp.own.Monthly[t][l] = z
		}
	}
}

// HasAllocation reports whether the model has an allocated view (the
// portfolio has allocation rules).
func (m *Model) HasAllocation() bool { return m != nil && m.alloc != nil }

// ViewRowNodes is RowNodes in a view: the allocated view's row when v is
// Allocated (nil without allocation rules), RowNodes otherwise.
func (m *Model) ViewRowNodes(v View, row int) *BlockNodes {
	if !v.IsAllocated() {
		return m.RowNodes(row)
	}
	if !m.has(row, 0) || m.alloc == nil {
		return nil
	}
	return m.alloc.rows[row]
}

// ViewLine is Line in a view: the node of line l of a row in month t, in
// the allocated view when v is Allocated; −1 outside the model or, for
// the allocated view, without allocation rules.
func (m *Model) ViewLine(v View, row, t int, l Line) graph.ID {
	nb := m.ViewRowNodes(v, row)
	if nb == nil || t < 0 || t >= m.months || l < 0 || l >= NumLines {
		return -1
	}
	return nb.Monthly[t][l]
}

// ViewCategoryNodes is CategoryNodes in a view.
func (m *Model) ViewCategoryNodes(v View, id string) (*BlockNodes, bool) {
	if !v.IsAllocated() {
		return m.CategoryNodes(id)
	}
	if m == nil || m.alloc == nil {
		return nil, false
	}
	return findRollup(m.alloc.categories, id)
}

// allocatedStatement is the allocated view of st from the graph's values.
func (m *Model) allocatedStatement(st *Statement, block func(*BlockNodes) Block) *Statement {
	a := *st
	a.Partnerships = make([]PartnershipStatement, len(st.Partnerships))
	for i := range st.Partnerships {
		ps := st.Partnerships[i]
		vp := &m.alloc.parts[i]
		ps.Categories = make([]CategoryStatement, len(st.Partnerships[i].Categories))
		for j, c := range st.Partnerships[i].Categories {
			ps.Categories[j] = CategoryStatement{ID: c.ID, Name: c.Name, Block: block(&vp.cats[j])}
		}
		ps.Own = block(&vp.own)
		a.Partnerships[i] = ps
	}
	a.ByCategory = nil
	for _, r := range m.alloc.categories {
		a.ByCategory = append(a.ByCategory, Rollup{Key: r.key, Block: block(&r.BlockNodes)})
	}
	a.PartnershipLevel = block(&m.alloc.level)
	a.Allocated = nil
	return &a
}
