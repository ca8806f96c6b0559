package scenario_test

import (
	"testing"

	"github.com/marginalhq/marginal/internal/sample"
	"github.com/marginalhq/marginal/scenario"
)

var sinkTornado *scenario.Tornado

// BenchmarkTornado20 is a 20-driver tornado (41 statement evaluations)
// of portfolio contribution on the benchmark portfolio (20 partnerships ×
// 8 categories × 36 months), on all cores.
func BenchmarkTornado20(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	targets := []string{
		"*/cat-01/orders", "*/cat-02/orders", "*/cat-03/unit_cost", "*/cat-04/return_rate",
		"*/cat-06/price", "*/cat-05/price_mix/*/price", "*/*/shipping_cost", "*/*/fulfilment_cost",
		"partner-01/commission/tier/*/rate", "partner-02/commission/tier/*/rate", "partner-03/commission/rate",
		"partner-04/commission/tier/*/rate", "*/payment/rate", "*/marketing/rate", "*/marketing/monthly",
		"*/support/cost_per_ticket", "*/maintenance/*/hourly_rate", "*/data_transfer/gb_per_1000_orders",
		"*/api/calls_per_order", "*/*/storage_monthly",
	}
	var inputs []scenario.Input
	for _, t := range targets {
		inputs = append(inputs, scenario.Percent(t, dec("0.1")))
	}
	b.ReportAllocs()
	for b.Loop() {
		t, err := scenario.RunTornado(p, scenario.Output{Metric: scenario.Contribution}, inputs)
		if err != nil {
			b.Fatal(err)
		}
		sinkTornado = t
	}
}
