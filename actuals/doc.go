// Package actuals takes in what happened and holds it against the plan:
// actuals loaded from CSV or JSON (load.go), the actual statement
// computed from actual volumes with each partnership's terms through the
// portfolio's own model graph (model.go), plan against actual for every
// line and any output, the billing check (compare.go), a variance bridge
// of contribution that foots to the cent (bridge.go), the health of the
// agreed metrics (health.go) and the re-forecast of the horizon
// (reforecast.go). docs/health.md walks through a review.
//
// # The variance bridge
//
// The bridge explains Actual − Plan of an amount (contribution by
// default) for any scope and window by sequential substitution: the
// model is evaluated with its drivers switched from plan to actual one
// group at a time, in a fixed order, and each effect is the change the
// group's switch makes with every earlier group already actual. The
// effects telescope, so they sum to the total variance exactly, to the
// cent, because every stage is a full statement whose lines are rounded
// once and summed as the statement always is. The order is
//
//  1. volume: each category's planned orders scaled by its partnership's
//     actual ÷ planned order total of the month;
//  2. mix: each category's own actual orders;
//  3. price: the average order value (from actual GMV);
//  4. return rate;
//  5. commission and fee rate (a changed flat commission rate);
//  6. unit cost: COGS per item, fulfilment per item, shipping per order;
//  7. running costs: data transfer, API calls, support tickets;
//  8. marketing;
//  9. one-offs: storage and maintenance charges.
//
// Steps 1 and 2 are the textbook sales-volume and sales-mix variances
// (Horngren, Cost Accounting, "sales-volume variance = sales-quantity
// variance + sales-mix variance"): with plan contribution per order c_i,
// plan mix s_i, actual mix a_i, and total orders Q (plan) and Q′ (actual),
//
//	volume = (Q′ − Q) × Σ s_i c_i
//	mix    = Q′ × Σ (a_i − s_i) c_i
//
// for one partnership in one month, when the contribution per order does
// not depend on volume. Volume is scaled partnership by partnership and
// month by month, so mix is the mix of categories within a partnership:
// a shift of orders from one partnership or month to another is volume
// (each scaled by its own ratio), not mix. Where contribution per order
// depends on volume (tiered fees, allowances, fixed costs) the model's
// own arithmetic at each stage decides, and the effects still foot. Step 3 is the price
// variance at actual volume and mix, (P′ − P) × Q′ net of the fees that
// follow the price; the later steps are the rate and spending variances
// of their drivers at actual volume, mix and price. Because the effects
// of a sequential substitution depend on its order, the order is part
// of the definition: volume before price, as the textbook price-volume-
// mix analysis puts it, so the price variance is measured at actual
// volume.
//
// A Model is immutable and safe for concurrent use once built.
package actuals
