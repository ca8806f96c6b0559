package graph

import (
	"fmt"
	"math"

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
			args := g.args[n.first : n.first+n.n]
			plus := len(args) - int(n.Minus)
			s := decimal.Zero
			if plus > 0 {
				s = dst[args[0]] // saves one addition to zero
			}
			for k, a := range args {
				switch {
				case k == 0 && plus > 0:
				case k < plus:
					s = s.Add(dst[a])
				default:
					s = s.Sub(dst[a])
				}
			}
			dst[i] = s
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
		return root12(v[0], n.Places)
	case IfLE:
		if v[0].LessThanOrEqual(v[1]) {
			return v[2]
		}
		return v[3]
	case Sum:
		plus := len(v) - int(n.Minus)
		s := decimal.Zero
		for i, x := range v {
			if i < plus {
				s = s.Add(x)
			} else {
				s = s.Sub(x)
			}
		}
		return s
	}
	panic(fmt.Sprintf("graph: apply on a %s node", n.Kind))
}

// round rounds half away from zero. A value with no more places than
// asked is returned as it is: the same number as decimal.Round gives, with
// a shorter coefficient for the products that follow.
func round(x decimal.Decimal, places int32) decimal.Decimal {
	if x.Exponent() >= -places {
		return x
	}
	return x.Round(places)
}

var twelve = decimal.NewFromInt(12)

// root12 returns base^(1/12) to the given places (base > 0; 0 otherwise).
// 1/12 does not terminate in decimal, so it is found as the root of
// x^12 = base by Newton's method from a float64 start, which converges
// quadratically: six steps take a 15-digit start far past 30 places.
func root12(base decimal.Decimal, places int32) decimal.Decimal {
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
