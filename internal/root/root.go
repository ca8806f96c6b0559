// Package root finds a root of a scalar function in a bracket, for the
// goal seeks and IRRs of Marginal. Neither the standard library nor gonum
// has a bracketed scalar root finder, so this is written here.
package root

import (
	"errors"
	"fmt"
	"math"
)

// ErrNoBracket reports that f(a) and f(b) have the same sign.
var ErrNoBracket = errors.New("root: no sign change in the bracket")

// NoBracketError carries the function's values at both ends of a bracket
// that holds no sign change.
type NoBracketError struct {
	A, B   float64
	FA, FB float64
}

// Error gives the bracket and the function's values at its ends.
func (e *NoBracketError) Error() string {
	return fmt.Sprintf("root: no sign change between %g (f = %g) and %g (f = %g)", e.A, e.FA, e.B, e.FB)
}

// Unwrap makes errors.Is(err, ErrNoBracket) true.
func (e *NoBracketError) Unwrap() error { return ErrNoBracket }

// Brent returns x in [a, b] with |x − x*| ≤ tol for a root x* of f, by
// Brent's method (inverse quadratic interpolation safeguarded by
// bisection). f(a) and f(b) must differ in sign (or one be zero); f must
// not return NaN. At most 200 iterations are made, far more than the
// ~log2((b − a)/tol) that bisection alone needs.
func Brent(f func(float64) float64, a, b, tol float64) (float64, error) {
	if math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) || math.IsInf(b, 0) || !(tol > 0) {
		return 0, fmt.Errorf("root: invalid bracket [%g, %g] or tolerance %g", a, b, tol)
	}
	fa, fb := f(a), f(b)
	if math.IsNaN(fa) || math.IsNaN(fb) {
		return 0, fmt.Errorf("root: function is NaN at the bracket ends")
	}
	if fa == 0 {
		return a, nil
	}
	if fb == 0 {
		return b, nil
	}
	if (fa > 0) == (fb > 0) {
		return 0, &NoBracketError{A: a, B: b, FA: fa, FB: fb}
	}
	if math.Abs(fa) < math.Abs(fb) {
		a, b, fa, fb = b, a, fb, fa
	}
	c, fc := a, fa
	d := b - a
	mflag := true
	for range 200 {
		if fb == 0 || math.Abs(b-a) <= tol {
			return b, nil
		}
		var s float64
		if fa != fc && fb != fc {
			s = a*fb*fc/((fa-fb)*(fa-fc)) + b*fa*fc/((fb-fa)*(fb-fc)) + c*fa*fb/((fc-fa)*(fc-fb))
		} else {
			s = b - fb*(b-a)/(fb-fa)
		}
		lo, hi := (3*a+b)/4, b
		if lo > hi {
			lo, hi = hi, lo
		}
		if s < lo || s > hi ||
			(mflag && math.Abs(s-b) >= math.Abs(b-c)/2) ||
			(!mflag && math.Abs(s-b) >= math.Abs(c-d)/2) ||
			(mflag && math.Abs(b-c) < tol) ||
			(!mflag && math.Abs(c-d) < tol) {
			s = (a + b) / 2
			mflag = true
		} else {
			mflag = false
		}
		fs := f(s)
		if math.IsNaN(fs) {
			return 0, fmt.Errorf("root: function is NaN at %g", s)
		}
		d, c, fc = c, b, fb
		if (fa > 0) != (fs > 0) {
			b, fb = s, fs
		} else {
			a, fa = s, fs
		}
		if math.Abs(fa) < math.Abs(fb) {
			a, b, fa, fb = b, a, fb, fa
		}
	}
	return b, nil
}
