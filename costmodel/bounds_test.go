package costmodel

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// tiedRule reports whether a validation problem belongs to a rule that
// ties several drivers together (tiers and bands ascending, price-mix
// shares summing to 1, a cap at least the minimum): moving one driver to
// the end of its own range may break such a rule, and Validate must then
// refuse the portfolio. Any other problem means Bounds promised a value
// that Validate refuses.
func tiedRule(fe *FieldError) bool {
	for _, s := range []string{".tiers[", ".bands[", ".price_mix", ".cap_per_item"} {
		if strings.Contains(fe.Path, s) {
			return true
		}
	}
	return false
}

// boundsPortfolios are the testdata portfolios, every driver of each, and
// the generated variants of larkspur, with the drivers that larkspur.json
// does not have at the same value (the drivers it shares were moved
// already), and every seventh driver in the JPY variant (minor unit 0).
func boundsPortfolios(t *testing.T) map[string]boundsCase {
	t.Helper()
	out := map[string]boundsCase{}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata portfolios: %v", err)
	}
	for _, f := range files {
		out[filepath.Base(f)] = boundsCase{p: loadTestdata(t, filepath.Base(f))}
	}
	lark := map[string]string{}
	for _, d := range loadTestdata(t, "larkspur.json").Drivers() {
		lark[d.Address] = d.Value.String()
	}
	for name, p := range variants(t) {
		c := boundsCase{p: p, skip: map[string]bool{}}
		for i, d := range p.Drivers() {
			c.skip[d.Address] = lark[d.Address] == d.Value.String()
			if strings.HasSuffix(name, "in JPY") {
				c.skip[d.Address] = i%7 != 0
			}
		}
		out[name] = c
	}
	return out
}

type boundsCase struct {
	p    *Portfolio
	skip map[string]bool // addresses not to move
}

// Every driver of every testdata portfolio, moved to each end of the
// range Driver.Bounds gives (the range Monte Carlo clamps draws to), is a
// value Set accepts; the portfolio then evaluates without error, the float
// tape without NaN or Inf and within half a minor unit of the exact graph
// (see tapeCase.check), which gives the moved portfolio's statement. A move that breaks a rule
// tying drivers together (tiers ascending, shares summing to 1) must be
// refused by Validate, and is counted.
//
// Partnerships are evaluated independently and only summed, so a driver
// of one partnership is moved in a portfolio of that partnership alone
// (the discount rate in the whole portfolio): the same check at a
// fraction of the cost.
func TestDriverBoundsEvaluate(t *testing.T) {
	t.Parallel()
	for name, bc := range boundsPortfolios(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkDriverBounds(t, bc)
		})
	}
}

// CheckDriverBounds exposes the bounds check to the external test
// package, which can build the benchmark portfolio.
var CheckDriverBounds = func(t *testing.T, p *Portfolio) { checkDriverBounds(t, boundsCase{p: p}) }

func checkDriverBounds(t *testing.T, bc boundsCase) {
	type model struct {
		p *Portfolio
		c *tapeCase
	}
	compile := func(p *Portfolio) *model {
		m, err := NewModel(p)
		if err != nil {
			t.Fatal(err)
		}
		return &model{p: p, c: newTapeCase(t, p.Name, m)}
	}
	whole := compile(bc.p)
	alone := map[string]*model{}
	for i := range bc.p.Partnerships {
		q := bc.p.Clone()
		q.Partnerships = q.Partnerships[i : i+1]
		if len(bc.p.Adjustments) > 0 {
			q = bc.p // adjustments may reach several partnerships
		}
		alone[q.Partnerships[0].ID] = compile(q)
	}
	drivers := bc.p.Drivers()
	moved, tied := 0, 0
	for i, dr := range drivers {
		if bc.skip[dr.Address] || testing.Short() && i%10 != 0 {
			continue
		}
		m := whole
		if id, _, _ := strings.Cut(dr.Address, "/"); alone[id] != nil {
			m = alone[id]
		}
		k, ok := m.c.m.Index(dr.Address)
		if !ok {
			t.Fatalf("%s is not a driver of its partnership alone", dr.Address)
		}
		lo, hi := dr.Bounds()
		if math.IsInf(hi, 1) {
			hi = 1e13
		}
		for _, end := range []float64{lo, hi} {
			what := fmt.Sprintf("%s = %g", dr.Address, end)
			v := decimal.NewFromFloat(end)
			q := m.p.Clone()
			if _, err := q.Set(dr.Address, v); err != nil {
				t.Errorf("%s: Set refuses a value inside Bounds: %v", what, err)
				continue
			}
			if err := q.Validate(); err != nil {
				ve, ok := err.(*ValidationError)
				if !ok {
					t.Errorf("%s: %v", what, err)
					continue
				}
				for _, fe := range ve.Problems {
					if !tiedRule(fe) {
						t.Errorf("%s: Validate refuses a value inside Bounds: %v", what, fe)
					}
				}
				tied++
				continue
			}
			st, err := Evaluate(q)
			if err != nil {
				t.Errorf("%s: %v", what, err)
				continue
			}
			vals := m.c.m.Values()
			vals[k] = v
			m.c.check(t, what, vals, nil) // the tape: finite, within half a minor unit
			got, err := m.c.m.Evaluate(vals, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameTotals(t, what, got, st)
			if t.Failed() {
				return
			}
			moved++
		}
	}
	t.Logf("%d drivers: %d moves evaluated both ways, %d refused by a rule tying drivers together", len(drivers), moved, tied)
}
