package costmodel

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// lanePortfolio is one US seller's lane into the UK: 100 orders a month
// of 2 items at 40.00 (goods value 80.00 per order), unit cost 10.00,
// return rate 0.10 (+ 0.15 on the lane), international shipping 12.00
// per order, return shipping 8.00 per returned order, a 1 % FX fee,
// duty 4 % and VAT 20 % absorbed, both on goods + shipping.
func lanePortfolio(dutyDeMinimis string) *Portfolio {
	d := decimal.RequireFromString
	l := &Lane{Origin: "US", Destination: "GB", DutyRate: ptrOf(d("0.04")), VAT: VATAbsorbed, VATRate: ptrOf(d("0.2")),
		ShippingPerOrder: d("12"), ExtraReturnRate: d("0.15"), ReturnShippingPerOrder: d("8"), FXFeeRate: d("0.01")}
	if dutyDeMinimis != "" {
		l.DutyDeMinimis = ptrOf(d(dutyDeMinimis))
	}
	return &Portfolio{Currency: "USD", Start: Month{Year: 2026, Month: 1}, Months: 2, DiscountRate: d("0.1"),
		Partnerships: []Partnership{{ID: "uk", Channel: "own-shop", Lane: l, Categories: []Category{
			{ID: "mugs", Orders: d("100"), Price: d("40"), UnitsPerOrder: d("2"), UnitCost: d("10"), ReturnRate: d("0.1")},
		}}}}
}

func ptrOf(v decimal.Decimal) *decimal.Decimal { return &v }

// catLine is a line of the first category of the first partnership in
// month 0, as a string.
func catLine(t *testing.T, st *Statement, l Line) string {
	t.Helper()
	return st.Partnerships[0].Categories[0].Monthly[0][l].StringFixed(2)
}

// TestLaneByHand checks every lane line, CM1, CM2 and the landed cost per
// unit against hand computations, below and above the duty de-minimis
// and exactly on it.
func TestLaneByHand(t *testing.T) {
	t.Parallel()
	// Per order: goods 80; customs 80 + 12 = 92; returned share
	// 0.10 + 0.15 = 0.25, so refunds 0.25 × 2 × 40 = 20 and COGS
	// (2 − 0.5) × 10 = 15; net sales (80 − 20) × 100 = 6000.
	common := map[Line]string{
		LineGMV: "8000.00", LineRefunds: "2000.00", LineCOGS: "1500.00",
		LineInternationalShipping: "1200.00", // 100 × 12
		LineReturnShipping:        "200.00",  // 100 × 0.25 × 8
		LineFXFee:                 "60.00",   // 0.01 × 6000
	}
	for _, c := range []struct {
		name, deMinimis string
		duty, vat, cm1  string
		landed          string
	}{
		// No threshold: duty 0.04 × 92 = 3.68 an order, VAT 0.2 × (92 +
		// 3.68) = 19.136; landed 10 + (3.68 + 19.136 + 12) / 2 = 27.408.
		{"no threshold", "", "368.00", "1913.60", "2218.40", "27.41"},
		// Goods 80 above a 50 threshold: the same.
		{"above the de-minimis", "50", "368.00", "1913.60", "2218.40", "27.41"},
		// Goods 80 below a 100 threshold: no duty; VAT 0.2 × 92 = 18.40;
		// landed 10 + (18.40 + 12) / 2 = 25.20.
		{"below the de-minimis", "100", "0.00", "1840.00", "2660.00", "25.20"},
		// Goods exactly 80: at the threshold, not above it: no duty.
		{"on the de-minimis", "80", "0.00", "1840.00", "2660.00", "25.20"},
		{"a cent under the goods value", "79.99", "368.00", "1913.60", "2218.40", "27.41"},
	} {
		st, err := Evaluate(lanePortfolio(c.deMinimis))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := map[Line]string{LineImportDuty: c.duty, LineImportVAT: c.vat, LineCM1: c.cm1}
		for l, v := range common {
			want[l] = v
		}
		for l, v := range want {
			if got := catLine(t, st, l); got != v {
				t.Errorf("%s: %s = %s, want %s", c.name, l.Label(), got, v)
			}
		}
		// CM2 = CM1 − international shipping − return shipping − FX fee
		// (no other costs).
		cm1 := decimal.RequireFromString(c.cm1)
		if got, want := st.Partnerships[0].Categories[0].Monthly[0][LineCM2], cm1.Sub(decimal.NewFromInt(1460)); !got.Equal(want) {
			t.Errorf("%s: CM2 = %s, want %s", c.name, got, want)
		}
		if got := st.Partnerships[0].Categories[0].LandedCost[0].StringFixed(2); got != c.landed {
			t.Errorf("%s: landed cost per unit %s, want %s", c.name, got, c.landed)
		}
	}
}

// TestLaneOptions checks the customs value of the goods alone, VAT that
// passes through (no line), a VAT de-minimis and the return rate's cap.
func TestLaneOptions(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	goods := lanePortfolio("")
	goods.Partnerships[0].Lane.CustomsValue = GoodsOnly
	st, err := Evaluate(goods)
	if err != nil {
		t.Fatal(err)
	}
	// Duty 0.04 × 80 = 3.20; VAT 0.2 × (80 + 3.20) = 16.64.
	if a, b := catLine(t, st, LineImportDuty), catLine(t, st, LineImportVAT); a != "320.00" || b != "1664.00" {
		t.Errorf("customs value of the goods: duty %s, VAT %s; want 320.00 and 1664.00", a, b)
	}
	for _, v := range []VATTreatment{VATCollected, VATMarketplace} {
		p := lanePortfolio("")
		p.Partnerships[0].Lane.VAT, p.Partnerships[0].Lane.VATRate = v, nil
		st, err := Evaluate(p)
		if err != nil {
			t.Fatal(err)
		}
		// VAT collected from the customer is neither revenue nor cost:
		// GMV is the ex-VAT 8000 and there is no VAT line.
		if a, g := catLine(t, st, LineImportVAT), catLine(t, st, LineGMV); a != "0.00" || g != "8000.00" {
			t.Errorf("VAT %s: VAT line %s, GMV %s; want 0.00 and 8000.00", v, a, g)
		}
	}
	vm := lanePortfolio("")
	vm.Partnerships[0].Lane.VATDeMinimis = ptrOf(d("80"))
	if st, err = Evaluate(vm); err != nil {
		t.Fatal(err)
	}
	if a, b := catLine(t, st, LineImportVAT), catLine(t, st, LineImportDuty); a != "0.00" || b != "368.00" {
		t.Errorf("VAT de-minimis 80: VAT %s, duty %s; want 0.00 and 368.00", a, b)
	}
	capped := lanePortfolio("")
	capped.Partnerships[0].Lane.ExtraReturnRate = d("0.95")
	if st, err = Evaluate(capped); err != nil {
		t.Fatal(err)
	}
	// 0.10 + 0.95 is capped at 1: every item comes back, nothing is kept.
	if r, c := catLine(t, st, LineRefunds), catLine(t, st, LineCOGS); r != "8000.00" || c != "0.00" {
		t.Errorf("capped return rate: refunds %s, COGS %s; want 8000.00 and 0.00", r, c)
	}
	// Without a lane every lane line is zero and the statement is the
	// domestic one.
	dom := lanePortfolio("")
	dom.Partnerships[0].Lane = nil
	if st, err = Evaluate(dom); err != nil {
		t.Fatal(err)
	}
	for l := range laneLines {
		if got := catLine(t, st, l); got != "0.00" {
			t.Errorf("no lane: %s = %s", l.Label(), got)
		}
	}
	if st.Partnerships[0].Categories[0].LandedCost != nil {
		t.Error("no lane: a landed cost")
	}
}

// TestLaneDrivers checks that every lane rate is a driver that Set moves.
func TestLaneDrivers(t *testing.T) {
	t.Parallel()
	p := lanePortfolio("50")
	for addr, line := range map[string]Line{
		"uk/lane/duty_rate": LineImportDuty, "uk/lane/duty_de_minimis": LineImportDuty, "uk/lane/vat_rate": LineImportVAT,
		"uk/lane/shipping_per_order": LineInternationalShipping, "uk/lane/extra_return_rate": LineRefunds,
		"uk/lane/return_shipping_per_order": LineReturnShipping, "uk/lane/fx_fee_rate": LineFXFee,
	} {
		before, err := Evaluate(p)
		if err != nil {
			t.Fatal(err)
		}
		q := p.Clone()
		if _, err := q.Set(addr, decimal.RequireFromString("0.5")); err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if addr == "uk/lane/duty_de_minimis" {
			if _, err := q.Set(addr, decimal.NewFromInt(1000)); err != nil {
				t.Fatal(err)
			}
		}
		after, err := Evaluate(q)
		if err != nil {
			t.Fatal(err)
		}
		if catLine(t, before, line) == catLine(t, after, line) {
			t.Errorf("%s moved: %s stayed %s", addr, line.Label(), catLine(t, after, line))
		}
	}
}

// TestLaneValidation checks that every problem of a lane is reported at
// once with its path, beside an unknown currency and a missing FX month.
func TestLaneValidation(t *testing.T) {
	t.Parallel()
	d := decimal.RequireFromString
	p := lanePortfolio("")
	p.Months = 3
	base := p.Partnerships[0]
	add := func(id string, l *Lane, currency string) {
		ps := base
		ps.ID, ps.Lane, ps.Currency = id, l, currency
		ps.Categories = append([]Category(nil), base.Categories...)
		p.Partnerships = append(p.Partnerships, ps)
	}
	add("de", &Lane{Origin: "US", Destination: "DE"}, "")                    // 1: duty and VAT not stated
	add("fr", &Lane{Origin: "FR", Destination: "DE", VAT: VATCollected}, "") // 2: intra-EU: no duty needed
	add("bad", &Lane{Origin: "us", Destination: "XX", CustomsValue: "fob", VAT: "maybe",
		DutyDeMinimis: ptrOf(d("10"))}, "") // 3
	add("neg", &Lane{Origin: "CN", Destination: "US", DutyRate: ptrOf(d("-0.1")), DutyDeMinimis: ptrOf(d("-1")),
		VAT: VATMarketplace, VATRate: ptrOf(d("0.07")), ShippingPerOrder: d("-2"), FXFeeRate: d("-0.01")}, "") // 4
	add("same", &Lane{Origin: "GB", Destination: "GB", VAT: VATCollected}, "")                            // 5
	add("zzz", &Lane{Origin: "US", Destination: "CA", DutyRate: ptrOf(d("0")), VAT: VATCollected}, "ZZZ") // 6
	add("jp", &Lane{Origin: "US", Destination: "JP", DutyRate: ptrOf(d("0")), VAT: VATAbsorbed}, "JPY")   // 7
	p.FX = []FXRate{{Currency: "JPY", Monthly: []decimal.Decimal{d("0.0067"), d("0.0066")}}}
	err := p.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate: %v, want a *ValidationError", err)
	}
	want := []string{
		"partnerships[1].lane.duty_rate", "partnerships[1].lane.vat",
		"partnerships[3].lane.origin", "partnerships[3].lane.customs_value", "partnerships[3].lane.vat",
		"partnerships[3].lane.duty_de_minimis",
		"neg/lane/duty_rate", "neg/lane/duty_de_minimis", "neg/lane/shipping_per_order", "neg/lane/fx_fee_rate",
		"partnerships[4].lane.vat_rate",
		"partnerships[5].lane.destination", "partnerships[5].lane.duty_rate",
		"partnerships[6].currency", "fx[0].monthly", "partnerships[7].lane.vat_rate",
	}
	got := map[string]string{}
	for _, pe := range ve.Problems {
		got[pe.Path] = pe.Error()
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("no problem at %s; got:\n%v", w, err)
		}
	}
	for path := range got {
		if strings.HasPrefix(path, "partnerships[2]") || strings.HasPrefix(path, "fr/") {
			t.Errorf("intra-EU lane: %s", got[path])
		}
	}
	if !strings.Contains(got["partnerships[1].lane.vat"], "19 %") || !strings.Contains(got["partnerships[1].lane.duty_rate"], "write 0") {
		t.Errorf("the destination's problems say too little:\n%s\n%s", got["partnerships[1].lane.vat"], got["partnerships[1].lane.duty_rate"])
	}
	if len(got) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(got), len(want), err)
	}
	// A category may not be called "lane" (it would shadow the lane's
	// driver addresses).
	q := lanePortfolio("")
	q.Partnerships[0].Categories[0].ID = "lane"
	if err := q.Validate(); err == nil || !strings.Contains(err.Error(), "partnerships[0].categories[0].id") {
		t.Errorf("category lane: %v", err)
	}
}

// laneGen adds a random lane to every partnership of a random portfolio,
// and prices some of them in another currency.
func laneGen(seed uint64) *Portfolio {
	g := newGen(seed)
	p := g.portfolio()
	dests := []string{"GB", "DE", "US", "JP", "CH"}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		if g.coin(0.2) {
			continue
		}
		l := &Lane{Origin: "CN", Destination: dests[g.r.IntN(len(dests))], DutyRate: g.ptr(g.dec(0, 0.3, 3)),
			ShippingPerOrder: g.dec(0, 20, 2), ExtraReturnRate: g.dec(0, 0.2, 3), ReturnShippingPerOrder: g.dec(0, 15, 2),
			FXFeeRate: g.dec(0, 0.03, 4), VAT: VATCollected}
		if g.coin(0.5) {
			l.VAT, l.VATRate = VATAbsorbed, g.ptr(g.dec(0, 0.25, 3))
			if g.coin(0.5) {
				l.VATDeMinimis = g.ptr(g.dec(0, 200, 2))
			}
		}
		if g.coin(0.6) {
			l.DutyDeMinimis = g.ptr(g.dec(0, 300, 2))
		}
		if g.coin(0.3) {
			l.CustomsValue = GoodsOnly
		}
		ps.Lane = l
		if g.coin(0.4) {
			code := []string{"EUR", "JPY", "GBP", "KWD"}[g.r.IntN(4)]
			if c, _ := LookupCurrency(p.Currency); c.Code != code {
				ps.Currency = code
				if p.fxRate(code) == nil {
					p.FX = append(p.FX, FXRate{Currency: code, Rate: g.dec(0.005, 3, 6)})
				}
			}
		}
	}
	return p
}

// TestLaneTapeEqualsExact holds the float tape to the exact statement on
// random portfolios with lanes, at their values and with the lane's
// drivers moved (so that orders cross the de-minimis thresholds), and
// the landed cost per unit too.
func TestLaneTapeEqualsExact(t *testing.T) {
	t.Parallel()
	n := 30
	if testing.Short() {
		n = 6
	}
	lanes := 0
	for seed := range uint64(n) {
		p := laneGen(seed)
		name := fmt.Sprintf("lane seed %d", seed)
		m, err := NewModel(p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := newTapeCase(t, name, m)
		c.check(t, name, m.Values(), nil)
		g := newGen(seed + 2000)
		moved := m.Values()
		for i, d := range m.Drivers() {
			if !strings.Contains(d.Address, "/lane/") {
				continue
			}
			lanes++
			lo, hi := d.Bounds()
			hi = math.Min(hi, 300)
			if strings.HasSuffix(d.Address, "rate") {
				hi = math.Min(hi, 0.5)
			}
			moved[i] = g.dec(lo, hi, 3)
		}
		c.check(t, name+" (lane drivers moved)", moved, nil)
		checkLanded(t, name, p, m, moved)
	}
	if lanes == 0 {
		t.Fatal("no lane drivers: the test checks nothing")
	}
}

// checkLanded compares the tape's landed cost per unit with the exact
// graph's, to half a minor unit.
func checkLanded(t *testing.T, name string, p *Portfolio, m *Model, drivers []decimal.Decimal) {
	t.Helper()
	var ids []graph.ID
	var half []float64
	for i := range p.Partnerships {
		cur, _ := p.PartnershipCurrency(i)
		for j := range p.Partnerships[i].Categories {
			for mo := range m.Months() {
				if id := m.LandedCost(m.Row(i, j), mo); id >= 0 {
					ids = append(ids, id)
					half = append(half, 0.5*math.Pow(10, -float64(cur.MinorUnit)))
				}
			}
		}
	}
	if len(ids) == 0 {
		return
	}
	vals, err := m.Graph().Eval(drivers, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []graph.DriverMonth
	for d := range m.Drivers() {
		all = append(all, graph.DriverMonth{Driver: int32(d), Month: graph.AllMonths})
	}
	tp, err := graph.Compile(m.Graph(), graph.Nodes(ids...), all, floats(drivers), nil, graph.TapeOptions{Block: 1, Round: true})
	if err != nil {
		t.Fatal(err)
	}
	w := tp.NewWorkspace()
	for k, dm := range tp.Inputs() {
		w.Input(k)[0] = drivers[dm.Driver].InexactFloat64()
	}
	tp.Run(w, 1)
	for k, id := range ids {
		got, want := w.Output(k, 1)[0], vals[id].InexactFloat64()
		if !(math.Abs(got-want) <= half[k]+1e-9*(1+math.Abs(want))) {
			t.Errorf("%s: landed cost %d: tape %v, exact %v", name, k, got, want)
		}
	}
}
