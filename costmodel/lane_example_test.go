package costmodel_test

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
)

// A UK shop's cross-border lane into Germany, priced in GBP: 100 orders a
// month of T-shirts (one at £30.00) and 100 of coats (one at £160.00),
// £9.50 international shipping an order, 12 % duty on goods plus
// shipping above a £130 de-minimis on the goods value, German VAT
// collected by the marketplace (so neither revenue nor cost), and 5
// points more returns at £6.00 each to ship back.
func ExampleLane() {
	rate, threshold := dec("0.12"), dec("130")
	p := &costmodel.Portfolio{
		Currency: "GBP", Start: costmodel.Month{Year: 2026, Month: 1}, Months: 1, DiscountRate: dec("0.10"),
		Partnerships: []costmodel.Partnership{{
			ID: "de-shop", Channel: "own-shop",
			Lane: &costmodel.Lane{
				Origin: "GB", Destination: "DE",
				DutyRate: &rate, DutyDeMinimis: &threshold,
				VAT:              costmodel.VATMarketplace,
				ShippingPerOrder: dec("9.50"), ExtraReturnRate: dec("0.05"), ReturnShippingPerOrder: dec("6.00"),
			},
			Categories: []costmodel.Category{
				{ID: "t-shirts", Orders: dec("100"), Price: dec("30"), UnitsPerOrder: dec("1"), UnitCost: dec("8"), ReturnRate: dec("0.10")},
				{ID: "coats", Orders: dec("100"), Price: dec("160"), UnitsPerOrder: dec("1"), UnitCost: dec("55"), ReturnRate: dec("0.10")},
			},
		}},
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand, per order: T-shirts' goods £30 ≤ £130, no duty; landed
	// cost a unit 8 + 9.50 = £17.50. Coats' goods £160 > £130: duty
	// 12 % × (160 + 9.50) = £20.34; landed 55 + 20.34 + 9.50 = £84.84.
	// Return shipping: 100 × (0.10 + 0.05) × 6 = £90 in each category.
	for _, c := range st.Partnerships[0].Categories {
		m := c.Monthly[0]
		fmt.Printf("%-8s duty %7s  shipping %7s  return shipping %5s  landed cost a unit %s\n", c.ID,
			m[costmodel.LineImportDuty].StringFixed(2), m[costmodel.LineInternationalShipping].StringFixed(2),
			m[costmodel.LineReturnShipping].StringFixed(2), c.LandedCost[0].StringFixed(2))
	}
	// Output:
	// t-shirts duty    0.00  shipping  950.00  return shipping 90.00  landed cost a unit 17.50
	// coats    duty 2034.00  shipping  950.00  return shipping 90.00  landed cost a unit 84.84
}
