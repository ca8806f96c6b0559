package costmodel

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// takesPortfolio: a marketplace A (mugs 60, bowls 40 orders a month), an
// own shop S (30 orders) and a new marketplace N launching in month 1 of
// 3 with 50 orders, a ramp from 0.5 over one month, that takes shares
// of its orders from A and from the own-shop channel.
func takesPortfolio(fromA, fromShop string) *Portfolio {
	cat := func(id, orders string) Category {
		return Category{ID: id, Orders: d(orders), Price: d("20"), UnitsPerOrder: d("1"), UnitCost: d("8")}
	}
	n := Partnership{ID: "new", Channel: "marketplace", LaunchMonth: 1,
		Categories: []Category{{ID: "mugs", Orders: d("50"), Price: d("20"), UnitsPerOrder: d("1"), UnitCost: d("8"), RampMonths: 1, RampStart: d("0.5")}},
		Takes:      []OrderTake{{Partnership: "a", Share: d(fromA)}, {Channel: "own-shop", Share: d(fromShop)}}}
	return &Portfolio{Currency: "USD", Start: Month{Year: 2026, Month: 1}, Months: 3, DiscountRate: d("0.1"),
		Partnerships: []Partnership{
			{ID: "a", Channel: "marketplace", Categories: []Category{cat("mugs", "60"), cat("bowls", "40")}},
			{ID: "s", Channel: "own-shop", Categories: []Category{cat("mugs", "30")}},
			n,
		}}
}

// TestTakesByHand: N's orders are 0, 25, 50. With 60 % from A and 40 %
// from the own shop, A loses 15 then 30 orders (mugs and bowls in
// proportion 60:40: 9 and 6, then 18 and 12), the shop 10 then 20; the
// portfolio's total orders stay 130 in every month. With 50 % and 20 %
// the total grows by 30 % of N's orders (the incremental part).
func TestTakesByHand(t *testing.T) {
	t.Parallel()
	st, err := Evaluate(takesPortfolio("0.6", "0.4"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"a/mugs": {"60", "51", "42"}, "a/bowls": {"40", "34", "28"},
		"s/mugs": {"30", "20", "10"}, "new/mugs": {"0", "25", "50"},
	}
	for _, ps := range st.Partnerships {
		for _, c := range ps.Categories {
			for m, w := range want[ps.ID+"/"+c.ID] {
				if got := c.Block.Orders[m]; !got.Equal(d(w)) {
					t.Errorf("%s/%s month %d: orders %s, want %s", ps.ID, c.ID, m, got, w)
				}
			}
		}
	}
	for m := range 3 {
		if got := st.Portfolio.Orders[m]; !got.Equal(d("130")) {
			t.Errorf("month %d: total orders %s, want 130 (demand conserved)", m, got)
		}
		// The lines follow the orders: GMV = 20 × orders.
		if got, w := st.Partnerships[0].Total.Monthly[m][LineGMV], st.Partnerships[0].Total.Orders[m].Mul(d("20")); !got.Equal(w) {
			t.Errorf("month %d: A's GMV %s, want %s", m, got, w)
		}
	}
	st, err = Evaluate(takesPortfolio("0.5", "0.2"))
	if err != nil {
		t.Fatal(err)
	}
	for m, w := range []string{"130", "137.5", "145"} {
		if got := st.Portfolio.Orders[m]; !got.Equal(d(w)) {
			t.Errorf("shares summing to 0.7, month %d: total orders %s, want %s", m, got, w)
		}
	}
}

// TestTakesMoreThanTheSourceHas: a source cannot lose more orders than
// it has; it has none, and the taker keeps all its own.
func TestTakesMoreThanTheSourceHas(t *testing.T) {
	t.Parallel()
	p := takesPortfolio("0", "1")
	p.Partnerships[2].Categories[0].Orders = d("100") // takes 50, then 100 of the shop's 30
	st, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	for m, w := range []string{"30", "0", "0"} {
		if got := st.Partnerships[1].Total.Orders[m]; !got.Equal(d(w)) {
			t.Errorf("month %d: shop orders %s, want %s", m, got, w)
		}
	}
}

func TestTakesDriverAndValidation(t *testing.T) {
	t.Parallel()
	p := takesPortfolio("0.6", "0.4")
	if _, err := p.Driver("new/takes/2/share"); err != nil {
		t.Fatalf("the second take's share is not a driver: %v", err)
	}
	q := p.Clone()
	q.Partnerships[2].Takes[0].Share = d("0.9")
	if !p.Partnerships[2].Takes[0].Share.Equal(d("0.6")) {
		t.Fatal("Clone shares the takes")
	}
	bad := takesPortfolio("0.7", "0.5")
	bad.Partnerships[2].Takes = append(bad.Partnerships[2].Takes,
		OrderTake{Partnership: "nobody", Share: d("0")},
		OrderTake{Partnership: "new", Share: d("0")},
		OrderTake{Channel: "integration", Share: d("0")},
		OrderTake{Partnership: "a", Share: d("1.5")},
		OrderTake{Share: d("0")},
	)
	err := bad.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"partnerships[2].takes: got shares summing to 2.7",
		"partnerships[2].takes[2].partnership",
		"partnerships[2].takes[3].partnership",
		"partnerships[2].takes[4].channel",
		"partnerships[2].takes[5]: got partnership a",
		"new/takes/6/share",
		"partnerships[2].takes[6]",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}

func TestPeakFunding(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		flows []string
		want  string
	}{
		{nil, "0"},
		{[]string{"5", "-2", "1"}, "0"},
		{[]string{"-100", "30", "-50", "200", "-300"}, "220"}, // cumulative −100, −70, −120, 80, −220
		{[]string{"-100", "30", "-50", "200"}, "120"},         // cumulative −100, −70, −120, 80
	} {
		var fs []decimal.Decimal
		for _, f := range c.flows {
			fs = append(fs, d(f))
		}
		want := d(c.want)
		if got := PeakFunding(fs); !got.Equal(want) {
			t.Errorf("PeakFunding(%v) = %s, want %s", c.flows, got, want)
		}
	}
}
