package report

// Test helpers: recalculate a workbook's formulas with excelize and
// compare them with the values cached in the package.

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// formulaCell is a formula cell as its producer wrote it into the package:
// the formula text and the cached value with its cell type.
type formulaCell struct {
	Sheet   string
	Ref     string // A1 reference, for example "B7"
	Formula string // without the leading "="
	// Type is the cell's t attribute: "" or "n" for a number, "str" for a
	// string, "b" for a boolean, "e" for an error.
	Type string
	// Cached is the <v> text; HasCached is false when there is no <v>.
	Cached    string
	HasCached bool
}

// cachedFormulaCells lists every formula cell of an xlsx package, in the
// package's part order, as written (not recalculated). The children of a
// shared formula appear with an empty Formula.
func cachedFormulaCells(pkg []byte) ([]formulaCell, error) {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, fmt.Errorf("report: open workbook zip: %w", err)
	}
	parts, err := sheetPartsZip(zr)
	if err != nil {
		return nil, err
	}
	var out []formulaCell
	for _, zf := range zr.File {
		sheet, ok := parts[zf.Name]
		if !ok {
			continue
		}
		data, err := readZipEntry(zr, zf.Name)
		if err != nil {
			return nil, err
		}
		var ws struct {
			Rows []struct {
				Cells []struct {
					R string  `xml:"r,attr"`
					T string  `xml:"t,attr"`
					F *string `xml:"f"`
					V *string `xml:"v"`
				} `xml:"c"`
			} `xml:"sheetData>row"`
		}
		if err := xml.Unmarshal(data, &ws); err != nil {
			return nil, fmt.Errorf("report: parse %s: %w", zf.Name, err)
		}
		for _, row := range ws.Rows {
			for _, c := range row.Cells {
				if c.F == nil {
					continue
				}
				fc := formulaCell{Sheet: sheet, Ref: c.R, Formula: *c.F, Type: c.T}
				if c.V != nil {
					fc.Cached, fc.HasCached = *c.V, true
				}
				out = append(out, fc)
			}
		}
	}
	return out, nil
}

// calcMismatch describes a formula cell whose cached value disagrees with a
// recalculation.
type calcMismatch struct {
	Cell       formulaCell
	Recomputed string
	Err        error // the calculation engine failed or does not know a function
}

func (m calcMismatch) String() string {
	if m.Err != nil {
		return fmt.Sprintf("%s!%s =%s: %v", m.Cell.Sheet, m.Cell.Ref, m.Cell.Formula, m.Err)
	}
	return fmt.Sprintf("%s!%s =%s: cached %q, recalculated %q", m.Cell.Sheet, m.Cell.Ref, m.Cell.Formula, m.Cell.Cached, m.Recomputed)
}

// cachedValuesAgree reports whether a cached value and a recalculated one are
// the same: numbers within tol, anything else as equal text (booleans as
// TRUE/FALSE or 1/0).
func cachedValuesAgree(cached, recomputed string, tol float64) bool {
	a, errA := strconv.ParseFloat(cached, 64)
	b, errB := strconv.ParseFloat(recomputed, 64)
	if errA == nil && errB == nil {
		return math.Abs(a-b) <= tol
	}
	norm := func(s string) string {
		switch strings.ToUpper(s) {
		case "TRUE", "1":
			return "TRUE"
		case "FALSE", "0":
			return "FALSE"
		}
		return s
	}
	return cached == recomputed || norm(cached) == norm(recomputed)
}

// checkCalcCellValues recalculates every formula cell of an xlsx package
// with excelize's CalcCellValue and returns the cells whose cached value is
// missing or differs by more than tol. Formulas whose text contains one of
// the unsupported function names (for example "PERCENTILE.INC" if the
// engine lacks it) are skipped and counted.
func checkCalcCellValues(f *excelize.File, pkg []byte, tol float64, unsupported ...string) (bad []calcMismatch, skipped int, err error) {
	cells, err := cachedFormulaCells(pkg)
	if err != nil {
		return nil, 0, err
	}
next:
	for _, c := range cells {
		for _, fn := range unsupported {
			if strings.Contains(strings.ToUpper(c.Formula), strings.ToUpper(fn)) {
				skipped++
				continue next
			}
		}
		got, cerr := f.CalcCellValue(c.Sheet, c.Ref, excelize.Options{RawCellValue: true})
		switch {
		case cerr != nil:
			bad = append(bad, calcMismatch{Cell: c, Recomputed: got, Err: cerr})
		case !c.HasCached:
			bad = append(bad, calcMismatch{Cell: c, Recomputed: got, Err: fmt.Errorf("no cached value")})
		case !cachedValuesAgree(c.Cached, got, tol):
			bad = append(bad, calcMismatch{Cell: c, Recomputed: got})
		}
	}
	return bad, skipped, nil
}
