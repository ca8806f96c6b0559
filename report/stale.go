package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// The stale flag. The Statement, Unit economics and Summary's portfolio
// figures are formulas and follow an edit of the Assumptions; the figures
// Marginal computed when it wrote the workbook (scenarios, sensitivities,
// the simulation, the renegotiation) do not. So the Assumptions sheet
// keeps, in a hidden column beside each value, the value the figures were
// computed from, and a cell named changedInputsName counts the values that
// differ from it: the fingerprint of the current Assumptions against the
// one of the run. Every sheet of computed figures calls staleNotice for a
// cell near its title, which shows, in red, that its figures are stale and
// the command that refreshes them, as soon as that count is above 0, and
// nothing while it is 0.

// changedInputsName is the defined name of the count of Assumptions values
// that differ from those the computed figures were made from. It has no
// "." so no driver's name can be spelt the same (see names.go).
const changedInputsName = "inputs_changed_since_run"

// Columns of the fingerprint on the Assumptions sheet: the hidden copy of
// each value and, in the heading row, the count's label and the count.
const (
	assumComputedFrom = assumValue + 1
	assumChangedLabel = assumValue + 2
	assumChanged      = assumValue + 3
)

// headComputedFrom is the heading of the hidden column of values the
// computed figures were made from.
const headComputedFrom = "Value the computed figures used"

// refreshCommand is what the stale notice tells the reader to run: the
// workbook records its portfolio and specs (Options.Specs, the Specs
// sheet), so the edited workbook is all the review command needs.
const refreshCommand = "review -assumptions THIS-WORKBOOK.xlsx -out NEW.xlsx"

// changedCount is the formula of the count over the Assumptions' value
// rows first..last.
func changedCount(first, last int) string {
	if last < first {
		return "0"
	}
	return fmt.Sprintf("SUMPRODUCT((%s%d:%s%d<>%s%d:%s%d)*1)", col(assumValue), first, col(assumValue), last,
		col(assumComputedFrom), first, col(assumComputedFrom), last)
}

// fingerprintHeader is the heading row's cells of the fingerprint, from
// column assumComputedFrom: its heading, the count's label and the count
// over the value rows first..last (every value as written, so 0).
func (b *book) fingerprintHeader(first, last int) ([]any, error) {
	count, err := formulaValue(changedCount(first, last), 0, b.lk.Stale)
	if err != nil {
		return nil, err
	}
	return []any{
		excelize.Cell{StyleID: b.lk.Header, Value: headComputedFrom},
		excelize.Cell{StyleID: b.lk.Bold, Value: "Inputs changed since the computed figures:"},
		count,
	}, nil
}

// defineChanged names the count's cell (see changedInputsName).
func (b *book) defineChanged() error {
	return b.f.SetDefinedName(&excelize.DefinedName{
		Name: changedInputsName, RefersTo: absRef(SheetAssumptions, assumChanged, 1),
		Comment: "Assumptions values that differ from those the scenarios, sensitivities, simulation and renegotiation were computed from",
	})
}

// staleFormula is the notice's formula: empty while no input has changed,
// the warning and the refresh command once one has.
func staleFormula() string {
	return fmt.Sprintf(`IF(%s=0,"","STALE: "&%s&" input(s) on the Assumptions sheet changed since these figures were computed; they still describe the old inputs. Refresh: %s")`,
		changedInputsName, changedInputsName, refreshCommand)
}

// staleNotice writes the stale flag at column c, row r of a sheet of
// computed figures: red text that appears when an Assumptions value is
// changed and goes when the workbook is written again from the edited
// Assumptions. A new sheet of computed figures calls it once, on a free
// row near its title.
func (b *book) staleNotice(sheet string, c, r int) {
	b.grid(sheet).formula(c, r, staleFormula(), "", b.lk.Stale)
}

// staleCell is the stale flag as a stream writer's cell at A1 reference
// cell of sheet (the Samples sheet): its cached value, "" (the stream
// writer writes none for an empty text), is filled in when the workbook
// is saved.
func (b *book) staleCell(sheet, cell string) excelize.Cell {
	b.fc.add(sheet, cell, newCachedValue(""))
	return excelize.Cell{StyleID: b.lk.Stale, Formula: excelFormula(staleFormula())}
}
