package scenario

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

var shapleySink []decimal.Decimal

// BenchmarkShapley: the exact Shapley value of random games of 4 to 10
// parties (n × 2^(n−1) exact products and one division per party).
func BenchmarkShapley(b *testing.B) {
	for _, n := range []int{4, 7, 10} {
		rng := rand.New(rand.NewPCG(1, 1))
		v := make([]decimal.Decimal, 1<<n)
		for s := 1; s < len(v); s++ {
			v[s] = decimal.New(rng.Int64N(100_000_000), -2)
		}
		b.Run(fmt.Sprint(n, " parties"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				shapleySink, _ = Shapley(v)
			}
		})
	}
}
