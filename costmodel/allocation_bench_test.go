package costmodel_test

import (
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

// BenchmarkEvaluateAllocated is BenchmarkEvaluate's 20 × 8 × 36 portfolio
// with and without allocation rules covering every partnership-level line
// (the allocated view doubles the category and own rows of the graph),
// and with a capacity of each kind on every partnership. It reports the
// graph's nodes.
func BenchmarkEvaluateAllocated(b *testing.B) {
	base := sample.Benchmark(20, 8, 36)
	loaded := base.Clone()
	loaded.Allocation = []costmodel.AllocationRule{{Line: "*", Basis: costmodel.ByActivity}, {Line: "*", Basis: costmodel.ByGMV}}
	capped := base.Clone()
	for i := range capped.Partnerships {
		ps := &capped.Partnerships[i]
		c := &costmodel.Capacity{
			Fulfilment: &costmodel.FulfilmentCapacity{UnitsPerMonth: dec("500"), OverflowPremium: dec("0.5")},
			API:        &costmodel.APILimit{OrdersPerMonth: dec("800"), Mode: costmodel.Throttle},
		}
		if ps.Support != nil && !ps.Support.TicketsPer1000Orders.IsZero() {
			c.Support = &costmodel.SupportCapacity{Agents: dec("1"), TicketsPerAgent: dec("5"), Mode: costmodel.Hire, HireCost: dec("500"), AgentMonthly: dec("3000")}
		}
		if ps.DataTransfer != nil {
			c.DataTransfer = &costmodel.DataTransferCommitment{CommittedGB: dec("10"), Monthly: dec("50"), OverageRate: dec("0.1")}
		}
		ps.Capacity = c
	}
	for _, c := range []struct {
		name string
		p    *costmodel.Portfolio
	}{{"unallocated", base}, {"allocated", loaded}, {"capacity", capped}} {
		m, err := costmodel.NewModel(c.p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := costmodel.Evaluate(c.p)
				if err != nil {
					b.Fatal(err)
				}
				sinkStatement = st
			}
			b.ReportMetric(float64(m.Graph().Len()), "nodes")
		})
	}
}
