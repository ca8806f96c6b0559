package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// ReadAssumptions reads the Assumptions sheet of a workbook written by
// Write (and edited since) onto a copy of base, the portfolio it was
// written for: each row's value is set on the driver named in its address
// column (Portfolio.Set), or on the month-limited adjustment it names
// ("adjustments/2/value" is the value of base.Adjustments[1]), and the
// result is validated. base is not modified.
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
//
// It has the shape of the JSON loaders (costmodel.Load, scenario.Load,
// montecarlo.Load: a reader, then what it is read against);
// ReadAssumptionsFile is the LoadFile of the workbook.
func ReadAssumptions(r io.Reader, base *costmodel.Portfolio) (*costmodel.Portfolio, error) {
	if base == nil {
		return nil, errNoBase
	}
	if r == nil {
		return nil, &costmodel.FieldError{Path: "(workbook)", Expected: "a reader of the workbook, not nil"}
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
	if base == nil {
		return nil, errNoBase
	}
	if path == "" {
		return nil, &costmodel.FieldError{Path: "(workbook)", Expected: "the name of the workbook file, not empty"}
	}
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

// errNoBase is the error of a nil base portfolio. Like the loaders' errors
// for nil arguments (costmodel.Load, scenario.Load, montecarlo.Load) it is
// a *costmodel.FieldError, so errors.Is(err, costmodel.ErrInvalid) holds.
var errNoBase = &costmodel.FieldError{Path: "base", Expected: "the portfolio the workbook was written for, not nil"}

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
	addresses := assumptionAddresses(base)
	for _, a := range addresses {
		known[a] = true
	}
	var pr costmodel.Problems
	unknown := 0
	cellOf := map[string]string{} // address → value cell
	named := namedValueCells(f, valueCol+1)
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
		// The workbook's formulas read this cell by its defined name: a
		// row whose address no longer matches the name (an address typed
		// over, rows sorted or moved) would give the value to one driver
		// here and to another in the workbook's own figures.
		if want, ok := named[i+1]; ok && want != address {
			pr.Add(at, "", fmt.Sprintf("the driver the cell's defined name says, %s (the address column was changed or the rows were moved; the workbook's formulas read this cell as %s)", want, want))
			continue
		}
		cellOf[address] = cell
		raw := ""
		if valueCol < len(row) {
			raw = strings.TrimSpace(row[valueCol])
		}
		// A formula typed into a value cell counts by the result the
		// spreadsheet saved with it (excelize's own calculation is not
		// reliable enough to stand in for Excel's); booleans, errors and
		// text results are not numbers.
		formula, _ := f.GetCellFormula(sheet, ref(valueCol+1, i+1))
		switch typ, _ := f.GetCellType(sheet, ref(valueCol+1, i+1)); {
		case typ == excelize.CellTypeBool:
			pr.Add(at, raw, "a number, not TRUE or FALSE")
			continue
		case typ == excelize.CellTypeError:
			pr.Add(at, raw, "a number, not an error value")
			continue
		case formula != "" && (typ == excelize.CellTypeFormula || raw == ""):
			// t="str": a text result, or a formula set by a program that
			// left no numeric result saved with it.
			pr.Add(at, "="+formula, "a number (the formula has no numeric result saved with it: open and save the workbook in Excel or LibreOffice, or type the number)")
			continue
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
		if k, ok := adjustmentIndex(address); ok {
			// The value of a month-limited adjustment: any number its op
			// takes (Validate checks it below).
			q.Adjustments[k].Value = v
			continue
		}
		if _, err := q.Set(address, v); err != nil {
			pr.Merge("", relabel(err, cellOf, q))
		}
	}
	if unknown > len(cellOf) {
		// Mostly someone else's drivers: one problem says it better than
		// hundreds.
		return nil, &costmodel.FieldError{Path: sheet, Value: fmt.Sprintf("%d of %d addresses unknown", unknown, unknown+len(cellOf)),
			Expected: "the drivers of the portfolio the workbook was written for (it was written for another portfolio)"}
	}
	for _, a := range addresses {
		if _, ok := cellOf[a]; !ok {
			pr.Add(a, "", "a row on the Assumptions sheet (it is missing)")
		}
	}
	// The rules that tie drivers together, checked on the values read
	// (a cell that failed above keeps its base value), reported with the
	// cell problems.
	if pr.Len() == 0 || len(cellOf) > 0 {
		pr.Merge("", relabel(q.Validate(), cellOf, q))
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

// assumptionAddresses lists the addresses of the Assumptions rows Write
// writes for p: its drivers (Portfolio.Drivers), then the value of each
// month-limited adjustment ("adjustments/1/value"), as
// costmodel.Model.Drivers lists them.
func assumptionAddresses(p *costmodel.Portfolio) []string {
	var out []string
	for _, d := range p.Drivers() {
		out = append(out, d.Address)
	}
	for k := range p.Adjustments {
		out = append(out, fmt.Sprintf("adjustments/%d/value", k+1))
	}
	return out
}

// namedValueCells maps the rows of the Assumptions value column (column
// valueCol) to the driver address of the defined name on the cell, read by
// inverting definedName (driverAddress) or, for the hashed long names,
// from the name's comment. Names of other cells and names that are no
// driver's are left out; a workbook whose names were lost (some
// spreadsheet programs drop them) simply gives none.
func namedValueCells(f *excelize.File, valueCol int) map[int]string {
	out := map[int]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Scope != "" && dn.Scope != "Workbook" {
			continue
		}
		address, ok := driverAddress(dn.Name)
		if !ok && strings.HasPrefix(dn.Name, "__") && longName(dn.Comment) == dn.Name {
			address, ok = dn.Comment, true
		}
		if !ok {
			continue
		}
		sheet, cell, found := strings.Cut(strings.TrimPrefix(dn.RefersTo, "="), "!")
		if !found || strings.Trim(sheet, "'") != SheetAssumptions || strings.Contains(cell, ":") {
			continue
		}
		c, r, err := excelize.CellNameToCoordinates(strings.ReplaceAll(cell, "$", ""))
		if err != nil || c != valueCol {
			continue
		}
		out[r] = address
	}
	return out
}

// relabel names every problem by driver address and cell where it can:
// "amazon-us/beauty/return_rate (Assumptions!F20)". Problems that
// Validate names by JSON path (a cap below the minimum, tiers out of
// order, shares not summing to 1) are mapped to the driver addresses
// and cells they are about.
func relabel(err error, cellOf map[string]string, p *costmodel.Portfolio) error {
	list, ok := fieldErrors(err)
	if !ok {
		return err
	}
	var pr costmodel.Problems
	for _, prob := range list {
		path := prob.Path
		if cell, ok := cellOf[path]; ok {
			path = fmt.Sprintf("%s (%s)", path, cell)
		} else if addrs := addressesOf(p, path, cellOf); len(addrs) > 0 {
			var parts []string
			for _, a := range addrs {
				parts = append(parts, fmt.Sprintf("%s (%s)", a, cellOf[a]))
			}
			path = strings.Join(parts, ", ")
		}
		pr.Add(path, prob.Value, prob.Expected)
	}
	return pr.Err()
}

// addressesOf maps a validation JSON path
// ("partnerships[0].categories[1].commission.tiers[2].up_to") to the
// driver addresses with a row on the sheet that it is about.
func addressesOf(p *costmodel.Portfolio, path string, cellOf map[string]string) []string {
	if p == nil {
		return nil
	}
	var segs []string
	rest := path
	var pi, ci = -1, -1
	if _, err := fmt.Sscanf(rest, "partnerships[%d]", &pi); err != nil || pi < 0 || pi >= len(p.Partnerships) {
		return nil
	}
	ps := &p.Partnerships[pi]
	segs = append(segs, ps.ID)
	rest = rest[strings.Index(rest, "]")+1:]
	rest = strings.TrimPrefix(rest, ".")
	if strings.HasPrefix(rest, "categories[") {
		if _, err := fmt.Sscanf(rest, "categories[%d]", &ci); err != nil || ci < 0 || ci >= len(ps.Categories) {
			return nil
		}
		segs = append(segs, ps.Categories[ci].ID)
		rest = strings.TrimPrefix(rest[strings.Index(rest, "]")+1:], ".")
	}
	// The rest: "commission.tiers[2].up_to", "price_mix", "cap_per_item"...
	var tail []string
	for _, part := range strings.Split(rest, ".") {
		name, idx, hasIdx := strings.Cut(part, "[")
		switch name {
		case "tiers":
			name = "tier"
		case "bands":
			name = "band"
		case "pricing":
			continue
		}
		tail = append(tail, name)
		if hasIdx {
			var k int
			if _, err := fmt.Sscanf(idx, "%d]", &k); err == nil {
				tail = append(tail, fmt.Sprint(k+1))
			}
		}
	}
	prefix := strings.Join(segs, "/") + "/" + strings.Join(tail, "/")
	var out []string
	for a := range cellOf {
		if a == prefix || strings.HasPrefix(a, prefix+"/") {
			out = append(out, a)
		}
	}
	// a price mix means its shares; a structural rule on a commission
	// means the values it compares (rate and tiers, cap and minimum)
	if strings.HasSuffix(prefix, "/price_mix") {
		out = slices.DeleteFunc(out, func(a string) bool { return !strings.HasSuffix(a, "/share") })
	}
	slices.Sort(out)
	return out
}

// fieldErrors lists the problems err reports by path: a
// *costmodel.ValidationError's, or a *costmodel.FieldError; false for
// any other error.
func fieldErrors(err error) ([]*costmodel.FieldError, bool) {
	var ve *costmodel.ValidationError
	var fe *costmodel.FieldError
	switch {
	case errors.As(err, &ve):
		return ve.Problems, true
	case errors.As(err, &fe):
		return []*costmodel.FieldError{fe}, true
	}
	return nil, false
}
