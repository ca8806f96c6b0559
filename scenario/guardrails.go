package scenario

import (
	"fmt"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Rule is one guardrail ("price discipline"): a metric of some place
// must stay at or above Min and at or below Max (either may be nil) in
// every window of Window (the whole horizon when Window is zero). Key
// "*" applies the rule to every place (cell) of the scope. A minimum CM
// ratio per category in each year's peak is {Scope: Category, Key: "*",
// Metric: CM3Ratio, Min: 0.10, Window: EachPeak()}; a maximum payback is
// {Scope: Partnership, Key: "*", Metric: PaybackMonth, Max: 12}. An
// undefined value (no net sales in the window, payback never reached)
// cannot be checked against a limit: it is listed as a Breach marked
// Undefined, never passed and never compared as if it were 0.
//
// Every value a rule reads is an Output (Rule.Output) read by
// costmodel's Output.Of from a statement, and by the simulation from the
// same lines of the model graph: a rule has no arithmetic of its own.
type Rule struct {
	Name   string           `json:"name,omitempty"`
	Scope  Scope            `json:"scope"`
	Key    string           `json:"key,omitempty"`
	Metric Metric           `json:"metric"`
	Min    *decimal.Decimal `json:"min,omitempty"`
	Max    *decimal.Decimal `json:"max,omitempty"`
	Window RuleWindow       `json:"window,omitzero"`
	// View is the view the rule reads: unallocated (the default, also
	// "") or allocated, the partnership-level costs spread over the
	// categories by the portfolio's allocation rules (Output.View).
	View costmodel.View `json:"view,omitempty"`
}

// Label is the rule's name, or its definition when it has none.
func (r Rule) Label() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Definition()
}

func (r Rule) label() string { return r.Label() }

// Definition states the rule in words, as a reader of the workbook reads
// it: "every category's CM3 ratio ≥ 10% in each peak (11, 12)",
// "partnership feedlink's payback month ≤ 12 months over the horizon".
func (r Rule) Definition() string {
	where := string(r.Scope)
	switch {
	case r.Scope == "" || r.Scope == Portfolio:
		where = "the portfolio's"
	case r.Key == "*":
		where = "every " + string(r.Scope) + "'s"
	default:
		where += " " + r.Key + "'s"
	}
	var lim string
	switch {
	case r.Min != nil && r.Max != nil:
		lim = fmt.Sprintf("between %s and %s", r.limitWords(*r.Min), r.limitWords(*r.Max))
	case r.Min != nil:
		lim = "≥ " + r.limitWords(*r.Min)
	case r.Max != nil:
		lim = "≤ " + r.limitWords(*r.Max)
	default:
		lim = "(no limit)"
	}
	in := "over the horizon"
	if s := r.Window.String(); s != "horizon" {
		in = "in " + s
	}
	if r.View.IsAllocated() {
		in += " (allocated view)"
	}
	return fmt.Sprintf("%s %s %s %s", where, metricWords(r.Metric), lim, in)
}

// limitWords writes a limit as a reader does: a ratio in per cent (0.15
// is 15%), a payback in months, an amount as given.
func (r Rule) limitWords(v decimal.Decimal) string {
	switch {
	case r.Metric.IsRatio():
		return v.Shift(2).String() + "%"
	case r.Metric == PaybackMonth:
		return v.String() + " months"
	}
	return v.String()
}

// metricWords names a metric in words: its statement line's label (a
// ratio's with " ratio"; lower case inside a sentence unless an
// abbreviation), else NPV, payback month or its name.
func metricWords(m Metric) string {
	if m == ContributionRatio {
		return "contribution margin" // contribution ÷ net sales, as the workbook names it
	}
	if l, ok := m.Line(); ok {
		w := l.Label()
		if len(w) > 1 && w[1] >= 'a' && w[1] <= 'z' { // "Net sales", not "CM3"
			w = strings.ToLower(w[:1]) + w[1:]
		}
		if m.IsRatio() {
			return w + " ratio"
		}
		return w
	}
	switch m {
	case NPV:
		return "NPV"
	case PaybackMonth:
		return "payback month"
	}
	return strings.ReplaceAll(string(m), "_", " ")
}

// Output is the figure the rule reads in one cell (key) and window.
func (r Rule) Output(key string, w Window) Output {
	scope := r.Scope
	if scope == "" {
		scope = Portfolio
	}
	return Output{Scope: scope, Key: key, Metric: r.Metric, Window: w, View: r.View}
}

// Headroom is how far inside the rule's limits v is: v − Min for a
// minimum, Max − v for a maximum, the smaller of the two for both. It is
// negative when v breaks the rule, and then −Headroom is how far past
// the limit it is. limit is the limit nearest to v.
func (r Rule) Headroom(v decimal.Decimal) (headroom, limit decimal.Decimal) {
	switch {
	case r.Min != nil && r.Max != nil:
		lo, hi := v.Sub(*r.Min), r.Max.Sub(v)
		if lo.LessThanOrEqual(hi) {
			return lo, *r.Min
		}
		return hi, *r.Max
	case r.Min != nil:
		return v.Sub(*r.Min), *r.Min
	case r.Max != nil:
		return r.Max.Sub(v), *r.Max
	}
	return decimal.Zero, decimal.Zero
}

// Breach is one guardrail broken: where (the cell and the window), by
// how much, under which scenario.
type Breach struct {
	Scenario string
	Rule     string
	Scope    Scope
	Key      string
	Metric   Metric
	// Window is the window the value is read over (zero: the horizon).
	Window Window
	Value  Value
	Limit  decimal.Decimal
	// Exceed is how far past the limit the value is (Limit − Value
	// below a minimum, Value − Limit above a maximum), > 0; zero when
	// Undefined.
	Exceed decimal.Decimal
	// Undefined is set when Value is undefined (a ratio over zero net
	// sales, a payback not reached within the horizon): the rule could
	// not be checked, so the place is listed for a person to look at.
	// Limit is then the rule's minimum, or its maximum when it has none.
	Undefined bool
}

// String describes the breach in words: "scenario peak: partnership shop
// cm3_ratio over 2026-12 0.04 is below the minimum 0.05 by 0.01 (rule
// ...)", or "... is undefined (n/a), so the minimum 0.05 cannot be
// checked".
func (b Breach) String() string {
	where := Output{Scope: b.Scope, Key: b.Key, Metric: b.Metric, Window: b.Window}.String()
	switch {
	case b.Undefined && b.Metric == PaybackMonth:
		return fmt.Sprintf("%s: %s is undefined (n/a): payback is not reached within the horizon, so the rule %q (limit %s) is listed for review", b.Scenario, where, b.Rule, decText(b.Limit))
	case b.Undefined:
		return fmt.Sprintf("%s: %s is undefined (n/a: no net sales), so the rule %q cannot be checked against its limit %s", b.Scenario, where, b.Rule, decText(b.Limit))
	}
	side := "above the maximum"
	if b.Value.Amount.LessThan(b.Limit) {
		side = "below the minimum"
	}
	return fmt.Sprintf("%s: %s %s is %s %s by %s (rule %q)", b.Scenario, where, b.Value, side, decText(b.Limit), decText(b.Exceed), b.Rule)
}

// Severity is the breach's exceedance relative to the larger of |Limit|
// and |Value| (0 to 2), to rank breaches of different metrics: a CM ratio
// of 4 % against a 10 % floor is 0.6, a contribution of −5,000 against a
// floor of 0 is 1. An undefined breach has severity 0.
func (b Breach) Severity() float64 {
	if b.Undefined {
		return 0
	}
	den := decimal.Max(b.Limit.Abs(), b.Value.Amount.Abs())
	if den.IsZero() {
		return 0
	}
	return b.Exceed.Div(den).InexactFloat64()
}

// WindowCheck is one window of a rule checked on a statement: the cell
// nearest to its limit (or furthest past it) and how many cells break it.
type WindowCheck struct {
	Window Window
	// Key is the worst cell's key ("" for the portfolio), Value its value
	// and Headroom (Rule.Headroom) how far inside the limit it is:
	// negative when the window is breached. With no defined value in
	// the window, Valid is false.
	Key      string
	Value    Value
	Headroom decimal.Decimal
	Valid    bool
	// Breached and Undefined count the window's cells past the limit and
	// those whose value is undefined.
	Breached, Undefined int
}

// RuleCheck is one rule checked on one statement, window by window.
type RuleCheck struct {
	Scenario string
	Rule     Rule
	Windows  []WindowCheck
	// Worst is the index in Windows of the window with the least
	// headroom (the worst breach, or the nearest miss); −1 when no
	// window has a defined value.
	Worst int
	// Breaches lists every breach, window by window and cell by cell.
	Breaches []Breach
}

// Guardrails is a set of rules.
type Guardrails []Rule

// Validate checks every rule against a statement's places and horizon:
// unknown partnerships, channels or categories, unknown metrics or
// scopes, rules without a limit or with a minimum above the maximum,
// windows outside the horizon or malformed (see RuleWindow.Windows).
// Every problem is reported, at its path ("guardrails[2].window.span").
func (g Guardrails) Validate(st *costmodel.Statement) error {
	if st == nil {
		return errNoStatement()
	}
	var pr costmodel.Problems
	for i, r := range g {
		at := fmt.Sprintf("guardrails[%d]", i)
		validateRule(&pr, at, r, st.Start, st.Months, func() error {
			return (Output{Scope: r.Scope, Key: r.Key, Metric: GMV}).Check(st)
		})
		if r.View.IsAllocated() && st.Allocated == nil {
			pr.Add(at+".view", `"allocated"`, "unallocated, or allocation rules in the portfolio (allocation) for the allocated view")
		}
	}
	return pr.Err()
}

// ValidateFor checks every rule against a portfolio's places and horizon,
// as Validate does against its statement, without evaluating it (the
// simulation checks its rules so).
func (g Guardrails) ValidateFor(p *costmodel.Portfolio) error {
	if p == nil {
		return errNoPortfolio()
	}
	var pr costmodel.Problems
	for i, r := range g {
		at := fmt.Sprintf("guardrails[%d]", i)
		if r.View.IsAllocated() && len(p.Allocation) == 0 {
			pr.Add(at+".view", `"allocated"`, "unallocated, or allocation rules in the portfolio (allocation) for the allocated view")
		}
		validateRule(&pr, at, r, p.Start, p.Months, func() error {
			for _, k := range PortfolioKeys(p, r.Scope) {
				if k == r.Key {
					return nil
				}
			}
			return &costmodel.FieldError{Path: "key", Value: quote(r.Key), Expected: fmt.Sprintf("the key of a %s in the portfolio", r.Scope)}
		})
	}
	return pr.Err()
}

// validateRule records the problems of rule r at path at, over the
// horizon of n months from start; checkKey checks a rule's own key.
func validateRule(pr *costmodel.Problems, at string, r Rule, start costmodel.Month, n int, checkKey func() error) {
	if r.Scope == "" {
		r.Scope = Portfolio
	}
	if r.Min == nil && r.Max == nil {
		pr.Add(at, "", "a min or a max")
	}
	if r.Min != nil && r.Max != nil && r.Min.GreaterThan(*r.Max) {
		pr.Add(at+".max", r.Max.String(), fmt.Sprintf("a max at or above the min (%s)", r.Min))
	}
	if r.View != "" && r.View != costmodel.Unallocated && r.View != costmodel.Allocated {
		pr.Add(at+".view", quote(string(r.View)), "unallocated (the default) or allocated")
	}
	if !r.Metric.Valid() {
		pr.Add(at+".metric", quote(r.Metric), "a metric such as cm3_ratio, contribution, payback_month")
	}
	ws, err := r.Window.Windows(start, n)
	pr.Merge(at+".window", err)
	if r.Metric == PaybackMonth && (len(ws) != 1 || !ws[0].IsHorizon()) && err == nil {
		pr.Add(at+".window", r.Window.String(), "the horizon for payback_month (payback counts from the start of the horizon; use net_cash_flow or npv over windows)")
	}
	known := false
	for _, s := range costmodel.Scopes {
		known = known || s == r.Scope
	}
	switch {
	case !known:
		pr.Add(at+".scope", quote(r.Scope), "portfolio, partnership, channel, category or channel_category")
	case r.Scope == Portfolio:
	case r.Key == "":
		pr.Add(at+".key", "", fmt.Sprintf(`the key of a %s, or "*" for every one`, r.Scope))
	case r.Key != "*":
		if err := checkKey(); err != nil {
			pr.Merge(at, err)
		}
	}
}

// PortfolioKeys lists the keys of a scope's places in a portfolio:
// partnership IDs in portfolio order; channels, category IDs and
// "channel/category" keys in order of first appearance; [""] for the
// portfolio.
func PortfolioKeys(p *costmodel.Portfolio, scope Scope) []string {
	if p == nil {
		return nil
	}
	if scope == "" || scope == Portfolio {
		return []string{""}
	}
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, ps := range p.Partnerships {
		switch scope {
		case Partnership:
			add(ps.ID)
		case Channel:
			add(ps.Channel)
		case Category, ChannelCategory:
			for _, c := range ps.Categories {
				if scope == Category {
					add(c.ID)
				} else {
					add(ps.Channel + "/" + c.ID)
				}
			}
		}
	}
	return out
}

// cells lists the keys the rule applies to in a statement.
func (r Rule) cells(st *costmodel.Statement) []string {
	switch {
	case r.Scope == "" || r.Scope == Portfolio:
		return []string{""}
	case r.Key != "*":
		return []string{r.Key}
	}
	return ScopeKeys(st, r.Scope)
}

// ScopeKeys lists the keys of a scope's places in a statement, in
// statement order: partnership IDs, channels, category IDs, or
// "channel/category" for every category sold in a channel; [""] for the
// portfolio.
func ScopeKeys(st *costmodel.Statement, scope Scope) []string {
	if st == nil {
		return nil
	}
	var out []string
	switch scope {
	case "", Portfolio:
		return []string{""}
	case Partnership:
		for _, ps := range st.Partnerships {
			out = append(out, ps.ID)
		}
	case Channel:
		for _, r := range st.ByChannel {
			out = append(out, r.Key)
		}
	case Category:
		for _, r := range st.ByCategory {
			out = append(out, r.Key)
		}
	case ChannelCategory:
		seen := map[string]bool{}
		for _, ch := range st.ByChannel {
			for _, ps := range st.Partnerships {
				if ps.Channel != ch.Key {
					continue
				}
				for _, c := range ps.Categories {
					k := ch.Key + "/" + c.ID
					if !seen[k] {
						seen[k] = true
						out = append(out, k)
					}
				}
			}
		}
	}
	return out
}

// CheckRules checks every rule on a statement, window by window and cell
// by cell, labelling the results with the scenario's name.
func (g Guardrails) CheckRules(scenario string, st *costmodel.Statement) ([]RuleCheck, error) {
	if err := g.Validate(st); err != nil {
		return nil, err
	}
	out := make([]RuleCheck, 0, len(g))
	for _, r := range g {
		rc, err := r.check(scenario, st)
		if err != nil {
			return nil, err
		}
		out = append(out, rc)
	}
	return out, nil
}

// check checks one validated rule.
func (r Rule) check(scenario string, st *costmodel.Statement) (RuleCheck, error) {
	if r.Scope == "" {
		r.Scope = Portfolio // a rule without a scope is on the portfolio
	}
	rc := RuleCheck{Scenario: scenario, Rule: r, Worst: -1}
	ws, err := r.Window.Windows(st.Start, st.Months)
	if err != nil {
		return rc, err
	}
	keys := r.cells(st)
	for _, w := range ws {
		wc := WindowCheck{Window: w}
		for _, k := range keys {
			v, err := r.Output(k, w).Of(st)
			if err != nil {
				return rc, err
			}
			b := Breach{Scenario: scenario, Rule: r.label(), Scope: r.Scope, Key: k, Metric: r.Metric, Window: w, Value: v}
			if !v.Valid {
				wc.Undefined++
				b.Undefined = true
				b.Limit = *cmpOr(r.Min, r.Max)
				rc.Breaches = append(rc.Breaches, b)
				continue
			}
			h, lim := r.Headroom(v.Amount)
			if !wc.Valid || h.LessThan(wc.Headroom) {
				wc.Key, wc.Value, wc.Headroom, wc.Valid = k, v, h, true
			}
			if h.IsNegative() {
				wc.Breached++
				b.Limit, b.Exceed = lim, h.Neg()
				rc.Breaches = append(rc.Breaches, b)
			}
		}
		rc.Windows = append(rc.Windows, wc)
		if wc.Valid && (rc.Worst < 0 || wc.Headroom.LessThan(rc.Windows[rc.Worst].Headroom)) {
			rc.Worst = len(rc.Windows) - 1
		}
	}
	return rc, nil
}

// Check lists every breach of the rules in a statement, labelled with the
// scenario's name, in rule order, then window order, then place order.
func (g Guardrails) Check(scenario string, st *costmodel.Statement) ([]Breach, error) {
	rcs, err := g.CheckRules(scenario, st)
	if err != nil {
		return nil, err
	}
	var out []Breach
	for _, rc := range rcs {
		out = append(out, rc.Breaches...)
	}
	return out, nil
}

// cmpOr returns the first non-nil limit.
func cmpOr(a, b *decimal.Decimal) *decimal.Decimal {
	if a != nil {
		return a
	}
	return b
}

// CheckComparison lists the breaches in the base case (scenario "base")
// and in every scenario of a comparison.
func (g Guardrails) CheckComparison(c *Comparison) ([]Breach, error) {
	rcs, err := g.CheckRulesComparison(c)
	if err != nil {
		return nil, err
	}
	var out []Breach
	for _, rc := range rcs {
		out = append(out, rc.Breaches...)
	}
	return out, nil
}

// CheckRulesComparison checks the rules on the base case (scenario
// "base") and then on every scenario of a comparison: for each, the
// rules in order (CheckRules).
func (g Guardrails) CheckRulesComparison(c *Comparison) ([]RuleCheck, error) {
	switch {
	case c == nil:
		return nil, errNil("comparison", "a comparison from Compare (got nil)")
	case len(c.Statements) != len(c.Scenarios):
		return nil, errNil("comparison", fmt.Sprintf("one statement per scenario (%d scenarios, %d statements): a comparison from Compare", len(c.Scenarios), len(c.Statements)))
	}
	out, err := g.CheckRules("base", c.Base)
	if err != nil {
		return nil, err
	}
	for i, s := range c.Scenarios {
		b, err := g.CheckRules(s.Name, c.Statements[i])
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// WorstBreach is the breach of greatest Severity, first in order among
// equals; ok is false when no breach has a defined value.
func WorstBreach(bs []Breach) (worst Breach, ok bool) {
	for _, b := range bs {
		if b.Undefined {
			continue
		}
		if !ok || b.Severity() > worst.Severity() {
			worst, ok = b, true
		}
	}
	return worst, ok
}
