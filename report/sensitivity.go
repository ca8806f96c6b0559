package report

import (
	"fmt"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// writeSensitivity writes the tornado (table and horizontal bar chart),
// the spider (table and line chart) and the two-way table, each when
// given. Their figures were computed when the workbook was written; the
// deltas and swings are formulas over them.
func (b *book) writeSensitivity() error {
	g := b.grid(SheetSensitivity)
	g.width(1, 1, 40)
	g.width(2, 12, 15)
	if b.opt.Tornado == nil && b.opt.Spider == nil && b.opt.Table == nil {
		g.text(1, 1, "No sensitivity analysis was run (no tornado, spider or two-way table was given).", b.lk.Note)
		return nil
	}
	g.text(1, 1, "Sensitivity: which assumptions move the result", b.lk.Title)
	b.staleNotice(SheetSensitivity, 1, 2)
	b.printRows(SheetSensitivity, 1, 2, 0)
	row := 4
	if t := b.opt.Tornado; t != nil {
		row = b.tornado(g, t, row)
	}
	if s := b.opt.Spider; s != nil {
		row = b.spider(g, s, row)
	}
	if t := b.opt.Table; t != nil {
		row = b.twoWay(g, t, row)
	}
	return nil
}

// outputLabel names an output in a title: "portfolio contribution",
// "partnership ebay NPV".
func outputLabel(o scenario.Output) string {
	m := metricLabel(o.Metric)
	if len(m) > 1 && m[1] >= 'a' && m[1] <= 'z' {
		m = strings.ToLower(m[:1]) + m[1:]
	}
	if o.Scope == scenario.Portfolio || o.Scope == "" {
		return "portfolio " + m
	}
	return fmt.Sprintf("%s %s %s", o.Scope, o.Key, m)
}

// moveText describes how a sensitivity moves an input: "× 0.9 / × 1.1".
func moveText(op costmodel.Op, lo, hi decimal.Decimal) string {
	switch op {
	case costmodel.Multiply:
		return fmt.Sprintf("× %s / × %s", lo, hi)
	case costmodel.Add:
		return fmt.Sprintf("%+s / %+s", lo.String(), hi.String())
	}
	return fmt.Sprintf("= %s / = %s", lo, hi)
}

// tornado writes the tornado from row and returns the next free row.
func (b *book) tornado(g grid, t *scenario.Tornado, row int) int {
	lk := b.lk
	style := b.metricStyle(t.Output.Metric)
	g.text(1, row, "Tornado: "+outputLabel(t.Output)+", one input at a time", lk.Title)
	g.text(1, row+1, "Base", lk.Bold)
	g.value(2, row+1, scenarioValue(t.Base), style)
	base := fmt.Sprintf("$B$%d", row+1)
	head := row + 3
	g.header(1, head, "Input", "Move", "Output at low", "Output at high", "Low − base", "High − base", "Swing")
	for k, bar := range t.Bars {
		r := head + 1 + k
		g.text(1, r, bar.Label, 0)
		g.text(2, r, moveText(bar.Input.Op, bar.Input.Low, bar.Input.High), 0)
		g.value(3, r, scenarioValue(bar.AtLow), style)
		g.value(4, r, scenarioValue(bar.AtHigh), style)
		delta := func(c int, at scenario.Value) {
			v := any(na)
			if at.Valid && t.Base.Valid {
				v = num(at.Amount.Sub(t.Base.Amount))
			}
			g.formula(c, r, fmt.Sprintf(`IF(AND(ISNUMBER(%s),ISNUMBER(%s)),%s-%s,"%s")`, ref(c-2, r), base, ref(c-2, r), base, na), v, style)
		}
		delta(5, bar.AtLow)
		delta(6, bar.AtHigh)
		// An undefined bar's Swing is 0, a placeholder: n/a here.
		var swing any = num(bar.Swing)
		if bar.Undefined || !bar.AtLow.Valid || !bar.AtHigh.Valid {
			swing = na
		}
		g.formula(7, r, fmt.Sprintf(`IF(AND(ISNUMBER(%s),ISNUMBER(%s)),ABS(%s-%s),"%s")`, ref(4, r), ref(3, r), ref(4, r), ref(3, r), na), swing, style)
	}
	first, last := head+1, head+len(t.Bars)
	if len(t.Bars) == 0 {
		return last + 2
	}
	q := quoteSheet(SheetSensitivity)
	series := func(c int) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", q, col(c), head),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", q, first, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), first, col(c), last),
		}
	}
	overlap := 100
	gap := uint(40)
	height := max(220, 40+28*len(t.Bars))
	// Horizontal bars of the deltas around the base, the largest swing on
	// top (a bar chart draws its first category at the bottom), below the
	// table so that the sheet prints at the table's width.
	unit, format := b.axisUnit(t.Output.Metric, 0)
	top := last + 2
	b.fail(b.f.AddChart(SheetSensitivity, ref(1, top), &excelize.Chart{
		Type:   excelize.Bar,
		Series: []excelize.ChartSeries{series(5), series(6)},
		Title:  chartTitle("Tornado: change in " + outputLabel(t.Output)),
		Legend: excelize.ChartLegend{Position: "bottom"},
		XAxis:  excelize.ChartAxis{ReverseOrder: true, TickLabelPosition: excelize.ChartTickLabelLow, Font: axisFont},
		YAxis: excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: format}, Font: axisFont,
			Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "change from the base case, " + unit, Font: &axisFont}}}},
		Overlap:   &overlap,
		GapWidth:  &gap,
		Dimension: excelize.ChartDimension{Width: 640, Height: uint(height)},
	}))
	return top + height/20 + 3
}

// axisStyle is the heading style of a two-way table's axis values: "×1.2"
// for multipliers, percent for rates set outright, plain otherwise.
func (b *book) axisStyle(a scenario.Axis) int {
	switch a.Op {
	case costmodel.Multiply:
		return b.lk.HeadTimes
	case costmodel.SetTo:
		if ds, err := b.p.Match(a.Target); err == nil && len(ds) > 0 && (ds[0].Range == rangeFraction || strings.Contains(ds[0].Unit, "rate")) {
			return b.lk.HeadPercent
		}
	}
	return b.lk.Header
}

// numFormat is a metric's number format, for chart axes.
func (b *book) numFormat(m scenario.Metric) string {
	switch {
	case m.IsRatio():
		return percentFormat
	case m == scenario.PaybackMonth:
		return "0"
	case m.IsVolume():
		return quantityFormat
	}
	return b.lk.AxisFormat
}

// spider writes the spider from row and returns the next free row.
func (b *book) spider(g grid, s *scenario.Spider, row int) int {
	lk := b.lk
	style := b.metricStyle(s.Output.Metric)
	g.text(1, row, "Spider: "+outputLabel(s.Output)+" as each input moves", lk.Title)
	head := row + 2
	g.text(1, head, "Input × multiplier", lk.Header)
	for j, step := range s.Steps {
		g.value(2+j, head, num(step), b.lk.HeadTimes)
	}
	for k, line := range s.Lines {
		r := head + 1 + k
		g.text(1, r, line.Target, 0)
		for j, v := range line.Values {
			g.value(2+j, r, scenarioValue(v), style)
		}
	}
	first, last := head+1, head+len(s.Lines)
	if len(s.Lines) == 0 || len(s.Steps) == 0 {
		return last + 2
	}
	q := quoteSheet(SheetSensitivity)
	var series []excelize.ChartSeries
	for k := range s.Lines {
		r := first + k
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$A$%d", q, r),
			Categories: fmt.Sprintf("%s!$B$%d:$%s$%d", q, head, col(1+len(s.Steps)), head),
			Values:     fmt.Sprintf("%s!$B$%d:$%s$%d", q, r, col(1+len(s.Steps)), r),
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
		})
	}
	b.fail(b.f.AddChart(SheetSensitivity, ref(9, row), &excelize.Chart{
		Type:      excelize.Line,
		Series:    series,
		Title:     chartTitle("Spider: " + outputLabel(s.Output)),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: axisFont, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "multiplier of the base value"}}}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: b.numFormat(s.Output.Metric)}, Font: axisFont},
		Dimension: excelize.ChartDimension{Width: 640, Height: 300},
	}))
	return max(last+2, row+17)
}

// twoWay writes the two-way table from row and returns the next free row.
func (b *book) twoWay(g grid, t *scenario.Table, row int) int {
	lk := b.lk
	style := b.metricStyle(t.Output.Metric)
	g.text(1, row, "Two-way table: "+outputLabel(t.Output), lk.Title)
	g.text(1, row+1, fmt.Sprintf("Rows: %s (%s); columns: %s (%s)", t.Rows.Target, t.Rows.Op, t.Cols.Target, t.Cols.Op), lk.Note)
	head := row + 3
	g.text(1, head, "rows ↓ · columns →", lk.Header)
	colStyle, rowStyle := b.axisStyle(t.Cols), b.axisStyle(t.Rows)
	for j, v := range t.Cols.Values {
		g.value(2+j, head, num(v), colStyle)
	}
	for i, v := range t.Rows.Values {
		r := head + 1 + i
		g.value(1, r, num(v), rowStyle)
		for j, cell := range t.Cells[i] {
			g.value(2+j, r, scenarioValue(cell), style)
		}
	}
	if len(t.Rows.Values) > 0 && len(t.Cols.Values) > 0 {
		rng := fmt.Sprintf("%s:%s", ref(2, head+1), ref(1+len(t.Cols.Values), head+len(t.Rows.Values)))
		b.fail(b.f.SetConditionalFormat(SheetSensitivity, rng, []excelize.ConditionalFormatOptions{{
			Type: "3_color_scale", Criteria: "=", MinType: "min", MidType: "percentile", MaxType: "max",
			MidValue: "50", MinColor: "#F8696B", MidColor: "#FFEB84", MaxColor: "#63BE7B",
		}}))
	}
	return head + len(t.Rows.Values) + 3
}
