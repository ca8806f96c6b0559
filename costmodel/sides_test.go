package costmodel

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// withSides is the small portfolio with a partner side on the market:
// costs per order and of GMV, a fixed month, an uptime credit and both
// sides' customer values.
func withSides(t testing.TB) *Portfolio {
	p := loadTestdata(t, "small.json")
	ps := &p.Partnerships[0]
	ps.Partner = &PartnerSide{
		PerOrder: d("1"), RateOfGMV: d("0.01"), Monthly: d("50"),
		Uptime: &UptimeCredit{Target: d("0.999"), Expected: d("0.997"), CreditPerPoint: d("0.05"), MaxCredit: d("0.25")},
		CustomerValue: &CustomerValue{NewPerOrder: d("0.1"), RepeatPerMonth: d("1"), MarginPerRepeat: d("4"),
			Retention: []decimal.Decimal{d("0.3")}},
	}
	ps.CustomerValue = &CustomerValue{NewPerOrder: d("0.2"), RepeatPerMonth: d("0.5"), MarginPerRepeat: d("10"),
		Retention: []decimal.Decimal{d("0.5"), d("0.25")}}
	return p
}

// TestSidesByHand: the market's November (150 orders of $25: GMV 3,750,
// commission 562.50, refunded 45.00) with the partner side worked by hand.
func TestSidesByHand(t *testing.T) {
	t.Parallel()
	p := withSides(t)
	p.DiscountRate = decimal.Zero // no discounting: customer values by hand
	st := evalT(t, p)
	ps, _ := st.Partnership("market")
	cat, own := ps.Categories[0].Monthly[0], ps.Own.Monthly[0]
	want := []struct {
		what string
		got  decimal.Decimal
		want string
	}{
		// 150 × 1 + 0.01 × 3,750
		{"partner serve cost", cat[LinePartnerServeCost], "187.50"},
		{"partner fixed cost", own[LinePartnerFixedCost], "50.00"},
		// 0.2 points short × 0.05 = 1 % of (562.50 − 45.00) = 5.175 → 5.18
		{"service credit", own[LineServiceCredit], "5.18"},
		// 150 × 0.2 new × 10 × 0.5 × (0.5 + 0.25) = 112.50
		{"our customer value", own[LineCustomerValue], "112.50"},
		// 150 × 0.1 × 4 × 1 × 0.3 = 18.00
		{"partner customer value", own[LinePartnerCustomerValue], "18.00"},
		// 562.50 − 45.00 + 0 − 5.18 − 187.50 − 50.00
		{"partner contribution", ps.Total.Monthly[0][LinePartnerContribution], "274.82"},
		{"partner value", ps.Total.Monthly[0][LinePartnerValue], "292.82"},
	}
	for _, w := range want {
		if !w.got.Equal(d(w.want)) {
			t.Errorf("%s = %s, want %s", w.what, w.got, w.want)
		}
	}
	// Our value is our contribution plus the credit and our customers.
	tot := ps.Total.Monthly[0]
	if v := tot[LineContribution].Add(d("5.18")).Add(d("112.50")); !tot[LineOurValue].Equal(v) {
		t.Errorf("our value %s, want contribution + 5.18 + 112.50 = %s", tot[LineOurValue], v)
	}
	// The sides leave our waterfall alone.
	base := evalT(t, loadTestdata(t, "small.json"))
	bp, _ := base.Partnership("market")
	for _, l := range waterfallLines {
		if !bp.Total.Total[l].Equal(ps.Total.Total[l]) {
			t.Errorf("%s moved from %s to %s", l, bp.Total.Total[l], ps.Total.Total[l])
		}
	}
}

// TestSidesDiscounted: at 12 % a year the customer value discounts each
// month after acquisition by (1.12)^(k/12), within a cent.
func TestSidesDiscounted(t *testing.T) {
	t.Parallel()
	st := evalT(t, withSides(t))
	ps, _ := st.Partnership("market")
	f := math.Pow(1.12, 1.0/12)
	want := 150 * 0.2 * 10 * 0.5 * (0.5/f + 0.25/(f*f))
	if got := ps.Own.Monthly[0][LineCustomerValue].InexactFloat64(); math.Abs(got-want) > 0.005 {
		t.Errorf("customer value %.4f, want %.4f", got, want)
	}
}

// TestSidesTape: the float tape reproduces the sides' lines within half a
// cent, as it does every line (the tape check of tape_test.go).
func TestSidesTape(t *testing.T) {
	t.Parallel()
	m, err := NewModel(withSides(t))
	if err != nil {
		t.Fatal(err)
	}
	c := newTapeCase(t, "small with sides", m)
	c.check(t, "small with sides", m.Values(), nil)
}

// TestSidesJSON: the partner side loads from JSON with driver addresses,
// and a missing required field or an empty retention curve is reported
// with its path.
func TestSidesJSON(t *testing.T) {
	t.Parallel()
	doc := `{"currency":"USD","start":"2026-01","months":2,"discount_rate":0.1,"partnerships":[{"id":"m","channel":"marketplace",
	"commission":{"rate":0.1},"partner":{"per_order":0.5,"uptime":{"target":0.99,"expected":0.98,"credit_per_point":0.1}},
	"customer_value":{"new_per_order":0.1,"repeat_per_month":1,"margin_per_repeat":3,"retention":[]},
	"categories":[{"id":"a","orders":10,"price":10,"units_per_order":1,"unit_cost":4}]}]}`
	_, err := Load(strings.NewReader(doc))
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), "partnerships[0].partner.uptime.max_credit") {
		t.Errorf("error does not name max_credit: %v", err)
	}
	capped := strings.Replace(doc, `"credit_per_point":0.1}`, `"credit_per_point":0.1,"max_credit":0.5}`, 1)
	if _, err := Load(strings.NewReader(capped)); err == nil || !strings.Contains(err.Error(), "partnerships[0].customer_value.retention") {
		t.Errorf("an empty retention curve: %v", err)
	}
	good := strings.Replace(capped, `"retention":[]`, `"retention":[0.5]`, 1)
	p, err := Load(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"m/partner/per_order", "m/partner/uptime/max_credit", "m/customer_value/retention/1"} {
		if ds, err := p.Match(a); err != nil || len(ds) != 1 {
			t.Errorf("driver %s: %v", a, err)
		}
	}
}

// withSidesEverywhere gives every partnership of p a partner side with an
// uptime credit and both sides' customer values (the values vary with the
// partnership's index, not with a random stream, so the generated
// portfolios stay those the digests pin).
func withSidesEverywhere(p *Portfolio) *Portfolio {
	q := p.Clone()
	for i := range q.Partnerships {
		k := decimal.NewFromInt(int64(i%4 + 1))
		q.Partnerships[i].Partner = &PartnerSide{PerOrder: d("0.35").Mul(k), RateOfGMV: d("0.004").Mul(k), Monthly: d("120.5").Mul(k),
			Uptime: &UptimeCredit{Target: d("0.999"), Expected: d("0.99").Add(d("0.002").Mul(k)), CreditPerPoint: d("0.07"), MaxCredit: d("0.3")},
			CustomerValue: &CustomerValue{NewPerOrder: d("0.05"), RepeatPerMonth: d("0.4"), MarginPerRepeat: d("3.7").Mul(k),
				Retention: []decimal.Decimal{d("0.6"), d("0.45"), d("0.3")}}}
		q.Partnerships[i].CustomerValue = &CustomerValue{NewPerOrder: d("0.31"), RepeatPerMonth: d("0.25"), MarginPerRepeat: d("11.3"),
			Retention: []decimal.Decimal{d("0.5"), d("0.33"), d("0.21"), d("0.1")}}
	}
	return q
}

// TestSidesTapeGenerated: the tape against the exact graph, every line
// of every row and month, on generated portfolios with the sides'
// lines everywhere; the waterfall stays what it was without them.
func TestSidesTapeGenerated(t *testing.T) {
	t.Parallel()
	n := 30
	if testing.Short() {
		n = 6
	}
	for seed := range uint64(n) {
		p := newGen(seed).portfolio()
		q := withSidesEverywhere(p)
		checkTapeExact(t, fmt.Sprintf("seed %d with sides", seed), q)
		a, b := statementText(evalT(t, p)), statementText(evalT(t, q))
		if !bytes.Equal(a, b) {
			t.Errorf("seed %d: the sides moved the waterfall", seed)
		}
	}
}
