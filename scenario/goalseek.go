package scenario

import (
	"errors"
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/root"
	"github.com/shopspring/decimal"
)

// DefaultTolerance is the goal seek's tolerance on the decision variable
// (a rate, a multiplier or a share): 1e-9, far below any term a contract
// writes, so the output at the solution is within (slope × 1e-9) of the
// goal, under a cent for any realistic portfolio.
const DefaultTolerance = 1e-9

// decisionPlaces is the number of decimal places of the decision variable
// passed to the exact model.
const decisionPlaces = 12

// Seek is a goal-seek problem: find v in [Lo, Hi] such that, after
// Apply(p', v) on a copy p' of the portfolio, Output equals Goal.
type Seek struct {
	// Apply sets the decision variable on a copy of the portfolio.
	Apply  func(p *costmodel.Portfolio, v decimal.Decimal) error
	Output Output
	Goal   decimal.Decimal
	Lo, Hi decimal.Decimal
	// Tol is the tolerance on v; zero means DefaultTolerance.
	Tol float64
}

// Solution is a goal seek's answer.
type Solution struct {
	// Value is the decision variable at the solution.
	Value decimal.Decimal
	// Output is the output the exact model gives at Value.
	Output      Value
	Evaluations int
}

// NoSolutionError reports that the output does not cross the goal inside
// the bracket, with the output at both ends.
type NoSolutionError struct {
	What       string
	Lo, Hi     decimal.Decimal
	AtLo, AtHi Value
	Goal       decimal.Decimal
}

// Error says what was sought and the output at both ends of the bracket.
func (e *NoSolutionError) Error() string {
	if e == nil {
		return "no solution"
	}
	return fmt.Sprintf("%s: no solution between %s (output %s) and %s (output %s) for the goal %s",
		e.What, decText(e.Lo), e.AtLo, decText(e.Hi), e.AtHi, decText(e.Goal))
}

// GoalSeek solves a Seek by Brent's method over the bracket, evaluating
// the exact model at each trial value (rounded to 12 decimal places). The
// output must cross the goal between Lo and Hi; otherwise the error is a
// *NoSolutionError with the output at both ends.
func GoalSeek(p *costmodel.Portfolio, s Seek) (*Solution, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	if s.Apply == nil || !s.Lo.LessThan(s.Hi) {
		return nil, &costmodel.FieldError{Path: "seek", Value: fmt.Sprintf("[%s, %s]", decText(s.Lo), decText(s.Hi)), Expected: "an Apply function and a bracket with lo < hi"}
	}
	tol := s.Tol
	if tol <= 0 {
		tol = DefaultTolerance
	}
	evals := 0
	var evalErr error
	at := func(v decimal.Decimal) (Value, error) {
		evals++
		q := p.Clone()
		if err := s.Apply(q, v); err != nil {
			return Value{}, err
		}
		st, err := safeEvaluate(q)
		if err != nil {
			return Value{}, err
		}
		return s.Output.Of(st)
	}
	f := func(x float64) float64 {
		v, err := at(decimal.NewFromFloat(x).Round(decisionPlaces))
		if err != nil || !v.Valid {
			if evalErr == nil {
				evalErr = err
				if err == nil {
					evalErr = fmt.Errorf("%s is undefined at %s", s.Output, decimal.NewFromFloat(x).Round(decisionPlaces))
				}
			}
			return math.NaN()
		}
		return v.Amount.Sub(s.Goal).InexactFloat64()
	}
	lo, hi := s.Lo.InexactFloat64(), s.Hi.InexactFloat64()
	x, err := root.Brent(f, lo, hi, tol)
	if evalErr != nil {
		return nil, evalErr
	}
	var nb *root.NoBracketError
	if errors.As(err, &nb) {
		atLo, _ := at(s.Lo)
		atHi, _ := at(s.Hi)
		return nil, &NoSolutionError{What: "goal seek on " + s.Output.String(), Lo: s.Lo, Hi: s.Hi, AtLo: atLo, AtHi: atHi, Goal: s.Goal}
	}
	if err != nil {
		return nil, err
	}
	v := decimal.NewFromFloat(x).Round(decisionPlaces)
	out, err := at(v)
	if err != nil {
		return nil, err
	}
	return &Solution{Value: v, Output: out, Evaluations: evals}, nil
}

// rateTargets are the flat commission-rate drivers of a partnership.
func rateTargets(p *costmodel.Portfolio, partnership string) ([]string, error) {
	var out []string
	for _, pat := range []string{partnership + "/commission/rate", partnership + "/*/commission/rate"} {
		if _, err := p.Match(pat); err == nil {
			out = append(out, pat)
		}
	}
	if len(out) == 0 {
		return nil, &costmodel.FieldError{Path: partnership, Expected: "a partnership with flat commission rates (commission/rate); tiered terms have no single rate to solve for"}
	}
	return out, nil
}

// setRate sets every flat commission rate of a partnership to v.
func setRate(targets []string) func(*costmodel.Portfolio, decimal.Decimal) error {
	return func(q *costmodel.Portfolio, v decimal.Decimal) error {
		for _, t := range targets {
			if _, err := q.Set(t, v); err != nil {
				return err
			}
		}
		return nil
	}
}

// BreakEvenRate is the flat revenue-share (commission) rate, between 0 and
// 1, at which the partnership's contribution over the horizon equals goal
// (zero for break-even). Every flat commission rate of the partnership
// (its default terms and its categories' own) is set to the same rate.
func BreakEvenRate(p *costmodel.Portfolio, partnership string, goal decimal.Decimal) (*Solution, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	targets, err := rateTargets(p, partnership)
	if err != nil {
		return nil, err
	}
	return GoalSeek(p, Seek{
		Apply:  setRate(targets),
		Output: Output{Scope: Partnership, Key: partnership, Metric: Contribution},
		Goal:   goal, Lo: decimal.Zero, Hi: decimal.NewFromInt(1),
	})
}

// LargestSafeDiscount is the largest price cut c in [0, maxCut] on the
// prices the pattern selects (a category pattern such as "*/beauty" or
// "amazon-us/*") that keeps the output ratio (a CM ratio guardrail) at or
// above min: prices are multiplied by 1 − c. If even maxCut keeps the
// ratio above min, or no cut does, the answer is a *NoSolutionError.
func LargestSafeDiscount(p *costmodel.Portfolio, categories string, out Output, min, maxCut decimal.Decimal) (*Solution, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	if _, err := priceCut(p, categories); err != nil {
		return nil, err
	}
	return GoalSeek(p, Seek{
		Apply: func(q *costmodel.Portfolio, c decimal.Decimal) error {
			return applyCut(q, categories, c)
		},
		Output: out, Goal: min, Lo: decimal.Zero, Hi: maxCut,
	})
}

// CutPrices returns a copy of p with the prices of the categories a
// pattern selects ("*/beauty", "amazon-us/*"; single prices and
// price-mix points) multiplied by 1 − cut; p is not modified. A cut
// outside [0, 1) is an error, and so is a pattern that selects no price.
func CutPrices(p *costmodel.Portfolio, categories string, cut decimal.Decimal) (*costmodel.Portfolio, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	if cut.IsNegative() || cut.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		return nil, &costmodel.FieldError{Path: "cut", Value: cut.String(), Expected: "a price cut from 0 to below 1 (0.05 for 5 %)"}
	}
	q := p.Clone()
	if err := applyCut(q, categories, cut); err != nil {
		return nil, err
	}
	return q, nil
}

// priceCut lists the price patterns of the categories, or the error of a
// pattern that selects none.
func priceCut(p *costmodel.Portfolio, categories string) ([]string, error) {
	targets := priceTargets(p, categories)
	if len(targets) == 0 {
		return nil, &costmodel.FieldError{Path: categories, Expected: "a category pattern (partnership/category) whose prices exist"}
	}
	return targets, nil
}

// applyCut multiplies the categories' prices in q by 1 − c.
func applyCut(q *costmodel.Portfolio, categories string, c decimal.Decimal) error {
	targets, err := priceCut(q, categories)
	if err != nil {
		return err
	}
	one := decimal.NewFromInt(1)
	for _, t := range targets {
		if _, err := q.Update(t, func(d costmodel.Driver) (decimal.Decimal, error) {
			return d.Value.Mul(one.Sub(c)), nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// priceTargets lists the price patterns of the categories a pattern
// selects that match something: single prices and price-mix points.
func priceTargets(p *costmodel.Portfolio, categories string) []string {
	var out []string
	for _, pat := range []string{categories + "/price", categories + "/price_mix/*/price"} {
		if _, err := p.Match(pat); err == nil {
			out = append(out, pat)
		}
	}
	return out
}

// VolumeForPayback finds the multiplier k of every category's monthly
// orders in the partnership (between 0 and maxMultiplier) at which the
// cumulative net cash flow of its first months months is zero, so that the
// partnership pays back within that many months. Solution.Value is k; the
// monthly orders needed are k times the base orders.
func VolumeForPayback(p *costmodel.Portfolio, partnership string, months int, maxMultiplier decimal.Decimal) (*Solution, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	if months < 1 || months > p.Months {
		return nil, &costmodel.FieldError{Path: "months", Value: fmt.Sprint(months), Expected: fmt.Sprintf("1 to %d", p.Months)}
	}
	target := partnership + "/*/orders"
	if _, err := p.Match(target); err != nil {
		return nil, err
	}
	evals := 0
	var seekErr error
	cum := func(k decimal.Decimal) (decimal.Decimal, error) {
		evals++
		q := p.Clone()
		if _, err := q.Update(target, func(d costmodel.Driver) (decimal.Decimal, error) { return d.Value.Mul(k), nil }); err != nil {
			return decimal.Zero, err
		}
		st, err := safeEvaluate(q)
		if err != nil {
			return decimal.Zero, err
		}
		ps, _ := st.Partnership(partnership)
		s := decimal.Zero
		for _, f := range ps.Total.Series(costmodel.LineNetCashFlow)[:months] {
			s = s.Add(f)
		}
		return s, nil
	}
	f := func(x float64) float64 {
		v, err := cum(decimal.NewFromFloat(x).Round(decisionPlaces))
		if err != nil {
			seekErr = err
			return math.NaN()
		}
		return v.InexactFloat64()
	}
	x, err := root.Brent(f, 0, maxMultiplier.InexactFloat64(), DefaultTolerance)
	if seekErr != nil {
		return nil, seekErr
	}
	if errors.As(err, new(*root.NoBracketError)) {
		lo, _ := cum(decimal.Zero)
		hi, _ := cum(maxMultiplier)
		return nil, &NoSolutionError{What: fmt.Sprintf("volume for payback of %s within %d months", partnership, months),
			Lo: decimal.Zero, Hi: maxMultiplier, AtLo: Value{Amount: lo, Valid: true}, AtHi: Value{Amount: hi, Valid: true}}
	}
	if err != nil {
		return nil, err
	}
	k := decimal.NewFromFloat(x).Round(decisionPlaces)
	v, err := cum(k)
	if err != nil {
		return nil, err
	}
	return &Solution{Value: k, Output: Value{Amount: v, Valid: true}, Evaluations: evals}, nil
}
