package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
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
	// Formulas holds the cached values of formula cells written to normal
	// (non-stream) sheets with setFormula. Nil is allowed.
	Formulas *formulaCache
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
	var parts map[string]string
	if opts.Formulas.len() > 0 {
		var err error
		if parts, err = sheetParts(raw.Bytes()); err != nil {
			return err
		}
	}
	fix := func(name string, data []byte) ([]byte, error) {
		if name == "[Content_Types].xml" {
			return sortContentTypes(data)
		}
		if sheet, ok := parts[name]; ok {
			return opts.Formulas.fill(sheet, data)
		}
		return data, nil
	}
	return repackZip(raw.Bytes(), w, stamp, fix)
}

// contentTypes is [Content_Types].xml. excelize writes its Default entries
// (one per image extension, added when a drawing is created) in map order.
type contentTypes struct {
	XMLName  xml.Name `xml:"http://schemas.openxmlformats.org/package/2006/content-types Types"`
	Defaults []struct {
		Extension   string `xml:"Extension,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

// sortContentTypes rewrites [Content_Types].xml with its Default entries
// sorted by extension and its Override entries by part name.
func sortContentTypes(data []byte) ([]byte, error) {
	var ct contentTypes
	if err := xml.Unmarshal(data, &ct); err != nil {
		return nil, fmt.Errorf("report: parse [Content_Types].xml: %w", err)
	}
	sort.SliceStable(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	sort.SliceStable(ct.Overrides, func(i, j int) bool { return ct.Overrides[i].PartName < ct.Overrides[j].PartName })
	out, err := xml.Marshal(ct)
	if err != nil {
		return nil, fmt.Errorf("report: write [Content_Types].xml: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
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
