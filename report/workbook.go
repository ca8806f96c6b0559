package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"time"

	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/atomicfile"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// Options are the inputs of the finance workbook. Only Portfolio is
// required; every other part adds its sheet, or its section of a sheet,
// when set. The zero value of an optional field leaves its part out (a
// sheet with a short note that it was not run).
type Options struct {
	// Portfolio is the model the workbook describes: its drivers become the
	// Assumptions sheet and its structure the Statement's formulas.
	// Required, and it must be valid.
	Portfolio *costmodel.Portfolio
	// Statement is costmodel.Evaluate(Portfolio), whose exact amounts are
	// stored as the cached values of the formulas. Nil means Write
	// evaluates the portfolio itself. A statement of another portfolio is
	// an error when its shape differs (partnerships, categories, months).
	Statement *costmodel.Statement
	// Comparison fills the Scenarios sheet; Breaches, usually
	// scenario.Guardrails.CheckComparison of it, are highlighted there.
	Comparison *scenario.Comparison
	Breaches   []scenario.Breach
	// Tornado, Spider and Table fill the Sensitivity sheet.
	Tornado *scenario.Tornado
	Spider  *scenario.Spider
	Table   *scenario.Table
	// Fairness fills the Renegotiation sheet.
	Fairness *scenario.FairShare
	// Title heads the Summary sheet; empty means the portfolio's name.
	Title string
	// Version is the library version shown on the About sheet; empty means
	// the version of this module in the running binary's build
	// information, or "devel".
	Version string
	// Seed and Trials describe the Monte Carlo run behind the simulation
	// results, for the About sheet; zero takes Simulation's, and without
	// one shows "none".
	Seed   uint64
	Trials int

	// Simulation, a montecarlo.Run of Portfolio, fills the Monte Carlo
	// and Samples sheets and the simulated columns of the Summary (P5
	// contribution, P(loss) of the portfolio and each partnership, when
	// those outputs were recorded).
	Simulation *montecarlo.Result
	// Guardrails, usually scenario.Guardrails.CheckRulesComparison, fill
	// the Guardrails sheet (each rule × scenario × window) and name the
	// worst breach on the Summary; the simulation's P(breach) is read from
	// Simulation.Guardrails (montecarlo.RunScenarios with the same rules).
	Guardrails []scenario.RuleCheck
	// Paired, from montecarlo.RunPaired, adds the alternatives on the same
	// draws to the Monte Carlo sheet; the first one's P(better) is the
	// Renegotiation sheet's P(proposed better).
	Paired []montecarlo.Paired
	// SampleRows caps the trials on the Samples sheet: 0 means
	// DefaultSampleRows (10,000), and at most MaxSampleRows are written.
	SampleRows int
	// FairnessReview fills the Fairness sheet (see FairnessReview).
	FairnessReview *FairnessReview

	// Actuals, a plan-against-actual model of Portfolio
	// (actuals.NewModel), adds the Actuals, Health and Variance bridge
	// sheets; Agreements, its agreed metrics, fills the Health sheet.
	Actuals    *actuals.Model
	Agreements *actuals.Agreements

	// Deal, when set, adds the Deal terms sheet (deal.Evaluate's plan of
	// the terms, and deal.EvaluateTrials' per-trial figures when given).
	Deal *DealSheet

	// Date is the day of the run, printed in every page's footer; the
	// zero value prints the date the page is printed instead (the
	// workbook's bytes never depend on the clock).
	Date time.Time

	// Uncertainty, the spec Simulation was run from, adds the Uncertainty
	// sheet: each uncertain input, its distribution in words, the
	// correlations as given and as repaired, the run's settings
	// (uncertaintysheet.go).
	Uncertainty *montecarlo.Spec

	// Specs, when set, records what the computed figures were made from
	// (and Portfolio) on the hidden Specs sheet, which ReadReview reads
	// back (specsheet.go). Specs.Compute sets it.
	Specs *Specs

	// Trajectories, from montecarlo.CompareTrajectories, adds the
	// Trajectories sheet (trajectories.go).
	Trajectories *montecarlo.TrajectoryComparison
}

// Sheet names, in workbook order. The names are fixed and valid whatever
// the portfolio holds: no partnership or category name becomes a sheet
// name.
const (
	SheetSummary       = "Summary"
	SheetAssumptions   = "Assumptions"
	SheetUnitEconomics = "Unit economics"
	SheetStatement     = "Statement"
	SheetScenarios     = "Scenarios"
	SheetSensitivity   = "Sensitivity"
	SheetRenegotiation = "Renegotiation"
	SheetAbout         = "About"
)

// maxFormulaLength is Excel's limit on the text of a formula.
const maxFormulaLength = 8192

// Write writes the finance workbook for opt to w as .xlsx:
//
//   - Summary: the portfolio's measures and the partnerships ranked by
//     contribution, as formulas over the Statement;
//   - Assumptions: every driver with its address, unit, valid range and
//     value, the value an input cell named after its address;
//   - Unit economics: fees per price point and per order, as formulas over
//     the Assumptions;
//   - Statement: every line per partnership × category × month, the
//     partnership-level lines, totals, NPV and payback, as live formulas
//     over the Assumptions, with the exact amounts as cached values;
//   - Scenarios, Sensitivity, Renegotiation: the scenario package's
//     results, when given;
//   - Monte Carlo: the simulation's statistics for every recorded output,
//     a histogram and an S-curve of the portfolio's contribution and NPV,
//     the convergence record, the rank-correlation sensitivity, clamped
//     draws, repaired correlations and the paired alternatives;
//   - Samples (with a simulation): the first SampleRows trials' inputs
//     and outputs as columns under live AVERAGE, STDEV.S, PERCENTILE.INC
//     and COUNTIF formulas;
//   - Fairness: each side's share of the joint surplus against volume for
//     current and proposed terms, the incentive flags, the Shapley split
//     and the shares under uncertainty (Options.FairnessReview);
//   - About: version, seed, trials, the input hash and the conventions;
//   - Allocated (when the portfolio has allocation rules): the fully
//     loaded view, partnership-level costs shared out to the categories,
//     as live formulas over the Statement (allocatedsheet.go).
//   - Guardrails (with Options.Guardrails): each rule × scenario × window
//     with the base value, the worst window and P(breach), coloured by
//     severity (guardrails.go).
//
// Change a value on the Assumptions sheet and the Unit economics,
// Statement and Summary follow (on recalculation). The same options always
// give the same bytes.
func Write(w io.Writer, opt Options) error {
	if w == nil {
		return errors.New("report: Write needs a writer (nil given)")
	}
	b, err := newBook(opt)
	if err != nil {
		return err
	}
	defer b.f.Close()
	if err := b.build(); err != nil {
		return err
	}
	return saveDeterministicWith(b.f, w, saveOptions{Formulas: b.fc})
}

// WriteFile writes the finance workbook for opt to the named file (see
// Write), replacing it if it exists. The workbook is written to a
// temporary file beside the target and renamed over it only once complete
// and synced to disk, so a failure (a full disk, an invalid portfolio)
// leaves an existing file byte-for-byte intact and no temporary file
// behind. A new file gets the usual mode (0666 less the umask), a replaced
// one keeps its mode; a directory, a device or a read-only file is
// refused; a symbolic link is written through to the file it points to,
// keeping the link. Errors name path, never the temporary file. These
// rules are those of every file Marginal writes (internal/atomicfile).
func WriteFile(path string, opt Options) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		if writeFileHook != nil {
			w = writeFileHook(w)
		}
		return Write(w, opt)
	})
}

// writeFileHook, when set by a test, wraps the writer WriteFile gives to
// Write, to simulate a disk that fills up.
var writeFileHook func(io.Writer) io.Writer

// book is one workbook being built.
type book struct {
	opt   Options
	p     *costmodel.Portfolio
	st    *costmodel.Statement
	f     *excelize.File
	fc    *formulaCache
	lk    *look
	names driverNames
	minor int32
	cur   string
	// drivers maps a driver address to its Assumptions cell and name.
	drivers map[string]driverCell
	// driverNames is the defined name of each of the model's drivers
	// (costmodel.Model.Drivers: the portfolio's, then the adjustments').
	driverNames []string
	// model is the portfolio's expression graph, vals its exact values,
	// pr its Excel printer and home the cell of each node that has one
	// (Col 0: none); see layoutCells.
	model *costmodel.Model
	vals  []decimal.Decimal
	pr    *graph.ExcelPrinter
	home  []graph.Ref
	// ranges holds the column range of a total whose home is a horizon
	// cell: the cell writes SUM(range).
	ranges map[graph.ID]graph.Ref
	// local, while a Statement row is written, is its lines' nodes (row
	// localRow): the printer refers to them in this row.
	local    *[costmodel.NumLines]graph.ID
	localRow int
	// ueRows are the shared figures on the Unit economics sheet and stmt
	// the layout of the Statement, for the sheets that refer to them.
	ueRows []ueRow
	stmt   statementLayout
	// tieBreaks lists the cells whose formula carries a tie bias
	// (graph.ExcelPrinter), for the About sheet.
	tieBreaks []string
	// startedBefore carries "Cash flow started" from one monthly total
	// row to the next while they are written.
	startedBefore bool
	// err is the first error met while building cells (see fail).
	err error
}

// driverCell is where a driver's value lives on the Assumptions sheet.
type driverCell struct {
	Row  int    // 1-based row
	Name string // the defined name
}

func newBook(opt Options) (*book, error) {
	p := opt.Portfolio
	if p == nil {
		return nil, errors.New("report: Options.Portfolio is required")
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkParts(&opt); err != nil {
		return nil, err
	}
	if err := checkActuals(&opt); err != nil {
		return nil, err
	}
	if sim := opt.Simulation; sim != nil {
		// The About sheet describes the run behind the results given.
		if opt.Seed == 0 {
			opt.Seed = sim.Seed
		}
		if opt.Trials == 0 {
			opt.Trials = sim.Trials
		}
	}
	st := opt.Statement
	if st == nil {
		var err error
		if st, err = costmodel.Evaluate(p); err != nil {
			return nil, err
		}
	} else if err := checkShape(p, st); err != nil {
		return nil, err
	} else if err := checkStatement(st); err != nil {
		return nil, fmt.Errorf("report: Options.Statement: %w", err)
	}
	f := excelize.NewFile()
	cur, _ := costmodel.LookupCurrency(p.Currency)
	lk, err := newLook(f, cur.Code, int(cur.MinorUnit))
	if err != nil {
		f.Close()
		return nil, err
	}
	return &book{
		opt: opt, p: p, st: st, f: f, fc: &formulaCache{}, lk: lk,
		minor: cur.MinorUnit, cur: cur.Code,
		drivers: map[string]driverCell{},
	}, nil
}

// checkShape reports a statement that cannot be the portfolio's.
func checkShape(p *costmodel.Portfolio, st *costmodel.Statement) error {
	bad := func(what string) error {
		return fmt.Errorf("report: Options.Statement is not the statement of Options.Portfolio: %s differ", what)
	}
	if st.Months != p.Months || st.Start != p.Start || len(st.Partnerships) != len(p.Partnerships) {
		return bad("horizon or partnerships")
	}
	for i := range p.Partnerships {
		ps, ss := &p.Partnerships[i], &st.Partnerships[i]
		if ps.ID != ss.ID || len(ps.Categories) != len(ss.Categories) {
			return bad("partnership " + ps.ID)
		}
		for j := range ps.Categories {
			if ps.Categories[j].ID != ss.Categories[j].ID {
				return bad("categories of " + ps.ID)
			}
		}
	}
	return nil
}

func (b *book) build() error {
	// Sheets are created first, in workbook order; they are filled in the
	// order their references need (drivers before the formulas that name
	// them).
	if err := b.f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	sheets := []string{SheetAnnualPL, SheetAssumptions, SheetUnitEconomics, SheetStatement, SheetScenarios, SheetSensitivity, SheetMonteCarlo}
	if b.opt.Simulation != nil {
		sheets = append(sheets, SheetSamples)
	}
	sheets = append(sheets, SheetRenegotiation, SheetFairness)
	sheets = append(sheets, b.healthSheets()...)
	if b.opt.Deal != nil {
		sheets = append(sheets, SheetDeal)
	}
	sheets = append(sheets, SheetAbout)
	if len(b.p.Allocation) > 0 {
		sheets = append(sheets, SheetAllocated) // the fully loaded view (allocatedsheet.go)
	}
	if len(b.opt.Guardrails) > 0 {
		sheets = append(sheets, SheetGuardrails) // guardrails.go
	}
	if b.hasUncertaintySheet() {
		sheets = append(sheets, SheetUncertainty) // uncertaintysheet.go
	}
	if b.opt.Trajectories != nil {
		sheets = append(sheets, SheetTrajectories) // trajectories.go
	}
	if b.opt.Specs != nil {
		sheets = append(sheets, SheetSpecs) // hidden; specsheet.go
	}
	for _, s := range sheets {
		if _, err := b.f.NewSheet(s); err != nil {
			return err
		}
	}
	if b.hasUncertaintySheet() {
		b.pageSetup(SheetUncertainty, 1)
	}
	// Page setup first: a stream sheet writes its properties when its
	// writer is created.
	for _, s := range []string{SheetSummary, SheetAssumptions, SheetUnitEconomics, SheetScenarios, SheetSensitivity, SheetRenegotiation, SheetFairness, SheetAbout} {
		b.pageSetup(s, 1)
	}
	b.portrait(SheetAssumptions)
	b.portrait(SheetUnitEconomics)
	b.printTitles(SheetAssumptions, 0)
	// The Assumptions print their inputs (columns A to the values), not
	// the stale flag's counter beside them, which would shrink the page
	// to unreadable type; every row that holds an input prints.
	b.fail(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: SheetAssumptions,
		RefersTo: fmt.Sprintf("%s!$A:$%s", quoteSheet(SheetAssumptions), col(assumValue))}))
	// The statistics table is wide: two pages across keep it legible.
	b.pageSetup(SheetMonteCarlo, 2)
	if b.opt.Simulation != nil {
		b.pageSetup(SheetSamples, 2) // a column per input and output: two pages across keep it legible
	}
	// The Statement's columns: the descriptions and the first margin
	// levels on the first page across.
	b.pageSetup(SheetStatement, 2)
	steps := []func() error{
		b.prepareModel,
		b.writeAssumptions,
		func() error { b.layoutCells(); return nil },
		b.writeUnitEconomics,
		b.writeStatement,
		b.writeAnnualPL, // annualpl.go
		b.writeAllocatedIfAny,
		b.writeSummary,
		b.writeScenarios,
		b.writeSensitivity,
		b.writeMonteCarlo,
		b.writeSamplesIfSimulated,
		b.writeRenegotiation,
		b.writeFairness,
		b.writeHealthSheets,
		b.writeDeal,
		b.writeAbout,
		b.writeGuardrails,
		b.writeUncertainty,
		b.writeTrajectories,
		b.writeSpecs,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		if b.err != nil {
			return b.err
		}
	}
	return nil
}

// name returns the defined name of a driver. Formulas are built only for
// drivers the portfolio has, so a miss is a bug in this package; it is
// recorded and reported by build.
func (b *book) name(address string) string {
	d, ok := b.drivers[address]
	if !ok {
		b.fail(fmt.Errorf("report: no Assumptions cell for driver %s", address))
		return "0"
	}
	return d.Name
}

// fail records the first error of a step that builds many cells.
func (b *book) fail(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// inputHash is the SHA-256 of the portfolio's JSON (Portfolio.Save), in
// hex: two workbooks with the same hash were written from the same inputs.
func inputHash(p *costmodel.Portfolio) (string, error) {
	h := sha256.New()
	if err := p.Save(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// libraryVersion is the version of this module in the running binary.
func libraryVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	const module = "github.com/marginalhq/marginal"
	if bi.Main.Path == module && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == module {
			return d.Version
		}
	}
	return "devel"
}

// num is a decimal as the float64 a cell stores.
func num(d decimal.Decimal) float64 { return d.InexactFloat64() }

// col is the letters of a 1-based column number.
func col(n int) string {
	s, _ := excelize.ColumnNumberToName(n)
	return s
}

// ref is the A1 reference of a cell, relative.
func ref(c, r int) string { return fmt.Sprintf("%s%d", col(c), r) }

// absRef is an absolute reference to a cell of another sheet.
func absRef(sheet string, c, r int) string {
	return fmt.Sprintf("%s!$%s$%d", quoteSheet(sheet), col(c), r)
}

// absRange is an absolute reference to a rectangle of another sheet.
func absRange(sheet string, c1, r1, c2, r2 int) string {
	return fmt.Sprintf("%s!$%s$%d:$%s$%d", quoteSheet(sheet), col(c1), r1, col(c2), r2)
}
