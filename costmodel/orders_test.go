package costmodel

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestOrdersOutputByHand reads the orders metric of testdata/small.json
// against its inputs (see TestOutputWindowsByHand): market 100 mugs a
// month and shop 50, seasonality 1.5 in November and 1.2 in December, so
// market's orders are 150, 120, 100 and shop's 75, 60, 50.
func TestOrdersOutputByHand(t *testing.T) {
	st := smallStatement(t)
	d := decimal.RequireFromString
	q4 := Window{Kind: WindowQuarter, Year: 2026, Quarter: 4}
	cases := []struct {
		o    Output
		want string
	}{
		{Output{Metric: MetricOrders}, "555"},
		{Output{Scope: ScopePortfolio, Metric: MetricOrders, Window: q4}, "405"},
		{Output{Scope: ScopePartnership, Key: "market", Metric: MetricOrders,
			Window: Window{Kind: WindowRolling, Span: 2, Month: month(2027, time.January)}}, "220"},
		{Output{Scope: ScopeChannel, Key: "own-shop", Metric: MetricOrders, Window: Window{Kind: WindowYear, Year: 2027}}, "50"},
		{Output{Scope: ScopeCategory, Key: "mugs", Metric: MetricOrders, Window: Peak()}, "405"},
		{Output{Scope: ScopeChannelCategory, Key: "marketplace/mugs", Metric: MetricOrders,
			Window: Window{Kind: WindowMonth, Month: month(2026, time.December)}}, "120"},
	}
	for _, c := range cases {
		v, err := c.o.Of(st)
		if err != nil {
			t.Errorf("%s: %v", c.o, err)
			continue
		}
		if !v.Valid || !v.Amount.Equal(d(c.want)) {
			t.Errorf("%s = %s, want %s", c.o, v, c.want)
		}
	}
	if !MetricOrders.Valid() || !MetricOrders.IsVolume() || MetricOrders.IsRatio() || MetricGMV.IsVolume() {
		t.Error("orders: want a valid volume metric that is not a ratio")
	}
	if _, ok := MetricOrders.Line(); ok {
		t.Error("orders reads no statement line")
	}
	for _, m := range Metrics {
		if m == MetricOrders {
			t.Error("orders is not among the metrics comparisons show")
		}
	}
}

// TestOrdersNotAllocated: an allocation rule moves money between
// categories, never orders; the allocated view reads the same orders.
func TestOrdersNotAllocated(t *testing.T) {
	p, err := LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	p.Allocation = []AllocationRule{{Line: "*", Basis: ByGMV}}
	st, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Output{
		{Metric: MetricOrders},
		{Scope: ScopeCategory, Key: "mugs", Metric: MetricOrders},
		{Scope: ScopePartnership, Key: "shop", Metric: MetricOrders, Window: Window{Kind: WindowMonth, Month: month(2026, time.November)}},
	} {
		u, err := o.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		o.View = Allocated
		a, err := o.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Amount.Equal(a.Amount) || u.Amount.IsZero() {
			t.Errorf("%s: allocated %s, unallocated %s", o, a, u)
		}
	}
}
