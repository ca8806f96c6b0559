package report

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// currencySymbols are the currencies shown with a symbol; any other ISO 4217
// code is shown as the code itself.
var currencySymbols = map[string]string{
	"USD": "$",
	"EUR": "€",
	"GBP": "£",
	"JPY": "¥",
}

// Number formats other than money.
const (
	percentFormat = "0.0%"
	integerFormat = "#,##0"
	decimalFormat = "#,##0.00"
)

// currencyFormat returns an Excel custom number format for amounts in the
// currency with ISO 4217 code code and minorUnit decimals (2 for USD, 0 for
// JPY): thousands separators, the symbol (or the code) before the amount,
// negatives in red with a minus sign, zero shown like a positive amount. For
// example currencyFormat("USD", 2) is "$"#,##0.00;[Red]-"$"#,##0.00.
//
// A minorUnit outside 0..4 is clamped. JPY always has 0 decimals, whatever
// minorUnit says: its minor unit is 0 and a caller passing 2 is mistaken.
func currencyFormat(code string, minorUnit int) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	minorUnit = min(max(minorUnit, 0), 4)
	if code == "JPY" {
		minorUnit = 0
	}
	label, ok := currencySymbols[code]
	if !ok {
		label = code + " "
	}
	// The label is quoted so that no character of it is read as a format
	// code; a quote inside it cannot occur (ISO codes are letters).
	label = `"` + strings.ReplaceAll(label, `"`, "") + `"`
	number := "#,##0"
	if minorUnit > 0 {
		number += "." + strings.Repeat("0", minorUnit)
	}
	return label + number + ";[Red]-" + label + number
}

// Fill and font colours of the finance conventions: inputs are blue on
// light yellow, so a reader sees at once which cells may be changed.
const (
	inputFill    = "FFF2CC" // light yellow
	inputFont    = "0000FF" // blue
	headerFill   = "D9E1F2" // light blue-grey
	breachFill   = "FFC7CE" // light red
	breachFont   = "9C0006" // dark red
	borderColour = "808080"
)

// styles holds the style IDs of one workbook. Style IDs belong to a file:
// create a styles with newStyles once per excelize.File and do not share it.
type styles struct {
	Header  int // bold on a fill, thin border: column and row headings
	Text    int // text format "@": user text that starts like a formula
	Input   int // an assumption the reader may change, as a plain number
	Percent int // 0.0%
	Integer int // #,##0
	Decimal int // #,##0.00
	// InputPercent and InputInteger are input cells in those formats.
	InputPercent int
	InputInteger int
	// Breach is the differential (conditional-format) style that marks a
	// guardrail breach: dark red on light red. Use it in
	// excelize.ConditionalFormatOptions.Format, not in SetCellStyle.
	Breach int

	file     *excelize.File
	money    map[string]int // currency format → style ID
	inputMon map[string]int
}

// newStyles registers the workbook's fixed styles in f.
func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{file: f, money: map[string]int{}, inputMon: map[string]int{}}
	border := []excelize.Border{
		{Type: "left", Color: borderColour, Style: 1},
		{Type: "right", Color: borderColour, Style: 1},
		{Type: "top", Color: borderColour, Style: 1},
		{Type: "bottom", Color: borderColour, Style: 1},
	}
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	num := func(format string) *string { return &format }
	// Figures are right-aligned explicitly: a number is anyway, and a
	// figure that is not defined ("n/a", "not reached") then sits where
	// the number would.
	right := &excelize.Alignment{Horizontal: "right"}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.Header, excelize.Style{Font: &excelize.Font{Bold: true}, Fill: fill(headerFill), Border: border,
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.Text, excelize.Style{NumFmt: 49}},
		{&s.Input, inputStyle(fill, num(decimalFormat))},
		{&s.Percent, excelize.Style{CustomNumFmt: num(percentFormat), Alignment: right}},
		{&s.Integer, excelize.Style{CustomNumFmt: num(integerFormat), Alignment: right}},
		{&s.Decimal, excelize.Style{CustomNumFmt: num(decimalFormat), Alignment: right}},
		{&s.InputPercent, inputStyle(fill, num(percentFormat))},
		{&s.InputInteger, inputStyle(fill, num(integerFormat))},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("report: register style: %w", err)
		}
		*d.id = id
	}
	breach, err := f.NewConditionalStyle(&excelize.Style{
		Font: &excelize.Font{Color: breachFont, Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{breachFill}},
	})
	if err != nil {
		return nil, fmt.Errorf("report: register breach style: %w", err)
	}
	s.Breach = breach
	return s, nil
}

func inputStyle(fill func(string) excelize.Fill, format *string) excelize.Style {
	return excelize.Style{
		Font:         &excelize.Font{Color: inputFont},
		Fill:         fill(inputFill),
		CustomNumFmt: format,
		// Inputs stay editable when the sheet is protected.
		Protection: &excelize.Protection{Locked: false},
	}
}

// Money returns the style for amounts in a currency (see currencyFormat),
// registering it on first use.
func (s *styles) Money(code string, minorUnit int) (int, error) {
	return s.moneyStyle(s.money, code, minorUnit, false)
}

// InputMoney returns the input-cell style for amounts in a currency.
func (s *styles) InputMoney(code string, minorUnit int) (int, error) {
	return s.moneyStyle(s.inputMon, code, minorUnit, true)
}

func (s *styles) moneyStyle(cache map[string]int, code string, minorUnit int, input bool) (int, error) {
	format := currencyFormat(code, minorUnit)
	if id, ok := cache[format]; ok {
		return id, nil
	}
	st := excelize.Style{CustomNumFmt: &format}
	if input {
		st = inputStyle(func(c string) excelize.Fill {
			return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}}
		}, &format)
	}
	id, err := s.file.NewStyle(&st)
	if err != nil {
		return 0, fmt.Errorf("report: register %s money style: %w", code, err)
	}
	cache[format] = id
	return id, nil
}
