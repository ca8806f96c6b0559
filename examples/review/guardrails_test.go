package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A scenarios file with a guardrail: the market's net cash flow in each
// month, with its set-up of 1,200 paid in the first month (2026-11),
// breaks a floor of 0 there, and the CLI says the window and the cell.
func TestReviewPrintsWindowBreaches(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.json")
	body := `{"scenarios": [{"name": "more", "shocks": [{"target": "*/*/orders", "op": "multiply", "value": 1.1}]}],
	  "guardrails": [{"name": "market cash", "scope": "partnership", "key": "market", "metric": "net_cash_flow", "min": 0, "window": {"each": "month"}}]}`
	if err := os.WriteFile(scen, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	c := config{portfolio: filepath.Join("..", "..", "testdata", "small.json"), scenarios: scen, out: filepath.Join(dir, "r.xlsx")}
	if err := run(context.Background(), c, &out, &errb); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	s := out.String()
	for _, want := range []string{"guardrails:", "partnership market net_cash_flow", "2026-11", "market cash"} {
		if !strings.Contains(s, want) {
			t.Errorf("stdout lacks %q:\n%s", want, s)
		}
	}
}
