package scenario

import (
	"errors"
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/root"
	"github.com/shopspring/decimal"
)

// PartnerCosts are the partner-side assumptions of a renegotiation: what
// serving our orders costs the partner. Fairness writes PerOrder,
// RateOfGMV and Monthly into the partnership's costmodel.PartnerSide
// (when any is non-zero; otherwise the portfolio's own partner side
// holds), and the model computes the partner's value from them
// (costmodel.LinePartnerContribution, LinePartnerValue):
//
//	revenue share received (commission − commission refunded + true-up)
//	− PerOrder × orders − RateOfGMV × GMV − Monthly × active months
//	(− a service credit, + customers acquired, when the partner side has them)
//
// NoDeal is what the partner earns over the horizon without the deal
// (its outside option; zero when it has none).
type PartnerCosts struct {
	PerOrder  decimal.Decimal `json:"per_order,omitzero"`
	RateOfGMV decimal.Decimal `json:"rate_of_gmv,omitzero"`
	Monthly   decimal.Decimal `json:"monthly,omitzero"`
	NoDeal    decimal.Decimal `json:"no_deal,omitzero"`
}

// Negotiation describes a two-sided revenue-share analysis for one
// partnership whose terms are a flat commission rate.
type Negotiation struct {
	Partnership string
	Partner     PartnerCosts
	// OurNoDeal is our contribution over the horizon without the deal
	// (zero: the channel's contribution is lost, nothing replaces it).
	OurNoDeal decimal.Decimal
	// OurWeight is our bargaining power α in [0, 1] for the Nash rate;
	// nil means 0.5, the equal split of the surplus.
	OurWeight *decimal.Decimal
	// Proposed, when set, are the proposed terms as a scenario (for
	// example FeeChange or a shock setting the rate); the analysis then
	// shows current against proposed, month by month.
	Proposed *Scenario
}

// Sides is both sides' value over the horizon under some terms: ours is
// costmodel.MetricOurValue (our contribution, plus service credits and
// customers acquired when the portfolio states them), the partner's
// costmodel.MetricPartnerValue.
type Sides struct {
	Rate    decimal.Decimal // the flat rate, when the terms have one
	Ours    decimal.Decimal
	Partner decimal.Decimal
}

// MonthTerms is one month of current against proposed terms.
type MonthTerms struct {
	Month                         costmodel.Month
	OursCurrent, OursProposed     decimal.Decimal
	TheirsCurrent, TheirsProposed decimal.Decimal
}

// FairShare is the result of a two-sided analysis. Rates are flat
// commission rates on the fee base.
//
//   - OurBreakEven is the highest rate at which our contribution still
//     reaches OurNoDeal: the most we can pay.
//   - PartnerFloor is the lowest rate at which the partner's contribution
//     reaches its NoDeal: the least it accepts.
//   - When PartnerFloor ≤ OurBreakEven, the rates between them form the
//     bargaining range (HasRange); outside it one side loses.
//   - The Nash rate splits the surplus over both no-deal outcomes: our
//     gain = α × (our gain + partner's gain). Commission moves money from
//     us to the partner, so the surplus is the same at every rate and the
//     Nash rate is where our share of it is α.
type FairShare struct {
	Partnership  string
	Current      Sides
	OurBreakEven Value
	PartnerFloor Value
	HasRange     bool
	Nash         Value
	AtNash       Sides
	Surplus      decimal.Decimal
	// Proposed and Months are filled when the negotiation has proposed terms.
	Proposed *Sides
	Months   []MonthTerms
	// Negotiation is the analysis's inputs as given (our no-deal outcome
	// and weight, the partner's costs and no-deal outcome, the proposal).
	Negotiation Negotiation
	// Curve is both sides' values at CurvePoints flat rates evenly spaced
	// from 0 to CurveMax, for a chart of each side's gain across rates.
	// CurveMax is the smallest multiple of 5 % at or above 1.25 × the
	// largest of the current rate, the break-even, the floor and the
	// proposed rate (at most 100 %).
	Curve    []Sides
	CurveMax decimal.Decimal
}

// CurvePoints is the number of rates of FairShare.Curve.
const CurvePoints = 21

// Fairness analyses a revenue-share negotiation. It solves for the rates
// by Brent's method on the exact model (tolerance DefaultTolerance).
func Fairness(p *costmodel.Portfolio, n Negotiation) (*FairShare, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	targets, err := rateTargets(p, n.Partnership)
	if err != nil {
		return nil, err
	}
	alpha := decimal.NewFromFloat(0.5)
	if n.OurWeight != nil {
		alpha = *n.OurWeight
	}
	var pr costmodel.Problems
	if alpha.Sign() < 0 || alpha.GreaterThan(decimal.NewFromInt(1)) {
		pr.Add("our_weight", decText(alpha), "a bargaining weight from 0 to 1")
	}
	for _, c := range []struct {
		name string
		v    decimal.Decimal
	}{{"partner.per_order", n.Partner.PerOrder}, {"partner.rate_of_gmv", n.Partner.RateOfGMV}, {"partner.monthly", n.Partner.Monthly}} {
		if c.v.Sign() < 0 {
			pr.Add(c.name, decText(c.v), "≥ 0")
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	p = withPartner(p, n)
	base, err := safeEvaluate(p)
	if err != nil {
		return nil, err
	}
	current, err := currentRate(p, targets)
	if err != nil {
		return nil, err
	}
	fs := &FairShare{Partnership: n.Partnership, Negotiation: n}
	fs.Current = sides(base, n, current)

	at := func(r float64) (Sides, error) {
		q := p.Clone()
		v := decimal.NewFromFloat(r).Round(decisionPlaces)
		if err := setRate(targets)(q, v); err != nil {
			return Sides{}, err
		}
		st, err := safeEvaluate(q)
		if err != nil {
			return Sides{}, err
		}
		return sides(st, n, v), nil
	}
	// solve finds where g crosses zero in [lo, hi]; when g keeps one sign
	// over the whole bracket, the answer is the end named by whenAllGood
	// if g ≥ 0 everywhere (every rate works), and none if g < 0 everywhere.
	solve := func(g func(Sides) decimal.Decimal, lo, hi float64, whenAllGood float64) (Value, error) {
		var fail error
		f := func(r float64) float64 {
			s, err := at(r)
			if err != nil {
				fail = err
				return math.NaN()
			}
			return g(s).InexactFloat64()
		}
		x, err := root.Brent(f, lo, hi, DefaultTolerance)
		if fail != nil {
			return Value{}, fail
		}
		var nb *root.NoBracketError
		if errors.As(err, &nb) {
			if nb.FA >= 0 && nb.FB >= 0 {
				return Value{Amount: decimal.NewFromFloat(whenAllGood), Valid: true}, nil
			}
			return Value{}, nil // no rate in the bracket does it
		}
		if err != nil {
			return Value{}, err
		}
		return Value{Amount: decimal.NewFromFloat(x).Round(decisionPlaces), Valid: true}, nil
	}
	// Our break-even is the highest rate we can pay (1 if we gain even at
	// 100 %); the partner's floor the lowest it accepts (0 if it gains even
	// at 0 %, say through per-order fees or a minimum guarantee).
	if fs.OurBreakEven, err = solve(func(s Sides) decimal.Decimal { return s.Ours.Sub(n.OurNoDeal) }, 0, 1, 1); err != nil {
		return nil, err
	}
	if fs.PartnerFloor, err = solve(func(s Sides) decimal.Decimal { return s.Partner.Sub(n.Partner.NoDeal) }, 0, 1, 0); err != nil {
		return nil, err
	}
	fs.HasRange = fs.OurBreakEven.Valid && fs.PartnerFloor.Valid && !fs.PartnerFloor.Amount.GreaterThan(fs.OurBreakEven.Amount)
	gains := func(s Sides) (decimal.Decimal, decimal.Decimal) {
		return s.Ours.Sub(n.OurNoDeal), s.Partner.Sub(n.Partner.NoDeal)
	}
	ours, theirs := gains(fs.Current)
	fs.Surplus = ours.Add(theirs)
	if fs.HasRange {
		lo, hi := fs.PartnerFloor.Amount.InexactFloat64(), fs.OurBreakEven.Amount.InexactFloat64()
		fs.Nash, err = solve(func(s Sides) decimal.Decimal {
			o, t := gains(s)
			return alpha.Mul(o.Add(t)).Sub(o) // rises with the rate: our share of the surplus falls
		}, lo, hi, lo)
		if err == nil && !fs.Nash.Valid && lo == hi {
			fs.Nash = fs.PartnerFloor
		}
		if err != nil {
			return nil, err
		}
		if fs.Nash.Valid {
			if fs.AtNash, err = at(fs.Nash.Amount.InexactFloat64()); err != nil {
				return nil, err
			}
		}
	}
	if n.Proposed != nil {
		q, err := n.Proposed.Apply(p)
		if err != nil {
			return nil, err
		}
		st, err := safeEvaluate(q)
		if err != nil {
			return nil, err
		}
		rate, _ := currentRate(q, targets)
		prop := sides(st, n, rate)
		fs.Proposed = &prop
		fs.Months = monthTerms(base, st, n)
	}
	fs.CurveMax = curveMax(fs)
	step := fs.CurveMax.DivRound(decimal.NewFromInt(CurvePoints-1), decisionPlaces)
	for k := range CurvePoints {
		s, err := at(step.Mul(decimal.NewFromInt(int64(k))).InexactFloat64())
		if err != nil {
			return nil, err
		}
		fs.Curve = append(fs.Curve, s)
	}
	return fs, nil
}

// curveMax is the top rate of the curve: 1.25 × the largest rate of the
// analysis, rounded up to a multiple of 5 %, at least 5 % and at most 100 %.
func curveMax(fs *FairShare) decimal.Decimal {
	top := fs.Current.Rate
	for _, v := range []Value{fs.OurBreakEven, fs.PartnerFloor} {
		if v.Valid && v.Amount.GreaterThan(top) {
			top = v.Amount
		}
	}
	if fs.Proposed != nil && fs.Proposed.Rate.GreaterThan(top) {
		top = fs.Proposed.Rate
	}
	five := decimal.RequireFromString("0.05")
	m := top.Mul(decimal.RequireFromString("1.25")).DivRound(five, 12).Ceil().Mul(five)
	return decimal.Min(decimal.Max(m, five), decimal.NewFromInt(1))
}

// currentRate returns the one flat rate the partnership's targets share.
func currentRate(p *costmodel.Portfolio, targets []string) (decimal.Decimal, error) {
	var rate *decimal.Decimal
	for _, t := range targets {
		ds, _ := p.Match(t)
		for _, d := range ds {
			if rate != nil && !rate.Equal(d.Value) {
				return decimal.Zero, &costmodel.FieldError{Path: d.Address, Value: decText(d.Value),
					Expected: fmt.Sprintf("the same flat rate as the partnership's other terms (%s) for a fairness analysis", rate)}
			}
			v := d.Value
			rate = &v
		}
	}
	return *rate, nil
}

// withPartner is p with the negotiation's partner costs written into
// the partnership's partner side (costmodel.PartnerSide), where the model
// computes the partner's lines; p itself when the negotiation states no
// costs (the portfolio's own partner side, if any, then holds).
func withPartner(p *costmodel.Portfolio, n Negotiation) *costmodel.Portfolio {
	c := n.Partner
	if c.PerOrder.IsZero() && c.RateOfGMV.IsZero() && c.Monthly.IsZero() {
		return p
	}
	q := p.Clone()
	for i := range q.Partnerships {
		ps := &q.Partnerships[i]
		if ps.ID != n.Partnership {
			continue
		}
		if ps.Partner == nil {
			ps.Partner = &costmodel.PartnerSide{}
		}
		ps.Partner.PerOrder, ps.Partner.RateOfGMV, ps.Partner.Monthly = c.PerOrder, c.RateOfGMV, c.Monthly
	}
	return q
}

// sideValue reads one side's value (costmodel.MetricOurValue or
// MetricPartnerValue) of the negotiated partnership over a window.
func sideValue(st *costmodel.Statement, id string, m costmodel.Metric, w costmodel.Window) decimal.Decimal {
	v, _ := costmodel.Output{Scope: costmodel.ScopePartnership, Key: id, Metric: m, Window: w}.Of(st)
	return v.Amount
}

func sides(st *costmodel.Statement, n Negotiation, rate decimal.Decimal) Sides {
	return Sides{Rate: rate,
		Ours:    sideValue(st, n.Partnership, costmodel.MetricOurValue, costmodel.Window{}),
		Partner: sideValue(st, n.Partnership, costmodel.MetricPartnerValue, costmodel.Window{})}
}

func monthTerms(cur, prop *costmodel.Statement, n Negotiation) []MonthTerms {
	out := make([]MonthTerms, cur.Months)
	for m := range out {
		w := costmodel.Window{Kind: costmodel.WindowMonth, Month: cur.Start.Add(m)}
		out[m] = MonthTerms{
			Month:          w.Month,
			OursCurrent:    sideValue(cur, n.Partnership, costmodel.MetricOurValue, w),
			OursProposed:   sideValue(prop, n.Partnership, costmodel.MetricOurValue, w),
			TheirsCurrent:  sideValue(cur, n.Partnership, costmodel.MetricPartnerValue, w),
			TheirsProposed: sideValue(prop, n.Partnership, costmodel.MetricPartnerValue, w),
		}
	}
	return out
}
