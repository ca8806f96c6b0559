package costmodel

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func init() {
	nilCalls["Portfolio.PartnershipCurrency"] = func() error {
		var p *Portfolio
		if _, ok := p.PartnershipCurrency(0); ok {
			return errors.New("PartnershipCurrency on a nil portfolio reports a currency")
		}
		if _, ok := (&Portfolio{}).PartnershipCurrency(-1); ok {
			return errors.New("PartnershipCurrency(-1) reports a currency")
		}
		return nil
	}
}

// threeCurrencies is a one-month portfolio reporting in base, with a
// partnership in the base currency, one in EUR and one in JPY.
func threeCurrencies(base string, eur, jpy string) *Portfolio {
	return &Portfolio{
		Currency: base, Start: Month{Year: 2026, Month: 1}, Months: 1, DiscountRate: d("0.1"),
		FX: []FXRate{{Currency: "EUR", Rate: d(eur)}, {Currency: "jpy", Rate: d(jpy)}},
		Partnerships: []Partnership{
			{ID: "home", Channel: "own-shop", Categories: []Category{{ID: "mugs", Orders: d("2"), Price: d("10"), UnitsPerOrder: d("1"), UnitCost: d("4")}}},
			{
				ID: "eu", Channel: "marketplace", Currency: "EUR",
				Commission: &Commission{Rate: d("0.15")},
				Payment:    &PaymentFee{Rate: d("0.029"), Fixed: d("0.35")},
				Categories: []Category{{ID: "mugs", Orders: d("3"), Price: d("19.99"), UnitsPerOrder: d("1"), UnitCost: d("8.125")}},
			},
			{
				ID: "jp", Channel: "marketplace", Currency: "JPY",
				Commission: &Commission{Rate: d("0.08")},
				Categories: []Category{{ID: "mugs", Orders: d("7"), Price: d("1480"), UnitsPerOrder: d("1"), UnitCost: d("512.5")}},
			},
		},
	}
}

// TestFXHandCases checks converted lines to the minor unit against hand
// computations: each line rounded in its own currency first (EUR to the
// cent, JPY to the yen), then × the rate, rounded to the base's unit.
func TestFXHandCases(t *testing.T) {
	type want struct {
		part int
		line Line
		amt  string
	}
	cases := []struct {
		name, base, eur, jpy string
		want                 []want
	}{
		{"USD", "USD", "1.0802", "0.006602", []want{
			// EUR: GMV 3 × 19.99 = 59.97 → × 1.0802 = 64.779594 → 64.78.
			{1, LineGMV, "64.78"},
			// COGS 3 × 8.125 = 24.375 → €24.38 → × 1.0802 = 26.335276 →
			// 26.34 (converting 24.375 unrounded would give 26.33).
			{1, LineCOGS, "26.34"},
			// Commission 0.15 × 59.97 = 8.9955 → €9.00 → 9.7218 → 9.72.
			{1, LineCommission, "9.72"},
			// Payment 3 × (0.029 × 19.99 + 0.35) = 2.78913 → €2.79 →
			// 3.013758 → 3.01.
			{1, LinePaymentFees, "3.01"},
			// JPY: GMV 7 × 1480 = ¥10,360 → × 0.006602 = 68.39672 → 68.40.
			{2, LineGMV, "68.40"},
			// COGS 7 × 512.5 = 3587.5 → ¥3,588 → 23.687976 → 23.69
			// (3587.5 unrounded: 23.684975 → 23.68).
			{2, LineCOGS, "23.69"},
			// Commission 0.08 × 10360 = 828.8 → ¥829 → 5.473058 → 5.47.
			{2, LineCommission, "5.47"},
			{0, LineGMV, "20.00"},
			{0, LineCOGS, "8.00"},
		}},
		// BHD has three minor digits: 0.4087 BHD per EUR, 0.002513 per JPY.
		{"BHD", "BHD", "0.4087", "0.002513", []want{
			{1, LineGMV, "24.510"},       // 59.97 × 0.4087 = 24.509739
			{1, LineCOGS, "9.964"},       // 24.38 × 0.4087 = 9.964106
			{2, LineGMV, "26.035"},       // 10360 × 0.002513 = 26.03468
			{2, LineCOGS, "9.017"},       // 3588 × 0.002513 = 9.016644
			{2, LineCommission, "2.083"}, // 829 × 0.002513 = 2.083277
		}},
		// JPY as the base: no minor unit. 162.37 JPY per EUR.
		{"JPY", "JPY", "162.37", "1", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := threeCurrencies(c.base, c.eur, c.jpy)
			if c.base == "JPY" {
				p.FX = p.FX[:1]
				p.Partnerships = p.Partnerships[:2]
				p.Partnerships[0].Categories[0].Price = d("1500")
				// EUR GMV 59.97 × 162.37 = 9737.3289 → ¥9,737; COGS
				// 24.38 × 162.37 = 3958.5806 → ¥3,959.
				c.want = []want{{1, LineGMV, "9737"}, {1, LineCOGS, "3959"}, {0, LineGMV, "3000"}}
			}
			st, err := Evaluate(p)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				got := st.Partnerships[w.part].Total.Monthly[0][w.line]
				if !got.Equal(d(w.amt)) {
					t.Errorf("%s %s = %s, want %s", p.Partnerships[w.part].ID, w.line, got, w.amt)
				}
			}
			// The portfolio sums the converted lines, and foots.
			for l := Line(0); l < NumLines; l++ {
				sum := decimal.Zero
				for i := range st.Partnerships {
					sum = sum.Add(st.Partnerships[i].Total.Monthly[0][l])
				}
				if got := st.Portfolio.Monthly[0][l]; !got.Equal(sum) {
					t.Errorf("portfolio %s = %s, want the partnerships' %s", l, got, sum)
				}
				minor := st.Currency.MinorUnit
				if got := st.Portfolio.Monthly[0][l]; !got.Round(minor).Equal(got) {
					t.Errorf("portfolio %s = %s, not in %s's minor unit", l, got, st.Currency.Code)
				}
			}
		})
	}
}

// TestFXEveryLine converts the small portfolio's partnerships into EUR at
// monthly rates and checks every base line of every row and month against
// the single-currency statement: round(line × rate(t), 2).
func TestFXEveryLine(t *testing.T) {
	p, err := LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	local, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	q := p.Clone()
	q.Currency = "GBP"
	rates := []string{"0.8571", "0.86049", "0.9"}
	f := FXRate{Currency: "USD"}
	for _, r := range rates[:q.Months] {
		f.Monthly = append(f.Monthly, d(r))
	}
	q.FX = []FXRate{f}
	for i := range q.Partnerships {
		q.Partnerships[i].Currency = "USD"
	}
	conv, err := Evaluate(q)
	if err != nil {
		t.Fatal(err)
	}
	for i := range local.Partnerships {
		lp, cp := &local.Partnerships[i], &conv.Partnerships[i]
		blocks := [][2]*Block{{&lp.Own, &cp.Own}}
		for j := range lp.Categories {
			blocks = append(blocks, [2]*Block{&lp.Categories[j].Block, &cp.Categories[j].Block})
		}
		for _, b := range blocks {
			for m := range q.Months {
				for l := Line(0); l < NumLines; l++ {
					want := b[0].Monthly[m][l].Mul(d(rates[m])).Round(2)
					if l.IsSubtotal() {
						want = decimal.Zero
						for _, tm := range l.Terms() {
							want = want.Add(b[1].Monthly[m][tm.Line].Mul(decimal.NewFromInt(int64(tm.Sign))))
						}
					}
					if got := b[1].Monthly[m][l]; !got.Equal(want) {
						t.Errorf("%s month %d %s = %s, want %s", lp.ID, m, l, got, want)
					}
				}
				if !b[0].Orders[m].Equal(b[1].Orders[m]) {
					t.Errorf("%s month %d orders converted: %s, want %s", lp.ID, m, b[1].Orders[m], b[0].Orders[m])
				}
			}
		}
	}
	// The FX drivers are addressable and their units name both currencies;
	// the partnership's money drivers are in its own currency.
	dr, err := q.Driver("portfolio/fx/usd/month/2")
	if err != nil || dr.Unit != "CUR per USD" || !dr.Value.Equal(d("0.86049")) {
		t.Errorf("portfolio/fx/usd/month/2 = %+v, %v", dr, err)
	}
	if dr, err := q.Driver("market/mugs/price"); err != nil || dr.Unit != "USD/item" {
		t.Errorf("market/mugs/price = %+v, %v: want its unit in USD", dr, err)
	}
}

// TestFXModelMoves checks that the FX driver is a graph input: a
// shocked rate moves the converted lines as a fresh evaluation would.
func TestFXModelMoves(t *testing.T) {
	p := threeCurrencies("USD", "1.0802", "0.006602")
	m, err := NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	i, ok := m.Index("portfolio/fx/eur/rate")
	if !ok {
		t.Fatal("no driver portfolio/fx/eur/rate")
	}
	vals := m.Values()
	vals[i] = d("1.2")
	st, err := m.Evaluate(vals, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 59.97 × 1.2 = 71.964 → 71.96.
	if got := st.Partnerships[1].Total.Monthly[0][LineGMV]; !got.Equal(d("71.96")) {
		t.Errorf("GMV at 1.2 USD per EUR = %s, want 71.96", got)
	}
}

// TestFXErrors checks the bad inputs each give a clear error at their path.
func TestFXErrors(t *testing.T) {
	cases := []struct {
		name, path, expect string
		edit               func(p *Portfolio)
	}{
		{"unknown partnership currency", "partnerships[1].currency", "ISO 4217", func(p *Portfolio) { p.Partnerships[1].Currency = "EUX" }},
		{"unknown fx currency", "fx[0].currency", "ISO 4217", func(p *Portfolio) { p.FX[0].Currency = "XXX" }},
		{"no rate for a currency", "partnerships[2].currency", "FX rate into USD", func(p *Portfolio) { p.FX = p.FX[:1] }},
		{"missing month", "fx[0].monthly", "months 3 to 3 (2026-03 to 2026-03) have none", func(p *Portfolio) {
			p.Months = 3
			p.FX[0] = FXRate{Currency: "EUR", Monthly: []decimal.Decimal{d("1.1"), d("1.1")}}
		}},
		{"rate and monthly", "fx[0].rate", "one or the other", func(p *Portfolio) { p.FX[0].Monthly = []decimal.Decimal{d("1.1")} }},
		{"base in fx", "fx[0].currency", "other than the portfolio's", func(p *Portfolio) { p.FX[0].Currency = "USD" }},
		{"duplicate", "fx[1].currency", "not already given in fx[0]", func(p *Portfolio) { p.FX[1].Currency = "EUR" }},
		{"zero rate", "portfolio/fx/eur/rate", "> 0", func(p *Portfolio) { p.FX[0].Rate = decimal.Zero }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := threeCurrencies("USD", "1.0802", "0.006602")
			c.edit(p)
			err := p.Validate()
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want a *ValidationError", err)
			}
			for _, fe := range ve.Problems {
				if fe.Path == c.path && strings.Contains(fe.Expected, c.expect) {
					return
				}
			}
			t.Errorf("no problem at %s expecting %q in %v", c.path, c.expect, err)
		})
	}
	// JSON: a missing rate is reported at its path by the JSON walk.
	_, err := Load(strings.NewReader(`{"currency":"USD","start":"2026-01","months":1,"discount_rate":0.1,
		"fx":[{"currency":"EUR"}],
		"partnerships":[{"id":"eu","channel":"marketplace","currency":"EUR"}]}`))
	if err == nil || !strings.Contains(err.Error(), "fx[0].rate") {
		t.Errorf("Load without an FX rate = %v, want a problem at fx[0].rate", err)
	}
}
