package costmodel

import (
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// Capacity is what a partnership's operations can take in a month, and
// what going over costs. Each part is optional; a partnership without a
// Capacity has unlimited capacity at its planned costs. The costs are
// lines of the statement, written once in the model graph (capacityMonth
// below), so the exact statement, the simulation and the workbook all
// have them; scenario.PeakStress compares a portfolio with and without
// its capacities ("operational readiness"). See
// docs/allocation-and-capacity.md.
type Capacity struct {
	// Fulfilment is the fulfilment provider's units per month.
	Fulfilment *FulfilmentCapacity `json:"fulfilment,omitempty"`
	// Support is the support staff's tickets per month.
	Support *SupportCapacity `json:"support,omitempty"`
	// API is the partner API's rate limit.
	API *APILimit `json:"api,omitempty"`
	// DataTransfer is a take-or-pay data-transfer commitment.
	DataTransfer *DataTransferCommitment `json:"data_transfer,omitempty"`
}

// FulfilmentCapacity is the units (items shipped, every category of the
// partnership) the fulfilment provider takes per month; units above it go
// to a dearer provider at OverflowPremium per unit on top of the planned
// fulfilment cost:
//
//	fulfilment overflow = max(units − UnitsPerMonth, 0) × OverflowPremium
//
// Both are required and ≥ 0; a capacity of 0 with no premium is an error
// (every unit would overflow at no cost: not a capacity).
// Driver addresses: <id>/capacity/fulfilment/units_per_month and
// …/overflow_premium.
type FulfilmentCapacity struct {
	UnitsPerMonth   decimal.Decimal `json:"units_per_month" required:"true"`
	OverflowPremium decimal.Decimal `json:"overflow_premium" required:"true"`
}

// SupportMode says how support over staff capacity is bought.
type SupportMode string

const (
	// Hire adds whole agents for the months they are needed: in month t
	//
	//	extra(t) = ⌈max(tickets(t) / TicketsPerAgent − Agents, 0)⌉
	//	hires(t) = max(extra(t) − extra(t−1), 0)       (extra before launch = 0)
	//	cost(t)  = hires(t) × HireCost + extra(t) × AgentMonthly
	//
	// Extra agents are seasonal: they leave in the first month they are
	// not needed, and a later need hires again.
	Hire SupportMode = "hire"
	// Overtime pays OvertimePerTicket for every ticket over the staff's
	// capacity: max(tickets − Agents × TicketsPerAgent, 0) × OvertimePerTicket.
	Overtime SupportMode = "overtime"
)

// SupportCapacity is the support staff's capacity in tickets per month,
// Agents × TicketsPerAgent, against the tickets of the partnership's
// Support (orders / 1000 × TicketsPer1000Orders), which it requires. The
// staff's own cost stays in Support.StaffMonthly. Agents, TicketsPerAgent
// and Mode are required; HireCost and AgentMonthly belong to "hire"
// (optional, default 0, but not both 0), OvertimePerTicket to "overtime"
// (required).
type SupportCapacity struct {
	Agents            decimal.Decimal `json:"agents" required:"true"`
	TicketsPerAgent   decimal.Decimal `json:"tickets_per_agent" required:"true"`
	Mode              SupportMode     `json:"mode" required:"true"`
	HireCost          decimal.Decimal `json:"hire_cost,omitzero"`
	AgentMonthly      decimal.Decimal `json:"agent_monthly,omitzero"`
	OvertimePerTicket decimal.Decimal `json:"overtime_per_ticket,omitzero"`
}

// APIMode says what happens to orders over an API rate limit.
type APIMode string

const (
	// Throttle loses the orders over the limit: every category's orders
	// of the month are scaled by min(1, OrdersPerMonth / orders), so the
	// lost orders take their GMV and margin with them.
	Throttle APIMode = "throttle"
	// Premium keeps every order and pays PremiumMonthly, the premium tier's
	// fee, in each month whose orders exceed the limit.
	Premium APIMode = "premium"
)

// APILimit is the partnership API's rate limit, written as the orders per
// month it lets through (the calls the limit allows ÷ calls per order).
// OrdersPerMonth and Mode are required; PremiumMonthly is required with
// "premium". A limit of 0 is an error in either mode (it would lose every
// order, or buy the premium tier every month: say that instead).
type APILimit struct {
	OrdersPerMonth decimal.Decimal `json:"orders_per_month" required:"true"`
	Mode           APIMode         `json:"mode" required:"true"`
	PremiumMonthly decimal.Decimal `json:"premium_monthly,omitzero"`
}

// DataTransferCommitment replaces the pricing of the partnership's
// DataTransfer (which it requires) by a take-or-pay commitment: Monthly
// is paid every month from launch whether the committed volume is used or
// not (on the Data transfer line), and the GB above CommittedGB are billed
// at OverageRate per GB (the Data transfer overage line). All three are
// required; a commitment of 0 GB with no overage rate is an error.
type DataTransferCommitment struct {
	CommittedGB decimal.Decimal `json:"committed_gb" required:"true"`
	Monthly     decimal.Decimal `json:"monthly" required:"true"`
	OverageRate decimal.Decimal `json:"overage_rate" required:"true"`
}

func (c *Capacity) clone() *Capacity {
	if c == nil {
		return nil
	}
	q := *c
	if c.Fulfilment != nil {
		f := *c.Fulfilment
		q.Fulfilment = &f
	}
	if c.Support != nil {
		s := *c.Support
		q.Support = &s
	}
	if c.API != nil {
		a := *c.API
		q.API = &a
	}
	if c.DataTransfer != nil {
		d := *c.DataTransfer
		q.DataTransfer = &d
	}
	return &q
}

// capacity lists the drivers of a partnership's capacity.
func (w *walker) capacity(pre string, c *Capacity) {
	if c == nil {
		return
	}
	q := pre + "capacity/"
	if f := c.Fulfilment; f != nil {
		w.add(q+"fulfilment/units_per_month", "units/month", kNonNeg, &f.UnitsPerMonth)
		w.add(q+"fulfilment/overflow_premium", "CUR/unit", kNonNeg, &f.OverflowPremium)
	}
	if s := c.Support; s != nil {
		w.add(q+"support/agents", "agents", kNonNeg, &s.Agents)
		w.add(q+"support/tickets_per_agent", "tickets/agent/month", kPositive, &s.TicketsPerAgent)
		if s.Mode == Overtime {
			w.add(q+"support/overtime_per_ticket", "CUR/ticket", kNonNeg, &s.OvertimePerTicket)
		} else {
			w.add(q+"support/hire_cost", "CUR/agent hired", kNonNeg, &s.HireCost)
			w.add(q+"support/agent_monthly", "CUR/agent/month", kNonNeg, &s.AgentMonthly)
		}
	}
	if a := c.API; a != nil {
		w.add(q+"api/orders_per_month", "orders/month", kNonNeg, &a.OrdersPerMonth)
		if a.Mode == Premium {
			w.add(q+"api/premium_monthly", "CUR/month", kNonNeg, &a.PremiumMonthly)
		}
	}
	if d := c.DataTransfer; d != nil {
		w.add(q+"data_transfer/committed_gb", "GB/month", kNonNeg, &d.CommittedGB)
		w.add(q+"data_transfer/monthly", "CUR/month", kNonNeg, &d.Monthly)
		w.add(q+"data_transfer/overage_rate", "CUR/GB", kNonNeg, &d.OverageRate)
	}
}

// validateCapacity reports the structural problems of a capacity: modes,
// the parts it needs, and capacities of 0 that cost nothing to exceed.
// Negative values are reported by their drivers.
func validateCapacity(pr *Problems, ps *Partnership, at string) {
	c := ps.Capacity
	if c == nil {
		return
	}
	at += ".capacity"
	if c.Fulfilment == nil && c.Support == nil && c.API == nil && c.DataTransfer == nil {
		pr.Add(at, "{}", "at least one of fulfilment, support, api, data_transfer (or no capacity)")
	}
	if f := c.Fulfilment; f != nil && f.UnitsPerMonth.IsZero() && f.OverflowPremium.IsZero() {
		pr.Add(at+".fulfilment.overflow_premium", "0", "a premium per overflow unit > 0 with a capacity of 0 units (every unit overflows)")
	}
	if s := c.Support; s != nil {
		q := at + ".support"
		if ps.Support == nil || ps.Support.TicketsPer1000Orders.IsZero() {
			pr.Add(q, "", "a partnership support block with tickets_per_1000_orders: the staff's capacity is measured against those tickets")
		}
		switch s.Mode {
		case Hire:
			if !s.OvertimePerTicket.IsZero() {
				pr.Add(q+".overtime_per_ticket", s.OvertimePerTicket.String(), `no overtime rate with mode "hire" (hire_cost and agent_monthly)`)
			}
			if s.Agents.IsZero() && s.HireCost.IsZero() && s.AgentMonthly.IsZero() {
				pr.Add(q+".agent_monthly", "0", "a hire_cost or agent_monthly > 0 with 0 agents (every ticket needs an extra agent)")
			}
		case Overtime:
			if !s.HireCost.IsZero() || !s.AgentMonthly.IsZero() {
				pr.Add(q+".mode", quote(string(s.Mode)), `"hire" to pay hire_cost and agent_monthly (overtime pays overtime_per_ticket)`)
			}
			if s.Agents.IsZero() && s.OvertimePerTicket.IsZero() {
				pr.Add(q+".overtime_per_ticket", "0", "an overtime rate > 0 with 0 agents (every ticket is overtime)")
			}
		default:
			pr.Add(q+".mode", quote(string(s.Mode)), `"hire" (extra agents in whole steps) or "overtime" (a rate per ticket over capacity)`)
		}
	}
	if a := c.API; a != nil {
		q := at + ".api"
		switch a.Mode {
		case Throttle:
			if !a.PremiumMonthly.IsZero() {
				pr.Add(q+".premium_monthly", a.PremiumMonthly.String(), `no premium fee with mode "throttle" (orders over the limit are lost)`)
			}
		case Premium:
			if a.PremiumMonthly.IsZero() {
				pr.Add(q+".premium_monthly", "0", `the premium tier's monthly fee > 0 with mode "premium"`)
			}
		default:
			pr.Add(q+".mode", quote(string(a.Mode)), `"throttle" (orders over the limit are lost) or "premium" (a premium tier fee in months over it)`)
		}
		if a.OrdersPerMonth.IsZero() {
			pr.Add(q+".orders_per_month", "0", "a rate limit > 0 orders per month (a limit of 0 sells nothing)")
		}
	}
	if d := c.DataTransfer; d != nil {
		q := at + ".data_transfer"
		if ps.DataTransfer == nil {
			pr.Add(q, "", "a partnership data_transfer block: the commitment is measured against its GB")
		}
		if d.CommittedGB.IsZero() && d.OverageRate.IsZero() {
			pr.Add(q+".overage_rate", "0", "an overage rate > 0 with a commitment of 0 GB (every GB is overage)")
		}
	}
}

// throttle scales every category's orders of each month by min(1, limit
// / orders) under an API limit in "throttle" mode, in place.
func (b *modelBuilder) throttle(ps *Partnership, orders [][]graph.ID) {
	c := ps.Capacity
	if c == nil || c.API == nil || c.API.Mode != Throttle || len(orders) == 0 {
		return
	}
	col := make([]graph.ID, len(orders))
	for t := ps.LaunchMonth; t < b.months; t++ {
		for j := range orders {
			col[j] = orders[j][t]
		}
		n := b.Sum(col, nil)
		b.Label(n, "Orders of the month before the API rate limit")
		limit := b.at(&c.API.OrdersPerMonth, t)
		f := b.IfLE(n, limit, b.One(), b.Div(limit, n, ratePrecision))
		b.Label(f, "Share of the month's orders the API rate limit lets through")
		for j := range orders {
			orders[j][t] = b.Mul(orders[j][t], f)
		}
	}
}

// capacityState carries what a month's capacity lines need from the
// month before (the extra agents on staff).
type capacityState struct {
	extra graph.ID
	set   bool
}

// capacityMonth writes the capacity lines of month t: n orders and units
// items over every category, gb the month's data transfer (or -1).
func (b *modelBuilder) capacityMonth(a *[NumLines]graph.ID, ps *Partnership, st *capacityState, n, units, gb graph.ID, t int) {
	c := ps.Capacity
	if c == nil {
		return
	}
	if f := c.Fulfilment; f != nil {
		over := b.Max(b.Sub(units, b.at(&f.UnitsPerMonth, t)), b.Zero())
		b.Label(over, "Units over the fulfilment capacity")
		a[LineFulfilmentOverflow] = b.money(b.Mul(over, b.at(&f.OverflowPremium, t)))
	}
	if s := c.Support; s != nil && ps.Support != nil {
		tickets := b.Div(b.Mul(n, b.at(&ps.Support.TicketsPer1000Orders, t)), b.thousand, ratePrecision)
		b.Label(tickets, "Support tickets of the month")
		perAgent := b.at(&s.TicketsPerAgent, t)
		agents := b.at(&s.Agents, t)
		if s.Mode == Overtime {
			over := b.Max(b.Sub(tickets, b.Mul(agents, perAgent)), b.Zero())
			b.Label(over, "Tickets over the staff's capacity")
			a[LineSupportOverflow] = b.money(b.Mul(over, b.at(&s.OvertimePerTicket, t)))
		} else {
			need := b.Div(tickets, perAgent, maxDecimals)
			b.Label(need, "Agents the month's tickets need")
			extra := b.Ceil(b.Max(b.Sub(need, agents), b.Zero()))
			b.Label(extra, "Extra agents of the month (whole agents)")
			hires := extra
			if st.set {
				hires = b.Max(b.Sub(extra, st.extra), b.Zero())
			}
			b.Label(hires, "Agents hired in the month")
			st.extra, st.set = extra, true
			a[LineSupportOverflow] = b.money(b.Add(b.Mul(hires, b.at(&s.HireCost, t)), b.Mul(extra, b.at(&s.AgentMonthly, t))))
		}
	}
	if p := c.API; p != nil && p.Mode == Premium {
		a[LineAPIPremium] = b.IfLE(n, b.at(&p.OrdersPerMonth, t), b.Zero(), b.money(b.at(&p.PremiumMonthly, t)))
	}
	if d := c.DataTransfer; d != nil && gb >= 0 {
		over := b.Max(b.Sub(gb, b.at(&d.CommittedGB, t)), b.Zero())
		b.Label(over, "GB over the data-transfer commitment")
		a[LineDataTransferOverage] = b.money(b.Mul(over, b.at(&d.OverageRate, t)))
	}
}

// committed reports whether ps's data transfer is under a commitment
// (whose monthly fee then replaces the volume pricing).
func committed(ps *Partnership) bool { return ps.Capacity != nil && ps.Capacity.DataTransfer != nil }
