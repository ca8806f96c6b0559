// Package report writes the finance workbook and the CSV exports, and reads an
// edited Assumptions sheet back into a portfolio.
//
// This file set holds the model-independent workbook layer: deterministic
// saving, sheet and defined names, text and CSV safety, number formats and
// styles, formula cells with cached values, and the checks that hold cached
// values to a recalculation (excelize's own engine and, in tests,
// LibreOffice).
package report
