package report

import (
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// withOutage is small.json with outage terms on both partnerships, 7.2
// hours down a month (1 % of November's 720 hours), the own shop priced
// in EUR at 1.1 USD per EUR: the workbook's outage formulas, and the
// downtime memo line in hours, unconverted and not in the currency's
// format.
func withOutage(t testing.TB) *costmodel.Portfolio {
	t.Helper()
	d := decimal.RequireFromString
	p := loadPortfolio(t, "small.json")
	for i := range p.Partnerships {
		p.Partnerships[i].Outage = &costmodel.Outage{
			DowntimeHours: d("7.2"), UptimeCommitment: d("0.999"), MonthlyFee: d("1000"), Direction: costmodel.CreditsEarned,
			Credits:     []costmodel.OutageCredit{{From: d("0.99"), To: d("0.999"), Share: d("0.1")}, {From: d("0"), To: d("0.99"), Share: d("0.25")}},
			Recovery:    d("0.4"),
			Contingency: &costmodel.OutageContingency{FallbackShare: d("0.5"), CostPerHour: d("10"), StandbyMonthly: d("20")},
		}
	}
	p.FX = []costmodel.FXRate{{Currency: "EUR", Rate: d("1.1")}}
	p.Partnerships[1].Currency = "EUR"
	return p
}

func TestOutageWorkbook(t *testing.T) {
	t.Parallel()
	p := withOutage(t)
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	pkg := writeBook(t, Options{Portfolio: p, Statement: st})
	f := openBook(t, pkg)
	rows, err := f.GetRows(SheetStatement, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	hoursCol, creditCol := lineCol(costmodel.LineOutageDowntime), lineCol(costmodel.LineOutageCredit)
	if rows[0][hoursCol-1] != costmodel.LineOutageDowntime.Label() {
		t.Fatalf("Statement column %d is %q, want the downtime memo", hoursCol, rows[0][hoursCol-1])
	}
	format := func(col, row int) string {
		id, err := f.GetCellStyle(SheetStatement, ref(col, row))
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if s.CustomNumFmt == nil {
			return ""
		}
		return *s.CustomNumFmt
	}
	seen := map[string]int{}
	for i := 1; i < len(rows); i++ {
		r := rows[i]
		if len(r) < hoursCol || r[hoursCol-1] == "" {
			continue
		}
		if got := format(hoursCol, i+1); got != quantityFormat {
			t.Errorf("Statement!%s: downtime in format %q, want %q (hours, not money)", ref(hoursCol, i+1), got, quantityFormat)
		}
		if got := format(creditCol, i+1); got == quantityFormat {
			t.Errorf("Statement!%s: the credit line in the hours format", ref(creditCol, i+1))
		}
		v, err := strconv.ParseFloat(r[hoursCol-1], 64)
		if err != nil {
			t.Fatalf("Statement!%s = %q", ref(hoursCol, i+1), r[hoursCol-1])
		}
		// A month of one partnership: 7.2 hours, also for the EUR
		// partnership (no FX); its horizon 21.6; a month of the
		// portfolio 14.4 and its horizon 43.2 (partnership-hours).
		switch v {
		case 0, 7.2, 21.6, 14.4, 43.2:
			seen[r[stPartnership-1]]++
		default:
			t.Errorf("Statement!%s = %v hours, want 7.2, 14.4, 21.6 or 43.2", ref(hoursCol, i+1), v)
		}
	}
	if seen["shop"] == 0 || seen["market"] == 0 {
		t.Errorf("downtime cells by partnership: %v", seen)
	}
	if !st.Portfolio.Total[costmodel.LineOutageDowntime].Equal(decimal.RequireFromString("43.2")) {
		t.Errorf("portfolio downtime %s hours, want 43.2", st.Portfolio.Total[costmodel.LineOutageDowntime])
	}
	if requireLibreOffice(t) != "" {
		checkParity(t, pkg)
	}
}

// TestOutageCSVHours: in a JPY portfolio (no minor unit) the CSV keeps
// the downtime memo's hours as given, 7.25, not rounded to yen, while
// the money lines have no decimals.
func TestOutageCSVHours(t *testing.T) {
	t.Parallel()
	p := withOutage(t)
	p.Currency = "JPY"
	p.Partnerships[0].Outage.DowntimeHours = decimal.RequireFromString("7.25")
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	if err := WriteStatementCSV(&buf, st); err != nil {
		t.Fatal(err)
	}
	hours, credit := 0, 0
	for _, rec := range strings.Split(buf.String(), "\n") {
		f := strings.Split(rec, ",")
		if len(f) < 6 || f[0] != "market" {
			continue
		}
		switch f[4] {
		case costmodel.LineOutageDowntime.String():
			hours++
			if f[5] != "7.25" {
				t.Errorf("CSV %q: downtime %s hours, want 7.25", rec, f[5])
			}
		case costmodel.LineOutageCredit.String():
			credit++
			if strings.Contains(f[5], ".") {
				t.Errorf("CSV %q: a yen amount with decimals", rec)
			}
		}
	}
	if hours != p.Months || credit != p.Months {
		t.Errorf("CSV: %d downtime and %d credit records of market, want %d each", hours, credit, p.Months)
	}
}
