package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/samplereview"
	"github.com/marginalhq/marginal/report"
	"github.com/marginalhq/marginal/scenario"
	"github.com/xuri/excelize/v2"
)

// sampleTrials is the trial count of the sample review the tests and
// examples of this file build: the quickstart's review
// (internal/samplereview) with fewer trials, which change its figures a
// little and its sheets, rows and charts not at all.
const sampleTrials = 1000

var sample struct {
	once sync.Once
	opt  report.Options
	book []byte
	err  error
}

// sampleReview is the quickstart's review of the sample portfolio
// (sampleTrials trials) and its workbook, built once for every test and
// example that reads it.
func sampleReview() (report.Options, []byte, error) {
	sample.once.Do(func() {
		p, err := marginal.SamplePortfolio()
		if err != nil {
			sample.err = err
			return
		}
		specs, _, err := samplereview.Specs(p)
		if err != nil {
			sample.err = err
			return
		}
		specs.Trials = sampleTrials
		opt, err := specs.Compute(context.Background(), p, nil)
		if err != nil {
			sample.err = err
			return
		}
		opt.Version = marginal.Version
		var buf bytes.Buffer
		if err := report.Write(&buf, opt); err != nil {
			sample.err = err
			return
		}
		sample.opt, sample.book = opt, buf.Bytes()
	})
	return sample.opt, sample.book, sample.err
}

// The quickstart's workbook (every sheet the sample review writes: the
// Statement's and Samples' long tables stay on screen, the Scenarios and
// Monte Carlo sheets print their portfolio and partnership parts) prints,
// as LibreOffice exports it to PDF, on at most 40 pages. It printed on 47
// before the print areas of the Scenarios and Monte Carlo sheets.
func TestSampleReviewPrintedPages(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) is not installed")
	}
	_, book, err := sampleReview()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "partnership-review.xlsx")
	if err := os.WriteFile(path, book, 0o644); err != nil {
		t.Fatal(err)
	}
	profile := "file://" + filepath.Join(dir, "profile")
	cmd := exec.Command("soffice", "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf", "--outdir", dir, path)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("soffice --convert-to pdf: %v\n%s", err, out.String())
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "partnership-review.pdf"))
	if err != nil {
		t.Fatalf("no PDF: %v\n%s", err, out.String())
	}
	// a page object, not the /Pages tree
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	t.Logf("%d printed pages", pages)
	if pages < 14 || pages > 40 {
		t.Errorf("the workbook prints on %d pages, want one or more a sheet (14 sheets) and at most 40", pages)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// Every chart of the quickstart's workbook draws existing, filled cells
// of existing sheets (report's TestChartRanges, on this workbook): the
// Summary's, the Scenarios', the tornado, the histograms and S-curves of
// contribution and NPV, the fan, the rank correlations and the
// renegotiation's: ten charts.
func TestSampleReviewChartRanges(t *testing.T) {
	t.Parallel()
	_, book, err := sampleReview()
	if err != nil {
		t.Fatal(err)
	}
	charts, refs := report.ChartRanges(book, t.Errorf)
	t.Logf("%d charts, %d series references", charts, refs)
	if charts < 10 || refs < 2*charts {
		t.Errorf("%d charts with %d references: expected the quickstart's charts", charts, refs)
	}
}

// The histogram of the portfolio's contribution marks the bins that hold
// its P5, P50, P95, mean and base case: each named in the Holds column of
// the bin whose edges hold the value, and counted in the marked series.
func TestSampleReviewHistogramMarks(t *testing.T) {
	t.Parallel()
	opt, book, err := sampleReview()
	if err != nil {
		t.Fatal(err)
	}
	o, ok := opt.Simulation.Output(scenario.Output{Metric: scenario.Contribution})
	if !ok {
		t.Fatal("no simulated contribution")
	}
	base, _ := strconv.ParseFloat(opt.Statement.Portfolio.Total[costmodel.LineContribution].String(), 64)
	want := map[string]float64{"P5": o.Percentile(0.05), "P50": o.Percentile(0.5), "P95": o.Percentile(0.95), "mean": o.Summary.Mean, "base case": base}
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(report.SheetMonteCarlo, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r []string, c int) string {
		if c < len(r) {
			return r[c]
		}
		return ""
	}
	found := map[string]bool{}
	for i, r := range rows {
		for c := range r {
			if r[c] != "Distribution of portfolio contribution" || cell(rows[i+1], c) != "Bin from" {
				continue
			}
			for k := 0; k < len(o.Histogram.Counts); k++ {
				row := rows[i+2+k]
				lo, _ := strconv.ParseFloat(cell(row, c), 64)
				hi, _ := strconv.ParseFloat(cell(row, c+1), 64)
				count, _ := strconv.Atoi(cell(row, c+2))
				marked, _ := strconv.Atoi(cell(row, c+5))
				holds := cell(row, c+4)
				if (holds != "" && marked != count) || (holds == "" && marked != 0) {
					t.Errorf("bin %d: holds %q, %d trials, %d marked", k, holds, count, marked)
				}
				for _, name := range strings.Split(holds, ", ") {
					if name == "" {
						continue
					}
					v, ok := want[name]
					if !ok {
						t.Errorf("bin %d holds %q, not a marked statistic", k, name)
						continue
					}
					found[name] = true
					if v < lo || v > hi {
						t.Errorf("%s %v marked in bin %d [%v, %v]", name, v, k, lo, hi)
					}
				}
			}
		}
	}
	for name := range want {
		if !found[name] {
			t.Errorf("%s is marked in no bin", name)
		}
	}
}
