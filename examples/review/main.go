// Command review runs a partnership review on your own portfolio and
// writes the finance workbook. Run it with -h for the flags.
package main

import (
	"cmp"
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
	"github.com/marginalhq/marginal/costmodel"
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
                           uncertainty file's run.trials; one of the two
                           must give a count; -1 skips the run)
  -seed N                  random seed, 1 or more (default: the file's
                           run.seed, else 1); the same seed gives the same
                           numbers. -trials and -seed apply only when there
                           is an uncertainty file
  -out FILE.xlsx           the workbook to write (default review.xlsx)
  -csv FILE.csv            also write the statement in long form as CSV

Example:
  review -portfolio brand.json -scenarios peak.json -uncertainty risk.json \
         -trials 100000 -seed 42 -out brand-review.xlsx
  # edit an assumption in Excel, save, then (-out must be a new file):
  review -portfolio brand.json -assumptions brand-review.xlsx -out brand-review-2.xlsx
`

type config struct {
	portfolio, assumptions, scenarios, uncertainty, out, csv string
	trials                                                   int
	trialsSet                                                bool // -trials was given (so 0 is an error, not "unset")
	seed                                                     uint64
}

func main() {
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
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Print(usage)
			return
		}
		fmt.Fprintf(os.Stderr, "review: %v\n\n%s", err, usage)
		os.Exit(2)
	}
	fs.Visit(func(f *flag.Flag) { c.trialsSet = c.trialsSet || f.Name == "trials" })
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "review: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, c, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "review: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config, stdout, stderr io.Writer) error {
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
	// No output may overwrite an input or the other output.
	files := []struct{ flag, path string }{{"-portfolio", c.portfolio}, {"-assumptions", c.assumptions},
		{"-scenarios", c.scenarios}, {"-uncertainty", c.uncertainty}, {"-out", c.out}, {"-csv", c.csv}}
	for i, a := range files {
		for _, b := range files[i+1:] {
			if a.path != "" && b.path != "" && (b.flag == "-out" || b.flag == "-csv") && sameFile(a.path, b.path) {
				return fmt.Errorf("%s %s would overwrite %s %s; give %s a new file name", b.flag, b.path, a.flag, a.path, b.flag)
			}
		}
	}
	if c.assumptions != "" {
		if p, err = report.ReadAssumptionsFile(c.assumptions, p); err != nil {
			return err // names the file, the cells and the driver addresses
		}
		fmt.Fprintf(stdout, "read the assumptions of %s\n", c.assumptions)
	}
	if c.trials < -1 || c.trials > montecarlo.MaxTrials || (c.trialsSet && c.trials == 0) {
		return fmt.Errorf("-trials %d: expected 2 to %d trials, or -1 to skip the simulation", c.trials, montecarlo.MaxTrials)
	}
	base, err := costmodel.Evaluate(p)
	if err != nil {
		return err
	}
	opt := report.Options{Portfolio: p, Statement: base, Version: marginal.Version}

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
		ss, err := scenario.Load(scen, p)
		if err != nil {
			return fmt.Errorf("scenarios: %w", err)
		}
		if opt.Comparison, err = scenario.Compare(p, ss...); err != nil {
			return err
		}
		zero := decimal.Zero
		rules := scenario.Guardrails{{Name: "contribution ≥ 0 per partnership", Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: &zero}}
		if opt.Breaches, err = rules.CheckComparison(opt.Comparison); err != nil {
			return err
		}
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
		spec, err := montecarlo.LoadSpec(unc, p)
		if err != nil {
			return fmt.Errorf("uncertainty: %w", err)
		}
		seed := c.seed
		if spec.Run != nil {
			seed = cmp.Or(seed, spec.Run.Seed)
		}
		seed = cmp.Or(seed, 1)
		// No default trial count: -trials, else the file's run.trials.
		bar := newProgress(stderr)
		sim, err := montecarlo.Run(ctx, p, spec, montecarlo.Options{Trials: c.trials, Seed: seed, Progress: bar.update})
		bar.done()
		if errors.Is(err, montecarlo.ErrNoTrials) {
			return fmt.Errorf(`no trial count for the Monte Carlo run: give -trials N, or "run": {"trials": N} in %s`, cmp.Or(c.uncertainty, "the uncertainty file"))
		}
		if err != nil {
			return err
		}
		opt.Simulation, opt.Seed, opt.Trials = sim, sim.Seed, sim.Trials
	}

	fmt.Fprintf(stdout, "%-14s %16s %14s %16s   (%s)\n", "partnership", "contribution", "contribution %", "NPV", base.Currency.Code)
	for _, ps := range base.Partnerships {
		fmt.Fprintf(stdout, "%-14s %16s %13s%% %16s\n", ps.ID, ps.Total.Total[costmodel.LineContribution].StringFixed(2),
			ps.Measures.ContributionRatio.Value.Shift(2).StringFixed(1), ps.Measures.NPV.StringFixed(2))
	}
	if err := report.WriteFile(c.out, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", c.out)
	if c.csv != "" {
		f, err := os.Create(c.csv)
		if err != nil {
			return err
		}
		if err := report.WriteStatementCSV(f, base); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", c.csv)
	}
	return nil
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(sa, sb)
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
