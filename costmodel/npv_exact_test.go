package costmodel

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// ratNPV is the exact NPV, Σ f_t / (1+r)^(t+1), as a rational. With
// 1+r = p/q and f_t = c_t/10^E it is Σ c_t q^(t+1) p^(n−1−t) / (p^n 10^E),
// whose numerator Horner's rule builds in integers (a big.Rat sum would
// reduce a fraction of thousands of digits at every step).
func ratNPV(rate decimal.Decimal, fs []decimal.Decimal) *big.Rat {
	g := new(big.Rat).Add(big.NewRat(1, 1), rate.Rat())
	p, q := g.Num(), g.Denom()
	e := int32(0)
	for _, f := range fs {
		e = min(e, f.Exponent())
	}
	num, qt := new(big.Int), new(big.Int).Set(q)
	for _, f := range fs {
		c := f.Shift(-e).BigInt() // exact: −e ≥ f's places
		num.Mul(num, p).Add(num, c.Mul(c, qt))
		qt.Mul(qt, q)
	}
	den := new(big.Int).Exp(p, big.NewInt(int64(len(fs))), nil)
	den.Mul(den, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-e)), nil))
	return new(big.Rat).SetFrac(num, den)
}

// checkNPV asserts that mustNPV(t, rate, fs) is within 1.1e-20 of the exact value
// (the bound NPV's comment derives) and that both round to the same cent.
func checkNPV(t *testing.T, name string, rate decimal.Decimal, fs []decimal.Decimal) {
	t.Helper()
	got := mustNPV(t, rate, fs)
	exact := ratNPV(rate, fs)
	diff := new(big.Rat).Sub(got.Rat(), exact)
	diff.Abs(diff)
	bound := new(big.Rat).SetFrac(big.NewInt(11), new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil))
	if diff.Cmp(bound) > 0 {
		t.Errorf("%s: NPV = %s, exact %s: off by %s, more than 1.1e-20", name, got.Round(4), exact.FloatString(4), diff.FloatString(25))
	}
	want := decimal.NewFromBigRat(exact, 30).Round(2)
	if !got.Round(2).Equal(want) {
		t.Errorf("%s: NPV to the cent = %s, exact %s", name, got.Round(2), want)
	}
}

// NPV(1, 2, 4, …, 2^120) = Σ 2^t / 2^t = 120 exactly: the discount
// factor 2^-120 ≈ 7.5e-37 is below any fixed number of places.
func TestNPVGeometricDoubling(t *testing.T) {
	var fs []decimal.Decimal
	p := decimal.NewFromInt(1)
	for range 120 {
		p = p.Mul(decimal.NewFromInt(2))
		fs = append(fs, p)
	}
	if got := mustNPV(t, one, fs); !got.Equal(decimal.NewFromInt(120)) {
		t.Errorf("NPV(1, 2..2^120) = %s, want 120", got)
	}
	checkNPV(t, "doubling", one, fs)
}

// A level annuity c for n periods at r is c (1 − (1+r)^−n) / r.
func TestNPVAnnuityClosedForm(t *testing.T) {
	for _, tc := range []struct{ rate, c string }{
		{"0.22112", "1000000"}, {"-0.05613", "123.45"}, {"0.01", "9999999999999"}, {"5", "1"},
	} {
		r, c := d(tc.rate), d(tc.c)
		fs := make([]decimal.Decimal, MaxMonths)
		for i := range fs {
			fs[i] = c
		}
		g := new(big.Rat).Add(big.NewRat(1, 1), r.Rat())
		gn := new(big.Rat).SetInt64(1)
		for range MaxMonths {
			gn.Mul(gn, g)
		}
		// c (1 − g^−n) / r
		closed := new(big.Rat).Sub(big.NewRat(1, 1), new(big.Rat).Inv(gn))
		closed.Mul(closed, c.Rat()).Quo(closed, r.Rat())
		want := decimal.NewFromBigRat(closed, 30).Round(2)
		if got := mustNPV(t, r, fs).Round(2); !got.Equal(want) {
			t.Errorf("annuity %s at %s: NPV = %s, closed form %s", tc.c, tc.rate, got, want)
		}
	}
}

// The DOMAIN oracle, at the cent and beyond.
func TestNPVDomainOracle(t *testing.T) {
	got := mustNPV(t, d("0.1"), flows("-10000", "2000", "4000", "8000"))
	if !got.Round(2).Equal(d("1031.35")) {
		t.Errorf("NPV = %s, want 1031.35", got)
	}
	checkNPV(t, "oracle", d("0.1"), flows("-10000", "2000", "4000", "8000"))
}

// Random flows and rates, including the extreme monthly rates validation
// allows (annual −0.5 and 10) and flows as large as 50 years of growth at
// 1000 % a year on the largest inputs can make them.
func TestNPVMatchesRat(t *testing.T) {
	lo, _ := MonthlyRate(discountMin)
	hi, _ := MonthlyRate(growthMax)
	rates := []decimal.Decimal{lo, hi, decimal.Zero, d("0.00797414042890374107"), d("-0.9"), d("1"), d("10")}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		rates = append(rates, decimal.NewFromFloat(rng.Float64()*0.3-0.06).Round(20))
	}
	for i, r := range rates {
		n := []int{1, 2, 60, 300, 599, 600}[i%6]
		if i < 2 {
			n = MaxMonths
		}
		fs := make([]decimal.Decimal, n)
		for k := range fs {
			mag := rng.IntN(90) - 4 // 1e-4 to 1e85
			fs[k] = decimal.New(rng.Int64N(2_000_000_001)-1_000_000_000, int32(mag-9)).Round(12)
		}
		checkNPV(t, "rate "+r.String(), r, fs)
	}
}

// small.json at 2000-01 over 600 months, discounting at 1000 % a year with
// volumes growing 1000 % a year: the portfolio NPV is exact to the cent
// (the old fixed-places factor stopped shrinking near 1e-30 and gave 5.7e25).
func TestNPVPortfolioExtreme(t *testing.T) {
	for _, months := range []int{300, 600} {
		p := loadTestdata(t, "small.json")
		p.Start = Month{Year: 2000, Month: 1}
		p.Months = months
		p.DiscountRate = d("10")
		for i := range p.Partnerships {
			for j := range p.Partnerships[i].Categories {
				p.Partnerships[i].Categories[j].Growth = d("10")
			}
		}
		st, err := Evaluate(p)
		if err != nil {
			t.Fatal(err)
		}
		want := decimal.NewFromBigRat(ratNPV(st.MonthlyRate, st.Portfolio.Series(LineNetCashFlow)), 30).Round(2)
		if !st.Measures.NPV.Equal(want) {
			t.Errorf("%d months: NPV = %s, exact %s", months, st.Measures.NPV, want)
		}
	}
}
