package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func TestPeakSeason(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(&out, dir); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"marketplace", "own-shop", "largest beauty price cut", "wrote "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "peak-season.xlsx")); err != nil {
		t.Error(err)
	}
}

func TestPercentFormat(t *testing.T) {
	for _, tt := range []struct {
		v          scenario.Value
		pct, delta string
	}{
		{scenario.Value{}, "n/a", "n/a"},
		{scenario.Value{Amount: decimal.RequireFromString("0.312"), Valid: true}, "31.2 %", "+31.2%"},
		{scenario.Value{Amount: decimal.RequireFromString("-0.05"), Valid: true}, "-5.0 %", "-5.0%"},
		{scenario.Value{Amount: decimal.Zero, Valid: true}, "0.0 %", "+0.0%"},
	} {
		if got := percent(tt.v); got != tt.pct {
			t.Errorf("percent(%v) = %q, want %q", tt.v, got, tt.pct)
		}
		if got := signedPercent(tt.v); got != tt.delta {
			t.Errorf("signedPercent(%v) = %q, want %q", tt.v, got, tt.delta)
		}
	}
}

// A category without sales has no CM3 ratio: its guardrail cannot be
// checked, and the breach says so instead of comparing n/a with 25 %.
func TestPeakSeasonUndefinedBreach(t *testing.T) {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Drivers() {
		if strings.HasSuffix(d.Address, "/furniture/orders") {
			if _, err := p.Set(d.Address, decimal.Zero); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out bytes.Buffer
	if err := analyse(&out, t.TempDir(), p); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(out.String(), "\n") {
		if !strings.Contains(line, "category furniture") {
			continue
		}
		found = true
		if !strings.Contains(line, "n/a (no net sales), not checked against 25 %") || strings.Contains(line, "<") {
			t.Errorf("furniture breach %q: want n/a, not checked", line)
		}
	}
	if !found {
		t.Errorf("no furniture breach:\n%s", out.String())
	}
}
