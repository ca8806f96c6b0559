package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// TestRenegotiationSheet reads the Renegotiation sheet of the Larkspur
// review (eBay, proposed: its commission 2 points up): the terms side by
// side with the current ones live on the Assumptions, the minimum
// guarantee among them; both sides' inputs; the bargaining range and the
// Nash rate with gains that add up to the surplus and split it by the
// weights; the curve of gains across rates with its chart over the
// curve's own cells.
func TestRenegotiationSheet(t *testing.T) {
	t.Parallel()
	opt := larkspurOptions(t)
	fs := opt.Fairness
	data := writeBook(t, opt)
	f := openBook(t, data)
	rows, err := f.GetRows(SheetRenegotiation, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	find := func(label string) int {
		t.Helper()
		for i, r := range rows {
			if len(r) > 0 && r[0] == label {
				return i + 1
			}
		}
		t.Fatalf("no row %q on the Renegotiation sheet", label)
		return 0
	}
	cell := func(c, r int) float64 {
		t.Helper()
		v, err := f.GetCellValue(SheetRenegotiation, ref(c, r), excelizeRaw())
		if err != nil {
			t.Fatal(err)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s is %q, not a number", ref(c, r), v)
		}
		return x
	}
	near := func(what string, got float64, want decimal.Decimal, tol float64) {
		t.Helper()
		if w := want.InexactFloat64(); math.Abs(got-w) > tol {
			t.Errorf("%s: %v, want %v (± %g)", what, got, w, tol)
		}
	}
	formula := func(c, r int) string {
		fm, err := f.GetCellFormula(SheetRenegotiation, ref(c, r))
		if err != nil {
			t.Fatal(err)
		}
		return fm
	}
	driver := func(address string) decimal.Decimal {
		ds, err := opt.Portfolio.Match(address)
		if err != nil || len(ds) != 1 {
			t.Fatalf("%s: %v %v", address, ds, err)
		}
		return ds[0].Value
	}

	// The terms: current live on the Assumptions, proposed 2 points up.
	r := find("Commission: rate")
	rate := driver("ebay/commission/rate")
	if fm := formula(2, r); fm != assumptionName(t, "ebay/commission/rate") {
		t.Errorf("current commission rate =%s, want the Assumptions' name of ebay/commission/rate", fm)
	}
	near("current rate", cell(2, r), rate, 0)
	near("proposed rate", cell(3, r), rate.Add(dec("0.02")), 1e-12)
	near("rate change (pp)", cell(4, r), dec("2"), 1e-9)
	r = find("Minimum guarantee per month (0: none)")
	if fm := formula(2, r); fm != assumptionName(t, "ebay/minimum_commission") {
		t.Errorf("current minimum guarantee =%s", fm)
	}
	mg := driver("ebay/minimum_commission")
	near("current minimum guarantee", cell(2, r), mg, 0)
	near("proposed minimum guarantee (unchanged by the fee rise)", cell(3, r), mg, 0)
	near("minimum guarantee change", cell(4, r), decimal.Zero, 0)
	r = find("Our value over the horizon")
	near("our value, current", cell(2, r), fs.Current.Ours, 0.005)
	near("our value, proposed", cell(3, r), fs.Proposed.Ours, 0.005)
	near("our value, change", cell(4, r), fs.Proposed.Ours.Sub(fs.Current.Ours), 0.005)

	// The inputs: the partner's cost per order, the weights 50/50.
	near("partner's cost per order", cell(3, find("Partner's cost to serve, per order")), dec("0.50"), 0)
	r = find("Bargaining weight (share of the surplus)")
	if cell(2, r)+cell(3, r) != 1 || cell(2, r) != 0.5 {
		t.Errorf("weights %v and %v, want 0.5 each", cell(2, r), cell(3, r))
	}

	// The range and the Nash rate.
	if !fs.HasRange || !fs.Nash.Valid {
		t.Fatalf("the Larkspur eBay negotiation has no range: %+v", fs)
	}
	near("break-even", cell(2, find("Our break-even rate (the most we can pay)")), fs.OurBreakEven.Amount, 0)
	near("floor", cell(2, find("Partner's floor rate (the least it accepts)")), fs.PartnerFloor.Amount, 0)
	if lo, hi, nash := fs.PartnerFloor.Amount, fs.OurBreakEven.Amount, fs.Nash.Amount; nash.LessThan(lo) || nash.GreaterThan(hi) {
		t.Errorf("Nash %s outside the range %s–%s", nash, lo, hi)
	}
	r = find("Nash rate (surplus split by the weights)")
	near("Nash", cell(2, r), fs.Nash.Amount, 0)
	ours, theirs := cell(5, r), cell(6, r)
	// the gains add up to the surplus (to the cent: each is a value − a
	// no-deal outcome) and, weights 50/50, are equal to within what the
	// rate's solve tolerance moves them: 1e-6 of the surplus
	near("gains at the Nash rate", ours+theirs, fs.Surplus, 0.01)
	if math.Abs(ours-theirs) > 1e-6*fs.Surplus.InexactFloat64() {
		t.Errorf("gains at the Nash rate %v and %v: not split 50/50", ours, theirs)
	}
	near("joint surplus", cell(2, find("Joint surplus (the same at every flat rate)")), fs.Surplus, 0.005)
	r = find("Current terms")
	near("our gain, current terms", cell(5, r), fs.Current.Ours.Sub(fs.Negotiation.OurNoDeal), 0.005)

	// The curve: CurvePoints rates from 0 to CurveMax, each side's gain,
	// the two adding up to the surplus at every rate; ours falls and the
	// partner's rises with the rate.
	head := find("Rate")
	if len(fs.Curve) != scenario.CurvePoints {
		t.Fatalf("%d curve points", len(fs.Curve))
	}
	step := fs.CurveMax.InexactFloat64() / float64(scenario.CurvePoints-1)
	for k := range fs.Curve {
		r := head + 1 + k
		if got := cell(1, r); math.Abs(got-step*float64(k)) > 1e-9 {
			t.Errorf("curve rate %d: %v, want %v", k, got, step*float64(k))
		}
		near(fmt.Sprintf("curve %d: joint surplus", k), cell(4, r), fs.Surplus, 0.01)
		near(fmt.Sprintf("curve %d: our gain", k), cell(2, r), fs.Curve[k].Ours.Sub(fs.Negotiation.OurNoDeal), 0.005)
		if k > 0 && (cell(2, r) > cell(2, r-1)+0.005 || cell(3, r) < cell(3, r-1)-0.005) {
			t.Errorf("curve %d: our gain %v after %v, partner's %v after %v", k, cell(2, r), cell(2, r-1), cell(3, r), cell(3, r-1))
		}
	}
	// The chart's series are the curve's two gain columns.
	last := head + scenario.CurvePoints
	want := []string{
		fmt.Sprintf("'Renegotiation'!$B$%d:$B$%d", head+1, last),
		fmt.Sprintf("'Renegotiation'!$C$%d:$C$%d", head+1, last),
		fmt.Sprintf("'Renegotiation'!$A$%d:$A$%d", head+1, last),
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, _ := io.ReadAll(rc)
		rc.Close()
		all := true
		for _, w := range want {
			all = all && strings.Contains(unescapeXML(string(xml)), w)
		}
		found = found || all
	}
	if !found {
		t.Errorf("no chart with the series %v", want)
	}
}

// assumptionName is the defined name of a driver's Assumptions cell.
func assumptionName(t *testing.T, address string) string {
	t.Helper()
	n, err := definedName(address)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
