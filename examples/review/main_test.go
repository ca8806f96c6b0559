package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReviewSample(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	c := config{out: filepath.Join(dir, "r.xlsx"), csv: filepath.Join(dir, "r.csv"), trials: 2000, seed: 1}
	if err := run(context.Background(), c, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "feedlink") || !strings.Contains(errb.String(), "2000 of 2000 trials") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out.String(), errb.String())
	}
	for _, f := range []string{"r.xlsx", "r.csv"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestReviewBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"currency":"USD","start":"2026-01","months":0,"discount_rate":0.1,"partnerships":[]}`), 0o644)
	var out, errb bytes.Buffer
	err := run(context.Background(), config{portfolio: bad, out: filepath.Join(dir, "x.xlsx")}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "months") || !strings.Contains(err.Error(), "partnerships") {
		t.Errorf("bad portfolio: %v", err)
	}
	err = run(context.Background(), config{portfolio: filepath.Join(dir, "missing.json")}, &out, &errb)
	if err == nil {
		t.Error("missing file accepted")
	}
	err = run(context.Background(), config{trials: -5, out: filepath.Join(dir, "x.xlsx")}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "-trials") {
		t.Errorf("negative trials: %v", err)
	}
	book := filepath.Join(dir, "r.xlsx")
	os.WriteFile(book, []byte("x"), 0o644)
	err = run(context.Background(), config{assumptions: book, out: book}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "overwrite") {
		t.Errorf("-out over -assumptions: %v", err)
	}
	err = run(context.Background(), config{assumptions: book, out: filepath.Join(dir, "new.xlsx"), csv: book}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "-csv") {
		t.Errorf("-csv over -assumptions: %v", err)
	}
	err = run(context.Background(), config{trials: -7, out: filepath.Join(dir, "x.xlsx")}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "-trials") {
		t.Errorf("negative trials: %v", err)
	}
}

// There is no default trial count: without -trials and without run.trials
// the run is an error naming both; an explicit -trials 0 is an error.
func TestReviewTrialCount(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	err := run(context.Background(), config{trials: 0, trialsSet: true, out: filepath.Join(dir, "x.xlsx")}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "-trials 0") {
		t.Errorf("-trials 0: %v", err)
	}
	unc := filepath.Join(dir, "u.json")
	os.WriteFile(unc, []byte(`{"inputs":[{"target":"*/*/orders","op":"multiply","dist":{"type":"uniform","min":0.9,"max":1.1}}]}`), 0o644)
	err = run(context.Background(), config{uncertainty: unc, out: filepath.Join(dir, "y.xlsx")}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "-trials N") || !strings.Contains(err.Error(), "u.json") {
		t.Errorf("no trial count: %v", err)
	}
}
