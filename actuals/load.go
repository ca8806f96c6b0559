package actuals

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Record is one actual figure: a measure of a partnership (and, for
// category measures, a category) in one month.
type Record struct {
	Month       costmodel.Month `json:"month" required:"true"`
	Partnership string          `json:"partnership" required:"true"`
	// Category is empty for partnership measures.
	Category string          `json:"category,omitempty"`
	Measure  Measure         `json:"measure" required:"true"`
	Value    decimal.Decimal `json:"value" required:"true"`
}

// Actuals are what happened in the months of a portfolio's horizon up to
// a cut-off: the months from the horizon's start to CutOff are actual,
// the later ones are still plan. Build them with ReadCSV or ReadJSON,
// which check every record against the portfolio.
type Actuals struct {
	// CutOff is the last actual month.
	CutOff costmodel.Month `json:"cut_off" required:"true"`
	// Records are the figures, in the order read.
	Records []Record `json:"records" required:"true"`
}

// csvColumns are the columns of the long-form CSV, in order.
var csvColumns = []string{"month", "partnership", "category", "measure", "value"}

// ReadCSV reads actuals in long form, one figure a row, under the header
//
//	month,partnership,category,measure,value
//
// ("2026-03,amazon-us,beauty,orders,5120"; the category is empty for a
// partnership measure) and checks them against p (see Check). cutOff is
// the last actual month; the zero Month takes the latest month in the
// file. Every problem is reported at once, each at "row N, column NAME"
// (rows counted from 1, the header being row 1); on any problem nothing
// is returned.
func ReadCSV(r io.Reader, p *costmodel.Portfolio, cutOff costmodel.Month) (*Actuals, error) {
	if r == nil {
		return nil, &costmodel.FieldError{Path: "(actuals)", Expected: "a reader of the actuals CSV, not nil"}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &costmodel.FieldError{Path: fmt.Sprintf("row %d, column %d", pe.StartLine, pe.Column), Expected: "well-formed CSV (" + pe.Err.Error() + ")", Err: err}
		}
		return nil, &costmodel.FieldError{Path: "(actuals)", Expected: "a readable CSV", Err: err}
	}
	var pr costmodel.Problems
	if len(rows) == 0 {
		pr.Add("row 1", "", "the header "+strings.Join(csvColumns, ","))
		return nil, pr.Err()
	}
	head := rows[0]
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	if !slices.EqualFunc(head, csvColumns, func(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }) {
		pr.Add("row 1", strconv.Quote(strings.Join(head, ",")), "the header "+strings.Join(csvColumns, ","))
		return nil, pr.Err()
	}
	a := &Actuals{CutOff: cutOff}
	var at []func(col string) string
	var bad []flags
	for i, row := range rows[1:] {
		line := i + 2
		where := func(col string) string { return fmt.Sprintf("row %d, column %s", line, col) }
		if len(row) != len(csvColumns) {
			pr.Add(fmt.Sprintf("row %d", line), fmt.Sprintf("%d columns", len(row)), fmt.Sprintf("%d columns: %s", len(csvColumns), strings.Join(csvColumns, ",")))
			continue
		}
		var rec Record
		var fl flags
		if m, err := costmodel.ParseMonth(strings.TrimSpace(row[0])); err != nil {
			pr.Add(where("month"), strconv.Quote(row[0]), "a month YYYY-MM")
			fl.month = true
		} else {
			rec.Month = m
		}
		rec.Partnership = strings.TrimSpace(row[1])
		rec.Category = strings.TrimSpace(row[2])
		rec.Measure = Measure(strings.TrimSpace(row[3]))
		if v, err := decimal.NewFromString(strings.TrimSpace(row[4])); err != nil {
			pr.Add(where("value"), strconv.Quote(row[4]), "a number (1234.56; no thousands separators or currency signs)")
			fl.value = true
		} else {
			rec.Value = v
		}
		// The other columns of a row with a bad month or value are still
		// checked below.
		a.Records = append(a.Records, rec)
		at = append(at, where)
		bad = append(bad, fl)
	}
	if cutOff.IsZero() {
		a.CutOff = latest(a.Records)
	}
	check(a, p, &pr, at, bad)
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return a, nil
}

// flags mark the columns of a CSV row already reported as unreadable.
type flags struct{ month, value bool }

// ReadJSON reads actuals as one JSON object,
//
//	{"cut_off": "2026-12", "records": [{"month": "2026-03", "partnership": "amazon-us",
//	  "category": "beauty", "measure": "orders", "value": 5120}, …]}
//
// with the strict decoding of costmodel.DecodeStrict (unknown fields,
// wrong types and missing required fields are errors, each with its JSON
// path), and checks the records against p (see Check).
func ReadJSON(data []byte, p *costmodel.Portfolio) (*Actuals, error) {
	var a Actuals
	if err := costmodel.DecodeStrict(data, &a); err != nil {
		return nil, err
	}
	var pr costmodel.Problems
	at := make([]func(string) string, len(a.Records))
	for i := range a.Records {
		at[i] = func(col string) string { return fmt.Sprintf("records[%d].%s", i, col) }
	}
	check(&a, p, &pr, at, nil)
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return &a, nil
}

// Check reports every problem of a's records against p, each at its
// record ("records[3].partnership"): a partnership, category or measure
// the portfolio does not have, a category measure without a category or
// a partnership measure with one, a month outside the horizon, after the
// cut-off or before the partnership's launch, a negative value or a rate
// above 1, a figure given twice, and the orders of a launched category
// missing in an actual month (the one measure every actual month needs;
// the others default to the plan's drivers, see Model).
func Check(a *Actuals, p *costmodel.Portfolio) error {
	if a == nil {
		return &costmodel.FieldError{Path: "(actuals)", Expected: "actuals, not nil"}
	}
	var pr costmodel.Problems
	at := make([]func(string) string, len(a.Records))
	for i := range a.Records {
		at[i] = func(col string) string { return fmt.Sprintf("records[%d].%s", i, col) }
	}
	check(a, p, &pr, at, nil)
	return pr.Err()
}

func latest(rs []Record) costmodel.Month {
	var m costmodel.Month
	for _, r := range rs {
		if !r.Month.IsZero() && (m.IsZero() || monthIndex(r.Month) > monthIndex(m)) {
			m = r.Month
		}
	}
	return m
}

func monthIndex(m costmodel.Month) int { return m.Year*12 + int(m.Month) - 1 }

// offset is m's month offset from the portfolio's start.
func offset(p *costmodel.Portfolio, m costmodel.Month) int {
	return monthIndex(m) - monthIndex(p.Start)
}

type recordKey struct {
	t           int
	partnership string
	category    string
	measure     Measure
}

func check(a *Actuals, p *costmodel.Portfolio, pr *costmodel.Problems, at []func(string) string, bad []flags) {
	if p == nil {
		pr.Add("(portfolio)", "", "the plan portfolio the actuals are for, not nil")
		return
	}
	if err := p.Validate(); err != nil {
		pr.Merge("(portfolio)", err)
		return
	}
	cut := -1
	if a.CutOff.IsZero() {
		pr.Add("cut_off", "", "the last actual month, YYYY-MM")
	} else if c := offset(p, a.CutOff); c < 0 || c >= p.Months {
		pr.Add("cut_off", a.CutOff.String(), fmt.Sprintf("a month of the horizon, %s to %s", p.Start, p.Start.Add(p.Months-1)))
	} else {
		cut = c
	}
	parts := map[string]*costmodel.Partnership{}
	for i := range p.Partnerships {
		parts[p.Partnerships[i].ID] = &p.Partnerships[i]
	}
	seen := map[recordKey]int{}
	for i := range a.Records {
		r := &a.Records[i]
		where := at[i]
		var fl flags
		if bad != nil {
			fl = bad[i]
		}
		ps := parts[r.Partnership]
		if ps == nil {
			pr.Add(where("partnership"), strconv.Quote(r.Partnership), "the ID of a partnership of the portfolio")
		}
		info, mok := measures[r.Measure]
		if !mok {
			pr.Add(where("measure"), strconv.Quote(string(r.Measure)), "one of "+measureNames())
		}
		if ps != nil && mok {
			switch {
			case r.Category == "" && info.level == perCategory:
				pr.Add(where("category"), "", fmt.Sprintf("a category of %s: %s is reported per category", ps.ID, r.Measure))
			case r.Category != "" && info.level == perPartnership:
				pr.Add(where("category"), strconv.Quote(r.Category), fmt.Sprintf("no category: %s is reported per partnership", r.Measure))
			case r.Category != "" && !slices.ContainsFunc(ps.Categories, func(c costmodel.Category) bool { return c.ID == r.Category }):
				pr.Add(where("category"), strconv.Quote(r.Category), fmt.Sprintf("a category of %s", ps.ID))
			}
		}
		t := -1
		if !r.Month.IsZero() {
			t = offset(p, r.Month)
			switch {
			case t < 0 || t >= p.Months:
				pr.Add(where("month"), r.Month.String(), fmt.Sprintf("a month of the horizon, %s to %s", p.Start, p.Start.Add(p.Months-1)))
				t = -1
			case cut >= 0 && t > cut:
				pr.Add(where("month"), r.Month.String(), fmt.Sprintf("a month up to the cut-off %s", a.CutOff))
				t = -1
			case ps != nil && t < ps.LaunchMonth:
				pr.Add(where("month"), r.Month.String(), fmt.Sprintf("a month from %s's launch, %s", ps.ID, p.Start.Add(ps.LaunchMonth)))
				t = -1
			}
		} else if !fl.month {
			pr.Add(where("month"), "", "a month YYYY-MM")
		}
		if !fl.value {
			switch {
			case r.Value.Sign() < 0:
				pr.Add(where("value"), r.Value.String(), "a value ≥ 0 (a volume or an amount cannot be negative)")
			case mok && info.rate && r.Value.GreaterThan(decimal.NewFromInt(1)):
				pr.Add(where("value"), r.Value.String(), "a fraction from 0 to 1 (0.15 for 15 %)")
			case r.Value.Abs().GreaterThan(decimal.New(1, 13)):
				pr.Add(where("value"), r.Value.String(), "a number of magnitude at most 1e13")
			}
		}
		if t >= 0 && ps != nil && mok {
			k := recordKey{t, r.Partnership, r.Category, r.Measure}
			if first, dup := seen[k]; dup {
				pr.Add(where("measure"), string(r.Measure), fmt.Sprintf("one figure per partnership, category, measure and month (%s of %s %s in %s is given already at %s)",
					r.Measure, r.Partnership, r.Category, r.Month, at[first]("measure")))
			} else {
				seen[k] = i
			}
		}
	}
	if cut < 0 {
		return
	}
	// Every launched category needs its orders in every actual month.
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		for _, c := range ps.Categories {
			for t := ps.LaunchMonth; t <= cut; t++ {
				if _, ok := seen[recordKey{t, ps.ID, c.ID, Orders}]; !ok {
					pr.Add(fmt.Sprintf("%s/%s/orders in %s", ps.ID, c.ID, p.Start.Add(t)), "", "the month's actual orders (every category needs its orders in every month up to the cut-off)")
				}
			}
		}
	}
	// Returned items cannot exceed the items ordered.
	for k, i := range seen {
		if k.measure != ReturnedItems {
			continue
		}
		o, ok := seen[recordKey{k.t, k.partnership, k.category, Orders}]
		if !ok {
			continue
		}
		c := category(p, k.partnership, k.category)
		items := a.Records[o].Value.Mul(c.UnitsPerOrder)
		if a.Records[i].Value.GreaterThan(items) {
			pr.Add(at[i]("value"), a.Records[i].Value.String(), fmt.Sprintf("at most the items ordered that month (%s)", items))
		}
	}
}

func category(p *costmodel.Portfolio, partnership, id string) *costmodel.Category {
	for i := range p.Partnerships {
		if p.Partnerships[i].ID != partnership {
			continue
		}
		for j := range p.Partnerships[i].Categories {
			if p.Partnerships[i].Categories[j].ID == id {
				return &p.Partnerships[i].Categories[j]
			}
		}
	}
	return nil
}

// WriteCSV writes the records in the long form ReadCSV reads.
func (a *Actuals) WriteCSV(w io.Writer) error {
	if a == nil || w == nil {
		return &costmodel.FieldError{Path: "(actuals)", Expected: "actuals and a writer, not nil"}
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(csvColumns)
	for _, r := range a.Records {
		_ = cw.Write([]string{r.Month.String(), r.Partnership, r.Category, string(r.Measure), r.Value.String()})
	}
	cw.Flush()
	_, err := w.Write(buf.Bytes())
	return err
}
