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

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/actuals"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/atomicfile"
	"github.com/marginalhq/marginal/internal/format"
	"github.com/marginalhq/marginal/internal/progress"
	"github.com/marginalhq/marginal/internal/samplereview"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
)

const usage = `review: a partnership review of a portfolio, written as a finance workbook.

Usage:
  review [flags]

With no flags it runs the review the quickstart runs on the sample
portfolio embedded in the library (five scenarios, four guardrails, a
10,000-trial Monte Carlo run, a tornado, the renegotiation with FeedLink).
With -portfolio it runs the same review on that portfolio, leaving out
each part that does not fit it, and says which and why. Each file flag
replaces its part.

The workbook records what it was made from (a hidden Specs sheet), so
after an edit of its Assumptions sheet
  review -assumptions BOOK.xlsx -out NEW.xlsx
writes the same review again on the edited values, with nothing else to
give.

Flags:
  -portfolio FILE.json     the portfolio (default: the embedded sample, or
                           the one recorded in the -assumptions workbook)
  -assumptions BOOK.xlsx   a workbook written by review or quickstart whose
                           Assumptions sheet was edited: its values, on the
                           portfolio and with the specs it records
  -scenarios FILE.json     scenarios to compare with the base case (and
                           guardrails, when the file has them)
  -guardrails FILE.json    guardrails checked on every scenario and trial:
                           {"guardrails": [...]}
  -uncertainty FILE.json   distributions for the Monte Carlo run (its
                           run.trials and run.seed, else 10000 and 1)
  -tornado FILE.json       the tornado: {"output": {...}, "inputs":
                           [{"target", "op", "low", "high"}, ...]}
  -renegotiation FILE.json the renegotiation: {"partnership",
                           "partner": {"per_order", "rate_of_gmv",
                           "monthly", "no_deal"}, "our_no_deal",
                           "our_weight", "proposed": {a scenario}}
  -trials N                Monte Carlo trials, 2 to 100000000, or -1 to
                           skip the run (default: the uncertainty file's
                           run.trials, else the recorded or sample count)
  -seed N                  random seed, 1 or more; the same seed gives the
                           same numbers
  -actuals FILE            actuals of the portfolio up to a cut-off, as
                           long-form CSV (or JSON, FILE.json): adds the
                           Actuals, Health and Variance bridge sheets
  -agreements FILE.json    agreed metrics for the Health sheet (default:
                           the sample's, with the sample portfolio)
  -out FILE.xlsx           the workbook to write (default review.xlsx)
  -csv FILE.csv            also write the statement in long form as CSV
  -progress                draw the progress bar on stderr even when it
                           is not a terminal (it is drawn on a terminal)

Each output is checked before any work (its directory exists and is
writable, it is not a directory, a device, a read-only file or an input)
and written whole or not at all: a failed write leaves an existing file
as it was. A symbolic link is written through to the file it points to.

Example:
  review -portfolio brand.json -scenarios peak.json -uncertainty risk.json \
         -trials 100000 -seed 42 -out brand-review.xlsx
  # edit an assumption in Excel, save, then (-out must be a new file):
  review -assumptions brand-review.xlsx -out brand-review-2.xlsx
`

type config struct {
	portfolio, assumptions, scenarios, uncertainty, out, csv string
	actuals, agreements                                      string
	guardrails, tornado, renegotiation                       string
	// progress draws the bar on stderr even when it is not a terminal.
	progress bool
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
	fs.StringVar(&c.guardrails, "guardrails", "", "")
	fs.StringVar(&c.tornado, "tornado", "", "")
	fs.StringVar(&c.renegotiation, "renegotiation", "", "")
	fs.BoolVar(&c.progress, "progress", false, "")
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
		{"-guardrails", c.guardrails}, {"-tornado", c.tornado}, {"-renegotiation", c.renegotiation},
		{"-out", c.out}, {"-csv", c.csv}}
	for i, a := range files {
		for _, b := range files[i+1:] {
			if a.path != "" && b.path != "" && (b.flag == "-out" || b.flag == "-csv") && sameFile(a.path, b.path) {
				return fmt.Errorf("%s %s would overwrite %s %s; give %s a new file name", b.flag, b.path, a.flag, a.path, b.flag)
			}
		}
	}
	for _, o := range files[len(files)-2:] {
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
	p, specs, sample, err := c.load(stdout)
	if err != nil {
		return err
	}
	if err := c.replaceParts(p, specs, stdout); err != nil {
		return err
	}
	if err := specs.Validate(p); err != nil {
		return err
	}
	var health report.Options // the actuals' part, read before the minutes of a simulation
	if err := c.loadActuals(p, sample, &health, stdout); err != nil {
		return err
	}

	bar := progress.New(stderr, c.progress)
	opt, err := specs.Compute(ctx, p, bar.Update)
	bar.Done()
	if err != nil {
		return err
	}
	opt.Version = marginal.Version
	opt.Actuals, opt.Agreements = health.Actuals, health.Agreements
	base := opt.Statement
	if opt.Comparison != nil {
		printBreaches(stdout, opt.Breaches)
	}
	if opt.Simulation == nil && c.trials != -1 {
		fmt.Fprintln(stdout, "no Monte Carlo run: there is no uncertainty spec for this portfolio (give -uncertainty FILE.json)")
	} else if opt.Simulation != nil {
		fmt.Fprintf(stdout, "monte carlo: %s trials, seed %d\n", format.Count(opt.Trials), opt.Seed)
	}
	if fs := opt.Fairness; fs != nil {
		fmt.Fprintf(stdout, "renegotiation with %s: %s", fs.Partnership, format.BargainingRange(fs))
		if fs.Nash.Valid {
			fmt.Fprintf(stdout, "; Nash rate %s", format.Rate(fs.Nash))
		}
		fmt.Fprintln(stdout)
	}

	fmt.Fprintf(stdout, "%-14s %16s %14s %16s   (%s)\n", "partnership", "contribution", "contribution %", "NPV", base.Currency.Code)
	for _, ps := range base.Partnerships {
		fmt.Fprintf(stdout, "%-14s %16s %14s %16s\n", ps.ID, format.MoneyPlaces(ps.Total.Total[costmodel.LineContribution], 2),
			percent(ps.Measures.ContributionRatio), format.MoneyPlaces(ps.Measures.NPV, 2))
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

// load reads the portfolio and the specs to run: those recorded in the
// -assumptions workbook, with its edited values (on -portfolio when
// given); else -portfolio or the sample, with the sample review's specs,
// each part that does not fit the portfolio left out and said so. sample
// reports that the portfolio is the embedded sample.
func (c config) load(stdout io.Writer) (*costmodel.Portfolio, *report.Specs, bool, error) {
	var base *costmodel.Portfolio
	var err error
	if c.portfolio != "" {
		if base, err = costmodel.LoadFile(c.portfolio); err != nil {
			return nil, nil, false, err
		}
	}
	if c.assumptions != "" {
		p, specs, err := report.ReadReview(c.assumptions, base)
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "read the assumptions of %s and the specs it records\n", c.assumptions)
			return p, specs, false, nil
		case !errors.Is(err, report.ErrNoSpecs):
			return nil, nil, false, err // names the file, the cells and the driver addresses or JSON paths
		}
		// An older workbook, or one written without its specs: its
		// values on -portfolio (or the sample), with the default specs.
		sample := base == nil
		if sample {
			if base, err = marginal.SamplePortfolio(); err != nil {
				return nil, nil, false, err
			}
		}
		if p, err = report.ReadAssumptionsFile(c.assumptions, base); err != nil {
			return nil, nil, false, err
		}
		fmt.Fprintf(stdout, "read the assumptions of %s (it records no specs: the sample review's are used where they fit)\n", c.assumptions)
		specs, err = sampleSpecs(p, stdout)
		return p, specs, sample, err
	}
	sample := base == nil
	if sample {
		if base, err = marginal.SamplePortfolio(); err != nil {
			return nil, nil, false, err
		}
	}
	specs, err := sampleSpecs(base, stdout)
	return base, specs, sample, err
}

// sampleSpecs is the sample review's specs for p; the parts that do not
// fit are listed on stdout.
func sampleSpecs(p *costmodel.Portfolio, stdout io.Writer) (*report.Specs, error) {
	specs, skipped, err := samplereview.Specs(p)
	if err != nil {
		return nil, err
	}
	for _, s := range skipped {
		fmt.Fprintf(stdout, "sample review: %s\n", s)
	}
	return specs, nil
}

// replaceParts puts the parts given by flags in place of the recorded or
// sample ones: each file is read with its loader against p, its errors
// naming the file.
func (c config) replaceParts(p *costmodel.Portfolio, s *report.Specs, stdout io.Writer) error {
	if c.scenarios != "" {
		data, err := os.ReadFile(c.scenarios)
		if err != nil {
			return err
		}
		ss, rules, err := scenario.LoadWithGuardrails(bytes.NewReader(data), p)
		if err != nil {
			return fmt.Errorf("%s: %w", c.scenarios, err)
		}
		s.Scenarios = ss
		if len(rules) > 0 {
			s.Guardrails = rules
		}
	}
	if c.guardrails != "" {
		var g struct {
			Guardrails scenario.Guardrails `json:"guardrails" required:"true"`
		}
		if err := decodeFile(c.guardrails, &g); err != nil {
			return err
		}
		st, err := costmodel.Evaluate(p)
		if err != nil {
			return err
		}
		if err := g.Guardrails.Validate(st); err != nil {
			return fmt.Errorf("%s: %w", c.guardrails, err)
		}
		s.Guardrails = g.Guardrails
	}
	if c.uncertainty != "" {
		spec, err := montecarlo.LoadFile(c.uncertainty, p)
		if err != nil {
			return err // names the file
		}
		// The file's run settings, else the defaults the usage states.
		s.Uncertainty, s.Trials, s.Seed = spec, defaultTrials, defaultSeed
		if spec.Run != nil && spec.Run.Trials != 0 {
			s.Trials = spec.Run.Trials
		}
		if spec.Run != nil && spec.Run.Seed != 0 {
			s.Seed = spec.Run.Seed
		}
	}
	if c.tornado != "" {
		var t report.TornadoSpec
		if err := decodeFile(c.tornado, &t); err != nil {
			return err
		}
		s.Tornado = &t
	}
	if c.renegotiation != "" {
		var r report.RenegotiationSpec
		if err := decodeFile(c.renegotiation, &r); err != nil {
			return err
		}
		s.Renegotiation = &r
	}
	switch {
	case c.trials == -1:
		if s.Uncertainty != nil {
			fmt.Fprintln(stdout, "-trials -1: the Monte Carlo run is skipped")
		}
		s.Uncertainty, s.Trials, s.Seed, s.Fans = nil, 0, 0, nil
	case c.trials != 0:
		s.Trials = c.trials
	}
	if c.seed != 0 {
		s.Seed = c.seed
	}
	if s.Uncertainty == nil && c.trials > 0 {
		return fmt.Errorf("-trials %d: there is no uncertainty spec to run (give -uncertainty FILE.json)", c.trials)
	}
	return nil
}

// decodeFile reads a JSON file strictly (costmodel.DecodeStrict: unknown
// fields, wrong types and missing required values are errors), its
// errors naming the file.
func decodeFile(name string, v any) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if err := costmodel.DecodeStrict(data, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
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
