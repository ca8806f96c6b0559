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
package costmodel
