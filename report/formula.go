package report

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"
)

// A formula cell carries its cached value so that viewers which do not
// calculate (previews, mail clients, some mobile apps, parsers) still show
// numbers. excelize v2.11.1 offers two ways to write one:
//
//   - StreamWriter: excelize.Cell{Formula: f, Value: v} writes <f> and <v>
//     with the type of v (float64/int: number, bool: t="b", string:
//     t="str"). This is the preferred path; see formulaValue.
//   - Normal sheets: SetCellFormula always types the cell t="str", and every
//     SetCell* call removes the formula. Writing the value first and the
//     formula second keeps the value as <v> but typed as a string. setFormula
//     does this and records numeric cells in a numericFormulas, which
//     saveDeterministicWith uses to drop the t="str".

// formulaValue returns a StreamWriter cell holding formula (without "=") and
// its cached value. value must be a float64, an int, a bool or a string; a
// NaN or an infinity is refused because no such number may reach a cell.
func formulaValue(formula string, value any, styleID int) (excelize.Cell, error) {
	if err := checkCachedValue(value); err != nil {
		return excelize.Cell{}, fmt.Errorf("report: formula %q: %w", formula, err)
	}
	return excelize.Cell{StyleID: styleID, Formula: strings.TrimPrefix(formula, "="), Value: value}, nil
}

func checkCachedValue(value any) error {
	switch v := value.(type) {
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("cached value %v is not a finite number", v)
		}
	case int, int64, bool, string:
	default:
		return fmt.Errorf("cached value of type %T; want float64, int, int64, bool or string", value)
	}
	return nil
}

// numericFormulas records, per sheet, the cells of normal sheets that hold a
// formula with a numeric cached value. It is safe for concurrent use; the
// zero value is empty and ready.
type numericFormulas struct {
	mu    sync.Mutex
	cells map[string]map[string]bool // sheet name → A1 reference
}

func (n *numericFormulas) add(sheet, ref string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cells == nil {
		n.cells = make(map[string]map[string]bool)
	}
	if n.cells[sheet] == nil {
		n.cells[sheet] = make(map[string]bool)
	}
	n.cells[sheet][ref] = true
}

func (n *numericFormulas) len() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := 0
	for _, s := range n.cells {
		k += len(s)
	}
	return k
}

// cellStartTag matches the start tag of a cell element as excelize writes
// it; the attributes are examined separately.
var (
	cellStartTag = regexp.MustCompile(`<c\s[^>]*>`)
	cellRefAttr  = regexp.MustCompile(`\sr="([A-Z]+[0-9]+)"`)
)

// retype removes t="str" from the recorded cells of one worksheet part.
func (n *numericFormulas) retype(sheet string, data []byte) ([]byte, error) {
	n.mu.Lock()
	refs := n.cells[sheet]
	n.mu.Unlock()
	if len(refs) == 0 {
		return data, nil
	}
	found := 0
	out := cellStartTag.ReplaceAllFunc(data, func(tag []byte) []byte {
		m := cellRefAttr.FindSubmatch(tag)
		if m == nil || !refs[string(m[1])] {
			return tag
		}
		found++
		return []byte(strings.Replace(string(tag), ` t="str"`, "", 1))
	})
	if found != len(refs) {
		return nil, fmt.Errorf("report: sheet %q: %d numeric formula cells recorded, %d found", sheet, len(refs), found)
	}
	return out, nil
}

// setFormula writes formula (without "=") and its cached value into a cell
// of a normal (non-stream) sheet. A numeric cached value is recorded in nf;
// the workbook must then be saved with saveDeterministicWith and that nf,
// or the value is stored typed as text. Prefer formulaValue on
// StreamWriter sheets.
func setFormula(f *excelize.File, nf *numericFormulas, sheet, cell, formula string, value any) error {
	if err := checkCachedValue(value); err != nil {
		return fmt.Errorf("report: %s!%s: %w", sheet, cell, err)
	}
	formula = strings.TrimPrefix(formula, "=")
	var err error
	numeric := false
	switch v := value.(type) {
	case float64:
		err, numeric = f.SetCellFloat(sheet, cell, v, -1, 64), true
	case int:
		err, numeric = f.SetCellInt(sheet, cell, int64(v)), true
	case int64:
		err, numeric = f.SetCellInt(sheet, cell, v), true
	case bool:
		// Stored as t="str" "TRUE"/"FALSE": good enough for a cached value,
		// and SetCellFormula offers no way to keep t="b".
		err = f.SetCellStr(sheet, cell, strings.ToUpper(strconv.FormatBool(v)))
	case string:
		err = f.SetCellStr(sheet, cell, v)
	}
	if err != nil {
		return err
	}
	if err := f.SetCellFormula(sheet, cell, formula); err != nil {
		return err
	}
	if numeric {
		if nf == nil {
			return fmt.Errorf("report: %s!%s: numeric cached value needs a numericFormulas", sheet, cell)
		}
		ref, err := normalizeRef(cell)
		if err != nil {
			return err
		}
		nf.add(sheet, ref)
	}
	return nil
}

func normalizeRef(cell string) (string, error) {
	c, r, err := excelize.CellNameToCoordinates(cell)
	if err != nil {
		return "", err
	}
	return excelize.CoordinatesToCellName(c, r)
}

// halfCent is the tolerance between a cached value and a recalculation:
// the statement is exact to the cent, so anything within half a cent is the
// same amount.
const halfCent = 0.005

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
