package scenario

import (
	"errors"
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/root"
	"github.com/shopspring/decimal"
)

// Fairness on any terms. Fairness (fairness.go) works on one flat rate;
// the functions here take any commission schedule the model expresses
// (flat, tiered marginal or all-units, per-order fees, minimums and caps,
// a minimum guarantee) and read both sides' values from the model's
// lines (costmodel.MetricOurValue, costmodel.MetricPartnerValue: see
// costmodel.PartnerSide for what they hold).
//
// Each side's gain is its value over the horizon less its disagreement
// point (what it has without the deal); the joint surplus is the sum of
// the gains, and a side's share is its gain over the joint surplus. The
// commission, the true-up and a service credit move money from one side
// to the other, so the joint surplus does not depend on the schedule (to
// the cent it rounds to): a fair schedule is a point on the line
// gain₁ + gain₂ = joint surplus, and the split rules differ in which.

// Bargain is a two-sided fairness problem over one partnership.
type Bargain struct {
	// Partnership is the ID of the partnership whose terms are bargained.
	Partnership string
	// OurNoDeal and PartnerNoDeal are the disagreement points: each side's
	// value over the horizon without the deal (zero: nothing replaces it).
	OurNoDeal, PartnerNoDeal decimal.Decimal
}

// Surplus is both sides' values under some terms and their gains over the
// disagreement points.
type Surplus struct {
	Ours, Partner        decimal.Decimal // values (our_value, partner_value)
	OurGain, PartnerGain decimal.Decimal // values less the no-deal points
	Joint                decimal.Decimal // OurGain + PartnerGain
	// OurShare is OurGain ÷ Joint (12 places); undefined when the joint
	// surplus is not positive.
	OurShare Value
	// InRange reports whether both gains are ≥ 0: the terms are in the
	// bargaining range, and neither side is better off without the deal.
	InRange bool
}

// PartnerShare is 1 − OurShare (undefined with it).
func (s Surplus) PartnerShare() Value {
	if !s.OurShare.Valid {
		return Value{}
	}
	return Value{Amount: decimal.NewFromInt(1).Sub(s.OurShare.Amount), Valid: true}
}

// sharePlaces is the places of a share of the joint surplus.
const sharePlaces = 12

func (b Bargain) surplus(ours, partner decimal.Decimal) Surplus {
	s := Surplus{Ours: ours, Partner: partner, OurGain: ours.Sub(b.OurNoDeal), PartnerGain: partner.Sub(b.PartnerNoDeal)}
	s.Joint = s.OurGain.Add(s.PartnerGain)
	s.InRange = s.OurGain.Sign() >= 0 && s.PartnerGain.Sign() >= 0
	if s.Joint.Sign() > 0 {
		s.OurShare = Value{Amount: s.OurGain.DivRound(s.Joint, sharePlaces), Valid: true}
	}
	return s
}

// surplusOf reads the sides from a statement over a window.
func (b Bargain) surplusOf(st *costmodel.Statement, w costmodel.Window) Surplus {
	return b.surplus(sideValue(st, b.Partnership, costmodel.MetricOurValue, w), sideValue(st, b.Partnership, costmodel.MetricPartnerValue, w))
}

// check reports the problems of the bargain against a portfolio.
func (b Bargain) check(p *costmodel.Portfolio) error {
	if p == nil {
		return errNoPortfolio()
	}
	if err := p.Validate(); err != nil {
		return err
	}
	for _, ps := range p.Partnerships {
		if ps.ID == b.Partnership {
			return nil
		}
	}
	return &costmodel.FieldError{Path: "partnership", Value: fmt.Sprintf("%q", b.Partnership), Expected: "the ID of a partnership of the portfolio"}
}

// SurplusOf is each side's value and gain over the horizon under the
// portfolio's terms (for a proposed schedule: the portfolio with it).
func (b Bargain) SurplusOf(p *costmodel.Portfolio) (Surplus, error) {
	if err := b.check(p); err != nil {
		return Surplus{}, err
	}
	st, err := safeEvaluate(p)
	if err != nil {
		return Surplus{}, err
	}
	return b.surplusOf(st, costmodel.Window{}), nil
}

// Knob is the one-parameter family of schedules a fair schedule is
// searched in: x scales every commission rate of the partnership (Scale),
// or is the value of one driver (Driver: a tier's rate, a per-order fee,
// the minimum guarantee).
type Knob struct {
	// Driver is the address of the driver (or a pattern of drivers, all
	// set to x) the search moves; empty means Scale.
	Driver string
	// Lo and Hi bracket x. Zero Hi means the default: for Scale 0 to the
	// factor that takes the highest rate to 1; for a driver whose values
	// are fractions from 0 to 1, 0 to 1. Other drivers need Hi.
	Lo, Hi decimal.Decimal
}

// SplitRule names how the joint surplus is split.
type SplitRule string

// The split rules.
const (
	// Nash bargaining maximises OurGain^w × PartnerGain^(1−w) over the
	// schedules of the family (w = Split.Weight, 0.5 by default). On the
	// line of transfers that is OurGain = w × Joint when the family reaches
	// it, else the end of the bargaining range nearest it.
	Nash SplitRule = "nash"
	// KalaiSmorodinsky gives each side the same fraction of its ideal
	// gain: the most it gets within the family while the other side still
	// gains (ours at the partner's floor, the partner's at our
	// break-even): OurGain ÷ ideal₁ = PartnerGain ÷ ideal₂. It differs
	// from Nash when the family cannot reach a side's whole surplus (a
	// rate cannot go below 0; per-order fees or a guarantee keep paying).
	KalaiSmorodinsky SplitRule = "kalai_smorodinsky"
	// Share gives us the stated share of the joint surplus
	// (Split.Weight); an error when the family cannot reach it.
	Share SplitRule = "share"
)

// Split is a rule and, for Nash and Share, our weight or share in [0, 1].
type Split struct {
	Rule SplitRule
	// Weight is our bargaining weight (Nash; nil: 0.5) or our share of the
	// joint surplus (Share; required).
	Weight *decimal.Decimal
}

// FairSchedule is a fair schedule found in a family.
type FairSchedule struct {
	Rule SplitRule
	// X is the knob's value (a scale factor, or the driver's value).
	X decimal.Decimal
	// Drivers are the drivers the knob moved and their values at X.
	Drivers []costmodel.Driver
	// At is both sides' surplus at X.
	At Surplus
	// Floor and BreakEven bound the bargaining range in the family: the
	// knob where the partner's gain, and ours, reaches zero (an end of
	// the bracket when that side gains throughout).
	Floor, BreakEven decimal.Decimal
	// IdealOurs and IdealPartner are each side's best gain in the range
	// (the Kalai–Smorodinsky ideal point).
	IdealOurs, IdealPartner decimal.Decimal
}

// family evaluates the schedules of a knob on a portfolio's model.
type family struct {
	b       Bargain
	m       *costmodel.Model
	base    []decimal.Decimal
	idx     []int
	ds      []costmodel.Driver
	scale   bool
	lo, hi  float64
	failure error
}

func (b Bargain) family(p *costmodel.Portfolio, k Knob) (*family, error) {
	if err := b.check(p); err != nil {
		return nil, err
	}
	m, err := costmodel.NewModel(p)
	if err != nil {
		return nil, err
	}
	f := &family{b: b, m: m, base: m.Values(), scale: k.Driver == ""}
	var pats []string
	if f.scale {
		id := b.Partnership
		pats = []string{id + "/commission/rate", id + "/commission/tier/*/rate", id + "/*/commission/rate", id + "/*/commission/tier/*/rate"}
	} else {
		pats = []string{k.Driver}
	}
	for _, pat := range pats {
		ds, err := p.Match(pat)
		if err != nil {
			if !f.scale {
				return nil, &costmodel.FieldError{Path: "knob.driver", Value: fmt.Sprintf("%q", k.Driver), Expected: "the address of a driver of the portfolio (see Portfolio.Drivers)"}
			}
			continue
		}
		for _, d := range ds {
			i, _ := m.Index(d.Address)
			f.idx, f.ds = append(f.idx, i), append(f.ds, d)
		}
	}
	var pr costmodel.Problems
	maxRate := decimal.Zero
	for _, d := range f.ds {
		maxRate = decimal.Max(maxRate, d.Value)
	}
	hi := k.Hi
	if hi.IsZero() {
		switch {
		case f.scale && len(f.ds) == 0:
			pr.Add("knob", "", "a partnership with commission rates to scale")
		case f.scale && maxRate.IsZero():
			pr.Add("knob", "rates all 0", "a rate above 0 to scale (use knob.driver to solve for one rate)")
		case f.scale:
			hi = maxScale(maxRate)
		default:
			if lo, h := f.ds[0].Bounds(); lo != 0 || h != 1 {
				pr.Add("knob.hi", "", "an upper bound for "+k.Driver+" (its values are not fractions from 0 to 1)")
			} else {
				hi = decimal.NewFromInt(1)
			}
		}
	}
	if k.Lo.Sign() < 0 {
		pr.Add("knob.lo", decText(k.Lo), "≥ 0")
	}
	if pr.Len() == 0 && !hi.GreaterThan(k.Lo) {
		pr.Add("knob.hi", decText(hi), "an upper bound above knob.lo ("+decText(k.Lo)+")")
	}
	if f.scale && pr.Len() == 0 && hi.Mul(maxRate).GreaterThan(decimal.NewFromInt(1)) {
		pr.Add("knob.hi", decText(hi), "a scale that keeps every rate ≤ 1 (at most "+decText(maxScale(maxRate))+")")
	}
	if !f.scale && pr.Len() == 0 {
		for _, d := range f.ds {
			if lo, h := d.Bounds(); k.Lo.InexactFloat64() < lo || hi.InexactFloat64() > h {
				pr.Add("knob", decText(k.Lo)+" to "+decText(hi), fmt.Sprintf("a bracket inside %s's range (%s)", d.Address, d.Range))
				break
			}
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	f.lo, f.hi = k.Lo.InexactFloat64(), hi.InexactFloat64()
	return f, nil
}

// values are the drivers' values at knob x.
func (f *family) values(x decimal.Decimal) []decimal.Decimal {
	v := append([]decimal.Decimal(nil), f.base...)
	for _, i := range f.idx {
		if f.scale {
			v[i] = f.base[i].Mul(x).Round(decisionPlaces)
		} else {
			v[i] = x
		}
	}
	return v
}

func (f *family) at(x decimal.Decimal) (Surplus, *costmodel.Statement, error) {
	st, err := f.m.Evaluate(f.values(x), nil)
	if err != nil {
		return Surplus{}, nil, err
	}
	return f.b.surplusOf(st, costmodel.Window{}), st, nil
}

// xOf is a float knob value as the decimal the family evaluates.
func xOf(x float64) decimal.Decimal { return decimal.NewFromFloat(x).Round(decisionPlaces) }

// root solves g(surplus at x) = 0 on [lo, hi]; ok is false when g keeps one
// sign there, and then sign is that sign.
func (f *family) root(g func(Surplus) float64, lo, hi float64) (x float64, ok bool, sign int, err error) {
	h := func(x float64) float64 {
		s, _, err := f.at(xOf(x))
		if err != nil {
			f.failure = err
			return math.NaN()
		}
		return g(s)
	}
	x, err = root.Brent(h, lo, hi, DefaultTolerance)
	if f.failure != nil {
		return 0, false, 0, f.failure
	}
	var nb *root.NoBracketError
	if errors.As(err, &nb) {
		if nb.FA > 0 {
			return 0, false, 1, nil
		}
		return 0, false, -1, nil
	}
	return x, err == nil, 0, err
}

// FairTerms finds the schedule of the knob's family that splits the
// joint surplus by the rule, on the exact model (Brent's method on the
// knob, tolerance DefaultTolerance). Our gain must fall and the
// partner's rise as the knob rises, as they do for every commission rate
// and fee. It is an error when the disagreement points are above the
// joint surplus (no schedule leaves both sides better off than no deal),
// when the family has no schedule in the bargaining range, and, for
// Share, when the family cannot reach the share.
func (b Bargain) FairTerms(p *costmodel.Portfolio, k Knob, sp Split) (*FairSchedule, error) {
	var pr costmodel.Problems
	w := decimal.NewFromFloat(0.5)
	switch sp.Rule {
	case Nash:
		if sp.Weight != nil {
			w = *sp.Weight
		}
	case KalaiSmorodinsky:
		if sp.Weight != nil {
			pr.Add("split.weight", decText(*sp.Weight), "no weight with kalai_smorodinsky (it splits by the ideal gains)")
		}
	case Share:
		if sp.Weight == nil {
			pr.Add("split.weight", "", "our share of the joint surplus, from 0 to 1")
		} else {
			w = *sp.Weight
		}
	default:
		pr.Add("split.rule", fmt.Sprintf("%q", sp.Rule), `"nash", "kalai_smorodinsky" or "share"`)
	}
	if w.Sign() < 0 || w.GreaterThan(decimal.NewFromInt(1)) {
		pr.Add("split.weight", decText(w), "a weight from 0 to 1")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	f, err := b.family(p, k)
	if err != nil {
		return nil, err
	}
	s0, _, err := f.at(xOf(f.lo))
	if err != nil {
		return nil, err
	}
	if s0.Joint.Sign() <= 0 {
		return nil, &costmodel.FieldError{Path: "bargain", Value: fmt.Sprintf("no-deal points %s (ours) + %s (partner's) = %s", b.OurNoDeal, b.PartnerNoDeal, b.OurNoDeal.Add(b.PartnerNoDeal)),
			Expected: fmt.Sprintf("disagreement points below the joint value the partnership creates (%s): with these, both sides do better without the deal", s0.Ours.Add(s0.Partner))}
	}
	// The partner's floor: the lowest x at which its gain is ≥ 0; our
	// break-even: the highest at which ours is.
	floor, ok, sign, err := f.root(func(s Surplus) float64 { return s.PartnerGain.InexactFloat64() }, f.lo, f.hi)
	if err != nil {
		return nil, err
	}
	if !ok {
		if sign < 0 {
			return nil, &costmodel.FieldError{Path: "knob", Value: fmt.Sprintf("%g to %g", f.lo, f.hi), Expected: "a family with a schedule the partner accepts: its gain is below zero throughout"}
		}
		floor = f.lo
	}
	brk, ok, sign, err := f.root(func(s Surplus) float64 { return s.OurGain.InexactFloat64() }, f.lo, f.hi)
	if err != nil {
		return nil, err
	}
	if !ok {
		if sign < 0 {
			return nil, &costmodel.FieldError{Path: "knob", Value: fmt.Sprintf("%g to %g", f.lo, f.hi), Expected: "a family with a schedule we accept: our gain is below zero throughout"}
		}
		brk = f.hi
	}
	if floor > brk {
		return nil, &costmodel.FieldError{Path: "knob", Value: fmt.Sprintf("partner's floor %g above our break-even %g", floor, brk), Expected: "a family with a bargaining range"}
	}
	lowEnd, _, err := f.at(xOf(floor))
	if err != nil {
		return nil, err
	}
	highEnd, _, err := f.at(xOf(brk))
	if err != nil {
		return nil, err
	}
	fs := &FairSchedule{Rule: sp.Rule, Floor: xOf(floor), BreakEven: xOf(brk), IdealOurs: lowEnd.OurGain, IdealPartner: highEnd.PartnerGain}
	var x float64
	switch sp.Rule {
	case KalaiSmorodinsky:
		a1, a2 := fs.IdealOurs.InexactFloat64(), fs.IdealPartner.InexactFloat64()
		r, ok, _, err := f.root(func(s Surplus) float64 { return s.OurGain.InexactFloat64()*a2 - s.PartnerGain.InexactFloat64()*a1 }, floor, brk)
		if err != nil {
			return nil, err
		}
		x = r
		if !ok { // a zero-width range
			x = floor
		}
	default:
		wf := w.InexactFloat64()
		r, ok, sign, err := f.root(func(s Surplus) float64 {
			return s.OurGain.InexactFloat64() - wf*s.Joint.InexactFloat64()
		}, floor, brk)
		if err != nil {
			return nil, err
		}
		x = r
		if !ok {
			if sp.Rule == Share && floor < brk {
				return nil, &costmodel.FieldError{Path: "split.weight", Value: decText(w), Expected: fmt.Sprintf(
					"a share the family reaches within the bargaining range: from %s to %s", shareText(highEnd), shareText(lowEnd))}
			}
			// Nash: the product rises towards the share w, so its
			// maximum in the range is the end nearest it.
			x = brk
			if sign < 0 {
				x = floor
			}
		}
	}
	fs.X = xOf(x)
	if fs.At, _, err = f.at(fs.X); err != nil {
		return nil, err
	}
	vals := f.values(fs.X)
	for j, d := range f.ds {
		d.Value = vals[f.idx[j]]
		fs.Drivers = append(fs.Drivers, d)
	}
	return fs, nil
}

func shareText(s Surplus) string {
	if !s.OurShare.Valid {
		return "undefined"
	}
	return s.OurShare.Amount.Round(4).String()
}

// maxScale is the largest factor (to 12 places, rounded down) that keeps
// the highest rate at most 1.
func maxScale(maxRate decimal.Decimal) decimal.Decimal {
	return decimal.NewFromInt(1).DivRound(maxRate, decisionPlaces+4).Truncate(decisionPlaces)
}
