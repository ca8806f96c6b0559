package costmodel

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is the sentinel every validation problem wraps, so callers can
// test for bad input with errors.Is(err, costmodel.ErrInvalid).
var ErrInvalid = errors.New("invalid input")

// FieldError is one problem with one input. Path names the input: a driver
// address ("amazon-us/toys/return_rate") when the input is a driver, or a
// JSON path ("partnerships[2].categories[0].price_mix") otherwise. Value is
// the offending value as text (empty when the problem is a missing value) and
// Expected says what would have been accepted.
type FieldError struct {
	Path     string
	Value    string
	Expected string
}

// Error implements error.
func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: expected %s", e.Path, e.Expected)
	}
	return fmt.Sprintf("%s: got %s, expected %s", e.Path, e.Value, e.Expected)
}

// Unwrap lets errors.Is(err, ErrInvalid) succeed.
func (e *FieldError) Unwrap() error { return ErrInvalid }

// ValidationError collects every problem found in one validation pass, in a
// stable order, so that a user can fix them all at once.
type ValidationError struct {
	Problems []*FieldError
}

// Error lists every problem, one per line.
func (e *ValidationError) Error() string {
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
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// Problems accumulates FieldErrors during validation. The zero value is
// ready to use. Other packages (scenario, montecarlo, report) use it too so
// that every validation error in Marginal has the same shape.
type Problems struct {
	list []*FieldError
}

// Add records a problem.
func (p *Problems) Add(path, value, expected string) {
	p.list = append(p.list, &FieldError{Path: path, Value: value, Expected: expected})
}

// Addf records a problem whose expectation is formatted.
func (p *Problems) Addf(path, value, format string, args ...any) {
	p.Add(path, value, fmt.Sprintf(format, args...))
}

// Len reports how many problems were recorded.
func (p *Problems) Len() int { return len(p.list) }

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
	case errors.As(err, &ve):
		for _, q := range ve.Problems {
			p.list = append(p.list, &FieldError{Path: join(q.Path), Value: q.Value, Expected: q.Expected})
		}
	case errors.As(err, &fe):
		p.list = append(p.list, &FieldError{Path: join(fe.Path), Value: fe.Value, Expected: fe.Expected})
	default:
		p.list = append(p.list, &FieldError{Path: prefix, Expected: err.Error()})
	}
}

// Err returns nil when no problem was recorded, or a *ValidationError
// holding every problem.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: append([]*FieldError(nil), p.list...)}
}
