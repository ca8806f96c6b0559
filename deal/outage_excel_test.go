package deal_test

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
	"github.com/marginalhq/marginal/internal/lotest"
	"github.com/marginalhq/marginal/report"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// TestOutageLinesExcelLibreOffice: the third back end of the service
// figures the deal reads. A portfolio of one partnership per case, each
// down a given number of hours a month in April (720 hours) and May
// (744), with the bands of 10 % / 25 % / 100 % of a 1,000 fee below a
// 99.9 % commitment, long incidents at 500, recovery 0.3 and a
// contingency: the band edges (0.72, 7.2, 36 hours of 720) and a hair past
// each, a month wholly down, lost GMV with recovery and the fallback.
// The exact statement gives the hand credits of April (1,000 × share +
// 500 × long incidents) and the deal's plan reads them; the workbook's
// formulas (the statement's outage lines among them) recalculated in
// headless LibreOffice (report/testdata/recalc.py) give every cached
// value to half a cent. Skipped without LibreOffice, except on CI.
func TestOutageLinesExcelLibreOffice(t *testing.T) {
	t.Parallel()
	lotest.Python(t)
	cases := []struct {
		down, long string
		orders     int
		credit     string // April's credit line, by hand
	}{
		{"0", "0", 1000, "0"}, {"0.72", "0", 1000, "0"}, {"0.7201", "1", 1000, "600"},
		{"7.2", "0", 1000, "100"}, {"7.2001", "2", 1000, "1250"}, {"36", "0", 500, "250"},
		{"36.0001", "0", 0, "1000"}, {"720", "3", 1000, "2500"}, {"18.6", "1", 800, "750"},
	}
	var parts []string
	for i, c := range cases {
		parts = append(parts, fmt.Sprintf(`{"id": "p%d", "channel": "marketplace",
		 "categories": [{"id": "c", "orders": %d, "price": 100, "units_per_order": 1, "unit_cost": 80}],
		 "outage": {"downtime_hours": %q, "long_incidents": %q, "response_penalty": "500",
		  "uptime_commitment": "0.999", "monthly_fee": "1000", "direction": "earned",
		  "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"}, {"from": "0.95", "to": "0.99", "share": "0.25"},
		              {"from": "0", "to": "0.95", "share": "1"}],
		  "recovery": "0.3", "contingency": {"fallback_share": "0.75", "cost_per_hour": "50", "standby_monthly": "100"}}}`, i, c.orders, c.down, c.long))
	}
	p, err := costmodel.Load(strings.NewReader(`{"currency": "USD", "start": "2026-04", "months": 2, "discount_rate": 0.1, "partnerships": [` + strings.Join(parts, ",") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		terms := &deal.Terms{Partnership: fmt.Sprintf("p%d", i), Investment: decimal.NewFromInt(1),
			Tranches: []deal.Tranche{{Month: st.Start, Amount: decimal.NewFromInt(1)}}}
		plan, err := deal.Evaluate(terms, st)
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.Service[0].Credit; !got.Equal(decimal.RequireFromString(c.credit)) {
			t.Errorf("%s hours down of 720, %s long incidents: credit %s, want %s", c.down, c.long, got, c.credit)
		}
	}
	path := filepath.Join(t.TempDir(), "outage.xlsx")
	if err := report.WriteFile(path, report.Options{Portfolio: p, Statement: st}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type cached struct{ sheet, ref, formula, value string }
	var cells []cached
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for r := range rows {
			for c := range rows[r] {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fm, _ := f.GetCellFormula(sh, ref)
				if fm == "" {
					continue
				}
				v, _ := f.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
				cells = append(cells, cached{sh, ref, fm, v})
			}
		}
	}
	lo := lotest.Recalc(t, filepath.Join("..", "report", "testdata", "recalc.py"), path)
	numeric, bad := 0, 0
	for _, c := range cells {
		want, err := strconv.ParseFloat(c.value, 64)
		if err != nil {
			continue // a text or flag result
		}
		numeric++
		got, ok := lo[c.sheet][c.ref]
		if !ok || got.Error != 0 || got.Value == nil || math.Abs(*got.Value-want) > 0.005 {
			if bad++; bad <= 20 {
				t.Errorf("%s!%s =%s: cached %s, LibreOffice %+v", c.sheet, c.ref, c.formula, c.value, got)
			}
		}
	}
	if numeric == 0 || !strings.Contains(fmt.Sprint(cells), "IF(") {
		t.Errorf("%d numeric formula cells, none with the bands' IF: the outage lines are not live", numeric)
	}
	t.Logf("compared %d numeric formula cells", numeric)
}
