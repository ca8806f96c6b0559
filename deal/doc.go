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
//   - service.go: service credits by downtime band, response-time
//     penalties, downtime drawn as Poisson incidents of lognormal length,
//     with and without a contingency plan on common random numbers;
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
// The deal's lines are not statement lines. Two kinds are mixed here,
// and only one of them has to be:
//
//   - path decisions (a milestone's stop, delay or reduce; the partner's
//     failure month) change every later month on a decision read from the
//     trial's own figures, which a graph evaluated at one set of drivers
//     cannot branch on; and the payout cycle's settlements are dated in
//     days over the statement's months;
//   - a month's service credit, response-time penalties, lost GMV (net
//     of the recovery fraction and the fallback), the contribution lost
//     with it and the fallback path's cost are functions of that month's
//     downtime hours and the statement's GMV and contribution. They are
//     written once, as an expression graph of the model's own package
//     (internal/graph; servicegraph.go) whose drivers are each month's
//     downtime, long incidents, GMV and contribution: the plan evaluates
//     it with the exact decimal back end, the trials with its float64
//     tape, so the two agree by construction. The graph is the deal's,
//     not the portfolio's: its lines are not statement lines yet (the
//     statement's contribution does not fall with lost GMV; the deal adds
//     the service impact to the cash beside it), and the downtime is not
//     a portfolio driver a scenario can shock (docs/deal-structure.md,
//     Limitations).
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
