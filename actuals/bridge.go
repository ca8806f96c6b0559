package actuals

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Bridge is the variance of one amount (contribution, unless asked
// otherwise) from plan to actual, split into effects that sum to it
// exactly: Plan + Σ Effects = Actual, to the cent, for any scope and
// window (see the package doc for the substitution order).
type Bridge struct {
	Output  costmodel.Output
	Plan    decimal.Decimal
	Actual  decimal.Decimal
	Effects []EffectAmount
}

// EffectAmount is one effect's share of the variance.
type EffectAmount struct {
	Effect Effect
	Amount decimal.Decimal
}

// Total is Actual − Plan, the variance the effects explain.
func (b *Bridge) Total() decimal.Decimal {
	if b == nil {
		return decimal.Zero
	}
	return b.Actual.Sub(b.Plan)
}

// Bridge splits the variance of an amount output (a line metric such as
// contribution, cm3 or gmv: not a ratio, NPV or payback) of any scope and
// window into the effects, in their substitution order. Each effect is
// the output of the statement with that effect's drivers switched to
// actual (and every earlier effect's) less the output with only the
// earlier ones switched, so the effects telescope to Actual − Plan.
func (m *Model) Bridge(o costmodel.Output) (*Bridge, error) {
	if m == nil || len(m.stages) == 0 {
		return nil, &costmodel.FieldError{Path: "(model)", Expected: "a Model built by NewModel, not nil"}
	}
	if o.Metric == "" {
		o.Metric = costmodel.MetricContribution
	}
	if _, ok := o.Metric.Line(); !ok || o.Metric.IsRatio() {
		return nil, &costmodel.FieldError{Path: "metric", Value: string(o.Metric), Expected: "an amount metric (gmv, net_sales, cm1, cm2, cm3, contribution, net_cash_flow): ratios, NPV and payback do not add up over effects"}
	}
	vals := make([]decimal.Decimal, len(m.stages))
	for k, st := range m.stages {
		v, err := o.Of(st)
		if err != nil {
			return nil, err
		}
		vals[k] = v.Amount
	}
	b := &Bridge{Output: o, Plan: vals[0], Actual: vals[len(vals)-1]}
	for k, e := range Effects {
		b.Effects = append(b.Effects, EffectAmount{Effect: e, Amount: vals[k+1].Sub(vals[k])})
	}
	return b, nil
}

// Stage returns the statement with the first k effects switched to
// actual: Stage(0) is the plan, Stage(len(Effects)) the actual statement.
func (m *Model) Stage(k int) (*costmodel.Statement, error) {
	if m == nil || k < 0 || k >= len(m.stages) {
		return nil, &costmodel.FieldError{Path: "stage", Value: fmt.Sprint(k), Expected: fmt.Sprintf("a stage from 0 (plan) to %d (actual) of a Model built by NewModel", len(Effects))}
	}
	return m.stages[k], nil
}
