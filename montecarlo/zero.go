package montecarlo

import "github.com/shopspring/decimal"

var decimalZero = decimal.Zero
