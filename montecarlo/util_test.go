package montecarlo

import (
	"os"

	"github.com/shopspring/decimal"
)

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

func dd(s string) decimal.Decimal { return decimal.RequireFromString(s) }
