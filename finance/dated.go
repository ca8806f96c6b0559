package finance

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/marginalhq/marginal/internal/root"
	"github.com/shopspring/decimal"
)

// DatedFlow is one cash flow on a calendar date: Amount is received
// (positive) or paid (negative) on Date. Only the date counts; the time of
// day and the location are ignored, as Excel truncates date serials to
// whole days.
type DatedFlow struct {
	Date   time.Time
	Amount decimal.Decimal
}

// daysPerYear is XNPV's and XIRR's year: actual days over 365, leap years
// included (Excel's convention).
const daysPerYear = 365

// ErrNoFlows reports a dated or periodic schedule without any flow.
var ErrNoFlows = errors.New("finance: no cash flows")

// ErrNeedBothSigns reports flows without at least one payment and one
// receipt: no rate makes their present value zero (Excel returns #NUM!).
var ErrNeedBothSigns = errors.New("finance: the cash flows need at least one negative and one positive amount")

// RateError reports a discount or finance rate of −100 % or less, at which
// (1 + rate)^t is zero or undefined.
type RateError struct {
	Name string
	Rate decimal.Decimal
}

// Error names the rate and what was expected.
func (e *RateError) Error() string {
	if e == nil {
		return "<nil *finance.RateError>"
	}
	return fmt.Sprintf("finance: %s %s: expected > -1 (more than -100 %%)", e.Name, e.Rate)
}

// DateError reports a flow dated before the first flow (Excel's XNPV and
// XIRR return #NUM!): the first flow's date is the valuation date.
type DateError struct {
	Index      int
	Date, Base time.Time
}

// Error gives the flow's index and dates.
func (e *DateError) Error() string {
	if e == nil {
		return "<nil *finance.DateError>"
	}
	return fmt.Sprintf("finance: flow %d is dated %s, before the first flow's date %s", e.Index, e.Date.Format(time.DateOnly), e.Base.Format(time.DateOnly))
}

// dayNumber is the whole days from the Unix epoch to t's calendar date.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// days returns each flow's whole days after the first flow's date.
func days(flows []DatedFlow) ([]int64, error) {
	if len(flows) == 0 {
		return nil, ErrNoFlows
	}
	base := dayNumber(flows[0].Date)
	out := make([]int64, len(flows))
	for i, f := range flows {
		out[i] = dayNumber(f.Date) - base
		if out[i] < 0 {
			return nil, &DateError{Index: i, Date: f.Date, Base: flows[0].Date}
		}
	}
	return out, nil
}

// XNPV is the net present value of dated flows at the annual rate, with
// Excel's XNPV convention: the first flow's date is t = 0 and flow i is
// discounted by (1 + rate)^(d_i/365), d_i its whole days after that date.
// Later flows may come in any order; one dated before the first is a
// *DateError. rate must be > −1 (*RateError).
//
// Precision. The exponent d_i/365 is kept to 40 decimal places and each
// discount factor (1 + rate)^(−d_i/365) is rounded to 40 + k places, where
// 10^k bounds every |amount|, so each discounted flow is within 10^−39 of
// its exact value and the sum of n flows within n·10^−39 before the final
// rounding to 20 decimal places: the result rounded to the cent is the
// exact XNPV rounded, unless that lies within 10^−20 of a half cent.
// Whole years (d_i a multiple of 365) are integer powers and exact.
func XNPV(rate decimal.Decimal, flows []DatedFlow) (decimal.Decimal, error) {
	base := one.Add(rate)
	if base.Sign() <= 0 {
		return decimal.Zero, &RateError{Name: "rate", Rate: rate}
	}
	ds, err := days(flows)
	if err != nil {
		return decimal.Zero, err
	}
	k := int32(0)
	for _, f := range flows {
		if !f.Amount.IsZero() {
			k = max(k, int32(f.Amount.NumDigits())+f.Amount.Exponent())
		}
	}
	places := 40 + k
	sum := decimal.Zero
	for i, f := range flows {
		if f.Amount.IsZero() {
			continue
		}
		v, err := discountFactor(base, ds[i], places)
		if err != nil {
			return decimal.Zero, fmt.Errorf("finance: XNPV: flow %d: %w", i, err)
		}
		sum = sum.Add(f.Amount.Mul(v).Round(places))
	}
	return sum.Round(20), nil
}

// discountFactor is base^(−d/365) rounded to places decimal places.
func discountFactor(base decimal.Decimal, d int64, places int32) (decimal.Decimal, error) {
	if d == 0 {
		return one, nil
	}
	if d%daysPerYear == 0 {
		return base.PowWithPrecision(decimal.NewFromInt(-d/daysPerYear), places)
	}
	e := decimal.NewFromInt(-d).DivRound(decimal.NewFromInt(daysPerYear), 40)
	return base.PowWithPrecision(e, places)
}

// xirrTol is the tolerance of XIRR's and IRR's roots: |r − r*| ≤ 1e-12 for
// rates below 1 (100 %), relative 1e-12 above. Excel stops at a change
// of 0.000001 % (1e-8).
const xirrTol = 1e-12

// XIRR returns the annual internal rate of return of dated flows: a rate
// r > −1 with Σ amount_i / (1 + r)^(d_i/365) = 0 (Excel's XIRR; d_i as in
// [XNPV]). The flows need a negative and a positive amount
// (ErrNeedBothSigns).
//
// Policy. Every root in (−100 %, +∞) at which the present value changes
// sign is found (a scan in both directions from 0 % with Brent's method on
// each bracket, tolerance 1e-12); the one returned is the root nearest to
// guess (Excel's default guess is 0.1), the ones Excel's Newton iteration
// from guess most often reaches. [XIRRAll] lists them all. A root where
// the present value touches zero without changing sign is not found.
func XIRR(flows []DatedFlow, guess float64) (float64, error) {
	rs, err := XIRRAll(flows)
	if err != nil {
		return 0, err
	}
	return nearest(rs, guess), nil
}

// XIRRAll lists every annual rate in (−100 %, +∞) at which the XNPV of
// flows changes sign, ascending (see [XIRR]). ErrNoRoot when there is
// none, which can only happen when the flows change sign more than once.
func XIRRAll(flows []DatedFlow) ([]float64, error) {
	ds, err := days(flows)
	if err != nil {
		return nil, err
	}
	t := make([]float64, len(flows))
	a := make([]float64, len(flows))
	tMax := 0.0
	for i, f := range flows {
		t[i] = float64(ds[i]) / daysPerYear
		a[i] = f.Amount.InexactFloat64()
		tMax = max(tMax, t[i])
	}
	if !bothSigns(flows2amounts(flows)) {
		return nil, ErrNeedBothSigns
	}
	// For r ≥ 0 the present value Σ a_i v^t_i in v = 1/(1+r) ∈ (0, 1];
	// for r < 0 the same sum times (1+r)^tMax, Σ a_i w^(tMax−t_i) in
	// w = 1+r ∈ (0, 1): each is continuous, cannot overflow, and has the
	// sign of the present value.
	up := func(v float64) float64 {
		s := 0.0
		for i := range a {
			s += a[i] * math.Pow(v, t[i])
		}
		return s
	}
	down := func(w float64) float64 {
		s := 0.0
		for i := range a {
			s += a[i] * math.Pow(w, tMax-t[i])
		}
		return s
	}
	return rootsBothWays(up, down)
}

func flows2amounts(flows []DatedFlow) []decimal.Decimal {
	out := make([]decimal.Decimal, len(flows))
	for i, f := range flows {
		out[i] = f.Amount
	}
	return out
}

func bothSigns(amounts []decimal.Decimal) bool {
	neg, pos := false, false
	for _, a := range amounts {
		neg = neg || a.Sign() < 0
		pos = pos || a.Sign() > 0
	}
	return neg && pos
}

// ErrNoRoot reports flows that change sign yet whose present value is
// nowhere zero on (−100 %, +∞) (possible only with two or more changes).
var ErrNoRoot = errors.New("finance: no rate above -100 % makes the present value zero")

// rootsBothWays finds the sign changes of up on v ∈ (0, 1] (rate 1/v − 1
// ≥ 0) and of down on w ∈ (0, 1) (rate w − 1 < 0) and returns the rates,
// ascending.
func rootsBothWays(up, down func(float64) float64) ([]float64, error) {
	var rates []float64
	for _, x := range signChanges(down, false) {
		rates = append(rates, x-1)
	}
	for _, x := range signChanges(up, true) {
		rates = append(rates, 1/x-1)
	}
	slices.Sort(rates)
	rates = slices.CompactFunc(rates, func(a, b float64) bool { return math.Abs(a-b) <= 1e-10*math.Max(1, math.Abs(a)) })
	if len(rates) == 0 {
		return nil, ErrNoRoot
	}
	return rates, nil
}

// scanGrid is the grid signChanges scans on (0, 1]: geometric from
// 10^−300 to 10^−2 in steps of 10^0.05 (rates within 12 % of −100 % in
// 1 + r, or above 100 times a period), then steps of 0.001 up to 1
// (rates near 0 %, where business rates live, apart by about 0.1 %). Two
// roots within one step of each other are not told apart.
var scanGrid = func() []float64 {
	var g []float64
	for k := range 5960 {
		g = append(g, math.Pow(10, -300+float64(k)*0.05))
	}
	for k := 10; k <= 1000; k++ {
		g = append(g, float64(k)/1000)
	}
	return g
}()

// signChanges scans f on (0, 1] (closed at 1 when closed) on scanGrid and
// polishes each bracket with Brent's method. The tolerance in x is set so
// that the rate is within xirrTol (absolute below 100 %, relative above).
func signChanges(f func(float64) float64, closed bool) []float64 {
	grid := scanGrid
	if !closed {
		grid = grid[:len(grid)-1]
	}
	var xs []float64
	px, pv := grid[0], f(grid[0])
	for _, x := range grid[1:] {
		v := f(x)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			px, pv = x, v
			continue
		}
		if pv == 0 {
			xs = append(xs, px)
		} else if !math.IsNaN(pv) && !math.IsInf(pv, 0) && v != 0 && (pv > 0) != (v > 0) {
			// rate = x − 1 or 1/x − 1: an error δ in x is δ in the rate
			// or δ/x² in it, δ/x relative. Below 4e-16·x the bracket is
			// a few floats wide already.
			tol := math.Max(xirrTol*x*x, 4e-16*x)
			if r, err := root.Brent(f, px, x, tol); err == nil {
				xs = append(xs, r)
			}
		}
		px, pv = x, v
	}
	if pv == 0 {
		xs = append(xs, px)
	}
	return xs
}

// nearest returns the element of xs nearest to x (xs non-empty).
func nearest(xs []float64, x float64) float64 {
	best := xs[0]
	for _, r := range xs[1:] {
		if math.Abs(r-x) < math.Abs(best-x) {
			best = r
		}
	}
	return best
}
