package actuals

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Method says how a re-forecast carries the plan's remaining months.
type Method string

const (
	// PlanUnchanged keeps the plan's volumes after the cut-off.
	PlanUnchanged Method = "plan"
	// RunRate scales each category's planned orders after the cut-off by
	// its trailing run-rate against plan: the actual orders of the last
	// Months actual months over the planned orders of the same months (1
	// when those planned orders are 0).
	RunRate Method = "run_rate"
)

// Reforecast is where the horizon lands: the actual months as they
// happened, the rest re-planned.
type Reforecast struct {
	Method Method
	// Months is the trailing span of the run-rate (RunRate only).
	Months int
	// Factors are the run-rate factors by "partnership/category" (1 for
	// PlanUnchanged), rounded to 6 places.
	Factors map[string]decimal.Decimal
	// Statement is the re-forecast statement.
	Statement *costmodel.Statement
}

// Reforecast re-forecasts the horizon: the actual months fixed, the
// months after the cut-off the plan's with every driver as planned and
// each category's orders as the method says. span is the run-rate's
// trailing months (1 to the number of actual months; ignored for
// PlanUnchanged). With PlanUnchanged the re-forecast is the actual
// statement.
func (m *Model) Reforecast(method Method, span int) (*Reforecast, error) {
	if m == nil || len(m.stages) == 0 {
		return nil, &costmodel.FieldError{Path: "(model)", Expected: "a Model built by NewModel, not nil"}
	}
	rf := &Reforecast{Method: method, Factors: map[string]decimal.Decimal{}}
	switch method {
	case PlanUnchanged:
		for _, r := range m.rows {
			rf.Factors[r.partnership+"/"+r.category] = decimal.NewFromInt(1)
		}
		rf.Statement = m.Actual()
		return rf, nil
	case RunRate:
	default:
		return nil, &costmodel.FieldError{Path: "method", Value: fmt.Sprintf("%q", string(method)), Expected: `"plan" (plan unchanged) or "run_rate" (trailing run-rate against plan)`}
	}
	if span < 1 || span > m.cut+1 {
		return nil, &costmodel.FieldError{Path: "span", Value: fmt.Sprint(span), Expected: fmt.Sprintf("a trailing span of 1 to %d months (the actual months)", m.cut+1)}
	}
	rf.Months = span
	after := make([][]decimal.Decimal, len(m.rows))
	for r, ref := range m.rows {
		plan, act := decimal.Zero, decimal.Zero
		for t := max(m.cut-span+1, ref.launch); t <= m.cut; t++ {
			plan, act = plan.Add(m.orders[r][t]), act.Add(m.actual[r][t])
		}
		f := decimal.NewFromInt(1)
		if !plan.IsZero() {
			f = act.DivRound(plan, 6)
		}
		rf.Factors[ref.partnership+"/"+ref.category] = f
		after[r] = make([]decimal.Decimal, m.plan.Months)
		for t := m.cut + 1; t < m.plan.Months; t++ {
			after[r][t] = m.orders[r][t].Mul(f)
		}
	}
	st, err := m.evaluate(m.overrides(len(Effects), after))
	if err != nil {
		return nil, err
	}
	rf.Statement = st
	return rf, nil
}
