package montecarlo

import (
	"os"

	"github.com/shopspring/decimal"
)

func readFile(name string) ([]byte, error) { return os.ReadFile(name) }

func dd(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// total is the number of samples a histogram holds.
func (h Histogram) total() int {
	n := 0
	for _, c := range h.Counts {
		n += c
	}
	return n
}
