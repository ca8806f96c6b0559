package costmodel

import "github.com/shopspring/decimal"

// PeakFunding is the funding a cash-flow series needs at its worst: the
// most negative cumulative cash flow from the first month, as a positive
// amount,
//
//	peak funding = max(0, −min over t of Σ_{s ≤ t} flow(s))
//
// 0 when the cumulative cash flow never falls below 0. Flows are summed
// exactly (each is a statement line, already rounded to the minor unit).
func PeakFunding(flows []decimal.Decimal) decimal.Decimal {
	cum, low := decimal.Zero, decimal.Zero
	for _, f := range flows {
		cum = cum.Add(f)
		if cum.LessThan(low) {
			low = cum
		}
	}
	return low.Neg()
}
