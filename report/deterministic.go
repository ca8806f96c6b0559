package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// fixedTimestamp is the creation and modification date written into every
// workbook, so that the same content always gives the same bytes. A date
// inside the workbook must not depend on the clock.
var fixedTimestamp = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)

// saveOptions configures saveDeterministicWith. The zero value is the
// default used by saveDeterministic.
type saveOptions struct {
	// Stamp is written as the document's Created and Modified dates and as
	// the modification time of every zip entry. Zero means fixedTimestamp.
	Stamp time.Time
	// Creator is the document's author property. Empty means "Marginal".
	Creator string
	// NumericFormulas lists formula cells of normal (non-stream) sheets whose
	// cached value is a number; see setFormula. Nil is allowed.
	NumericFormulas *numericFormulas
}

// saveDeterministic writes f to w so that identical content gives
// byte-identical files: the document properties carry a fixed date, and the
// zip is repacked with its entries in a stable order ([Content_Types].xml
// first, then _rels/, then the rest sorted by name) and fixed modification
// times. excelize writes the parts of StreamWriter sheets in map order, so
// without the repack two saves of the same workbook differ.
func saveDeterministic(f *excelize.File, w io.Writer) error {
	return saveDeterministicWith(f, w, saveOptions{})
}

// saveDeterministicWith is saveDeterministic with options.
func saveDeterministicWith(f *excelize.File, w io.Writer, opts saveOptions) error {
	stamp := opts.Stamp
	if stamp.IsZero() {
		stamp = fixedTimestamp
	}
	stamp = stamp.UTC().Truncate(time.Second)
	creator := opts.Creator
	if creator == "" {
		creator = "Marginal"
	}
	ts := stamp.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        creator,
		LastModifiedBy: creator,
		Created:        ts,
		Modified:       ts,
	}); err != nil {
		return fmt.Errorf("report: set document properties: %w", err)
	}
	// Ask Excel to recalculate on open: the cached values are for viewers
	// that do not calculate, Excel should still show its own results.
	fullCalc := true
	if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &fullCalc}); err != nil {
		return fmt.Errorf("report: set calculation properties: %w", err)
	}
	var raw bytes.Buffer
	if err := f.Write(&raw); err != nil {
		return fmt.Errorf("report: write workbook: %w", err)
	}
	var fix func(name string, data []byte) ([]byte, error)
	if opts.NumericFormulas != nil && opts.NumericFormulas.len() > 0 {
		parts, err := sheetParts(raw.Bytes())
		if err != nil {
			return err
		}
		fix = func(name string, data []byte) ([]byte, error) {
			sheet, ok := parts[name]
			if !ok {
				return data, nil
			}
			return opts.NumericFormulas.retype(sheet, data)
		}
	}
	return repackZip(raw.Bytes(), w, stamp, fix)
}

// zipEntryOrder reports whether entry a is written before entry b:
// [Content_Types].xml first (some readers sniff it), then the package
// relationships under _rels/, then everything else by name.
func zipEntryOrder(a, b string) bool {
	rank := func(s string) int {
		switch {
		case s == "[Content_Types].xml":
			return 0
		case strings.HasPrefix(s, "_rels/"):
			return 1
		default:
			return 2
		}
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra < rb
	}
	return a < b
}

// repackZip copies the zip archive in src to w with entries in zipEntryOrder,
// each deflated and stamped with the given time. fix, when not nil, may
// rewrite an entry's content.
func repackZip(src []byte, w io.Writer, stamp time.Time, fix func(name string, data []byte) ([]byte, error)) error {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return fmt.Errorf("report: reopen workbook zip: %w", err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return zipEntryOrder(files[i].Name, files[j].Name) })
	zw := zip.NewWriter(w)
	for i, zf := range files {
		if i > 0 && files[i-1].Name == zf.Name {
			return fmt.Errorf("report: duplicate zip entry %q", zf.Name)
		}
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("report: read zip entry %q: %w", zf.Name, err)
		}
		data, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			return fmt.Errorf("report: read zip entry %q: %w", zf.Name, err)
		}
		if fix != nil {
			if data, err = fix(zf.Name, data); err != nil {
				return err
			}
		}
		hdr := &zip.FileHeader{Name: zf.Name, Method: zip.Deflate, Modified: stamp}
		out, err := zw.CreateHeader(hdr)
		if err != nil {
			return fmt.Errorf("report: write zip entry %q: %w", zf.Name, err)
		}
		if _, err := out.Write(data); err != nil {
			return fmt.Errorf("report: write zip entry %q: %w", zf.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("report: finish workbook zip: %w", err)
	}
	return nil
}
