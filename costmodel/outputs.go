package costmodel

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Outputs: the figures read from a statement, named once for every reader
// (scenario comparisons and guardrails, Monte Carlo outputs). An Output is
// a Metric of a place (Scope and Key) over a Window of months; Output.Of
// reads its exact value from a Statement, and the simulation reads the
// same figure as weighted sums of the same lines of the model graph
// (montecarlo).
//
// Conventions, over the window's months:
//   - amounts (gmv … net_cash_flow) are the sums of the rounded lines;
//   - orders (a volume) is the sum of the expected orders, not rounded,
//     the same in the allocated view;
//   - ratios are the window's margin over the window's net sales,
//     undefined when those net sales are zero;
//   - npv is the present value, at the start of the horizon, of the
//     window's net cash flows (the months outside it count as zero), so
//     the NPVs of windows that partition the horizon add up to its NPV;
//   - payback_month is read over the horizon only: a payback restarted at
//     a window's first month is not a payback anyone reads, so any other
//     window is refused.

// Scope says where in the statement an output is read.
type Scope string

// The scopes of a statement.
const (
	ScopePortfolio   Scope = "portfolio"
	ScopePartnership Scope = "partnership" // Key: the partnership's ID
	ScopeChannel     Scope = "channel"     // Key: the channel
	ScopeCategory    Scope = "category"    // Key: a category ID, rolled up over partnerships
	// ScopeChannelCategory is a category ID within one channel, Key
	// "channel/category" ("marketplace/mugs"), split at the first "/".
	// Like ScopeCategory it holds category lines only (no partnership-level
	// costs).
	ScopeChannelCategory Scope = "channel_category"
)

// Scopes lists every scope.
var Scopes = []Scope{ScopePortfolio, ScopePartnership, ScopeChannel, ScopeCategory, ScopeChannelCategory}

// Metric is a figure read from a statement.
type Metric string

// The metrics of a statement. Each amount metric is the line of the same
// name (LineInfo.Metric); each ratio is its line over net sales
// (LineInfo.Ratio); NPV is of the net cash flow; payback is a 1-based
// month of the horizon.
const (
	MetricGMV               Metric = "gmv"
	MetricNetSales          Metric = "net_sales"
	MetricCM1               Metric = "cm1"
	MetricCM2               Metric = "cm2"
	MetricCM3               Metric = "cm3"
	MetricContribution      Metric = "contribution"
	MetricNetCashFlow       Metric = "net_cash_flow"
	MetricCM1Ratio          Metric = "cm1_ratio"
	MetricCM2Ratio          Metric = "cm2_ratio"
	MetricCM3Ratio          Metric = "cm3_ratio"
	MetricContributionRatio Metric = "contribution_ratio"
	MetricNPV               Metric = "npv"
	MetricPaybackMonth      Metric = "payback_month"
	// The two sides' values for fairness (LevelSides): the partner's
	// contribution, and each side's value with service credits and
	// customers acquired (see PartnerSide).
	MetricPartnerContribution Metric = "partner_contribution"
	MetricOurValue            Metric = "our_value"
	MetricPartnerValue        Metric = "partner_value"
	// MetricOrders is a volume, not an amount of money: the expected
	// orders of the place's categories over the window (Block.Orders,
	// the graph's order nodes; not rounded). Volumes are not allocated:
	// the allocated view has the same orders as the unallocated one (a
	// partnership's own lines have none). It is not in Metrics, the list
	// comparisons show; a reader asks for it by name (a deal milestone,
	// a guardrail, a Monte Carlo output).
	MetricOrders Metric = "orders"
	// The outage lines beside the waterfall (see Outage): the GMV lost
	// and the outages' net effect on the contribution. Like orders they
	// are not in Metrics; a reader asks for them by name (a deal's
	// service figures, a Monte Carlo output).
	MetricOutageLostGMV Metric = "outage_lost_gmv"
	MetricOutageImpact  Metric = "outage_impact"
	// MetricOutageCredit is the service credits and penalties (positive
	// when earned); MetricOutageDowntime the downtime in hours (a
	// volume, not money: its ratio and FX conversion are meaningless).
	MetricOutageCredit   Metric = "outage_credit"
	MetricOutageDowntime Metric = "outage_downtime_hours"
	// MetricOutageContingencyGain is what the contingency plan kept (the
	// contribution lost without it less the contribution lost with it)
	// less its fallback cost, on the same downtime: positive when the
	// contingency pays.
	MetricOutageContingencyGain Metric = "outage_contingency_gain"
)

// Metrics lists every metric, in the order comparisons show them: the
// amounts and then the ratios in waterfall order (as the line table
// marks them), then NPV and payback.
var Metrics = metricList()

// metricList lists the metrics in Metrics' order, from the line table.
func metricList() []Metric {
	var amounts, ratios []Metric
	for l := Line(0); l < NumLines; l++ {
		if lineTable[l].Metric && !lineTable[l].ByName {
			amounts = append(amounts, Metric(lineTable[l].Name))
		}
		if lineTable[l].Ratio {
			ratios = append(ratios, Metric(lineTable[l].Name+ratioSuffix))
		}
	}
	return append(append(amounts, ratios...), MetricNPV, MetricPaybackMonth)
}

const ratioSuffix = "_ratio"

// metricLines is the line each amount or ratio metric reads, derived from
// the line table.
var metricLines = func() map[Metric]Line {
	m := map[Metric]Line{}
	for l := Line(0); l < NumLines; l++ {
		if lineTable[l].Metric {
			m[Metric(lineTable[l].Name)] = l
		}
		if lineTable[l].Ratio {
			m[Metric(lineTable[l].Name+ratioSuffix)] = l
		}
	}
	return m
}()

// Line is the statement line the metric reads: the amount's line, or a
// ratio's numerator (over LineNetSales). ok is false for NPV and payback
// (read from the net cash flow month by month) and for an unknown metric.
func (m Metric) Line() (l Line, ok bool) {
	l, ok = metricLines[m]
	return l, ok
}

// IsRatio reports whether the metric is a ratio over net sales.
func (m Metric) IsRatio() bool { return strings.HasSuffix(string(m), ratioSuffix) && m.Valid() }

// Valid reports whether m is one of Metrics (read from the line table,
// not from the exported slice, which a caller could modify).
func (m Metric) Valid() bool {
	_, ok := metricLines[m]
	return ok || m == MetricNPV || m == MetricPaybackMonth || m == MetricOrders
}

// IsVolume reports whether the metric is a volume rather than an amount
// of money or a ratio: orders, or a line of hours (LineInfo.Hours, the
// outage downtime).
func (m Metric) IsVolume() bool {
	if m == MetricOrders {
		return true
	}
	l, ok := metricLines[m]
	return ok && !m.IsRatio() && !l.IsMoney()
}

// metricNames is the list of metrics an error message expects.
func metricNames() string {
	var s []string
	for _, m := range metricList() {
		s = append(s, string(m))
	}
	s = append(s, string(MetricOrders))
	return "one of " + strings.Join(s, ", ")
}

// Value is a metric's value, which may be undefined: a ratio over zero net
// sales, a payback never reached.
type Value struct {
	Amount decimal.Decimal
	Valid  bool
}

// String formats the amount, or "n/a" when the value is undefined.
func (v Value) String() string {
	if !v.Valid {
		return "n/a"
	}
	return v.Amount.String()
}

// WindowKind says how a Window picks its months.
type WindowKind string

// The kinds of window. Years and quarters are calendar ones; a window
// that runs past either end of the horizon holds the horizon's months
// only (the first quarter of a horizon starting in November holds
// November and December).
const (
	WindowHorizon  WindowKind = "horizon"  // every month (the zero Window)
	WindowYear     WindowKind = "year"     // the months of calendar year Year
	WindowQuarter  WindowKind = "quarter"  // quarter Quarter (1–4) of calendar year Year
	WindowMonth    WindowKind = "month"    // the month Month
	WindowRolling  WindowKind = "rolling"  // the Span months ending with Month
	WindowRange    WindowKind = "range"    // From to To, both included
	WindowCalendar WindowKind = "calendar" // the calendar months Calendar of every year (of year Year when set), named Name
)

// Window is a set of months of the horizon an output is read over. The
// zero Window is the whole horizon. In JSON:
//
//	{"kind": "quarter", "year": 2026, "quarter": 4}
//	{"kind": "rolling", "span": 3, "month": "2027-01"}
//	{"kind": "calendar", "name": "peak", "calendar": [11, 12]}
type Window struct {
	Kind     WindowKind `json:"kind,omitempty"`
	Year     int        `json:"year,omitempty"`
	Quarter  int        `json:"quarter,omitempty"`
	Month    Month      `json:"month,omitzero"`
	Span     int        `json:"span,omitempty"`
	From     Month      `json:"from,omitzero"`
	To       Month      `json:"to,omitzero"`
	Name     string     `json:"name,omitempty"`
	Calendar MonthSet   `json:"calendar,omitzero"`
}

// MonthSet is a set of calendar months, written in JSON as a list of
// month numbers, 1 = January … 12 = December ([11, 12]). It is a bit set
// so that a Window, and an Output, can be compared with ==. A list read
// from JSON with a number outside 1–12, or a month twice, is kept as
// such (bits 0 and 13) for Window.Months to report.
type MonthSet uint16

const (
	monthSetOutOfRange MonthSet = 1 << 0
	monthSetRepeated   MonthSet = 1 << 13
	monthSetValid      MonthSet = 0x1ffe // bits 1–12
)

// CalendarMonths is the set of the given calendar months (1–12); a number
// outside 1–12 marks the set invalid, as in JSON.
func CalendarMonths(months ...time.Month) MonthSet {
	var s MonthSet
	for _, m := range months {
		s = s.with(int(m))
	}
	return s
}

func (s MonthSet) with(m int) MonthSet {
	switch {
	case m < 1 || m > 12:
		return s | monthSetOutOfRange
	case s&(1<<m) != 0:
		return s | monthSetRepeated
	}
	return s | 1<<m
}

// Has reports whether calendar month m is in the set.
func (s MonthSet) Has(m time.Month) bool { return m >= 1 && m <= 12 && s&(1<<m) != 0 }

// List returns the set's months, ascending.
func (s MonthSet) List() []int {
	var out []int
	for m := 1; m <= 12; m++ {
		if s&(1<<m) != 0 {
			out = append(out, m)
		}
	}
	return out
}

// MarshalJSON writes the months as a list of numbers.
func (s MonthSet) MarshalJSON() ([]byte, error) {
	l := s.List()
	if l == nil {
		l = []int{}
	}
	return json.Marshal(l)
}

// UnmarshalJSON reads a list of month numbers.
func (s *MonthSet) UnmarshalJSON(b []byte) error {
	if s == nil {
		return fmt.Errorf("calendar: UnmarshalJSON into a nil *MonthSet")
	}
	var l []int
	if err := json.Unmarshal(b, &l); err != nil {
		return fmt.Errorf("calendar: expected a list of calendar months 1 (January) to 12 (December)")
	}
	*s = 0
	for _, m := range l {
		*s = s.with(m)
	}
	return nil
}

// Peak is the window of November and December of every year.
func Peak() Window {
	return Window{Kind: WindowCalendar, Name: "peak", Calendar: CalendarMonths(time.November, time.December)}
}

// IsHorizon reports whether the window is the whole horizon.
func (w Window) IsHorizon() bool { return w.Kind == "" || w.Kind == WindowHorizon }

// String names the window: "horizon", "2027", "2026-Q4", "2027-01", "3
// months to 2027-01", "2026-11 to 2027-01", "peak (11, 12)".
func (w Window) String() string {
	switch w.Kind {
	case "", WindowHorizon:
		return "horizon"
	case WindowYear:
		return strconv.Itoa(w.Year)
	case WindowQuarter:
		return fmt.Sprintf("%d-Q%d", w.Year, w.Quarter)
	case WindowMonth:
		return w.Month.String()
	case WindowRolling:
		return fmt.Sprintf("%d months to %s", w.Span, w.Month)
	case WindowRange:
		return fmt.Sprintf("%s to %s", w.From, w.To)
	case WindowCalendar:
		l := w.Calendar.List()
		s := make([]string, len(l))
		for i, c := range l {
			s[i] = strconv.Itoa(c)
		}
		name := w.Name
		if name == "" {
			name = "months"
		}
		if w.Year != 0 {
			name += " " + strconv.Itoa(w.Year)
		}
		return fmt.Sprintf("%s (%s)", name, strings.Join(s, ", "))
	}
	return string(w.Kind)
}

// Months returns the indices (0 = start) of the window's months within the
// horizon of n months from start, ascending. A malformed window, or one
// that selects no month of the horizon, is an error whose problems have
// JSON paths relative to the window ("span", "calendar[1]").
func (w Window) Months(start Month, n int) ([]int, error) {
	var pr Problems
	if !start.valid() || n <= 0 {
		pr.Add("", "", "a horizon with a valid start month and at least one month to read the window over")
		return nil, pr.Err()
	}
	month := func(path string, m Month) bool {
		if m.IsZero() {
			pr.Add(path, "", `a month "YYYY-MM"`)
			return false
		}
		if !m.valid() {
			pr.Add(path, quote(m.String()), `a month "YYYY-MM"`)
			return false
		}
		return true
	}
	in := func(idx int) bool { return true }
	switch w.Kind {
	case "", WindowHorizon:
	case WindowYear:
		if w.Year < 1900 || w.Year > 9999 {
			pr.Add("year", strconv.Itoa(w.Year), "a calendar year such as 2027")
		}
		in = func(idx int) bool { return start.Add(idx).Year == w.Year }
	case WindowQuarter:
		if w.Year < 1900 || w.Year > 9999 {
			pr.Add("year", strconv.Itoa(w.Year), "a calendar year such as 2027")
		}
		if w.Quarter < 1 || w.Quarter > 4 {
			pr.Add("quarter", strconv.Itoa(w.Quarter), "a quarter 1, 2, 3 or 4")
		}
		in = func(idx int) bool {
			m := start.Add(idx)
			return m.Year == w.Year && (int(m.Month)-1)/3+1 == w.Quarter
		}
	case WindowMonth:
		if month("month", w.Month) {
			k := w.Month.index() - start.index()
			in = func(idx int) bool { return idx == k }
		}
	case WindowRolling:
		if w.Span < 1 {
			pr.Add("span", strconv.Itoa(w.Span), "a number of months of at least 1")
		}
		if month("month", w.Month) {
			last := w.Month.index() - start.index()
			in = func(idx int) bool { return idx <= last && idx > last-w.Span }
		}
	case WindowRange:
		okFrom, okTo := month("from", w.From), month("to", w.To)
		if okFrom && okTo {
			if w.From.after(w.To) {
				pr.Add("to", quote(w.To.String()), fmt.Sprintf("a month no earlier than from (%s)", w.From))
			}
			lo, hi := w.From.index()-start.index(), w.To.index()-start.index()
			in = func(idx int) bool { return idx >= lo && idx <= hi }
		}
	case WindowCalendar:
		c := w.Calendar
		switch {
		case c&^monthSetValid&^monthSetOutOfRange&^monthSetRepeated != 0 || c&monthSetOutOfRange != 0:
			pr.Add("calendar", "", "calendar months 1 (January) to 12 (December) only")
		case c&monthSetRepeated != 0:
			pr.Add("calendar", "", "each calendar month once")
		case c == 0:
			pr.Add("calendar", "", "at least one calendar month (1 = January … 12 = December)")
		}
		// With a Year, those calendar months of that year only: the
		// peak of 2027 (a rule checked each year's peak).
		if w.Year != 0 && (w.Year < 1900 || w.Year > 9999) {
			pr.Add("year", strconv.Itoa(w.Year), "a calendar year such as 2027, or none for every year")
		}
		in = func(idx int) bool {
			m := start.Add(idx)
			return c.Has(m.Month) && (w.Year == 0 || m.Year == w.Year)
		}
	default:
		pr.Add("kind", quote(string(w.Kind)), "one of horizon, year, quarter, month, rolling, range, calendar")
	}
	w.strayFields(&pr)
	if pr.Len() > 0 {
		return nil, pr.Err()
	}
	var out []int
	for idx := range n {
		if in(idx) {
			out = append(out, idx)
		}
	}
	if len(out) == 0 {
		pr.Add("", w.String(), fmt.Sprintf("a window holding at least one month of the horizon %s to %s", start, start.Add(n-1)))
		return nil, pr.Err()
	}
	return out, nil
}

// windowFields are the fields each kind of window reads.
var windowFields = map[WindowKind][]string{
	"": nil, WindowHorizon: nil, WindowYear: {"year"}, WindowQuarter: {"year", "quarter"},
	WindowMonth: {"month"}, WindowRolling: {"span", "month"}, WindowRange: {"from", "to"},
	WindowCalendar: {"name", "calendar", "year"},
}

// strayFields reports the fields given that the window's kind does not
// read ("quarter" on a year): the user meant another kind, or a typo.
func (w Window) strayFields(pr *Problems) {
	want, ok := windowFields[w.Kind]
	if !ok {
		return // an unknown kind, reported already
	}
	kind := w.Kind
	if kind == "" {
		kind = WindowHorizon
	}
	for _, f := range []struct {
		name  string
		given bool
		value string
	}{
		{"year", w.Year != 0, strconv.Itoa(w.Year)}, {"quarter", w.Quarter != 0, strconv.Itoa(w.Quarter)},
		{"month", !w.Month.IsZero(), quote(w.Month.String())}, {"span", w.Span != 0, strconv.Itoa(w.Span)},
		{"from", !w.From.IsZero(), quote(w.From.String())}, {"to", !w.To.IsZero(), quote(w.To.String())},
		{"name", w.Name != "", quote(w.Name)}, {"calendar", w.Calendar != 0, "a list"},
	} {
		if f.given && !slices.Contains(want, f.name) {
			pr.Add(f.name, f.value, fmt.Sprintf("no %s in a %s window (it reads %s)", f.name, kind, fieldList(want)))
		}
	}
}

func fieldList(fs []string) string {
	if len(fs) == 0 {
		return "no other field"
	}
	return strings.Join(fs, " and ")
}

func quote(s string) string { return strconv.Quote(s) }

// Output names one figure of a statement: a metric of the portfolio, of a
// partnership (Key = its ID), of a channel, of a category ID, or of a
// category within a channel (Key "channel/category"), over a window of
// months (the whole horizon when Window is zero), in a view of the
// statement: unallocated (the zero View) or allocated, the
// partnership-level lines shared out to categories by the portfolio's
// allocation rules (Statement.Allocated; allocation.go). The view changes
// category and channel × category figures only.
type Output struct {
	Scope  Scope  `json:"scope"`
	Key    string `json:"key,omitempty"`
	Metric Metric `json:"metric"`
	Window Window `json:"window,omitzero"`
	View   View   `json:"view,omitempty"`
}

// String names the output in words: "partnership ebay npv",
// "portfolio cm3_ratio over peak (11, 12)".
func (o Output) String() string {
	s := fmt.Sprintf("%s %s %s", o.Scope, o.Key, o.Metric)
	if o.Scope == ScopePortfolio || o.Scope == "" {
		s = "portfolio " + string(o.Metric)
	}
	if !o.Window.IsHorizon() {
		s += " over " + o.Window.String()
	}
	if o.View.IsAllocated() {
		s += " (allocated)"
	}
	return s
}

// CheckShape reports the problems of the output that need no statement
// (the scope, the metric, the window's form and, for payback, that the
// window is the horizon) and of its window over the horizon of n months
// from start, each with its JSON path ("scope", "window.span"). It
// returns the window's months.
func (o Output) CheckShape(start Month, n int) ([]int, error) {
	var pr Problems
	if o.Scope != "" && !slices.Contains(Scopes, o.Scope) {
		pr.Add("scope", quote(string(o.Scope)), "portfolio, partnership, channel, category or channel_category")
	}
	if !o.Metric.Valid() {
		pr.Add("metric", quote(string(o.Metric)), metricNames())
	}
	if o.View != "" && o.View != Unallocated && o.View != Allocated {
		pr.Add("view", quote(string(o.View)), "unallocated (the default) or allocated")
	}
	if o.Metric == MetricPaybackMonth && !o.Window.IsHorizon() {
		pr.Add("window", o.Window.String(), "the horizon for payback_month (payback counts from the start of the horizon; read net_cash_flow or npv over a window)")
	}
	months, err := o.Window.Months(start, n)
	pr.Merge("window", err)
	return months, pr.Err()
}

// SplitChannelCategory splits a channel_category key "channel/category"
// at its first "/"; ok is false when there is no "/".
func SplitChannelCategory(key string) (channel, category string, ok bool) {
	return strings.Cut(key, "/")
}

// blocks finds the blocks whose sum is the output's place.
func (o Output) blocks(st *Statement) ([]*Block, error) {
	switch o.Scope {
	case ScopePortfolio, "":
		return []*Block{&st.Portfolio}, nil
	case ScopePartnership:
		if ps, ok := st.Partnership(o.Key); ok {
			return []*Block{&ps.Total}, nil
		}
	case ScopeChannel:
		for i := range st.ByChannel {
			if st.ByChannel[i].Key == o.Key {
				return []*Block{&st.ByChannel[i].Block}, nil
			}
		}
	case ScopeCategory:
		for i := range st.ByCategory {
			if st.ByCategory[i].Key == o.Key {
				return []*Block{&st.ByCategory[i].Block}, nil
			}
		}
	case ScopeChannelCategory:
		// No roll-up holds channel × category: sum the partnership ×
		// category rows, as every roll-up is defined.
		ch, cat, _ := SplitChannelCategory(o.Key)
		var bs []*Block
		for i := range st.Partnerships {
			ps := &st.Partnerships[i]
			if ps.Channel != ch {
				continue
			}
			for j := range ps.Categories {
				if ps.Categories[j].ID == cat {
					bs = append(bs, &ps.Categories[j].Block)
				}
			}
		}
		if len(bs) > 0 {
			return bs, nil
		}
		return nil, &FieldError{Path: "key", Value: quote(o.Key), Expected: `"channel/category": a channel of the portfolio and a category ID sold in it`}
	}
	return nil, &FieldError{Path: "key", Value: quote(o.Key), Expected: fmt.Sprintf("the key of a %s in the portfolio", o.Scope)}
}

// Check reports every problem of an output against the statement, each
// with its JSON path.
func (o Output) Check(st *Statement) error {
	_, _, err := o.resolve(st)
	return err
}

func (o Output) resolve(st *Statement) ([]*Block, []int, error) {
	if st == nil {
		return nil, nil, &FieldError{Path: "(statement)", Expected: "a statement to read the output from, not nil"}
	}
	var pr Problems
	months, err := o.CheckShape(st.Start, st.Months)
	pr.Merge("", err)
	if o.View.IsAllocated() {
		if st.Allocated == nil {
			pr.Add("view", quote(string(o.View)), "unallocated, or allocation rules in the portfolio (allocation) for the allocated view")
			return nil, nil, pr.Err()
		}
		st = st.Allocated
	}
	var bs []*Block
	if o.Scope == "" || slices.Contains(Scopes, o.Scope) {
		bs, err = o.blocks(st)
		pr.Merge("", err)
	}
	for _, b := range bs {
		if len(b.Monthly) != st.Months {
			pr.Add("(statement)", "", fmt.Sprintf("blocks of %d months, as the statement's horizon", st.Months))
			break
		}
	}
	if err := pr.Err(); err != nil {
		return nil, nil, err
	}
	return bs, months, nil
}

// Of reads the output's exact value from a statement (see the
// conventions above).
func (o Output) Of(st *Statement) (Value, error) {
	bs, months, err := o.resolve(st)
	if err != nil {
		return Value{}, err
	}
	sum := func(l Line) decimal.Decimal {
		s := decimal.Zero
		for _, b := range bs {
			for _, t := range months {
				s = s.Add(b.Monthly[t][l])
			}
		}
		return s
	}
	if o.Metric == MetricOrders {
		s := decimal.Zero
		for _, b := range bs {
			for _, t := range months {
				if t < len(b.Orders) {
					s = s.Add(b.Orders[t])
				}
			}
		}
		return Value{Amount: s, Valid: true}, nil
	}
	if l, ok := o.Metric.Line(); ok {
		if !o.Metric.IsRatio() {
			return Value{Amount: sum(l), Valid: true}, nil
		}
		r := ratio(sum(l), sum(LineNetSales))
		return Value{Amount: r.Value, Valid: r.Valid}, nil
	}
	// NPV and payback: the net cash flow month by month, zero outside
	// the window.
	flows := make([]decimal.Decimal, st.Months)
	for _, t := range months {
		for _, b := range bs {
			flows[t] = flows[t].Add(b.Monthly[t][LineNetCashFlow])
		}
	}
	if o.Metric == MetricNPV {
		npv, err := NPV(st.MonthlyRate, flows)
		if err != nil {
			return Value{}, err
		}
		return Value{Amount: npv.Round(st.Currency.MinorUnit), Valid: true}, nil
	}
	p := PaybackMonth(flows)
	return Value{Amount: decimal.NewFromInt(int64(p.Month)), Valid: p.Reached}, nil
}

// EachWindow lists the windows of one kind that cover the horizon of n
// months from start, in order, for a rule checked "each year", "each
// quarter", "each month" or "each rolling span": the calendar years and
// quarters the horizon touches (the first and last may be partial), every
// month, or the rolling spans of span months ending at each month from
// the first full span on (a span reaching back before the horizon would
// sum fewer months than its name says, so none is listed). The horizon
// kind gives the horizon itself; a range or a calendar set is one window
// already, and is refused.
func EachWindow(kind WindowKind, span int, start Month, n int) ([]Window, error) {
	if !start.valid() || n <= 0 {
		return nil, &FieldError{Path: "(horizon)", Expected: "a horizon with a valid start month and at least one month"}
	}
	var out []Window
	add := func(w Window) {
		if len(out) == 0 || out[len(out)-1] != w {
			out = append(out, w)
		}
	}
	switch kind {
	case "", WindowHorizon:
		return []Window{{}}, nil
	case WindowYear, WindowQuarter, WindowMonth:
		for t := range n {
			m := start.Add(t)
			switch kind {
			case WindowYear:
				add(Window{Kind: WindowYear, Year: m.Year})
			case WindowQuarter:
				add(Window{Kind: WindowQuarter, Year: m.Year, Quarter: (int(m.Month)-1)/3 + 1})
			default:
				add(Window{Kind: WindowMonth, Month: m})
			}
		}
	case WindowRolling:
		if span < 1 || span > n {
			return nil, &FieldError{Path: "span", Value: strconv.Itoa(span), Expected: fmt.Sprintf("a rolling span of 1 to %d months (the horizon's length)", n)}
		}
		for t := span - 1; t < n; t++ {
			add(Window{Kind: WindowRolling, Span: span, Month: start.Add(t)})
		}
	default:
		return nil, &FieldError{Path: "kind", Value: quote(string(kind)), Expected: "horizon, year, quarter, month or rolling: the kinds that repeat over the horizon"}
	}
	return out, nil
}
