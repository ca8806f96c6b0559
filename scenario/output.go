package scenario

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Scope says where in the statement an output is read.
type Scope string

// The scopes of a statement.
const (
	Portfolio   Scope = "portfolio"
	Partnership Scope = "partnership"
	Channel     Scope = "channel"
	Category    Scope = "category" // a category ID rolled up over partnerships
)

// Metric is a figure read from a statement.
type Metric string

// The metrics of a statement. Amounts are totals over the horizon; ratios
// are over net sales; NPV is of the net cash flow; payback is a 1-based
// month.
const (
	GMV               Metric = "gmv"
	NetSales          Metric = "net_sales"
	CM1               Metric = "cm1"
	CM2               Metric = "cm2"
	CM3               Metric = "cm3"
	Contribution      Metric = "contribution"
	NetCashFlow       Metric = "net_cash_flow"
	CM1Ratio          Metric = "cm1_ratio"
	CM2Ratio          Metric = "cm2_ratio"
	CM3Ratio          Metric = "cm3_ratio"
	ContributionRatio Metric = "contribution_ratio"
	NPV               Metric = "npv"
	PaybackMonth      Metric = "payback_month"
)

// Metrics lists every metric, in the order comparisons show them.
var Metrics = []Metric{GMV, NetSales, CM1, CM2, CM3, Contribution, NetCashFlow,
	CM1Ratio, CM2Ratio, CM3Ratio, ContributionRatio, NPV, PaybackMonth}

var metricLines = map[Metric]costmodel.Line{
	GMV: costmodel.LineGMV, NetSales: costmodel.LineNetSales, CM1: costmodel.LineCM1,
	CM2: costmodel.LineCM2, CM3: costmodel.LineCM3, Contribution: costmodel.LineContribution,
	NetCashFlow: costmodel.LineNetCashFlow,
}

// IsRatio reports whether the metric is a ratio.
func (m Metric) IsRatio() bool {
	switch m {
	case CM1Ratio, CM2Ratio, CM3Ratio, ContributionRatio:
		return true
	}
	return false
}

func (m Metric) valid() bool {
	for _, x := range Metrics {
		if x == m {
			return true
		}
	}
	return false
}

// Value is a metric's value, which may be undefined: a ratio over zero net
// sales, a payback never reached.
type Value struct {
	Amount decimal.Decimal
	Valid  bool
}

// String formats the amount, or "n/a" when the value is undefined.
func (v Value) String() string {
	if !v.Valid {
		return "n/a"
	}
	return v.Amount.String()
}

// Output names one figure of a statement: a metric of the portfolio, of a
// partnership (Key = its ID), of a channel or of a category ID.
type Output struct {
	Scope  Scope  `json:"scope"`
	Key    string `json:"key,omitempty"`
	Metric Metric `json:"metric"`
}

// String names the output in words: "partnership ebay npv".
func (o Output) String() string {
	if o.Scope == Portfolio || o.Scope == "" {
		return "portfolio " + string(o.Metric)
	}
	return fmt.Sprintf("%s %s %s", o.Scope, o.Key, o.Metric)
}

// block finds the block an output reads and the number of active months
// of its measures (for partnerships, their own measures are used).
func (o Output) find(st *costmodel.Statement) (*costmodel.Block, *costmodel.Measures, error) {
	switch o.Scope {
	case Portfolio, "":
		return &st.Portfolio, &st.Measures, nil
	case Partnership:
		if ps, ok := st.Partnership(o.Key); ok {
			return &ps.Total, &ps.Measures, nil
		}
	case Channel:
		for i := range st.ByChannel {
			if st.ByChannel[i].Key == o.Key {
				return &st.ByChannel[i].Block, nil, nil
			}
		}
	case Category:
		for i := range st.ByCategory {
			if st.ByCategory[i].Key == o.Key {
				return &st.ByCategory[i].Block, nil, nil
			}
		}
	default:
		return nil, nil, &costmodel.FieldError{Path: "scope", Value: quote(o.Scope), Expected: "portfolio, partnership, channel or category"}
	}
	return nil, nil, &costmodel.FieldError{Path: "key", Value: quote(o.Key), Expected: fmt.Sprintf("the key of a %s in the portfolio", o.Scope)}
}

// Check reports an output that the statement does not have.
func (o Output) Check(st *costmodel.Statement) error {
	if st == nil {
		return errNoStatement()
	}
	if !o.Metric.valid() {
		return &costmodel.FieldError{Path: "metric", Value: quote(o.Metric), Expected: "one of gmv, net_sales, cm1, cm2, cm3, contribution, net_cash_flow, cm1_ratio, cm2_ratio, cm3_ratio, contribution_ratio, npv, payback_month"}
	}
	_, _, err := o.find(st)
	return err
}

// Of reads the output from a statement.
func (o Output) Of(st *costmodel.Statement) (Value, error) {
	if err := o.Check(st); err != nil {
		return Value{}, err
	}
	b, m, _ := o.find(st)
	if l, ok := metricLines[o.Metric]; ok {
		return Value{Amount: b.Total[l], Valid: true}, nil
	}
	if m == nil {
		mm := st.Measure(b)
		m = &mm
	}
	r := func(x costmodel.Ratio) Value { return Value{Amount: x.Value, Valid: x.Valid} }
	switch o.Metric {
	case CM1Ratio:
		return r(m.CM1Ratio), nil
	case CM2Ratio:
		return r(m.CM2Ratio), nil
	case CM3Ratio:
		return r(m.CM3Ratio), nil
	case ContributionRatio:
		return r(m.ContributionRatio), nil
	case NPV:
		return Value{Amount: m.NPV, Valid: true}, nil
	default: // PaybackMonth
		return Value{Amount: decimal.NewFromInt(int64(m.Payback.Month)), Valid: m.Payback.Reached}, nil
	}
}

// evalAll evaluates portfolios on all cores, in input order, and reports
// every failure, each under its label (labels[i] names ps[i]).
func evalAll(ps []*costmodel.Portfolio, labels ...string) ([]*costmodel.Statement, error) {
	out := make([]*costmodel.Statement, len(ps))
	errs := make([]error, len(ps))
	workers := min(runtime.GOMAXPROCS(0), len(ps))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = safeEvaluate(ps[i])
			}
		})
	}
	for i := range ps {
		next <- i
	}
	close(next)
	wg.Wait()
	var pr costmodel.Problems
	for i, err := range errs {
		if pe := (*PanicError)(nil); errors.As(err, &pe) {
			return nil, pe // a bug, not a problem with the input: keep its stack
		}
		if err != nil {
			label := fmt.Sprintf("evaluation %d", i)
			if i < len(labels) {
				label = labels[i]
			}
			pr.Merge(label, err)
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
