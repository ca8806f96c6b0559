package actuals

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// Effect names one step of the variance bridge: a group of drivers
// switched from plan to actual together (see the package doc for the
// order and the definitions).
type Effect string

// The effects of the bridge, in their substitution order.
const (
	EffectVolume       Effect = "volume"        // every category's orders scaled by the partnership's actual/plan order total
	EffectMix          Effect = "mix"           // each category's own actual orders
	EffectPrice        Effect = "price"         // average order value (from actual GMV)
	EffectReturnRate   Effect = "return_rate"   // returned items per item
	EffectFeeRate      Effect = "fee_rate"      // commission rate actually charged
	EffectUnitCost     Effect = "unit_cost"     // COGS per item, fulfilment per item, shipping per order
	EffectRunningCosts Effect = "running_costs" // data transfer, API calls, support tickets
	EffectMarketing    Effect = "marketing"     // marketing spend
	EffectOneOffs      Effect = "one_offs"      // storage and maintenance (fixed and one-off charges)
)

// Effects lists the bridge's effects in substitution order.
var Effects = []Effect{EffectVolume, EffectMix, EffectPrice, EffectReturnRate, EffectFeeRate,
	EffectUnitCost, EffectRunningCosts, EffectMarketing, EffectOneOffs}

// Label is the effect's name for people.
func (e Effect) Label() string {
	switch e {
	case EffectVolume:
		return "Volume"
	case EffectMix:
		return "Mix"
	case EffectPrice:
		return "Price (AOV)"
	case EffectReturnRate:
		return "Return rate"
	case EffectFeeRate:
		return "Commission and fee rate"
	case EffectUnitCost:
		return "Unit cost"
	case EffectRunningCosts:
		return "Running costs"
	case EffectMarketing:
		return "Marketing"
	case EffectOneOffs:
		return "One-offs"
	}
	return string(e)
}

// Model evaluates a plan portfolio with actual figures in place of
// planned ones, through the portfolio's own model graph
// (costmodel.BuildModel): the fees, costs and margins of the actual
// months are what the partnership's terms give at the actual volumes,
// prices and rates, computed by the same formulas as the plan.
//
// How actuals become drivers. The graph is built with each volume and
// rate driver read per month (costmodel.ModelOptions.ByMonth), and with
// growth 0, seasonality 1 and the ramp at full volume, so that a
// category's orders in a month are exactly the per-month value given:
// the plan's own orders (read from the plan's statement) in plan months,
// the actual orders in actual months. The other actual figures become the
// drivers that produce them, each rounded to 12 places (the most an input
// may have):
//
//	gmv             → price: (gmv / orders − shipping charge) / units per order
//	                  (a price mix is scaled by one factor, its shares kept)
//	returned_items  → return rate: returned items / (orders × units)
//	cogs            → unit cost: cogs / items kept
//	fulfilment      → fulfilment cost: fulfilment / items
//	shipping        → shipping cost: shipping / orders
//	storage         → storage per month
//	data_transfer_gb, api_calls → the month's fixed volume (the per-order part 0)
//	support_tickets → tickets per 1000 orders of the partnership
//	marketing       → fixed monthly marketing (the percent-of-GMV part 0)
//	maintenance     → the month's maintenance (the first item's monthly amount)
//	commission_rate → the commission rate of flat-rate terms
//
// A figure not reported keeps the plan's driver: a month with orders
// only is the plan's unit economics at the actual volume. Incidents,
// downtime, response hours and commission billed change no driver: they
// are read by the health check and the billing check.
//
// The plan portfolio may not carry adjustments (bake a scenario into the
// drivers first): a month-limited adjustment of orders would apply on top
// of the actual orders. A Model is immutable once built and safe for
// concurrent use.
type Model struct {
	plan    *costmodel.Portfolio
	planSt  *costmodel.Statement
	model   *costmodel.Model
	base    []decimal.Decimal
	actuals *Actuals
	cut     int // last actual month (offset)

	// orders[row][t] is the plan's orders of category row (partnership by
	// partnership), actual[row][t] the actual ones (months ≤ cut).
	rows    []rowRef
	orders  [][]decimal.Decimal
	actual  [][]decimal.Decimal
	ordersD []int32 // driver index of each row's orders
	// steps[k] are the overrides effect k adds, on top of the earlier
	// ones (volume and mix excepted: they are orders, set by stage).
	steps map[Effect][]override

	stages []*costmodel.Statement // plan, then after each effect; the last is the actual statement
	// byMonth marks the drivers read per month.
	byMonth map[int32]bool
}

type rowRef struct {
	p, c        int
	partnership string
	category    string
	channel     string
	launch      int
}

type override struct {
	driver int32
	t      int
	value  decimal.Decimal
}

// rounding of derived drivers: the places an input may have.
const places = 12

// NewModel builds the model of plan with the actuals a (read with ReadCSV
// or ReadJSON against the same portfolio) and evaluates the plan, the
// actual statement and the bridge's intermediate statements. Every
// problem turning the actuals into drivers is reported at once.
func NewModel(plan *costmodel.Portfolio, a *Actuals) (*Model, error) {
	if plan == nil || a == nil {
		return nil, &costmodel.FieldError{Path: "(actuals)", Expected: "a plan portfolio and its actuals, not nil"}
	}
	if len(plan.Adjustments) > 0 {
		return nil, &costmodel.FieldError{Path: "adjustments", Value: fmt.Sprintf("%d adjustments", len(plan.Adjustments)),
			Expected: "a plan without month-limited adjustments (apply the scenario to the drivers first)"}
	}
	if err := Check(a, plan); err != nil {
		return nil, err
	}
	planSt, err := costmodel.Evaluate(plan)
	if err != nil {
		return nil, err
	}
	q := plan.Clone()
	var byMonth []string
	for i := range q.Partnerships {
		ps := &q.Partnerships[i]
		pre := ps.ID + "/"
		for j := range ps.Categories {
			c := &ps.Categories[j]
			cp := pre + c.ID + "/"
			c.Growth = decimal.Zero
			c.RampStart = decimal.NewFromInt(1)
			for k := range c.Seasonality {
				c.Seasonality[k] = decimal.NewFromInt(1)
			}
			byMonth = append(byMonth, cp+"orders", cp+"return_rate", cp+"unit_cost", cp+"fulfilment_cost", cp+"shipping_cost", cp+"storage_monthly")
			if len(c.PriceMix) == 0 {
				byMonth = append(byMonth, cp+"price")
			}
			for k := range c.PriceMix {
				byMonth = append(byMonth, fmt.Sprintf("%sprice_mix/%d/price", cp, k+1))
			}
		}
		if ps.Marketing != nil {
			byMonth = append(byMonth, pre+"marketing/rate", pre+"marketing/monthly")
		}
		if ps.DataTransfer != nil {
			byMonth = append(byMonth, pre+"data_transfer/gb_per_1000_orders", pre+"data_transfer/fixed_gb")
		}
		if ps.API != nil {
			byMonth = append(byMonth, pre+"api/calls_per_order", pre+"api/fixed_calls")
		}
		if ps.Support != nil {
			byMonth = append(byMonth, pre+"support/tickets_per_1000_orders")
		}
		for _, it := range ps.Maintenance {
			byMonth = append(byMonth, pre+"maintenance/"+it.ID+"/hours", pre+"maintenance/"+it.ID+"/monthly")
		}
		if ps.Commission != nil && len(ps.Commission.Tiers) == 0 {
			byMonth = append(byMonth, pre+"commission/rate")
		}
	}
	model, err := costmodel.BuildModel(q, costmodel.ModelOptions{ByMonth: byMonth})
	if err != nil {
		return nil, err
	}
	m := &Model{plan: plan.Clone(), planSt: planSt, model: model, base: model.Values(), actuals: a,
		cut: offset(plan, a.CutOff), steps: map[Effect][]override{}}
	m.byMonth = map[int32]bool{}
	for _, addr := range byMonth {
		m.byMonth[m.driver(addr)] = true
	}
	if err := m.derive(); err != nil {
		return nil, err
	}
	if err := m.evaluateStages(); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Model) driver(addr string) int32 {
	i, _ := m.model.Index(addr)
	return int32(i)
}

// figures indexes the records by partnership, category, measure and month.
type figures map[recordKey]decimal.Decimal

func (f figures) get(t int, p, c string, ms Measure) (decimal.Decimal, bool) {
	v, ok := f[recordKey{t, p, c, ms}]
	return v, ok
}

// derive turns the actual figures into orders and driver overrides.
func (m *Model) derive() error {
	fig := figures{}
	for _, r := range m.actuals.Records {
		k := recordKey{offset(m.plan, r.Month), r.Partnership, r.Category, r.Measure}
		fig[k] = fig[k].Add(r.Value)
	}
	var pr costmodel.Problems
	add := func(e Effect, addr string, t int, v decimal.Decimal) {
		m.steps[e] = append(m.steps[e], override{driver: m.driver(addr), t: t, value: v})
	}
	for i := range m.plan.Partnerships {
		ps := &m.plan.Partnerships[i]
		first := len(m.rows)
		for j := range ps.Categories {
			c := &ps.Categories[j]
			m.rows = append(m.rows, rowRef{p: i, c: j, partnership: ps.ID, category: c.ID, channel: ps.Channel, launch: ps.LaunchMonth})
			m.orders = append(m.orders, m.planSt.Partnerships[i].Categories[j].Orders)
			act := make([]decimal.Decimal, m.plan.Months)
			m.ordersD = append(m.ordersD, m.driver(ps.ID+"/"+c.ID+"/orders"))
			for t := ps.LaunchMonth; t <= m.cut; t++ {
				act[t], _ = fig.get(t, ps.ID, c.ID, Orders)
			}
			m.actual = append(m.actual, act)
		}
		for t := ps.LaunchMonth; t <= m.cut; t++ {
			at := func(ms Measure, c string) string {
				if c == "" {
					return fmt.Sprintf("%s/%s in %s", ps.ID, ms, m.plan.Start.Add(t))
				}
				return fmt.Sprintf("%s/%s/%s in %s", ps.ID, c, ms, m.plan.Start.Add(t))
			}
			total := decimal.Zero
			for j := range ps.Categories {
				c := &ps.Categories[j]
				cp := ps.ID + "/" + c.ID + "/"
				n := m.actual[first+j][t]
				total = total.Add(n)
				items := n.Mul(c.UnitsPerOrder)
				rr := c.ReturnRate
				if v, ok := fig.get(t, ps.ID, c.ID, GMV); ok {
					switch {
					case n.IsZero() && v.IsZero():
					case n.IsZero():
						pr.Add(at(GMV, c.ID), v.String(), "no GMV in a month without orders")
					default:
						itemPrice := v.DivRound(n, 24).Sub(c.ShippingCharge).DivRound(c.UnitsPerOrder, 24)
						if itemPrice.Sign() < 0 {
							pr.Add(at(GMV, c.ID), v.String(), fmt.Sprintf("at least the shipping charged on the month's orders (%s)", n.Mul(c.ShippingCharge)))
							break
						}
						if len(c.PriceMix) == 0 {
							add(EffectPrice, cp+"price", t, itemPrice.Round(places))
							break
						}
						avg := decimal.Zero
						for _, pt := range c.PriceMix {
							avg = avg.Add(pt.Share.Mul(pt.Price))
						}
						if avg.IsZero() {
							pr.Add(at(GMV, c.ID), v.String(), "a price mix with a price above 0 to scale")
							break
						}
						k := itemPrice.DivRound(avg, 24)
						for x, pt := range c.PriceMix {
							add(EffectPrice, fmt.Sprintf("%sprice_mix/%d/price", cp, x+1), t, pt.Price.Mul(k).Round(places))
						}
					}
				}
				if v, ok := fig.get(t, ps.ID, c.ID, ReturnedItems); ok && items.Sign() > 0 {
					rr = v.DivRound(items, places)
					add(EffectReturnRate, cp+"return_rate", t, rr)
				}
				if v, ok := fig.get(t, ps.ID, c.ID, COGS); ok {
					kept := items.Sub(items.Mul(rr))
					if kept.Sign() > 0 {
						add(EffectUnitCost, cp+"unit_cost", t, v.DivRound(kept, places))
					} else if v.Sign() > 0 {
						pr.Add(at(COGS, c.ID), v.String(), "no COGS in a month in which no item was kept")
					}
				}
				if v, ok := fig.get(t, ps.ID, c.ID, Fulfilment); ok {
					if items.Sign() > 0 {
						add(EffectUnitCost, cp+"fulfilment_cost", t, v.DivRound(items, places))
					} else if v.Sign() > 0 {
						pr.Add(at(Fulfilment, c.ID), v.String(), "no fulfilment cost in a month without orders (report it as storage)")
					}
				}
				if v, ok := fig.get(t, ps.ID, c.ID, Shipping); ok {
					if n.Sign() > 0 {
						add(EffectUnitCost, cp+"shipping_cost", t, v.DivRound(n, places))
					} else if v.Sign() > 0 {
						pr.Add(at(Shipping, c.ID), v.String(), "no shipping cost in a month without orders")
					}
				}
				if v, ok := fig.get(t, ps.ID, c.ID, Storage); ok {
					add(EffectOneOffs, cp+"storage_monthly", t, v)
				}
			}
			pre := ps.ID + "/"
			need := func(ms Measure, has bool, what string) bool {
				v, ok := fig.get(t, ps.ID, "", ms)
				if ok && !has && v.Sign() > 0 {
					pr.Add(at(ms, ""), v.String(), fmt.Sprintf("no %s: the plan of %s has none (add it to the plan, at 0 if need be)", ms, ps.ID)+what)
					return false
				}
				return ok && has
			}
			if need(DataTransferGB, ps.DataTransfer != nil, "") {
				v, _ := fig.get(t, ps.ID, "", DataTransferGB)
				add(EffectRunningCosts, pre+"data_transfer/gb_per_1000_orders", t, decimal.Zero)
				add(EffectRunningCosts, pre+"data_transfer/fixed_gb", t, v)
			}
			if need(APICalls, ps.API != nil, "") {
				v, _ := fig.get(t, ps.ID, "", APICalls)
				add(EffectRunningCosts, pre+"api/calls_per_order", t, decimal.Zero)
				add(EffectRunningCosts, pre+"api/fixed_calls", t, v)
			}
			if need(SupportTickets, ps.Support != nil, "") {
				v, _ := fig.get(t, ps.ID, "", SupportTickets)
				if total.Sign() > 0 {
					add(EffectRunningCosts, pre+"support/tickets_per_1000_orders", t, v.Mul(decimal.NewFromInt(1000)).DivRound(total, places))
				} else if v.Sign() > 0 {
					pr.Add(at(SupportTickets, ""), v.String(), "no tickets in a month without orders (the model prices tickets per 1000 orders; report their cost as maintenance)")
				}
			}
			if need(Marketing, ps.Marketing != nil, "") {
				v, _ := fig.get(t, ps.ID, "", Marketing)
				add(EffectMarketing, pre+"marketing/rate", t, decimal.Zero)
				add(EffectMarketing, pre+"marketing/monthly", t, v)
			}
			if need(Maintenance, len(ps.Maintenance) > 0, "") {
				v, _ := fig.get(t, ps.ID, "", Maintenance)
				for x, it := range ps.Maintenance {
					add(EffectOneOffs, pre+"maintenance/"+it.ID+"/hours", t, decimal.Zero)
					amt := decimal.Zero
					if x == 0 {
						amt = v
					}
					add(EffectOneOffs, pre+"maintenance/"+it.ID+"/monthly", t, amt)
				}
			}
			if v, ok := fig.get(t, ps.ID, "", CommissionRate); ok {
				if ps.Commission == nil || len(ps.Commission.Tiers) > 0 {
					pr.Add(at(CommissionRate, ""), v.String(), fmt.Sprintf("no commission rate: %s has no flat-rate commission terms", ps.ID))
				} else {
					add(EffectFeeRate, pre+"commission/rate", t, v)
				}
			}
		}
	}
	return pr.Err()
}

// overrides builds the per-month values of stage k: 0 is the plan, 1
// volume, 2 mix, and so on to len(Effects), the actual statement.
// ordersAfter gives the orders of the months after the cut-off (nil: the
// plan's).
func (m *Model) overrides(stage int, ordersAfter [][]decimal.Decimal) graph.Overrides {
	over := graph.Overrides{}
	for r, ref := range m.rows {
		d := m.ordersD[r]
		// The partnership's order totals, for the volume step.
		for t := ref.launch; t < m.plan.Months; t++ {
			v := m.orders[r][t]
			switch {
			case t > m.cut:
				if ordersAfter != nil {
					v = ordersAfter[r][t]
				}
			case stage >= 2:
				v = m.actual[r][t]
			case stage == 1:
				planTotal, actTotal := m.partnershipOrders(ref.p, t)
				if planTotal.IsZero() {
					v = m.actual[r][t]
				} else {
					v = v.Mul(actTotal).DivRound(planTotal, 24)
				}
			}
			over[graph.DriverMonth{Driver: d, Month: int32(t)}] = v
		}
	}
	for k := 2; k < stage; k++ {
		for _, o := range m.steps[Effects[k]] {
			over[graph.DriverMonth{Driver: o.driver, Month: int32(o.t)}] = o.value
		}
	}
	return over
}

// partnershipOrders is the plan and actual orders of partnership p in
// month t, over its categories.
func (m *Model) partnershipOrders(p, t int) (plan, actual decimal.Decimal) {
	for r, ref := range m.rows {
		if ref.p == p {
			plan = plan.Add(m.orders[r][t])
			actual = actual.Add(m.actual[r][t])
		}
	}
	return plan, actual
}

func (m *Model) evaluate(over graph.Overrides) (*costmodel.Statement, error) {
	return m.model.Evaluate(m.base, over)
}

func (m *Model) evaluateStages() error {
	for k := 0; k <= len(Effects); k++ {
		st, err := m.evaluate(m.overrides(k, nil))
		if err != nil {
			return err
		}
		m.stages = append(m.stages, st)
	}
	return nil
}

// Plan is the plan's statement (costmodel.Evaluate of the plan).
func (m *Model) Plan() *costmodel.Statement {
	if m == nil {
		return nil
	}
	return m.planSt
}

// Actual is the actual statement: the actual months computed from the
// actual figures with the partnership's terms, the months after the
// cut-off as planned.
func (m *Model) Actual() *costmodel.Statement {
	if m == nil || len(m.stages) == 0 {
		return nil
	}
	return m.stages[len(m.stages)-1]
}

// CutOff is the last actual month.
func (m *Model) CutOff() costmodel.Month {
	if m == nil || m.actuals == nil {
		return costmodel.Month{}
	}
	return m.actuals.CutOff
}

// ActualMonths is the number of actual months (the offset of the cut-off
// plus one).
func (m *Model) ActualMonths() int {
	if m == nil {
		return 0
	}
	return m.cut + 1
}

// Figure returns an actual figure as reported (summed over categories
// when category is "*" for a category measure), and whether any was.
func (m *Model) Figure(month costmodel.Month, partnership, category string, ms Measure) (decimal.Decimal, bool) {
	if m == nil || m.actuals == nil {
		return decimal.Zero, false
	}
	s, found := decimal.Zero, false
	for _, r := range m.actuals.Records {
		if r.Month == month && r.Partnership == partnership && r.Measure == ms && (r.Category == category || category == "*") {
			s, found = s.Add(r.Value), true
		}
	}
	return s, found
}

func (m *Model) isByMonth(d int32) bool { return m.byMonth[d] }

func keyOf(d int32, t int) graph.DriverMonth { return graph.DriverMonth{Driver: d, Month: int32(t)} }

// Records returns the actual figures as read, in a new slice.
func (m *Model) Records() []Record {
	if m == nil || m.actuals == nil {
		return nil
	}
	return append([]Record(nil), m.actuals.Records...)
}
