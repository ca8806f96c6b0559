package costmodel

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

// Op.ApplyFloat, the simulation's application of a draw, is Op.Apply in
// float64: for every op, on values of both signs, zero, fractions that
// have no exact binary form and large amounts, the float result is the
// exact result rounded, within the error of float arithmetic. The
// tolerance is 4 ulps of the operands' scale: converting each operand to
// float64 is off by at most half an ulp (2^−53 relative), and the one
// multiply or add by another half, so a product is within 1.5 × 2^−53 of
// |old × v| and a sum within 2^−53 (|old| + |v|) + 2^−53 |old + v|;
// 4 × 2^−52 (|old × v| + |old| + |v|) covers both with room.
func TestApplyFloatIsApply(t *testing.T) {
	t.Parallel()
	values := []string{"0", "1", "-1", "0.1", "0.3", "-0.07", "1.25", "12.3456789", "1e9", "-2500000.01", "0.000001"}
	for _, op := range []Op{Multiply, Add, SetTo} {
		for _, a := range values {
			for _, b := range values {
				old, v := decimal.RequireFromString(a), decimal.RequireFromString(b)
				exact, err := op.Apply(old, v)
				if err != nil {
					t.Fatal(err)
				}
				of, vf := old.InexactFloat64(), v.InexactFloat64()
				got, err := op.ApplyFloat(of, vf)
				if err != nil {
					t.Fatal(err)
				}
				want := exact.InexactFloat64()
				tol := 4 * 0x1p-52 * (math.Abs(of*vf) + math.Abs(of) + math.Abs(vf))
				if math.Abs(got-want) > tol {
					t.Errorf("%s %s by %s: float %v, exact %v (tolerance %.3g)", op, a, b, got, want, tol)
				}
			}
		}
	}
	// What each op does, on numbers float64 holds exactly.
	for _, c := range []struct {
		op         Op
		old, v, is float64
	}{{Multiply, 3, 1.5, 4.5}, {Add, 3, 1.5, 4.5}, {Add, 3, -4, -1}, {SetTo, 3, 1.5, 1.5}, {Multiply, -2, 0.25, -0.5}} {
		if got, _ := c.op.ApplyFloat(c.old, c.v); got != c.is {
			t.Errorf("%s %v by %v: %v, want %v", c.op, c.old, c.v, got, c.is)
		}
	}
	if _, err := Op("scale").ApplyFloat(1, 2); err == nil {
		t.Error(`op "scale": no error`)
	}
}
