package report_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/internal/samplereview"
	"github.com/marginalhq/marginal/report"
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
