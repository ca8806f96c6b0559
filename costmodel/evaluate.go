package costmodel

import "github.com/shopspring/decimal"

var (
	thousand = decimal.NewFromInt(1000)
	million  = decimal.NewFromInt(1_000_000)
)

// Evaluate validates p and computes its exact monthly statement: p's
// Model (its expression graph) evaluated in decimal at p's driver values.
//
// Conventions (the README's table repeats them):
//   - every base line of every partnership × category × month is computed
//     exactly and rounded once to the currency's minor unit, half away from
//     zero (Excel's ROUND); subtotals and roll-ups are sums of rounded lines;
//   - volumes are expected values and are never rounded;
//   - nothing happens in a partnership before its launch month except
//     set-up spending; running costs start at launch;
//   - a month-limited adjustment changes its drivers' values in its months
//     only (see Model);
//   - NPV follows Excel: the first month's flow is discounted once.
//
// Evaluate does not modify p. To evaluate one portfolio at many driver
// values, build its Model once and call Model.Evaluate.
func Evaluate(p *Portfolio) (*Statement, error) {
	m, err := NewModel(p)
	if err != nil {
		return nil, err
	}
	return m.Evaluate(nil, nil)
}

// Measure computes the measures of any block of this statement (a
// channel or category roll-up, say) at the statement's discount rate,
// counting every month of the horizon as active for break-even.
func (s *Statement) Measure(b *Block) Measures {
	return measure(b, s.MonthlyRate, s.Months, s.Currency.MinorUnit)
}
