// Package format prints the example programs' figures the way finance
// reads them: money with thousands separators, percentages with one
// decimal, "n/a" for a value that is not defined.
package format

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount rounded to whole units (half away from zero, as
// Excel's ROUND), with a comma between thousands: -1234567.5 is
// "-1,234,568".
func Money(d decimal.Decimal) string { return MoneyPlaces(d, 0) }

// MoneyPlaces is an amount with places decimals (2 for cents) and a comma
// between thousands: 1234.5 with 2 places is "1,234.50".
func MoneyPlaces(d decimal.Decimal, places int32) string {
	return group(d.StringFixed(places))
}

// MoneyFloat is Money of a simulated figure (a float64): "n/a" for NaN or
// an infinity, which are never amounts.
func MoneyFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "n/a"
	}
	return Money(decimal.NewFromFloat(f))
}

// Percent is a fraction in percent with one decimal: 0.1655 is "16.6%";
// "n/a" when it is not valid (a ratio over zero net sales).
func Percent(d decimal.Decimal, valid bool) string {
	if !valid {
		return "n/a"
	}
	return d.Shift(2).StringFixed(1) + "%"
}

// group puts a comma between each three digits of the integer part of a
// decimal number as StringFixed writes it ("-1234567.50").
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Count is a whole number with thousands separators: 10000 is "10,000".
func Count(n int) string { return group(fmt.Sprint(n)) }
