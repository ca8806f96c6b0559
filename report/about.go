package report

import (
	"fmt"
	"strconv"
	"strings"
)

// conventions are the model's conventions as the README states them, for
// the About sheet.
var conventions = []string{
	"Margin levels: net sales = GMV − refunds; CM1 = net sales − COGS; CM2 = CM1 − variable selling costs (commission net of refunded commission, true-up, payment fees, fulfilment, storage, shipping, return handling); CM3 = CM2 − marketing; partnership contribution = CM3 − running costs (data transfer, API calls, support, maintenance); net cash flow = contribution − set-up; accounting profit = contribution − amortisation. CM ratios are over net sales.",
	"Money: every base line of every partnership × category × month is rounded once to the currency's minor unit, half away from zero (Excel's ROUND); subtotals and totals are sums of rounded lines, so the statement foots and cross-foots to the cent.",
	"Volumes are expected values, never rounded: orders = base orders × seasonality (by calendar month) × ramp-up × (1 + growth)^(months since launch / 12). Ramp-up rises linearly from ramp_start at launch to 1 after ramp_months. Nothing happens before a partnership's launch month except set-up spending.",
	"Time runs in months from the portfolio's start. The annual discount rate becomes monthly as (1 + r)^(1/12) − 1.",
	"NPV follows Excel's NPV: the first month's cash flow is discounted once, so the valuation date is the start of the first month.",
	"Payback is the first month (1-based) whose cumulative net cash flow is ≥ 0, counted from the first month with a non-zero cash flow.",
	"Tiers cover amounts above the previous tier's bound up to and including their own. All-units applies the rate of the tier the whole amount falls in; marginal applies each rate to the part in its band. Price tiers are read per item; volume tiers on the month's GMV or orders over the categories sharing the terms, as an effective rate. The per-item minimum and cap apply after the tiers.",
	"Free allowances (data transfer, API): first_band makes the first units free and keeps the band bounds; shift removes the allowance before banding.",
	"Payment fees are min(rate × order total + fixed, cap) per order and are not returned on refunds. A marketplace refunding its commission on a return keeps min(fixed, rate × fee) per item; per-order fees are never refunded.",
}

// writeAbout writes the provenance of the workbook, how to use it, the
// model's conventions and the cells that are not formulas.
func (b *book) writeAbout() error {
	g := b.grid(SheetAbout)
	lk := b.lk
	g.width(1, 1, 44)
	g.width(2, 2, 120)
	g.text(1, 1, "About this workbook", lk.Title)
	version := b.opt.Version
	if version == "" {
		version = libraryVersion()
	}
	hash, err := inputHash(b.p)
	if err != nil {
		return err
	}
	none := func(v string, zero bool) string {
		if zero {
			return "none"
		}
		return v
	}
	facts := [][2]string{
		{"Written by", "Marginal " + version},
		{"Portfolio", labelOr(b.p.Name, "(unnamed)")},
		{"Input hash (SHA-256 of the portfolio's JSON)", hash},
		{"Currency", fmt.Sprintf("%s, %d decimals", b.cur, b.minor)},
		{"Horizon", fmt.Sprintf("%d months from %s", b.p.Months, monthLabel(b.p.Start))},
		{"Annual discount rate", percentText(b.p.DiscountRate)},
		{"Monte Carlo seed", none(strconv.FormatUint(b.opt.Seed, 10), b.opt.Seed == 0)},
		{"Monte Carlo trials", none(strconv.Itoa(b.opt.Trials), b.opt.Trials == 0)},
	}
	row := 3
	for _, f := range facts {
		g.text(1, row, f[0], lk.Bold)
		g.text(2, row, f[1], 0)
		row++
	}
	// para writes running text across both columns, wrapped, with a row
	// height for its lines (spreadsheets do not all fit rows to wrapped
	// text on opening).
	para := func(s string) {
		g.text(1, row, s, lk.Wrap)
		b.fail(b.f.MergeCell(SheetAbout, ref(1, row), ref(2, row)))
		lines := (len([]rune(s)) + aboutLineChars - 1) / aboutLineChars
		b.fail(b.f.SetRowHeight(SheetAbout, row, float64(min(max(lines, 1), 27))*15)) // Excel's limit: 409 points
		row++
	}
	row++
	g.text(1, row, "How to use it", lk.Bold)
	row++
	for _, s := range []string{
		"Change a blue value on the Assumptions sheet: the Unit economics, the Statement and the Summary follow. Each value cell is named after its driver address (amazon-us/beauty/return_rate is the name amazon..us.beauty.return_rate: '/' becomes '.', '-' becomes '..', and a '_' goes in front of a name that would start with a digit or like a cell reference).",
		"Excel recalculates on opening. In LibreOffice, if the figures do not follow an edit, use Data ▸ Calculate ▸ Recalculate Hard.",
		"The Scenarios, Sensitivity and Renegotiation sheets were computed by Marginal when the workbook was written; they do not follow the Assumptions.",
		"The edited Assumptions sheet can be read back into a portfolio (report.ReadAssumptions), which checks every value against its valid range.",
	} {
		para("• " + s)
	}
	row++
	g.text(1, row, "Conventions", lk.Bold)
	row++
	for _, s := range conventions {
		para("• " + s)
	}
	row++
	g.text(1, row, "Cells that are not plain formulas", lk.Bold)
	row++
	para("• No constants: every derived figure of the Statement is a formula over the Assumptions, printed from the same model Marginal evaluates.")
	if len(b.p.Adjustments) > 0 {
		para(fmt.Sprintf("• %d month-limited adjustments (a scenario's peak months, an outage) are inputs at the end of the Assumptions (adjustments/1/value, …): the formulas of the months each one covers read it.", len(b.p.Adjustments)))
	}
	if len(b.tieBreaks) > 0 {
		para(fmt.Sprintf("• %d cells round an amount that lies on half a unit of the currency (or compare two amounts that are equal, or nearly): their formula adds or takes a tiny bias (0.0000001 for cents) so that the spreadsheet's binary arithmetic takes the same side as Marginal's exact decimals: %s.",
			len(b.tieBreaks), listSome(b.tieBreaks)))
	}
	return nil
}

// listSome joins the first hundred items and says how many more there are.
func listSome(items []string) string {
	const most = 100
	if len(items) <= most {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:most], ", "), len(items)-most)
}

// aboutLineChars is about how many characters of running text fit on a
// line of the About sheet's two merged columns.
const aboutLineChars = 150
