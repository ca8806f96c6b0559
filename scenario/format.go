package scenario

import (
	"strconv"

	"github.com/shopspring/decimal"
)

// quote renders user text for a message, quoted. A long text is
// shortened, with its length, where the message is formatted
// (costmodel.FieldError), once for every package.
func quote[S ~string](s S) string { return strconv.Quote(string(s)) }

// decText renders a decimal for a message as written (shopspring keeps
// the digits given, without padding); costmodel.FieldError shortens a
// long one.
func decText(d decimal.Decimal) string { return d.String() }
