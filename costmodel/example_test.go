package costmodel_test

import (
	"fmt"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// A marketplace partnership described as a Go literal: one category at a
// flat 15 % commission with Amazon's $0.30 minimum, over three months.
func ExampleEvaluate() {
	p := &costmodel.Portfolio{
		Currency:     "USD",
		Start:        costmodel.Month{Year: 2026, Month: 11},
		Months:       3,
		DiscountRate: dec("0.10"),
		Partnerships: []costmodel.Partnership{{
			ID:         "market",
			Channel:    "marketplace",
			Commission: &costmodel.Commission{Rate: dec("0.15"), MinPerItem: dec("0.30")},
			Setup:      []costmodel.SetupItem{{ID: "listing", Amount: dec("400")}},
			Categories: []costmodel.Category{{
				ID:            "mugs",
				Orders:        dec("100"),
				Price:         dec("20"),
				UnitsPerOrder: dec("1"),
				UnitCost:      dec("8"),
				ShippingCost:  dec("4"),
			}},
		}},
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	// By hand: GMV 100 × $20 = $2,000; COGS $800; commission 15 % = $300;
	// shipping $400; CM2 = 2,000 − 800 − 300 − 400 = $500 a month.
	nov := st.Portfolio.Monthly[0]
	fmt.Println("GMV", nov[costmodel.LineGMV], "commission", nov[costmodel.LineCommission], "CM2", nov[costmodel.LineCM2])
	fmt.Println("net cash flow over 3 months", st.Portfolio.Total[costmodel.LineNetCashFlow])
	fmt.Println("payback month", st.Measures.Payback.Month, "CM2 ratio", st.Measures.CM2Ratio.Value.StringFixed(3))
	// Output:
	// GMV 2000 commission 300 CM2 500
	// net cash flow over 3 months 1100
	// payback month 1 CM2 ratio 0.250
}

// Loading a file reports every problem at once, each with its path.
func ExampleLoad() {
	_, err := costmodel.Load(strings.NewReader(`{
	  "currency": "USD", "start": "2026-01", "months": 12, "discount_rate": 0.1,
	  "partnerships": [{"id": "shop", "channel": "own-shop",
	    "categories": [{"id": "mugs", "orders": -5, "price": 20, "units_per_order": 1,
	                    "unit_cost": 8, "return_rate": 1.5}]}]}`))
	fmt.Println(err)
	// Output:
	// 2 problems:
	//   shop/mugs/orders: got -5, expected ≥ 0
	//   shop/mugs/return_rate: got 1.5, expected a fraction from 0 to 1 (0.15 for 15 %)
}

// Drivers are addressed by path; '*' selects many.
func ExamplePortfolio_Update() {
	p, _ := costmodel.Load(strings.NewReader(`{
	  "currency": "USD", "start": "2026-01", "months": 12, "discount_rate": 0.1,
	  "partnerships": [{"id": "shop", "channel": "own-shop", "categories": [
	    {"id": "mugs", "orders": 100, "price": 20, "units_per_order": 1, "unit_cost": 8},
	    {"id": "bowls", "orders": 40, "price": 30, "units_per_order": 1, "unit_cost": 11}]}]}`))
	n, _ := p.Update("shop/*/orders", func(d costmodel.Driver) (decimal.Decimal, error) {
		return d.Value.Mul(dec("1.29")), nil // November peak
	})
	fmt.Println(n, "drivers changed")
	for _, d := range p.Drivers()[:4] {
		fmt.Println(d.Address, d.Value, d.Unit)
	}
	// Output:
	// 2 drivers changed
	// portfolio/discount_rate 0.1 annual rate
	// shop/minimum_commission 0 CUR/month
	// shop/mugs/orders 129 orders/month
	// shop/mugs/price 20 CUR/item
}

// Amazon Beauty's whole-amount threshold and Electronics Accessories'
// marginal tiers.
func ExampleCommission_ItemFee() {
	ten := dec("10")
	hundred := dec("100")
	beauty := costmodel.Commission{
		Tiers:    []costmodel.Tier{{UpTo: &ten, Rate: dec("0.08")}, {Rate: dec("0.15")}},
		TierMode: costmodel.AllUnits, MinPerItem: dec("0.30"),
	}
	accessories := costmodel.Commission{
		Tiers:    []costmodel.Tier{{UpTo: &hundred, Rate: dec("0.15")}, {Rate: dec("0.08")}},
		TierMode: costmodel.Marginal,
	}
	fmt.Println(beauty.ItemFee(dec("10.00")).StringFixed(2), beauty.ItemFee(dec("10.01")).StringFixed(2))
	fmt.Println(accessories.ItemFee(dec("150")).StringFixed(2))
	// Output:
	// 0.80 1.50
	// 19.00
}

// AWS egress for 60 TB under both allowance conventions.
func ExampleVolumePricing_Cost() {
	b := func(s string) *decimal.Decimal { v := dec(s); return &v }
	bands := []costmodel.Band{{UpTo: b("10240"), Price: dec("0.09")}, {UpTo: b("51200"), Price: dec("0.085")},
		{UpTo: b("153600"), Price: dec("0.07")}, {Price: dec("0.05")}}
	first := costmodel.VolumePricing{Allowance: dec("100"), AllowanceMode: costmodel.FirstBand, Bands: bands}
	shift := costmodel.VolumePricing{Allowance: dec("100"), AllowanceMode: costmodel.Shift, Bands: bands}
	fmt.Println(first.Cost(dec("61440")), shift.Cost(dec("61440")))
	// Output: 5111 5113
}

func ExampleNPV() {
	flows := []decimal.Decimal{dec("-10000"), dec("2000"), dec("4000"), dec("8000")}
	v, err := costmodel.NPV(dec("0.1"), flows)
	fmt.Println(v.StringFixed(6), err)
	_, err = costmodel.NPV(dec("-1"), flows)
	fmt.Println(err)
	// Output:
	// 1031.350318 <nil>
	// NPV: rate -1 per period: expected > -1
}

func ExampleIRR() {
	flows := []decimal.Decimal{dec("-75000"), dec("12000"), dec("15000"), dec("18000"), dec("21000"), dec("24000")}
	r, err := costmodel.IRR(flows)
	fmt.Printf("%.10f %v\n", r, err)
	_, err = costmodel.IRR([]decimal.Decimal{dec("100"), dec("50")})
	fmt.Println(err)
	// Output:
	// 0.0571514289 <nil>
	// IRR: the cash flows never change sign, so no rate makes their NPV zero
}

func ExampleMonthlyRate() {
	m, _ := costmodel.MonthlyRate(dec("0.10"))
	fmt.Println(m.StringFixed(10))
	// Output: 0.0079741404
}

func ExamplePortfolio_Match() {
	p, _ := costmodel.LoadFile("../testdata/small.json")
	ds, _ := p.Match("*/mugs/unit_cost")
	for _, d := range ds {
		fmt.Println(d.Address, d.Value, d.Unit, d.Range)
	}
	// Output:
	// market/mugs/unit_cost 8 CUR/item ≥ 0
	// shop/mugs/unit_cost 6 CUR/item ≥ 0
}
