// Package costmodel is the exact model of a portfolio of marketplace
// partnerships: what each one costs, what it earns, and the contribution
// margin it leaves, month by month, in decimal money.
//
// The statement's arithmetic is written once, as an expression graph
// (Model, built by graph.go from the formulas in graphlines.go): Evaluate
// evaluates it exactly, and the simulation and the workbook walk the same
// graph. A new cost line is a Line in statement.go and one builder
// method in graphlines.go.
//
// The figures read from a statement are named here too (outputs.go): an
// Output is a Metric of a Scope (the portfolio, a partnership, a channel,
// a category, a category within a channel) over a Window of months (the
// horizon, a year, a quarter, a month, a rolling span, a range, named
// calendar months such as Peak). Output.Of reads it exactly; scenario
// and montecarlo use the same type, so an output means the same figure
// in a comparison, a guardrail and a simulation. An amount metric reads
// the line of its name, marked Metric (and Ratio) in the line table.
//
// Capacities (capacity.go) are what a partnership's operations take in a
// month and what going over costs: fulfilment overflow, extra support
// agents in whole steps or overtime, an API rate limit that loses orders
// or buys a premium tier, a data-transfer commitment; each a line of the
// graph. Allocation rules (allocation.go) share the partnership-level
// lines out to categories in a second view of the statement
// (Statement.Allocated, Output.View), footing to the cent. See
// docs/allocation-and-capacity.md.
//
// # Both sides of a partnership
//
// Beside the waterfall, the lines of LevelSides (sides.go, graphsides.go)
// value the partnership for each side of a revenue share, for fairness
// analyses (scenario's Bargain, Fairness, Coalition): the partner's cost to
// serve our orders and its fixed cost (PartnerSide), a simple uptime
// credit the partner owes when its expected uptime is below its
// commitment (UptimeCredit), and each side's value of the customers the
// partnership acquires (CustomerValue). The metrics partner_contribution,
// our_value and partner_value read them. None of them changes our
// contribution, cash flow or NPV.
//
// The value of customers acquired follows the usual customer-lifetime
// arithmetic, booked in the month the customers arrive: the month's orders
// × new customers per order × margin per repeat order × repeat orders per
// retained customer per month × Σ over the retention curve of the share
// still buying k months on, discounted k months at the portfolio's monthly
// rate (each factor 1/(1 + r_m)^k rounded to 12 places). It is value
// beyond the horizon's cash, so it enters each side's value for a
// fairness analysis and not the statement's contribution; leave it out
// (nil) unless both sides accept the retention curve behind it.
package costmodel
