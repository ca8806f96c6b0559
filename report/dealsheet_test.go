package report

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
)

// smallDeal is a deal on testdata/small.json's "market" partnership
// (Nov 2026 – Jan 2027): two tranches, the second on November's GMV,
// service credits, a hazard, and a weekly payout cycle with a reserve.
const smallDeal = `{"partnership": "market", "investment": "1500",
 "tranches": [
  {"month": "2026-11", "amount": "1000"},
  {"month": "2026-12", "amount": "500", "on_miss": "stop", "exit_cost": "200",
   "milestone": {"metric": "gmv", "at_least": "100", "window": {"kind": "month", "month": "2026-11"}}}],
 "service": {"uptime_commitment": "0.999", "monthly_fee": "300", "direction": "earned",
   "incidents_per_month": 0.5, "duration_mean_hours": 2, "duration_sd_hours": 2,
   "credits": [{"from": "0.99", "to": "0.999", "share": "0.1"}, {"from": "0", "to": "0.99", "share": "0.3"}]},
 "exit": {"monthly_hazard": "0.02", "migration_cost": "800"},
 "payout": {"every_days": 7, "first_payout": "2026-11-06", "reserve_share": "0.1", "reserve_days": 28}}`

func smallDealOptions(t testing.TB) Options {
	t.Helper()
	p := loadPortfolio(t, "small.json")
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
