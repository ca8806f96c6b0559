package costmodel_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
)

// Maintenance of 100.00 a month shared out by GMV (toys sell 2 × 30 × 100
// = 6,000, games 20 × 50 = 1,000): the fully loaded contribution of each
// category beside its unallocated one.
func ExampleAllocationRule() {
	p, err := costmodel.Load(strings.NewReader(`{
	  "currency": "USD", "start": "2027-01", "months": 1, "discount_rate": 0.1,
	  "partnerships": [{"id": "shop", "channel": "own-shop",
	    "maintenance": [{"id": "hosting", "monthly": 100}],
	    "categories": [
	      {"id": "toys", "orders": 100, "price": 30, "units_per_order": 2, "unit_cost": 10},
	      {"id": "games", "orders": 50, "price": 20, "units_per_order": 1, "unit_cost": 12}]}],
	  "allocation": [{"line": "*", "basis": "gmv"}]}`))
	if err != nil {
		log.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		log.Fatal(err)
	}
	for _, cat := range []string{"toys", "games"} {
		o := costmodel.Output{Scope: costmodel.ScopeCategory, Key: cat, Metric: costmodel.MetricContribution}
		plain, _ := o.Of(st)
		o.View = costmodel.Allocated
		loaded, _ := o.Of(st)
		fmt.Printf("%-5s contribution %s, fully loaded %s\n", cat, plain.Amount.StringFixed(2), loaded.Amount.StringFixed(2))
	}
	// Output:
	// toys  contribution 4000.00, fully loaded 3914.29
	// games contribution 400.00, fully loaded 385.71
}
