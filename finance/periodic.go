package finance

import (
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

var one = decimal.NewFromInt(1)

// Timing says when the first of a series of periodic flows falls.
type Timing int

const (
	// EndOfFirstPeriod discounts flows[0] once (t = 1), flows[i] i+1
	// times: Excel's NPV and costmodel.NPV. The valuation date is the
	// start of the first period.
	EndOfFirstPeriod Timing = iota
	// AtZero leaves flows[0] undiscounted (t = 0) and discounts flows[i]
	// i times: the textbook NPV, and Excel's =A1+NPV(r, A2:An). The
	// valuation date is the first flow's.
	AtZero
)

// String names the timing.
func (t Timing) String() string {
	switch t {
	case EndOfFirstPeriod:
		return "end-of-first-period"
	case AtZero:
		return "at-zero"
	}
	return fmt.Sprintf("Timing(%d)", int(t))
}

// NPV is the net present value of periodic flows at the per-period rate,
// with the first flow at t = 0 (AtZero) or t = 1 (EndOfFirstPeriod):
//
//	EndOfFirstPeriod: Σ flows[i] / (1+rate)^(i+1)
//	AtZero:           Σ flows[i] / (1+rate)^i = flows[0] + NPV_end(flows[1:])
//
// It is costmodel.NPV (precision 1.1e-20, see there) with the shift; the
// two differ by the factor 1 + rate. rate must be > −1 (*RateError); an
// unknown timing is an error. No flows give 0.
func NPV(rate decimal.Decimal, flows []decimal.Decimal, timing Timing) (decimal.Decimal, error) {
	if one.Add(rate).Sign() <= 0 {
		return decimal.Zero, &RateError{Name: "rate", Rate: rate}
	}
	switch timing {
	case EndOfFirstPeriod:
		return costmodel.NPV(rate, flows)
	case AtZero:
		if len(flows) == 0 {
			return decimal.Zero, nil
		}
		rest, err := costmodel.NPV(rate, flows[1:])
		if err != nil {
			return decimal.Zero, err
		}
		return flows[0].Add(rest), nil // costmodel.NPV has 20 places; flows[0] is exact
	}
	return decimal.Zero, fmt.Errorf("finance: NPV: unknown timing %d", int(timing))
}

// IRRResult holds every per-period rate at which the NPV of a series of
// periodic flows changes sign, and the rule for reporting one.
//
// Policy. A single sign change in the flows gives exactly one root
// (Descartes' rule of signs) and Unique is true. Several sign changes may
// give several roots: Roots lists them all, ascending, and Unique is
// false. No root is then "the" IRR: the present value is positive between
// some roots and negative between others, so a finance user should judge
// the deal by NPV at the cost of capital or by [MIRR]. [IRRResult.Nearest]
// picks the root nearest a guess for those who want Excel's behaviour
// (Excel's IRR returns the root its Newton iteration reaches from the
// guess, 10 % by default).
type IRRResult struct {
	// Roots are the rates, ascending, each > −1 and found to 1e-12
	// (absolute below 100 %, relative above).
	Roots []float64
	// Unique is true when the flows change sign once (one root).
	Unique bool
}

// Nearest returns the root nearest to guess, and false when there is no
// root.
func (r *IRRResult) Nearest(guess float64) (float64, bool) {
	if r == nil || len(r.Roots) == 0 {
		return 0, false
	}
	return nearest(r.Roots, guess), true
}

// IRR finds every per-period rate r in (−100 %, +∞) at which
// Σ flows[i] / (1+r)^i = 0, flows[0] at t = 0 (Excel's IRR convention;
// shifting every flow by one period does not move the roots). Unlike
// costmodel.IRR, which searches (−99 %, 1000 %] for flows that change sign
// more than once, the search covers every rate: losing 99.9 % of the
// money in a period is a root like any other. Flows without a negative
// and a positive amount give ErrNeedBothSigns; flows whose NPV never
// crosses zero give ErrNoRoot.
func IRR(flows []decimal.Decimal) (IRRResult, error) {
	if len(flows) == 0 {
		return IRRResult{}, ErrNoFlows
	}
	if !bothSigns(flows) {
		return IRRResult{}, ErrNeedBothSigns
	}
	f := make([]float64, len(flows))
	changes, last := 0, 0
	for i, d := range flows {
		f[i] = d.InexactFloat64()
		if s := d.Sign(); s != 0 {
			if last != 0 && s != last {
				changes++
			}
			last = s
		}
	}
	n := len(f)
	// up(v) = Σ f_i v^i, v = 1/(1+r) ∈ (0, 1] for r ≥ 0;
	// down(w) = Σ f_i w^(n−1−i) = (1+r)^(n−1)·NPV, w = 1+r ∈ (0, 1).
	up := func(v float64) float64 {
		s := 0.0
		for i := n - 1; i >= 0; i-- {
			s = s*v + f[i]
		}
		return s
	}
	down := func(w float64) float64 {
		s := 0.0
		for i := 0; i < n; i++ {
			s = s*w + f[i]
		}
		return s
	}
	rs, err := rootsBothWays(up, down)
	if err != nil {
		return IRRResult{}, err
	}
	return IRRResult{Roots: rs, Unique: changes == 1 && len(rs) == 1}, nil
}

// MIRR is the modified internal rate of return of periodic flows (Excel's
// MIRR): payments (negative flows) are discounted to t = 0 at
// financeRate, receipts (positive flows) compounded to the last period at
// reinvestRate, and MIRR is the rate that grows the one into the other
// over the n − 1 periods:
//
//	MIRR = ( FV(receipts, reinvestRate) / −PV(payments, financeRate) )^(1/(n−1)) − 1
//
// The present and future values are exact decimals (integer powers); the
// root is taken in float64 (a relative error of about 1e-16). The flows
// need a negative and a positive amount (ErrNeedBothSigns; Excel returns
// #DIV/0!) and both rates must be > −1.
func MIRR(flows []decimal.Decimal, financeRate, reinvestRate decimal.Decimal) (float64, error) {
	if one.Add(financeRate).Sign() <= 0 {
		return 0, &RateError{Name: "finance rate", Rate: financeRate}
	}
	if one.Add(reinvestRate).Sign() <= 0 {
		return 0, &RateError{Name: "reinvestment rate", Rate: reinvestRate}
	}
	if !bothSigns(flows) {
		return 0, ErrNeedBothSigns
	}
	n := len(flows)
	fin, re := one.Add(financeRate), one.Add(reinvestRate)
	// PV of payments at t = 0 and FV of receipts at t = n−1, each kept
	// with 30 significant digits per factor.
	pv, fv := decimal.Zero, decimal.Zero
	for i, f := range flows {
		switch f.Sign() {
		case -1:
			d, err := fin.PowWithPrecision(decimal.NewFromInt(int64(-i)), 40)
			if err != nil {
				return 0, fmt.Errorf("finance: MIRR: %w", err)
			}
			pv = pv.Add(f.Mul(d))
		case 1:
			g, err := re.PowWithPrecision(decimal.NewFromInt(int64(n-1-i)), 40)
			if err != nil {
				return 0, fmt.Errorf("finance: MIRR: %w", err)
			}
			fv = fv.Add(f.Mul(g))
		}
	}
	ratio := fv.DivRound(pv.Neg(), 30).InexactFloat64()
	m := math.Pow(ratio, 1/float64(n-1)) - 1
	if math.IsNaN(m) || math.IsInf(m, 0) {
		return 0, fmt.Errorf("finance: MIRR: the ratio of future receipts to present payments, %g, has no finite %d-period rate", ratio, n-1)
	}
	return m, nil
}

// Payback is the period in which a series of flows has paid back: the
// first period whose cumulative flow is ≥ 0 after the cumulative flow has
// been negative.
type Payback struct {
	// Period is the index of that period counted from the base given to
	// [PaybackMonth]: with base 0 the first flow is period 0 (the
	// textbook's t = 0 investment), with base 1 it is period 1 (the
	// statement's month 1, as costmodel.PaybackMonth counts).
	Period int
	// Fraction is the textbook interpolated payback, counted from the
	// same base: the last period with a negative cumulative flow plus the
	// share of the next flow that brings the cumulative flow to zero,
	// (Period − 1) + |cum(Period−1)| / flows[Period], to 10 decimal
	// places. With base 0 and an investment at t = 0 this is the
	// textbook's "payback in years".
	Fraction decimal.Decimal
	// Reached is false when the cumulative flow never turns back to ≥ 0,
	// or is never negative (nothing to pay back).
	Reached bool
}

// PaybackMonth finds the payback period of periodic flows, counted from
// base (0 or 1; anything else is an error). Leading zero flows count as
// periods: the clock starts at the first flow, not the first non-zero
// one (costmodel.PaybackMonth starts at the first non-zero flow, because
// a statement's horizon may begin before a partnership does).
func PaybackMonth(flows []decimal.Decimal, base int) (Payback, error) {
	if base != 0 && base != 1 {
		return Payback{}, fmt.Errorf("finance: payback base %d: expected 0 or 1", base)
	}
	cum := decimal.Zero
	negative := false
	for i, f := range flows {
		prev := cum
		cum = cum.Add(f)
		if cum.Sign() < 0 {
			negative = true
			continue
		}
		if negative {
			// prev < 0 ≤ cum, so f > 0.
			frac := prev.Neg().DivRound(f, 10)
			return Payback{Period: i + base, Fraction: decimal.NewFromInt(int64(i - 1 + base)).Add(frac), Reached: true}, nil
		}
	}
	return Payback{}, nil
}
