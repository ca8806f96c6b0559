package actuals

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

var updateSample = flag.Bool("update-sample", false, "rewrite testdata/larkspur.actuals.csv from the plan with its planted deviations")

// TestWriteSampleActuals writes the sample year of actuals (with
// -update-sample): the plan's volumes with ±6 % noise (seeded), and the
// deviations a reviewer should find:
//   - amazon-us clothing returns 38 % of items in September and October
//     (plan 22 %): a return-rate spike;
//   - feedlink's API calls grow past the agreed free allowance of 4.5
//     million a month from October;
//   - feedlink's orders run at 45 % of plan, so its commission falls
//     short of the 1,500 monthly minimum guarantee (a true-up) and of
//     the agreed minimum volume;
//   - feedlink is down 95 minutes in November (uptime agreed ≥ 99.9 %);
//   - ebay bills 12.50 more commission than its terms imply in June;
//   - ebay collectibles in February: 150 orders, GMV 7,725.00 (price
//     46), 6 returned items, the month the fee test computes by hand.
func TestWriteSampleActuals(t *testing.T) {
	if !*updateSample {
		t.Skip("run with -update-sample to rewrite the sample actuals")
	}
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(2026, 14))
	noise := func(x decimal.Decimal, places int32) decimal.Decimal {
		return x.Mul(decimal.NewFromFloat(0.94 + 0.12*rng.Float64())).Round(places)
	}
	a := &Actuals{CutOff: p.Start.Add(11)}
	add := func(m int, ps, cat string, ms Measure, v decimal.Decimal) {
		a.Records = append(a.Records, Record{Month: p.Start.Add(m), Partnership: ps, Category: cat, Measure: ms, Value: v})
	}
	for i, ps := range p.Partnerships {
		for m := ps.LaunchMonth; m < 12; m++ {
			total := decimal.Zero
			for j, c := range ps.Categories {
				row := &st.Partnerships[i].Categories[j]
				n := noise(row.Orders[m], 0)
				if ps.ID == "feedlink" {
					n = row.Orders[m].Mul(d("0.45")).Round(0)
				}
				gmvPerOrder := row.Monthly[m][costmodel.LineGMV].DivRound(row.Orders[m], 8)
				gmv := noise(gmvPerOrder.Mul(n), 2)
				rr := c.ReturnRate
				if ps.ID == "amazon-us" && c.ID == "clothing" && (m == 8 || m == 9) {
					rr = d("0.38")
				}
				returned := n.Mul(c.UnitsPerOrder).Mul(rr).Round(0)
				if ps.ID == "ebay" && c.ID == "collectibles" && m == 1 {
					n, gmv, returned = d("150"), d("7725.00"), d("6")
				}
				total = total.Add(n)
				add(m, ps.ID, c.ID, Orders, n)
				add(m, ps.ID, c.ID, GMV, gmv)
				add(m, ps.ID, c.ID, ReturnedItems, returned)
				items := n.Mul(c.UnitsPerOrder)
				add(m, ps.ID, c.ID, COGS, noise(items.Sub(returned).Mul(c.UnitCost), 2))
				add(m, ps.ID, c.ID, Fulfilment, noise(items.Mul(c.FulfilmentCost), 2))
				if !c.ShippingCost.IsZero() {
					add(m, ps.ID, c.ID, Shipping, noise(n.Mul(c.ShippingCost), 2))
				}
			}
			own := &st.Partnerships[i].Own.Monthly[m]
			if ps.Marketing != nil {
				// Marketing as planned: the percent of the month's GMV
				// plus the fixed budget, with noise.
				spend := decimal.Zero
				for j := range ps.Categories {
					spend = spend.Add(st.Partnerships[i].Categories[j].Monthly[m][costmodel.LineMarketing])
				}
				add(m, ps.ID, "", Marketing, noise(spend.Add(own[costmodel.LineMarketingFixed]), 2))
			}
			if ps.API != nil {
				calls := total.Mul(ps.API.CallsPerOrder).Add(ps.API.FixedCalls)
				if m >= 6 {
					calls = calls.Add(decimal.NewFromInt(int64(m-5) * 260000))
				}
				add(m, ps.ID, "", APICalls, calls.Round(0))
			}
			if ps.DataTransfer != nil {
				add(m, ps.ID, "", DataTransferGB, noise(total.Mul(ps.DataTransfer.GBPer1000Orders).Div(decimal.NewFromInt(1000)).Add(ps.DataTransfer.FixedGB), 1))
			}
			if ps.Support != nil {
				add(m, ps.ID, "", SupportTickets, noise(total.Mul(ps.Support.TicketsPer1000Orders).Div(decimal.NewFromInt(1000)), 0))
				add(m, ps.ID, "", ResponseHours, noise(d("6"), 1))
			}
			if ps.ID == "feedlink" {
				down := decimal.NewFromInt(int64(rng.IntN(20)))
				inc := decimal.NewFromInt(int64(rng.IntN(2)))
				if m == 10 {
					down, inc = d("95"), d("3")
				}
				add(m, ps.ID, "", DowntimeMinutes, down)
				add(m, ps.ID, "", Incidents, inc)
			}
		}
	}
	// Billing: every partnership with commission bills it per month; the
	// bill is filled in from the actual statement below (the terms'
	// figure), except ebay's June, 12.50 over.
	m0, err := NewModel(p, a)
	if err != nil {
		t.Fatal(err)
	}
	act := m0.Actual()
	for _, ps := range act.Partnerships {
		if pp, _ := partnership(p, ps.ID); pp.Commission == nil && !hasCategoryCommission(pp) {
			continue
		}
		for m := 0; m < 12; m++ {
			tot := &ps.Total.Monthly[m]
			v := tot[costmodel.LineCommission].Sub(tot[costmodel.LineCommissionRefund]).Add(tot[costmodel.LineCommissionTrueUp])
			if v.IsZero() {
				continue
			}
			if ps.ID == "ebay" && m == 5 {
				v = v.Add(d("12.50"))
			}
			add(m, ps.ID, "", CommissionBilled, v)
		}
	}
	var buf bytes.Buffer
	if err := a.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("../testdata/larkspur.actuals.csv", buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	fmt.Println("wrote", len(a.Records), "records")
}

func hasCategoryCommission(ps *costmodel.Partnership) bool {
	for _, c := range ps.Categories {
		if c.Commission != nil {
			return true
		}
	}
	return false
}
