package costmodel

import "strings"

// Currency is an ISO 4217 currency: its three-letter code and the number of
// digits of its minor unit (2 for USD's cents, 0 for JPY, 3 for KWD). Every
// statement line is rounded to the minor unit.
type Currency struct {
	Code      string
	MinorUnit int32
}

// minorUnits lists the ISO 4217 currencies Marginal knows, with their minor
// unit digits (ISO 4217 list one, 2024 edition). Funds codes and precious
// metals are left out on purpose: they are not prices a marketplace charges.
var minorUnits = map[string]int32{
	"AED": 2, "ARS": 2, "AUD": 2, "BGN": 2, "BHD": 3, "BRL": 2, "CAD": 2,
	"CHF": 2, "CLP": 0, "CNY": 2, "COP": 2, "CZK": 2, "DKK": 2, "EGP": 2,
	"EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2, "INR": 2,
	"ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MAD": 2, "MXN": 2,
	"MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2, "OMR": 3, "PEN": 2, "PHP": 2,
	"PKR": 2, "PLN": 2, "QAR": 2, "RON": 2, "RSD": 2, "RUB": 2, "SAR": 2,
	"SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "UAH": 2,
	"USD": 2, "VND": 0, "ZAR": 2,
}

// LookupCurrency returns the currency with the given ISO 4217 code
// (case-insensitive) and whether Marginal knows it.
func LookupCurrency(code string) (Currency, bool) {
	c := strings.ToUpper(code)
	mu, ok := minorUnits[c]
	if !ok {
		return Currency{}, false
	}
	return Currency{Code: c, MinorUnit: mu}, true
}
