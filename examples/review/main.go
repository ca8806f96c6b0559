// Command review runs a partnership review on your own portfolio and
// writes the finance workbook. Run it with -h for the flags.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/atomicfile"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

const usage = `review: a partnership review of a portfolio, written as a finance workbook.

Usage:
  review [flags]

With no flags it reviews the sample portfolio embedded in the library.

Flags:
  -portfolio FILE.json     the portfolio (default: the embedded sample)
  -assumptions BOOK.xlsx   a workbook written by review whose Assumptions
                           sheet was edited; its values replace the
                           portfolio's (needs the same -portfolio)
  -scenarios FILE.json     scenarios to compare with the base case
                           (default: the sample's, with the sample portfolio)
  -uncertainty FILE.json   distributions for the Monte Carlo run
                           (default: the sample's, with the sample portfolio)
  -trials N                Monte Carlo trials, 2 or more (default: the
                           uncertainty file's run.trials, else 10000; -1
                           skips the run)
  -seed N                  random seed, 1 or more (default: the file's
                           run.seed, else 1); the same seed gives the same
                           numbers. -trials and -seed apply only when there
                           is an uncertainty file
  -actuals FILE            actuals of the portfolio up to a cut-off, as
                           long-form CSV (or JSON, FILE.json): adds the
                           Actuals, Health and Variance bridge sheets
  -agreements FILE.json    agreed metrics for the Health sheet (default:
                           the sample's, with the sample portfolio)
  -out FILE.xlsx           the workbook to write (default review.xlsx)
  -csv FILE.csv            also write the statement in long form as CSV

Each output is checked before any work (its directory exists and is
writable, it is not a directory, a device, a read-only file or an input)
and written whole or not at all: a failed write leaves an existing file
as it was. A symbolic link is written through to the file it points to.

Example:
  review -portfolio brand.json -scenarios peak.json -uncertainty risk.json \
         -trials 100000 -seed 42 -out brand-review.xlsx
  # edit an assumption in Excel, save, then (-out must be a new file):
  review -portfolio brand.json -assumptions brand-review.xlsx -out brand-review-2.xlsx
`

type config struct {
	portfolio, assumptions, scenarios, uncertainty, out, csv string
	actuals, agreements                                      string
	// trials and seed are the flags' values, 0 when not given (then the
	// uncertainty file's run settings or the defaults apply); parseArgs
	// refuses a 0 given on the command line.
	trials int
	seed   uint64
}

func main() {
	c, err := parseArgs(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Print(usage)
		return
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "review: %v\n\n%s", err, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "review: %v\n", err)
		os.Exit(1)
	}
}

// parseArgs reads the command line.
func parseArgs(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.portfolio, "portfolio", "", "")
	fs.StringVar(&c.assumptions, "assumptions", "", "")
	fs.StringVar(&c.scenarios, "scenarios", "", "")
	fs.StringVar(&c.uncertainty, "uncertainty", "", "")
	fs.IntVar(&c.trials, "trials", 0, "")
	fs.Uint64Var(&c.seed, "seed", 0, "")
	fs.StringVar(&c.out, "out", "review.xlsx", "")
	fs.StringVar(&c.csv, "csv", "", "")
	fs.StringVar(&c.actuals, "actuals", "", "")
	fs.StringVar(&c.agreements, "agreements", "", "")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	// -trials 0 once silently meant 10,000 trials: a value given must
	// mean itself.
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch {
		case err != nil:
		case f.Name == "trials" && c.trials == 0:
			err = fmt.Errorf("-trials 0: expected 2 to %d trials, or -1 to skip the simulation (leave -trials out for the uncertainty file's run.trials, else %d)", montecarlo.MaxTrials, defaultTrials)
		case f.Name == "seed" && c.seed == 0:
			err = fmt.Errorf("-seed 0: expected a seed of 1 or more (leave -seed out for the uncertainty file's run.seed, else %d)", defaultSeed)
		}
	})
	return c, err
}

// checkFlags refuses flag values that have no meaning, before any work.
func (c config) checkFlags() error {
	switch {
	case c.trials < -1 || c.trials > montecarlo.MaxTrials:
		return fmt.Errorf("-trials %d: expected 2 to %d trials, or -1 to skip the simulation", c.trials, montecarlo.MaxTrials)
	case c.out == "":
		return fmt.Errorf("-out: expected a file name for the workbook")
	}
	return nil
}

// checkOutputs makes sure, before the minutes of a simulation, that the
// outputs can be written: each one's directory exists and takes a new
// file, it is not a directory, a device or a read-only file, and no output
// is an input or the other output.
func (c config) checkOutputs() error {
	files := []struct{ flag, path string }{{"-portfolio", c.portfolio}, {"-assumptions", c.assumptions},
		{"-scenarios", c.scenarios}, {"-uncertainty", c.uncertainty}, {"-actuals", c.actuals}, {"-agreements", c.agreements},
		{"-out", c.out}, {"-csv", c.csv}}
	for i, a := range files {
		for _, b := range files[i+1:] {
			if a.path != "" && b.path != "" && (b.flag == "-out" || b.flag == "-csv") && sameFile(a.path, b.path) {
				return fmt.Errorf("%s %s would overwrite %s %s; give %s a new file name", b.flag, b.path, a.flag, a.path, b.flag)
			}
		}
	}
	for _, o := range files[6:] {
		if o.path == "" {
			continue
		}
		if err := atomicfile.Check(o.path); err != nil {
			return fmt.Errorf("%s: %w", o.flag, err)
		}
	}
	return nil
}

func run(ctx context.Context, c config, stdout, stderr io.Writer) error {
	if err := c.checkFlags(); err != nil {
		return err
	}
	if err := c.checkOutputs(); err != nil {
		return err
	}
	sample := c.portfolio == ""
	var p *costmodel.Portfolio
	var err error
	if sample {
		p, err = marginal.SamplePortfolio()
	} else {
		p, err = costmodel.LoadFile(c.portfolio)
	}
	if err != nil {
		return err
	}
	if c.assumptions != "" {
		if p, err = report.ReadAssumptionsFile(c.assumptions, p); err != nil {
			return err // names the file, the cells and the driver addresses
		}
		fmt.Fprintf(stdout, "read the assumptions of %s\n", c.assumptions)
	}
	base, err := costmodel.Evaluate(p)
	if err != nil {
		return err
	}
	opt := report.Options{Portfolio: p, Statement: base, Version: marginal.Version}
	if err := c.loadActuals(p, sample, &opt, stdout); err != nil {
		return err
	}

	var scen []byte
	switch {
	case c.scenarios != "":
		if scen, err = os.ReadFile(c.scenarios); err != nil {
			return err
		}
	case sample:
		scen = marginal.SampleScenarios()
	}
	if scen != nil {
		ss, rules, err := scenario.LoadWithGuardrails(bytes.NewReader(scen), p)
		if err != nil {
			return fmt.Errorf("%s: %w", sourceName(c.scenarios, "the sample scenarios"), err)
		}
		if opt.Comparison, err = scenario.Compare(p, ss...); err != nil {
			return err
		}
		if len(rules) == 0 { // the file's guardrails, else contribution ≥ 0 per partnership
			zero := decimal.Zero
			rules = scenario.Guardrails{{Name: "contribution ≥ 0 per partnership", Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: &zero}}
		} else if opt.Guardrails, err = rules.CheckRulesComparison(opt.Comparison); err != nil {
			return err
		}
		if opt.Breaches, err = rules.CheckComparison(opt.Comparison); err != nil {
			return err
		}
		printBreaches(stdout, opt.Breaches)
	}

	var unc []byte
	switch {
	case c.uncertainty != "":
		if unc, err = os.ReadFile(c.uncertainty); err != nil {
			return err
		}
	case sample:
		unc = marginal.SampleUncertainty()
	}
	switch {
	case unc == nil:
		fmt.Fprintln(stdout, "no -uncertainty file: the Monte Carlo run is skipped")
	case c.trials == -1:
		fmt.Fprintln(stdout, "-trials -1: the Monte Carlo run is skipped")
	default:
		spec, err := montecarlo.Load(bytes.NewReader(unc), p)
		if err != nil {
			return fmt.Errorf("%s: %w", sourceName(c.uncertainty, "the sample uncertainty spec"), err)
		}
		// A flag given wins, then the file's run settings, then the
		// defaults documented in the usage; the library's own defaults
		// are never relied on.
		trials, seed := defaultTrials, uint64(defaultSeed)
		if spec.Run != nil && spec.Run.Trials != 0 {
			trials = spec.Run.Trials
		}
		if spec.Run != nil && spec.Run.Seed != 0 {
			seed = spec.Run.Seed
		}
		if c.trials != 0 {
			trials = c.trials
		}
		if c.seed != 0 {
			seed = c.seed
		}
		bar := newProgress(stderr)
		sim, err := montecarlo.Run(ctx, p, spec, montecarlo.Options{Trials: trials, Seed: seed, Progress: bar.update})
		bar.done()
		if err != nil {
			return err
		}
		opt.Simulation, opt.Seed, opt.Trials = sim, sim.Seed, sim.Trials
	}

	fmt.Fprintf(stdout, "%-14s %16s %14s %16s   (%s)\n", "partnership", "contribution", "contribution %", "NPV", base.Currency.Code)
	for _, ps := range base.Partnerships {
		fmt.Fprintf(stdout, "%-14s %16s %14s %16s\n", ps.ID, ps.Total.Total[costmodel.LineContribution].StringFixed(2),
			percent(ps.Measures.ContributionRatio), ps.Measures.NPV.StringFixed(2))
	}
	if err := report.WriteFile(c.out, opt); err != nil {
		return fmt.Errorf("-out: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", c.out)
	if c.csv != "" {
		// Written whole or not at all: a failure leaves an existing CSV
		// as it was (as report.WriteFile does for the workbook).
		err := atomicfile.Write(c.csv, func(w io.Writer) error { return report.WriteStatementCSV(w, base) })
		if err != nil {
			return fmt.Errorf("-csv: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %s\n", c.csv)
	}
	return nil
}

// The defaults of the run, as the usage states them.
const (
	defaultTrials = 10000
	defaultSeed   = 1
)

// percent is a ratio in percent with one decimal, or "n/a" when it is
// undefined (zero net sales): an undefined ratio is never shown as 0.
func percent(r costmodel.Ratio) string {
	if !r.Valid {
		return "n/a"
	}
	return r.Value.Shift(2).StringFixed(1) + "%"
}

// sameFile reports whether two paths name the same file: the same file on
// disk when both exist, else the same absolute path once the directories'
// symbolic links are resolved ("out.xlsx" and "./x/../out.xlsx").
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	return canonical(a) == canonical(b)
}

// canonical is the absolute path of a file that may not exist yet, with
// its directory's symbolic links resolved.
func canonical(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(d, base)
	}
	return abs
}

// progress draws a progress bar on a terminal, or a line every quarter
// when stderr is a file or a pipe.
type progress struct {
	w        io.Writer
	terminal bool
	last     time.Time
	quarter  int
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.terminal {
		if q := 4 * done / total; q > p.quarter {
			p.quarter = q
			fmt.Fprintf(p.w, "monte carlo: %d of %d trials\n", done, total)
		}
		return
	}
	if time.Since(p.last) < 100*time.Millisecond && done < total {
		return
	}
	p.last = time.Now()
	const width = 40
	n := width * done / total
	fmt.Fprintf(p.w, "\rmonte carlo [%s%s] %3d%%  %d/%d trials", strings.Repeat("#", n), strings.Repeat(".", width-n), 100*done/total, done, total)
}

func (p *progress) done() {
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}

// sourceName is how an error names where its input came from: the file
// the user gave, or the built-in sample when none was given.
func sourceName(file, sample string) string {
	if file != "" {
		return file
	}
	return sample
}

// loadActuals reads -actuals and -agreements into the workbook's options.
func (c config) loadActuals(p *costmodel.Portfolio, sample bool, opt *report.Options, stdout io.Writer) error {
	if c.actuals == "" {
		if c.agreements != "" {
			return fmt.Errorf("-agreements %s: needs -actuals, the figures the agreed metrics are checked on", c.agreements)
		}
		return nil
	}
	data, err := os.ReadFile(c.actuals)
	if err != nil {
		return err
	}
	var a *actuals.Actuals
	if strings.HasSuffix(strings.ToLower(c.actuals), ".json") {
		a, err = actuals.ReadJSON(data, p)
	} else {
		a, err = actuals.ReadCSV(bytes.NewReader(data), p, costmodel.Month{})
	}
	if err != nil {
		return fmt.Errorf("-actuals %s: %w", c.actuals, err)
	}
	m, err := actuals.NewModel(p, a)
	if err != nil {
		return fmt.Errorf("-actuals %s: %w", c.actuals, err)
	}
	opt.Actuals = m
	var ag []byte
	switch {
	case c.agreements != "":
		if ag, err = os.ReadFile(c.agreements); err != nil {
			return err
		}
	case sample:
		ag = marginal.SampleAgreements()
	}
	if ag != nil {
		if opt.Agreements, err = actuals.ReadAgreements(ag, p); err != nil {
			return fmt.Errorf("-agreements: %w", err)
		}
	}
	fmt.Fprintf(stdout, "read %d actual figures to %s\n", len(a.Records), a.CutOff)
	return nil
}

// printBreaches lists the guardrails' breaches with their window and
// cell (Breach.String), the worst first, at most 20.
func printBreaches(w io.Writer, bs []scenario.Breach) {
	if len(bs) == 0 {
		fmt.Fprintln(w, "guardrails: no breach in the base case or any scenario")
		return
	}
	fmt.Fprintf(w, "guardrails: %d breaches (window and cell)\n", len(bs))
	if worst, ok := scenario.WorstBreach(bs); ok {
		fmt.Fprintf(w, "  worst: %s\n", worst)
	}
	for i, b := range bs {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more (the Guardrails sheet lists every window)\n", len(bs)-20)
			break
		}
		fmt.Fprintf(w, "  %s\n", b)
	}
}
