package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"
)

// readZipEntry returns the content of one entry of a zip archive, or
// nil and no error when there is no such entry.
func readZipEntry(zr *zip.Reader, name string) ([]byte, error) {
	for _, zf := range zr.File {
		if zf.Name != name {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	return nil, nil
}

// sheetParts maps each worksheet part of an xlsx package (for example
// "xl/worksheets/sheet2.xml") to its sheet name, from xl/workbook.xml and
// its relationships.
func sheetParts(pkg []byte) (map[string]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, fmt.Errorf("report: open workbook zip: %w", err)
	}
	return sheetPartsZip(zr)
}

func sheetPartsZip(zr *zip.Reader) (map[string]string, error) {
	wbXML, err := readZipEntry(zr, "xl/workbook.xml")
	if err != nil || wbXML == nil {
		return nil, fmt.Errorf("report: read xl/workbook.xml: %v", err)
	}
	relsXML, err := readZipEntry(zr, "xl/_rels/workbook.xml.rels")
	if err != nil || relsXML == nil {
		return nil, fmt.Errorf("report: read xl/_rels/workbook.xml.rels: %v", err)
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(wbXML, &wb); err != nil {
		return nil, fmt.Errorf("report: parse xl/workbook.xml: %w", err)
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(relsXML, &rels); err != nil {
		return nil, fmt.Errorf("report: parse workbook relationships: %w", err)
	}
	target := make(map[string]string, len(rels.Rel))
	for _, r := range rels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		target[r.ID] = t
	}
	parts := make(map[string]string, len(wb.Sheets))
	for _, s := range wb.Sheets {
		if p, ok := target[s.ID]; ok {
			parts[p] = s.Name
		}
	}
	return parts, nil
}
