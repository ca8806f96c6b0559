package report

import (
	"strings"

	"github.com/marginalhq/marginal/costmodel"
)

// isFXUnit reports whether a driver's unit is an FX rate's ("CUR per
// EUR", costmodel.FXRate).
func isFXUnit(unit string) bool {
	code, ok := strings.CutPrefix(unit, "CUR per ")
	if !ok {
		return false
	}
	_, known := costmodel.LookupCurrency(code)
	return known
}

// isLocalMoneyUnit reports whether a driver's unit is an amount in a
// partnership's own currency ("EUR/item", "JPY/month"), which costmodel
// writes for a partnership priced in a currency other than the
// portfolio's.
func isLocalMoneyUnit(unit string) bool {
	if len(unit) < 3 || len(unit) > 3 && unit[3] != '/' {
		return false
	}
	_, known := costmodel.LookupCurrency(unit[:3])
	return known && strings.ToUpper(unit[:3]) == unit[:3]
}
