package scenario

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/marginalhq/marginal/internal/root"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// MaxParties is the most parties a coalition game may have: the Shapley
// value is computed exactly over all 2^n coalitions.
const MaxParties = 10

// ShapleyPlaces is the places a Shapley value is rounded to: the value is
// a sum of marginal contributions weighted by s!(n−s−1)!/n!, computed
// exactly and divided by n! once, half away from zero.
const ShapleyPlaces = 12

// Shapley returns the Shapley value of a coalition game: v[S] is the
// value of the coalition whose members are the set bits of S (party i is
// bit i), so len(v) is 2^n for n parties, and v[0], the empty coalition,
// must be 0. Each party receives its marginal contribution averaged over
// every order in which the parties can join:
//
//	φ_i = Σ_{S ∌ i} |S|! (n − |S| − 1)! / n! × (v(S ∪ {i}) − v(S))
//
// The values sum to v(N) within n × 0.5e−12 (efficiency), and parties
// whose contributions are the same get the same value (symmetry).
// More than MaxParties parties is an error.
func Shapley(v []decimal.Decimal) ([]decimal.Decimal, error) {
	n := bits.Len(uint(len(v))) - 1
	switch {
	case len(v) == 0 || len(v) != 1<<n:
		return nil, &costmodel.FieldError{Path: "game", Value: fmt.Sprintf("%d values", len(v)), Expected: "one value per coalition: 2^n values for n parties"}
	case n > MaxParties:
		return nil, &costmodel.FieldError{Path: "game", Value: fmt.Sprintf("%d parties", n), Expected: fmt.Sprintf("a coalition game of at most %d parties (the exact Shapley value sums over 2^n coalitions)", MaxParties)}
	case !v[0].IsZero():
		return nil, &costmodel.FieldError{Path: "game[0]", Value: v[0].String(), Expected: "0: the empty coalition creates nothing"}
	}
	fact := make([]decimal.Decimal, n+1)
	fact[0] = decimal.NewFromInt(1)
	for k := 1; k <= n; k++ {
		fact[k] = fact[k-1].Mul(decimal.NewFromInt(int64(k)))
	}
	phi := make([]decimal.Decimal, n)
	for i := range n {
		bit := 1 << i
		sum := decimal.Zero
		for s := range len(v) {
			if s&bit != 0 {
				continue
			}
			k := bits.OnesCount(uint(s))
			sum = sum.Add(fact[k].Mul(fact[n-k-1]).Mul(v[s|bit].Sub(v[s])))
		}
		phi[i] = sum.DivRound(fact[n], ShapleyPlaces)
	}
	return phi, nil
}

// Party is one party of a partnership that more than two create
// together: the brand (us), the marketplace, an integration or logistics
// partner.
type Party struct {
	Name string
	// Value is how the party's value is read from the model: the signed
	// sum of these lines of the partnership over the horizon
	// (costmodel.LineOurValue for us, LinePartnerValue for the
	// marketplace; for a third party, the lines it is paid, with its own
	// costs in the model as another party's lines or in NoDeal).
	Value []costmodel.Term
	// NoDeal is the party's value without the partnership.
	NoDeal decimal.Decimal
	// Essential parties are those without whom there is no partnership:
	// a coalition missing one gets its members' no-deal values.
	Essential bool
	// Without is how the model changes when the party stays out (another
	// logistics provider at a higher cost, no integration): applied to the
	// portfolio for every coalition the party is not in. Nil: no change.
	Without *Scenario
}

// Coalition is a partnership of several parties.
type Coalition struct {
	Partnership string
	Parties     []Party
	// Implement, when set, is the knob whose value makes Parties[Payee]'s
	// value in the grand coalition equal its Shapley value: the rate that
	// implements the split.
	Implement *Knob
	Payee     int
}

// ShapleySplit is the Shapley split of a coalition's value.
type ShapleySplit struct {
	Parties []string
	// Values holds v(S) by coalition (bit i: Parties[i] is in S).
	Values []decimal.Decimal
	// Shapley is each party's Shapley value; Grand its value under the
	// current terms with every party in; Transfer = Shapley − Grand, what
	// the party must receive (or, negative, pay) for the split.
	Shapley, Grand, Transfer []decimal.Decimal
	// Implemented is the knob value that gives Parties[Payee] its Shapley
	// value (Coalition.Implement), with the drivers it sets.
	Implemented *FairSchedule
}

// Shapley computes every coalition's value from the model and the exact
// Shapley split.
func (c Coalition) Shapley(p *costmodel.Portfolio) (*ShapleySplit, error) {
	n := len(c.Parties)
	var pr costmodel.Problems
	if n < 2 || n > MaxParties {
		pr.Add("parties", fmt.Sprintf("%d parties", n), fmt.Sprintf("2 to %d parties (the exact Shapley value sums over 2^n coalitions)", MaxParties))
	}
	for i, pt := range c.Parties {
		if len(pt.Value) == 0 {
			pr.Add(fmt.Sprintf("parties[%d].value", i), "", "the lines the party's value is read from")
		}
		for j, t := range pt.Value {
			if t.Line < 0 || t.Line >= costmodel.NumLines || (t.Sign != 1 && t.Sign != -1) {
				pr.Add(fmt.Sprintf("parties[%d].value[%d]", i, j), fmt.Sprintf("%d × line %d", t.Sign, t.Line), "a line of the statement with sign 1 or -1")
			}
		}
	}
	if c.Implement != nil && (c.Payee < 0 || c.Payee >= n) {
		pr.Add("payee", fmt.Sprint(c.Payee), "the index of a party")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	b := Bargain{Partnership: c.Partnership}
	if err := b.check(p); err != nil {
		return nil, err
	}
	value := func(st *costmodel.Statement, i int) decimal.Decimal {
		ps, _ := st.Partnership(c.Partnership)
		s := decimal.Zero
		for _, t := range c.Parties[i].Value {
			s = s.Add(ps.Total.Total[t.Line].Mul(decimal.NewFromInt(int64(t.Sign))))
		}
		return s
	}
	out := &ShapleySplit{Values: make([]decimal.Decimal, 1<<n)}
	for _, pt := range c.Parties {
		out.Parties = append(out.Parties, pt.Name)
	}
	// A coalition's statement depends only on which absent parties change
	// the model (Without): coalitions that agree on that share one.
	stmts := map[int]*costmodel.Statement{}
	var grand *costmodel.Statement
	for s := 1; s < 1<<n; s++ {
		essentialOut, changes := false, 0
		for i, pt := range c.Parties {
			if s&(1<<i) != 0 {
				continue
			}
			essentialOut = essentialOut || pt.Essential
			if pt.Without != nil {
				changes |= 1 << i
			}
		}
		v := decimal.Zero
		if essentialOut {
			for i, pt := range c.Parties {
				if s&(1<<i) != 0 {
					v = v.Add(pt.NoDeal)
				}
			}
			out.Values[s] = v
			continue
		}
		st := stmts[changes]
		if st == nil {
			q := p
			for i, pt := range c.Parties {
				if changes&(1<<i) != 0 {
					var err error
					if q, err = pt.Without.Apply(q); err != nil {
						return nil, fmt.Errorf("parties[%d].without: %w", i, err)
					}
				}
			}
			var err error
			if st, err = safeEvaluate(q); err != nil {
				return nil, err
			}
			stmts[changes] = st
		}
		for i := range c.Parties {
			if s&(1<<i) != 0 {
				v = v.Add(value(st, i))
			}
		}
		out.Values[s] = v
		if s == 1<<n-1 {
			grand = st
		}
	}
	phi, err := Shapley(out.Values)
	if err != nil {
		return nil, err
	}
	out.Shapley = phi
	for i := range c.Parties {
		g := value(grand, i)
		out.Grand = append(out.Grand, g)
		out.Transfer = append(out.Transfer, phi[i].Sub(g))
	}
	if c.Implement != nil {
		f, err := b.family(p, *c.Implement)
		if err != nil {
			return nil, err
		}
		target := phi[c.Payee]
		g := func(x float64) (decimal.Decimal, error) {
			st, err := f.m.Evaluate(f.values(xOf(x)), nil)
			if err != nil {
				return decimal.Zero, err
			}
			return value(st, c.Payee).Sub(target), nil
		}
		xr, err := solveMonotone(g, f.lo, f.hi)
		if err != nil {
			return nil, &costmodel.FieldError{Path: "implement", Value: fmt.Sprintf("%g to %g", f.lo, f.hi),
				Expected: fmt.Sprintf("a knob whose bracket reaches %s's Shapley value %s (%v)", c.Parties[c.Payee].Name, target.StringFixed(2), err)}
		}
		fs := &FairSchedule{Rule: "shapley", X: xOf(xr)}
		if fs.At, _, err = f.at(fs.X); err != nil {
			return nil, err
		}
		vals := f.values(fs.X)
		for j, d := range f.ds {
			d.Value = vals[f.idx[j]]
			fs.Drivers = append(fs.Drivers, d)
		}
		out.Implemented = fs
	}
	return out, nil
}

// solveMonotone finds x in [lo, hi] where g crosses zero, by Brent's
// method on the exact values (tolerance DefaultTolerance).
func solveMonotone(g func(float64) (decimal.Decimal, error), lo, hi float64) (float64, error) {
	var fail error
	x, err := root.Brent(func(x float64) float64 {
		v, err := g(x)
		if err != nil {
			fail = err
			return math.NaN()
		}
		return v.InexactFloat64()
	}, lo, hi, DefaultTolerance)
	if fail != nil {
		return 0, fail
	}
	return x, err
}
