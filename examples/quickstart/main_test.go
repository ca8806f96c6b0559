package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func TestQuickstart(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(&out, dir); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"amazon-us", "feedlink", "portfolio", "peak-season", "guardrail breaches", "wrote "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	st, err := os.Stat(filepath.Join(dir, "partnership-review.xlsx"))
	if err != nil || st.Size() < 10000 {
		t.Errorf("workbook: %v", err)
	}
}

// A partnership without sales has no contribution margin: the summary
// prints n/a, never 0.0%, and so do the scenario deltas over a zero base.
func TestQuickstartUndefinedRatio(t *testing.T) {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Drivers() {
		if strings.HasPrefix(d.Address, "amazon-us/") && strings.HasSuffix(d.Address, "/orders") {
			if _, err := p.Set(d.Address, decimal.Zero); err != nil {
				t.Fatal(err)
			}
		}
	}
	// the n/a is printing, not simulation: 1,000 trials (10,000 took a
	// minute of CI's race-enabled run)
	testTrials = 1000
	defer func() { testTrials = 0 }()
	var out bytes.Buffer
	if err := review(&out, t.TempDir(), p); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, "amazon-us ") {
			if f := strings.Fields(line); len(f) < 3 || f[2] != "n/a" {
				t.Errorf("amazon-us line %q: want its contribution %% n/a", line)
			}
			return
		}
	}
	t.Errorf("no amazon-us line:\n%s", out.String())
}

func TestRatioFormat(t *testing.T) {
	if got := ratio(costmodel.Ratio{}); got != "n/a" {
		t.Errorf("undefined ratio: %q", got)
	}
	if got := ratio(costmodel.Ratio{Value: decimal.RequireFromString("0.1655"), Valid: true}); got != "16.6%" {
		t.Errorf("ratio: %q", got)
	}
	if got := percent(scenario.Value{}); got != "n/a" {
		t.Errorf("undefined value: %q", got)
	}
}
