package actuals_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// One marketplace month with two categories: a (price 10, cost 4) and b
// (price 20, cost 12), 100 orders each planned, a 10 % commission. The
// month brought 150 orders of a at a unit cost of 5 and 90 of b at a
// price of 22.
func Example() {
	d := decimal.RequireFromString
	cat := func(id, price, cost string) costmodel.Category {
		return costmodel.Category{ID: id, Orders: d("100"), Price: d(price), UnitsPerOrder: d("1"), UnitCost: d(cost)}
	}
	plan := &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: time.January}, Months: 1, DiscountRate: d("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "mkt", Channel: "marketplace", Commission: &costmodel.Commission{Rate: d("0.1")},
			Categories: []costmodel.Category{cat("a", "10", "4"), cat("b", "20", "12")}}}}
	csv := `month,partnership,category,measure,value
2026-01,mkt,a,orders,150
2026-01,mkt,a,cogs,750
2026-01,mkt,b,orders,90
2026-01,mkt,b,gmv,1980
`
	a, err := actuals.ReadCSV(strings.NewReader(csv), plan, costmodel.Month{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := actuals.NewModel(plan, a)
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := m.Bridge(costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-24s %8s\n", "Planned contribution", b.Plan.StringFixed(2))
	for _, e := range b.Effects {
		if !e.Amount.IsZero() {
			fmt.Printf("%-24s %8s\n", e.Effect.Label(), e.Amount.StringFixed(2))
		}
	}
	fmt.Printf("%-24s %8s\n", "Actual contribution", b.Actual.StringFixed(2))
	// Output:
	// Planned contribution      1100.00
	// Volume                     220.00
	// Mix                        -30.00
	// Price (AOV)                162.00
	// Unit cost                 -150.00
	// Actual contribution       1302.00
}

// Where an agreed minimum of 100 with a 5 % at-risk band puts a value.
func ExampleClassify() {
	d := decimal.RequireFromString
	for _, v := range []string{"99.99", "100", "104.99", "105"} {
		fmt.Println(v, actuals.Classify(d(v), d("100"), d("0.05"), actuals.AtLeast))
	}
	// Output:
	// 99.99 breached
	// 100 at_risk
	// 104.99 at_risk
	// 105 on_target
}
