package actuals

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/apicheck"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

func wantErr(err error) error {
	if err == nil {
		return fmt.Errorf("no error")
	}
	return nil
}

// nilCalls calls every export with nil and zero arguments: each must
// return an error or its documented empty result, never panic.
var nilCalls = map[string]func() error{
	"Measures":            func() error { return nil },
	"Measure.PerCategory": func() error { return nil },
	"Measure.Valid": func() error {
		if Measure("").Valid() {
			return fmt.Errorf("the empty measure is valid")
		}
		return nil
	},
	"ReadCSV":  func() error { _, err := ReadCSV(nil, nil, costmodel.Month{}); return wantErr(err) },
	"ReadJSON": func() error { _, err := ReadJSON(nil, nil); return wantErr(err) },
	"Check":    func() error { return wantErr(Check(nil, nil)) },
	"Actuals.WriteCSV": func() error {
		var a *Actuals
		return wantErr(a.WriteCSV(nil))
	},
	"Effect.Label":       func() error { _ = Effect("").Label(); return nil },
	"NewModel":           func() error { _, err := NewModel(nil, nil); return wantErr(err) },
	"Model.Plan":         func() error { var m *Model; return isNil(m.Plan() == nil) },
	"Model.Actual":       func() error { var m *Model; return isNil(m.Actual() == nil) },
	"Model.CutOff":       func() error { var m *Model; return isNil(m.CutOff().IsZero()) },
	"Model.ActualMonths": func() error { var m *Model; return isNil(m.ActualMonths() == 0) },
	"Model.Figure": func() error {
		var m *Model
		_, ok := m.Figure(costmodel.Month{}, "", "", "")
		return isNil(!ok)
	},
	"Model.Bridge":     func() error { var m *Model; _, err := m.Bridge(costmodel.Output{}); return wantErr(err) },
	"Model.Stage":      func() error { var m *Model; _, err := m.Stage(0); return wantErr(err) },
	"Model.Records":    func() error { var m *Model; return isNil(m.Records() == nil) },
	"Model.Allowances": func() error { var m *Model; return isNil(m.Allowances(0) == nil) },
	"Model.Lines":      func() error { var m *Model; return isNil(m.Lines() == nil) },
	"Model.Compare":    func() error { var m *Model; _, _, err := m.Compare(costmodel.Output{}); return wantErr(err) },
	"Model.Billing":    func() error { var m *Model; return isNil(m.Billing() == nil) },
	"Model.Reforecast": func() error {
		var m *Model
		_, err := m.Reforecast("", 0)
		return wantErr(err)
	},
	"Model.Portfolio": func() error { var m *Model; _, err := m.Portfolio("", 0); return wantErr(err) },
	"Model.Simulate": func() error {
		var m *Model
		_, err := m.Simulate(context.Background(), nil, montecarlo.Options{}, "", 0, nil)
		return wantErr(err)
	},
	"Model.Health":            func() error { var m *Model; _, err := m.Health(nil); return wantErr(err) },
	"Bridge.Total":            func() error { var b *Bridge; return isNil(b.Total().IsZero()) },
	"Variance.Difference":     func() error { return isNil(Variance{}.Difference().IsZero()) },
	"Variance.Percent":        func() error { return isNil(!Variance{}.Percent().Valid) },
	"LineVariance.Difference": func() error { return isNil(LineVariance{}.Difference().IsZero()) },
	"LineVariance.Percent":    func() error { return isNil(!LineVariance{}.Percent().Valid) },
	"Billing.Difference":      func() error { return isNil(Billing{}.Difference().IsZero()) },
	"ReadAgreements":          func() error { _, err := ReadAgreements(nil, nil); return wantErr(err) },
	"Agreements.Check": func() error {
		var ag *Agreements
		return wantErr(ag.Check(nil))
	},
	"Classify": func() error {
		return isNil(Classify(decimal.Zero, decimal.Zero, decimal.Zero, "") == NoData)
	},
}

func isNil(ok bool) error {
	if !ok {
		return fmt.Errorf("not the documented empty result")
	}
	return nil
}

func TestNilArguments(t *testing.T) {
	t.Parallel()
	names, err := apicheck.Exported(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if _, ok := nilCalls[n]; !ok {
			t.Errorf("%s has no nil-argument case", n)
		}
	}
	for n, f := range nilCalls {
		if !slices.Contains(names, n) {
			t.Errorf("nil case %s names no export", n)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panicked: %v", n, r)
				}
			}()
			if err := f(); err != nil {
				t.Errorf("%s: %v", n, err)
			}
		}()
	}
}
