package report

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the simulation results.
const (
	SheetMonteCarlo = "Monte Carlo"
	SheetSamples    = "Samples"
)

// DefaultSampleRows is how many trials the Samples sheet holds when
// Options.SampleRows is zero; MaxSampleRows is the most it will hold.
// Beyond some 10^5 rows a workbook becomes slow to open and recalculate,
// and the statistics on the Monte Carlo sheet always use every trial.
const (
	DefaultSampleRows = 10_000
	MaxSampleRows     = 200_000
)

// sampleRows is the number of trials written to the Samples sheet.
func (b *book) sampleRows() int {
	n := b.opt.SampleRows
	if n <= 0 {
		n = DefaultSampleRows
	}
	return min(n, MaxSampleRows, b.opt.Simulation.Trials)
}

// sampleOutputs are the outputs written to the Samples sheet: every
// recorded output of the portfolio and each partnership's contribution
// (the others are in the statistics table only, to keep the sheet a
// readable width).
func sampleOutputs(r *montecarlo.Result) []int {
	var out []int
	for k, o := range r.Outputs {
		switch o.Output.Scope {
		case scenario.Portfolio, "":
			out = append(out, k)
		case scenario.Partnership:
			if o.Output.Metric == scenario.Contribution {
				out = append(out, k)
			}
		}
	}
	return out
}

// The Samples sheet's layout: a block of live statistics over the sample
// columns, the column headings, then one row per trial.
const (
	smpStatFirst = 3  // first statistics row
	smpHead      = 10 // the headings row
	smpFirst     = 11 // the first trial's row
)

var sampleStats = []struct {
	label string
	p     float64 // a percentile, or −1 for the mean, −2 sd, −3 P(< 0), −4 the undefined trials
}{{"Mean", -1}, {"Standard deviation", -2}, {"P5 (PERCENTILE.INC)", 0.05}, {"P50", 0.5}, {"P95", 0.95}, {"P(< 0)", -3},
	{"Undefined trials (n/a, left out above)", -4}}

// writeSamples streams the Samples sheet: trial inputs and outputs as
// columns, under live formulas (mean, sd, percentiles, P(< 0)) whose
// cached values Go computes over the same rows.
func (b *book) writeSamples() error {
	r := b.opt.Simulation
	n := b.sampleRows()
	outs := sampleOutputs(r)
	sw, err := b.f.NewStreamWriter(SheetSamples)
	if err != nil {
		return err
	}
	ncol := 1 + len(r.Inputs) + len(outs)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: smpHead, TopLeftCell: ref(2, smpFirst), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 22); err != nil {
		return err
	}
	if err := sw.SetColWidth(2, max(2, ncol), 18); err != nil {
		return err
	}
	lk := b.lk
	title := fmt.Sprintf("Samples: the first %d of %d trials (seed %d). The formulas above the headings recalculate over these rows; ask your own question with PERCENTILE.INC or COUNTIF over a column.", n, r.Trials, r.Seed)
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: lk.Bold, Value: title}}); err != nil {
		return err
	}
	if err := sw.SetRow("A2", []any{b.staleCell(SheetSamples, "A2")}); err != nil {
		return err
	}
	// The columns: values and their style.
	type column struct {
		head   string
		values []float64
		style  int
	}
	var cols []column
	for i, name := range r.Inputs {
		cols = append(cols, column{head: "input: " + name, values: r.InputSamples[i][:n], style: lk.Decimal})
	}
	for _, k := range outs {
		o := &r.Outputs[k]
		values := o.Samples[:n]
		if o.Undefined > 0 || !outputDefined(o) {
			// An undefined trial holds a placeholder 0 in Samples: it is
			// NaN here, written as the text n/a, which the statistics
			// formulas above skip.
			values = make([]float64, n)
			for t := range values {
				values[t] = o.Samples[t]
				if !outputDefined(o) || !o.IsDefined(t) {
					values[t] = math.NaN()
				}
			}
		}
		cols = append(cols, column{head: outputLabel(o.Output), values: values, style: b.simStyle(o.Output.Metric)})
	}
	last := smpFirst + n - 1
	// Printed by default: the statistics (the trials stay on screen).
	b.printArea(SheetSamples, 1, 1, ncol, smpHead)
	for s, stat := range sampleStats {
		row := smpStatFirst + s
		cells := []any{excelize.Cell{StyleID: lk.Bold, Value: stat.label}}
		for c, cl := range cols {
			rng := fmt.Sprintf("%s%d:%s%d", col(2+c), smpFirst, col(2+c), last)
			formula, value := sampleStatistic(stat.p, rng, cl.values)
			style := cl.style
			switch stat.p {
			case -3:
				style = lk.Percent
			case -4:
				style = lk.Integer
			}
			cell, err := formulaValue(formula, value, style)
			if err != nil {
				return err
			}
			cells = append(cells, cell)
		}
		if err := sw.SetRow(ref(1, row), cells); err != nil {
			return err
		}
	}
	head := []any{excelize.Cell{StyleID: lk.Header, Value: "Trial"}}
	for _, c := range cols {
		head = append(head, textCell(c.head, lk.Header, lk.Text))
	}
	if err := sw.SetRow(ref(1, smpHead), head, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	row := make([]any, 1+len(cols))
	for t := range n {
		row[0] = excelize.Cell{Value: t + 1}
		for c, cl := range cols {
			if v := cl.values[t]; math.IsNaN(v) {
				row[1+c] = excelize.Cell{StyleID: cl.style, Value: na}
			} else {
				row[1+c] = excelize.Cell{StyleID: cl.style, Value: v}
			}
		}
		if err := sw.SetRow(ref(1, smpFirst+t), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// sampleStatistic is a statistic's formula over a range and its value over
// the same values, as the spreadsheet computes it (for p = −4, the number
// of undefined trials, an int). Undefined trials (NaN)
// are the text "n/a" on the sheet, which AVERAGE, STDEV.S, PERCENTILE.INC,
// COUNT and COUNTIF skip; the value skips them too. A column with such
// trials gets IF(COUNT(range) < k, "n/a", ...), so that a statistic with
// too few defined trials (1 for most, 2 for the standard deviation) is
// n/a and not a spreadsheet error; the value is then "n/a" as well.
func sampleStatistic(p float64, rng string, all []float64) (string, any) {
	x := make([]float64, 0, len(all))
	for _, v := range all {
		if !math.IsNaN(v) {
			x = append(x, v)
		}
	}
	var formula string
	var value float64
	need := 1
	switch p {
	case -4:
		// every cell that is not a number is an undefined trial's n/a
		return fmt.Sprintf("ROWS(%s)-COUNT(%s)", rng, rng), len(all) - len(x)
	case -1:
		s := 0.0
		for _, v := range x {
			s += v
		}
		formula, value = fmt.Sprintf("AVERAGE(%s)", rng), s/float64(len(x))
	case -2:
		sum, _ := montecarlo.Summarize(x)
		formula, value, need = fmt.Sprintf("STDEV.S(%s)", rng), sum.SD, 2
	case -3:
		below := 0
		for _, v := range x {
			if v < 0 {
				below++
			}
		}
		formula, value = fmt.Sprintf(`COUNTIF(%s,"<0")/COUNT(%s)`, rng, rng), float64(below)/float64(len(x))
	default:
		sorted := slices.Clone(x)
		slices.Sort(sorted)
		formula = fmt.Sprintf("PERCENTILE.INC(%s,%s)", rng, formatG(p))
		if len(sorted) > 0 {
			value = montecarlo.Percentile(sorted, p)
		}
	}
	if len(x) == len(all) && len(x) >= need {
		return formula, value
	}
	formula = fmt.Sprintf(`IF(COUNT(%s)<%d,"%s",%s)`, rng, need, na, formula)
	if len(x) < need {
		return formula, na
	}
	return formula, value
}

// simStyle is the number format of a simulated metric: payback months are
// averaged, so they keep decimals.
func (b *book) simStyle(m scenario.Metric) int {
	if m == scenario.PaybackMonth {
		return b.lk.Decimal
	}
	return b.metricStyle(m)
}

// writeMonteCarlo writes the simulation's statistics, a histogram and an
// S-curve of the headline outputs, the convergence record, the
// rank-correlation sensitivity, repaired correlations and clamped draws,
// and the paired comparisons under common random numbers.
func (b *book) writeMonteCarlo() error {
	g := b.grid(SheetMonteCarlo)
	lk := b.lk
	r := b.opt.Simulation
	if r == nil {
		g.text(1, 1, "No simulation was run for this review (no uncertainty was given).", lk.Note)
		return nil
	}
	g.width(1, 1, 40)
	g.width(2, 40, 14)
	g.text(1, 1, "Monte Carlo", lk.Title)
	g.text(1, 2, fmt.Sprintf("%d trials · seed %d · %s sampling · figures over every trial in which the output is defined (undefined trials, a ratio over zero net sales or a payback not reached, are counted and left out), computed when written (the Samples sheet has live formulas over the first %d trials)",
		r.Trials, r.Seed, samplingName(r.Sampling), b.sampleRows()), lk.Note)
	b.staleNotice(SheetMonteCarlo, 1, 3)
	b.printRows(SheetMonteCarlo, 1, 3, 0)

	// Statistics of every output.
	row := 4
	// The percentile and tail columns are those of a defined output: an
	// output undefined in every trial has none (montecarlo leaves them
	// nil) and shows n/a in each.
	tmpl := &r.Outputs[0]
	for k := range r.Outputs {
		if outputDefined(&r.Outputs[k]) {
			tmpl = &r.Outputs[k]
			break
		}
	}
	heads := []string{"Output", "Mean", "Std dev", "Std error", "Min", "Max"}
	for _, q := range tmpl.Percentiles {
		heads = append(heads, "P"+formatG(100*q.P))
	}
	// VaR and CVaR are stated as losses: how far below the base case the
	// output falls at the level (base − the (1 − level) percentile) and on
	// average in the worst (1 − level) of trials (base − the tail mean).
	for _, q := range tmpl.VaR {
		heads = append(heads, fmt.Sprintf("VaR %s%% below base", formatG(100*q.P)))
	}
	for _, q := range tmpl.CVaR {
		heads = append(heads, fmt.Sprintf("CVaR %s%% below base", formatG(100*q.P)))
	}
	heads = append(heads, "Base case", "P(loss): P(< 0)", "Undefined trials")
	g.header(1, row, heads...)
	g.freeze(2, row+1)
	// The portfolio's and the partnerships' rows first (printed), then the
	// channels' and categories' (on screen only).
	order := make([]int, len(r.Outputs))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, c int) int { return scopeRank(r.Outputs[a].Output.Scope) - scopeRank(r.Outputs[c].Output.Scope) })
	lastPrinted := row
	for n, k := range order {
		o := &r.Outputs[k]
		rr := row + 1 + n
		if scopeRank(o.Output.Scope) <= 1 {
			lastPrinted = rr
		}
		st := b.simStyle(o.Output.Metric)
		g.text(1, rr, outputLabel(o.Output), 0)
		c := 2
		defined := outputDefined(o)
		stat := func(v float64, style int) {
			g.simValue(c, rr, v, defined, style)
			c++
		}
		for _, v := range []float64{o.Summary.Mean, o.Summary.SD, o.Summary.SE, o.Summary.Min, o.Summary.Max} {
			stat(v, st)
		}
		// A loss means money: VaR, CVaR and P(loss) are n/a for payback
		// months, ratios and volumes (orders, downtime hours).
		money := !o.Output.Metric.IsRatio() && o.Output.Metric != scenario.PaybackMonth && !o.Output.Metric.IsVolume()
		base, err := o.Output.Of(b.st)
		baseOK := err == nil && base.Valid
		baseV := math.NaN()
		if baseOK {
			baseV = num(base.Amount)
		}
		for j, qs := range [][]montecarlo.Quantile{o.Percentiles, o.VaR, o.CVaR} {
			want := len([][]montecarlo.Quantile{tmpl.Percentiles, tmpl.VaR, tmpl.CVaR}[j])
			for i := range want {
				switch {
				case i >= len(qs):
					stat(math.NaN(), st) // none recorded: n/a
				case j == 0:
					stat(qs[i].Value, st)
				case !money || !baseOK:
					g.text(c, rr, na, lk.NA)
					c++
				default:
					stat(baseV-qs[i].Value, st)
				}
			}
		}
		stat(baseV, st)
		if money {
			stat(o.ProbLoss, lk.Percent)
		} else {
			g.text(c, rr, na, lk.NA)
			c++
		}
		g.value(c, rr, o.Undefined, lk.Integer)
	}
	g.text(1, row+len(r.Outputs)+1, "VaR at a level: how far below the base case the output falls in all but the worst (1 − level) of trials (base − the (1 − level) percentile); CVaR: how far below the base case it falls on average in those worst trials. A negative figure is a gain over the base. Neither, nor P(loss), is shown for payback months, ratios and volumes (orders, downtime hours).", lk.Note)
	statCols := len(heads)
	row += len(r.Outputs) + 3

	// Histogram and S-curve of the headline outputs.
	// The charts of the headline outputs, two rows of two from column A
	// below the note (one printed page), their tables beside them from
	// column K (on screen; the print area leaves them out).
	chartsFrom := row
	tablesEnd := row
	k := 0
	for _, want := range []scenario.Output{{Scope: scenario.Portfolio, Metric: scenario.Contribution}, {Scope: scenario.Portfolio, Metric: scenario.NPV}} {
		if o, ok := r.Output(want); ok {
			tablesEnd = max(tablesEnd, b.distributionCharts(g, o, distTableCol+k*distTableCols, row, row+k*(distributionChartRows+1)))
			k++
		}
	}
	chartsEnd := row + k*(distributionChartRows+1)
	row = max(tablesEnd, chartsEnd) + 2
	fansFrom := row
	// Fan charts of the cumulative paths the run kept (Options.Fans).
	for k := range r.Fans {
		fn := &r.Fans[k]
		b.fail(b.f.InsertPageBreak(SheetMonteCarlo, ref(1, row)))
		row = b.fanChart(SheetMonteCarlo, 1, row, "Cumulative "+outputLabel(fn.Output)+" by month", fn)
	}
	if len(r.Fans) > 0 {
		b.fail(b.f.InsertPageBreak(SheetMonteCarlo, ref(1, row)))
	}

	// Convergence.
	if cv := r.Convergence; cv != nil {
		status := fmt.Sprintf("not converged within %d trials", r.Trials)
		if cv.Converged {
			status = fmt.Sprintf("converged after %d trials", cv.At)
		}
		g.text(1, row, fmt.Sprintf("Convergence: standard error of the %s below %s — %s", cv.Statistic, formatG(cv.Tolerance), status), lk.Bold)
		row++
		g.header(1, row, "Trials", "Estimate", "Standard error")
		for _, pt := range cv.Trace {
			row++
			g.value(1, row, pt.Trials, lk.Integer)
			g.value(2, row, pt.Estimate, lk.Decimal)
			g.value(3, row, pt.SE, lk.Decimal)
		}
		row += 3
	}

	// Sensitivity from the simulation.
	for _, s := range r.Sensitivity {
		over := "the trials"
		if s.Trials < r.Trials {
			over = fmt.Sprintf("the %d trials in which it is defined", s.Trials)
		}
		g.text(1, row, "Sensitivity of "+outputLabel(s.Output)+" (rank correlation over "+over+")", lk.Bold)
		row++
		if !s.Valid {
			g.text(1, row, fmt.Sprintf("n/a: defined in %d of %d trials, too few to rank", s.Trials, r.Trials), lk.Note)
			row += 2
			continue
		}
		head := row
		g.header(1, head, "Input", "Rank correlation", "Contribution to variance", "Mean", fmt.Sprintf("Mean in the worst %s%%", formatG(100*b.tailShare())))
		order := make([]int, len(s.Inputs))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, c int) int {
			x, y := abs(s.Inputs[a].RankCorrelation), abs(s.Inputs[c].RankCorrelation)
			switch {
			case x > y:
				return -1
			case x < y:
				return 1
			}
			return 0
		})
		for k, i := range order {
			rr := head + 1 + k
			in := s.Inputs[i]
			g.text(1, rr, r.Inputs[i], 0)
			g.value(2, rr, in.RankCorrelation, lk.Decimal)
			g.value(3, rr, in.ContributionToVariance, lk.Percent)
			g.value(4, rr, in.Mean, lk.Decimal)
			g.value(5, rr, in.TailMean, lk.Decimal)
		}
		if len(order) > 0 {
			q := quoteSheet(SheetMonteCarlo)
			b.fail(b.f.AddChart(SheetMonteCarlo, ref(6, head), &excelize.Chart{
				Type: excelize.Bar,
				Series: []excelize.ChartSeries{{
					Name:       fmt.Sprintf("%s!$B$%d", q, head),
					Categories: fmt.Sprintf("%s!$A$%d:$A$%d", q, head+1, head+len(order)),
					Values:     fmt.Sprintf("%s!$B$%d:$B$%d", q, head+1, head+len(order)),
				}},
				Title:     chartTitle("Rank correlation with " + outputLabel(s.Output)),
				Legend:    excelize.ChartLegend{Position: "none"},
				XAxis:     excelize.ChartAxis{ReverseOrder: true, TickLabelPosition: excelize.ChartTickLabelLow, Font: axisFont},
				YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.00"}},
				Dimension: excelize.ChartDimension{Width: 500, Height: uint(max(200, 40+24*len(order)))},
			}))
		}
		row = max(head+len(order)+3, head+max(200, 40+24*len(order))/20+2)
	}

	// What the inputs did: clamps and repaired correlations.
	g.text(1, row, "Inputs", lk.Bold)
	row++
	g.header(1, row, "Input", "Draws clamped to the driver's range")
	for i, name := range r.Inputs {
		row++
		g.text(1, row, name, 0)
		g.value(2, row, r.Clamped[i], lk.Integer)
	}
	row += 2
	for _, rep := range r.Repairs {
		g.text(1, row, fmt.Sprintf("Correlation matrix repaired to the nearest valid one (largest move %s); the moves:", formatG(rep.MaxMove)), lk.Bold)
		row++
		for j, name := range rep.Inputs {
			g.text(2+j, row, name, lk.Header)
		}
		for i, name := range rep.Inputs {
			row++
			g.text(1, row, name, lk.Header)
			for j := range rep.Inputs {
				g.value(2+j, row, rep.Moved[i][j], lk.Decimal)
			}
		}
		row += 2
	}

	// Paired comparisons under common random numbers.
	if len(b.opt.Paired) > 0 {
		g.text(1, row, "Alternatives on the same draws (common random numbers)", lk.Bold)
		row++
		g.header(1, row, "Alternative", "Output", "Mean difference", "P5", "P50", "P95", "P(better)", "Undefined trials")
		for _, pd := range b.opt.Paired {
			row++
			d := pd.Difference
			st := b.simStyle(pd.Output.Metric)
			g.text(1, row, pd.Name, 0)
			g.text(2, row, outputLabel(pd.Output), 0)
			ok := outputDefined(&d)
			g.simValue(3, row, d.Summary.Mean, ok, st)
			g.simValue(4, row, d.Percentile(0.05), ok, st)
			g.simValue(5, row, d.Percentile(0.5), ok, st)
			g.simValue(6, row, d.Percentile(0.95), ok, st)
			g.simValue(7, row, pd.PBetter, ok, lk.Percent)
			// trials in which either side is undefined: left out above
			g.value(8, row, d.Undefined, lk.Integer)
		}
	}
	// Printed, each part from a new page (LibreOffice scales each part
	// to the page width on its own): the title and the statistics of the
	// portfolio and the partnerships (the channels' and categories' stay
	// on screen, as does the note on VaR below the table, which the
	// headings say in short); the distribution charts, columns A to H
	// (not their tables beside them); everything from the fan charts on.
	q := quoteSheet(SheetMonteCarlo)
	area := fmt.Sprintf("%s!$A$1:$%s$%d,%s!$A$%d:$%s$%d,%s!$A$%d:$%s$%d", q, col(statCols), lastPrinted,
		q, chartsFrom, col(distChartsLastCol), max(chartsEnd, chartsFrom), q, fansFrom, col(statCols), row+1)
	b.fail(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: SheetMonteCarlo, RefersTo: area}))
	return nil
}

// The distribution tables' place on the Monte Carlo sheet: from column
// K, each output's nine columns and a gap.
const (
	distTableCol  = 11
	distTableCols = 10
)

// scopeRank orders outputs and comparison rows on the sheets: the
// portfolio, the partnerships, the channels, the categories, the rest.
func scopeRank(s scenario.Scope) int {
	switch s {
	case scenario.Portfolio, "":
		return 0
	case scenario.Partnership:
		return 1
	case scenario.Channel:
		return 2
	case scenario.Category:
		return 3
	}
	return 4
}

// outputDefined reports whether any trial defines the output
// (OutputResult.Valid): when none does, montecarlo leaves every statistic
// zero, which the workbook shows as n/a, never as 0.
func outputDefined(o *montecarlo.OutputResult) bool {
	return o != nil && o.Valid
}

// simValue writes a simulated figure, or n/a when the output has no
// defined trial or the figure is not a number.
func (g grid) simValue(c, r int, v float64, defined bool, style int) {
	if !defined || math.IsNaN(v) || math.IsInf(v, 0) {
		g.value(c, r, na, style)
		return
	}
	g.value(c, r, v, style)
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func samplingName(s montecarlo.Sampling) string {
	if s == montecarlo.MC {
		return "plain Monte Carlo"
	}
	return "Latin Hypercube"
}

func (b *book) tailShare() float64 { return b.opt.Simulation.TailShare }

func (b *book) writeSamplesIfSimulated() error {
	if b.opt.Simulation == nil {
		return nil
	}
	return b.writeSamples()
}

func formatG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// distributionCharts writes the tables of one output's distribution with
// their top-left cell at (tc, tr), the bins in six columns from tc and
// the S-curve's points in two more after a gap, and a histogram and an
// S-curve of it side by side from column A of row cr (distributionRows
// rows high, about a page's width of columns A to J), and returns the
// tables' last row. Apart from the tables, the charts print on one page
// (the tables stay on screen). The histogram marks the bins that hold
// P5, P50, P95, the mean and the base case in a darker colour, its axis
// title gives their values, and the table's Holds column says which bin
// holds which.
func (b *book) distributionCharts(g grid, o *montecarlo.OutputResult, tc, tr, cr int) int {
	lk := b.lk
	st := b.simStyle(o.Output.Metric)
	title := "Distribution of " + outputLabel(o.Output)
	if !outputDefined(o) {
		note := fmt.Sprintf("n/a: undefined in every one of the %d trials (no net sales, or no payback within the horizon)", len(o.Samples))
		g.text(tc, tr, title, lk.Bold)
		g.text(tc, tr+1, note, lk.Note)
		if cr != tr || tc != 1 {
			g.text(1, cr, title+": "+note, lk.Note)
		}
		return tr + 2
	}
	if o.Undefined > 0 {
		title += fmt.Sprintf(" over the %d trials in which it is defined (%d undefined trials left out)", o.Summary.N, o.Undefined)
	}
	g.text(tc, tr, title, lk.Bold)
	head := tr + 1
	g.header(tc, head, "Bin from", "Bin to", "Trials", "Share", "Holds", "Trials (marked bin)")
	h := o.Histogram
	marks := b.histogramMarks(o)
	for i, c := range h.Counts {
		r := head + 1 + i
		g.value(tc, r, h.Edges[i], st)
		g.value(tc+1, r, h.Edges[i+1], st)
		g.value(tc+2, r, c, lk.Integer)
		// a share of the defined trials, as every statistic is
		g.simValue(tc+3, r, float64(c)/float64(o.Summary.N), o.Summary.N > 0, lk.Percent)
		var in []string
		for _, m := range marks {
			if binOf(h.Edges, m.value) == i {
				in = append(in, m.name)
			}
		}
		marked := 0
		if len(in) > 0 {
			g.text(tc+4, r, strings.Join(in, ", "), 0)
			marked = c
		}
		g.value(tc+5, r, marked, lk.Integer)
	}
	sorted := slices.Clone(o.DefinedSamples())
	slices.Sort(sorted)
	xs, ps := montecarlo.SCurve(sorted, sCurvePoints)
	sc := tc + 7
	g.header(sc, head, "Value", "P(≤ value)")
	for i := range xs {
		g.value(sc, head+1+i, xs[i], st)
		g.value(sc+1, head+1+i, ps[i], lk.Percent)
	}
	q := quoteSheet(SheetMonteCarlo)
	last := head + len(h.Counts)
	column := func(c, r1, r2 int) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), r1, col(c), r2)
	}
	name := func(c int) string { return fmt.Sprintf("%s!$%s$%d", q, col(c), head) }
	axisTitle := func(text string) excelize.ChartTitle {
		return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: text, Font: &axisFont}}}
	}
	scale := math.Max(math.Abs(h.Edges[0]), math.Abs(h.Edges[len(h.Edges)-1]))
	unit, format := b.axisUnit(o.Output.Metric, scale)
	var said []string
	for _, m := range marks {
		said = append(said, m.name+" "+b.axisText(o.Output.Metric, m.value, scale))
	}
	cats := column(tc, head+1, last)
	b.fail(b.f.AddChart(SheetMonteCarlo, ref(1, cr), &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{
			Name: name(tc + 2), Categories: cats, Values: column(tc+2, head+1, last),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"9DC3E6"}},
		}, {
			Name: name(tc + 5), Categories: cats, Values: column(tc+5, head+1, last),
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}},
		}},
		Title:      chartTitle("Histogram: " + outputLabel(o.Output) + " (dark: the bins of " + markNames(marks) + ")"),
		Legend:     excelize.ChartLegend{Position: "none"},
		VaryColors: boolPtr(false),
		// the bins' lower edges, upright, so that thirty of them fit
		XAxis: excelize.ChartAxis{Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: format}, Alignment: excelize.Alignment{TextRotation: -90},
			Title: axisTitle("Bin from, " + unit + ". " + strings.Join(said, " · "))},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, Title: axisTitle("Trials")},
		GapWidth:  uintPtr(10),
		Overlap:   intPtr(100),
		Dimension: excelize.ChartDimension{Width: distributionChartWidth, Height: distributionChartHeight},
	}))
	lastS := head + len(xs)
	b.fail(b.f.AddChart(SheetMonteCarlo, ref(distSecondChartCol, cr), &excelize.Chart{
		Type: excelize.Scatter,
		Series: []excelize.ChartSeries{{
			Name: name(sc + 1), Categories: column(sc, head+1, lastS), Values: column(sc+1, head+1, lastS),
			Marker: excelize.ChartMarker{Symbol: "none"},
			Line:   excelize.LineOptions{Type: excelize.LineSolid, Width: 2},
		}},
		Title:     chartTitle("S-curve: " + outputLabel(o.Output) + ", the share of futures at or below a value"),
		Legend:    excelize.ChartLegend{Position: "none"},
		XAxis:     excelize.ChartAxis{Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: format}, Title: axisTitle(outputLabel(o.Output) + ", " + unit)},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Maximum: floatPtr(1), Minimum: floatPtr(0), Title: axisTitle("P(≤ value)")},
		Dimension: excelize.ChartDimension{Width: distributionChartWidth, Height: distributionChartHeight},
	}))
	return max(last, lastS)
}

// The distribution section's charts: their size in pixels (two side by
// side from columns A and C, within column F: a landscape page's width at
// full size, as LibreOffice prints the part) and, at 20 pixels a row, the
// rows each spans; the S-curve's points (every 5 %).
const (
	distSecondChartCol      = 3
	distChartsLastCol       = 6
	distributionChartWidth  = 420
	distributionChartHeight = 260
	distributionChartRows   = distributionChartHeight/20 + 1
	sCurvePoints            = 21
)

// A statistic marked on a histogram: its name and value.
type histogramMark struct {
	name  string
	value float64
}

// histogramMarks are the statistics a histogram marks: P5, P50, P95, the
// mean and the base case (when the base case defines the output).
func (b *book) histogramMarks(o *montecarlo.OutputResult) []histogramMark {
	var marks []histogramMark
	add := func(name string, v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			marks = append(marks, histogramMark{name, v})
		}
	}
	add("P5", o.Percentile(0.05))
	add("P50", o.Percentile(0.5))
	add("P95", o.Percentile(0.95))
	add("mean", o.Summary.Mean)
	if base, err := o.Output.Of(b.st); err == nil && base.Valid {
		add("base case", num(base.Amount))
	}
	return marks
}

func markNames(marks []histogramMark) string {
	var names []string
	for _, m := range marks {
		names = append(names, m.name)
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// binOf is the index of the histogram bin [edges[i], edges[i+1]) that
// holds v, the last bin closed at its top; −1 outside the edges.
func binOf(edges []float64, v float64) int {
	n := len(edges) - 1
	if n < 1 || v < edges[0] || v > edges[n] {
		return -1
	}
	i := sort.SearchFloat64s(edges, v)
	if i < len(edges) && edges[i] == v {
		return min(i, n-1)
	}
	return i - 1
}

// axisUnit is how a chart's axis states a metric's unit, and the axis's
// number format: money in millions of the currency with one decimal when
// the axis reaches a million (scale, the largest magnitude on it), in
// thousands otherwise, the currency in the axis title and not in the
// labels, so that thirty bins' labels stay short enough not to wrap.
func (b *book) axisUnit(m scenario.Metric, scale float64) (unit, format string) {
	switch {
	case m.IsRatio():
		return "%", percentFormat
	case m == scenario.PaybackMonth:
		return "months", "0"
	case m.IsVolume():
		return "units", quantityFormat
	case scale >= 1e6:
		return b.cur + " (millions)", millionsFormat("#,##0")
	}
	return b.cur + " (thousands)", "#,##0,"
}

// axisText is a value as an axis title states it, in the axis's unit
// (axisUnit) with one more decimal.
func (b *book) axisText(m scenario.Metric, v, scale float64) string {
	switch {
	case m.IsRatio():
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	case m == scenario.PaybackMonth, m.IsVolume():
		return strconv.FormatFloat(v, 'f', 1, 64)
	case scale >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 2, 64) + "m"
	}
	return format.MoneyFloat(v/1000) + "k"
}

func boolPtr(v bool) *bool        { return &v }
func uintPtr(v uint) *uint        { return &v }
func floatPtr(v float64) *float64 { return &v }
func intPtr(v int) *int           { return &v }
