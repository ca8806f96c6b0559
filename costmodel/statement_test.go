package costmodel

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func loadTestdata(t testing.TB, name string) *Portfolio {
	t.Helper()
	p, err := LoadFile(filepath.Join("..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func evalT(t testing.TB, p *Portfolio) *Statement {
	t.Helper()
	st, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestSmallByHand checks the small portfolio against lines computed by
// hand (testdata/small.json; the arithmetic is in the comments).
func TestSmallByHand(t *testing.T) {
	t.Parallel()
	st := evalT(t, loadTestdata(t, "small.json"))
	market, _ := st.Partnership("market")
	mugs := market.Categories[0]
	// November: 100 orders × 1.5 seasonality = 150 orders of one $20 mug
	// with $5 shipping charged; 10 % returned.
	nov := mugs.Monthly[0]
	want := map[Line]string{
		LineGMV:              "3750",   // 150 × (20 + 5)
		LineRefunds:          "300",    // 0.10 × 150 × 20
		LineNetSales:         "3450",   //
		LineCOGS:             "1080",   // 150 × 0.9 kept × 8
		LineCM1:              "2370",   //
		LineCommission:       "562.50", // 15 % of (20 + 5) = 3.75 per item × 150
		LineCommissionRefund: "45",     // 15 returned × (3.75 − min(5, 0.75))
		LineFulfilment:       "300",    // 150 × 2
		LineShipping:         "600",    // 150 × 4
		LineReturnHandling:   "45",     // 15 × 3
		LineCM2:              "907.50", // 2370 − 562.50 + 45 − 300 − 600 − 45
		LineMarketing:        "187.50", // 5 % of 3750
		LineCM3:              "720",    // category level: no fixed marketing
	}
	for l, w := range want {
		if !nov[l].Equal(d(w)) {
			t.Errorf("market/mugs Nov %s = %s, want %s", l, nov[l], w)
		}
	}
	if !mugs.Orders[1].Equal(d("120")) || !mugs.Orders[2].Equal(d("100")) {
		t.Errorf("orders Dec, Jan = %s, %s; want 120, 100", mugs.Orders[1], mugs.Orders[2])
	}
	// Partnership level: $100 fixed marketing each month; set-up $1,200 in
	// November. CM3 by month 620, 476, 380 (Dec: 120 orders, Jan: 100).
	tot := market.Total
	for m, w := range []string{"620", "476", "380"} {
		if !tot.Monthly[m][LineCM3].Equal(d(w)) {
			t.Errorf("market CM3 month %d = %s, want %s", m, tot.Monthly[m][LineCM3], w)
		}
	}
	if !tot.Total[LineNetCashFlow].Equal(d("276")) { // 1476 − 1200
		t.Errorf("market net cash flow = %s, want 276", tot.Total[LineNetCashFlow])
	}
	if market.Measures.Payback != (Payback{Month: 3, Reached: true}) { // −580, −104, +276
		t.Errorf("payback = %+v, want month 3", market.Measures.Payback)
	}
	r := math.Pow(1.12, 1.0/12) - 1
	npv := -580/(1+r) + 476/math.Pow(1+r, 2) + 380/math.Pow(1+r, 3)
	if math.Abs(market.Measures.NPV.InexactFloat64()-npv) > 0.005 {
		t.Errorf("NPV = %s, want %.4f", market.Measures.NPV, npv)
	}
	// CM ratio: CM1 5846 = 8510 net sales − 2664 COGS.
	if !market.Measures.CM1Ratio.Valid || !market.Measures.CM1Ratio.Value.Equal(d("5846").DivRound(d("8510"), 10)) {
		t.Errorf("CM1 ratio = %+v", market.Measures.CM1Ratio)
	}
	// Own shop: half the orders at $10, half at $30, card fees 2.9 % + $0.30:
	// November 75 orders → 37.5 × 0.59 + 37.5 × 1.17 = 66.00.
	shop, _ := st.Partnership("shop")
	if got := shop.Categories[0].Monthly[0][LinePaymentFees]; !got.Equal(d("66")) {
		t.Errorf("shop payment fees Nov = %s, want 66", got)
	}
	if got := shop.Total.Monthly[0][LineContribution]; !got.Equal(d("834")) { // 1500 − 450 − 66 − 150
		t.Errorf("shop contribution Nov = %s, want 834", got)
	}
	// The category roll-up adds mugs from both partnerships.
	if got := st.ByCategory[0].Monthly[0][LineGMV]; st.ByCategory[0].Key != "mugs" || !got.Equal(d("5250")) {
		t.Errorf("mugs roll-up GMV Nov = %s, want 5250", got)
	}
	// Break-even: market's fixed monthly cost is the $100 marketing; per
	// order it earns (1476 + 300) / 370 before it.
	be := d("100").DivRound(d("1776").DivRound(d("370"), 20), 2)
	if !market.Measures.BreakEvenOrders.Valid || !market.Measures.BreakEvenOrders.Value.Equal(be) {
		t.Errorf("break-even = %+v, want %s", market.Measures.BreakEvenOrders, be)
	}
}

// checkFooting verifies that a statement foots and cross-foots to the cent.
func checkFooting(t *testing.T, name string, st *Statement) {
	t.Helper()
	minor := st.Currency.MinorUnit
	errs := 0
	fail := func(format string, args ...any) {
		if errs < 10 {
			t.Errorf(name+": "+format, args...)
		}
		errs++
	}
	checkBlock := func(what string, b *Block) {
		for m := range b.Monthly {
			a := &b.Monthly[m]
			for l := Line(0); l < NumLines; l++ {
				if !a[l].Round(minor).Equal(a[l]) {
					fail("%s month %d %s = %s is not in whole minor units", what, m, l, a[l])
				}
				if terms := l.Terms(); terms != nil {
					s := decimal.Zero
					for _, tm := range terms {
						s = s.Add(a[tm.Line].Mul(decimal.NewFromInt(int64(tm.Sign))))
					}
					if !s.Equal(a[l]) {
						fail("%s month %d %s = %s, its terms sum to %s", what, m, l, a[l], s)
					}
				}
			}
		}
		for l := Line(0); l < NumLines; l++ {
			s := decimal.Zero
			for m := range b.Monthly {
				s = s.Add(b.Monthly[m][l])
			}
			if !s.Equal(b.Total[l]) {
				fail("%s total %s = %s, months sum to %s", what, l, b.Total[l], s)
			}
		}
	}
	sumEq := func(what string, total *Block, parts []*Block) {
		for m := range total.Monthly {
			for l := Line(0); l < NumLines; l++ {
				s := decimal.Zero
				for _, p := range parts {
					s = s.Add(p.Monthly[m][l])
				}
				if !s.Equal(total.Monthly[m][l]) {
					fail("%s month %d %s = %s, parts sum to %s", what, m, l, total.Monthly[m][l], s)
				}
			}
		}
	}
	var partnerships, channels, categories []*Block
	for i := range st.Partnerships {
		ps := &st.Partnerships[i]
		parts := []*Block{&ps.Own}
		for j := range ps.Categories {
			checkBlock(ps.ID+"/"+ps.Categories[j].ID, &ps.Categories[j].Block)
			parts = append(parts, &ps.Categories[j].Block)
		}
		checkBlock(ps.ID, &ps.Total)
		sumEq(ps.ID, &ps.Total, parts)
		partnerships = append(partnerships, &ps.Total)
	}
	for i := range st.ByChannel {
		checkBlock("channel "+st.ByChannel[i].Key, &st.ByChannel[i].Block)
		channels = append(channels, &st.ByChannel[i].Block)
	}
	for i := range st.ByCategory {
		checkBlock("category "+st.ByCategory[i].Key, &st.ByCategory[i].Block)
		categories = append(categories, &st.ByCategory[i].Block)
	}
	checkBlock("portfolio", &st.Portfolio)
	sumEq("portfolio = partnerships", &st.Portfolio, partnerships)
	sumEq("portfolio = channels", &st.Portfolio, channels)
	sumEq("portfolio = categories + partnership level", &st.Portfolio, append(categories, &st.PartnershipLevel))
}

func TestFooting(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("testdata portfolios: %v %v", files, err)
	}
	for _, f := range files {
		st := evalT(t, loadTestdata(t, filepath.Base(f)))
		checkFooting(t, filepath.Base(f), st)
		if st.Portfolio.Total[LineGMV].Sign() <= 0 {
			t.Errorf("%s: no GMV", f)
		}
	}
}

// goldenText renders a statement as stable text: one row per
// partnership, category, month, with every line.
func goldenText(st *Statement) []byte {
	var b bytes.Buffer
	row := func(who string, m int, a *Amounts) {
		fmt.Fprintf(&b, "%s\t%s", who, st.Start.Add(m))
		for l := Line(0); l < NumLines; l++ {
			if !omitCapacity(l, a[l]) {
				fmt.Fprintf(&b, "\t%s=%s", l, a[l].StringFixed(st.Currency.MinorUnit))
			}
		}
		b.WriteByte('\n')
	}
	for _, ps := range st.Partnerships {
		for _, c := range ps.Categories {
			for m := range c.Monthly {
				row(ps.ID+"/"+c.ID, m, &c.Monthly[m])
			}
		}
		for m := range ps.Own.Monthly {
			row(ps.ID+"/(partnership)", m, &ps.Own.Monthly[m])
		}
		row(ps.ID+"/(total)", 0, &ps.Total.Total)
		mm := ps.Measures
		fmt.Fprintf(&b, "%s\tnpv=%s payback=%+v cm3_ratio=%s break_even=%s\n", ps.ID, mm.NPV, mm.Payback, mm.CM3Ratio.Value, mm.BreakEvenOrders.Value)
	}
	row("portfolio", 0, &st.Portfolio.Total)
	fmt.Fprintf(&b, "portfolio\tnpv=%s monthly_rate=%s\n", st.Measures.NPV, st.MonthlyRate)
	return b.Bytes()
}

func TestGoldenSmall(t *testing.T) {
	t.Parallel()
	got := goldenText(evalT(t, loadTestdata(t, "small.json")))
	golden := filepath.Join("..", "testdata", "small.statement.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./costmodel -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("statement differs from %s; rerun with -update if the change is intended\ngot:\n%s", golden, got)
	}
}

func TestEvaluateDoesNotModify(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "larkspur.json")
	var before, after bytes.Buffer
	if err := p.Save(&before); err != nil {
		t.Fatal(err)
	}
	evalT(t, p)
	if err := p.Save(&after); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("Evaluate modified the portfolio")
	}
}
