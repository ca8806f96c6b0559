package report

import (
	"fmt"

	"github.com/marginalhq/marginal/montecarlo"
	"github.com/xuri/excelize/v2"
)

// A fan chart: the distribution, month by month, of an output's
// cumulative total (montecarlo.Fan). fanChart writes a table of the
// months' percentiles and, beside it, a chart of the P5–P95 band (light),
// the P25–P75 band (dark) and the median (a line), above the table so
// that both print on the page width of the table. Any sheet may hold
// one: the Monte Carlo sheet has the portfolio contribution's, and a
// sheet of growth trajectories can call it once per trajectory.

// fanHeads are the fan table's columns, from its first.
var fanHeads = []string{"Month", "P5", "P25", "Median (P50)", "P75", "P95", "Mean",
	"Band P5 to P25 (width)", "Band P25 to P75 (width)", "Band P75 to P95 (width)"}

// fanChartHeight is the chart's height in pixels; at the default row
// height of 20 pixels it spans fanChartRows rows.
const (
	fanChartHeight = 300
	fanChartRows   = fanChartHeight/20 + 1
)

// fanChart writes fan's table with its top-left cell at (col, row) of
// sheet, titled title, its chart between the title and the table; it
// returns the first free row below both. The chart's series are the
// table's columns (the bands as widths stacked on P5, as a stacked area
// draws them), so the chart reads only cells of the table. A nil or
// empty fan writes nothing and returns row.
func (b *book) fanChart(sheet string, col0, row int, title string, fan *montecarlo.Fan) int {
	if fan == nil || len(fan.Months) == 0 {
		return row
	}
	lk := b.lk
	g := b.grid(sheet)
	st := b.simStyle(fan.Output.Metric)
	g.text(col0, row, title, lk.Bold)
	g.text(col0, row+1, fmt.Sprintf("Cumulative from the first month, over %d trials: each month's figure is the total to that month. Percentiles are PERCENTILE.INC of the trials' totals.", fan.Trials), lk.Note)
	chartRow := row + 2
	head := chartRow + fanChartRows + 1
	g.header(col0, head, fanHeads...)
	for t, m := range fan.Months {
		r := head + 1 + t
		g.text(col0, r, m.String(), 0)
		vals := []float64{fan.P5[t], fan.P25[t], fan.P50[t], fan.P75[t], fan.P95[t], fan.Mean[t],
			fan.P25[t] - fan.P5[t], fan.P75[t] - fan.P25[t], fan.P95[t] - fan.P75[t]}
		for i, v := range vals {
			g.simValue(col0+1+i, r, v, true, st)
		}
	}
	first, last := head+1, head+len(fan.Months)
	q := quoteSheet(sheet)
	rng := func(c int) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), first, col(c), last)
	}
	cats := rng(col0)
	series := func(c int, fill excelize.Fill) excelize.ChartSeries {
		return excelize.ChartSeries{Name: fmt.Sprintf("%s!$%s$%d", q, col(c), head), Categories: cats, Values: rng(c), Fill: fill}
	}
	none := excelize.Fill{Type: "pattern", Pattern: 0}
	light := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"BDD7EE"}}
	dark := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"5B9BD5"}}
	yTitle := excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: b.cur + " (thousands), cumulative", Font: &axisFont}}}
	xTitle := excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Month", Font: &axisFont}}}
	area := &excelize.Chart{
		Type: excelize.AreaStacked,
		Series: []excelize.ChartSeries{
			series(col0+1, none), // P5: the bands' base, not drawn
			series(col0+7, light),
			series(col0+8, dark),
			series(col0+9, light),
		},
		Title:  chartTitle(title + ": median (line), P25–P75 (dark), P5–P95 (light)"),
		Legend: excelize.ChartLegend{Position: "none"},
		// the months upright, so that a dozen of them fit without wrapping
		XAxis:     excelize.ChartAxis{Font: axisFont, Title: xTitle, TickLabelSkip: max(1, len(fan.Months)/12), Alignment: excelize.Alignment{TextRotation: -90}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, Title: yTitle, NumFmt: excelize.ChartNumFmt{CustomNumFmt: thousandsFormat(lk.AxisFormat)}},
		Dimension: excelize.ChartDimension{Width: 640, Height: fanChartHeight},
	}
	median := &excelize.Chart{
		Type: excelize.Line,
		Series: []excelize.ChartSeries{{
			Name: fmt.Sprintf("%s!$%s$%d", q, col(col0+3), head), Categories: cats, Values: rng(col0 + 3),
			Line:   excelize.LineOptions{Type: excelize.LineSolid, Width: 2.25},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}},
			Marker: excelize.ChartMarker{Symbol: "none"},
		}},
		Legend: excelize.ChartLegend{Position: "none"},
		XAxis:  area.XAxis,
		YAxis:  area.YAxis,
	}
	b.fail(b.f.AddChart(sheet, ref(col0, chartRow), area, median))
	return last + 3
}
