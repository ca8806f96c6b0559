package report

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"
)

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// round2 is Excel's ROUND(x, 2): half away from zero.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// percentileInc is Excel's PERCENTILE.INC, for the cached values of the
// sample workbook.
func percentileInc(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	h := p * float64(len(s)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

// sampleWorkbook is a small workbook exercising every feature the finance
// workbook uses: a normal sheet with inputs, defined names, validation,
// panes and widths; two StreamWriter sheets with formulas and cached values;
// and a chart sheet with a tornado, a histogram and an S-curve.
type sampleWorkbook struct {
	f  *excelize.File
	fc *formulaCache
}

func buildSampleWorkbook(t testing.TB) sampleWorkbook {
	t.Helper()
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := excelize.NewFile()
	fc := &formulaCache{}
	st, err := newStyles(f)
	check(err)
	usd, err := st.Money("USD", 2)
	check(err)
	inUSD, err := st.InputMoney("USD", 2)
	check(err)

	// Assumptions: a normal sheet.
	used := map[string]bool{}
	assumptions := sheetName("Assumptions", used)
	check(f.SetSheetName("Sheet1", assumptions))
	check(f.SetSheetRow(assumptions, "A1", &[]any{"Driver", "Value", "Note"}))
	check(f.SetCellStyle(assumptions, "A1", "C1", st.Header))
	inputs := []struct {
		address string
		value   float64
		style   int
	}{
		{"amazon-us/toys/orders", 1200, st.InputInteger},
		{"amazon-us/toys/price", 24.99, inUSD},
		{"amazon-us/commission/rate", 0.15, st.InputPercent},
		{"portfolio/discount_rate", 0.08, st.InputPercent},
	}
	var names driverNames
	for i, in := range inputs {
		cell := fmt.Sprintf("B%d", i+2)
		check(f.SetCellStr(assumptions, fmt.Sprintf("A%d", i+2), in.address))
		check(f.SetCellFloat(assumptions, cell, in.value, -1, 64))
		check(f.SetCellStyle(assumptions, cell, cell, in.style))
		_, err := names.addDriverName(f, in.address, quoteSheet(assumptions)+"!$B$"+strconv.Itoa(i+2))
		check(err)
	}
	check(setText(f, assumptions, "C2", "=HYPERLINK(\"http://x\")", st.Text))
	orders, price, rate := inputs[0].value, inputs[1].value, inputs[2].value
	gmv := round2(orders * price)
	commission := round2(gmv * rate)
	// Normal-sheet formulas with cached values.
	check(setFormula(f, fc, assumptions, "B7", "ROUND(amazon..us.toys.orders*amazon..us.toys.price,2)", gmv))
	check(setFormula(f, fc, assumptions, "B8", "ROUND(B7*amazon..us.commission.rate,2)", commission))
	check(setFormula(f, fc, assumptions, "B9", `IF(B8>1000,"high","low")`, map[bool]string{true: "high", false: "low"}[commission > 1000]))
	check(setFormula(f, fc, assumptions, "B10", "B8<B7", commission < gmv))
	check(f.SetCellStyle(assumptions, "B7", "B8", usd))
	dv := excelize.NewDataValidation(true)
	dv.Sqref = "B4:B5"
	check(dv.SetRange(0, 1, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween))
	dv.SetError(excelize.DataValidationErrorStyleStop, "Rate", "A rate is between 0 and 1.")
	check(f.AddDataValidation(assumptions, dv))
	check(f.SetPanes(assumptions, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	check(f.SetColWidth(assumptions, "A", "A", 32))
	check(f.SetColWidth(assumptions, "B", "C", 14))

	// Monthly: a StreamWriter sheet with a cross-sheet reference and names.
	monthly := sheetName("Monthly", used)
	_, err = f.NewSheet(monthly)
	check(err)
	sw, err := f.NewStreamWriter(monthly)
	check(err)
	check(sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	check(sw.SetColWidth(1, 6, 13))
	check(sw.SetRow("A1", []any{
		excelize.Cell{StyleID: st.Header, Value: "Month"}, excelize.Cell{StyleID: st.Header, Value: "Orders"},
		excelize.Cell{StyleID: st.Header, Value: "GMV"}, excelize.Cell{StyleID: st.Header, Value: "Commission"},
		excelize.Cell{StyleID: st.Header, Value: "Margin"}, excelize.Cell{StyleID: st.Header, Value: "Cumulative"},
	}))
	const months = 12
	var cum float64
	var margins []float64
	for m := 1; m <= months; m++ {
		r := m + 1
		season := 1 + 0.5*float64(m%12/10) // Nov and Dec are peak
		o := math.Round(orders * season)
		g := round2(o * price)
		c := round2(g * rate)
		margin := round2(g - c - 2500)
		cum = round2(cum + margin)
		margins = append(margins, margin)
		row := []any{m, o}
		for _, fc := range []struct {
			formula string
			value   any
			style   int
		}{
			{fmt.Sprintf("ROUND(B%d*%s!$B$3,2)", r, quoteSheet(assumptions)), g, usd},
			{fmt.Sprintf("ROUND(C%d*amazon..us.commission.rate,2)", r), c, usd},
			{fmt.Sprintf("ROUND(C%d-D%d-2500,2)", r, r), margin, usd},
			{fmt.Sprintf("ROUND(SUM($E$2:E%d),2)", r), cum, usd},
		} {
			cell, err := formulaValue(fc.formula, fc.value, fc.style)
			check(err)
			row = append(row, cell)
		}
		check(sw.SetRow("A"+strconv.Itoa(r), row))
	}
	tot := months + 2
	minM, maxM := slices.Min(margins), slices.Max(margins)
	totalRow := []any{"Total", nil}
	for _, fc := range []struct {
		formula string
		value   any
	}{
		{fmt.Sprintf("MIN(E2:E%d)", tot-1), minM},
		{fmt.Sprintf("MAX(E2:E%d)", tot-1), maxM},
		{fmt.Sprintf("ROUND(SUM(E2:E%d),2)", tot-1), cum},
		{fmt.Sprintf("IF(F%d>0,1,0)", tot-1), map[bool]int{true: 1, false: 0}[cum > 0]},
	} {
		cell, err := formulaValue(fc.formula, fc.value, usd)
		check(err)
		totalRow = append(totalRow, cell)
	}
	check(sw.SetRow("A"+strconv.Itoa(tot), totalRow))
	// Conditional format and validation on a stream sheet must be added
	// before Flush: Flush writes the sheet's extra parts once.
	check(f.SetConditionalFormat(monthly, fmt.Sprintf("E2:E%d", tot-1), []excelize.ConditionalFormatOptions{
		{Type: "cell", Criteria: "<", Value: "0", Format: &st.Breach},
	}))
	check(sw.Flush())

	// Stats: a second StreamWriter sheet (two streams make excelize's zip
	// order random).
	stats := sheetName("Stats", used)
	_, err = f.NewSheet(stats)
	check(err)
	sw2, err := f.NewStreamWriter(stats)
	check(err)
	samples := []float64{12.5, 7.25, 19.75, 3.5, 15, 9.125, 11.875, 22.5, 5.75, 13.25, 17.5}
	weights := []float64{1, 2, 1, 3, 1, 2, 1, 1, 2, 1, 3}
	n := len(samples)
	var sp float64
	for i := range samples {
		sp += samples[i] * weights[i]
	}
	stat := []struct {
		formula string
		value   float64
	}{
		{fmt.Sprintf("PERCENTILE.INC(A1:A%d,0.05)", n), percentileInc(samples, 0.05)},
		{fmt.Sprintf("PERCENTILE.INC(A1:A%d,0.5)", n), percentileInc(samples, 0.5)},
		{fmt.Sprintf("PERCENTILE.INC(A1:A%d,0.95)", n), percentileInc(samples, 0.95)},
		{fmt.Sprintf("SUMPRODUCT(A1:A%d,B1:B%d)", n, n), sp},
		{fmt.Sprintf("ROUND(%s!F%d/portfolio.discount_rate,2)", quoteSheet(monthly), tot-1), round2(cum / inputs[3].value)},
	}
	for i, x := range samples {
		row := []any{x, weights[i]}
		if i < len(stat) {
			cell, err := formulaValue(stat[i].formula, stat[i].value, st.Decimal)
			check(err)
			row = append(row, nil, cell)
		}
		check(sw2.SetRow("A"+strconv.Itoa(i+1), row))
	}
	check(sw2.Flush())

	// Charts on a normal sheet, reading the stream sheets.
	charts := sheetName("Charts", used)
	_, err = f.NewSheet(charts)
	check(err)
	check(f.SetSheetRow(charts, "A1", &[]any{"Driver", "Low", "High"}))
	check(f.SetSheetRow(charts, "A2", &[]any{"Orders", -1200.5, 1350.25}))
	check(f.SetSheetRow(charts, "A3", &[]any{"Commission", -800, 760}))
	q := quoteSheet(charts)
	check(f.AddChart(charts, "E1", &excelize.Chart{
		Type: excelize.BarStacked, // horizontal bars, low and high stacked around 0: a tornado
		Series: []excelize.ChartSeries{
			{Name: q + "!$B$1", Categories: q + "!$A$2:$A$3", Values: q + "!$B$2:$B$3"},
			{Name: q + "!$C$1", Categories: q + "!$A$2:$A$3", Values: q + "!$C$2:$C$3"},
		},
		Title:   excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Tornado"}}},
		Overlap: func() *int { v := 100; return &v }(),
	}))
	m := quoteSheet(monthly)
	check(f.AddChart(charts, "E18", &excelize.Chart{
		Type:   excelize.Col,
		Series: []excelize.ChartSeries{{Name: "Margin", Categories: m + "!$A$2:$A$13", Values: m + "!$E$2:$E$13"}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Histogram"}}},
	}))
	check(f.AddChart(charts, "N1", &excelize.Chart{
		Type:   excelize.Scatter,
		Series: []excelize.ChartSeries{{Name: "Cumulative", Categories: m + "!$A$2:$A$13", Values: m + "!$F$2:$F$13"}},
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "S-curve"}}},
	}))
	return sampleWorkbook{f: f, fc: fc}
}

func (s sampleWorkbook) save(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := saveDeterministicWith(s.f, &buf, saveOptions{Formulas: s.fc}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
