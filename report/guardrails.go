package report

import (
	"fmt"

	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// SheetGuardrails is the sheet of the guardrails checked by window and
// cell (Options.Guardrails), written when there are any.
const SheetGuardrails = "Guardrails"

// Columns of the Guardrails sheet's window table.
const (
	grRule = 1 + iota
	grScenario
	grWindow
	grCell
	grValue
	grLimit
	grHeadroom
	grBreached
	grPBreach
	grSE
	grShortfall
	grColumns = grShortfall
)

// writeGuardrails writes, for each rule and scenario, the rule in words,
// its worst window and P(breach) over the horizon, then every window with
// the base value of its worst cell, how many cells break the rule, and
// P(breach) in the window from the simulation (montecarlo.RunScenarios
// with the same rules), coloured by severity: red where the statement
// breaks the rule, a colour scale from green (0) to red (1) on P(breach).
func (b *book) writeGuardrails() error {
	if len(b.opt.Guardrails) == 0 {
		return nil
	}
	b.pageSetup(SheetGuardrails, 1)
	g := b.grid(SheetGuardrails)
	lk := b.lk
	g.text(1, 1, "Guardrails by window and cell", lk.Title)
	b.staleNotice(SheetGuardrails, 1, 4)
	// Two short lines, not one long one: LibreOffice fits a sheet's
	// overflowing text to the page width too, so one long note printed
	// every table in small type.
	g.text(1, 2, "Values are the exact statement's under each scenario (computed when written; they do not recalculate). P(breach): the share of simulated futures in which a cell breaks the rule in the window, ± its standard error.", lk.Note)
	g.text(1, 3, "Shortfall: the mean distance past the limit given a breach. A ratio's headroom and shortfall are in percentage points (pp). n/a under P(breach): the scenario was not simulated.", lk.Note)
	sims := map[string]*montecarlo.GuardrailResult{}
	if s := b.opt.Simulation; s != nil {
		for i := range s.Guardrails {
			gr := &s.Guardrails[i]
			sims[gr.Scenario+"\x00"+gr.Rule.Label()] = gr
		}
	}
	// The rules, each scenario's worst window and P(any breach).
	row := 5
	g.header(1, row, "Rule", "Scenario", "Definition", "Worst window", "Worst cell", "Value", "Limit", "Headroom", "Breaches", "P(any breach)", "± SE", "Shortfall if breached", "Most often breached")
	first := row + 1
	for _, rc := range b.opt.Guardrails {
		row++
		r := rc.Rule
		style := b.metricStyle(r.Metric)
		g.text(1, row, r.Label(), 0)
		g.text(2, row, rc.Scenario, 0)
		g.text(3, row, r.Definition(), 0)
		if rc.Worst >= 0 {
			w := rc.Windows[rc.Worst]
			g.text(4, row, w.Window.String(), 0)
			g.text(5, row, placeKey(r.Scope, w.Key), 0)
			g.value(6, row, scenarioValue(w.Value), style)
			_, lim := r.Headroom(w.Value.Amount)
			g.value(7, row, num(lim), style)
			b.headroomCell(g, 8, row, r, w.Headroom)
		} else {
			g.text(4, row, na+" (no defined value)", lk.NA)
		}
		g.value(9, row, len(rc.Breaches), lk.Rank)
		if sr := sims[rc.Scenario+"\x00"+r.Label()]; sr != nil {
			g.simValue(10, row, sr.PBreach, true, lk.Percent)
			g.simValue(11, row, sr.SE, true, lk.Percent)
			b.shortfallCell(g, 12, row, r, sr.Shortfall, sr.PBreach > 0)
			if sr.MostBreached >= 0 {
				g.text(13, row, sr.Windows[sr.MostBreached].Window.String(), 0)
			} else {
				g.text(13, row, "never breached", 0)
			}
		} else {
			for c := 10; c <= 13; c++ {
				g.text(c, row, na, lk.NA)
			}
		}
	}
	last := row
	b.severity(fmt.Sprintf("%s:%s", ref(8, first), ref(8, last)), fmt.Sprintf("%s:%s", ref(10, first), ref(10, last)), ref(8, first))

	// Every window.
	row += 2
	g.text(1, row, "Each window: the worst cell of the window", lk.Bold)
	row++
	g.header(1, row, "Rule", "Scenario", "Window", "Worst cell", "Value", "Limit", "Headroom", "Cells breached", "P(breach)", "± SE", "Shortfall if breached")
	first = row + 1
	for _, rc := range b.opt.Guardrails {
		r := rc.Rule
		style := b.metricStyle(r.Metric)
		sr := sims[rc.Scenario+"\x00"+r.Label()]
		for wi, w := range rc.Windows {
			row++
			g.text(grRule, row, r.Label(), 0)
			g.text(grScenario, row, rc.Scenario, 0)
			g.text(grWindow, row, w.Window.String(), 0)
			if w.Valid {
				g.text(grCell, row, placeKey(r.Scope, w.Key), 0)
				g.value(grValue, row, scenarioValue(w.Value), style)
				_, lim := r.Headroom(w.Value.Amount)
				g.value(grLimit, row, num(lim), style)
				b.headroomCell(g, grHeadroom, row, r, w.Headroom)
			} else {
				g.text(grCell, row, na+" (undefined in every cell)", lk.NA)
			}
			g.value(grBreached, row, w.Breached, lk.Rank)
			if sr != nil && wi < len(sr.Windows) {
				wb := sr.Windows[wi]
				g.simValue(grPBreach, row, wb.PBreach, true, lk.Percent)
				g.simValue(grSE, row, wb.SE, true, lk.Percent)
				b.shortfallCell(g, grShortfall, row, r, wb.Shortfall, wb.Breached > 0)
			} else {
				for c := grPBreach; c <= grShortfall; c++ {
					g.text(c, row, na, lk.NA)
				}
			}
		}
	}
	if row >= first {
		b.severity(fmt.Sprintf("%s:%s", ref(grHeadroom, first), ref(grHeadroom, row)),
			fmt.Sprintf("%s:%s", ref(grPBreach, first), ref(grPBreach, row)), ref(grHeadroom, first))
	}
	// About as wide as before the definitions were in words (the sheet
	// prints one page wide): the definition and the windows' names are
	// what a reader reads; numbers need no more than 13.
	for c, w := range []float64{30, 18, 56, 18, 12, 13, 13, 14, 12, 13, 20, 20, 19} {
		g.width(c+1, c+1, w)
	}
	return nil
}

// headroomCell writes a rule's headroom: a ratio's in percentage points,
// other metrics' in their own format.
func (b *book) headroomCell(g grid, c, r int, rule scenario.Rule, h decimal.Decimal) {
	if rule.Metric.IsRatio() {
		g.value(c, r, num(h.Shift(2)), b.lk.PP)
		return
	}
	g.value(c, r, num(h), b.metricStyle(rule.Metric))
}

// shortfallCell writes a simulated shortfall past the limit as
// headroomCell writes a headroom, or n/a when nothing breached.
func (b *book) shortfallCell(g grid, c, r int, rule scenario.Rule, v float64, defined bool) {
	if rule.Metric.IsRatio() {
		g.simValue(c, r, 100*v, defined, b.lk.PP)
		return
	}
	g.simValue(c, r, v, defined, b.metricStyle(rule.Metric))
}

// severity colours a headroom range red where it is negative (the
// statement breaks the rule) and a P(breach) range on a scale from green
// at 0 through amber to red at 1.
func (b *book) severity(headroom, prob, firstHeadroom string) {
	b.fail(b.f.SetConditionalFormat(SheetGuardrails, headroom, []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: fmt.Sprintf("AND(ISNUMBER(%s),%s<0)", firstHeadroom, firstHeadroom), Format: &b.lk.Breach},
	}))
	b.fail(b.f.SetConditionalFormat(SheetGuardrails, prob, []excelize.ConditionalFormatOptions{{
		Type: "3_color_scale", Criteria: "=", MinType: "num", MidType: "num", MaxType: "num",
		MinValue: "0", MidValue: "0.1", MaxValue: "1", MinColor: "#63BE7B", MidColor: "#FFEB84", MaxColor: "#F8696B",
	}}))
}

// worstBreach names the worst breach of the guardrails (greatest
// severity, scenario.WorstBreach), or "" when none breaks.
func (b *book) worstBreach() string {
	var all []scenario.Breach
	for _, rc := range b.opt.Guardrails {
		all = append(all, rc.Breaches...)
	}
	w, ok := scenario.WorstBreach(all)
	if !ok {
		return ""
	}
	return b.breachWords(w)
}

// breachWords says a breach as the Summary shows it, in the reader's
// units: "fee-change: category clothing CM3 ratio over the horizon is
// 12.0%, below the minimum of 15.0% (rule "CM3 ratio ≥ 15 % per
// category")".
func (b *book) breachWords(w scenario.Breach) string {
	where := "over the horizon"
	if !w.Window.IsHorizon() {
		where = "in " + w.Window.String()
	}
	amount := func(d decimal.Decimal, valid bool) string {
		switch {
		case !valid:
			return na
		case w.Metric.IsRatio():
			return format.Percent(d, true)
		case w.Metric == scenario.PaybackMonth:
			return "month " + d.String()
		case w.Metric.IsVolume():
			return format.Money(d)
		}
		return b.cur + " " + format.Money(d)
	}
	place := string(w.Scope) + " " + w.Key
	if w.Scope == scenario.Portfolio || w.Scope == "" {
		place = "the portfolio's"
	}
	head := fmt.Sprintf("%s: %s %s %s", w.Scenario, place, metricLabel(w.Metric), where)
	if w.Undefined {
		return fmt.Sprintf("%s is undefined (n/a), not checked against its limit of %s (rule %q)", head, amount(w.Limit, true), w.Rule)
	}
	side := "above the maximum"
	if w.Value.Amount.LessThan(w.Limit) {
		side = "below the minimum"
	}
	return fmt.Sprintf("%s is %s, %s of %s (rule %q)", head, amount(w.Value.Amount, w.Value.Valid), side, amount(w.Limit, true), w.Rule)
}
