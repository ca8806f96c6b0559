package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/xuri/excelize/v2"
)

// The columns of the Assumptions sheet. ReadAssumptions finds them by
// their headings, so a user may move them; these are where Write puts
// them.
const (
	assumAddress = 1 + iota
	assumPartnership
	assumDescription
	assumUnit
	assumRange
	assumValue
)

// Headings of the Assumptions sheet; ReadAssumptions looks for the first
// and the last.
const (
	headAddress = "Driver address"
	headValue   = "Value"
)

// rangeFraction is the valid range costmodel gives fractions
// (Driver.Range).
const rangeFraction = "0 to 1"

// writeAssumptions writes one row per driver (Portfolio.Drivers, in its
// order) and names each value cell after the driver's address.
func (b *book) writeAssumptions() error {
	sheet := SheetAssumptions
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	for _, w := range []struct {
		c     int
		width float64
	}{{assumAddress, 46}, {assumPartnership, 30}, {assumDescription, 46}, {assumUnit, 22}, {assumRange, 14}, {assumValue, 14}} {
		if err := sw.SetColWidth(w.c, w.c, w.width); err != nil {
			return err
		}
	}
	// The fingerprint of the stale flag (stale.go): a hidden copy of
	// each value and the count of values that differ from it.
	if err := sw.SetColWidth(assumComputedFrom, assumComputedFrom, 14); err != nil {
		return err
	}
	if err := sw.SetColVisible(assumComputedFrom, assumComputedFrom, false); err != nil {
		return err
	}
	if err := sw.SetColWidth(assumChangedLabel, assumChangedLabel, 40); err != nil {
		return err
	}
	h := b.lk.Header
	fp, err := b.fingerprintHeader(2, len(b.model.Drivers())+1)
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", append([]any{
		excelize.Cell{StyleID: h, Value: headAddress}, excelize.Cell{StyleID: h, Value: "Partnership"},
		excelize.Cell{StyleID: h, Value: "Input"},
		excelize.Cell{StyleID: h, Value: "Unit"}, excelize.Cell{StyleID: h, Value: "Valid range"},
		excelize.Cell{StyleID: h, Value: headValue},
	}, fp...), excelize.RowOpts{Height: 18}); err != nil {
		return err
	}
	if err := b.defineChanged(); err != nil {
		return err
	}
	labels := newDriverLabels(b.p)
	byRange := map[validRange][]int{}
	// The model's drivers: the portfolio's (Portfolio.Drivers), then the
	// value of each month-limited adjustment, which the Statement's
	// formulas of the months it covers read.
	for i, d := range b.model.Drivers() {
		row := i + 2
		cell := ref(assumValue, row)
		name, err := b.names.addDriverName(b.f, d.Address, absRef(sheet, assumValue, row))
		if err != nil {
			return err
		}
		b.drivers[d.Address] = driverCell{Row: row, Name: name}
		b.driverNames = append(b.driverNames, name)
		lo, hi := d.Bounds()
		vr := validRange{lo: lo, hi: hi, text: d.Range}
		byRange[vr] = append(byRange[vr], row)
		unit := strings.ReplaceAll(d.Unit, "CUR", b.cur)
		who, what := labels.describe(d.Address)
		if k, ok := adjustmentIndex(d.Address); ok && k < len(b.p.Adjustments) {
			who, what = "(adjustment)", b.describeAdjustment(k)
		}
		if err := sw.SetRow("A"+strconv.Itoa(row), []any{
			textCell(d.Address, 0, b.lk.Text),
			textCell(who, 0, b.lk.Text),
			textCell(what, 0, b.lk.Text),
			unit,
			d.Range,
			excelize.Cell{StyleID: b.inputStyle(d), Value: num(d.Value)},
			num(d.Value),
		}); err != nil {
			return fmt.Errorf("report: Assumptions %s: %w", cell, err)
		}
	}
	if err := b.validateAssumptions(byRange); err != nil {
		return err
	}
	return sw.Flush()
}

// inputStyle picks the input format of a driver from its unit and range.
func (b *book) inputStyle(d costmodel.Driver) int {
	switch {
	case d.Range == rangeFraction || strings.Contains(d.Unit, "rate"):
		return b.lk.InPercent
	case isFXUnit(d.Unit): // an FX rate: every digit shows (0.006602 USD per JPY)
		return b.lk.InNumber
	case strings.HasPrefix(d.Unit, "CUR") || isLocalMoneyUnit(d.Unit):
		return b.lk.InMoney
	}
	return b.lk.InNumber
}

// validRange is a driver's valid range: its bounds (Driver.Bounds) and
// their description (Driver.Range).
type validRange struct {
	lo, hi float64
	text   string
}

// validateAssumptions adds Excel data validation to the value cells, one
// rule per valid range (fractions from 0 to 1, amounts and volumes ≥ 0,
// growth above −1, ...), each with its range in the error message. Reading
// the workbook back checks every value again.
func (b *book) validateAssumptions(byRange map[validRange][]int) error {
	ranges := make([]validRange, 0, len(byRange))
	for r := range byRange {
		ranges = append(ranges, r)
	}
	sort.Slice(ranges, func(i, j int) bool { return byRange[ranges[i]][0] < byRange[ranges[j]][0] })
	for _, r := range ranges {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = sqrefRuns(assumValue, byRange[r])
		var err error
		switch {
		case r.lo > 0 && r.lo < 1e-300: // > 0
			err = dv.SetRange(0, r.hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorGreaterThan)
		case r.lo > -1 && r.lo < -1+1e-9: // > −1
			err = dv.SetRange(-1, r.hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorGreaterThan)
		default:
			err = dv.SetRange(r.lo, r.hi, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorBetween)
		}
		if err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "Outside the valid range", "Enter a number "+rangeWords(r.text)+".")
		if err := b.f.AddDataValidation(SheetAssumptions, dv); err != nil {
			return err
		}
	}
	return nil
}

// rangeWords puts a driver's range in a sentence: "from 0 to 1", "≥ 0".
func rangeWords(r string) string {
	if r == rangeFraction {
		return "from 0 to 1 (0.15 for 15 %)"
	}
	if strings.Contains(r, " to ") && !strings.HasPrefix(r, ">") {
		return "from " + r
	}
	return r
}

// sqrefRuns writes rows of one column as a space-separated list of ranges,
// merging adjacent rows: "E2:E5 E7".
func sqrefRuns(c int, rows []int) string {
	var parts []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, ref(c, rows[i]))
		} else {
			parts = append(parts, ref(c, rows[i])+":"+ref(c, rows[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, " ")
}

// driverLabels turns driver addresses into labels for people.
type driverLabels struct {
	partnerships map[string]string
	categories   map[string]string // "partnership/category" → name
}

func newDriverLabels(p *costmodel.Portfolio) driverLabels {
	l := driverLabels{partnerships: map[string]string{}, categories: map[string]string{}}
	for _, ps := range p.Partnerships {
		l.partnerships[ps.ID] = labelOr(ps.Name, ps.ID)
		for _, c := range ps.Categories {
			l.categories[ps.ID+"/"+c.ID] = labelOr(c.Name, c.ID)
		}
	}
	return l
}

func labelOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// describe splits an address into words for people: the partnership's
// name, and the input with its category's name ("Beauty & personal care ·
// commission tier 1 rate").
func (l driverLabels) describe(address string) (partnership, input string) {
	segs := strings.Split(address, "/")
	if segs[0] == "portfolio" {
		return "(portfolio)", words(segs[1:])
	}
	partnership = labelOr(l.partnerships[segs[0]], segs[0])
	if len(segs) > 2 {
		if name, ok := l.categories[segs[0]+"/"+segs[1]]; ok {
			return partnership, name + " · " + words(segs[2:])
		}
	}
	return partnership, words(segs[1:])
}

func words(segs []string) string {
	return strings.ReplaceAll(strings.Join(segs, " "), "_", " ")
}

// adjustmentIndex returns k−1 for the address "adjustments/k/value", the
// model's driver of the value of the k-th month-limited adjustment.
func adjustmentIndex(address string) (int, bool) {
	var k int
	if n, err := fmt.Sscanf(address, "adjustments/%d/value", &k); n != 1 || err != nil || k < 1 ||
		address != fmt.Sprintf("adjustments/%d/value", k) {
		return 0, false
	}
	return k - 1, true
}

// describeAdjustment says what adjustment k does, in words: "× on
// partner-01/*/orders in months 3–5 (Nov, Dec only) · peak season".
func (b *book) describeAdjustment(k int) string {
	a := &b.p.Adjustments[k]
	op := map[costmodel.Op]string{costmodel.Multiply: "multiplies", costmodel.Add: "adds to", costmodel.SetTo: "sets"}[a.Op]
	if op == "" {
		op = string(a.Op)
	}
	last := min(a.To, b.p.Months-1)
	s := fmt.Sprintf("Adjustment %d %s %s from %s to %s", k+1, op, a.Target, monthLabel(b.p.Start.Add(max(a.From, 0))), monthLabel(b.p.Start.Add(last)))
	if len(a.CalendarMonths) > 0 {
		var ms []string
		for _, m := range a.CalendarMonths {
			ms = append(ms, m.String()[:3])
		}
		s += " (" + strings.Join(ms, ", ") + " only)"
	}
	if a.Name != "" {
		s += " · " + a.Name
	}
	return s
}
