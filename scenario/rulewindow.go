package scenario

import (
	"fmt"
	"strconv"
	"time"

	"github.com/marginalhq/marginal/costmodel"
)

// RuleWindow says over which windows of months a guardrail is checked.
// The zero RuleWindow is the whole horizon, as guardrails were read
// before windows existed. Either Each names a kind of window repeated
// over the horizon, or the embedded Window is the one window:
//
//	{"each": "month"}                                          every month
//	{"each": "quarter"}, {"each": "year"}                      every calendar quarter, year
//	{"each": "rolling", "span": 3}                             every 3 months ending in each month from the third on
//	{"each": "calendar", "name": "peak", "calendar": [11, 12]} November–December of each calendar year
//	{"kind": "year", "year": 2027}                             one window (any costmodel.Window)
//	{"kind": "calendar", "name": "peak", "calendar": [11, 12]} every peak pooled into one window
//
// Each year, quarter and calendar window holds the horizon's months only
// (the first and last may be partial, as costmodel.EachWindow lists
// them). A calendar set that runs across the new year (December to
// February) is read within each calendar year; write a rolling or a
// range window for a season that crosses it.
type RuleWindow struct {
	// Each is horizon, year, quarter, month, rolling (with Span) or
	// calendar (with Calendar and an optional Name); empty for the one
	// Window.
	Each costmodel.WindowKind `json:"each,omitempty"`
	costmodel.Window
}

// EachMonth, EachQuarter, EachYear, EachRolling, EachCalendar and
// EachPeak are the repeated windows of a rule; Over is one window.
func EachMonth() RuleWindow   { return RuleWindow{Each: costmodel.WindowMonth} }
func EachQuarter() RuleWindow { return RuleWindow{Each: costmodel.WindowQuarter} }
func EachYear() RuleWindow    { return RuleWindow{Each: costmodel.WindowYear} }

// EachRolling is every span months, ending in each month from the
// span-th on.
func EachRolling(span int) RuleWindow {
	return RuleWindow{Each: costmodel.WindowRolling, Window: costmodel.Window{Span: span}}
}

// EachCalendar is the given calendar months of each calendar year, named
// name ("peak").
func EachCalendar(name string, months ...time.Month) RuleWindow {
	return RuleWindow{Each: costmodel.WindowCalendar, Window: costmodel.Window{Name: name, Calendar: costmodel.CalendarMonths(months...)}}
}

// EachPeak is November and December of each calendar year, named "peak".
func EachPeak() RuleWindow { return EachCalendar("peak", time.November, time.December) }

// Over is the one window w.
func Over(w costmodel.Window) RuleWindow { return RuleWindow{Window: w} }

// String says which windows in words: "each month", "each rolling 3
// months", "each peak (11, 12)", "2027", "horizon".
func (rw RuleWindow) String() string {
	switch rw.Each {
	case "":
		return rw.Window.String()
	case costmodel.WindowHorizon:
		return "horizon"
	case costmodel.WindowRolling:
		return fmt.Sprintf("each rolling %d months", rw.Span)
	case costmodel.WindowCalendar:
		return "each " + costmodel.Window{Kind: costmodel.WindowCalendar, Name: rw.Name, Calendar: rw.Calendar}.String()
	}
	return "each " + string(rw.Each)
}

// Windows lists the windows of the horizon of n months from start, in
// order. Every problem is reported with its JSON path relative to the
// rule window ("span", "calendar", "year"): an unknown kind, a rolling
// span below 1 or longer than the horizon, an empty or malformed
// calendar set, a field the kind does not read, a window outside the
// horizon.
func (rw RuleWindow) Windows(start costmodel.Month, n int) ([]costmodel.Window, error) {
	var pr costmodel.Problems
	w := rw.Window
	stray := func(allowed ...string) {
		for _, f := range []struct {
			name  string
			given bool
		}{{"kind", w.Kind != ""}, {"year", w.Year != 0}, {"quarter", w.Quarter != 0}, {"month", !w.Month.IsZero()},
			{"span", w.Span != 0}, {"from", !w.From.IsZero()}, {"to", !w.To.IsZero()}, {"name", w.Name != ""}, {"calendar", w.Calendar != 0}} {
			if !f.given {
				continue
			}
			ok := false
			for _, a := range allowed {
				ok = ok || a == f.name
			}
			if !ok {
				what := "no other field"
				if len(allowed) > 0 {
					what = fmt.Sprint(allowed)
				}
				pr.Add(f.name, "", fmt.Sprintf("no %s with each %q (it reads %s; write a single window without each)", f.name, rw.Each, what))
			}
		}
	}
	switch rw.Each {
	case "":
		if _, err := w.Months(start, n); err != nil {
			return nil, err
		}
		return []costmodel.Window{w}, nil
	case costmodel.WindowHorizon, costmodel.WindowYear, costmodel.WindowQuarter, costmodel.WindowMonth:
		stray()
		if err := pr.Err(); err != nil {
			return nil, err
		}
		return costmodel.EachWindow(rw.Each, 0, start, n)
	case costmodel.WindowRolling:
		stray("span")
		if w.Span < 1 || w.Span > n {
			pr.Add("span", strconv.Itoa(w.Span), fmt.Sprintf("a rolling span of 1 to %d months (the horizon's length)", n))
		}
		if err := pr.Err(); err != nil {
			return nil, err
		}
		return costmodel.EachWindow(costmodel.WindowRolling, w.Span, start, n)
	case costmodel.WindowCalendar:
		stray("name", "calendar")
		one := costmodel.Window{Kind: costmodel.WindowCalendar, Name: w.Name, Calendar: w.Calendar}
		if _, err := one.Months(start, n); err != nil {
			pr.Merge("", err)
		}
		if err := pr.Err(); err != nil {
			return nil, err
		}
		var out []costmodel.Window
		for y := start.Year; y <= start.Add(n-1).Year; y++ {
			one.Year = y
			if _, err := one.Months(start, n); err == nil {
				out = append(out, one)
			}
		}
		return out, nil
	}
	pr.Add("each", quote(string(rw.Each)), "horizon, year, quarter, month, rolling or calendar")
	return nil, pr.Err()
}
