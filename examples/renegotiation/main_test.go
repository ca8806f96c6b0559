package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenegotiation(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run(&out, dir); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"a bargaining range exists: 4.17%–22.00% (from the partner's floor to our break-even)", "Nash rate", "better off in", "gain from growth", "Nash schedule", "proposed fairer in", "wrote "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "renegotiation.xlsx")); err != nil {
		t.Error(err)
	}
}
