package costmodel

import (
	"testing"

	"github.com/shopspring/decimal"
)

// mustNPV is NPV for a rate the test knows to be > −1.
func mustNPV(t testing.TB, rate decimal.Decimal, flows []decimal.Decimal) decimal.Decimal {
	t.Helper()
	v, err := NPV(rate, flows)
	if err != nil {
		t.Fatalf("NPV(%s): %v", rate, err)
	}
	return v
}

// TestNPVRateAtOrBelowMinusOne: (1+rate)^t is zero at −100 % and changes
// sign below it; NPV returns an error there instead of dividing by zero.
func TestNPVRateAtOrBelowMinusOne(t *testing.T) {
	t.Parallel()
	fs := []decimal.Decimal{decimal.NewFromInt(-100), decimal.NewFromInt(50)}
	for _, r := range []string{"-1", "-1.5", "-2", "-100"} {
		if v, err := NPV(decimal.RequireFromString(r), fs); err == nil {
			t.Errorf("NPV at rate %s = %s, want an error", r, v)
		}
		if _, err := NPV(decimal.RequireFromString(r), nil); err == nil {
			t.Errorf("NPV at rate %s of no flows: want an error", r)
		}
	}
	// Just above −1 it is defined: 50 discounted once at −99.9 % is 50/0.001.
	if v := mustNPV(t, decimal.RequireFromString("-0.999"), fs[1:]); !v.Equal(decimal.NewFromInt(50000)) {
		t.Errorf("NPV(-0.999, 50) = %s, want 50000", v)
	}
}
