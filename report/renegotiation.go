package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// PProposedBetterLabel heads the Renegotiation row that holds the
// probability, under common random numbers, that the proposed terms leave
// us better off (Options.Paired[0]); it shows "n/a (no simulation)"
// without paired results.
const PProposedBetterLabel = "P(proposed better)"

// The Renegotiation sheet's sections, top to bottom (Options.Fairness,
// scenario.Fairness's result; nothing on it is computed here but
// differences and each side's gain over its no-deal outcome, as formulas):
//
//   - the terms side by side: every commission driver of the partnership
//     and its minimum guarantee, current (a live reference to the
//     Assumptions) and proposed, and both sides' values over the horizon;
//   - both sides' negotiation inputs: no-deal outcomes, bargaining
//     weights, the partner's cost to serve and uptime commitment;
//   - the bargaining range: our break-even rate, the partner's floor,
//     the Nash rate with both sides' values and gains there, the joint
//     surplus, P(proposed better) on the simulation's futures;
//   - each side's gain across flat rates (FairShare.Curve) with a chart;
//   - the months side by side.

// renegChartHeight is the height of the gain chart in pixels; the rows
// below it start after the chart (20 pixels a row) or the curve table.
const renegChartHeight = 360

// writeRenegotiation writes the Renegotiation sheet.
func (b *book) writeRenegotiation() error {
	g := b.grid(SheetRenegotiation)
	lk := b.lk
	g.width(1, 1, 50)
	g.width(2, 7, 17)
	fs := b.opt.Fairness
	if fs == nil {
		g.text(1, 1, "No renegotiation was analysed for this review. The renegotiation example (go run ./examples/renegotiation) fills this sheet for a partnership's current and proposed terms.", lk.Note)
		return nil
	}
	n := fs.Negotiation
	name := fs.Partnership
	var ps *costmodel.Partnership
	for i := range b.p.Partnerships {
		if b.p.Partnerships[i].ID == fs.Partnership {
			ps = &b.p.Partnerships[i]
			name = labelOr(ps.Name, ps.ID)
		}
	}
	g.text(1, 1, "Renegotiation: "+name, lk.Title)
	g.text(1, 2, "Flat revenue-share (commission) rates on the fee base; each side's value is over the whole horizon.", lk.Note)
	g.text(1, 4, "Computed when the workbook was written; the current terms refer to the Assumptions. The partner's value counts service credits and customers acquired where the portfolio states them.", lk.Note)
	b.staleNotice(SheetRenegotiation, 1, 3)

	// 1. The terms side by side.
	row := 6
	g.text(1, row, "Terms", lk.Bold)
	row++
	g.header(1, row, "Term", "Current", "Proposed", "Change")
	row++
	var proposed *costmodel.Portfolio
	if n.Proposed != nil && fs.Proposed != nil {
		q, err := n.Proposed.Apply(b.p)
		if err != nil {
			return fmt.Errorf("report: Options.Fairness: the proposed terms: %w", err)
		}
		proposed = q
	}
	labels := newDriverLabels(b.p)
	for _, d := range b.termDrivers(fs.Partnership) {
		_, input := labels.describe(d.Address)
		style := b.termStyle(d)
		label := "Commission: " + strings.TrimPrefix(input, "commission ")
		if strings.HasSuffix(d.Address, "/minimum_commission") {
			label = "Minimum guarantee per month (0: none)"
		}
		g.text(1, row, label, 0)
		g.formula(2, row, b.name(d.Address), num(d.Value), style)
		if proposed != nil {
			ds, err := proposed.Match(d.Address)
			if err != nil || len(ds) != 1 {
				return fmt.Errorf("report: Options.Fairness: the proposed terms have no driver %s", d.Address)
			}
			pv := ds[0].Value
			g.value(3, row, num(pv), style)
			if style == lk.Rate {
				// a change of a rate, in percentage points
				g.formula(4, row, "("+ref(3, row)+"-"+ref(2, row)+")*100", num(pv.Sub(d.Value).Mul(decimal.NewFromInt(100))), lk.PP)
			} else {
				g.formula(4, row, ref(3, row)+"-"+ref(2, row), num(pv.Sub(d.Value)), style)
			}
		} else {
			g.text(3, row, "no proposal", lk.NA)
		}
		row++
	}
	valueRow := func(label string, cur, prop decimal.Decimal) {
		g.text(1, row, label, lk.Bold)
		g.value(2, row, num(cur), lk.Money)
		if fs.Proposed != nil {
			g.value(3, row, num(prop), lk.Money)
			g.formula(4, row, ref(3, row)+"-"+ref(2, row), num(prop.Sub(cur)), lk.Money)
		}
		row++
	}
	var propOurs, propPartner decimal.Decimal
	if fs.Proposed != nil {
		propOurs, propPartner = fs.Proposed.Ours, fs.Proposed.Partner
	}
	valueRow("Our value over the horizon", fs.Current.Ours, propOurs)
	valueRow("Partner's value over the horizon", fs.Current.Partner, propPartner)
	if n.Proposed != nil && n.Proposed.Description != "" {
		g.text(1, row, "Proposal: "+n.Proposed.Description, lk.Note)
		row++
	}

	// 2. Both sides' negotiation inputs.
	row++
	g.text(1, row, "Negotiation inputs", lk.Bold)
	row++
	g.header(1, row, "Input", "Ours", "Partner's")
	row++
	noDeal := row
	g.text(1, row, "Value without the deal (no-deal outcome)", 0)
	g.value(2, row, num(n.OurNoDeal), lk.Money)
	g.value(3, row, num(n.Partner.NoDeal), lk.Money)
	row++
	alpha := decimal.RequireFromString("0.5")
	if n.OurWeight != nil {
		alpha = *n.OurWeight
	}
	g.text(1, row, "Bargaining weight (share of the surplus)", 0)
	g.value(2, row, num(alpha), lk.Percent)
	g.formula(3, row, "1-"+ref(2, row), num(decimal.NewFromInt(1).Sub(alpha)), lk.Percent)
	row++
	cost := n.Partner
	source := "the negotiation"
	var uptime *costmodel.UptimeCredit
	if ps != nil && ps.Partner != nil {
		uptime = ps.Partner.Uptime
		if cost.PerOrder.IsZero() && cost.RateOfGMV.IsZero() && cost.Monthly.IsZero() {
			cost.PerOrder, cost.RateOfGMV, cost.Monthly = ps.Partner.PerOrder, ps.Partner.RateOfGMV, ps.Partner.Monthly
			source = "the portfolio's partner side"
		}
	}
	for _, c := range []struct {
		label string
		v     decimal.Decimal
		style int
	}{
		{"Partner's cost to serve, per order", cost.PerOrder, lk.Unit},
		{"Partner's cost to serve, share of GMV", cost.RateOfGMV, lk.Rate},
		{"Partner's cost to serve, per month", cost.Monthly, lk.Money},
	} {
		g.text(1, row, c.label, 0)
		g.text(2, row, "—", lk.NA)
		g.value(3, row, num(c.v), c.style)
		row++
	}
	if uptime != nil {
		g.text(1, row, "Partner's uptime: committed, expected", 0)
		g.value(2, row, num(uptime.Target), lk.Rate)
		g.value(3, row, num(uptime.Expected), lk.Rate)
		row++
		g.text(1, row, "Service credit per point short; at most", 0)
		g.value(2, row, num(uptime.CreditPerPoint), lk.Percent)
		g.value(3, row, num(uptime.MaxCredit), lk.Percent)
		row++
	}
	g.text(1, row, "The partner's costs are those of "+source+".", lk.Note)
	row++

	// 3. The bargaining range.
	row++
	g.text(1, row, "Bargaining range and the Nash rate", lk.Bold)
	row++
	g.header(1, row, "", "Rate", "Our value", "Partner's value", "Our gain", "Partner's gain")
	row++
	gains := func(r int, s scenario.Sides) {
		g.value(3, r, num(s.Ours), lk.Money)
		g.value(4, r, num(s.Partner), lk.Money)
		g.formula(5, r, ref(3, r)+"-"+absRef(SheetRenegotiation, 2, noDeal), num(s.Ours.Sub(n.OurNoDeal)), lk.Money)
		g.formula(6, r, ref(4, r)+"-"+absRef(SheetRenegotiation, 3, noDeal), num(s.Partner.Sub(n.Partner.NoDeal)), lk.Money)
	}
	rate := func(v scenario.Value) any {
		if !v.Valid {
			return "none in 0–100 %"
		}
		return num(v.Amount)
	}
	g.text(1, row, "Current terms", 0)
	g.value(2, row, num(fs.Current.Rate), lk.Rate)
	gains(row, fs.Current)
	row++
	if fs.Proposed != nil {
		g.text(1, row, "Proposed terms", 0)
		g.value(2, row, num(fs.Proposed.Rate), lk.Rate)
		gains(row, *fs.Proposed)
		row++
	}
	g.text(1, row, "Our break-even rate (the most we can pay)", 0)
	g.value(2, row, rate(fs.OurBreakEven), lk.Rate)
	row++
	g.text(1, row, "Partner's floor rate (the least it accepts)", 0)
	g.value(2, row, rate(fs.PartnerFloor), lk.Rate)
	row++
	g.text(1, row, "Nash rate (surplus split by the weights)", lk.Bold)
	g.value(2, row, rate(fs.Nash), lk.Rate)
	if fs.Nash.Valid {
		gains(row, fs.AtNash)
	}
	row++
	g.text(1, row, "Bargaining range", 0)
	if fs.HasRange {
		g.text(2, row, fmt.Sprintf("from %s to %s: both sides gain at any rate in it", percentText(fs.PartnerFloor.Amount.Round(4)), percentText(fs.OurBreakEven.Amount.Round(4))), 0)
	} else {
		g.text(2, row, "none: at every rate one side is worse off than without the deal", 0)
	}
	row++
	g.text(1, row, "Joint surplus (the same at every flat rate)", 0)
	g.value(2, row, num(fs.Surplus), lk.Money)
	row++
	if len(b.opt.Paired) > 0 {
		pd := b.opt.Paired[0]
		d := &pd.Difference
		var pBetter any = pd.PBetter
		if !outputDefined(d) {
			pBetter = na
		}
		g.text(1, row, PProposedBetterLabel+", simulated", 0)
		g.value(2, row, pBetter, lk.Percent)
		// a share of the futures in which the output is defined on both
		// sides: Summary.N of them, not every trial
		note := fmt.Sprintf("share of %d simulated futures in which %s is higher under the proposed terms (the same draws for both)", d.Summary.N, outputLabel(pd.Output))
		if d.Undefined > 0 {
			note += fmt.Sprintf("; %d futures in which it is undefined on either side are left out", d.Undefined)
		}
		row++
		g.text(1, row, "  "+note, lk.Note)
	} else {
		g.text(1, row, PProposedBetterLabel, 0)
		g.text(2, row, noSimulation, lk.NA)
	}
	row++

	// 4. Each side's gain across rates.
	if len(fs.Curve) > 0 {
		row++
		// the curve and its chart on a page of their own
		b.fail(b.f.InsertPageBreak(SheetRenegotiation, ref(1, row)))
		g.text(1, row, "Each side's gain across flat rates", lk.Bold)
		row++
		g.text(1, row, "Gain = value over the horizon − value without the deal, at each flat rate with the other current terms (minimum guarantee included).", lk.Note)
		row++
		g.text(1, row, "Both sides gain where both lines are above 0: the bargaining range.", lk.Note)
		row++
		head := row
		g.header(1, head, "Rate", "Our gain", "Partner's gain", "Joint surplus")
		for k, s := range fs.Curve {
			r := head + 1 + k
			g.value(1, r, num(s.Rate), lk.Percent)
			ours, theirs := s.Ours.Sub(n.OurNoDeal), s.Partner.Sub(n.Partner.NoDeal)
			g.formula(2, r, fmt.Sprintf("%s-%s", b.renegNumber(s.Ours), absRef(SheetRenegotiation, 2, noDeal)), num(ours), lk.Money)
			g.formula(3, r, fmt.Sprintf("%s-%s", b.renegNumber(s.Partner), absRef(SheetRenegotiation, 3, noDeal)), num(theirs), lk.Money)
			g.formula(4, r, ref(2, r)+"+"+ref(3, r), num(ours.Add(theirs)), lk.Money)
		}
		last := head + len(fs.Curve)
		q := quoteSheet(SheetRenegotiation)
		series := func(c int, colour string) excelize.ChartSeries {
			return excelize.ChartSeries{
				Name:       fmt.Sprintf("%s!$%s$%d", q, col(c), head),
				Categories: fmt.Sprintf("%s!$A$%d:$A$%d", q, head+1, last),
				Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), head+1, col(c), last),
				Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: 2.25},
				Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
				Marker:     excelize.ChartMarker{Symbol: "none"},
			}
		}
		yTitle := excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Gain over no deal, " + b.cur + " (thousands)", Font: &axisFont}}}
		xTitle := excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Revenue-share rate", Font: &axisFont}}}
		b.fail(b.f.AddChart(SheetRenegotiation, ref(5, head), &excelize.Chart{
			Type:      excelize.Scatter,
			Series:    []excelize.ChartSeries{series(2, "1F4E79"), series(3, "C55A11")},
			Title:     chartTitle("Each side's gain across rates"),
			Legend:    excelize.ChartLegend{Position: "bottom"},
			XAxis:     excelize.ChartAxis{Font: axisFont, Title: xTitle, TickLabelPosition: excelize.ChartTickLabelLow, Minimum: floatPtr(0), Maximum: floatPtr(fs.CurveMax.InexactFloat64()), NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, Title: yTitle, NumFmt: excelize.ChartNumFmt{CustomNumFmt: thousandsFormat(lk.AxisFormat)}},
			Dimension: excelize.ChartDimension{Width: 600, Height: renegChartHeight},
		}))
		row = max(last, head+renegChartHeight/20) + 1
	}

	// 5. The months side by side.
	if len(fs.Months) == 0 {
		b.printRows(SheetRenegotiation, 1, 1, 0)
		return nil
	}
	row++
	g.text(1, row, "The months side by side", lk.Bold)
	g.text(2, row, "each side's value in each month under the current and the proposed terms", lk.Note)
	row++
	head := row
	g.header(1, head, "Month", "Ours, current", "Ours, proposed", "Ours, change", "Partner, current", "Partner, proposed", "Partner, change")
	for k, m := range fs.Months {
		r := head + 1 + k
		g.value(1, r, time.Date(m.Month.Year, m.Month.Month, 1, 0, 0, 0, 0, time.UTC), lk.Month)
		g.value(2, r, num(m.OursCurrent), lk.Money)
		g.value(3, r, num(m.OursProposed), lk.Money)
		g.formula(4, r, fmt.Sprintf("%s-%s", ref(3, r), ref(2, r)), num(m.OursProposed.Sub(m.OursCurrent)), lk.Money)
		g.value(5, r, num(m.TheirsCurrent), lk.Money)
		g.value(6, r, num(m.TheirsProposed), lk.Money)
		g.formula(7, r, fmt.Sprintf("%s-%s", ref(6, r), ref(5, r)), num(m.TheirsProposed.Sub(m.TheirsCurrent)), lk.Money)
	}
	b.printRows(SheetRenegotiation, 1, 1, 0)
	return nil
}

// renegNumber is an amount as a formula constant.
func (b *book) renegNumber(d decimal.Decimal) string { return d.String() }

// termDrivers are the drivers of a partnership's revenue-share terms:
// its commission (every category's too) and its minimum guarantee.
func (b *book) termDrivers(id string) []costmodel.Driver {
	var out []costmodel.Driver
	for _, d := range b.p.Drivers() {
		a := d.Address
		if !strings.HasPrefix(a, id+"/") {
			continue
		}
		if strings.HasPrefix(a, id+"/commission/") || strings.Contains(a[len(id)+1:], "/commission/") || a == id+"/minimum_commission" {
			out = append(out, d)
		}
	}
	return out
}

// termStyle is the format of a term: rates in percent, amounts in money.
func (b *book) termStyle(d costmodel.Driver) int {
	if d.Range == rangeFraction || strings.Contains(d.Unit, "rate") || strings.Contains(d.Unit, "fraction") {
		return b.lk.Rate
	}
	if strings.HasPrefix(d.Unit, "CUR") {
		return b.lk.Unit
	}
	return b.lk.Decimal
}
