package report

import (
	"fmt"
	"strings"

	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/xuri/excelize/v2"
)

// The sheets of a health check (Options.Actuals), after Renegotiation.
const (
	SheetActuals = "Actuals"
	SheetHealth  = "Health"
	SheetBridge  = "Variance bridge"
)

// Columns of the Actuals sheet: the records as read, and a numeric month
// key (year × 100 + month) that SUMIFS criteria match exactly.
const (
	acMonth = 1 + iota
	acPartnership
	acCategory
	acMeasure
	acValue
	acKey
)

// healthSheets lists the health check's sheets when the options carry
// actuals.
func (b *book) healthSheets() []string {
	if b.opt.Actuals == nil {
		return nil
	}
	return []string{SheetActuals, SheetHealth, SheetBridge}
}

// checkActuals reports actuals whose plan is not Options.Portfolio.
func checkActuals(opt *Options) error {
	m := opt.Actuals
	if m == nil {
		return nil
	}
	if m.Plan() == nil {
		return fmt.Errorf("report: Options.Actuals is not a model built by actuals.NewModel")
	}
	if err := checkShape(opt.Portfolio, m.Plan()); err != nil {
		return fmt.Errorf("report: Options.Actuals is not of Options.Portfolio: %w", err)
	}
	return nil
}

// monthKey is a month as the number the Actuals sheet's key column holds.
func monthKey(m costmodel.Month) int { return m.Year*100 + int(m.Month) }

// sumifs is the live sum of a measure of a partnership in one month over
// the Actuals sheet (every category, for a category measure).
func (b *book) sumifs(m costmodel.Month, partnership string, ms actuals.Measure, last int) string {
	rng := func(c int) string { return absRange(SheetActuals, c, 2, c, max(last, 2)) }
	return fmt.Sprintf(`SUMIFS(%s,%s,%d,%s,"%s",%s,"%s")`, rng(acValue), rng(acKey), monthKey(m),
		rng(acPartnership), partnership, rng(acMeasure), ms)
}

// writeHealthSheets writes the Actuals, Health and Variance bridge sheets.
func (b *book) writeHealthSheets() error {
	m := b.opt.Actuals
	if m == nil {
		return nil
	}
	for _, s := range b.healthSheets() {
		b.pageSetup(s, 1)
	}
	last := b.writeActualsSheet(m)
	b.writeHealthSheet(m, last)
	b.writeBridgeSheet(m, last)
	return nil
}

// writeActualsSheet writes the records and returns their last row.
func (b *book) writeActualsSheet(m *actuals.Model) int {
	g := b.grid(SheetActuals)
	lk := b.lk
	g.width(acMonth, acMeasure, 18)
	g.width(acValue, acKey, 14)
	g.header(1, 1, "Month", "Partnership", "Category", "Measure", "Value", "Month key")
	g.freeze(1, 2)
	row := 1
	for _, r := range m.Records() {
		row++
		g.text(acMonth, row, r.Month.String(), 0)
		g.text(acPartnership, row, r.Partnership, 0)
		g.text(acCategory, row, r.Category, 0)
		g.text(acMeasure, row, string(r.Measure), 0)
		g.value(acValue, row, num(r.Value), lk.InNumber)
		g.value(acKey, row, monthKey(r.Month), lk.Months)
	}
	return row
}

// stateLabel is a state as the Health sheet writes it.
func stateLabel(s actuals.State) string { return strings.ReplaceAll(string(s), "_", " ") }

// writeHealthSheet writes every agreed metric by window with its state as
// a live formula over the value, the threshold and the at-risk margin,
// traffic-light formatting, and the monthly series with the trend.
func (b *book) writeHealthSheet(m *actuals.Model, lastActual int) {
	g := b.grid(SheetHealth)
	lk := b.lk
	ag := b.opt.Agreements
	g.width(1, 1, 14)
	g.width(2, 2, 34)
	g.width(3, 12, 14)
	g.text(1, 1, fmt.Sprintf("Health check: agreed metrics, actuals %s to %s", b.p.Start, m.CutOff()), lk.Title)
	if ag == nil {
		g.text(1, 3, "No agreed metrics were given (Options.Agreements).", lk.Note)
		return
	}
	hs, err := m.Health(ag)
	if err != nil {
		b.fail(err)
		return
	}
	b.staleNotice(SheetHealth, 1, 3)
	g.text(1, 2, "At-risk margin", lk.Bold)
	g.value(2, 2, num(ag.AtRiskMargin), lk.InPercent)
	margin := "$B$2"
	g.text(3, 2, "A met metric within this share of its threshold is at risk; change it and the states follow.", lk.Note)

	// The monthly series first (below the table), so the table's value
	// cells can refer to them.
	months := m.ActualMonths()
	top := 5
	tableRows := 0
	for _, h := range hs {
		tableRows += len(h.Windows)
	}
	series := top + tableRows + 3
	g.text(1, series-1, "Month by month (live from the Actuals sheet where the metric is a reported figure)", lk.Bold)
	heads := []string{"Partnership", "Commitment"}
	for t := range months {
		heads = append(heads, b.p.Start.Add(t).String())
	}
	heads = append(heads, "Trend /month", "Utilisation")
	g.header(1, series, heads...)
	cellOf := map[[2]int]string{} // metric index × month → its cell
	trendMonths := ag.TrendMonths
	if trendMonths == 0 {
		trendMonths = 3
	}
	for i, h := range hs {
		row := series + 1 + i
		g.text(1, row, h.Partnership, 0)
		g.text(2, row, commitment(h), 0)
		style := metricCellStyle(lk, h.Metric)
		allValid := true
		for t, v := range h.Monthly {
			c := 3 + t
			cellOf[[2]int{i, t}] = ref(c, row)
			if !v.Valid {
				g.text(c, row, na, lk.NA)
				if t > months-1-trendMonths {
					allValid = false
				}
				continue
			}
			mo := b.p.Start.Add(t)
			switch h.Metric {
			case actuals.MetricOrders:
				g.formula(c, row, b.sumifs(mo, h.Partnership, actuals.Orders, lastActual), num(v.Amount), style)
			case actuals.MetricAPICalls:
				g.formula(c, row, b.sumifs(mo, h.Partnership, actuals.APICalls, lastActual), num(v.Amount), style)
			case actuals.MetricDataTransferGB:
				g.formula(c, row, b.sumifs(mo, h.Partnership, actuals.DataTransferGB, lastActual), num(v.Amount), style)
			case actuals.MetricIncidents:
				g.formula(c, row, b.sumifs(mo, h.Partnership, actuals.Incidents, lastActual), num(v.Amount), style)
			case actuals.MetricUptime:
				g.formula(c, row, fmt.Sprintf("1-%s/%d", b.sumifs(mo, h.Partnership, actuals.DowntimeMinutes, lastActual), daysInMonth(mo)*24*60), num(v.Amount), style)
			default:
				g.value(c, row, num(v.Amount), style)
			}
		}
		tc := 3 + months
		if h.Trend.Valid && allValid && months >= 2 {
			from := max(months-trendMonths, 0)
			idx := series + len(hs) + 1
			ys := fmt.Sprintf("%s:%s", ref(3+from, row), ref(2+months, row))
			xs := fmt.Sprintf("%s:%s", ref(3+from, idx), ref(2+months, idx))
			g.formula(tc, row, fmt.Sprintf("SLOPE(%s,%s)", ys, xs), num(h.Trend.Amount), lk.Figure)
		} else if h.Trend.Valid {
			g.value(tc, row, num(h.Trend.Amount), lk.Figure)
		} else {
			g.text(tc, row, na, lk.NA)
		}
		if h.Utilisation.Valid {
			g.formula(tc+1, row, fmt.Sprintf("%s/%s", ref(2+months, row), h.Threshold.String()), num(h.Utilisation.Amount), lk.Percent)
		} else {
			g.text(tc+1, row, na, lk.NA)
		}
	}
	// The month numbers the trend's slope runs over.
	idx := series + len(hs) + 1
	g.text(2, idx, "Month number", lk.Note)
	for t := range months {
		g.value(3+t, idx, t+1, lk.Months)
	}

	g.header(1, top-1, "Partnership", "Commitment", "Metric", "Direction", "Threshold", "Window", "Value", "State", "Margin", "Over threshold from")
	g.freeze(3, top)
	row := top - 1
	for i, h := range hs {
		style := metricCellStyle(lk, h.Metric)
		for _, w := range h.Windows {
			row++
			g.text(1, row, h.Partnership, 0)
			g.text(2, row, commitment(h), 0)
			g.text(3, row, string(h.Metric), 0)
			g.text(4, row, string(h.Direction), 0)
			g.value(5, row, num(h.Threshold), style)
			g.text(6, row, w.Window.String(), 0)
			v := ref(7, row)
			if !w.Value.Valid {
				g.text(7, row, na, lk.NA)
			} else if f := b.windowFormula(h, w, i, cellOf); f != "" {
				g.formula(7, row, f, num(w.Value.Amount), style)
			} else {
				g.value(7, row, num(w.Value.Amount), style)
			}
			mg := margin
			if h.AtRiskMargin != nil {
				g.value(9, row, num(*h.AtRiskMargin), lk.InPercent)
				mg = ref(9, row)
			} else {
				g.formula(9, row, margin, num(ag.AtRiskMargin), lk.Percent)
			}
			th, dir := ref(5, row), ref(4, row)
			state := fmt.Sprintf(`IF(ISNUMBER(%[1]s),IF(%[2]s="at_least",IF(%[1]s<%[3]s,"breached",IF(%[1]s<%[3]s+ABS(%[3]s)*%[4]s,"at risk","on target")),IF(%[1]s>%[3]s,"breached",IF(%[1]s>%[3]s-ABS(%[3]s)*%[4]s,"at risk","on target"))),"no data")`, v, dir, th, mg)
			g.formula(8, row, state, stateLabel(w.State), lk.Bold)
			if !h.RunsOut.IsZero() {
				g.text(10, row, h.RunsOut.String(), 0)
			}
		}
	}
	if row >= top {
		rng := fmt.Sprintf("%s:%s", ref(8, top), ref(8, row))
		b.trafficLights(SheetHealth, rng, ref(8, top))
	}
}

// windowFormula is the live value of a window from the monthly series
// (the average of its months for a volume reported as is), or "" when
// the value is the model's only.
func (b *book) windowFormula(h actuals.MetricHealth, w actuals.WindowHealth, i int, cellOf map[[2]int]string) string {
	switch h.Metric {
	case actuals.MetricOrders, actuals.MetricAPICalls, actuals.MetricDataTransferGB, actuals.MetricIncidents:
	case actuals.MetricUptime:
		if w.Window.Kind != costmodel.WindowMonth {
			return ""
		}
	default:
		return ""
	}
	ts, err := w.Window.Months(b.p.Start, len(h.Monthly))
	if err != nil {
		return ""
	}
	var cells []string
	for _, t := range ts {
		if !h.Monthly[t].Valid {
			continue
		}
		cells = append(cells, cellOf[[2]int{i, t}])
	}
	if len(cells) == 0 {
		return ""
	}
	if len(cells) == 1 {
		return cells[0]
	}
	return fmt.Sprintf("ROUND(AVERAGE(%s),6)", strings.Join(cells, ","))
}

func commitment(h actuals.MetricHealth) string {
	if h.Name != "" {
		return h.Name
	}
	return string(h.Metric)
}

func metricCellStyle(lk *look, hm actuals.HealthMetric) int {
	switch hm {
	case actuals.MetricReturnRate, actuals.MetricCM2Ratio, actuals.MetricContributionRatio, actuals.MetricUptime:
		return lk.Rate
	case actuals.MetricGMV, actuals.MetricCostPerOrder:
		return lk.Money
	}
	return lk.Quantity
}

func daysInMonth(m costmodel.Month) int {
	switch m.Month {
	case 2:
		if m.Year%4 == 0 && (m.Year%100 != 0 || m.Year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// trafficLights colours the state cells of a range: red when breached,
// amber at risk, green on target.
func (b *book) trafficLights(sheet, rng, first string) {
	style := func(font, fill string) *int {
		id, err := b.f.NewConditionalStyle(&excelize.Style{
			Font: &excelize.Font{Color: font, Bold: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
		})
		b.fail(err)
		return &id
	}
	red, amber, green := style("9C0006", "FFC7CE"), style("9C5700", "FFEB9C"), style("006100", "C6EFCE")
	rel := strings.ReplaceAll(first, "$", "")
	b.fail(b.f.SetConditionalFormat(sheet, rng, []excelize.ConditionalFormatOptions{
		{Type: "formula", Criteria: fmt.Sprintf(`%s="breached"`, rel), Format: red},
		{Type: "formula", Criteria: fmt.Sprintf(`%s="at risk"`, rel), Format: amber},
		{Type: "formula", Criteria: fmt.Sprintf(`%s="on target"`, rel), Format: green},
	}))
}

// writeBridgeSheet writes the variance bridge of contribution over the
// actual months for the portfolio and each partnership, the effects
// summing to the actual as a live formula, a waterfall chart of the
// portfolio's, and plan against actual month by month with a chart.
func (b *book) writeBridgeSheet(m *actuals.Model, lastActual int) {
	g := b.grid(SheetBridge)
	lk := b.lk
	window := costmodel.Window{Kind: costmodel.WindowRange, From: b.p.Start, To: m.CutOff()}
	g.width(1, 1, 30)
	g.width(2, 20, 15)
	g.text(1, 1, fmt.Sprintf("Variance bridge of contribution, plan to actual, %s to %s", b.p.Start, m.CutOff()), lk.Title)
	b.staleNotice(SheetBridge, 1, 2)
	outs := []costmodel.Output{{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution, Window: window}}
	heads := []string{"Step", "Portfolio"}
	for _, ps := range b.p.Partnerships {
		outs = append(outs, costmodel.Output{Scope: costmodel.ScopePartnership, Key: ps.ID, Metric: costmodel.MetricContribution, Window: window})
		heads = append(heads, ps.ID)
	}
	g.header(1, 3, heads...)
	first := 4
	lastEffect := first + len(actuals.Effects)
	actualRow := lastEffect + 1
	for k, o := range outs {
		br, err := m.Bridge(o)
		if err != nil {
			b.fail(err)
			return
		}
		c := 2 + k
		g.value(c, first, num(br.Plan), lk.Money)
		for j, e := range br.Effects {
			g.value(c, first+1+j, num(e.Amount), lk.Money)
		}
		g.formula(c, actualRow, fmt.Sprintf("%s+SUM(%s:%s)", ref(c, first), ref(c, first+1), ref(c, lastEffect)), num(br.Actual), lk.MoneyBold)
	}
	g.text(1, first, "Planned contribution", lk.Bold)
	for j, e := range actuals.Effects {
		g.text(1, first+1+j, e.Label(), 0)
	}
	g.text(1, actualRow, "Actual contribution", lk.Bold)
	g.text(1, actualRow+1, "The effects are the model's, by sequential substitution in the order listed (see docs/health.md); the actual is the plan plus their sum.", lk.Note)

	// Waterfall helper columns for the portfolio: running total, the
	// invisible base, the rise, the fall and the totals.
	hc := 3 + len(outs)
	vals := b.bridgeRunning(m, outs[0])
	g.header(hc, 3, "Running total", "Base", "Increase", "Decrease", "Total")
	for r := first; r <= actualRow; r++ {
		amount := ref(2, r)
		run := ref(hc, r)
		cachedRun := vals[r-first]
		switch r {
		case first, actualRow:
			g.formula(hc, r, amount, cachedRun, lk.Money)
			g.value(hc+1, r, 0, lk.Money)
			g.value(hc+2, r, 0, lk.Money)
			g.value(hc+3, r, 0, lk.Money)
			g.formula(hc+4, r, amount, cachedRun, lk.Money)
		default:
			prev := ref(hc, r-1)
			eff := vals[r-first] - vals[r-first-1]
			g.formula(hc, r, fmt.Sprintf("%s+%s", prev, amount), cachedRun, lk.Money)
			g.formula(hc+1, r, fmt.Sprintf("MIN(%s,%s)", prev, run), min(vals[r-first-1], cachedRun), lk.Money)
			g.formula(hc+2, r, fmt.Sprintf("MAX(%s,0)", amount), max(eff, 0), lk.Money)
			g.formula(hc+3, r, fmt.Sprintf("MAX(-%s,0)", amount), max(-eff, 0), lk.Money)
			g.value(hc+4, r, 0, lk.Money)
		}
	}
	q := quoteSheet(SheetBridge)
	cats := fmt.Sprintf("%s!$A$%d:$A$%d", q, first, actualRow)
	ser := func(c int, fill excelize.Fill) excelize.ChartSeries {
		return excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$3", q, col(c)), Categories: cats,
			Values: fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), first, col(c), actualRow), Fill: fill}
	}
	solid := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	b.fail(b.f.AddChart(SheetBridge, ref(1, actualRow+3), &excelize.Chart{
		Type: excelize.ColStacked,
		Series: []excelize.ChartSeries{ser(hc+1, excelize.Fill{Type: "pattern", Pattern: 0}), ser(hc+2, solid("70AD47")),
			ser(hc+3, solid("C00000")), ser(hc+4, solid("4472C4"))},
		Title:     chartTitle("Portfolio contribution: plan to actual"),
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: lk.AxisFormat}, Font: axisFont},
		Dimension: excelize.ChartDimension{Width: 720, Height: 320},
	}))

	// Plan against actual by month: the plan live from the Statement, the
	// actual orders live from the Actuals sheet.
	top := actualRow + 21
	g.text(1, top-1, "Plan against actual by month (plan: live from the Statement; actual orders: live from the Actuals sheet)", lk.Bold)
	g.header(1, top, "Month", "Plan contribution", "Actual contribution", "Difference", "Difference %", "Plan orders", "Actual orders")
	plan, act := m.Plan(), m.Actual()
	cc := lineCol(costmodel.LineContribution)
	for t := range m.ActualMonths() {
		r := top + 1 + t
		mo := b.p.Start.Add(t)
		g.text(1, r, mo.String(), 0)
		pv := plan.Portfolio.Monthly[t][costmodel.LineContribution]
		av := act.Portfolio.Monthly[t][costmodel.LineContribution]
		g.formula(2, r, absRef(SheetStatement, cc, b.stmt.total+t), num(pv), lk.Money)
		g.value(3, r, num(av), lk.Money)
		g.formula(4, r, fmt.Sprintf("%s-%s", ref(3, r), ref(2, r)), num(av.Sub(pv)), lk.Money)
		pct := actuals.Variance{Plan: pv, Actual: av}.Percent()
		if pct.Valid {
			g.formula(5, r, fmt.Sprintf(`IF(%s<>0,%s/ABS(%s),"%s")`, ref(2, r), ref(4, r), ref(2, r), na), num(av.Sub(pv))/abs(num(pv)), lk.Percent)
		} else {
			g.text(5, r, na, lk.NA)
		}
		g.value(6, r, num(plan.Portfolio.Orders[t]), lk.Orders)
		var parts []string
		for _, ps := range b.p.Partnerships {
			parts = append(parts, b.sumifs(mo, ps.ID, actuals.Orders, lastActual))
		}
		g.formula(7, r, strings.Join(parts, "+"), num(act.Portfolio.Orders[t]), lk.Orders)
	}
	last := top + m.ActualMonths()
	line := func(c int) excelize.ChartSeries {
		return excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$%d", q, col(c), top),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", q, top+1, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), top+1, col(c), last),
			Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: 2}}
	}
	b.fail(b.f.AddChart(SheetBridge, ref(9, top), &excelize.Chart{
		Type:      excelize.Line,
		Series:    []excelize.ChartSeries{line(2), line(3)},
		Title:     chartTitle("Portfolio contribution by month: plan and actual"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: lk.AxisFormat}, Font: axisFont},
		Dimension: excelize.ChartDimension{Width: 640, Height: 300},
	}))
}

// bridgeRunning is the running total of the bridge of o: the plan, the
// plan plus each effect in turn, and the actual.
func (b *book) bridgeRunning(m *actuals.Model, o costmodel.Output) []float64 {
	br, err := m.Bridge(o)
	if err != nil {
		b.fail(err)
		return make([]float64, len(actuals.Effects)+2)
	}
	run := br.Plan
	out := []float64{num(run)}
	for _, e := range br.Effects {
		run = run.Add(e.Amount)
		out = append(out, num(run))
	}
	return append(out, num(br.Actual))
}
