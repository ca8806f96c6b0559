// Package report writes the finance workbook and the CSV exports, and reads an
// edited Assumptions sheet back into a portfolio.
//
// [Write] turns a portfolio (and, when given, the scenario package's
// comparisons, sensitivities and renegotiation) into an .xlsx workbook that
// is itself a working model: every driver is an input cell on the
// Assumptions sheet, named after its driver address
// (amazon-us/beauty/return_rate is the defined name
// amazon..us.beauty.return_rate: see Defined names below), and every
// derived figure of the Statement —
// orders, GMV, refunds, commission with its tiers, minimums, caps and
// refunds, payment fees, running costs with their volume bands, margin
// levels, totals, NPV and payback — is a formula over those names. The
// formulas are printed from the portfolio's model (costmodel.Model, the
// expression graph the exact statement is evaluated from, through
// internal/graph's Excel printer), so this package holds no arithmetic of
// the model's own and a new cost line reaches the workbook with no change
// here. Month-limited adjustments are inputs too (adjustments/1/value, …,
// at the end of the Assumptions): the formulas of the months each covers
// read it, so no figure of the Statement is a constant. Each formula
// carries Marginal's exact amount as its cached value, so viewers that do
// not calculate show the statement, and Excel or LibreOffice recalculating
// it get the same cents (the tests hold every formula to within half a
// cent in LibreOffice, on the testdata, generated portfolios and a
// portfolio with adjustments).
//
// The Statement sheet has one row per partnership × category × month, one
// per partnership × month for the partnership-level lines, a monthly total
// and a total over the horizon per partnership, and the same for the
// portfolio; columns are the month's inputs, the expected orders, one
// column per [costmodel.Line] and a few helper columns (cumulative cash
// flow, NPV, payback). The figures several lines share — a category's GMV
// and commission per order, its fee per item at each price point, the
// growth factors, a month's tier volume and effective rate, data-transfer
// and API volumes — are on the Unit economics sheet, one labelled row
// each, beside the partnership, category and months that use them. The
// Annual P&L ([SheetAnnualPL]) sums the Statement's monthly total rows by
// calendar year, live, for the portfolio, each channel and each
// partnership.
//
// [ReadAssumptions] reads the edited Assumptions sheet back onto the
// portfolio the workbook was written for, adjustments' values included,
// checking every value.
// [WriteStatementCSV] exports a statement in long form, safe against CSV
// injection.
//
// # Defined names
//
// Each driver's value cell is a workbook-wide defined name spelt from its
// driver address, so that a formula reads like the model:
//
//   - "/" between segments becomes "." ;
//   - "-" becomes ".." (Excel allows neither "-" nor "/" in a name);
//   - letters, digits and "_" stay as they are;
//   - a "_" is put in front when the name would start with a digit or
//     like a cell reference: 1688-cn/toys/orders is _1688..cn.toys.orders,
//     ab12/orders is _ab12.orders.
//
// So amazon-us/beauty/return_rate is amazon..us.beauty.return_rate and
// amazon_us/beauty/return_rate is amazon_us.beauty.return_rate: every
// address of a valid portfolio has its own name, and the address can be
// read back from the name. A name
// that would pass Excel's 255 characters, which only IDs with long runs
// of hyphens give, becomes "__" and 32 hex digits of the address's
// SHA-256; the Name Manager shows the address as the comment of every
// name.
//
// # Files
//
// [WriteFile] writes whole or not at all: to a temporary file beside the
// target, synced, then renamed over it, so a full disk or any other
// failure leaves an existing file byte-for-byte intact. A new file gets
// the usual mode (0666 less the umask), a replaced one keeps its mode; a
// directory, a device or a read-only file is refused; a symbolic link is
// written through to its target, keeping the link.
//
// # Undefined figures
//
// A figure that is not defined is never shown as 0: a ratio over zero net
// sales, a payback not reached, a Monte Carlo statistic with no defined
// trial show "n/a" (or "not reached"), as text aligned right like the
// figures; live formulas give the same text (IF(net sales = 0, "n/a",
// ...)), so Excel and LibreOffice agree with the cached values.
//
// # A new sheet: printing, the stale flag and formats
//
// A sheet added to the workbook gets the workbook's conventions from a few
// helpers of the book, each one call:
//
//   - b.pageSetup(sheet, pagesWide), before anything is written to the
//     sheet (print.go): landscape, fitted to pagesWide pages across (1
//     unless the table is very wide), the running header (portfolio, sheet
//     name) and footer (Marginal's version, "Page n of m", the run's date,
//     Options.Date); b.portrait(sheet) after it for a long, narrow table;
//     b.printRows(sheet, first, last, titleCols) repeats the title and
//     heading rows on every page; b.printArea(sheet, c1, r1, c2, r2)
//     limits what prints (the Statement prints its portfolio rows, the
//     Samples their statistics). A print area of several ranges prints
//     each from a new page, and LibreOffice fits each to the page width
//     on its own: the Scenarios print the portfolio's comparison rows
//     and, apart, the side tables; the Monte Carlo sheet the portfolio's
//     and partnerships' statistics, the distribution charts (columns A
//     to F, one page) and the rest. A chart is kept on one page by
//     placing it in a part that fits one (or after a manual page break,
//     f.InsertPageBreak); the quickstart's workbook prints on 36 pages
//     (TestSampleReviewPrintedPages holds it to 40).
//   - b.staleNotice(sheet, c, r) on a free row under the title of every
//     sheet of figures computed when the workbook was written (stale.go):
//     a red notice, a formula over the count of Assumptions values that
//     differ from those the figures were computed from, which appears
//     after an edit and says how to refresh (the review command), and is
//     empty while the figures are current. Sheets of live formulas need
//     none.
//   - Styles of b.lk (bookstyles.go, styles.go): lk.Money (the currency to
//     the cent, for the Statement and detail), lk.MoneyK (thousands
//     without cents, "$1,235k", for summaries; say so in the subtitle),
//     lk.Percent (one decimal), lk.PP (a difference of two ratios in
//     percentage points: write (a − b) × 100), lk.NA for "n/a"; text
//     through grid.text, which never writes a formula or a text starting
//     with "=" as one. Labels are words a finance reader uses, never Go
//     identifiers (no "Options.Tornado").
//
// Writing is deterministic: the same options give the same bytes. Write is
// safe for concurrent use; it does not modify its inputs.
package report
