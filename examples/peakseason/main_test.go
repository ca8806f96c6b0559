package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
