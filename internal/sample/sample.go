// Package sample generates synthetic portfolios for benchmarks and
// property tests. The numbers are plausible, not real: prices, costs and
// fee terms vary deterministically with the partnership and category
// index, so the same call always builds the same portfolio.
package sample

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal   { return decimal.RequireFromString(s) }
func dp(s string) *decimal.Decimal { v := d(s); return &v }
func di(i int64) decimal.Decimal   { return decimal.NewFromInt(i) }

// Benchmark returns the benchmark portfolio: the given number of
// partnerships, each with the given number of categories, over the given
// horizon (the benchmarks use Benchmark(20, 8, 36)). Partnerships
// cycle through the fee shapes the model supports: all-units and marginal
// price tiers, a flat rate with per-order fees, a volume-tiered revenue
// share with a minimum guarantee, and an own shop with card payments and
// integration running costs.
func Benchmark(partnerships, categories, months int) *costmodel.Portfolio {
	season := []decimal.Decimal{d("0.92"), d("0.88"), d("0.95"), d("0.94"), d("0.97"), d("0.95"),
		d("1"), d("0.98"), d("0.93"), d("0.98"), d("1.29"), d("1.21")}
	p := &costmodel.Portfolio{
		Name:         fmt.Sprintf("benchmark %d×%d×%d", partnerships, categories, months),
		Currency:     "USD",
		Start:        costmodel.Month{Year: 2026, Month: 1},
		Months:       months,
		DiscountRate: d("0.10"),
	}
	for i := range partnerships {
		ps := costmodel.Partnership{
			ID:          fmt.Sprintf("partner-%02d", i+1),
			Name:        fmt.Sprintf("Partner %d", i+1),
			Channel:     []string{"marketplace", "marketplace", "marketplace", "integration", "own-shop"}[i%5],
			LaunchMonth: i % 4,
			Marketing:   &costmodel.Marketing{Rate: d("0.05"), Monthly: di(int64(500 + 100*i))},
			Setup:       []costmodel.SetupItem{{ID: "build", Amount: di(int64(10000 + 1000*i)), AmortMonths: 12}},
			Maintenance: []costmodel.MaintenanceItem{{ID: "engineering", Hours: di(int64(8 + i%5)), HourlyRate: d("95")}},
			Support:     &costmodel.Support{TicketsPer1000Orders: d("12"), CostPerTicket: d("6.50"), StaffMonthly: d("800")},
		}
		switch i % 5 {
		case 0:
			ps.Commission = &costmodel.Commission{
				Tiers:    []costmodel.Tier{{UpTo: dp("10"), Rate: d("0.08")}, {Rate: d("0.15")}},
				TierMode: costmodel.AllUnits, IncludeShipping: true, MinPerItem: d("0.30"),
				Refund: &costmodel.RefundTerms{AdminFixed: dp("5"), AdminRate: d("0.20")},
			}
		case 1:
			ps.Commission = &costmodel.Commission{
				Tiers:    []costmodel.Tier{{UpTo: dp("100"), Rate: d("0.15")}, {Rate: d("0.08")}},
				TierMode: costmodel.Marginal, MinPerItem: d("0.30"),
			}
		case 2:
			ps.Commission = &costmodel.Commission{
				Rate: d("0.136"), IncludeShipping: true,
				PerOrderFee: d("0.30"), PerOrderThreshold: dp("10"), PerOrderFeeAbove: d("0.40"),
			}
		case 3:
			ps.Commission = &costmodel.Commission{
				Tiers:     []costmodel.Tier{{UpTo: dp("100000"), Rate: d("0.06")}, {UpTo: dp("500000"), Rate: d("0.045")}, {Rate: d("0.03")}},
				TierMode:  costmodel.Marginal,
				TierBasis: costmodel.MonthlyGMV,
			}
			ps.MinimumCommission = d("2500")
			ps.DataTransfer = &costmodel.DataTransfer{
				GBPer1000Orders: d("2.5"), FixedGB: d("500"),
				Pricing: costmodel.VolumePricing{Allowance: d("100"), Bands: []costmodel.Band{
					{UpTo: dp("10240"), Price: d("0.09")}, {UpTo: dp("51200"), Price: d("0.085")},
					{UpTo: dp("153600"), Price: d("0.07")}, {Price: d("0.05")}}},
			}
			ps.API = &costmodel.APICalls{
				CallsPerOrder: d("14"), FixedCalls: d("2000000"),
				Pricing: costmodel.VolumePricing{Bands: []costmodel.Band{{UpTo: dp("333"), Price: d("3.50")}, {UpTo: dp("1000"), Price: d("2.80")}, {Price: d("2.38")}}},
			}
		case 4:
			ps.Payment = &costmodel.PaymentFee{Rate: d("0.029"), Fixed: d("0.30")}
		}
		for j := range categories {
			k := int64(i*categories + j)
			c := costmodel.Category{
				ID:             fmt.Sprintf("cat-%02d", j+1),
				Orders:         di(300 + (k*137)%1700),
				UnitsPerOrder:  d("1.2"),
				ShippingCharge: d("3.95"),
				UnitCost:       decimal.New(400+(k*53)%1600, -2),
				ReturnRate:     decimal.New(2+k%15, -2),
				FulfilmentCost: d("2.75"),
				ShippingCost:   d("5.40"),
				ReturnCost:     d("1.80"),
				StorageMonthly: di(200 + (k*31)%600),
				Seasonality:    append([]decimal.Decimal(nil), season...),
				RampMonths:     int(k % 7),
				RampStart:      d("0.3"),
				Growth:         decimal.New(k%20, -2),
			}
			base := 900 + (k*271)%9000 // cents
			if j%2 == 0 {
				c.PriceMix = []costmodel.PricePoint{
					{Price: decimal.New(base, -2), Share: d("0.5")},
					{Price: decimal.New(base*2+99, -2), Share: d("0.3")},
					{Price: decimal.New(base*5+49, -2), Share: d("0.2")},
				}
			} else {
				c.Price = decimal.New(base+base/2, -2)
			}
			ps.Categories = append(ps.Categories, c)
		}
		p.Partnerships = append(p.Partnerships, ps)
	}
	return p
}
