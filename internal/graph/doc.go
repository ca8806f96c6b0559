// Package graph is the statement's arithmetic written once, as a typed
// expression graph, with back ends that walk it: the exact decimal
// evaluator here (behind costmodel.Evaluate), the float64 [Tape] behind
// simulation (tape.go: Compile keeps only what the uncertain drivers
// reach and the outputs read), and the Excel printer of the workbook's
// formulas ([ExcelPrinter], excel.go, behind report.Write).
//
// # The graph
//
// A [Graph] is a flat slice of [Node]s in topological order: every
// operand of a node has a smaller [ID] than the node, so one pass from the
// first node to the last evaluates everything. A node has a [Kind], its
// operands (read them with [Graph.Args]) and, by kind, a number of
// decimal places, a driver index and month, or a constant. The kinds are
// the few operations the statement needs, each with the exact decimal
// meaning costmodel has always used:
//
//   - [Const] and [Input]: a number, or a driver's value (in one month, for
//     a driver that varies by month);
//   - [Add], [Sub], [Mul], [Neg], [Sum]: exact;
//   - [Div]: DivRound to the node's places, half away from zero;
//   - [Round]: to the node's places, half away from zero (Excel's ROUND);
//   - [Min], [Max], [IfLE]: the fee rules (minimums, caps, thresholds,
//     tier schedules, marginal bands, guarantees);
//   - [Root12]: the twelfth root behind monthly growth, to the node's places;
//   - [Ceil]: the next whole number up (agents hired in whole steps).
//
// Structure is decided when the graph is built, not when it is evaluated:
// months before a launch, absent fee blocks, the number of tiers, which
// months an adjustment covers. What may move between evaluations (a
// driver's value, in any month) is an [Input]; everything else is a node.
//
// # Where a new cost line goes
//
// The graph knows nothing about partnerships or lines: costmodel builds it
// (costmodel/graph.go assembles rows, subtotals and roll-ups;
// costmodel/graphlines.go holds the formulas, one builder method per kind
// of line) and keeps the table that says which node holds each line of
// each row and month (costmodel.Model.Line). To add a cost line, add the
// Line in costmodel/statement.go (with its place in the subtotals'
// Terms) and write its formula once in costmodel/graphlines.go with the
// [Builder]'s methods, reading drivers through the builder's at (which
// applies month-limited adjustments). Every back end (the exact
// statement, the simulation tape, the workbook's formulas) then has it.
//
// # Why this shape
//
// Nodes sit in one slice and their operands in another, so a graph of a
// large portfolio (hundreds of thousands of nodes) is two allocations and
// a back end is a loop over an array with a switch, which a tape compiler
// can also translate one node at a time. A [Builder] folds operations on
// constants and drops zero terms, so rows without a fee block cost no
// nodes; it does not deduplicate (the costmodel builder computes what is
// shared across months once and reuses the node).
//
// Tier schedules are not kinds of their own: [Builder.AllUnits] and
// [Builder.Marginal] write them with IfLE, Min, Max and Mul, so a back end
// that knows the primitive kinds knows them too, and a workbook formula of
// a marginal band reads as one.
//
// # The exact evaluator
//
// [Graph.Eval] computes every node in decimal, in order. Exact addition
// and multiplication do not depend on grouping, so the builder is free to
// factor (orders × GMV per order rather than a sum over price points) and
// the digits do not change; Div, Round and Root12 are the only operations
// that round, and they round exactly as costmodel always has. The
// evaluator adds money amounts as int64 coefficients and rounds by short
// divisions (a property test holds both to shopspring/decimal's).
//
// A Graph is immutable once built and safe for concurrent evaluation.
package graph
