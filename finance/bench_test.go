package finance

import (
	"testing"

	"github.com/shopspring/decimal"
)

var sinkRoots []float64

// BenchmarkIRR: every root of a monthly series (one investment, then
// 1..n−1 months of receipts with a wind-down payment at the end, two
// sign changes) for horizons from a year to fifty.
func BenchmarkIRR(b *testing.B) {
	for _, n := range []int{12, 60, 600} {
		fs := make([]decimal.Decimal, n)
		fs[0] = decimal.NewFromInt(-10000)
		for i := 1; i < n-1; i++ {
			fs[i] = decimal.NewFromInt(400)
		}
		fs[n-1] = decimal.NewFromInt(-500)
		b.Run(itoa(n), func(b *testing.B) {
			for b.Loop() {
				r, err := IRR(fs)
				if err != nil {
					b.Fatal(err)
				}
				sinkRoots = r.Roots
			}
		})
	}
}

// BenchmarkXNPV: Microsoft's five dated flows.
func BenchmarkXNPV(b *testing.B) {
	for b.Loop() {
		if _, err := XNPV(decimal.RequireFromString("0.09"), microsoftFlows); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}
