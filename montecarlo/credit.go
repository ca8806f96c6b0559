package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
)

// CreditOutput is the output [Result.PCredit] reads: a partnership's
// service credits and response-time penalties (the statement's
// outage_credit line, positive when earned, negative when paid) over the
// horizon. Record it (Options.Outputs) for each partnership with outage
// terms whose P(credit) is wanted.
func CreditOutput(partnership string) costmodel.Output {
	return costmodel.Output{Scope: costmodel.ScopePartnership, Key: partnership, Metric: costmodel.MetricOutageCredit}
}

// PCredit is the probability that a service credit (or penalty) changes
// hands within the horizon for the partnership: the share of trials whose
// CreditOutput is not 0, with its standard error √(p(1 − p)/N). A
// partnership's credits all have its terms' sign (earned or paid), so the
// horizon's sum is 0 only when every month's is. ok is false when the
// run did not record CreditOutput(partnership). With incidents
// Poisson(λ) a month and a credit in every month with an incident (a
// 100 % commitment), P(credit) over n months is 1 − e^(−nλ).
func (r *Result) PCredit(partnership string) (p, se float64, ok bool) {
	o, ok := r.Output(CreditOutput(partnership))
	if !ok || len(o.Samples) == 0 {
		return 0, 0, false
	}
	paid := 0
	for _, v := range o.Samples {
		if v != 0 {
			paid++
		}
	}
	n := float64(len(o.Samples))
	p = float64(paid) / n
	return p, math.Sqrt(p * (1 - p) / n), true
}
