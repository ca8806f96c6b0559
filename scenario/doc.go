// Package scenario stresses a portfolio and asks it questions: shocks to
// drivers by address composed into named scenarios, ready-made scenarios
// (peak season, a competitor's price move, a partner outage, a fee change,
// a cost shock), comparisons against the base case, guardrails, tornado,
// spider and two-way sensitivity, goal seek, and the two-sided fair-share
// analysis a revenue-share renegotiation needs. PeakStress reads the
// operational readiness of a stress against the partnerships' capacities
// (readiness.go); CompetitiveResponse writes a competitor's price cut as
// a month-by-month path with our response, hold price, match or match
// part (competitive.go).
//
// Everything here works through costmodel's driver addresses and exact
// statements: applying a scenario returns a new portfolio and never
// modifies its input, and every number reported is read from a
// costmodel.Statement.
//
// Undefined values (a ratio over zero net sales, a payback never reached)
// are [Value]s with Valid false, never 0: comparisons leave their deltas
// undefined, a tornado bar undefined at either end is marked Undefined,
// and a guardrail on an undefined value is a [Breach] marked Undefined.
//
// Nil or zero-value arguments are errors, never panics, and a panic in
// an evaluation on a worker goroutine is returned as a [*PanicError].
//
// Functions that evaluate many portfolios (Compare, tornados, tables) run
// the evaluations on all cores; their results do not depend on the number
// of cores. All functions are safe for concurrent use on distinct inputs.
package scenario
