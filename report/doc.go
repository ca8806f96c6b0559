// Package report writes the finance workbook and the CSV exports, and reads an
// edited Assumptions sheet back into a portfolio.
//
// [Write] turns a portfolio (and, when given, the scenario package's
// comparisons, sensitivities and renegotiation) into an .xlsx workbook that
// is itself a working model: every driver is an input cell on the
// Assumptions sheet, named after its driver address
// (amazon-us/beauty/return_rate is the defined name
// amazon_us.beauty.return_rate), and every derived figure of the Statement —
// orders, GMV, refunds, commission with its tiers, minimums, caps and
// refunds, payment fees, running costs with their volume bands, margin
// levels, totals, NPV and payback — is a formula over those names. Each
// formula carries Marginal's exact amount as its cached value, so viewers
// that do not calculate show the statement, and Excel or LibreOffice
// recalculating it get the same cents (the tests hold every formula to
// within half a cent, in LibreOffice and in excelize's own engine).
//
// The Statement sheet has one row per partnership × category × month, one
// per partnership × month for the partnership-level lines, a monthly total
// and a total over the horizon per partnership, and the same for the
// portfolio; columns are the month's inputs, the expected orders, one
// column per [costmodel.Line] and a few helper columns (cumulative cash
// flow, NPV, payback, volume-tier rates, data-transfer and API volumes).
// Per-item and per-order fees, which do not vary by month, are on the Unit
// economics sheet, per price point and at each category's price mix.
//
// [ReadAssumptions] reads the edited Assumptions sheet back onto the
// portfolio the workbook was written for, checking every value.
// [WriteStatementCSV] exports a statement in long form, safe against CSV
// injection.
//
// Writing is deterministic: the same options give the same bytes. Write is
// safe for concurrent use; it does not modify its inputs.
package report
