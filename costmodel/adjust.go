package costmodel

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Op is how an adjustment or a scenario shock changes a driver.
type Op string

const (
	// Multiply multiplies the driver by the value (1.3 = +30 %).
	Multiply Op = "multiply"
	// Add adds the value to the driver (0.02 = two percentage points on a rate).
	Add Op = "add"
	// SetTo replaces the driver with the value.
	SetTo Op = "set"
)

// OpChoices lists the ops and what each does, for messages about a
// missing or unknown op.
const OpChoices = `"multiply" multiplies the driver by the value (1.1 = +10 %), "add" adds the value to it (0.02 = two points on a rate), "set" replaces the driver with the value`

// applyOp is what each op does to a driver's value old with the op's
// value v, written once for every back end in the arithmetic of the
// back end (mul and add): the exact model's decimals (Op.Apply), the
// statement graph's nodes (an adjustment in modelBuilder.at) and the
// simulation's floats (Op.ApplyFloat, a drawn input on its driver's base
// value). ok is false for an op that is none of them.
func applyOp[T any](o Op, old, v T, mul, add func(x, y T) T) (r T, ok bool) {
	switch o {
	case Multiply:
		return mul(old, v), true
	case Add:
		return add(old, v), true
	case SetTo:
		return v, true
	}
	return r, false
}

// Apply returns the driver's new value.
func (o Op) Apply(old, v decimal.Decimal) (decimal.Decimal, error) {
	if r, ok := applyOp(o, old, v, decimal.Decimal.Mul, decimal.Decimal.Add); ok {
		return r, nil
	}
	return decimal.Zero, o.unknown()
}

// unknown is the error of an op that is none of the ops (not inlined, so
// that ApplyFloat is).
//
//go:noinline
func (o Op) unknown() error {
	return &FieldError{Path: "op", Value: fmt.Sprintf("%q", string(o)), Expected: `"multiply", "add" or "set"`}
}

// ApplyFloat is Apply in float64, as simulation applies a drawn value to
// its driver's base value: the same definition (applyOp), in float
// arithmetic.
func (o Op) ApplyFloat(old, v float64) (float64, error) {
	if r, ok := applyOp(o, old, v, mulF, addF); ok {
		return r, nil
	}
	return 0, o.unknown()
}

func mulF(x, y float64) float64 { return x * y }
func addF(x, y float64) float64 { return x + y }

// Adjustment changes the drivers a pattern selects in some months only: the
// months From to To (offsets from the portfolio start, inclusive), and of
// those only the calendar months listed in CalendarMonths when it is not
// empty (11 and 12 for a November–December peak). Adjustments are how a
// scenario's month-limited shocks live in a portfolio; they apply in list
// order, month by month, on top of the drivers' values.
//
// In JSON, Target, Op, Value, From and To are required; Name and
// CalendarMonths are optional (default: no name, every calendar month).
type Adjustment struct {
	Name           string          `json:"name,omitempty"`
	Target         string          `json:"target" required:"true"`
	Op             Op              `json:"op" required:"true"`
	Value          decimal.Decimal `json:"value" required:"true"`
	From           int             `json:"from" required:"true"`
	To             int             `json:"to" required:"true"`
	CalendarMonths []time.Month    `json:"calendar_months,omitempty"`
}

// active reports whether the adjustment applies in month t of p.
func (a *Adjustment) active(p *Portfolio, t int) bool {
	if t < a.From || t > a.To {
		return false
	}
	return len(a.CalendarMonths) == 0 || slices.Contains(a.CalendarMonths, p.Start.Add(t).Month)
}

// monthGroups partitions the horizon by the set of active adjustments:
// each group lists the adjustments active in its months, in order.
func (p *Portfolio) monthGroups() (active [][]int, months [][]int) {
	index := map[string]int{}
	for t := 0; t < p.Months; t++ {
		var act []int
		var key strings.Builder
		for i := range p.Adjustments {
			if p.Adjustments[i].active(p, t) {
				act = append(act, i)
				fmt.Fprintf(&key, "%d,", i)
			}
		}
		g, ok := index[key.String()]
		if !ok {
			g = len(active)
			index[key.String()] = g
			active = append(active, act)
			months = append(months, nil)
		}
		months[g] = append(months[g], t)
	}
	return active, months
}

// withAdjustments returns a copy of p, without adjustments, whose drivers
// have the values that the listed adjustments give them.
func (p *Portfolio) withAdjustments(act []int) (*Portfolio, error) {
	q := p.Clone()
	q.Adjustments = nil
	var pr Problems
	for _, i := range act {
		a := p.Adjustments[i]
		_, err := q.Update(a.Target, func(d Driver) (decimal.Decimal, error) { return a.Op.Apply(d.Value, a.Value) })
		pr.Merge(fmt.Sprintf("adjustments[%d]", i), err)
	}
	return q, pr.Err()
}

// validateAdjustments checks the adjustments themselves and, when the
// rest of the portfolio is valid (groups), every group of months with its
// adjustments applied.
func (p *Portfolio) validateAdjustments(pr *Problems, groups bool) {
	if len(p.Adjustments) == 0 {
		return
	}
	structural := false
	for i := range p.Adjustments {
		a := &p.Adjustments[i]
		at := fmt.Sprintf("adjustments[%d]", i)
		if _, err := a.Op.Apply(decimal.Zero, a.Value); err != nil {
			pr.Add(at+".op", fmt.Sprintf("%q", string(a.Op)), `"multiply", "add" or "set"`)
			structural = true
		}
		if a.From < 0 || a.To < a.From || a.To >= p.Months {
			pr.Add(at, fmt.Sprintf("months %d to %d", a.From, a.To), fmt.Sprintf("0 ≤ from ≤ to ≤ %d (months − 1)", p.Months-1))
			structural = true
		}
		for _, m := range a.CalendarMonths {
			if m < time.January || m > time.December {
				pr.Add(at+".calendar_months", fmt.Sprint(int(m)), "calendar months from 1 to 12")
				structural = true
			}
		}
		if err := checkPattern(a.Target); err != nil {
			pr.Merge(at+".target", err)
			structural = true
		} else if refs, err := p.match(a.Target); err != nil {
			pr.add(&FieldError{Path: at + ".target", Value: a.Target, Expected: "a pattern that matches at least one driver", Err: ErrNoMatch})
			structural = true
		} else {
			for _, r := range refs {
				if why := wholeHorizonOnly(r.addr); why != "" {
					pr.Add(at+".target", r.addr, why)
					structural = true
					break
				}
			}
		}
	}
	if structural || !groups {
		return
	}
	// Each group of months must be a valid portfolio on its own: ranges,
	// and the rules that tie drivers together (shares summing to 1, tiers
	// ascending, cap ≥ minimum).
	active, months := p.monthGroups()
	for g, act := range active {
		if len(act) == 0 {
			continue
		}
		q, err := p.withAdjustments(act)
		if err != nil {
			pr.Merge("", err)
			continue
		}
		if err := q.Validate(); err != nil {
			pr.Merge(fmt.Sprintf("with the adjustments of %s", p.Start.Add(months[g][0])), err)
		}
	}
}

// WholeHorizonOnly says why a driver cannot change in some months only,
// or returns "" when it can: the discount rate (NPV discounts the whole
// horizon at one rate), growth (it compounds from launch, so a
// month-limited rate would rescale every earlier month's growth at once)
// and set-up amounts (amortisation spreads an amount over later months).
// Monte Carlo's per-month inputs follow the same rule.
func WholeHorizonOnly(address string) string { return wholeHorizonOnly(address) }

// It matches the address's segments, as Portfolio.refs writes them, not
// substrings: "<p>/maintenance/setup/monthly" (a maintenance item named
// setup) and "<p>/setup/orders" (a category named setup) may vary by month.
func wholeHorizonOnly(address string) string {
	parts := strings.Split(address, "/")
	switch {
	case address == "portfolio/discount_rate":
		return "a driver that may vary by month: the discount rate holds for the whole horizon (shock it without a month range)"
	case len(parts) == 3 && parts[2] == "growth": // <partnership>/<category>/growth
		return "a driver that may vary by month: growth compounds from launch (shock it without a month range)"
	case len(parts) == 4 && parts[1] == "setup" && parts[3] == "amount": // <partnership>/setup/<item>/amount
		return "a driver that may vary by month: a set-up amount is amortised over later months (shock it without a month range)"
	}
	return ""
}
