package report

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
)

// smallDeal is a deal on testdata/small.json's "market" partnership
// (Nov 2026 – Jan 2027): two tranches, the second on November's GMV,
// a hazard, and a weekly payout cycle with a reserve; smallDealOptions
// gives the partnership outage terms (smallOutage), whose credit
// schedule the sheet shows.
const smallDeal = `{"partnership": "market", "investment": "1500",
 "tranches": [
  {"month": "2026-11", "amount": "1000"},
  {"month": "2026-12", "amount": "500", "on_miss": "stop", "exit_cost": "200",
   "milestone": {"metric": "gmv", "at_least": "100", "window": {"kind": "month", "month": "2026-11"}}}],
 "exit": {"monthly_hazard": "0.02", "migration_cost": "800"},
 "payout": {"every_days": 7, "first_payout": "2026-11-06", "reserve_share": "0.1", "reserve_days": 28}}`

// smallOutage is market's outage terms: 7.2 hours down a month is 99 %
// uptime in November (720 hours, the lower edge of the 10 % band) and
// 99.03 % in December and January (744 hours).
const smallOutage = `{"downtime_hours": "7.2", "uptime_commitment": "0.999", "monthly_fee": "300", "direction": "earned",
   "credits": [{"from": "0.99", "to": "0.999", "share": "0.1"}, {"from": "0", "to": "0.99", "share": "0.3"}],
   "recovery": "0.5", "contingency": {"fallback_share": "0.5", "cost_per_hour": "2", "standby_monthly": "10"}}`

func smallDealOptions(t testing.TB) Options {
	t.Helper()
	p := loadPortfolio(t, "small.json")
	var o costmodel.Outage
	if err := costmodel.DecodeStrict([]byte(smallOutage), &o); err != nil {
		t.Fatal(err)
	}
	p.Partnerships[0].Outage = &o
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	terms, err := deal.Load(strings.NewReader(smallDeal), st)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := deal.Evaluate(terms, st)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Portfolio: p, Statement: st, Deal: &DealSheet{Terms: terms, Plan: plan}}
}

// TestDealSheetFormulas: the sheet holds XNPV and XIRR as formulas over
// the dated flows, cached with the plan's values.
func TestDealSheetFormulas(t *testing.T) {
	t.Parallel()
	opt := smallDealOptions(t)
	f := openBook(t, writeBook(t, opt))
	defer f.Close()
	rows, err := f.GetRows(SheetDeal)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for r := range rows {
		for c := range rows[r] {
			cell := ref(c+1, r+1)
			fm, err := f.GetCellFormula(SheetDeal, cell)
			if err != nil {
				t.Fatal(err)
			}
			for _, fn := range []string{"XNPV(", "XIRR("} {
				if strings.HasPrefix(fm, fn) {
					found[fn] = true
				}
			}
		}
	}
	// The credit schedule is the partnership's outage terms: 10 % and
	// 30 % of the 300 fee.
	var credits []string
	for r := range rows {
		if len(rows[r]) > 0 && rows[r][0] == "Service credits: uptime from" && r+3 < len(rows) {
			for _, b := range rows[r+2 : r+4] {
				credits = append(credits, b[3])
			}
		}
	}
	if strings.Join(credits, " ") != "$30.00 $90.00" {
		t.Errorf("credit schedule %q, want $30.00 and $90.00", credits)
	}
	if !found["XNPV("] || !found["XIRR("] {
		t.Errorf("formulas found %v, want XNPV and XIRR", found)
	}
	if opt.Deal.Plan.XIRRErr != nil {
		t.Errorf("the plan has no XIRR: %v", opt.Deal.Plan.XIRRErr)
	}
}

// TestDealSheetLibreOffice: every formula of the workbook with the Deal
// terms sheet, XNPV and XIRR included, recalculates in LibreOffice to its
// cached value within half a cent.
func TestDealSheetLibreOffice(t *testing.T) {
	t.Parallel()
	requireLibreOffice(t)
	n := checkLibreOfficeParity(t, writeBook(t, smallDealOptions(t)), halfCent)
	t.Logf("compared %d formula cells", n)
}
