package scenario

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Shock changes the drivers a target selects: Op (multiply, add, set)
// with Value. Target is a driver address or a pattern ('*' within a
// segment), see costmodel.Portfolio.Match.
//
// Without From and To a shock holds for the whole horizon. From and To
// (month offsets from the portfolio start, inclusive) limit it to a range
// of months, and CalendarMonths (1–12) to those calendar months within
// the range (or within the whole horizon when From and To are nil).
//
// In a scenario file, target, op and value are required (a shock without a
// value would multiply by 0 or set to 0); from, to and calendar_months are
// optional (default: the whole horizon, every calendar month).
type Shock struct {
	Target         string          `json:"target" required:"true"`
	Op             costmodel.Op    `json:"op" required:"true"`
	Value          decimal.Decimal `json:"value" required:"true"`
	From           *int            `json:"from,omitempty"`
	To             *int            `json:"to,omitempty"`
	CalendarMonths []time.Month    `json:"calendar_months,omitempty"`
}

// wholeHorizon reports whether the shock applies in every month.
func (s *Shock) wholeHorizon() bool {
	return s.From == nil && s.To == nil && len(s.CalendarMonths) == 0
}

// Scenario is a named list of shocks.
//
// Order: shocks apply in list order, each to the values the previous ones
// left, month by month: "multiply orders by 1.3, then add 100" gives
// 1.3 × orders + 100, and the reverse order gives 1.3 × (orders + 100).
//
// In a scenario file, name and shocks are required; description is
// optional.
type Scenario struct {
	Name        string  `json:"name" required:"true"`
	Description string  `json:"description,omitempty"`
	Shocks      []Shock `json:"shocks" required:"true"`
}

// Compose returns one scenario that applies the given scenarios in order:
// the shocks of the first, then those of the second on top, and so on.
// Peak season composed with a competitor's price cut is
// Compose("peak + price war", peak, cut).
func Compose(name string, scenarios ...Scenario) Scenario {
	out := Scenario{Name: name}
	for i, s := range scenarios {
		if i > 0 {
			out.Description += " then "
		}
		out.Description += s.Name
		out.Shocks = append(out.Shocks, s.Shocks...)
	}
	return out
}

// Apply returns a new portfolio with the scenario's shocks; p is never
// modified. Whole-horizon shocks at the head of the list change the
// drivers themselves (so the new portfolio's Drivers show them); from the
// first month-limited shock on, shocks become costmodel.Adjustments that
// apply at evaluation, which keeps the list order exact.
//
// Every problem is reported at once, at the shock's path within the
// scenario ("shocks[2].to"; Load puts "scenarios[i]." before it), and its
// message names the scenario. A shock whose value takes the drivers it
// selects out of their ranges is one problem at its value, as written,
// naming the first such driver and counting the others: the user wrote
// the value, not the many values derived from it.
func (s Scenario) Apply(p *costmodel.Portfolio) (*costmodel.Portfolio, error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	q := p.Clone()
	var pr costmodel.Problems
	in := fmt.Sprintf(" (scenario %q)", s.Name)
	if s.Name == "" {
		pr.Add("name", "", "a scenario name")
		in = " (a scenario without a name)"
	}
	base := len(q.Adjustments)
	var adjShock []int // the shock each new adjustment came from
	folding := base == 0
	for i := range s.Shocks {
		sh := &s.Shocks[i]
		at := fmt.Sprintf("shocks[%d]", i)
		var own costmodel.Problems
		if !checkShock(&own, at, sh, p) {
			mergeIn(&pr, own.Err(), in)
			continue
		}
		if folding && sh.wholeHorizon() {
			_, err := q.Update(sh.Target, func(d costmodel.Driver) (decimal.Decimal, error) {
				return sh.Op.Apply(d.Value, sh.Value)
			})
			if err != nil {
				pr.Add(at+".value", sh.Value.String(), outOfRange(sh, problemsOf(err), in))
			}
			continue
		}
		folding = false
		from, to := 0, p.Months-1
		if sh.From != nil {
			from = *sh.From
		}
		if sh.To != nil {
			to = *sh.To
		}
		q.Adjustments = append(q.Adjustments, costmodel.Adjustment{
			Name: s.Name + "." + at, Target: sh.Target, Op: sh.Op, Value: sh.Value,
			From: from, To: to, CalendarMonths: append([]time.Month(nil), sh.CalendarMonths...),
		})
		adjShock = append(adjShock, i)
	}
	if pr.Len() == 0 {
		// Only the shocks' own problems are reported when there are any:
		// validating a half-shocked portfolio would repeat them.
		byShock := map[int][]*costmodel.FieldError{}
		var order []int
		for _, fe := range problemsOf(q.Validate()) {
			k, rest, ok := adjustmentOf(fe.Path)
			if !ok || k < base || k-base >= len(adjShock) {
				pr.Merge("", &costmodel.FieldError{Path: fe.Path, Value: fe.Value, Expected: fe.Expected + in, Err: fe.Err})
				continue
			}
			i := adjShock[k-base]
			if byShock[i] == nil {
				order = append(order, i)
			}
			byShock[i] = append(byShock[i], &costmodel.FieldError{Path: rest, Value: fe.Value, Expected: fe.Expected})
		}
		for _, i := range order {
			sh := &s.Shocks[i]
			pr.Add(fmt.Sprintf("shocks[%d].value", i), sh.Value.String(), outOfRange(sh, byShock[i], in))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

// problemsOf lists the problems of a validation error (one for any other
// error, at no path).
func problemsOf(err error) []*costmodel.FieldError {
	var ve *costmodel.ValidationError
	var fe *costmodel.FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return ve.Problems
	case errors.As(err, &fe):
		return []*costmodel.FieldError{fe}
	}
	return []*costmodel.FieldError{{Expected: err.Error(), Err: err}}
}

// mergeIn records the problems of err, each message naming the scenario.
func mergeIn(pr *costmodel.Problems, err error, in string) {
	for _, fe := range problemsOf(err) {
		pr.Merge("", &costmodel.FieldError{Path: fe.Path, Value: fe.Value, Expected: fe.Expected + in, Err: fe.Err})
	}
}

// adjustmentOf splits a problem path "adjustments[k].rest" (rest is a
// driver address) into k and rest.
func adjustmentOf(path string) (k int, rest string, ok bool) {
	tail, found := strings.CutPrefix(path, "adjustments[")
	if !found {
		return 0, "", false
	}
	num, rest, found := strings.Cut(tail, "]")
	if !found {
		return 0, "", false
	}
	k, err := strconv.Atoi(num)
	if err != nil {
		return 0, "", false
	}
	return k, strings.TrimPrefix(rest, "."), true
}

// outOfRange says what a shock's value does to the drivers it selects:
// the first driver's problem, and how many more there are.
func outOfRange(sh *Shock, probs []*costmodel.FieldError, in string) string {
	if len(probs) == 0 {
		return "a value the drivers it selects accept" + in
	}
	first := probs[0]
	what := first.Expected
	if first.Value != "" {
		what = fmt.Sprintf("%s would be %s, expected %s", first.Path, first.Value, first.Expected)
	} else if first.Path != "" {
		what = fmt.Sprintf("%s: expected %s", first.Path, first.Expected)
	}
	more := ""
	if n := len(probs) - 1; n > 0 {
		more = fmt.Sprintf("; and %d more drivers would leave their ranges", n)
	}
	return fmt.Sprintf("a value that keeps the drivers %q selects in range: after %s %s, %s%s%s", sh.Target, sh.Op, sh.Value, what, more, in)
}

// checkShock records the problems of one shock and reports whether it can
// be applied.
func checkShock(pr *costmodel.Problems, at string, sh *Shock, p *costmodel.Portfolio) bool {
	n := pr.Len()
	if _, err := sh.Op.Apply(decimal.Zero, decimal.Zero); err != nil {
		pr.Add(at+".op", quote(string(sh.Op)), `"multiply", "add" or "set"`)
	}
	if sh.From != nil && (*sh.From < 0 || *sh.From >= p.Months) {
		pr.Add(at+".from", fmt.Sprint(*sh.From), fmt.Sprintf("a month offset from 0 to %d", p.Months-1))
	}
	if sh.To != nil && (*sh.To < 0 || *sh.To >= p.Months) {
		pr.Add(at+".to", fmt.Sprint(*sh.To), fmt.Sprintf("a month offset from 0 to %d", p.Months-1))
	}
	if sh.From != nil && sh.To != nil && *sh.To < *sh.From {
		pr.Add(at+".to", fmt.Sprint(*sh.To), "a month at or after from")
	}
	for _, m := range sh.CalendarMonths {
		if m < time.January || m > time.December {
			pr.Add(at+".calendar_months", fmt.Sprint(int(m)), "calendar months from 1 (January) to 12")
		}
	}
	if _, err := p.Match(sh.Target); err != nil {
		// the cause ErrNoMatch travels with the problem (errors.Is)
		pr.Merge(at+".target", &costmodel.FieldError{Value: quote(sh.Target), Expected: "an address or pattern that matches at least one driver of the portfolio", Err: costmodel.ErrNoMatch})
	}
	return pr.Len() == n
}

// File is the JSON form of a set of scenarios; "scenarios" is required.
// "guardrails" is optional: the rules to check under every scenario
// (LoadWithGuardrails reads them; Load checks and ignores them).
type File struct {
	Scenarios  []Scenario `json:"scenarios" required:"true"`
	Guardrails Guardrails `json:"guardrails,omitempty"`
}

// maxFileBytes bounds a scenarios file, as costmodel.Load bounds a
// portfolio file: 64 MiB is far more than any set of scenarios.
const maxFileBytes = 64 << 20

// Load reads scenarios from JSON ({"scenarios": [...]}) and checks each
// against the portfolio it will be applied to, reporting every problem
// at once (unknown fields, duplicate names, shocks that match nothing,
// month ranges outside the horizon, values out of range). It has the
// shape of costmodel.Load and montecarlo.Load; LoadFile reads a file.
func Load(r io.Reader, p *costmodel.Portfolio) ([]Scenario, error) {
	ss, _, err := LoadWithGuardrails(r, p)
	return ss, err
}

// LoadWithGuardrails reads scenarios and guardrails from JSON
// ({"scenarios": [...], "guardrails": [...]}), as Load does, and checks
// the guardrails against the portfolio's statement (Guardrails.Validate:
// places, metrics, limits, windows within the horizon), every problem at
// its path ("guardrails[1].window.span").
func LoadWithGuardrails(r io.Reader, p *costmodel.Portfolio) ([]Scenario, Guardrails, error) {
	if p == nil {
		return nil, nil, errNoPortfolio()
	}
	if r == nil {
		return nil, nil, &costmodel.FieldError{Path: "(file)", Expected: "a reader to load the scenarios from, not nil"}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxFileBytes {
		return nil, nil, &costmodel.FieldError{Path: "(file)", Expected: "a scenarios file of at most 64 MiB"}
	}
	var f File
	if err := costmodel.DecodeStrict(data, &f); err != nil {
		return nil, nil, err
	}
	var pr costmodel.Problems
	if len(f.Scenarios) == 0 {
		pr.Add("scenarios", "", "at least one scenario (a file with none compares nothing)")
	}
	seen := map[string]bool{}
	for i, s := range f.Scenarios {
		if s.Name != "" && seen[s.Name] {
			pr.Add(fmt.Sprintf("scenarios[%d].name", i), quote(s.Name), "a name not already used")
		}
		seen[s.Name] = true
		if len(s.Shocks) == 0 {
			pr.Add(fmt.Sprintf("scenarios[%d].shocks", i), "", "at least one shock")
		}
		if _, err := s.Apply(p); err != nil {
			pr.Merge(fmt.Sprintf("scenarios[%d]", i), err)
		}
	}
	if len(f.Guardrails) > 0 {
		st, err := safeEvaluate(p)
		if err != nil {
			return nil, nil, err
		}
		pr.Merge("", f.Guardrails.Validate(st))
	}
	if err := pr.Err(); err != nil {
		return nil, nil, err
	}
	return f.Scenarios, f.Guardrails, nil
}

// LoadFile reads scenarios from the named JSON file (see Load); errors
// name the file.
func LoadFile(name string, p *costmodel.Portfolio) ([]Scenario, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ss, err := Load(f, p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ss, nil
}
