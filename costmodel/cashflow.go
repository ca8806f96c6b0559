package costmodel

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/internal/root"
	"github.com/shopspring/decimal"
)

// ratePrecision is the number of decimal places kept for rates, discount
// factors and other non-money intermediates. Twenty places keep every
// money line exact to far below the cent for amounts up to 10^15.
const ratePrecision = 20

// ratioPrecision is the number of decimal places of reported ratios.
const ratioPrecision = 10

var (
	one    = decimal.NewFromInt(1)
	twelve = decimal.NewFromInt(12)
)

// MonthlyRate converts an annual rate to the equivalent monthly rate,
// (1 + annual)^(1/12) − 1, to 20 decimal places. annual must be > −1.
func MonthlyRate(annual decimal.Decimal) (decimal.Decimal, error) {
	base := one.Add(annual)
	if base.Sign() <= 0 {
		return decimal.Zero, fmt.Errorf("annual rate %s: expected > -1", annual)
	}
	if annual.IsZero() {
		return decimal.Zero, nil
	}
	return graph.TwelfthRoot(base, ratePrecision+10).Sub(one).Round(ratePrecision), nil
}

// NPV is the net present value of flows at the per-period rate, with
// Excel's NPV convention: flows[0] is received at the end of the first
// period and discounted once (t = 1), flows[i] is discounted i+1 times.
// The valuation date is therefore the start of the first period. The
// result is rounded to 20 decimal places and is within 1.1e-20 of the
// exact value Σ flows[i] / (1+rate)^(i+1), for every rate > −1, horizon
// and flow size; rate must be > −1.
//
// Precision. A factor kept to a fixed number of decimal places stops
// shrinking once (1+rate)^−t falls below its last place (at 1000 % a
// year, 600 months reach 11^−50 ≈ 1e-52), so the compounding factor
// D_t = (1+rate)^t is kept instead to S significant digits (relative
// precision) and each flow is divided by it. Let n be the number of flows,
// k the digits of n (n ≤ 10^k), 10^A a bound on every |flow| and 10^B a
// bound on 1/min_t D_t (B = 0 when rate ≥ 0). Then:
//
//   - D_t = round_S(D_{t−1} · (1+rate)); 1+rate is exact, so each step
//     adds a relative error of at most 5·10^−S and D_t's is at most
//     ρ ≤ t·5·10^−S·(1+ε) ≤ 5.05·10^(k−S).
//   - flow/D̃_t differs from flow/D_t by at most |flow/D_t|·ρ/(1−ρ), and
//     Σ|flow/D_t| ≤ n·10^(A+B) ≤ 10^(k+A+B): the factors' error in the sum
//     is at most 5.1·10^(2k+A+B−S).
//   - each division rounds at P places: n·0.5·10^−P in all.
//
// With S = 2k+A+B+places+1 and P = places+k+1 the sum is within
// 0.51·10^−places + 0.05·10^−places of the exact value, and the final
// rounding to places adds 0.5·10^−places: 1.06·10^−places in all. With
// places = 20 the NPV rounded to any currency's minor unit (at most 4
// places) is the exact NPV rounded, unless the exact value lies within
// 1.1e-20 of a half minor unit. The digits adapt to the flows, so no bound
// on their size is assumed: validation allows 1e13 × 1e13 per order line
// growing 11× a year for 50 years (about 1e78), which needs S ≈ 125.
//
// A rate of −1 or less (−100 %: (1+rate)^t is zero or changes sign) is an
// error, whatever the flows; no flows give 0.
func NPV(rate decimal.Decimal, flows []decimal.Decimal) (decimal.Decimal, error) {
	const places = ratePrecision
	growth := one.Add(rate)
	if growth.Sign() <= 0 {
		return decimal.Zero, fmt.Errorf("NPV: rate %s per period: expected > -1", rate)
	}
	n := len(flows)
	if n == 0 {
		return decimal.Zero, nil
	}
	k := int32(len(strconv.Itoa(n)))
	a := int32(0) // |flow| < 10^a
	for _, f := range flows {
		if !f.IsZero() {
			a = max(a, magnitude(f))
		}
	}
	b := int32(0) // 1/min D_t ≤ 10^b
	if growth.LessThan(one) {
		b = discountDigits(growth, n)
	}
	sig := 2*k + a + b + places + 1
	divPlaces := places + k + 1
	df := one
	sum := decimal.Zero
	for _, f := range flows {
		df = df.Mul(growth)
		df = df.Round(sig - magnitude(df))
		if !f.IsZero() {
			sum = sum.Add(f.DivRound(df, divPlaces))
		}
	}
	return sum.Round(places), nil
}

// magnitude returns m with |d| < 10^m (d ≠ 0): the number of digits
// before the decimal point, negative for |d| < 0.1.
func magnitude(d decimal.Decimal) int32 {
	return int32(d.NumDigits()) + d.Exponent()
}

// discountDigits returns b with 1/g^n ≤ 10^b for 0 < g < 1: the digits by
// which n periods of discounting can enlarge a present value. The float
// logarithm is off by far less than the one digit of margin.
func discountDigits(g decimal.Decimal, n int) int32 {
	if f := g.InexactFloat64(); f > 1e-300 {
		return int32(math.Ceil(-math.Log10(f)*float64(n))) + 1
	}
	// g ≥ 10^(magnitude(g)−1), so 1/g^n ≤ 10^(n·(1−magnitude(g))).
	return int32(n) * (1 - magnitude(g))
}

// ErrNoSignChange reports an IRR asked of flows that never change sign:
// no rate makes their present value zero (Excel returns #NUM!).
var ErrNoSignChange = errors.New("IRR: the cash flows never change sign, so no rate makes their NPV zero")

// ErrNoIRR reports that no rate in the searched range makes the NPV zero.
var ErrNoIRR = errors.New("IRR: no rate between -99% and 1000% per period makes the NPV zero")

// MultipleIRRError reports cash flows whose NPV is zero at several rates,
// which can happen when the flows change sign more than once. Roots holds
// every rate found, ascending.
type MultipleIRRError struct {
	Roots []float64
}

// Error lists the rates at which the NPV is zero.
func (e *MultipleIRRError) Error() string {
	if e == nil {
		return "<nil *costmodel.MultipleIRRError>"
	}
	return fmt.Sprintf("IRR: the cash flows change sign more than once and their NPV is zero at %d rates %v; no single IRR describes them", len(e.Roots), e.Roots)
}

// IRR returns the per-period internal rate of return of flows, where
// flows[0] falls at t = 0 (Excel's IRR convention; shifting every flow by
// one period does not change the IRR). It is computed in float64 (it is a
// rate, not money) to 1e-12.
//
// Policy: when the flows change sign once, the IRR exists and is unique
// (Descartes' rule of signs) and is returned, however large. When they change sign more
// than once, the rates in (−0.99, 10] are searched; one root found is
// returned, several give a *MultipleIRRError listing them, none gives
// ErrNoIRR. Flows that never change sign give ErrNoSignChange.
func IRR(flows []decimal.Decimal) (float64, error) {
	f := make([]float64, len(flows))
	changes, last := 0, 0
	for i, d := range flows {
		f[i] = d.InexactFloat64()
		s := d.Sign()
		if s != 0 {
			if last != 0 && s != last {
				changes++
			}
			last = s
		}
	}
	if changes == 0 {
		return 0, ErrNoSignChange
	}
	npv := func(r float64) float64 {
		v := 1 / (1 + r)
		// Horner's rule in v = 1/(1+r): Σ f_i v^i. The product is
		// rounded before the add (float64(...)): Go may otherwise fuse
		// them into one FMA on amd64 v3 and arm64, and the IRR would
		// differ in its last bit from one machine to another.
		s := 0.0
		for i := len(f) - 1; i >= 0; i-- {
			s = float64(s*v) + f[i]
		}
		return s
	}
	// Below rMin, v^n overflows float64; the search starts there.
	n := float64(len(f))
	rMin := math.Max(-0.99, math.Pow(10, -300/math.Max(n, 1))-1+1e-9)
	const rMax = 10.0
	// Scan on a grid dense near zero, where business IRRs live.
	var roots []float64
	prevR, prevV := rMin, npv(rMin)
	const steps = 4000
	for k := 1; k <= steps; k++ {
		u := float64(k) / steps
		r := rMin + float64((rMax-rMin)*u*u*u) // rounded: not fused (FMA)
		v := npv(r)
		if prevV == 0 {
			roots = appendRoot(roots, prevR)
		} else if (prevV > 0) != (v > 0) && v != 0 {
			x, err := root.Brent(npv, prevR, r, 1e-14)
			if err == nil {
				roots = appendRoot(roots, x)
			}
		}
		prevR, prevV = r, v
	}
	if prevV == 0 {
		roots = appendRoot(roots, prevR)
	}
	if len(roots) == 0 && changes == 1 {
		// One sign change: the root exists; it lies above the grid (flows
		// that multiply the money many times over in one period).
		for hi := rMax * 2; hi <= 1e12; hi *= 2 {
			if v := npv(hi); (v > 0) != (prevV > 0) {
				if x, err := root.Brent(npv, prevR, hi, 1e-14*hi); err == nil {
					roots = append(roots, x)
				}
				break
			}
			prevR = hi
		}
	}
	switch {
	case len(roots) == 1:
		return roots[0], nil
	case len(roots) > 1:
		return 0, &MultipleIRRError{Roots: roots}
	}
	return 0, ErrNoIRR
}

func appendRoot(roots []float64, x float64) []float64 {
	if len(roots) > 0 && math.Abs(roots[len(roots)-1]-x) < 1e-9 {
		return roots
	}
	return append(roots, x)
}

// Payback is the first month whose cumulative cash flow is ≥ 0, counted
// from the first month with a non-zero cash flow: months before a
// partnership spends or earns anything do not pay anything back.
type Payback struct {
	// Month counts months from the start of the horizon, 1-based: 1 means
	// the first month's cash flow is already ≥ 0.
	Month int
	// Reached is false when the cumulative cash flow stays negative over
	// the whole horizon, or when every flow is zero.
	Reached bool
}

// PaybackMonth finds the payback month of a monthly cash-flow series.
func PaybackMonth(flows []decimal.Decimal) Payback {
	cum := decimal.Zero
	started := false
	for i, f := range flows {
		cum = cum.Add(f)
		started = started || !f.IsZero()
		if started && cum.Sign() >= 0 {
			return Payback{Month: i + 1, Reached: true}
		}
	}
	return Payback{}
}

// Ratio is a ratio that may be undefined (a margin over zero net sales).
type Ratio struct {
	Value decimal.Decimal
	Valid bool
}

func ratio(num, den decimal.Decimal) Ratio {
	if den.IsZero() {
		return Ratio{}
	}
	return Ratio{Value: num.DivRound(den, ratioPrecision), Valid: true}
}

// Measures are the summary and cash-flow measures of a partnership or the
// portfolio over the horizon.
type Measures struct {
	// CM ratios are each margin over net sales; invalid when net sales are 0.
	CM1Ratio, CM2Ratio, CM3Ratio, ContributionRatio Ratio
	// NPV of the monthly net cash flow at the portfolio's monthly rate,
	// Excel convention (first month discounted once), rounded to the minor
	// unit.
	NPV decimal.Decimal
	// IRRMonthly is the monthly IRR of the net cash flow and IRRAnnual its
	// annual equivalent (1 + m)^12 − 1; both are meaningful only when
	// IRRErr is nil.
	IRRMonthly, IRRAnnual float64
	IRRErr                error
	Payback               Payback
	// BreakEvenOrders is the monthly order count at which contribution
	// covers the fixed monthly costs (storage, fixed marketing, support
	// staff, maintenance), averaged over the active months:
	//
	//	fixed costs per active month / contribution per order before them
	//
	// Contribution per order is the horizon's average at the modelled mix,
	// so banded costs (data transfer, API) are taken at their average
	// price. Invalid when there are no orders or each order loses money.
	BreakEvenOrders Ratio
}

// fixedLines are the lines that do not scale with orders (LineInfo.Fixed).
var fixedLines = func() (ls []Line) {
	for l := Line(0); l < NumLines; l++ {
		if l.Info().Fixed {
			ls = append(ls, l)
		}
	}
	return ls
}()

func measure(b *Block, monthlyRate decimal.Decimal, activeMonths int, minor int32) Measures {
	t := &b.Total
	m := Measures{
		CM1Ratio:          ratio(t[LineCM1], t[LineNetSales]),
		CM2Ratio:          ratio(t[LineCM2], t[LineNetSales]),
		CM3Ratio:          ratio(t[LineCM3], t[LineNetSales]),
		ContributionRatio: ratio(t[LineContribution], t[LineNetSales]),
	}
	flows := b.Series(LineNetCashFlow)
	// The monthly rate is validated > −1 (MonthlyRate), so NPV's error
	// cannot occur; a zero NPV would be the safe value if it did.
	npv, _ := NPV(monthlyRate, flows)
	m.NPV = npv.Round(minor)
	m.Payback = PaybackMonth(flows)
	irr, err := IRR(flows)
	if err == nil {
		m.IRRMonthly = irr
		m.IRRAnnual = math.Pow(1+irr, 12) - 1
	}
	m.IRRErr = err
	fixed := decimal.Zero
	for _, l := range fixedLines {
		fixed = fixed.Add(t[l])
	}
	orders := b.TotalOrders()
	if orders.Sign() > 0 && activeMonths > 0 {
		perOrder := t[LineContribution].Add(fixed).DivRound(orders, ratePrecision)
		if perOrder.Sign() > 0 {
			m.BreakEvenOrders = Ratio{
				Value: fixed.DivRound(decimal.NewFromInt(int64(activeMonths)), ratePrecision).DivRound(perOrder, 2),
				Valid: true,
			}
		}
	}
	return m
}
