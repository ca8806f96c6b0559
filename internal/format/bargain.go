package format

import (
	"github.com/marginalhq/marginal/scenario"
)

// Rate is a revenue-share rate in percent with two decimals ("4.25%"),
// or "n/a" when it is not defined.
func Rate(v scenario.Value) string {
	if !v.Valid {
		return "n/a"
	}
	return v.Amount.Shift(2).StringFixed(2) + "%"
}

// BargainingRange says in words whether a rate exists that both sides
// accept (scenario.FairShare.HasRange): "a bargaining range exists:
// 3.10%–7.45% (from the partner's floor to our break-even)", or why none
// does.
func BargainingRange(fs *scenario.FairShare) string {
	floor, be := fs.PartnerFloor, fs.OurBreakEven
	switch {
	case fs.HasRange:
		return "a bargaining range exists: " + Rate(floor) + "–" + Rate(be) + " (from the partner's floor to our break-even)"
	case !be.Valid && !floor.Valid:
		return "no rate is acceptable to both sides: we lose against our no-deal outcome at every rate, and so does the partner"
	case !be.Valid:
		return "no rate is acceptable to both sides: we lose against our no-deal outcome at every rate from 0% up"
	case !floor.Valid:
		return "no rate is acceptable to both sides: the partner loses against its no-deal outcome at every rate up to 100%"
	}
	return "no rate is acceptable to both sides: the partner's floor " + Rate(floor) + " is above our break-even " + Rate(be)
}
