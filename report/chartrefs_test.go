package report

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/scenario"
	"github.com/xuri/excelize/v2"
)

// TestChartRanges reads every chart's series references from the written
// workbook's XML (c:val, c:xVal, c:yVal and c:cat formulas) and checks
// that each names an existing sheet and a range whose cells are all
// filled, and that values (not categories) are numbers. A chart pointed
// at an empty or shifted range draws nothing, silently.
func TestChartRanges(t *testing.T) {
	t.Parallel()
	opt := larkspurOptions(t)
	data := writeBook(t, opt)
	f := openBook(t, data)
	charts, refs := chartRanges(data, t.Errorf)
	if charts < 8 || refs < 2*charts {
		t.Errorf("%d charts with %d references: expected the workbook's charts", charts, refs)
	}
	// The fan chart's table is the simulation's fan.
	fan, ok := opt.Simulation.Fan(scenario.Output{Metric: scenario.Contribution})
	if !ok {
		t.Fatal("no fan in the simulation")
	}
	rows, _ := f.GetRows(SheetMonteCarlo, excelizeRaw())
	found := false
	for i, r := range rows {
		if len(r) > 3 && r[0] == fanHeads[0] && r[3] == fanHeads[3] {
			found = true
			for k := range fan.Months {
				row := rows[i+1+k]
				if row[0] != fan.Months[k].String() {
					t.Fatalf("fan row %d month %q, want %s", k, row[0], fan.Months[k])
				}
				for c, want := range []float64{fan.P5[k], fan.P25[k], fan.P50[k], fan.P75[k], fan.P95[k], fan.Mean[k], fan.P25[k] - fan.P5[k]} {
					got, _ := strconv.ParseFloat(row[1+c], 64)
					if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
						t.Errorf("fan %s column %s: %v, want %v", row[0], fanHeads[1+c], got, want)
					}
				}
			}
		}
	}
	if !found {
		t.Error("no fan table on the Monte Carlo sheet")
	}
}

func unescapeXML(s string) string {
	return strings.NewReplacer("&apos;", "'", "&#39;", "'", "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// chartRanges checks the series references of every chart of the
// workbook data (TestChartRanges), telling errorf each problem, and
// returns how many charts and references it read.
func chartRanges(data []byte, errorf func(string, ...any)) (charts, refs int) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		errorf("open the workbook: %v", err)
		return 0, 0
	}
	defer f.Close()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		errorf("%v", err)
		return 0, 0
	}
	block := regexp.MustCompile(`(?s)<(?:c:)?(val|xVal|yVal|cat)>(.*?)</(?:c:)?(?:val|xVal|yVal|cat)>`)
	formula := regexp.MustCompile(`<(?:c:)?f>([^<]*)</(?:c:)?f>`)
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		charts++
		rc, err := zf.Open()
		if err != nil {
			errorf("%s: %v", zf.Name, err)
			continue
		}
		xml, _ := io.ReadAll(rc)
		rc.Close()
		for _, m := range block.FindAllStringSubmatch(string(xml), -1) {
			fm := formula.FindStringSubmatch(m[2])
			if fm == nil {
				errorf("%s: a %s without a reference", zf.Name, m[1])
				continue
			}
			refs++
			checkChartRange(errorf, f, zf.Name, unescapeXML(fm[1]), m[1] != "cat")
		}
	}
	return charts, refs
}

// checkChartRange checks one series reference: 'Sheet'!$A$1:$B$9.
func checkChartRange(errorf func(string, ...any), f *excelize.File, chart, ref string, numeric bool) {
	i := strings.LastIndex(ref, "!")
	if i < 0 {
		errorf("%s: reference %q has no sheet", chart, ref)
		return
	}
	sheet := strings.Trim(ref[:i], "'")
	sheet = strings.ReplaceAll(sheet, "''", "'")
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		errorf("%s: %q refers to no sheet %q", chart, ref, sheet)
		return
	}
	cells := strings.Split(strings.ReplaceAll(ref[i+1:], "$", ""), ":")
	c1, r1, err1 := excelize.CellNameToCoordinates(cells[0])
	c2, r2, err2 := c1, r1, error(nil)
	if len(cells) == 2 {
		c2, r2, err2 = excelize.CellNameToCoordinates(cells[1])
	}
	if err1 != nil || err2 != nil {
		errorf("%s: %q is not a range", chart, ref)
		return
	}
	for r := r1; r <= r2; r++ {
		for c := c1; c <= c2; c++ {
			cell, _ := excelize.CoordinatesToCellName(c, r)
			v, err := f.GetCellValue(sheet, cell, excelizeRaw())
			if err != nil || v == "" {
				errorf("%s: %q: %s!%s is empty", chart, ref, sheet, cell)
				return
			}
			if _, err := strconv.ParseFloat(v, 64); numeric && err != nil {
				errorf("%s: %q: %s!%s holds %q, not a number", chart, ref, sheet, cell, v)
				return
			}
		}
	}
}
