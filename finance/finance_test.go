package finance

import (
	"errors"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ds(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = d(s)
	}
	return out
}

func date(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

// microsoftFlows is the example of Microsoft's XNPV and XIRR help pages
// (support.microsoft.com, "XNPV function", "XIRR function").
var microsoftFlows = []DatedFlow{
	{date(2008, 1, 1), d("-10000")},
	{date(2008, 3, 1), d("2750")},
	{date(2008, 10, 30), d("4250")},
	{date(2009, 2, 15), d("3250")},
	{date(2009, 4, 1), d("2750")},
}

// TestXNPVMicrosoft: XNPV(0.09, …) = 2086.6476 (2086.65) on the help page.
func TestXNPVMicrosoft(t *testing.T) {
	t.Parallel()
	got, err := XNPV(d("0.09"), microsoftFlows)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Round(4).Equal(d("2086.6476")) {
		t.Errorf("XNPV = %s, want 2086.6476 (Microsoft's published value)", got)
	}
	// The same value by float64 arithmetic (a second, independent path):
	// the decimal result must agree to well below a cent.
	f := 0.0
	for _, fl := range microsoftFlows {
		days := fl.Date.Sub(microsoftFlows[0].Date).Hours() / 24
		f += fl.Amount.InexactFloat64() / math.Pow(1.09, days/365)
	}
	if math.Abs(got.InexactFloat64()-f) > 1e-9 {
		t.Errorf("XNPV = %s, float64 sum %.10f", got, f)
	}
}

// TestXIRRMicrosoft: XIRR(…, 0.1) = 0.373362535 on the help page.
func TestXIRRMicrosoft(t *testing.T) {
	t.Parallel()
	got, err := XIRR(microsoftFlows, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	// Excel iterates until the result is accurate to 0.000001 % (1e-8,
	// the help page says), so its published digits are within 1e-8 of
	// the root; the root found here is to 1e-12 (checked just below).
	if math.Abs(got-0.373362535) > 1e-8 {
		t.Errorf("XIRR = %.12f, want 0.373362535 ± 1e-8 (Microsoft's published value and stopping rule)", got)
	}
	// The XNPV at the root is zero to the root's precision: dXNPV/dr is
	// about −1e4 here, so 1e-12 in the rate is 1e-8 in money.
	v, err := XNPV(decimal.NewFromFloat(got), microsoftFlows)
	if err != nil {
		t.Fatal(err)
	}
	if v.Abs().GreaterThan(d("0.000001")) {
		t.Errorf("XNPV at the XIRR = %s", v)
	}
}

// TestXNPVWholeYearsExact: at whole years the discount factors are integer
// powers, so XNPV must equal the exact rational Σ a_k / 1.1^k to 1e-20.
func TestXNPVWholeYearsExact(t *testing.T) {
	t.Parallel()
	var flows []DatedFlow
	exact := new(big.Rat)
	for k := range 6 {
		a := int64(1000*k - 2500)
		// 365-day years from a non-leap start: 2001-01-01 + 365·k days.
		flows = append(flows, DatedFlow{date(2001, 1, 1).AddDate(0, 0, 365*k), decimal.NewFromInt(a)})
		den := new(big.Int).Exp(big.NewInt(11), big.NewInt(int64(k)), nil)
		num := new(big.Int).Mul(big.NewInt(a), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil))
		exact.Add(exact, new(big.Rat).SetFrac(num, den))
	}
	got, err := XNPV(d("0.1"), flows)
	if err != nil {
		t.Fatal(err)
	}
	want := decimal.NewFromBigRat(exact, 30)
	if diff := got.Sub(want).Abs(); diff.GreaterThan(d("1e-20")) {
		t.Errorf("XNPV = %s, exact %s (off by %s)", got, want, diff)
	}
}

// TestMIRRMicrosoft: Microsoft's MIRR help page, −120000 then 39000,
// 30000, 21000, 37000, 46000 at a 10 % finance and 12 % reinvestment
// rate: 12.61 % over five years, −4.80 % over three, 13.48 % at 14 %
// reinvestment (the page rounds to two places of a percent).
func TestMIRRMicrosoft(t *testing.T) {
	t.Parallel()
	fs := ds("-120000", "39000", "30000", "21000", "37000", "46000")
	for _, c := range []struct {
		name    string
		flows   []decimal.Decimal
		reinv   string
		wantPct float64
	}{
		{"five years", fs, "0.12", 12.61},
		{"three years", fs[:4], "0.12", -4.80},
		{"14 % reinvestment", fs, "0.14", 13.48},
	} {
		got, err := MIRR(c.flows, d("0.1"), d(c.reinv))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if math.Abs(100*got-c.wantPct) > 0.005 {
			t.Errorf("%s: MIRR = %.4f %%, want %.2f %% (Microsoft, rounded)", c.name, 100*got, c.wantPct)
		}
		// The closed form in float64.
		n := len(c.flows)
		pv, fv := 0.0, 0.0
		re, _ := d(c.reinv).Float64()
		for i, f := range c.flows {
			x := f.InexactFloat64()
			if x < 0 {
				pv += x / math.Pow(1.1, float64(i))
			} else {
				fv += x * math.Pow(1+re, float64(n-1-i))
			}
		}
		if want := math.Pow(fv/-pv, 1/float64(n-1)) - 1; math.Abs(got-want) > 1e-14 {
			t.Errorf("%s: MIRR = %.16f, closed form %.16f", c.name, got, want)
		}
	}
	if _, err := MIRR(ds("1", "2"), d("0.1"), d("0.1")); !errors.Is(err, ErrNeedBothSigns) {
		t.Errorf("receipts only: %v, want ErrNeedBothSigns", err)
	}
	var re *RateError
	if _, err := MIRR(fs, d("-1"), d("0.1")); !errors.As(err, &re) {
		t.Errorf("finance rate -1: %v, want *RateError", err)
	}
}

// TestIRRTwoRoots: −100, +230, −132 has NPV −100 + 230v − 132v², zero
// where (1+r)² − 2.3(1+r) + 1.32 = 0, 1+r ∈ {1.1, 1.2}: both roots,
// 10 % and 20 %, are reported and Unique is false.
func TestIRRTwoRoots(t *testing.T) {
	t.Parallel()
	res, err := IRR(ds("-100", "230", "-132"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Roots) != 2 || math.Abs(res.Roots[0]-0.1) > 1e-12 || math.Abs(res.Roots[1]-0.2) > 1e-12 || res.Unique {
		t.Fatalf("IRR = %+v, want roots [0.1 0.2], not unique", res)
	}
	if r, ok := res.Nearest(0.17); !ok || r != res.Roots[1] {
		t.Errorf("Nearest(0.17) = %g, %v", r, ok)
	}
}

// TestIRRBelowMinus99: −100 then +0.05 loses 99.95 % in a period: IRR
// −0.9995, below costmodel.IRR's −99 % floor. And a root at −99.99 % with
// a second one at 50 %: −1, +1.5001… built from (w − 0.0001)(w − 1.5)
// with w = 1+r: −w² + 1.5001w − 0.00015 in flows f0 w² + f1 w + f2.
func TestIRRBelowMinus99(t *testing.T) {
	t.Parallel()
	res, err := IRR(ds("-100", "0.05"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Roots) != 1 || math.Abs(res.Roots[0]+0.9995) > 1e-12 || !res.Unique {
		t.Errorf("IRR(-100, 0.05) = %+v, want the one root -0.9995", res)
	}
	// NPV·w² = f0 w² + f1 w + f2 = −(w − 0.0001)(w − 1.5).
	res, err = IRR(ds("-1", "1.5001", "-0.00015"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Roots) != 2 || math.Abs(res.Roots[0]+0.9999) > 1e-12 || math.Abs(res.Roots[1]-0.5) > 1e-12 {
		t.Errorf("IRR = %+v, want [-0.9999 0.5]", res)
	}
	// Large: −1, +100 → 9900 %.
	res, err = IRR(ds("-1", "100"))
	if err != nil || len(res.Roots) != 1 || math.Abs(res.Roots[0]-99)/99 > 1e-12 {
		t.Errorf("IRR(-1, 100) = %+v, %v, want 99", res, err)
	}
	if _, err := IRR(ds("1", "2")); !errors.Is(err, ErrNeedBothSigns) {
		t.Errorf("IRR(1, 2): %v", err)
	}
	// −1, +3, −3 has NPV −(1 − 3v + 3v²) < 0 for every v (discriminant
	// 9 − 12 < 0): sign changes but no root.
	if _, err := IRR(ds("-1", "3", "-3")); !errors.Is(err, ErrNoRoot) {
		t.Errorf("IRR(-1, 3, -3): %v, want ErrNoRoot", err)
	}
}

// TestNPVTiming: AtZero = (1 + r) · EndOfFirstPeriod, and at 10 % the
// textbook NPV of −1000, 600, 600 is −1000 + 600/1.1 + 600/1.21.
func TestNPVTiming(t *testing.T) {
	t.Parallel()
	fs := ds("-1000", "600", "600")
	at0, err := NPV(d("0.1"), fs, AtZero)
	if err != nil {
		t.Fatal(err)
	}
	end, err := NPV(d("0.1"), fs, EndOfFirstPeriod)
	if err != nil {
		t.Fatal(err)
	}
	// −1000 + 600/1.1 + 600/1.21 = (−1210 + 660 + 600)/1.21 = 50/1.21.
	want := d("50").DivRound(d("1.21"), 20)
	if at0.Sub(want).Abs().GreaterThan(d("2e-20")) {
		t.Errorf("NPV at zero = %s, want 50/1.21 = %s", at0, want)
	}
	if end.Mul(d("1.1")).Sub(at0).Abs().GreaterThan(d("1e-19")) {
		t.Errorf("end-of-period %s × 1.1 ≠ at-zero %s", end, at0)
	}
	var re *RateError
	if _, err := NPV(d("-1"), fs, AtZero); !errors.As(err, &re) {
		t.Errorf("rate -1: %v", err)
	}
	if _, err := NPV(d("0.1"), fs, Timing(7)); err == nil {
		t.Error("unknown timing: no error")
	}
}

// TestPaybackBase: −1000, 300, 400, 500: cumulative −1000, −700, −300,
// +200: paid back in the fourth flow, period 3 counted from 0 (textbook:
// 2 + 300/500 = 2.6 years) or period 4 counted from 1 (3.6).
func TestPaybackBase(t *testing.T) {
	t.Parallel()
	fs := ds("-1000", "300", "400", "500")
	p0, err := PaybackMonth(fs, 0)
	if err != nil || !p0.Reached || p0.Period != 3 || !p0.Fraction.Equal(d("2.6")) {
		t.Errorf("base 0: %+v, %v, want period 3, 2.6", p0, err)
	}
	p1, err := PaybackMonth(fs, 1)
	if err != nil || !p1.Reached || p1.Period != 4 || !p1.Fraction.Equal(d("3.6")) {
		t.Errorf("base 1: %+v, %v, want period 4, 3.6", p1, err)
	}
	if p, _ := PaybackMonth(ds("-1", "0.5"), 0); p.Reached {
		t.Errorf("never paid back: %+v", p)
	}
	if _, err := PaybackMonth(fs, 2); err == nil {
		t.Error("base 2: no error")
	}
}

// TestXNPVErrors: a flow before the first date, a rate of −100 %.
func TestXNPVErrors(t *testing.T) {
	t.Parallel()
	bad := []DatedFlow{{date(2020, 2, 1), d("-1")}, {date(2020, 1, 1), d("2")}}
	var de *DateError
	if _, err := XNPV(d("0.1"), bad); !errors.As(err, &de) || de.Index != 1 {
		t.Errorf("early date: %v", err)
	}
	if _, err := XIRR(bad, 0.1); !errors.As(err, &de) {
		t.Errorf("XIRR early date: %v", err)
	}
	var re *RateError
	if _, err := XNPV(d("-1"), microsoftFlows); !errors.As(err, &re) {
		t.Errorf("rate -1: %v", err)
	}
	if _, err := XIRR(microsoftFlows[1:], 0.1); !errors.Is(err, ErrNeedBothSigns) {
		t.Errorf("receipts only: %v", err)
	}
}
