package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Number formats of the finance workbook beyond those of styles.go.
const (
	monthFormat       = "mmm yyyy"
	inputPercentFmt   = "0.0##%"  // 13.6 %, 3.25 %, 8.0 %: an input's digits stay visible
	ratePercentFormat = "0.0##%"  // rates: 13.6 %, 0.797 %
	ordersFormat      = "#,##0.0" // expected orders are not whole
	quantityFormat    = "#,##0.00"
	figureFormat      = "#,##0.00####" // shared figures: per-order amounts, growth factors, rates
)

// look is the set of styles the workbook's sheets use: the fixed styles of
// newStyles plus money and emphasis variants in the portfolio's currency.
// It is built once per file by newLook.
type look struct {
	*styles
	Title       int // the sheet title
	Bold        int // bold text
	Note        int // grey italic explanations
	NA          int // "n/a" in a column of figures: grey italic, right-aligned
	Wrap        int // running text, wrapped, top-aligned
	Money       int // amounts in the portfolio's currency
	MoneyBold   int // subtotals
	MoneyTotal  int // totals over the horizon: bold on the header fill
	Unit        int // per-item and per-order amounts: two more optional decimals
	Orders      int // expected orders, one decimal
	OrdersBold  int
	OrdersTotal int
	Hours       int // hours, not money (the outage downtime memo), two decimals
	HoursBold   int
	HoursTotal  int
	Quantity    int // GB, million calls
	Figure      int // a figure the Statement's lines share, up to six decimals
	Month       int // a month as a date, "Jan 2026"
	MonthBold   int
	TotalText   int // bold text on the header fill, for total rows
	PercentB    int // bold percent
	Rate        int // 0.000 %
	Months      int // a month count or a month number, integer
	MonthsBold  int
	Flag        int // TRUE/FALSE, centred
	Rank        int // a rank or a count, centred
	// HeadTimes and HeadPercent are headings holding multipliers (×1.1)
	// and rates.
	HeadTimes, HeadPercent int
	// Inputs, by the kind of number: money with up to four decimals so that
	// $0.085 per GB shows whole, percent with up to three, and general.
	InMoney   int
	InPercent int
	InNumber  int
	// Stale is the stale flag's red bold text (stale.go); MoneyK amounts
	// in thousands without cents ("$1,235k"), for the Summary.
	Stale, MoneyK int
	// PP is a difference of two ratios in percentage points, the value
	// already × 100: "+1.3 pp".
	PP int
	// MoneyFormat is the currency format string; AxisFormat the same
	// without decimals, for chart axes.
	MoneyFormat, AxisFormat string
}

func newLook(f *excelize.File, currency string, minor int) (*look, error) {
	base, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	lk := &look{styles: base, MoneyFormat: currencyFormat(currency, minor), AxisFormat: currencyFormat(currency, 0)}
	unitFormat := moreDecimals(lk.MoneyFormat, minor)
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headerFill}}
	topBorder := []excelize.Border{{Type: "top", Color: borderColour, Style: 1}}
	s := func(f string) *string { return &f }
	bold := &excelize.Font{Bold: true}
	// Figures are right-aligned explicitly, so that "n/a" in a column of
	// figures sits where the number would (see styles.go).
	right := &excelize.Alignment{Horizontal: "right"}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&lk.Title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&lk.Bold, excelize.Style{Font: bold}},
		{&lk.Note, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}, Alignment: &excelize.Alignment{WrapText: false}}},
		{&lk.Wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&lk.NA, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&lk.Money, excelize.Style{CustomNumFmt: s(lk.MoneyFormat), Alignment: right}},
		{&lk.MoneyBold, excelize.Style{CustomNumFmt: s(lk.MoneyFormat), Font: bold, Border: topBorder, Alignment: right}},
		{&lk.MoneyTotal, excelize.Style{CustomNumFmt: s(lk.MoneyFormat), Font: bold, Fill: fill, Border: topBorder, Alignment: right}},
		{&lk.Unit, excelize.Style{CustomNumFmt: s(unitFormat), Alignment: right}},
		{&lk.Orders, excelize.Style{CustomNumFmt: s(ordersFormat), Alignment: right}},
		{&lk.OrdersBold, excelize.Style{CustomNumFmt: s(ordersFormat), Font: bold, Border: topBorder, Alignment: right}},
		{&lk.OrdersTotal, excelize.Style{CustomNumFmt: s(ordersFormat), Font: bold, Fill: fill, Border: topBorder, Alignment: right}},
		{&lk.Hours, excelize.Style{CustomNumFmt: s(quantityFormat), Alignment: right}},
		{&lk.HoursBold, excelize.Style{CustomNumFmt: s(quantityFormat), Font: bold, Border: topBorder, Alignment: right}},
		{&lk.HoursTotal, excelize.Style{CustomNumFmt: s(quantityFormat), Font: bold, Fill: fill, Border: topBorder, Alignment: right}},
		{&lk.Quantity, excelize.Style{CustomNumFmt: s(quantityFormat), Alignment: right}},
		{&lk.Figure, excelize.Style{CustomNumFmt: s(figureFormat), Alignment: right}},
		{&lk.Month, excelize.Style{CustomNumFmt: s(monthFormat), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&lk.MonthBold, excelize.Style{CustomNumFmt: s(monthFormat), Font: bold, Border: topBorder, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&lk.TotalText, excelize.Style{Font: bold, Fill: fill, Border: topBorder}},
		{&lk.PercentB, excelize.Style{CustomNumFmt: s(percentFormat), Font: bold, Alignment: right}},
		{&lk.Rate, excelize.Style{CustomNumFmt: s(ratePercentFormat), Alignment: right}},
		{&lk.Months, excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&lk.MonthsBold, excelize.Style{NumFmt: 1, Font: bold, Fill: fill, Border: topBorder, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&lk.Flag, excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&lk.Rank, excelize.Style{NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&lk.HeadTimes, excelize.Style{CustomNumFmt: s(`"×"0.0##`), Font: bold, Fill: fill, Border: topBorder}},
		{&lk.HeadPercent, excelize.Style{CustomNumFmt: s(inputPercentFmt), Font: bold, Fill: fill, Border: topBorder}},
		{&lk.InMoney, inputStyle(solidFill, s(unitFormat))},
		{&lk.InPercent, inputStyle(solidFill, s(inputPercentFmt))},
		{&lk.InNumber, inputStyle(solidFill, nil)},
		{&lk.PP, excelize.Style{CustomNumFmt: s(`+0.0" pp";-0.0" pp";0.0" pp"`), Alignment: right}},
		{&lk.Stale, excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}}},
		{&lk.MoneyK, excelize.Style{CustomNumFmt: s(thousandsFormat(lk.AxisFormat)), Alignment: right}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("report: register style: %w", err)
		}
		*d.id = id
	}
	return lk, nil
}

func solidFill(c string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
}

// moreDecimals turns a currency format with minor decimals into one that
// shows up to two more when the amount has them ($0.085 rather than $0.09),
// for unit prices. A currency without decimals gets the General number
// format ("¥0.5" per GB, "¥1200" per item): "#,##0.##" would show a stray
// point after whole amounts.
func moreDecimals(format string, minor int) string {
	if minor <= 0 {
		return strings.ReplaceAll(format, "#,##0", "General")
	}
	zeros := "0." + strings.Repeat("0", min(minor, 4))
	return strings.ReplaceAll(format, zeros, zeros+"##")
}

// thousandsFormat turns a currency format without decimals ("$"#,##0;...)
// into the same in thousands: "$"#,##0,"k".
func thousandsFormat(whole string) string {
	return strings.ReplaceAll(whole, "#,##0", `#,##0,"k"`)
}

// millionsFormat is the same in millions with one decimal and no
// suffix, for an axis whose title says "(millions)": 3,812,000 is "3.8".
func millionsFormat(whole string) string {
	return strings.ReplaceAll(whole, "#,##0", `#,##0.0,,`)
}
