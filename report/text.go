package report

import (
	"strings"

	"github.com/xuri/excelize/v2"
)

// formulaTriggers are the leading characters that make a spreadsheet treat
// typed or imported text as a formula: = + - @, and tab and carriage return,
// which some applications strip before looking at the next character.
const formulaTriggers = "=+-@\t\r"

// startsLikeFormula reports whether s would be read as a formula if a user
// typed it or a CSV import parsed it.
func startsLikeFormula(s string) bool {
	return s != "" && strings.ContainsRune(formulaTriggers, rune(s[0]))
}

// setText writes user text (partnership names, notes, addresses) into a cell
// of a normal sheet as a string, never as a formula. excelize v2.11.1 already
// stores every string from SetCellStr, SetCellValue and StreamWriter.SetRow as
// text (a shared or inline string), so "=1+2" is shown as "=1+2" and not
// evaluated. setText also guarantees it against a future change: it checks
// that no formula was stored. When quoteStyle is not 0 and s starts like a
// formula, the cell gets that style, which should use the text number format
// "@" (see styles.Text; excelize's Style cannot set quotePrefix), so that
// editing the cell in Excel (F2, Enter) keeps it text.
func setText(f *excelize.File, sheet, cell, s string, quoteStyle int) error {
	if err := f.SetCellStr(sheet, cell, s); err != nil {
		return err
	}
	if quoteStyle != 0 && startsLikeFormula(s) {
		if err := f.SetCellStyle(sheet, cell, cell, quoteStyle); err != nil {
			return err
		}
	}
	return nil
}

// textCell returns a StreamWriter value that stores s as text, with
// quoteStyle applied when s starts like a formula (see setText).
func textCell(s string, styleID, quoteStyle int) excelize.Cell {
	if quoteStyle != 0 && startsLikeFormula(s) {
		styleID = quoteStyle
	}
	return excelize.Cell{StyleID: styleID, Value: s}
}

// csvSafe defuses CSV injection ("formula injection", OWASP): a field that
// starts with = + - @, a tab or a carriage return is prefixed with a single
// quote so that a spreadsheet opening the CSV shows it as text instead of
// running it as a formula (for example =HYPERLINK(...) or a DDE call). See
// https://owasp.org/www-community/attacks/CSV_Injection.
//
// The quote changes the data: use csvSafe for exports meant for
// spreadsheets and for text columns only. A negative number written as a
// number ("-12.50") is not text; write numeric columns without csvSafe so
// they stay numbers.
func csvSafe(s string) string {
	if startsLikeFormula(s) {
		return "'" + s
	}
	return s
}
