package montecarlo

import (
	"fmt"
	"runtime/debug"

	"github.com/marginalhq/marginal/costmodel"
)

// errNil reports a nil or empty argument: path names the argument as the
// caller knows it ("portfolio", "spec"), expected what it must be. It
// wraps costmodel.ErrInvalid like every validation error.
func errNil(path, expected string) error {
	return &costmodel.FieldError{Path: path, Expected: expected}
}

// PanicError is the error of a run whose worker goroutine panicked: a
// bug in Marginal, never the caller's input, turned into an error so that
// it cannot crash the caller's process. Stack is the goroutine's stack at
// the panic, for a bug report.
type PanicError struct {
	Value any
	Stack []byte
}

// Error says that the simulation failed inside Marginal.
func (e *PanicError) Error() string {
	if e == nil {
		return "montecarlo: internal error"
	}
	return fmt.Sprintf("montecarlo: internal error (please report it with the inputs that caused it): %v", e.Value)
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

// recovered turns a recovered panic value into a *PanicError.
func recovered(v any) error {
	return &PanicError{Value: v, Stack: debug.Stack()}
}
