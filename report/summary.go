package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Columns of the Summary's partnership ranking.
const (
	smName = 1 + iota
	smRank
	smChannel
	smGMV
	smNetSales
	smCM3
	smContribution
	smMargin
	smNPV
	smPayback
	smP5
	smPLoss
	smColumns = smPLoss
)

// noSimulation is shown where a simulated figure would be.
const noSimulation = "n/a (no simulation)"

// writeSummary writes the portfolio's measures and the partnerships
// ranked by contribution. Every figure is a formula over the Statement's
// totals, so the Summary follows the Assumptions too.
func (b *book) writeSummary() error {
	g := b.grid(SheetSummary)
	lk := b.lk
	title := b.opt.Title
	if title == "" {
		title = labelOr(b.p.Name, "Partnership economics")
	}
	g.text(1, 1, title, lk.Title)
	end := b.p.Start.Add(b.p.Months - 1)
	g.text(1, 2, fmt.Sprintf("Amounts in %s thousands (k; the Statement has them to the cent) · %d months from %s to %s · discount rate %s a year · recalculates from the Assumptions sheet, except the simulated figures",
		b.cur, b.p.Months, monthLabel(b.p.Start), monthLabel(end), percentText(b.p.DiscountRate)), lk.Note)
	b.staleNotice(SheetSummary, 1, 3)
	b.printRows(SheetSummary, 1, 3, 0)

	// The portfolio's measures.
	row := 4
	g.header(1, row, "Portfolio", "All months")
	all := b.stmt.all
	measures := []struct {
		label string
		line  costmodel.Line
	}{
		{"GMV", costmodel.LineGMV}, {"Net sales", costmodel.LineNetSales}, {"CM1", costmodel.LineCM1},
		{"CM2", costmodel.LineCM2}, {"CM3", costmodel.LineCM3}, {"Partnership contribution", costmodel.LineContribution},
		{"Net cash flow", costmodel.LineNetCashFlow},
	}
	tot := &b.st.Portfolio.Total
	at := map[costmodel.Line]string{} // the cell of each measure
	for _, m := range measures {
		row++
		g.text(1, row, m.label, 0)
		g.formula(2, row, absRef(SheetStatement, lineCol(m.line), all), num(tot[m.line]), lk.MoneyK)
		at[m.line] = ref(2, row)
	}
	ms := b.st.Measures
	ns := at[costmodel.LineNetSales]
	for _, m := range []struct {
		label string
		line  costmodel.Line
		ratio costmodel.Ratio
	}{
		{"CM3 ratio (CM3 ÷ net sales)", costmodel.LineCM3, ms.CM3Ratio},
		{"Contribution margin (contribution ÷ net sales)", costmodel.LineContribution, ms.ContributionRatio},
	} {
		row++
		g.text(1, row, m.label, 0)
		g.formula(2, row, fmt.Sprintf(`IF(%s=0,"%s",%s/%s)`, ns, na, at[m.line], ns), ratioValue(m.ratio), lk.Percent)
	}
	row++
	g.text(1, row, "NPV of net cash flow", 0)
	g.formula(2, row, b.npvFormula(b.stmt.total), num(ms.NPV), lk.MoneyK)
	row++
	g.text(1, row, "Payback month", 0)
	g.formula(2, row, absRef(SheetStatement, stPayback, all), paybackValue(ms.Payback), lk.Months)
	p5, loss := b.simulated(scenario.Output{Scope: scenario.Portfolio, Metric: scenario.Contribution})
	row++
	g.text(1, row, "P5 contribution (simulated)", 0)
	b.simCell(g, 2, row, p5, lk.MoneyK)
	row++
	g.text(1, row, "P(loss): P(contribution < 0), simulated", 0)
	b.simCell(g, 2, row, loss, lk.Percent)
	if len(b.opt.Guardrails) > 0 {
		row++
		if w := b.worstBreach(); w != "" {
			g.text(1, row, "Worst guardrail breach (Guardrails sheet)", lk.Wrap)
			// wrapped in columns B and C, left of the chart, which would
			// cover a line running on
			g.text(2, row, w, lk.Wrap)
			b.fail(b.f.MergeCell(SheetSummary, ref(2, row), ref(3, row)))
			b.fail(b.f.SetRowHeight(SheetSummary, row, 15*float64(min(6, 1+len([]rune(w))/30))))
		} else {
			g.text(1, row, "Worst guardrail breach (Guardrails sheet)", 0)
			g.text(2, row, "none: every guardrail holds in every window", 0)
		}
	}

	// The partnerships, best contribution first, below the chart.
	row = max(row+2, 4+summaryChartRows+2)
	g.text(1, row, "Partnerships ranked by contribution", lk.Bold)
	row++
	head := row
	g.header(1, head, "Partnership", "Rank", "Channel", "GMV", "Net sales", "CM3", "Contribution",
		"Contribution margin", "NPV", "Payback month", "P5 contribution", "P(loss)")
	order := rankByContribution(b.st)
	first, last := head+1, head+len(order)
	for k, i := range order {
		r := first + k
		ps := &b.p.Partnerships[i]
		ss := &b.st.Partnerships[i]
		lay := b.stmt.partnerships[i]
		t := &ss.Total.Total
		g.text(smName, r, labelOr(ps.Name, ps.ID), 0)
		g.formula(smRank, r, fmt.Sprintf("RANK(%s,$%s$%d:$%s$%d)", ref(smContribution, r), col(smContribution), first, col(smContribution), last),
			rankOf(b.st, i), lk.Rank)
		g.text(smChannel, r, ps.Channel, 0)
		for _, c := range []struct {
			column int
			line   costmodel.Line
		}{{smGMV, costmodel.LineGMV}, {smNetSales, costmodel.LineNetSales}, {smCM3, costmodel.LineCM3}, {smContribution, costmodel.LineContribution}} {
			g.formula(c.column, r, absRef(SheetStatement, lineCol(c.line), lay.all), num(t[c.line]), lk.MoneyK)
		}
		g.formula(smMargin, r, fmt.Sprintf(`IF(%s=0,"%s",%s/%s)`, ref(smNetSales, r), na, ref(smContribution, r), ref(smNetSales, r)),
			ratioValue(ss.Measures.ContributionRatio), lk.Percent)
		g.formula(smNPV, r, b.npvFormula(lay.total), num(ss.Measures.NPV), lk.MoneyK)
		g.formula(smPayback, r, absRef(SheetStatement, stPayback, lay.all), paybackValue(ss.Measures.Payback), lk.Months)
		p5, loss := b.simulated(scenario.Output{Scope: scenario.Partnership, Key: ps.ID, Metric: scenario.Contribution})
		b.simCell(g, smP5, r, p5, lk.MoneyK)
		b.simCell(g, smPLoss, r, loss, lk.Percent)
	}

	// Channels.
	row = last + 2
	g.text(1, row, "Channels", lk.Bold)
	row++
	g.header(1, row, "Channel", "Partnerships")
	g.header(smGMV, row, "GMV", "Net sales", "CM3", "Contribution", "Contribution margin")
	for _, ch := range b.st.ByChannel {
		row++
		var idx []int
		for i, ps := range b.p.Partnerships {
			if ps.Channel == ch.Key {
				idx = append(idx, i)
			}
		}
		g.text(1, row, ch.Key, 0)
		g.value(2, row, len(idx), lk.Rank)
		for _, c := range []struct {
			column int
			line   costmodel.Line
		}{{smGMV, costmodel.LineGMV}, {smNetSales, costmodel.LineNetSales}, {smCM3, costmodel.LineCM3}, {smContribution, costmodel.LineContribution}} {
			// The channel's roll-up in the model: the sum of its
			// partnerships' totals, on their Statement rows.
			nb, ok := b.model.ChannelNodes(ch.Key)
			if !ok {
				b.fail(fmt.Errorf("report: internal error: the model has no channel %q", ch.Key))
				continue
			}
			id := nb.Total[c.line]
			f := "0"
			switch h := b.home[id]; {
			case h.Col != 0: // one partnership: its total
				f = absRef(h.Sheet, h.Col, h.Row)
			case b.model.Graph().Nodes[id].Kind != graph.Const:
				f, _ = b.pr.Formula(id, SheetSummary)
			}
			g.formula(c.column, row, f, num(b.vals[id]), lk.MoneyK)
		}
		cr := b.st.Measure(&ch.Block).ContributionRatio
		g.formula(smMargin, row, fmt.Sprintf(`IF(%s=0,"%s",%s/%s)`, ref(smNetSales, row), na, ref(smContribution, row), ref(smNetSales, row)),
			ratioValue(cr), lk.Percent)
	}

	g.width(1, 1, 44)
	g.width(2, 3, 14)
	g.width(4, smColumns, 16)
	g.width(smMargin, smMargin, 20)
	g.width(smP5, smPLoss, 19)
	b.summaryChart(first, last)
	return nil
}

// summaryChartRows is the chart's height in default rows (20 pixels).
const summaryChartRows = 15

// summaryChart draws the contribution and NPV of each partnership, in
// ranking order, beside the portfolio's measures.
func (b *book) summaryChart(first, last int) {
	q := quoteSheet(SheetSummary)
	cats := fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(smName), first, col(smName), last)
	series := func(c int) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", q, col(c), first-1),
			Categories: cats,
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), first, col(c), last),
		}
	}
	b.fail(b.f.AddChart(SheetSummary, ref(4, 4), &excelize.Chart{
		Type:      excelize.Bar,
		Series:    []excelize.ChartSeries{series(smContribution), series(smNPV)},
		Title:     chartTitle("Contribution and NPV by partnership"),
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, TickLabelPosition: excelize.ChartTickLabelLow, Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: thousandsFormat(b.lk.AxisFormat)}, Font: axisFont},
		Dimension: excelize.ChartDimension{Width: 820, Height: summaryChartRows * 20},
	}))
}

// axisFont is the font of chart axis labels: dark enough to read in print.
var axisFont = excelize.Font{Color: "262626", Size: 9}

func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s, Font: &excelize.Font{Bold: true, Size: 12}}}}
}

// npvFormula is the NPV of the net cash flow of the monthly total rows
// starting at first, as the Statement's horizon rows compute it.
func (b *book) npvFormula(first int) string {
	rng := absRange(SheetStatement, lineCol(costmodel.LineNetCashFlow), first, lineCol(costmodel.LineNetCashFlow), first+b.p.Months-1)
	return b.roundTo(fmt.Sprintf("NPV(%s,%s)", monthlyRateNm, rng))
}

// rankByContribution orders the partnerships by contribution over the
// horizon, largest first, ties in portfolio order.
func rankByContribution(st *costmodel.Statement) []int {
	order := make([]int, len(st.Partnerships))
	for i := range order {
		order[i] = i
	}
	c := func(i int) decimal.Decimal { return st.Partnerships[i].Total.Total[costmodel.LineContribution] }
	sort.SliceStable(order, func(x, y int) bool { return c(order[x]).GreaterThan(c(order[y])) })
	return order
}

// rankOf is Excel's RANK of partnership i's contribution (descending,
// ties sharing the better rank).
func rankOf(st *costmodel.Statement, i int) int {
	mine := st.Partnerships[i].Total.Total[costmodel.LineContribution]
	rank := 1
	for k := range st.Partnerships {
		if st.Partnerships[k].Total.Total[costmodel.LineContribution].GreaterThan(mine) {
			rank++
		}
	}
	return rank
}

// ratioValue is a ratio's cached value: the number, or "n/a" when net
// sales are zero.
func ratioValue(r costmodel.Ratio) any {
	if !r.Valid {
		return na
	}
	return num(r.Value)
}

// paybackValue is a payback's cached value: the month, or "not reached".
func paybackValue(p costmodel.Payback) any {
	if !p.Reached {
		return notReached
	}
	return p.Month
}

func monthLabel(m costmodel.Month) string {
	return fmt.Sprintf("%s %d", m.Month.String()[:3], m.Year)
}

// percentText writes a fraction as a percentage for prose: 0.1 → "10%",
// 0.125 → "12.5%".
func percentText(d decimal.Decimal) string {
	s := d.Mul(decimal.NewFromInt(100)).String()
	return strings.TrimSuffix(s, ".0") + "%"
}

// simulated returns an output's P5 and P(loss) from the simulation, or
// nil when there is none or the output was not recorded.
func (b *book) simulated(o scenario.Output) (p5, loss *float64) {
	if b.opt.Simulation == nil {
		return nil, nil
	}
	r, ok := b.opt.Simulation.Output(o)
	if !ok {
		return nil, nil
	}
	if !r.Valid {
		// undefined in every trial: no P5 and no P(loss), n/a (not 0)
		return nil, nil
	}
	v, l := r.Percentile(0.05), r.ProbLoss
	return &v, &l
}

// simCell writes a simulated figure, or "n/a" without a simulation or
// when the figure is not defined.
func (b *book) simCell(g grid, c, r int, v *float64, style int) {
	if v == nil {
		g.text(c, r, na, b.lk.NA)
		return
	}
	g.simValue(c, r, *v, true, style)
}
