package scenario

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Rule is one guardrail ("price discipline"): a metric of some place
// must stay at or above Min and at or below Max (either may be nil). Key
// "*" applies the rule to every place of the scope. A minimum CM ratio
// per category is {Scope: Category, Key: "*", Metric: CM3Ratio, Min: 0.15};
// a maximum payback is {Scope: Partnership, Key: "*", Metric:
// PaybackMonth, Max: 12}. An undefined value (no net sales, payback never
// reached) cannot be checked against a limit: it is listed as a Breach
// marked Undefined, never passed and never compared as if it were 0.
type Rule struct {
	Name   string           `json:"name,omitempty"`
	Scope  Scope            `json:"scope"`
	Key    string           `json:"key,omitempty"`
	Metric Metric           `json:"metric"`
	Min    *decimal.Decimal `json:"min,omitempty"`
	Max    *decimal.Decimal `json:"max,omitempty"`
}

func (r Rule) label() string {
	if r.Name != "" {
		return r.Name
	}
	switch {
	case r.Min != nil && r.Max != nil:
		return fmt.Sprintf("%s between %s and %s", r.Metric, r.Min, r.Max)
	case r.Min != nil:
		return fmt.Sprintf("%s ≥ %s", r.Metric, r.Min)
	}
	return fmt.Sprintf("%s ≤ %s", r.Metric, r.Max)
}

// Breach is one guardrail broken: where, by how much, under which scenario.
type Breach struct {
	Scenario string
	Rule     string
	Scope    Scope
	Key      string
	Metric   Metric
	Value    Value
	Limit    decimal.Decimal
	// Undefined is set when Value is undefined (a ratio over zero net
	// sales, a payback not reached within the horizon): the rule could
	// not be checked, so the place is listed for a person to look at.
	// Limit is then the rule's minimum, or its maximum when it has none.
	Undefined bool
}

// String describes the breach in words: "scenario peak: partnership shop
// cm3_ratio 0.04 is below the minimum 0.05 (rule ...)", or "... is
// undefined (n/a), so the minimum 0.05 cannot be checked".
func (b Breach) String() string {
	where := Output{Scope: b.Scope, Key: b.Key, Metric: b.Metric}.String()
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
	return fmt.Sprintf("%s: %s %s is %s %s (rule %q)", b.Scenario, where, b.Value, side, decText(b.Limit), b.Rule)
}

// Guardrails is a set of rules.
type Guardrails []Rule

// Validate checks every rule against a statement's places: unknown
// partnerships, channels or categories, unknown metrics, rules without a
// limit. Every problem is reported.
func (g Guardrails) Validate(st *costmodel.Statement) error {
	if st == nil {
		return errNoStatement()
	}
	var pr costmodel.Problems
	for i, r := range g {
		if r.Scope == "" {
			r.Scope = Portfolio
		}
		at := fmt.Sprintf("guardrails[%d]", i)
		if r.Min == nil && r.Max == nil {
			pr.Add(at, "", "a min or a max")
		}
		if !r.Metric.Valid() {
			pr.Add(at+".metric", quote(r.Metric), "a metric such as cm3_ratio, contribution, payback_month")
		}
		if r.Scope == Portfolio || r.Key == "*" {
			if r.Scope != Portfolio && r.Scope != Partnership && r.Scope != Channel && r.Scope != Category {
				pr.Add(at+".scope", quote(r.Scope), "portfolio, partnership, channel or category")
			}
			continue
		}
		if err := (Output{Scope: r.Scope, Key: r.Key, Metric: GMV}).Check(st); err != nil {
			pr.Merge(at, err)
		}
	}
	return pr.Err()
}

// Check lists every breach of the rules in a statement, labelled with the
// scenario's name, in rule order and then place order.
func (g Guardrails) Check(scenario string, st *costmodel.Statement) ([]Breach, error) {
	if err := g.Validate(st); err != nil {
		return nil, err
	}
	var out []Breach
	places := Places(st)
	for _, r := range g {
		if r.Scope == "" {
			r.Scope = Portfolio // a rule without a scope is on the portfolio
		}
		for _, pl := range places {
			if pl.Scope != r.Scope {
				continue
			}
			if r.Scope != Portfolio && r.Key != "*" && r.Key != pl.Key {
				continue
			}
			v, err := Output{Scope: pl.Scope, Key: pl.Key, Metric: r.Metric}.Of(st)
			if err != nil {
				return nil, err
			}
			b := Breach{Scenario: scenario, Rule: r.label(), Scope: pl.Scope, Key: pl.Key, Metric: r.Metric, Value: v}
			switch {
			case !v.Valid:
				b.Undefined = true
				b.Limit = *cmpOr(r.Min, r.Max)
				out = append(out, b)
			case r.Min != nil && v.Amount.LessThan(*r.Min):
				b.Limit = *r.Min
				out = append(out, b)
			case r.Max != nil && v.Amount.GreaterThan(*r.Max):
				b.Limit = *r.Max
				out = append(out, b)
			}
		}
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
	switch {
	case c == nil:
		return nil, errNil("comparison", "a comparison from Compare (got nil)")
	case len(c.Statements) != len(c.Scenarios):
		return nil, errNil("comparison", fmt.Sprintf("one statement per scenario (%d scenarios, %d statements): a comparison from Compare", len(c.Scenarios), len(c.Statements)))
	}
	out, err := g.Check("base", c.Base)
	if err != nil {
		return nil, err
	}
	for i, s := range c.Scenarios {
		b, err := g.Check(s.Name, c.Statements[i])
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}
