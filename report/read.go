package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// ReadAssumptions reads the Assumptions sheet of a workbook written by
// Write (and edited since) onto a copy of base, the portfolio it was
// written for: each row's value is set on the driver named in its address
// column (Portfolio.Set), and the result is validated. base is not
// modified.
//
// Every problem is reported at once, as a *costmodel.ValidationError
// whose paths name the driver address and the cell, for example
//
//	amazon-us/beauty/return_rate (Assumptions!F20): got 1.5, expected a fraction from 0 to 1 (0.15 for 15 %)
//
// A value that is not a number, an address that is not a driver of base,
// a driver listed twice or missing, and a value outside the driver's
// valid range are all problems; so is a combination Validate refuses
// (price-mix shares that no longer sum to 1, tiers out of order).
func ReadAssumptions(r io.Reader, base *costmodel.Portfolio) (*costmodel.Portfolio, error) {
	if base == nil {
		return nil, errors.New("report: ReadAssumptions needs the base portfolio")
	}
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("report: open workbook: %w", err)
	}
	defer f.Close()
	return readAssumptions(f, base)
}

// ReadAssumptionsFile is ReadAssumptions on the named .xlsx file.
func ReadAssumptionsFile(path string, base *costmodel.Portfolio) (*costmodel.Portfolio, error) {
	in, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	p, err := ReadAssumptions(in, base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

func readAssumptions(f *excelize.File, base *costmodel.Portfolio) (*costmodel.Portfolio, error) {
	sheet := SheetAssumptions
	if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, &costmodel.FieldError{Path: sheet, Expected: "a sheet named Assumptions, as report.Write writes it"}
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("report: read %s: %w", sheet, err)
	}
	addrCol, valueCol := -1, -1
	if len(rows) > 0 {
		for i, h := range rows[0] {
			switch strings.TrimSpace(h) {
			case headAddress:
				addrCol = i
			case headValue:
				valueCol = i
			}
		}
	}
	if addrCol < 0 || valueCol < 0 {
		return nil, &costmodel.FieldError{Path: sheet + "!1:1", Expected: fmt.Sprintf("the headings %q and %q in the first row", headAddress, headValue)}
	}
	q := base.Clone()
	known := map[string]bool{}
	for _, d := range base.Drivers() {
		known[d.Address] = true
	}
	var pr costmodel.Problems
	unknown := 0
	cellOf := map[string]string{} // address → value cell
	for i := 1; i < len(rows); i++ {
		row := rows[i]
		if addrCol >= len(row) || strings.TrimSpace(row[addrCol]) == "" {
			continue
		}
		address := strings.TrimSpace(row[addrCol])
		cell := fmt.Sprintf("%s!%s", sheet, ref(valueCol+1, i+1))
		at := fmt.Sprintf("%s (%s)", address, cell)
		if !known[address] {
			unknown++
			pr.Add(fmt.Sprintf("%s (%s!%s)", address, sheet, ref(addrCol+1, i+1)), "", "the address of a driver of the portfolio the workbook was written for")
			continue
		}
		if prev, dup := cellOf[address]; dup {
			pr.Add(at, "", "one row per driver; this driver is also in "+prev)
			continue
		}
		cellOf[address] = cell
		raw := ""
		if valueCol < len(row) {
			raw = strings.TrimSpace(row[valueCol])
		}
		if formula, _ := f.GetCellFormula(sheet, ref(valueCol+1, i+1)); formula != "" {
			// A formula typed into a value cell: use its result.
			if raw, err = f.CalcCellValue(sheet, ref(valueCol+1, i+1), excelize.Options{RawCellValue: true}); err != nil {
				pr.Add(at, "="+formula, "a number (the formula could not be calculated: "+err.Error()+")")
				continue
			}
		}
		if raw == "" {
			pr.Add(at, "", "a number")
			continue
		}
		v, err := decimal.NewFromString(raw)
		if err != nil {
			pr.Add(at, fmt.Sprintf("%q", raw), "a number")
			continue
		}
		if _, err := q.Set(address, v); err != nil {
			pr.Merge("", relabel(err, cellOf))
		}
	}
	if unknown > len(cellOf) {
		// Mostly someone else's drivers: one problem says it better than
		// hundreds.
		return nil, &costmodel.FieldError{Path: sheet, Value: fmt.Sprintf("%d of %d addresses unknown", unknown, unknown+len(cellOf)),
			Expected: "the drivers of the portfolio the workbook was written for (it was written for another portfolio)"}
	}
	for _, d := range base.Drivers() {
		if _, ok := cellOf[d.Address]; !ok {
			pr.Add(d.Address, "", "a row on the Assumptions sheet (it is missing)")
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, relabel(err, cellOf)
	}
	return q, nil
}

// relabel adds the cell to the path of every problem about a driver
// address: "amazon-us/beauty/return_rate (Assumptions!F20)".
func relabel(err error, cellOf map[string]string) error {
	var ve *costmodel.ValidationError
	var fe *costmodel.FieldError
	var list []*costmodel.FieldError
	switch {
	case errors.As(err, &ve):
		list = ve.Problems
	case errors.As(err, &fe):
		list = []*costmodel.FieldError{fe}
	default:
		return err
	}
	var pr costmodel.Problems
	for _, p := range list {
		path := p.Path
		if cell, ok := cellOf[path]; ok {
			path = fmt.Sprintf("%s (%s)", path, cell)
		}
		pr.Add(path, p.Value, p.Expected)
	}
	return pr.Err()
}
