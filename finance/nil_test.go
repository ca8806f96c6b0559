package finance

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/internal/apicheck"
	"github.com/shopspring/decimal"
)

func wantErr(err error) error {
	if err == nil {
		return errors.New("no error")
	}
	return nil
}

// nilCalls calls every export with nil and zero arguments; each returns
// nil when the call behaved (an error or the documented empty result).
var nilCalls = map[string]func() error{
	"XNPV": func() error {
		_, err := XNPV(decimal.Decimal{}, nil)
		return wantErr(err)
	},
	"XIRR": func() error {
		_, err := XIRR(nil, 0)
		return wantErr(err)
	},
	"XIRRAll": func() error {
		_, err := XIRRAll([]DatedFlow{})
		return wantErr(err)
	},
	"NPV": func() error {
		v, err := NPV(decimal.Decimal{}, nil, AtZero)
		if err != nil || !v.IsZero() {
			return fmt.Errorf("NPV of nothing = %v, %v", v, err)
		}
		v, err = NPV(decimal.Decimal{}, nil, EndOfFirstPeriod)
		if err != nil || !v.IsZero() {
			return fmt.Errorf("NPV of nothing = %v, %v", v, err)
		}
		return nil
	},
	"IRR": func() error {
		_, err := IRR(nil)
		return wantErr(err)
	},
	"MIRR": func() error {
		_, err := MIRR(nil, decimal.Decimal{}, decimal.Decimal{})
		return wantErr(err)
	},
	"PaybackMonth": func() error {
		p, err := PaybackMonth(nil, 0)
		if err != nil || p.Reached {
			return fmt.Errorf("payback of nothing = %+v, %v", p, err)
		}
		return nil
	},
	"IRRResult.Nearest": func() error {
		if _, ok := (*IRRResult)(nil).Nearest(0); ok {
			return errors.New("nil result has a root")
		}
		return nil
	},
	"Timing.String": func() error {
		if Timing(0).String() == "" {
			return errors.New("empty name")
		}
		return nil
	},
	"RateError.Error": func() error {
		if (*RateError)(nil).Error() == "" {
			return errors.New("empty message")
		}
		return nil
	},
	"DateError.Error": func() error {
		if (*DateError)(nil).Error() == "" {
			return errors.New("empty message")
		}
		return nil
	},
}

func TestNilCalls(t *testing.T) {
	t.Parallel()
	for name, call := range nilCalls {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panicked: %v", name, r)
				}
			}()
			if err := call(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
}

func TestNilCallsCoverEveryExport(t *testing.T) {
	t.Parallel()
	names, err := apicheck.Exported(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, ok := nilCalls[n]; !ok {
			t.Errorf("%s has no nil/zero-argument case in nilCalls", n)
		}
	}
	for n := range nilCalls {
		if !slices.Contains(names, n) {
			t.Errorf("nilCalls has %s, which the package does not declare", n)
		}
	}
}
