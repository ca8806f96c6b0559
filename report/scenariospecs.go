package report

import (
	"fmt"
	"strings"

	"github.com/marginalhq/marginal/scenario"
)

// scenarioSpecs writes, beside the comparison on the Scenarios sheet from
// row, what each scenario changes (its shocks: target, operation, value
// and months) and the guardrails checked on it, their rules in words, so
// a reader sees what was assumed and not only what came out. It returns
// the next free row.
func (b *book) scenarioSpecs(g grid, c *scenario.Comparison, row int) int {
	lk := b.lk
	g.text(scSide, row, "What each scenario changes (its shocks, applied in order to the base case's drivers)", lk.Bold)
	g.header(scSide, row+1, "Scenario", "Target (address or pattern)", "Operation", "Value", "Months", "Description")
	r := row + 2
	for _, s := range c.Scenarios {
		if len(s.Shocks) == 0 {
			g.text(scSide, r, s.Name, 0)
			g.text(scSide+1, r, "(no shocks: the base case)", lk.Note)
			r++
			continue
		}
		for k, sh := range s.Shocks {
			g.text(scSide, r, s.Name, 0)
			g.text(scSide+1, r, sh.Target, 0)
			g.text(scSide+2, r, shockOp(sh), 0)
			g.value(scSide+3, r, num(sh.Value), lk.Figure) // up to six decimals: a growth multiplier
			g.text(scSide+4, r, b.shockMonths(sh), 0)
			if k == 0 {
				g.text(scSide+5, r, s.Description, 0)
			}
			r++
		}
	}
	r++
	rules := b.checkedRules()
	g.text(scSide, r, "Guardrails checked on every scenario", lk.Bold)
	r++
	if len(rules) == 0 {
		g.text(scSide, r, "None was given for this review.", lk.Note)
		return r + 2
	}
	g.header(scSide, r, "Guardrail", "Rule in words")
	r++
	for _, rule := range rules {
		g.text(scSide, r, rule.Label(), 0)
		g.text(scSide+1, r, rule.Definition(), 0)
		r++
	}
	return r + 1
}

// checkedRules is each guardrail of Options.Guardrails once, in order.
func (b *book) checkedRules() []scenario.Rule {
	var rules []scenario.Rule
	seen := map[string]bool{}
	for _, rc := range b.opt.Guardrails {
		d := rc.Rule.Label() + "\x00" + rc.Rule.Definition()
		if !seen[d] {
			seen[d] = true
			rules = append(rules, rc.Rule)
		}
	}
	return rules
}

// shockOp says what a shock does to its drivers' values, in words.
func shockOp(sh scenario.Shock) string {
	switch strings.ToLower(string(sh.Op)) {
	case "set":
		return "set to"
	case "multiply":
		return "multiply by"
	case "add":
		return "add"
	}
	return string(sh.Op)
}

// shockMonths says in which months a shock applies: every month, a
// range of months (From and To are offsets from the portfolio's start,
// shown as the months they are), or calendar months.
func (b *book) shockMonths(sh scenario.Shock) string {
	var parts []string
	at := func(off int) string { return fmt.Sprintf("%s (offset %d)", b.p.Start.Add(off), off) }
	switch {
	case sh.From != nil && sh.To != nil:
		parts = append(parts, fmt.Sprintf("%s to %s", at(*sh.From), at(*sh.To)))
	case sh.From != nil:
		parts = append(parts, "from "+at(*sh.From))
	case sh.To != nil:
		parts = append(parts, "to "+at(*sh.To))
	}
	if len(sh.CalendarMonths) > 0 {
		var ms []string
		for _, m := range sh.CalendarMonths {
			ms = append(ms, m.String()[:3])
		}
		parts = append(parts, "in "+strings.Join(ms, ", "))
	}
	if len(parts) == 0 {
		return "every month"
	}
	return strings.Join(parts, ", ")
}
