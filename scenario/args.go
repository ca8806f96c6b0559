package scenario

import (
	"fmt"
	"runtime/debug"

	"github.com/marginalhq/marginal/costmodel"
)

// errNil reports a nil argument: path names it as the caller knows it
// ("portfolio", "statement"), expected what it must be. It wraps
// costmodel.ErrInvalid like every validation error.
func errNil(path, expected string) error {
	return &costmodel.FieldError{Path: path, Expected: expected}
}

// errNoPortfolio is the error of a nil portfolio argument.
func errNoPortfolio() error { return errNil("portfolio", "a portfolio (got nil)") }

// errNoStatement is the error of a nil statement argument.
func errNoStatement() error {
	return errNil("statement", "a statement from costmodel.Evaluate (got nil)")
}

// PanicError is the error of an evaluation that panicked inside a worker
// goroutine: a bug in Marginal, never the caller's input, turned into an
// error so that it cannot crash the caller's process. Stack is the
// goroutine's stack at the panic, for a bug report.
type PanicError struct {
	Value any
	Stack []byte
}

// Error says that the evaluation failed inside Marginal.
func (e *PanicError) Error() string {
	if e == nil {
		return "scenario: internal error"
	}
	return fmt.Sprintf("scenario: internal error (please report it with the inputs that caused it): %v", e.Value)
}

// Unwrap returns the panic's value when it is an error (a runtime.Error,
// an error passed to panic), so that errors.Is and errors.As reach it;
// nil otherwise.
func (e *PanicError) Unwrap() error {
	if e == nil {
		return nil
	}
	err, _ := e.Value.(error)
	return err
}

// evaluate is costmodel.Evaluate; a test replaces it to check that a
// panic in a worker goroutine becomes an error.
var evaluate = costmodel.Evaluate

// safeEvaluate evaluates p, turning a nil portfolio into an error and a
// panic into a *PanicError.
func safeEvaluate(p *costmodel.Portfolio) (st *costmodel.Statement, err error) {
	if p == nil {
		return nil, errNoPortfolio()
	}
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return evaluate(p)
}
