package main

import (
	"bytes"
	"strings"
	"testing"
)

// The example runs on the embedded sample and reports its planted
// deviations.
func TestHealthcheckSample(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, "", "", ""); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ebay 2026-06: billed", "over by 12.50", // the billing check
		"(2026-09, 2026-10)",            // the return-rate spike
		"free API allowance",            // the allowance
		"breached 1 (2026-11)",          // the outage
		"Actual contribution",           // the bridge
		"actuals + plan at 3-month run", // the re-forecast
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}
