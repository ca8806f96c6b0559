package costmodel

import (
	"errors"
	"fmt"
	"sort"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// Model is a portfolio's whole statement as one expression graph
// (internal/graph): every line of every row and month is a node, and so
// are the subtotals, the roll-ups and the totals over the horizon. The
// exact statement (Evaluate) is the graph evaluated in decimal at the
// drivers' values; the simulation tape and the workbook's formulas walk
// the same graph.
//
// The graph reads the model's drivers (Drivers): the portfolio's, in
// Portfolio.Drivers order, then one per adjustment, its value
// ("adjustments/1/value"). A month-limited adjustment is a per-month value
// of the drivers it targets: in the months it is active, the driver's
// node is op(value before, adjustment value), rounded to 12 places as
// Portfolio.Update rounds it, so an edit of the adjustment's value moves
// exactly those months.
//
// Rows are numbered partnership by partnership: its categories, then
// its own row of partnership-level lines (Row, OwnRow).
//
// A Model is immutable and safe for concurrent use.
type Model struct {
	g       *graph.Graph
	drivers []Driver
	values  []decimal.Decimal
	index   map[string]int

	cur    Currency
	start  Month
	months int
	rate   decimal.Decimal

	parts      []modelPartnership
	rows       []*BlockNodes // category rows and own rows, in row order
	channels   []modelRollup
	categories []modelRollup
	level      BlockNodes // partnership-level lines of every partnership
	portfolio  BlockNodes
	alloc      *modelView         // the allocated view; nil without allocation rules
	landed     map[int][]graph.ID // row → landed cost per unit by month (graphlane.go)
	notDrivers int                // see modelBuilder.notDrivers
}

// BlockNodes is a Block as nodes of the model's graph: the node of each
// line of each month, of each line's total over the horizon, and of each
// month's orders. Its slices are shared: do not modify them.
type BlockNodes struct {
	Monthly [][NumLines]graph.ID
	Total   [NumLines]graph.ID
	Orders  []graph.ID
}

type modelPartnership struct {
	id, name, channel string
	launch            int
	row               int
	outage            bool // the partnership has outage terms
	catIDs, catNames  []string
	cats              []BlockNodes
	own, total        BlockNodes
}

type modelRollup struct {
	key string
	BlockNodes
}

// ModelOptions says how to build a Model.
type ModelOptions struct {
	// ByMonth lists the addresses of drivers that get a node of their own
	// in every month, so that an evaluation can give them a value per
	// month (graph.Overrides; Monte Carlo's per-month inputs). The drivers
	// that WholeHorizonOnly names cannot be among them.
	ByMonth []string
}

// NewModel validates p and builds its model with every driver read once
// for the whole horizon (adjustments aside).
func NewModel(p *Portfolio) (*Model, error) { return BuildModel(p, ModelOptions{}) }

// BuildModel validates p and builds its model.
func BuildModel(p *Portfolio, o ModelOptions) (*Model, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return buildModel(p, o)
}

// Graph is the model's expression graph.
func (m *Model) Graph() *graph.Graph {
	if m == nil {
		return nil
	}
	return m.g
}

// Drivers lists the drivers the graph's inputs index: the portfolio's,
// then the adjustments' values. The slice is shared: do not modify it.
func (m *Model) Drivers() []Driver {
	if m == nil {
		return nil
	}
	return m.drivers
}

// Values returns the drivers' values in the portfolio, index-aligned with
// Drivers, in a new slice.
func (m *Model) Values() []decimal.Decimal {
	if m == nil {
		return nil
	}
	return append([]decimal.Decimal(nil), m.values...)
}

// Index returns the index of the driver at an address.
func (m *Model) Index(address string) (int, bool) {
	if m == nil {
		return 0, false
	}
	i, ok := m.index[address]
	return i, ok
}

// Months is the horizon.
func (m *Model) Months() int {
	if m == nil {
		return 0
	}
	return m.months
}

// Rows is the number of rows: every partnership's categories and own row.
func (m *Model) Rows() int {
	if m == nil {
		return 0
	}
	return len(m.rows)
}

// Row is the row of category j of partnership i (j = the number of its
// categories is its own row); −1 outside the model.
func (m *Model) Row(i, j int) int {
	if m == nil || i < 0 || i >= len(m.parts) || j < 0 || j > len(m.parts[i].cats) {
		return -1
	}
	return m.parts[i].row + j
}

// OwnRow is the row of partnership i's own lines.
func (m *Model) OwnRow(i int) int {
	if m == nil || i < 0 || i >= len(m.parts) {
		return -1
	}
	return m.parts[i].row + len(m.parts[i].cats)
}

// Line is the node of line l of a row in month t; −1 outside the model
// (as for Orders; Row and OwnRow give −1 for a partnership or category
// the model does not have, and the Nodes methods nil).
func (m *Model) Line(row, t int, l Line) graph.ID {
	if !m.has(row, t) || l < 0 || l >= NumLines {
		return -1
	}
	return m.rows[row].Monthly[t][l]
}

// Orders is the node of a row's expected orders in month t (zero for an
// own row).
func (m *Model) Orders(row, t int) graph.ID {
	if !m.has(row, t) {
		return -1
	}
	return m.rows[row].Orders[t]
}

// has reports whether row and month t are in the model.
func (m *Model) has(row, t int) bool {
	return m != nil && row >= 0 && row < len(m.rows) && t >= 0 && t < m.months
}

// RowNodes is the nodes of a row (Row, OwnRow).
func (m *Model) RowNodes(row int) *BlockNodes {
	if !m.has(row, 0) {
		return nil
	}
	return m.rows[row]
}

// PartnershipNodes is the nodes of partnership i's total (its categories
// and own lines).
func (m *Model) PartnershipNodes(i int) *BlockNodes {
	if m == nil || i < 0 || i >= len(m.parts) {
		return nil
	}
	return &m.parts[i].total
}

// ChannelNodes is the nodes of a channel's roll-up; false when no
// partnership has the channel.
func (m *Model) ChannelNodes(channel string) (*BlockNodes, bool) {
	if m == nil {
		return nil, false
	}
	return findRollup(m.channels, channel)
}

// CategoryNodes is the nodes of a category ID's roll-up over the
// partnerships (category lines only, as Statement.ByCategory).
func (m *Model) CategoryNodes(id string) (*BlockNodes, bool) {
	if m == nil {
		return nil, false
	}
	return findRollup(m.categories, id)
}

// PartnershipLevelNodes is the nodes of every partnership's own lines
// added up (Statement.PartnershipLevel).
func (m *Model) PartnershipLevelNodes() *BlockNodes {
	if m == nil {
		return nil
	}
	return &m.level
}

// PortfolioNodes is the nodes of the portfolio's statement.
func (m *Model) PortfolioNodes() *BlockNodes {
	if m == nil {
		return nil
	}
	return &m.portfolio
}

func findRollup(rs []modelRollup, key string) (*BlockNodes, bool) {
	for i := range rs {
		if rs[i].key == key {
			return &rs[i].BlockNodes, true
		}
	}
	return nil, false
}

// Evaluate evaluates the graph exactly at the given driver values (nil:
// the portfolio's), index-aligned with Drivers, with per-month overrides
// (nil: none; only drivers built ByMonth read them) and returns the
// statement. The values are not validated: a value outside its driver's
// range gives a statement (a zero divisor gives zero) but not a
// meaningful one.
func (m *Model) Evaluate(drivers []decimal.Decimal, over graph.Overrides) (*Statement, error) {
	if m == nil || m.g == nil {
		return nil, errors.New("costmodel: Evaluate on a nil Model (build one with NewModel)")
	}
	rate := m.rate
	if drivers == nil {
		drivers = m.values
	} else if i, ok := m.index["portfolio/discount_rate"]; ok && i < len(drivers) {
		// The NPVs discount at the rate among the given drivers, as the
		// statement of the portfolio with that rate does.
		r, err := MonthlyRate(drivers[i])
		if err != nil {
			return nil, err
		}
		rate = r
	}
	vals, err := m.g.Eval(drivers, over, nil)
	if err != nil {
		return nil, err
	}
	return m.statement(vals, rate), nil
}

// statement assembles the statement from the graph's values.
// rate is the monthly discount rate of its NPVs.
func (m *Model) statement(vals []decimal.Decimal, rate decimal.Decimal) *Statement {
	block := func(nb *BlockNodes) Block {
		b := Block{Monthly: make([]Amounts, m.months), Orders: make([]decimal.Decimal, m.months)}
		for t := range nb.Monthly {
			for l, id := range nb.Monthly[t] {
				b.Monthly[t][l] = vals[id]
			}
			b.Orders[t] = vals[nb.Orders[t]]
		}
		for l, id := range nb.Total {
			b.Total[l] = vals[id]
		}
		return b
	}
	minor := m.cur.MinorUnit
	st := &Statement{
		Currency:         m.cur,
		Start:            m.start,
		Months:           m.months,
		MonthlyRate:      rate,
		PartnershipLevel: block(&m.level),
		Portfolio:        block(&m.portfolio),
	}
	for i := range m.parts {
		mp := &m.parts[i]
		ps := PartnershipStatement{ID: mp.id, Name: mp.name, Channel: mp.channel, Own: block(&mp.own), Total: block(&mp.total), Outage: mp.outage}
		for j := range mp.cats {
			ps.Categories = append(ps.Categories, CategoryStatement{ID: mp.catIDs[j], Name: mp.catNames[j], Block: block(&mp.cats[j]),
				LandedCost: m.landedValues(vals, mp.row+j)})
		}
		ps.Measures = measure(&ps.Total, rate, max(m.months-mp.launch, 0), minor)
		st.Partnerships = append(st.Partnerships, ps)
	}
	for _, r := range m.channels {
		st.ByChannel = append(st.ByChannel, Rollup{Key: r.key, Block: block(&r.BlockNodes)})
	}
	for _, r := range m.categories {
		st.ByCategory = append(st.ByCategory, Rollup{Key: r.key, Block: block(&r.BlockNodes)})
	}
	st.Measures = measure(&st.Portfolio, rate, m.months, minor)
	if m.alloc != nil {
		st.Allocated = m.allocatedStatement(st, block)
	}
	return st
}

// modelBuilder writes a portfolio's statement into a graph. Each kind of
// line has one method here; a new cost line is one more.
type modelBuilder struct {
	*graph.Builder
	p      *Portfolio
	months int
	minor  int32

	index    map[*decimal.Decimal]int // driver of each input field
	addr     []string                 // address of each driver, for labels
	adjOf    map[int][]int            // adjustments targeting a driver, in order
	adjValue []int                    // driver of each adjustment's value
	active   [][]bool                 // active[k][t]: adjustment k applies in month t
	byMonth  []bool                   // driver has a node per month
	group    []int                    // month → months sharing every driver value
	adjusted map[[2]int]graph.ID      // driver × month → its adjusted node
	// demand holds every category's orders when some partnership takes
	// orders from others (takes.go); nil otherwise.
	demand   map[*Partnership][][]graph.ID
	thousand graph.ID
	million  graph.ID
	// landed is each category's landed cost per unit by month (−1 where
	// it has none), for categories on a lane (graphlane.go).
	landed map[*Category][]graph.ID
	// notDrivers counts fields read that are not drivers (a bug: every
	// number the formulas read is a driver); the tests require none.
	notDrivers int
}

func buildModel(p *Portfolio, o ModelOptions) (*Model, error) {
	refs := p.refs()
	cur, _ := LookupCurrency(p.Currency)
	rate, _ := MonthlyRate(p.DiscountRate)
	m := &Model{cur: cur, start: p.Start, months: p.Months, rate: rate, index: map[string]int{}}
	for _, r := range refs {
		m.index[r.addr] = len(m.drivers)
		m.drivers = append(m.drivers, r.driver())
		m.values = append(m.values, *r.ptr)
	}
	b := &modelBuilder{
		p: p, months: p.Months, minor: cur.MinorUnit,
		index:    make(map[*decimal.Decimal]int, len(refs)),
		adjOf:    map[int][]int{},
		adjusted: map[[2]int]graph.ID{},
	}
	for i, r := range refs {
		b.index[r.ptr] = i
		b.addr = append(b.addr, r.addr)
	}
	for k := range p.Adjustments {
		a := &p.Adjustments[k]
		addr := fmt.Sprintf("adjustments/%d/value", k+1)
		m.index[addr] = len(m.drivers)
		b.adjValue = append(b.adjValue, len(m.drivers))
		unit := "factor on " + a.Target
		switch a.Op {
		case Add:
			unit = "added to " + a.Target
		case SetTo:
			unit = "value of " + a.Target
		}
		targets, err := p.match(a.Target)
		if err != nil {
			return nil, err
		}
		tds := make([]Driver, len(targets))
		for i, r := range targets {
			tds[i] = r.driver()
		}
		lo, hi, words := adjustmentBounds(a.Op, tds)
		m.drivers = append(m.drivers, Driver{Address: addr, Unit: unit, Range: words, Value: a.Value, kind: kAdjustment, lo: lo, hi: hi})
		m.values = append(m.values, a.Value)
		for _, r := range targets {
			b.adjOf[b.index[r.ptr]] = append(b.adjOf[b.index[r.ptr]], k)
		}
		act := make([]bool, p.Months)
		for t := range act {
			act[t] = a.active(p, t)
		}
		b.active = append(b.active, act)
	}
	b.byMonth = make([]bool, len(m.drivers))
	for _, addr := range o.ByMonth {
		i, ok := m.index[addr]
		if !ok || i >= len(refs) {
			return nil, &FieldError{Path: addr, Expected: "the address of a driver (see Portfolio.Drivers)"}
		}
		if why := wholeHorizonOnly(addr); why != "" {
			return nil, &FieldError{Path: addr, Value: addr, Expected: why}
		}
		b.byMonth[i] = true
	}
	b.group = make([]int, p.Months)
	if plansByMonth(o.ByMonth) {
		for t := range b.group {
			b.group[t] = t
		}
	} else if len(p.Adjustments) > 0 {
		_, months := p.monthGroups()
		for g, ts := range months {
			for _, t := range ts {
				b.group[t] = g
			}
		}
	}
	b.Builder = graph.NewBuilder(len(m.drivers))
	// About 30 nodes and 85 operands per row and month, with the
	// subtotals and roll-ups (the benchmark portfolio has 30 and 84):
	// growing the graph to its size at once saves copying it as it grows.
	rows := len(p.Partnerships)
	for i := range p.Partnerships {
		rows += len(p.Partnerships[i].Categories)
	}
	b.Grow(32*rows*p.Months, 90*rows*p.Months)
	b.thousand = b.Const(thousand)
	b.million = b.Const(million)
	b.statement(m)
	m.g = b.Graph()
	m.notDrivers = b.notDrivers
	return m, nil
}

// whole is the node of a driver that holds for the whole horizon.
func (b *modelBuilder) whole(ptr *decimal.Decimal) graph.ID {
	i, ok := b.index[ptr]
	if !ok {
		b.notDrivers++
		return b.Const(*ptr)
	}
	return b.Input(i, graph.AllMonths)
}

// at is the node of a driver's value in month t: its per-month input when
// it varies by month, then every adjustment active in t applied in order,
// each rounded to 12 places as Portfolio.Update rounds.
func (b *modelBuilder) at(ptr *decimal.Decimal, t int) graph.ID {
	i, ok := b.index[ptr]
	if !ok {
		b.notDrivers++
		return b.Const(*ptr)
	}
	adjs := b.adjOf[i]
	if !b.byMonth[i] && len(adjs) == 0 {
		return b.Input(i, graph.AllMonths)
	}
	key := [2]int{i, t}
	if id, ok := b.adjusted[key]; ok {
		return id
	}
	x := b.Input(i, graph.AllMonths)
	if b.byMonth[i] {
		x = b.Input(i, t)
	}
	for _, k := range adjs {
		if !b.active[k][t] {
			continue
		}
		v := b.Input(b.adjValue[k], graph.AllMonths)
		if y, ok := applyOp(b.p.Adjustments[k].Op, x, v, b.Mul, b.Add); ok { // Validate refuses another op
			x = y
		}
		x = b.Round(x, maxDecimals)
		b.Label(x, fmt.Sprintf("%s with adjustment %d", b.addr[i], k+1))
	}
	b.adjusted[key] = x
	return x
}

// opt is at for an optional driver: graph.Unbounded when absent.
func (b *modelBuilder) opt(ptr *decimal.Decimal, t int) graph.ID {
	if ptr == nil {
		return graph.Unbounded
	}
	return b.at(ptr, t)
}

func (b *modelBuilder) money(x graph.ID) graph.ID { return b.Round(x, b.minor) }

func (b *modelBuilder) newBlock() BlockNodes {
	nb := BlockNodes{Monthly: make([][NumLines]graph.ID, b.months), Orders: make([]graph.ID, b.months)}
	z := b.Zero()
	for t := range nb.Monthly {
		for l := range nb.Monthly[t] {
			nb.Monthly[t][l] = z
		}
		nb.Orders[t] = z
	}
	for l := range nb.Total {
		nb.Total[l] = z
	}
	return nb
}

// derive writes the subtotals of a: each the signed sum of its Terms.
func (b *modelBuilder) derive(a *[NumLines]graph.ID) {
	var plus, minus [NumLines]graph.ID
	for l := Line(0); l < NumLines; l++ {
		terms := l.Terms()
		if terms == nil {
			continue
		}
		np, nm := 0, 0
		for _, t := range terms {
			if t.Sign > 0 {
				plus[np] = a[t.Line]
				np++
			} else {
				minus[nm] = a[t.Line]
				nm++
			}
		}
		a[l] = b.Sum(plus[:np], minus[:nm])
	}
}

// finish derives every month's subtotals and the totals over the horizon.
func (b *modelBuilder) finish(nb *BlockNodes) {
	for t := range nb.Monthly {
		b.derive(&nb.Monthly[t])
	}
	col := make([]graph.ID, b.months)
	for l := Line(0); l < NumLines; l++ {
		if l.IsSubtotal() {
			continue
		}
		for t := range nb.Monthly {
			col[t] = nb.Monthly[t][l]
		}
		nb.Total[l] = b.Sum(col, nil)
	}
	b.derive(&nb.Total)
}

// sumBlocks is the block whose base lines and orders are the sums of the
// parts', finished.
func (b *modelBuilder) sumBlocks(parts []*BlockNodes) BlockNodes {
	nb := b.newBlock()
	terms := make([]graph.ID, len(parts))
	for t := range nb.Monthly {
		for l := Line(0); l < NumLines; l++ {
			if l.IsSubtotal() {
				continue
			}
			for k, o := range parts {
				terms[k] = o.Monthly[t][l]
			}
			nb.Monthly[t][l] = b.Sum(terms, nil)
		}
		for k, o := range parts {
			terms[k] = o.Orders[t]
		}
		nb.Orders[t] = b.Sum(terms, nil)
		b.derive(&nb.Monthly[t])
	}
	// The totals are the parts' totals added: the same exact sum as the
	// months', with fewer terms.
	for l := Line(0); l < NumLines; l++ {
		if l.IsSubtotal() {
			continue
		}
		for k, o := range parts {
			terms[k] = o.Total[l]
		}
		nb.Total[l] = b.Sum(terms, nil)
	}
	b.derive(&nb.Total)
	return nb
}

// statement builds every row and roll-up of the portfolio into m.
func (b *modelBuilder) statement(m *Model) {
	p := b.p
	channels := map[string][]*BlockNodes{}
	categories := map[string][]*BlockNodes{}
	var totals, owns []*BlockNodes
	m.parts = make([]modelPartnership, len(p.Partnerships))
	b.demandOrders()
	row := 0
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		mp := &m.parts[i]
		*mp = modelPartnership{id: ps.ID, name: ps.Name, channel: ps.Channel, launch: ps.LaunchMonth, row: row, outage: ps.Outage != nil}
		row += len(ps.Categories) + 1
		mp.cats = b.partnershipIn(ps, &mp.own)
		b.keepLanded(m, ps, mp.row)
		for j := range ps.Categories {
			mp.catIDs = append(mp.catIDs, ps.Categories[j].ID)
			mp.catNames = append(mp.catNames, ps.Categories[j].Name)
		}
		parts := make([]*BlockNodes, 0, len(mp.cats)+1)
		for j := range mp.cats {
			b.finish(&mp.cats[j])
			parts = append(parts, &mp.cats[j])
			categories[ps.Categories[j].ID] = append(categories[ps.Categories[j].ID], &mp.cats[j])
		}
		b.finish(&mp.own)
		parts = append(parts, &mp.own)
		mp.total = b.sumBlocks(parts)
	}
	for i := range m.parts {
		mp := &m.parts[i]
		for j := range mp.cats {
			m.rows = append(m.rows, &mp.cats[j])
		}
		m.rows = append(m.rows, &mp.own)
		totals = append(totals, &mp.total)
		owns = append(owns, &mp.own)
		channels[mp.channel] = append(channels[mp.channel], &mp.total)
	}
	m.channels = b.rollups(channels)
	m.categories = b.rollups(categories)
	m.level = b.sumBlocks(owns)
	m.portfolio = b.sumBlocks(totals)
	if len(p.Allocation) > 0 {
		b.allocate(m)
	}
}

func (b *modelBuilder) rollups(by map[string][]*BlockNodes) []modelRollup {
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]modelRollup, len(keys))
	for i, k := range keys {
		out[i] = modelRollup{key: k, BlockNodes: b.sumBlocks(by[k])}
	}
	return out
}
