package report

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/marginalhq/marginal/costmodel"
)

// CSVHeader is the first record WriteStatementCSV writes.
var CSVHeader = []string{"partnership", "channel", "category", "month", "line", "amount"}

// PartnershipLevel is the category column of the partnership-level lines
// (running costs, fixed marketing, set-up, true-up) in CSV exports.
const PartnershipLevel = "(partnership)"

// WriteStatementCSV writes a statement in long form, one record per
// partnership × category × month × line:
//
//	partnership,channel,category,month,line,amount
//	market,marketplace,mugs,2026-11,gmv,3750.00
//
// Each category carries the category lines and the subtotals; the
// partnership-level lines are under the category "(partnership)" with
// their own subtotals, so summing a line over every record of a
// partnership gives the partnership's total. Months are "YYYY-MM", lines
// their snake_case keys (costmodel.Line.String), amounts exact decimals
// with the currency's minor unit (the downtime memo, outage_downtime_hours,
// is hours, not money: at least that many places, and every digit it has). Text fields that a spreadsheet would
// read as a formula (starting with = + - @, a tab or a carriage return)
// are prefixed with a quote (see csvSafe); amounts are left as numbers.
func WriteStatementCSV(w io.Writer, st *costmodel.Statement) error {
	if w == nil {
		return errors.New("report: WriteStatementCSV needs a writer (nil given)")
	}
	if err := checkStatement(st); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	rec := make([]string, len(CSVHeader))
	write := func(ps *costmodel.PartnershipStatement, category string, blk *costmodel.Block, lines []costmodel.Line) error {
		for t := range st.Months {
			month := st.Start.Add(t).String()
			for _, l := range lines {
				rec[0], rec[1], rec[2] = csvSafe(ps.ID), csvSafe(ps.Channel), csvSafe(category)
				rec[3], rec[4] = month, l.String()
				v, places := blk.Monthly[t][l], st.Currency.MinorUnit
				if !l.IsMoney() {
					// Hours (the downtime memo): every digit given,
					// never rounded to a currency's minor unit.
					places = max(places, -v.Exponent())
				}
				rec[5] = v.StringFixed(places)
				if err := cw.Write(rec); err != nil {
					return err
				}
			}
		}
		return nil
	}
	catLines := withSubtotals(categoryLines)
	ownLines := withSubtotals(partnershipLines)
	for i := range st.Partnerships {
		ps := &st.Partnerships[i]
		for j := range ps.Categories {
			if err := write(ps, ps.Categories[j].ID, &ps.Categories[j].Block, catLines); err != nil {
				return err
			}
		}
		if err := write(ps, PartnershipLevel, &ps.Own, ownLines); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// checkStatement refuses a statement that costmodel.Evaluate cannot have
// produced: nil, the zero value (no months, no partnerships) or blocks
// shorter than the horizon, which would be written as a CSV of nothing or
// of invented zeros.
func checkStatement(st *costmodel.Statement) error {
	if st == nil {
		return errors.New("report: WriteStatementCSV needs a statement (costmodel.Evaluate)")
	}
	var pr costmodel.Problems
	if st.Months <= 0 {
		pr.Add("statement.Months", fmt.Sprint(st.Months), "a horizon of at least 1 month (costmodel.Evaluate)")
	}
	if len(st.Partnerships) == 0 {
		pr.Add("statement.Partnerships", "none", "at least one partnership (costmodel.Evaluate)")
	}
	check := func(path string, b *costmodel.Block) {
		if len(b.Monthly) != st.Months {
			pr.Add(path+".Monthly", fmt.Sprintf("%d months", len(b.Monthly)), fmt.Sprintf("one per month of the horizon (%d)", st.Months))
		}
	}
	for i := range st.Partnerships {
		ps := &st.Partnerships[i]
		at := fmt.Sprintf("statement.Partnerships[%d]", i)
		for j := range ps.Categories {
			check(fmt.Sprintf("%s.Categories[%d]", at, j), &ps.Categories[j].Block)
		}
		check(at+".Own", &ps.Own)
	}
	return pr.Err()
}

// withSubtotals is lines and every subtotal, in statement order.
func withSubtotals(lines []costmodel.Line) []costmodel.Line {
	in := map[costmodel.Line]bool{}
	for _, l := range lines {
		in[l] = true
	}
	var out []costmodel.Line
	for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
		if in[l] || l.IsSubtotal() {
			out = append(out, l)
		}
	}
	return out
}
