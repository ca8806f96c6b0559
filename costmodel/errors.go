package costmodel

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalid is the sentinel every validation problem wraps, so callers can
// test for bad input with errors.Is(err, costmodel.ErrInvalid).
var ErrInvalid = errors.New("invalid input")

// FieldError is one problem with one input. Path names the input: a driver
// address ("amazon-us/toys/return_rate") when the input is a driver, or a
// JSON path ("partnerships[2].categories[0].price_mix") otherwise. Value is
// the offending value as text, as the user wrote it where it came from a
// file (empty when the problem is a missing value), and Expected says what
// would have been accepted. Err, when not nil, is the underlying cause (a
// *json.SyntaxError, a parse error), which errors.As reaches through the
// FieldError.
type FieldError struct {
	Path     string
	Value    string
	Expected string
	Err      error
}

// Error implements error. A value or a path too long to read in a message
// (a 300-digit number, a pasted paragraph used as a key) is shortened to
// its head and tail with its length; Value and Path keep the whole text.
func (e *FieldError) Error() string {
	if e == nil {
		return "<nil *costmodel.FieldError>"
	}
	path := shorten(e.Path, maxPathInMessage)
	if e.Value == "" {
		return fmt.Sprintf("%s: expected %s", path, e.Expected)
	}
	return fmt.Sprintf("%s: got %s, expected %s", path, shorten(e.Value, maxValueInMessage), e.Expected)
}

// Unwrap lets errors.Is(err, ErrInvalid) succeed and errors.As reach the
// cause in Err.
func (e *FieldError) Unwrap() []error {
	if e == nil {
		return nil
	}
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.Err}
}

// Message lengths, in characters, beyond which a value or a path is
// shortened: 40 characters hold any sensible number or name.
const (
	maxValueInMessage = 40
	maxPathInMessage  = 200
)

// shorten returns s when it has at most max characters, or its head and
// tail around "…" with its length: "12345678901234567890…1234567890 (300
// characters)".
//
// A quoted value ("\"xxx…\"", as the packages quote user text) is shortened
// inside its quotes and counted without them, so the length is the
// user's.
func shorten(s string, max int) string {
	if len(s) > 2 && s[0] == '"' && s[len(s)-1] == '"' {
		if inner, err := strconv.Unquote(s); err == nil && utf8.RuneCountInString(inner) > max {
			r := []rune(inner)
			n := len(r)
			head, tail := max/2, max/4
			return fmt.Sprintf("%q…%q (%d characters)", string(r[:head]), string(r[n-tail:]), n)
		}
	}
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s
	}
	r := []rune(s)
	head, tail := max/2, max/4
	return fmt.Sprintf("%s…%s (%d characters)", string(r[:head]), string(r[n-tail:]), n)
}

// ValidationError collects every problem found in one validation pass, in a
// stable order, so that a user can fix them all at once.
type ValidationError struct {
	Problems []*FieldError
}

// Error lists every problem, one per line.
func (e *ValidationError) Error() string {
	if e == nil {
		return "<nil *costmodel.ValidationError>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteByte('s')
	}
	b.WriteString(":")
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the individual problems so that errors.As finds a
// *FieldError and errors.Is finds ErrInvalid.
func (e *ValidationError) Unwrap() []error {
	if e == nil {
		return nil
	}
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// errNilPortfolio is returned for a nil *Portfolio.
var errNilPortfolio = &FieldError{Path: "(portfolio)", Expected: "a portfolio, not nil"}

// Problems accumulates FieldErrors during validation. The zero value is
// ready to use. Other packages (scenario, montecarlo, report) use it too so
// that every validation error in Marginal has the same shape.
type Problems struct {
	list []*FieldError
}

// Add records a problem. A nil *Problems cannot record anything; its Err
// says so rather than report success.
func (p *Problems) Add(path, value, expected string) {
	p.add(&FieldError{Path: path, Value: value, Expected: expected})
}

func (p *Problems) add(e *FieldError) {
	if p == nil {
		return
	}
	p.list = append(p.list, e)
}

// Addf records a problem whose expectation is formatted.
func (p *Problems) Addf(path, value, format string, args ...any) {
	p.Add(path, value, fmt.Sprintf(format, args...))
}

// Len reports how many problems were recorded.
func (p *Problems) Len() int {
	if p == nil {
		return 0
	}
	return len(p.list)
}

// Merge appends the problems of err when err is a *ValidationError or a
// *FieldError, prefixing each path with prefix (when prefix is not empty);
// any other non-nil error is recorded as a problem at prefix.
func (p *Problems) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	join := func(path string) string {
		switch {
		case prefix == "":
			return path
		case path == "":
			return prefix
		case strings.HasPrefix(path, "["):
			return prefix + path
		default:
			return prefix + "." + path
		}
	}
	var ve *ValidationError
	var fe *FieldError
	switch {
	case errors.As(err, &ve) && ve != nil:
		for _, q := range ve.Problems {
			if q != nil {
				p.add(&FieldError{Path: join(q.Path), Value: q.Value, Expected: q.Expected, Err: q.Err})
			}
		}
	case errors.As(err, &fe) && fe != nil:
		p.add(&FieldError{Path: join(fe.Path), Value: fe.Value, Expected: fe.Expected, Err: fe.Err})
	default:
		p.add(&FieldError{Path: prefix, Expected: err.Error(), Err: err})
	}
}

// Err returns nil when no problem was recorded, or a *ValidationError
// holding every problem.
func (p *Problems) Err() error {
	if p == nil {
		return &FieldError{Path: "(validation)", Expected: "a *costmodel.Problems that is not nil to collect problems in (its zero value is ready to use)"}
	}
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: append([]*FieldError(nil), p.list...)}
}
