package graph

import (
	"fmt"
	"math"
	"math/big"

	"github.com/shopspring/decimal"
)

// DriverMonth names one driver in one month.
type DriverMonth struct{ Driver, Month int32 }

// Overrides are per-month values of drivers: an Input of driver d in
// month m reads Overrides[{d, m}] when present and the driver's value
// otherwise. Inputs with Month AllMonths never read overrides.
type Overrides map[DriverMonth]decimal.Decimal

// Eval evaluates every node exactly, in order, and returns the values
// indexed by ID. drivers holds one value per driver (len g.Drivers);
// over may be nil. dst is reused when it has room.
func (g *Graph) Eval(drivers []decimal.Decimal, over Overrides, dst []decimal.Decimal) ([]decimal.Decimal, error) {
	if len(drivers) != g.Drivers {
		return nil, fmt.Errorf("graph: %d driver values for %d drivers", len(drivers), g.Drivers)
	}
	if cap(dst) >= len(g.Nodes) {
		dst = dst[:len(g.Nodes)]
	} else {
		dst = make([]decimal.Decimal, len(g.Nodes))
	}
	var buf [8]decimal.Decimal
	var rem big.Int // the remainders of Round, reusing one buffer
	for i := range g.Nodes {
		n := &g.Nodes[i]
		switch n.Kind {
		case Const:
			dst[i] = g.consts[n.first]
			continue
		case Input:
			v := drivers[n.Driver]
			if n.Month != AllMonths && over != nil {
				if o, ok := over[DriverMonth{n.Driver, n.Month}]; ok {
					v = o
				}
			}
			dst[i] = v
			continue
		case Sum:
			dst[i] = sum(dst, g.args[n.first:n.first+n.n], int(n.Minus))
			continue
		case Round:
			dst[i] = roundWith(dst[g.args[n.first]], n.Places, &rem)
			continue
		}
		vals := buf[:0]
		for _, a := range g.args[n.first : n.first+n.n] {
			vals = append(vals, dst[a])
		}
		dst[i] = apply(n, vals)
	}
	return dst, nil
}

// apply computes one node from its operands' values.
func apply(n *Node, v []decimal.Decimal) decimal.Decimal {
	switch n.Kind {
	case Add:
		return v[0].Add(v[1])
	case Sub:
		return v[0].Sub(v[1])
	case Mul:
		return v[0].Mul(v[1])
	case Div:
		if v[1].IsZero() {
			return decimal.Zero
		}
		return v[0].DivRound(v[1], n.Places)
	case Neg:
		return v[0].Neg()
	case Min:
		if v[1].LessThan(v[0]) {
			return v[1]
		}
		return v[0]
	case Max:
		if v[1].GreaterThan(v[0]) {
			return v[1]
		}
		return v[0]
	case Round:
		return round(v[0], n.Places)
	case Root12:
		return TwelfthRoot(v[0], n.Places)
	case Ceil:
		return v[0].Ceil()
	case IfLE:
		if v[0].LessThanOrEqual(v[1]) {
			return v[2]
		}
		return v[3]
	case Sum:
		s := decimal.Zero
		for i, x := range v {
			if i < len(v)-int(n.Minus) {
				s = s.Add(x)
			} else {
				s = s.Sub(x)
			}
		}
		return s
	}
	panic(fmt.Sprintf("graph: apply on a %s node", n.Kind))
}

// round rounds half away from zero, as decimal.Round does, to the digit.
// A value with no more places than asked is returned as it is (the same
// number, with a shorter coefficient for the products that follow); the
// others drop their extra digits with one division by a cached power of
// ten, where decimal.Round computes the power and divides twice.
func round(x decimal.Decimal, places int32) decimal.Decimal {
	var rem big.Int
	return roundWith(x, places, &rem)
}

// roundWith is round with a buffer for the remainder. It drops all but
// the last of the extra digits by dividing by powers of ten of one machine
// word each (a short division, without the normalising copies of a long
// one), then by 10, and rounds away from zero when that digit is 5 or
// more, as decimal.Round does.
func roundWith(x decimal.Decimal, places int32, r *big.Int) decimal.Decimal {
	e := x.Exponent()
	if e >= -places {
		return x
	}
	drop := int(-places-e) - 1 // digits dropped before the rounding digit
	c := x.Coefficient()
	neg := c.Sign() < 0
	c.Abs(c)
	for drop > 0 && !c.IsUint64() {
		s := min(drop, 19)
		c.QuoRem(c, pow10[s], r)
		drop -= s
	}
	if c.IsUint64() {
		u := c.Uint64()
		switch {
		case drop > 19:
			u = 0
		case drop > 0:
			u /= pow10u64[drop]
		}
		u, digit := u/10, u%10
		if digit >= 5 {
			u++
		}
		if u <= math.MaxInt64 {
			v := int64(u)
			if neg {
				v = -v
			}
			return decimal.New(v, -places)
		}
		c.SetUint64(u)
	} else {
		c.QuoRem(c, pow10[1], r)
		if r.Uint64() >= 5 {
			c.Add(c, bigOne)
		}
	}
	if neg {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, -places)
}

// pow10[k] is 10^k; the products of the statement keep up to about a
// hundred places.
var pow10 = func() []*big.Int {
	out := make([]*big.Int, 400)
	out[0] = big.NewInt(1)
	ten := big.NewInt(10)
	for k := 1; k < len(out); k++ {
		out[k] = new(big.Int).Mul(out[k-1], ten)
	}
	return out
}()

var bigOne = big.NewInt(1)

// pow10u64[k] is 10^k for k ≤ 19.
var pow10u64 = func() (p [20]uint64) {
	p[0] = 1
	for k := 1; k < len(p); k++ {
		p[k] = p[k-1] * 10
	}
	return p
}()

// pow10i64[k] is 10^k for k ≤ 18.
var pow10i64 = func() (p [19]int64) {
	p[0] = 1
	for k := 1; k < len(p); k++ {
		p[k] = p[k-1] * 10
	}
	return p
}()

// sum adds the values of args, the last minus of them subtracted.
// Subtotals and roll-ups add rounded money amounts, whose coefficients
// fit an int64: those are added as integers at the smallest exponent,
// with one allocation for the result. Terms with more digits (orders,
// unrounded amounts) take decimal additions.
func sum(dst []decimal.Decimal, args []ID, minus int) decimal.Decimal {
	plus := len(args) - minus
	// With every term below 10^15 after scaling, 9,000 terms cannot
	// overflow an int64 (9.2 × 10^18).
	if len(args) <= 9000 {
		minExp := int32(0)
		fast := true
		for _, a := range args {
			e := dst[a].Exponent()
			if e < -18 {
				fast = false
				break
			}
			minExp = min(minExp, e)
		}
		var acc int64
		for i, a := range args {
			if !fast {
				break
			}
			v := dst[a]
			if v.IsZero() {
				continue
			}
			shift := int(v.Exponent() - minExp)
			if shift > 15 || v.NumDigits()+shift > 15 {
				fast = false
				break
			}
			c := v.CoefficientInt64() * pow10i64[shift]
			if i < plus {
				acc += c
			} else {
				acc -= c
			}
		}
		if fast {
			return decimal.New(acc, minExp)
		}
	}
	// Long terms: add the coefficients at the smallest exponent in one
	// accumulator.
	minExp := dst[args[0]].Exponent()
	for _, a := range args[1:] {
		minExp = min(minExp, dst[a].Exponent())
	}
	if minExp < -int32(len(pow10)) {
		return sumDecimal(dst, args, plus)
	}
	acc := new(big.Int)
	var term big.Int
	for i, a := range args {
		v := dst[a]
		shift := int(v.Exponent() - minExp)
		if v.IsZero() {
			continue
		}
		if shift >= len(pow10) {
			return sumDecimal(dst, args, plus)
		}
		term.Mul(v.Coefficient(), pow10[shift])
		if i < plus {
			acc.Add(acc, &term)
		} else {
			acc.Sub(acc, &term)
		}
	}
	return decimal.NewFromBigInt(acc, minExp)
}

// sumDecimal is the sum by decimal additions.
func sumDecimal(dst []decimal.Decimal, args []ID, plus int) decimal.Decimal {
	s := decimal.Zero
	for i, a := range args {
		if i < plus {
			s = s.Add(dst[a])
		} else {
			s = s.Sub(dst[a])
		}
	}
	return s
}

var twelve = decimal.NewFromInt(12)

// TwelfthRoot returns base^(1/12) to the given places (base > 0; 0 otherwise):
// the Root12 node's arithmetic, and the monthly discount rate's
// (costmodel.MonthlyRate), written once.
// 1/12 does not terminate in decimal, so it is found as the root of
// x^12 = base by Newton's method from a float64 start, which converges
// quadratically: six steps take a 15-digit start far past 30 places.
func TwelfthRoot(base decimal.Decimal, places int32) decimal.Decimal {
	if base.Sign() <= 0 {
		return decimal.Zero
	}
	start, _ := base.Float64()
	x := decimal.NewFromFloat(math.Pow(start, 1.0/12))
	for range 6 {
		x11 := x.Pow(decimal.NewFromInt(11))
		// x ← x − (x^12 − base) / (12 x^11)
		x = x.Sub(x11.Mul(x).Sub(base).DivRound(twelve.Mul(x11), places+5)).Round(places + 5)
	}
	return x.Round(places)
}
