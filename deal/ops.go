package deal

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// ops is the arithmetic of one number type: the deal's evaluation is
// written once over it, for the plan in exact decimals (decOps) and for
// each trial in float64 (floatOps).
type ops[T any] struct {
	from          func(decimal.Decimal) T
	fromInt       func(int64) T
	add, sub, mul func(a, b T) T
	// div returns 0 for b = 0 (a ratio of nothing is taken as nothing).
	div func(a, b T) T
	cmp func(a, b T) int
	// money rounds an amount of money: to the minor unit in decimals,
	// not at all in float64 (the simulation's convention).
	money func(T) T
	// npv is the NPV at the statement's monthly rate, Excel's convention
	// (flows[0] discounted once), as costmodel.NPV.
	npv func(rate decimal.Decimal, flows []T) T
}

func (o ops[T]) zero() T { return o.fromInt(0) }

// decOps works to 20 decimal places between money roundings; money is
// rounded to minor places (half away from zero, as the statement).
func decOps(minor int32) ops[decimal.Decimal] {
	return ops[decimal.Decimal]{
		from:    func(d decimal.Decimal) decimal.Decimal { return d },
		fromInt: decimal.NewFromInt,
		add:     decimal.Decimal.Add,
		sub:     decimal.Decimal.Sub,
		mul:     func(a, b decimal.Decimal) decimal.Decimal { return a.Mul(b).Round(20) },
		div: func(a, b decimal.Decimal) decimal.Decimal {
			if b.IsZero() {
				return decimal.Zero
			}
			return a.DivRound(b, 20)
		},
		cmp:   decimal.Decimal.Cmp,
		money: func(d decimal.Decimal) decimal.Decimal { return d.Round(minor) },
		npv: func(rate decimal.Decimal, flows []decimal.Decimal) decimal.Decimal {
			// The statement's monthly rate is > −1 (costmodel.MonthlyRate).
			v, _ := costmodel.NPV(rate, flows)
			return v.Round(minor)
		},
	}
}

var floatOps = ops[float64]{
	from:    func(d decimal.Decimal) float64 { return d.InexactFloat64() },
	fromInt: func(i int64) float64 { return float64(i) },
	add:     func(a, b float64) float64 { return a + b },
	sub:     func(a, b float64) float64 { return a - b },
	mul:     func(a, b float64) float64 { return a * b },
	div: func(a, b float64) float64 {
		if b == 0 {
			return 0
		}
		return a / b
	},
	cmp: func(a, b float64) int {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	},
	money: func(a float64) float64 { return a },
	npv: func(rate decimal.Decimal, flows []float64) float64 {
		g := 1 + rate.InexactFloat64()
		s, df := 0.0, 1.0
		for _, f := range flows {
			df *= g
			s += f / df
		}
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return 0
		}
		return s
	},
}
