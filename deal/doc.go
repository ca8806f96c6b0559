// Package deal evaluates the structure of a partnership deal on top of
// its statement: milestone-based funding in tranches, service commitments
// and outages, the partner's exit and the contract's renewal, and the
// timing of cash through a marketplace's payout cycle.
//
// Where things are:
//
//   - terms.go: [Terms], the deal's terms, read from JSON by [Load] and
//     checked by [Terms.Validate] (every problem at once, each with its
//     JSON path);
//   - funding.go: tranches released when milestones are met, on the plan
//     ([Evaluate]) and per simulated trial ([EvaluateTrials]), against
//     committing everything up front (the value of the option to stop);
//   - service.go: the service figures, read from the statement's outage
//     lines of a partnership with outage terms (costmodel.Outage): credits
//     by uptime band, response-time penalties, lost GMV and contribution,
//     the fallback path's cost, and the contingency's gain on the same
//     downtime (so with and without a contingency share the draws);
//   - exit.go: a partner failing at a month or with a monthly hazard, the
//     contract's term and its renewal;
//   - payout.go: the payout cycle that makes cash lag the statement, and
//     the dated cash flows XNPV and XIRR (package finance) value.
//
// # One evaluation, two number types
//
// A deal's path arithmetic (tranches, exit losses) is written once,
// generic over the number type: the plan is evaluated in exact decimals
// (money to the cent, NPV by costmodel.NPV) and each trial in float64
// (the simulation's numbers), and the tests hold the two to each other.
// The deal writes no model line of its own:
//
//   - a month's service credit, response-time penalties, lost GMV (net of
//     the recovery fraction and the fallback), the contribution lost with
//     it, the fallback path's cost and the contingency's gain are the
//     statement's outage lines, written once in the one-model graph
//     (costmodel's graphoutage.go) and evaluated by its exact, float-tape
//     and Excel back ends; the plan reads them from the statement, a trial
//     from the simulation's outputs (Outputs lists them), the workbook
//     shows them as live formulas;
//   - what the deal adds are path decisions (a milestone's stop, delay or
//     reduce; the partner's failure month), which change every later
//     month on a decision read from the trial's own figures — a graph
//     evaluated at one set of drivers cannot branch on them — and the
//     payout cycle's settlements, dated in days and applied to the deal's
//     earnings after those decisions (cut at a failure: the lost
//     receivables), so they are not statement lines either
//     (docs/deal-structure.md, Limitations).
//
// The statement supplies the measures decisions are taken on
// (costmodel.Output over a Window, orders among them).
//
// # Conventions
//
// Months are indices from the statement's start, 0-based in Go and
// written as calendar months ("2027-03") in JSON. A tranche released in a
// month is paid at that month's start for dated flows and counts in that
// month for monthly NPV (costmodel's convention: the first month
// discounted once). Amounts are positive; the sign of a flow is given by
// what it is (a tranche is paid, a credit earned is received).
package deal
