package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
