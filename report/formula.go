package report

import (
	"bytes"
	"encoding/xml"
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
// numbers. excelize v2.11.1 offers only one way to write one:
//
//   - StreamWriter: excelize.Cell{Formula: f, Value: v} writes <f> and <v>
//     with the type of v (float64/int: number, bool: t="b", string:
//     t="str"). This is the preferred path; see formulaValue.
//   - Normal sheets have no such API: SetCellFormula always types the cell
//     t="str" and keeps whatever <v> was there (for a string set before, the
//     shared-string index, not the text), and every SetCell* call removes the
//     formula. setFormula therefore writes the formula and records the cached
//     value in a formulaCache; saveDeterministicWith writes the values into
//     the sheet XML.

// formulaValue returns a StreamWriter cell holding formula (with or without
// the leading "="; see excelFormula) and its cached value. value must be a float64, an int, an
// int64, a bool or a string; a NaN or an infinity is refused because no such
// number may reach a cell.
func formulaValue(formula string, value any, styleID int) (excelize.Cell, error) {
	if err := checkCachedValue(value); err != nil {
		return excelize.Cell{}, fmt.Errorf("report: formula %q: %w", formula, err)
	}
	return excelize.Cell{StyleID: styleID, Formula: excelFormula(formula), Value: value}, nil
}

// excelFormula is formula as stored in the file: without the leading "=",
// and with the "_xlfn." prefix on functions newer than the 2007 format.
func excelFormula(formula string) string {
	return withFutureFunctionPrefix(strings.TrimPrefix(formula, "="))
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

// cachedValue is a formula's result as stored in the cell: the t attribute
// ("" for a number, "b", "str") and the <v> text.
type cachedValue struct {
	t, v string
}

func newCachedValue(value any) cachedValue {
	switch v := value.(type) {
	case float64:
		return cachedValue{v: formatCachedNumber(v)}
	case int:
		return cachedValue{v: strconv.Itoa(v)}
	case int64:
		return cachedValue{v: strconv.FormatInt(v, 10)}
	case bool:
		if v {
			return cachedValue{t: "b", v: "1"}
		}
		return cachedValue{t: "b", v: "0"}
	}
	return cachedValue{t: "str", v: value.(string)}
}

// formatCachedNumber writes a float64 as an xsd:double that reads back to
// the same value: plain decimals in the usual range, exponent form outside.
func formatCachedNumber(v float64) string {
	if a := math.Abs(v); a == 0 || (a >= 1e-6 && a < 1e15) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'E', -1, 64)
}

// formulaCache records the cached values of formula cells written to normal
// sheets with setFormula, per sheet and A1 reference. It is safe for
// concurrent use; the zero value is empty and ready.
type formulaCache struct {
	mu    sync.Mutex
	cells map[string]map[string]cachedValue // sheet name → reference → value
}

func (fc *formulaCache) add(sheet, ref string, v cachedValue) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.cells == nil {
		fc.cells = make(map[string]map[string]cachedValue)
	}
	if fc.cells[sheet] == nil {
		fc.cells[sheet] = make(map[string]cachedValue)
	}
	fc.cells[sheet][ref] = v
}

func (fc *formulaCache) len() int {
	if fc == nil {
		return 0
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	k := 0
	for _, s := range fc.cells {
		k += len(s)
	}
	return k
}

// The cell elements as excelize writes them: a start tag, content without
// a nested </c>, an end tag. Only formula cells recorded by setFormula are
// rewritten, so the patterns need to fit excelize's output only.
var (
	cellElement = regexp.MustCompile(`(<c\s[^>]*>)(.*?)</c>`)
	cellRefAttr = regexp.MustCompile(`\sr="([A-Z]+[0-9]+)"`)
	cellTypeAtt = regexp.MustCompile(`\st="[^"]*"`)
	formulaElem = regexp.MustCompile(`<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)`)
)

// fill writes the recorded cached values into one worksheet part.
func (fc *formulaCache) fill(sheet string, data []byte) ([]byte, error) {
	fc.mu.Lock()
	cells := fc.cells[sheet]
	fc.mu.Unlock()
	if len(cells) == 0 {
		return data, nil
	}
	found := 0
	var ferr error
	out := cellElement.ReplaceAllFunc(data, func(elem []byte) []byte {
		m := cellElement.FindSubmatch(elem)
		ref := cellRefAttr.FindSubmatch(m[1])
		if ref == nil {
			return elem
		}
		cv, ok := cells[string(ref[1])]
		if !ok {
			return elem
		}
		found++
		f := formulaElem.Find(m[2])
		if f == nil {
			ferr = fmt.Errorf("report: %s!%s: formula lost before saving", sheet, ref[1])
			return elem
		}
		start := cellTypeAtt.ReplaceAll(m[1], nil)
		if cv.t != "" {
			start = append(start[:len(start)-1:len(start)-1], []byte(` t="`+cv.t+`">`)...)
		}
		var b bytes.Buffer
		b.Write(start)
		b.Write(f)
		b.WriteString("<v>")
		_ = xml.EscapeText(&b, []byte(cv.v))
		b.WriteString("</v></c>")
		return b.Bytes()
	})
	if ferr != nil {
		return nil, ferr
	}
	if found != len(cells) {
		return nil, fmt.Errorf("report: sheet %q: %d formula cells recorded, %d found", sheet, len(cells), found)
	}
	return out, nil
}

// setFormula writes formula (with or without the leading "=") into a cell
// of a normal (non-stream) sheet and records its cached value in fc. The
// workbook must be saved with saveDeterministicWith and that fc, or the cell
// has no cached value. Prefer formulaValue on StreamWriter sheets.
func setFormula(f *excelize.File, fc *formulaCache, sheet, cell, formula string, value any) error {
	if fc == nil {
		return fmt.Errorf("report: %s!%s: setFormula needs a formulaCache", sheet, cell)
	}
	if err := checkCachedValue(value); err != nil {
		return fmt.Errorf("report: %s!%s: %w", sheet, cell, err)
	}
	ref, err := normalizeRef(cell)
	if err != nil {
		return err
	}
	if err := f.SetCellFormula(sheet, ref, excelFormula(formula)); err != nil {
		return err
	}
	fc.add(sheet, ref, newCachedValue(value))
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
