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
// A deal's arithmetic (tranches, credits, exit losses) is written once,
// generic over the number type: the plan is evaluated in exact decimals
// (money to the cent, NPV by costmodel.NPV) and each trial in float64
// (the simulation's numbers), and the tests hold the two to each other.
// The deal's lines are not statement lines: they depend on events
// (a milestone missed, an outage drawn, a partner failing) that the
// monthly statement, a plan, does not have; the statement supplies the
// measures they are decided on (costmodel.Output over a Window).
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
