package costmodel

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// parityStats are the largest deviations of the float path from the
// decimal statement found by one parity check, in minor units (cents).
type parityStats struct {
	base, trueUp, subtotal, total, npv float64
	values                             int
}

func (s parityStats) String() string {
	return fmt.Sprintf("%d values compared; max |float − decimal| in minor units: base line %.3g, true-up %.3g, subtotal line %.3g, horizon total %.3g, NPV %.3g",
		s.values, s.base, s.trueUp, s.subtotal, s.total, s.npv)
}

func (s *parityStats) merge(o parityStats) {
	s.base = max(s.base, o.base)
	s.trueUp = max(s.trueUp, o.trueUp)
	s.subtotal = max(s.subtotal, o.subtotal)
	s.total = max(s.total, o.total)
	s.npv = max(s.npv, o.npv)
	s.values += o.values
}

// lineTol is how far the float line may be from the statement's: half a
// minor unit for a base line (trueUp for the true-up line, whose float
// form subtracts unrounded commission lines), the sum of its base lines'
// tolerances for a subtotal.
func lineTol(l Line, half, trueUp float64) float64 {
	terms := l.Terms()
	if terms == nil {
		if l == LineCommissionTrueUp {
			return trueUp
		}
		return half
	}
	s := 0.0
	for _, tm := range terms {
		s += lineTol(tm.Line, half, trueUp)
	}
	return s
}

// checkParity compares a float result with the decimal statement of the
// same portfolio and drivers: every line of every row and month, the
// horizon totals, orders, monthly cash flows, NPVs and payback months.
func checkParity(t testing.TB, name string, st *Statement, c *Compiled, r *FloatResult) parityStats {
	t.Helper()
	var stats parityStats
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs < 12 {
			t.Errorf(name+": "+format, args...)
		}
		errs++
	}
	half := 0.5 * math.Pow(10, -float64(st.Currency.MinorUnit))
	M := c.Months()
	cmp := func(what string, got float64, want Amounts, l Line, tol float64, class *float64) {
		t.Helper()
		w := want[l].InexactFloat64()
		dev := math.Abs(got - w)
		stats.values++
		if math.IsNaN(got) || math.IsInf(got, 0) || dev > tol+1e-9*math.Abs(w) {
			fail("%s %s = %.6f, decimal %s (|Δ| %.3g > %.3g)", what, l, got, want[l], dev, tol)
		}
		*class = max(*class, dev/(2*half))
	}
	cmpLines := func(what string, got []float64, want Amounts, scale, trueUp float64, total bool) {
		t.Helper()
		for l := Line(0); l < NumLines; l++ {
			class := &stats.base
			switch {
			case total:
				class = &stats.total
			case l.IsSubtotal():
				class = &stats.subtotal
			case l == LineCommissionTrueUp:
				class = &stats.trueUp
			}
			cmp(what, got[l], want, l, scale*lineTol(l, half, trueUp), class)
		}
	}
	if len(st.Partnerships) != len(c.Partnerships()) {
		t.Fatalf("%s: %d partnerships compiled, %d in the statement", name, len(c.Partnerships()), len(st.Partnerships))
	}
	ncfTol := 0.0 // the portfolio's per-month net cash flow tolerance
	for i, cp := range c.Partnerships() {
		ps := &st.Partnerships[i]
		if ps.ID != cp.ID || len(ps.Categories) != len(cp.Categories) {
			t.Fatalf("%s: partnership %d is %s with %d categories, statement has %s with %d", name, i, cp.ID, len(cp.Categories), ps.ID, len(ps.Categories))
		}
		trueUp := half * float64(1+2*len(cp.Categories))
		for j := range ps.Categories {
			cs := &ps.Categories[j]
			row := cp.Row + j
			what := ps.ID + "/" + cs.ID
			for m := range M {
				cmpLines(fmt.Sprintf("%s month %d", what, m), r.Month(row, m), cs.Monthly[m], 1, half, false)
				if got, want := r.Orders[row*M+m], cs.Orders[m].InexactFloat64(); math.Abs(got-want) > 1e-9+1e-12*math.Abs(want) {
					fail("%s month %d orders = %v, decimal %s", what, m, got, cs.Orders[m])
				}
			}
			cmpLines(what+" total", r.RowTotal(row), cs.Total, float64(M), half, true)
		}
		for m := range M {
			cmpLines(fmt.Sprintf("%s/(own) month %d", ps.ID, m), r.Month(cp.OwnRow(), m), ps.Own.Monthly[m], 1, trueUp, false)
			if r.Orders[cp.OwnRow()*M+m] != 0 {
				fail("%s/(own) month %d has orders", ps.ID, m)
			}
		}
		cmpLines(ps.ID+"/(own) total", r.RowTotal(cp.OwnRow()), ps.Own.Total, float64(M), trueUp, true)
		// Partnership totals: every row's tolerance adds up.
		scale := float64(M) * (float64(len(cp.Categories)) + 1)
		cmpLines(ps.ID+" total", r.PartnershipTotal(i), ps.Total.Total, scale, trueUp, true)
		// The partnership's monthly net cash flow sums its rows'.
		pncf := float64(len(cp.Categories))*lineTol(LineNetCashFlow, half, half) + lineTol(LineNetCashFlow, half, trueUp)
		ncfTol += pncf
		for m := range M {
			got, want := r.PartnershipCashFlow[i*M+m], ps.Total.Monthly[m][LineNetCashFlow].InexactFloat64()
			if math.Abs(got-want) > pncf+1e-9*math.Abs(want) {
				fail("%s month %d net cash flow = %.6f, decimal %.2f", ps.ID, m, got, want)
			}
		}
		if got, want := r.PartnershipOrders[i], ps.Total.TotalOrders().InexactFloat64(); math.Abs(got-want) > 1e-6+1e-12*want {
			fail("%s orders = %v, decimal %v", ps.ID, got, want)
		}
		npvTol := 2*half + float64(M)*pncf
		if dev := math.Abs(r.PartnershipNPV[i] - ps.Measures.NPV.InexactFloat64()); dev > npvTol+1e-9*math.Abs(r.PartnershipNPV[i]) {
			fail("%s NPV = %.6f, decimal %s", ps.ID, r.PartnershipNPV[i], ps.Measures.NPV)
		} else {
			stats.npv = max(stats.npv, dev/(2*half))
		}
		if want := ps.Measures.Payback; r.PartnershipPayback[i] != want.Month || (want.Month != 0) != want.Reached {
			fail("%s payback month %d, decimal %+v", ps.ID, r.PartnershipPayback[i], want)
		}
	}
	nrows := float64(c.Rows())
	cmpLines("portfolio total", r.Total[:], st.Portfolio.Total, float64(M)*nrows*float64(1+2*c.maxCategories()), half, true)
	if dev := math.Abs(r.NPV - st.Measures.NPV.InexactFloat64()); dev > 2*half+float64(M)*ncfTol+1e-9*math.Abs(r.NPV) {
		fail("portfolio NPV = %.6f, decimal %s", r.NPV, st.Measures.NPV)
	} else {
		stats.npv = max(stats.npv, dev/(2*half))
	}
	if want := st.Measures.Payback; r.Payback != want.Month {
		fail("portfolio payback month %d, decimal %+v", r.Payback, want)
	}
	if got, want := r.TotalOrders, st.Portfolio.TotalOrders().InexactFloat64(); math.Abs(got-want) > 1e-6+1e-12*want {
		fail("portfolio orders = %v, decimal %v", got, want)
	}
	for m := range M {
		got, want := r.CashFlow[m], st.Portfolio.Monthly[m][LineNetCashFlow].InexactFloat64()
		if math.Abs(got-want) > ncfTol+1e-9*math.Abs(want) {
			fail("portfolio month %d net cash flow = %.6f, decimal %.2f", m, got, want)
		}
	}
	if errs > 12 {
		t.Errorf("%s: %d more deviations", name, errs-12)
	}
	return stats
}

// maxCategories is the most categories any partnership has (for the
// true-up tolerance of portfolio totals).
func (c *Compiled) maxCategories() int {
	n := 0
	for _, cp := range c.info {
		n = max(n, len(cp.Categories))
	}
	return n
}

// CheckCompiledParity exposes the parity check to the external test
// package, which can build the benchmark portfolio.
var CheckCompiledParity = func(t testing.TB, name string, p *Portfolio) fmt.Stringer {
	t.Helper()
	return parity(t, name, p)
}

// parity compiles and evaluates p both ways at its base values and
// compares them.
func parity(t testing.TB, name string, p *Portfolio) parityStats {
	t.Helper()
	c, err := Compile(p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r := c.NewResult()
	c.Eval(c.Base(nil), nil, r)
	return checkParity(t, name, evalT(t, p), c, r)
}

func TestCompiledParityTestdata(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata portfolios: %v %v", files, err)
	}
	var all parityStats
	for _, f := range files {
		name := filepath.Base(f)
		s := parity(t, name, loadTestdata(t, name))
		t.Logf("%s: %v", name, s)
		all.merge(s)
	}
	t.Logf("all testdata: %v", all)
}

// variants returns larkspur with the structures it lacks: volume-tiered
// terms read against orders and GMV (shared by several categories, one
// category without orders), a per-item cap, a payment cap, a shifted
// allowance, a late launch with a ramp, an amortisation past the horizon,
// a decline, and a currency without minor units.
func variants(t testing.TB) map[string]*Portfolio {
	base := loadTestdata(t, "larkspur.json")
	out := map[string]*Portfolio{}
	p := base.Clone()
	feed := partnership(t, p, "feedlink")
	feed.Commission = &Commission{
		Tiers:      []Tier{{UpTo: dp("1000"), Rate: d("0.06")}, {UpTo: dp("2000"), Rate: d("0.05")}, {Rate: d("0.04")}},
		TierMode:   AllUnits,
		TierBasis:  MonthlyOrders,
		Refund:     &RefundTerms{AdminFixed: dp("0.40"), AdminRate: d("0.2")},
		CapPerItem: dp("1.60"), MinPerItem: d("0.25"),
	}
	feed.DataTransfer.Pricing.AllowanceMode = Shift
	feed.Setup[0].AmortMonths = 48
	feed.Setup[1].AmortMonths = 7
	ebay := partnership(t, p, "ebay")
	ebay.Commission.Rate = d("0")
	ebay.Commission.Tiers = []Tier{{UpTo: dp("15000"), Rate: d("0.14")}, {UpTo: dp("30000"), Rate: d("0.11")}, {Rate: d("0.09")}}
	ebay.Commission.TierMode = Marginal
	ebay.Commission.TierBasis = MonthlyGMV
	ebay.Commission.CapPerItem = dp("4.00")
	ebay.LaunchMonth = 7
	ebay.Categories[1].RampMonths = 40
	ebay.Categories[1].RampStart = d("0.1")
	ebay.Categories[0].Growth = d("-0.35")
	ebay.MinimumCommission = d("900")
	shop := partnership(t, p, "own-shop")
	shop.Payment.Cap = dp("0.95")
	// Volume tiers of one category's own; shipping in a per-item fee base.
	amz := partnership(t, p, "amazon-us")
	amz.Categories[2].ShippingCharge = d("1.12")
	amz.Categories[2].UnitsPerOrder = d("1")
	// An order total on the per-order threshold: 38.00 × 1.1 + 6.00 =
	// 47.80, which float arithmetic puts a few ulps above.
	etsy := partnership(t, p, "etsy")
	etsy.Commission.PerOrderThreshold = dp("47.80")
	etsy.Commission.PerOrderFeeAbove = d("0.45")
	amz.Categories[3].Commission = &Commission{
		Tiers:      []Tier{{UpTo: dp("150"), Rate: d("0.15")}, {Rate: d("0.11")}},
		TierMode:   Marginal,
		TierBasis:  MonthlyOrders,
		MinPerItem: d("0.30"), PerOrderFee: d("0.99"),
	}
	// A partnership without categories: running costs only.
	p.Partnerships = append(p.Partnerships, Partnership{
		ID: "hosting", Channel: "infrastructure", LaunchMonth: 5,
		Setup:       []SetupItem{{ID: "migration", Amount: d("12345.67"), Month: 2, AmortMonths: 5}},
		Maintenance: []MaintenanceItem{{ID: "servers", Monthly: d("812.5")}},
		Support:     &Support{StaffMonthly: d("300")},
	})
	out["larkspur+variants"] = p

	q := p.Clone()
	partnership(t, q, "feedlink").Categories[0].Orders = d("0")
	partnership(t, q, "ebay").Categories[0].Orders = d("0")
	partnership(t, q, "ebay").Categories[1].Orders = d("0")
	out["larkspur+variants, no orders"] = q

	y := p.Clone()
	y.Currency = "JPY"
	y.DiscountRate = d("0")
	out["larkspur+variants in JPY"] = y
	return out
}

func partnership(t testing.TB, p *Portfolio, id string) *Partnership {
	t.Helper()
	for i := range p.Partnerships {
		if p.Partnerships[i].ID == id {
			return &p.Partnerships[i]
		}
	}
	t.Fatalf("no partnership %s", id)
	return nil
}

func TestCompiledParityVariants(t *testing.T) {
	t.Parallel()
	for name, p := range variants(t) {
		t.Logf("%s: %v", name, parity(t, name, p))
	}
}

// TestCompiledMovedDriver moves one driver at a time in x and in a clone
// of the portfolio (Portfolio.Set) and compares the two paths.
func TestCompiledMovedDriver(t *testing.T) {
	t.Parallel()
	ports := variants(t)
	ports["larkspur"] = loadTestdata(t, "larkspur.json")
	moves := []struct{ port, addr, value string }{
		{"larkspur", "amazon-us/beauty/commission/tier/1/rate", "0.09"},
		{"larkspur", "amazon-us/beauty/commission/tier/1/up_to", "8.99"}, // a price exactly on the bound
		{"larkspur", "amazon-us/clothing/commission/tier/2/up_to", "35"},
		{"larkspur", "amazon-us/electronics-accessories/commission/tier/1/up_to", "29.99"},
		{"larkspur", "amazon-us/electronics-accessories/commission/refund/admin_fixed", "0.5"},
		{"larkspur", "amazon-us/furniture/price_mix/1/price", "199.99"},
		{"larkspur", "amazon-us/beauty/unit_cost", "6.15"},
		{"larkspur", "ebay/commission/rate", "0.1235"},
		{"larkspur", "ebay/commission/per_order_threshold", "28.95"}, // an order total exactly on it
		{"larkspur", "ebay/home/seasonality/nov", "2.5"},
		{"larkspur", "etsy/home/return_rate", "0.3"},
		{"larkspur", "etsy/payment/rate", "0.05"},
		{"larkspur", "own-shop/beauty/orders", "1537.5"},
		{"larkspur", "own-shop/beauty/ramp_start", "0.9"},
		{"larkspur", "own-shop/home/growth", "-0.3"},
		{"larkspur", "own-shop/setup/site-build/amount", "31234.57"},
		{"larkspur", "own-shop/marketing/rate", "0.2"},
		{"larkspur", "feedlink/minimum_commission", "5000"},
		{"larkspur", "feedlink/data_transfer/band/1/up_to", "900"},
		{"larkspur", "feedlink/data_transfer/allowance", "850"},
		{"larkspur", "feedlink/api/band/1/up_to", "3.5"},
		{"larkspur", "feedlink/support/cost_per_ticket", "11"},
		{"larkspur", "portfolio/discount_rate", "0.25"},
		{"larkspur", "portfolio/discount_rate", "-0.5"},
		{"larkspur+variants", "feedlink/commission/tier/1/up_to", "1500"},
		{"larkspur+variants", "feedlink/commission/tier/2/rate", "0.07"},
		{"larkspur+variants", "feedlink/beauty/orders", "500"},
		{"larkspur+variants", "ebay/commission/tier/2/up_to", "20000"},
		{"larkspur+variants", "ebay/home/price_mix/2/price", "31"},
		{"larkspur+variants", "ebay/minimum_commission", "4000"},
		{"larkspur+variants", "own-shop/payment/cap", "0.6"},
		{"larkspur+variants", "feedlink/data_transfer/fixed_gb", "11000"},
		{"larkspur+variants", "amazon-us/clothing/commission/tier/1/up_to", "13.12"}, // 12 + 1.12 exactly on it (float: 13.120000000000001)
		{"larkspur+variants", "amazon-us/furniture/commission/tier/1/up_to", "40"},
		{"larkspur+variants", "hosting/setup/migration/amount", "99999.99"},
		{"larkspur+variants", "hosting/maintenance/servers/monthly", "0"},
	}
	var all parityStats
	for _, mv := range moves {
		name := mv.port + " " + mv.addr + "=" + mv.value
		p := ports[mv.port].Clone()
		c, err := Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Set(mv.addr, d(mv.value)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		st, err := Evaluate(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		i, ok := c.Index(mv.addr)
		if !ok {
			t.Fatalf("%s: no index", name)
		}
		x := c.Base(nil)
		x[i] = d(mv.value).InexactFloat64()
		r := c.NewResult()
		c.Eval(x, nil, r)
		all.merge(checkParity(t, name, st, c, r))
	}
	t.Logf("%d moves: %v", len(moves), all)
}

// sameResult reports the first value where a and b differ, bit for bit.
func sameResult(a, b *FloatResult) error {
	pairs := []struct {
		name string
		x, y []float64
	}{
		{"Lines", a.Lines, b.Lines}, {"Orders", a.Orders, b.Orders}, {"RowTotals", a.RowTotals, b.RowTotals},
		{"PartnershipTotals", a.PartnershipTotals, b.PartnershipTotals}, {"PartnershipOrders", a.PartnershipOrders, b.PartnershipOrders},
		{"PartnershipCashFlow", a.PartnershipCashFlow, b.PartnershipCashFlow}, {"PartnershipNPV", a.PartnershipNPV, b.PartnershipNPV},
		{"Total", a.Total[:], b.Total[:]}, {"CashFlow", a.CashFlow, b.CashFlow},
		{"NPV", []float64{a.NPV, a.TotalOrders}, []float64{b.NPV, b.TotalOrders}},
	}
	for _, p := range pairs {
		for i := range p.x {
			if math.Float64bits(p.x[i]) != math.Float64bits(p.y[i]) {
				return fmt.Errorf("%s[%d]: %v ≠ %v", p.name, i, p.x[i], p.y[i])
			}
		}
	}
	for i := range a.PartnershipPayback {
		if a.PartnershipPayback[i] != b.PartnershipPayback[i] {
			return fmt.Errorf("PartnershipPayback[%d]: %d ≠ %d", i, a.PartnershipPayback[i], b.PartnershipPayback[i])
		}
	}
	if a.Payback != b.Payback {
		return fmt.Errorf("Payback: %d ≠ %d", a.Payback, b.Payback)
	}
	return nil
}

// monthly returns MonthlyValues giving each driver of idx the value
// f(t, base) in month t.
func monthly(c *Compiled, x []float64, idx []int, f func(t int, base float64) float64) *MonthlyValues {
	mv := &MonthlyValues{Drivers: idx, Values: make([]float64, c.Months()*len(idx))}
	for t := range c.Months() {
		for k, i := range idx {
			mv.Values[t*len(idx)+k] = f(t, x[i])
		}
	}
	return mv
}

func indices(t testing.TB, c *Compiled, addrs ...string) []int {
	t.Helper()
	out := make([]int, len(addrs))
	for k, a := range addrs {
		i, ok := c.Index(a)
		if !ok {
			t.Fatalf("no driver %s", a)
		}
		out[k] = i
	}
	return out
}

func TestCompiledMonthlyValuesAtBase(t *testing.T) {
	t.Parallel()
	for name, p := range variants(t) {
		c, err := Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		x := c.Base(nil)
		want := c.NewResult()
		c.Eval(x, nil, want)
		// Drivers of every kind: volume, per-order coefficients, shared
		// volume-tiered terms, running costs, set-up, discounting.
		idx := indices(t, c, "amazon-us/beauty/orders", "ebay/commission/tier/1/rate", "etsy/home/return_rate",
			"feedlink/beauty/price", "own-shop/home/growth", "own-shop/setup/site-build/amount",
			"feedlink/api/band/1/price", "portfolio/discount_rate", "ebay/home/seasonality/nov", "own-shop/payment/cap")
		got := c.NewResult()
		c.Eval(x, monthly(c, x, idx, func(_ int, v float64) float64 { return v }), got)
		if err := sameResult(got, want); err != nil {
			t.Errorf("%s: base values every month: %v", name, err)
		}
		// Every driver at once.
		all := make([]int, c.NumDrivers())
		for i := range all {
			all[i] = i
		}
		c.Eval(x, monthly(c, x, all, func(_ int, v float64) float64 { return v }), got)
		if err := sameResult(got, want); err != nil {
			t.Errorf("%s: every driver monthly: %v", name, err)
		}
		// The result is overwritten: evaluating something else in between
		// leaves no trace.
		y := slices.Clone(x)
		for i := range y {
			y[i] *= 1.5
		}
		c.Eval(y, nil, got)
		c.Eval(x, nil, got)
		if err := sameResult(got, want); err != nil {
			t.Errorf("%s: re-evaluation: %v", name, err)
		}
	}
}

// TestCompiledMonthlyOrders doubles a category's orders in one month only:
// on the small portfolio (3 months) that equals doubling the month's
// seasonality in the decimal model.
func TestCompiledMonthlyOrders(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Base(nil)
	base := c.NewResult()
	c.Eval(x, nil, base)
	for t0, month := range []string{"nov", "dec", "jan"} {
		i := indices(t, c, "market/mugs/orders")
		mv := monthly(c, x, i, func(t int, v float64) float64 {
			if t == t0 {
				return 2 * v
			}
			return v
		})
		r := c.NewResult()
		c.Eval(x, mv, r)
		q := p.Clone()
		addr := "market/mugs/seasonality/" + month
		s, _ := q.Driver(addr)
		if _, err := q.Set(addr, s.Value.Mul(d("2"))); err != nil {
			t.Fatal(err)
		}
		t.Logf("orders ×2 in %s: %v", month, checkParity(t, "orders ×2 in "+month, evalT(t, q), c, r))
		for row := range c.Rows() {
			for m := range c.Months() {
				if m == t0 {
					continue
				}
				for l := Line(0); l < NumLines; l++ {
					if r.Line(row, m, l) != base.Line(row, m, l) {
						t.Errorf("orders ×2 in month %d: row %d month %d %s moved", t0, row, m, l)
					}
				}
			}
		}
	}
}

// TestCompiledMonthlyOrdersLarkspur doubles one category's orders in one
// month of 36 and checks by hand that only that month moves.
func TestCompiledMonthlyOrdersLarkspur(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "larkspur.json")
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Base(nil)
	base := c.NewResult()
	c.Eval(x, nil, base)
	const t0 = 14
	mv := monthly(c, x, indices(t, c, "own-shop/beauty/orders"), func(t int, v float64) float64 {
		if t == t0 {
			return 2 * v
		}
		return v
	})
	r := c.NewResult()
	c.Eval(x, mv, r)
	var shop CompiledPartnership
	for _, cp := range c.Partnerships() {
		if cp.ID == "own-shop" {
			shop = cp
		}
	}
	row := shop.Row // beauty
	for rr := range c.Rows() {
		for m := range c.Months() {
			for l := Line(0); l < NumLines; l++ {
				got, was := r.Line(rr, m, l), base.Line(rr, m, l)
				switch {
				case m != t0 || (rr != row && rr != shop.OwnRow()):
					if got != was {
						t.Errorf("row %d month %d %s moved: %v → %v", rr, m, l, was, got)
					}
				case rr == row && !l.IsSubtotal():
					want := 2 * was // every category line is proportional to orders
					if l == LineStorage {
						want = was
					}
					if math.Abs(got-want) > 1e-9*math.Abs(want) {
						t.Errorf("beauty month %d %s = %v, want %v", m, l, got, want)
					}
				}
			}
		}
	}
	own := shop.OwnRow()
	if got, want := r.Line(own, t0, LineSupport), 2*base.Line(own, t0, LineSupport)-base.Orders[(row+1)*c.Months()+t0]*35*4.5/1000; math.Abs(got-want) > 1e-9*want {
		t.Errorf("support month %d = %v, want %v", t0, got, want)
	}
	if got, want := r.Orders[row*c.Months()+t0], 2*base.Orders[row*c.Months()+t0]; got != want {
		t.Errorf("orders month %d = %v, want %v", t0, got, want)
	}
	dGMV := r.Line(row, t0, LineGMV) - base.Line(row, t0, LineGMV)
	if got := r.Total[LineGMV] - base.Total[LineGMV]; math.Abs(got-dGMV) > 1e-6 {
		t.Errorf("portfolio GMV moved by %v, the month by %v", got, dGMV)
	}
}

// TestCompiledMonthByMonth draws one driver afresh each month: the model
// is month by month, so each month's lines equal those of an evaluation
// with that month's value throughout.
func TestCompiledMonthByMonth(t *testing.T) {
	t.Parallel()
	p := variants(t)["larkspur+variants"]
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Base(nil)
	for _, addr := range []string{"etsy/commission/rate", "ebay/commission/tier/1/rate", "amazon-us/beauty/price_mix/2/price",
		"feedlink/home/units_per_order", "own-shop/home/growth", "own-shop/setup/site-build/amount", "feedlink/setup/onboarding-fee/amount",
		"feedlink/home/ramp_start", "amazon-us/beauty/orders", "ebay/home/seasonality/nov", "feedlink/minimum_commission"} {
		idx := indices(t, c, addr)
		value := func(m int, v float64) float64 { return v * (0.8 + 0.02*float64(m)) }
		r := c.NewResult()
		c.Eval(x, monthly(c, x, idx, value), r)
		one := c.NewResult()
		y := slices.Clone(x)
		for m := range c.Months() {
			y[idx[0]] = value(m, x[idx[0]])
			c.Eval(y, nil, one)
			for row := range c.Rows() {
				for l := Line(0); l < NumLines; l++ {
					// Growth compounds in one and is a power in the other.
					if got, want := r.Line(row, m, l), one.Line(row, m, l); math.Abs(got-want) > 1e-12*math.Abs(want) {
						t.Errorf("%s: row %d month %d %s = %v, want %v", addr, row, m, l, got, want)
					}
				}
			}
		}
	}
}

// adjusted returns larkspur+variants with month-limited adjustments of
// every kind of driver.
func adjusted(t testing.TB) *Portfolio {
	p := variants(t)["larkspur+variants"].Clone()
	p.Adjustments = []Adjustment{
		{Name: "peak", Target: "*/*/orders", Op: Multiply, Value: d("1.4"), From: 0, To: 35, CalendarMonths: []time.Month{time.November, time.December}},
		{Target: "amazon-us/beauty/commission/tier/1/rate", Op: Add, Value: d("0.02"), From: 5, To: 10},
		{Target: "ebay/commission/tier/1/up_to", Op: Multiply, Value: d("0.5"), From: 9, To: 30},
		{Target: "feedlink/commission/tier/*/rate", Op: Add, Value: d("0.01"), From: 9, To: 30},
		{Target: "own-shop/payment/cap", Op: SetTo, Value: d("0.5"), From: 20, To: 35},
		{Target: "feedlink/home/ramp_start", Op: SetTo, Value: d("0.6"), From: 4, To: 6},
		{Target: "*/*/orders", Op: Multiply, Value: d("0.5"), From: 30, To: 31},
		{Target: "feedlink/minimum_commission", Op: Add, Value: d("3000"), From: 14, To: 16},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompiledAdjustments holds the float path to Evaluate on a portfolio
// with month-limited adjustments, and to the same adjustments given as
// MonthlyValues (which is how montecarlo can apply them).
func TestCompiledAdjustments(t *testing.T) {
	t.Parallel()
	p := adjusted(t)
	t.Logf("adjusted: %v", parity(t, "adjusted", p))
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Base(nil)
	want := c.NewResult()
	c.Eval(x, nil, want)

	q := p.Clone()
	q.Adjustments = nil
	cq, err := Compile(q)
	if err != nil {
		t.Fatal(err)
	}
	mv := &MonthlyValues{}
	for i := range cq.NumDrivers() {
		mv.Drivers = append(mv.Drivers, i)
	}
	for m := range c.Months() {
		row := slices.Clone(x)
		for _, a := range p.Adjustments {
			if !a.active(p, m) {
				continue
			}
			ds, _ := p.Match(a.Target)
			for _, dr := range ds {
				i, _ := c.Index(dr.Address)
				switch a.Op {
				case Multiply:
					row[i] *= a.Value.InexactFloat64()
				case Add:
					row[i] += a.Value.InexactFloat64()
				default:
					row[i] = a.Value.InexactFloat64()
				}
			}
		}
		mv.Values = append(mv.Values, row...)
	}
	got := cq.NewResult()
	cq.Eval(x, mv, got)
	if err := sameResult(got, want); err != nil {
		t.Errorf("adjustments as monthly values: %v", err)
	}
	// Both together: monthly values under the adjustments.
	ord := indices(t, c, "etsy/home/orders")
	mv2 := monthly(c, x, ord, func(_ int, v float64) float64 { return v })
	both := c.NewResult()
	c.Eval(x, mv2, both)
	if err := sameResult(both, want); err != nil {
		t.Errorf("adjustments and base monthly values: %v", err)
	}
}

// TestDeriveFollowsTerms holds the float subtotals to Line.Terms: the
// same terms, summed in the same order, so bit for bit.
func TestDeriveFollowsTerms(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		var a, b [NumLines]float64
		for l := range a {
			a[l] = (rng.Float64() - 0.3) * math.Pow(10, float64(rng.IntN(14)-4))
		}
		b = a
		deriveFloat(&a)
		for l := Line(0); l < NumLines; l++ { // as Amounts.derive
			terms := l.Terms()
			if terms == nil {
				continue
			}
			s := 0.0
			for _, tm := range terms {
				if tm.Sign > 0 {
					s += b[tm.Line]
				} else {
					s -= b[tm.Line]
				}
			}
			b[l] = s
		}
		if a != b {
			t.Fatalf("deriveFloat = %v, Terms give %v", a, b)
		}
	}
}

// TestCompiledConcurrent evaluates one Compiled from several goroutines,
// each with its own result (run with -race).
func TestCompiledConcurrent(t *testing.T) {
	t.Parallel()
	c, err := Compile(adjusted(t))
	if err != nil {
		t.Fatal(err)
	}
	base := c.Base(nil)
	want := make([]*FloatResult, 4)
	for g := range want {
		x := slices.Clone(base)
		x[g] *= 1.1
		want[g] = c.NewResult()
		c.Eval(x, nil, want[g])
	}
	errs := make(chan error, len(want))
	for g := range want {
		go func() {
			x := slices.Clone(base)
			x[g] *= 1.1
			r := c.NewResult()
			for range 20 {
				c.Eval(x, nil, r)
			}
			errs <- sameResult(r, want[g])
		}()
	}
	for range want {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestCompiledEvalAllocs(t *testing.T) {
	p := adjusted(t)
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	x := c.Base(nil)
	r := c.NewResult()
	mv := monthly(c, x, indices(t, c, "amazon-us/beauty/orders", "ebay/commission/tier/1/rate"), func(_ int, v float64) float64 { return v })
	if n := testing.AllocsPerRun(100, func() { c.Eval(x, nil, r) }); n != 0 {
		t.Errorf("Eval allocates %v times per run", n)
	}
	if n := testing.AllocsPerRun(100, func() { c.Eval(x, mv, r) }); n != 0 {
		t.Errorf("Eval with monthly values allocates %v times per run", n)
	}
}

func TestCompileAPI(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "larkspur.json")
	var before bytes.Buffer
	if err := p.Save(&before); err != nil {
		t.Fatal(err)
	}
	c, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	var after bytes.Buffer
	if err := p.Save(&after); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("Compile modified the portfolio")
	}
	want := p.Drivers()
	got := c.Drivers()
	x := c.Base(make([]float64, 0, len(want)+5))
	if c.NumDrivers() != len(want) || len(got) != len(want) || len(x) != len(want) {
		t.Fatalf("NumDrivers %d, Drivers %d, Base %d; portfolio has %d", c.NumDrivers(), len(got), len(x), len(want))
	}
	for i := range want {
		if got[i].Address != want[i].Address || !got[i].Value.Equal(want[i].Value) {
			t.Errorf("driver %d = %s %s, want %s %s", i, got[i].Address, got[i].Value, want[i].Address, want[i].Value)
		}
		if j, ok := c.Index(want[i].Address); !ok || j != i {
			t.Errorf("Index(%s) = %d, %v; want %d", want[i].Address, j, ok, i)
		}
		if x[i] != want[i].Value.InexactFloat64() {
			t.Errorf("Base[%d] = %v, want %s", i, x[i], want[i].Value)
		}
	}
	if _, ok := c.Index("nobody/orders"); ok {
		t.Error("Index found a driver that does not exist")
	}
	// The Compiled does not follow later changes to the portfolio.
	if _, err := p.Set("*/*/orders", d("1")); err != nil {
		t.Fatal(err)
	}
	if y := c.Base(nil); y[c.index["amazon-us/beauty/orders"]] != 2400 {
		t.Error("the Compiled follows the portfolio")
	}
	if c.Months() != 36 || c.Rows() != 12+5 {
		t.Errorf("Months %d, Rows %d", c.Months(), c.Rows())
	}
	row := 0
	for i, cp := range c.Partnerships() {
		ps := &p.Partnerships[i]
		if cp.ID != ps.ID || cp.Channel != ps.Channel || cp.Row != row || cp.OwnRow() != row+len(ps.Categories) || cp.LaunchMonth != ps.LaunchMonth {
			t.Errorf("partnership %d = %+v", i, cp)
		}
		for j := range ps.Categories {
			if cp.Categories[j] != ps.Categories[j].ID {
				t.Errorf("partnership %s category %d = %s, want %s", ps.ID, j, cp.Categories[j], ps.Categories[j].ID)
			}
		}
		row += len(ps.Categories) + 1
	}
	c.Partnerships()[0].Categories[0] = "changed"
	if c.Partnerships()[0].Categories[0] == "changed" {
		t.Error("Partnerships shares its slices")
	}
	bad := p.Clone()
	bad.Months = 0
	if _, err := Compile(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("Compile of an invalid portfolio: %v, want ErrInvalid", err)
	}
}

// TestCompiledEvalOutOfRange evaluates driver values far outside their
// ranges: the results are the formulas' and Eval does not panic.
func TestCompiledEvalOutOfRange(t *testing.T) {
	t.Parallel()
	c, err := Compile(variants(t)["larkspur+variants"])
	if err != nil {
		t.Fatal(err)
	}
	r := c.NewResult()
	x := make([]float64, c.NumDrivers())
	rng := rand.New(rand.NewPCG(1, 2))
	for _, fill := range []func() float64{
		func() float64 { return 0 },
		func() float64 { return -1 },
		func() float64 { return -5 },
		func() float64 { return 1e13 },
		func() float64 { return math.NaN() },
		func() float64 { return math.Inf(1) },
		func() float64 { return 4*rng.Float64() - 2 },
	} {
		for i := range x {
			x[i] = fill()
		}
		c.Eval(x, nil, r)
	}
}

// TestCompiledEvalFinite checks random valid driver values (each within a
// factor of its base, rates within their range) give finite results.
func TestCompiledEvalFinite(t *testing.T) {
	t.Parallel()
	c, err := Compile(variants(t)["larkspur+variants"])
	if err != nil {
		t.Fatal(err)
	}
	base := c.Base(nil)
	drivers := c.Drivers()
	r := c.NewResult()
	x := make([]float64, len(base))
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		for i, v := range base {
			x[i] = v * (0.5 + rng.Float64())
			if drivers[i].Range == kRate.String() {
				x[i] = min(x[i], 1)
			}
		}
		c.Eval(x, nil, r)
		for _, s := range [][]float64{r.Lines, r.Orders, r.RowTotals, r.PartnershipTotals, r.PartnershipNPV, r.CashFlow, {r.NPV}} {
			for i, v := range s {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("value %d is %v", i, v)
				}
			}
		}
	}
}
