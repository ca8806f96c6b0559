package deal

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
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
	"Load": func() error {
		_, err := Load(nil, nil)
		_, err2 := Load(strings.NewReader("{}"), nil)
		return errors.Join(wantErr(err), wantErr(err2))
	},
	"LoadFile": func() error {
		_, err := LoadFile("", nil)
		return wantErr(err)
	},
	"Evaluate": func() error {
		_, err := Evaluate(nil, nil)
		_, err2 := Evaluate(&Terms{}, nil)
		return errors.Join(wantErr(err), wantErr(err2))
	},
	"Outputs": func() error {
		_, err := Outputs(nil, nil)
		return wantErr(err)
	},
	"EvaluateTrials": func() error {
		_, err := EvaluateTrials(nil, nil, nil, 0)
		return wantErr(err)
	},
	"Terms.Validate": func() error {
		return errors.Join(wantErr((*Terms)(nil).Validate(nil)), wantErr((&Terms{}).Validate(&costmodel.Statement{})))
	},
	"Milestone.Met": func() error {
		if (*Milestone)(nil).Met(decimal.Decimal{}) {
			return errors.New("a nil milestone is met")
		}
		return nil
	},
	"Exit.FailureProbabilities": func() error {
		p := (*Exit)(nil).FailureProbabilities(costmodel.Month{}, 0)
		if len(p) != 1 || !p[0].Equal(decimal.NewFromInt(1)) {
			return fmt.Errorf("nil exit: %v, want [1]", p)
		}
		if (*Exit)(nil).FailureProbabilities(costmodel.Month{}, -1) != nil {
			return errors.New("negative months gave probabilities")
		}
		return nil
	},
	"PayoutCycle.Schedule": func() error {
		if s := (*PayoutCycle)(nil).Schedule(costmodel.Month{}, nil, 2); s != nil {
			return fmt.Errorf("nil cycle: %v", s)
		}
		if s := (&PayoutCycle{}).Schedule(costmodel.Month{}, nil, 2); len(s) != 0 {
			return fmt.Errorf("zero cycle: %v", s)
		}
		return nil
	},
	"PayoutCycle.Unpaid": func() error {
		if v := (*PayoutCycle)(nil).Unpaid(costmodel.Month{}, nil, time.Time{}, 2); !v.IsZero() {
			return fmt.Errorf("nil cycle: %s", v)
		}
		return nil
	},
	"Date.MarshalJSON": func() error {
		_, err := Date{}.MarshalJSON()
		return err
	},
	"Date.UnmarshalJSON": func() error {
		return errors.Join(wantErr((*Date)(nil).UnmarshalJSON([]byte(`"2026-01-01"`))), wantErr((&Date{}).UnmarshalJSON(nil)))
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
