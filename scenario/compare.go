package scenario

import "github.com/marginalhq/marginal/costmodel"

// Row is one metric of one place under one scenario, against the base.
// Delta = Value − Base; DeltaPct = Delta / |Base| (invalid when Base is
// zero or either value is undefined). For ratios the delta is in ratio
// points (0.012 = 1.2 percentage points); for payback, in months.
type Row struct {
	Scenario string
	Scope    Scope
	Key      string
	Metric   Metric
	Base     Value
	Value    Value
	Delta    Value
	DeltaPct Value
}

// Comparison holds the base statement, each scenario's statement and the
// comparison rows: for every scenario, the portfolio, then each
// partnership, channel and category, each with every metric of Metrics.
type Comparison struct {
	Base       *costmodel.Statement
	Scenarios  []Scenario
	Statements []*costmodel.Statement
	Rows       []Row
}

// Compare evaluates the base portfolio and each scenario applied to it,
// and compares every metric at every place.
func Compare(base *costmodel.Portfolio, scenarios ...Scenario) (*Comparison, error) {
	if base == nil {
		return nil, errNoPortfolio()
	}
	var pr costmodel.Problems
	ports := []*costmodel.Portfolio{base}
	for _, s := range scenarios {
		q, err := s.Apply(base)
		if err != nil {
			pr.Merge("", err)
			continue
		}
		ports = append(ports, q)
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	labels := []string{"base"}
	for _, s := range scenarios {
		labels = append(labels, s.Name)
	}
	sts, err := evalAll(ports, labels...)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Base: sts[0], Scenarios: scenarios, Statements: sts[1:]}
	places := Places(sts[0])
	for i, s := range scenarios {
		for _, pl := range places {
			for _, m := range Metrics {
				o := Output{Scope: pl.Scope, Key: pl.Key, Metric: m}
				b, _ := o.Of(sts[0])
				v, _ := o.Of(sts[i+1])
				c.Rows = append(c.Rows, newRow(s.Name, o, b, v))
			}
		}
	}
	return c, nil
}

func newRow(scenario string, o Output, b, v Value) Row {
	r := Row{Scenario: scenario, Scope: o.Scope, Key: o.Key, Metric: o.Metric, Base: b, Value: v}
	if b.Valid && v.Valid {
		r.Delta = Value{Amount: v.Amount.Sub(b.Amount), Valid: true}
		if !b.Amount.IsZero() {
			r.DeltaPct = Value{Amount: r.Delta.Amount.DivRound(b.Amount.Abs(), 6), Valid: true}
		}
	}
	return r
}

// Place is a scope and key of a statement.
type Place struct {
	Scope Scope
	Key   string
}

// Places lists every place of a statement: the portfolio, the
// partnerships, the channels, the categories.
func Places(st *costmodel.Statement) []Place {
	if st == nil {
		return nil
	}
	out := []Place{{Scope: Portfolio}}
	for _, ps := range st.Partnerships {
		out = append(out, Place{Partnership, ps.ID})
	}
	for _, r := range st.ByChannel {
		out = append(out, Place{Channel, r.Key})
	}
	for _, r := range st.ByCategory {
		out = append(out, Place{Category, r.Key})
	}
	return out
}

// Find returns the comparison row for a scenario and output.
func (c *Comparison) Find(scenario string, o Output) (Row, bool) {
	if c == nil {
		return Row{}, false
	}
	if o.Scope == "" {
		o.Scope = Portfolio
	}
	for _, r := range c.Rows {
		if r.Scenario == scenario && r.Scope == o.Scope && r.Key == o.Key && r.Metric == o.Metric {
			return r, true
		}
	}
	return Row{}, false
}
