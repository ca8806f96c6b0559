package costmodel

import (
	"errors"
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

func flows(vs ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(vs))
	for i, v := range vs {
		out[i] = d(v)
	}
	return out
}

// The oracle values are those of the formulajs test suite, to 1e-9.
func TestNPVFormulajs(t *testing.T) {
	t.Parallel()
	got := mustNPV(t, d("0.1"), flows("-10000", "2000", "4000", "8000")).InexactFloat64()
	if math.Abs(got-1031.3503176012546) > 1e-9 {
		t.Errorf("NPV = %.13f, want 1031.3503176012546", got)
	}
	if got := mustNPV(t, d("0"), flows("1", "2", "3")); !got.Equal(d("6")) {
		t.Errorf("NPV at 0 = %s, want 6", got)
	}
	if got := mustNPV(t, d("0.1"), nil); !got.IsZero() {
		t.Errorf("NPV of nothing = %s", got)
	}
}

func TestIRRFormulajs(t *testing.T) {
	t.Parallel()
	got, err := IRR(flows("-75000", "12000", "15000", "18000", "21000", "24000"))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got-0.05715142887178467) > 1e-9 {
		t.Errorf("IRR = %.17f, want 0.05715142887178467", got)
	}
	// The NPV at the IRR (t = 0 convention) is zero.
	if v := mustNPV(t, decimal.NewFromFloat(got), flows("12000", "15000", "18000", "21000", "24000")).Sub(d("75000")); v.Abs().GreaterThan(d("0.0001")) {
		t.Errorf("NPV at the IRR = %s", v)
	}
}

func TestIRRPolicy(t *testing.T) {
	t.Parallel()
	if _, err := IRR(flows("100", "200", "300")); !errors.Is(err, ErrNoSignChange) {
		t.Errorf("all positive: %v, want ErrNoSignChange", err)
	}
	if _, err := IRR(flows("-100", "0", "-5")); !errors.Is(err, ErrNoSignChange) {
		t.Errorf("all negative: %v, want ErrNoSignChange", err)
	}
	if _, err := IRR(nil); !errors.Is(err, ErrNoSignChange) {
		t.Errorf("empty: %v", err)
	}
	// −100, +230, −132 = −100 (1 − 1.1 v)(1 − 1.2 v)·... has NPV zero at
	// 10 % and at 20 %: (1+r)² − 2.3(1+r) + 1.32 = 0 → 1+r ∈ {1.1, 1.2}.
	_, err := IRR(flows("-100", "230", "-132"))
	var multi *MultipleIRRError
	if !errors.As(err, &multi) {
		t.Fatalf("two roots: got %v, want *MultipleIRRError", err)
	}
	if len(multi.Roots) != 2 || math.Abs(multi.Roots[0]-0.1) > 1e-9 || math.Abs(multi.Roots[1]-0.2) > 1e-9 {
		t.Errorf("roots = %v, want [0.1 0.2]", multi.Roots)
	}
	// Several sign changes but one root in range: returned.
	r, err := IRR(flows("-100", "50", "-10", "100"))
	if err != nil {
		t.Fatalf("one root among sign changes: %v", err)
	}
	if v := -100 + 50/(1+r) - 10/math.Pow(1+r, 2) + 100/math.Pow(1+r, 3); math.Abs(v) > 1e-9 {
		t.Errorf("NPV at returned IRR %g = %g", r, v)
	}
	// One sign change always has its IRR, however large: −1, +100 → 99.
	if r, err := IRR(flows("-1", "100")); err != nil || math.Abs(r-99) > 1e-9 {
		t.Errorf("IRR(-1, 100) = %v, %v; want 99", r, err)
	}
	// Two sign changes and no real root: −100, +100, −100.
	if _, err := IRR(flows("-100", "100", "-100")); !errors.Is(err, ErrNoIRR) {
		t.Errorf("no root: %v, want ErrNoIRR", err)
	}
}

func TestMonthlyRate(t *testing.T) {
	t.Parallel()
	for _, annual := range []string{"0.10", "0.12", "0.5", "-0.2", "3"} {
		m, err := MonthlyRate(d(annual))
		if err != nil {
			t.Fatal(err)
		}
		// (1 + m)^12 must give back 1 + annual to 1e-18.
		back := one.Add(m).Pow(decimal.NewFromInt(12)).Sub(one)
		if back.Sub(d(annual)).Abs().GreaterThan(d("1e-18")) {
			t.Errorf("annual %s → monthly %s → %s", annual, m, back)
		}
		want := math.Pow(1+d(annual).InexactFloat64(), 1.0/12) - 1
		if math.Abs(m.InexactFloat64()-want) > 1e-15 {
			t.Errorf("annual %s: %s, float says %g", annual, m, want)
		}
	}
	if _, err := MonthlyRate(d("-1")); err == nil {
		t.Error("rate of -100% accepted")
	}
}

func TestPayback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		flows []decimal.Decimal
		want  Payback
	}{
		{flows("-100", "40", "60", "10"), Payback{Month: 3, Reached: true}},
		{flows("-100", "40", "59.99"), Payback{}},
		{flows("5", "-10"), Payback{Month: 1, Reached: true}},
		{nil, Payback{}},
		// A late launch: the idle months before it pay nothing back.
		{flows("0", "0", "0", "-4991", "9", "5000"), Payback{Month: 6, Reached: true}},
		{flows("0", "0", "-10", "9"), Payback{}},
		{flows("0", "0"), Payback{}},
	}
	for i, c := range cases {
		if got := PaybackMonth(c.flows); got != c.want {
			t.Errorf("case %d: %+v, want %+v", i, got, c.want)
		}
	}
}
