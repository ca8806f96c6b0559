package report

import (
	"math"
	"strconv"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// TestFairnessSheet: the shares along a volume path, the partner's share
// as 1 − ours, the incentive flag of an all-units cliff, the Shapley
// table and its transfers, all where the sheet says.
func TestFairnessSheet(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	mp := &p.Partnerships[0]
	mp.Commission.Rate = decimal.Zero
	up := decimal.RequireFromString("300")
	mp.Commission.TierBasis, mp.Commission.TierMode = costmodel.MonthlyOrders, costmodel.AllUnits
	mp.Commission.Tiers = []costmodel.Tier{{UpTo: &up, Rate: decimal.RequireFromString("0.15")}, {Rate: decimal.RequireFromString("0.05")}}
	mp.Partner = &costmodel.PartnerSide{PerOrder: decimal.RequireFromString("0.5")}
	b := scenario.Bargain{Partnership: "market"}
	vols, err := b.AlongVolumes(p, nil, scenario.VolumePath{Scales: scenario.ScalePath(decimal.RequireFromString("0.5"), decimal.RequireFromString("3"), decimal.RequireFromString("0.5"))})
	if err != nil {
		t.Fatal(err)
	}
	if vols.CurrentPasses || len(vols.Flags) == 0 {
		t.Fatalf("no cliff flagged: %+v", vols.Flags)
	}
	v := decimal.RequireFromString
	sp := &scenario.ShapleySplit{Parties: []string{"us", "them"}, Values: []decimal.Decimal{v("0"), v("10"), v("20"), v("60")},
		Shapley: []decimal.Decimal{v("25"), v("35")}, Grand: []decimal.Decimal{v("30"), v("30")}, Transfer: []decimal.Decimal{v("-5"), v("5")}}
	f := openBook(t, writeBook(t, Options{Portfolio: p, FairnessReview: &FairnessReview{Volumes: vols, Shapley: sp}}))
	rows, err := f.GetRows(SheetFairness, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	head := -1
	for i, r := range rows {
		if len(r) > 3 && r[0] == "Orders" && r[3] == "Our share, current" {
			head = i
		}
	}
	if head < 0 {
		t.Fatal("no shares table")
	}
	for k, pt := range vols.Points {
		r := rows[head+1+k]
		got, _ := strconv.ParseFloat(r[3], 64)
		if math.Abs(got-pt.Current.OurShare.Amount.InexactFloat64()) > 1e-12 {
			t.Errorf("point %d: our share %v, want %s", k, got, pt.Current.OurShare.Amount)
		}
		cell := ref(5, head+2+k)
		if fm, _ := f.GetCellFormula(SheetFairness, cell); fm != "1-"+ref(4, head+2+k) {
			t.Errorf("%s: partner's share formula %q", cell, fm)
		}
	}
	var flagged, shapley bool
	for _, r := range rows {
		if len(r) > 4 && r[0] == "current" && r[1] == "partner" {
			flagged = true
			if got, _ := strconv.ParseFloat(r[4], 64); got != vols.Flags[0].Lost.InexactFloat64() {
				t.Errorf("lost %v, want %s", got, vols.Flags[0].Lost)
			}
		}
		if len(r) > 3 && r[0] == "them" {
			shapley = r[1] == "35" && r[2] == "30" && r[3] == "5"
		}
	}
	if !flagged || !shapley {
		t.Errorf("flag row %v, Shapley row %v", flagged, shapley)
	}
}

// TestFairnessSheetZeroParts: zero-valued parts (no points, no drivers,
// no trials) write a sheet, without a panic or a NaN.
func TestFairnessSheetZeroParts(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "small.json")
	writeBook(t, Options{Portfolio: p, FairnessReview: &FairnessReview{Volumes: &scenario.VolumeReport{Partnership: "market", HasProposed: true},
		Fair: &scenario.FairSchedule{}, Shapley: &scenario.ShapleySplit{}, Uncertainty: &montecarlo.FairnessResult{HasProposed: true}}})
}
