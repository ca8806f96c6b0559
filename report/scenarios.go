package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/xuri/excelize/v2"
)

// metricLabels name the scenario package's metrics for people.
var metricLabels = map[scenario.Metric]string{
	scenario.GMV: "GMV", scenario.NetSales: "Net sales", scenario.CM1: "CM1", scenario.CM2: "CM2",
	scenario.CM3: "CM3", scenario.Contribution: "Contribution", scenario.NetCashFlow: "Net cash flow",
	scenario.CM1Ratio: "CM1 ratio", scenario.CM2Ratio: "CM2 ratio", scenario.CM3Ratio: "CM3 ratio",
	scenario.ContributionRatio: "Contribution margin", scenario.NPV: "NPV", scenario.PaybackMonth: "Payback month",
	costmodel.MetricOrders: "Orders",
}

// metricLabel names a metric for people: its label above, else its
// line's label in the statement (our_value reads "Our value (contribution
// + credits + customers)"), else its name.
func metricLabel(m scenario.Metric) string {
	if l, ok := metricLabels[m]; ok {
		return l
	}
	if l, ok := m.Line(); ok {
		if m.IsRatio() {
			return l.Label() + " ÷ net sales"
		}
		return l.Label()
	}
	return string(m)
}

// metricStyle is the number format of a metric's values and deltas.
func (b *book) metricStyle(m scenario.Metric) int {
	switch {
	case m.IsRatio():
		return b.lk.Percent
	case m == scenario.PaybackMonth:
		return b.lk.Months
	case m.IsVolume():
		return b.lk.Hours // orders or hours: a quantity, not money
	}
	return b.lk.Money
}

// scenarioValue is a metric value as a cell value: the number or "n/a".
func scenarioValue(v scenario.Value) any {
	if !v.Valid {
		return na
	}
	return num(v.Amount)
}

func placeKey(scope scenario.Scope, key string) string {
	if scope == scenario.Portfolio || scope == "" {
		return "(portfolio)"
	}
	return key
}

// Columns of the comparison table.
const (
	scScenario = 1 + iota
	scScope
	scKey
	scMetric
	scBase
	scValue
	scDelta
	scDeltaPct
	scBreach
	scSide = scBreach + 2 // first column of the side tables
)

// scHead is the row of the comparison's headings, below the sheet's title
// and its stale flag.
const scHead = 4

// writeScenarios writes the comparison table, with deltas as formulas and
// guardrail breaches highlighted, a chart of the portfolio by scenario and
// the list of breaches.
func (b *book) writeScenarios() error {
	g := b.grid(SheetScenarios)
	lk := b.lk
	c := b.opt.Comparison
	g.width(scScenario, scScenario, 20)
	g.width(scScope, scScope, 12)
	g.width(scKey, scKey, 24)
	g.width(scMetric, scMetric, 20)
	g.width(scBase, scDeltaPct, 15)
	g.width(scBreach, scBreach, 34)
	g.width(scBreach+1, scBreach+1, 3)
	// The side tables share columns: the scenario or guardrail; a target,
	// rule or amount; then operation, scope, key; months or metric; a
	// value or a description; limit; what the breach is.
	for k, w := range []float64{32, 30, 14, 14, 24, 16, 14, 28} {
		g.width(scSide+k, scSide+k, w)
	}
	if c == nil && len(b.opt.Breaches) == 0 {
		g.text(1, 1, "No scenarios were compared for this review.", lk.Note)
		return nil
	}
	g.text(1, 1, "Scenarios against the base case", lk.Title)
	g.text(1, 2, "Computed when the workbook was written from the Assumptions then; the deltas recalculate, the values do not. Ratio deltas are in percentage points (pp).", lk.Note)
	b.staleNotice(SheetScenarios, 1, 3)
	b.printRows(SheetScenarios, 1, scHead, 0)
	breaches := map[string][]string{}
	for _, br := range b.opt.Breaches {
		k := breachKey(br.Scenario, br.Scope, br.Key, br.Metric)
		rule := br.Rule
		if br.Undefined {
			rule += " (n/a: undefined, not checked)"
		}
		breaches[k] = append(breaches[k], rule)
	}
	g.header(1, scHead, "Scenario", "Scope", "Partnership / key", "Metric", "Base", "Scenario", "Delta", "Delta %", "Guardrail breached")
	g.freeze(1, scHead+1)
	last, lastPortfolio := scHead, scHead
	if c != nil {
		for k, r := range portfolioFirst(c.Rows) {
			row := scHead + 1 + k
			last = row
			if placeKey(r.Scope, r.Key) == "(portfolio)" {
				lastPortfolio = row
			}
			style := b.metricStyle(r.Metric)
			g.text(scScenario, row, r.Scenario, 0)
			g.text(scScope, row, string(r.Scope), 0)
			g.text(scKey, row, placeKey(r.Scope, r.Key), 0)
			g.text(scMetric, row, metricLabel(r.Metric), 0)
			g.value(scBase, row, scenarioValue(r.Base), style)
			g.value(scValue, row, scenarioValue(r.Value), style)
			base, val, delta := ref(scBase, row), ref(scValue, row), ref(scDelta, row)
			if r.Metric.IsRatio() {
				// a difference of two ratios is in percentage points;
				// a relative change of a ratio would mislead
				var pp any = na
				if d := r.Delta; d.Valid {
					pp = num(d.Amount.Shift(2))
				}
				g.formula(scDelta, row, fmt.Sprintf(`IF(AND(ISNUMBER(%s),ISNUMBER(%s)),(%s-%s)*100,"%s")`, base, val, val, base, na), pp, lk.PP)
				g.text(scDeltaPct, row, na, lk.NA)
			} else {
				g.formula(scDelta, row, fmt.Sprintf(`IF(AND(ISNUMBER(%s),ISNUMBER(%s)),%s-%s,"%s")`, base, val, val, base, na), scenarioValue(r.Delta), style)
				g.formula(scDeltaPct, row, fmt.Sprintf(`IF(AND(ISNUMBER(%s),%s<>0),%s/ABS(%s),"%s")`, delta, base, delta, base, na), scenarioValue(r.DeltaPct), lk.Percent)
			}
			if rules := breaches[breachKey(r.Scenario, r.Scope, r.Key, r.Metric)]; len(rules) > 0 {
				g.text(scBreach, row, strings.Join(rules, "; "), 0)
			}
		}
		if last > scHead {
			b.highlight(SheetScenarios, fmt.Sprintf("A%d:%s", scHead+1, ref(scBreach, last)), fmt.Sprintf(`$%s%d<>""`, col(scBreach), scHead+1))
			b.fail(b.f.AutoFilter(SheetScenarios, fmt.Sprintf("A%d:%s", scHead, ref(scBreach, last)), nil))
			// AutoFilter replaces the sheet properties: fit to the page again.
			b.pageSetup(SheetScenarios, 1)
		}
	}
	row := scHead
	if c != nil {
		row = b.scenarioSummary(g, c)
		row = b.scenarioSpecs(g, c, row) // scenariospecs.go
	}
	sideEnd := b.breachTable(g, row)
	// Printed: the portfolio's rows of the comparison and, on their own
	// pages, the side tables and the chart; the rows of each partnership,
	// channel and category (hundreds) stay on screen, as the Statement's
	// months do.
	q := quoteSheet(SheetScenarios)
	b.fail(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: SheetScenarios,
		RefersTo: fmt.Sprintf("%s!$A$1:$%s$%d,%s!$%s$%d:$%s$%d", q, col(scBreach), lastPortfolio, q, col(scSide), scHead, col(scSide+7), sideEnd)}))
	return nil
}

// portfolioFirst orders a comparison's rows for the sheet: the
// portfolio's rows of every scenario first, then those of partnerships,
// channels and categories, each scenario in its order within each scope
// (a stable sort), so that the printed part is the top of the table.
func portfolioFirst(rows []scenario.Row) []scenario.Row {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b scenario.Row) int { return scopeRank(a.Scope) - scopeRank(b.Scope) })
	return out
}

func breachKey(s string, scope scenario.Scope, key string, m scenario.Metric) string {
	return fmt.Sprintf("%s\x00%s\x00%s\x00%s", s, scope, key, m)
}

// highlight marks the cells of a range with the guardrail-breach style
// where the formula (relative to the range's first row) is true.
func (b *book) highlight(sheet, rng, formula string) {
	b.fail(b.f.SetConditionalFormat(sheet, rng, []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: formula, Format: &b.lk.Breach},
	}))
}

// scenarioSummary writes the portfolio's main metrics per scenario beside
// the comparison, with a chart, and returns the next free row.
func (b *book) scenarioSummary(g grid, c *scenario.Comparison) int {
	lk := b.lk
	// a row below the comparison's headings, which repeat on every
	// printed page: the side tables' own title does not
	g.text(scSide, scHead+1, "Portfolio by scenario (computed when written; does not recalculate)", lk.Bold)
	metrics := []scenario.Metric{scenario.Contribution, scenario.NPV, scenario.NetCashFlow, scenario.ContributionRatio}
	heads := []string{"Scenario"}
	for _, m := range metrics {
		heads = append(heads, metricLabel(m))
	}
	g.header(scSide, scHead+2, heads...)
	names := []string{"base"}
	for _, s := range c.Scenarios {
		names = append(names, s.Name)
	}
	var chartValues []float64 // the charted contributions and NPVs
	for k, name := range names {
		row := scHead + 3 + k
		g.text(scSide, row, name, 0)
		for j, m := range metrics {
			o := scenario.Output{Scope: scenario.Portfolio, Metric: m}
			st := c.Base
			if k > 0 {
				st = c.Statements[k-1]
			}
			v, err := o.Of(st)
			b.fail(err)
			if j < 2 && v.Valid {
				chartValues = append(chartValues, num(v.Amount))
			}
			g.value(scSide+1+j, row, scenarioValue(v), b.metricStyle(m))
		}
	}
	last := scHead + 2 + len(names)
	q := quoteSheet(SheetScenarios)
	series := func(j int) excelize.ChartSeries {
		cc := col(scSide + 1 + j)
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", q, cc, scHead+2),
			Categories: fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(scSide), scHead+3, col(scSide), last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", q, cc, scHead+3, cc, last),
		}
	}
	top := last + 2
	b.fail(b.f.AddChart(SheetScenarios, ref(scSide, top), &excelize.Chart{
		Type:      excelize.Col,
		Series:    []excelize.ChartSeries{series(0), series(1)},
		Title:     chartTitle("Portfolio contribution and NPV by scenario"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: thousandsFormat(lk.AxisFormat)}, Font: axisFont, Minimum: axisFloor(chartValues), Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.cur + " (thousands)"}}}},
		Dimension: excelize.ChartDimension{Width: 640, Height: scenarioChartHeight},
	}))
	// below the chart, with a row to spare for taller heading rows
	return top + scenarioChartHeight/20 + 3
}

// scenarioChartHeight is the scenario chart's height in pixels.
const scenarioChartHeight = 300

// breachTable lists every guardrail breach, highlighted, from row; it
// returns its last row.
func (b *book) breachTable(g grid, row int) int {
	lk := b.lk
	g.text(scSide, row, "Guardrail breaches", lk.Bold)
	if len(b.opt.Breaches) == 0 {
		g.text(scSide, row+1, "None: every guardrail holds (or none was checked).", lk.Note)
		return row + 1
	}
	g.header(scSide, row+1, "Scenario", "Rule", "Scope", "Key", "Metric", "Value", "Limit", "Breach")
	for k, br := range b.opt.Breaches {
		r := row + 2 + k
		style := b.metricStyle(br.Metric)
		g.text(scSide, r, br.Scenario, 0)
		g.text(scSide+1, r, br.Rule, 0)
		g.text(scSide+2, r, string(br.Scope), 0)
		g.text(scSide+3, r, placeKey(br.Scope, br.Key), 0)
		g.text(scSide+4, r, metricLabel(br.Metric), 0)
		g.value(scSide+5, r, scenarioValue(br.Value), style)
		g.value(scSide+6, r, num(br.Limit), style)
		g.text(scSide+7, r, breachKind(br), 0)
	}
	first, last := row+2, row+1+len(b.opt.Breaches)
	b.highlight(SheetScenarios, fmt.Sprintf("%s:%s", ref(scSide, first), ref(scSide+7, last)), "TRUE")
	return last
}

// breachKind says what a breach is: a value past its limit, or a value
// that is undefined, so the rule could not be checked (its Value cell
// shows n/a, never 0).
func breachKind(br scenario.Breach) string {
	switch {
	case br.Undefined && br.Metric == scenario.PaybackMonth:
		return "undefined (n/a): payback not reached, not checked"
	case br.Undefined:
		return "undefined (n/a): no net sales, not checked"
	case br.Value.Amount.LessThan(br.Limit):
		return "below the minimum"
	}
	return "above the maximum"
}

// axisFloor is the lower end of a value axis for bars all far from 0
// (every value positive and the smallest above half the largest): a round
// number below the smallest, so that the differences between the bars
// show; nil (the axis starts at 0) otherwise. A bar chart that does not
// start at 0 says so in its axis labels.
func axisFloor(values []float64) *float64 {
	if len(values) == 0 {
		return nil
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo <= 0 || lo < hi/2 {
		return nil
	}
	step := math.Pow(10, math.Floor(math.Log10(hi-lo+1)))
	f := math.Floor((lo-(hi-lo)/4)/step) * step
	if f <= 0 {
		return nil
	}
	return &f
}
