package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/shopspring/decimal"
)

func TestReviewSample(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	c := config{out: filepath.Join(dir, "r.xlsx"), csv: filepath.Join(dir, "r.csv"), trials: 2000, seed: 1}
	if err := run(context.Background(), c, &out, &errb); err != nil {
		t.Fatal(err)
	}
	// stderr is not a terminal here: no progress bar unless asked
	if !strings.Contains(out.String(), "feedlink") || errb.Len() != 0 {
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

func TestParseArgsTrialsZero(t *testing.T) {
	for _, args := range [][]string{{"-trials", "0"}, {"-trials=0"}, {"-seed", "0"}} {
		_, err := parseArgs(args)
		if err == nil || !strings.Contains(err.Error(), args[0][:strings.IndexAny(args[0]+"=", "=")]) || !strings.Contains(err.Error(), "expected") {
			t.Errorf("%q: %v, want an error naming the flag and what is expected", args, err)
		}
	}
	c, err := parseArgs([]string{"-trials", "-1", "-seed", "7", "-out", "x.xlsx"})
	if err != nil || c.trials != -1 || c.seed != 7 || c.out != "x.xlsx" {
		t.Errorf("parseArgs = %+v, %v", c, err)
	}
	if c, err := parseArgs(nil); err != nil || c.trials != 0 || c.out != "review.xlsx" {
		t.Errorf("no flags: %+v, %v", c, err)
	}
}

// Outputs that cannot be written are refused before the simulation, not
// after it: stderr shows no progress, and nothing is written.
func TestReviewChecksOutputsFirst(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "folder")
	os.Mkdir(sub, 0o755)
	ro := filepath.Join(dir, "signed-off.csv")
	os.WriteFile(ro, []byte("old,csv\n"), 0o444)
	good := filepath.Join(dir, "r.xlsx")
	tests := []struct {
		name string
		c    config
		want []string
	}{
		{"out is a directory", config{out: sub}, []string{"-out", sub, "directory"}},
		{"csv is a directory", config{out: good, csv: sub}, []string{"-csv", sub, "directory"}},
		{"out in a missing directory", config{out: filepath.Join(dir, "nope", "r.xlsx")}, []string{"-out", "does not exist"}},
		{"csv read-only", config{out: good, csv: ro}, []string{"-csv", ro, "read-only"}},
		{"csv is out", config{out: good, csv: good}, []string{"-csv", "overwrite", "-out"}},
		{"csv is out, spelt otherwise", config{out: good, csv: filepath.Join(dir, "folder", "..", "r.xlsx")}, []string{"-csv", "overwrite", "-out"}},
		{"empty out", config{out: ""}, []string{"-out"}},
	}
	for _, tt := range tests {
		tt.c.trials, tt.c.seed = 2000, 1
		var out, errb bytes.Buffer
		err := run(context.Background(), tt.c, &out, &errb)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tt.name, err, w)
			}
		}
		if errb.Len() > 0 || out.Len() > 0 {
			t.Errorf("%s: work was done before the check:\n%s%s", tt.name, out.String(), errb.String())
		}
	}
	if _, err := os.Stat(good); err == nil {
		t.Error("a workbook was written although an output was refused")
	}
	if b, _ := os.ReadFile(ro); string(b) != "old,csv\n" {
		t.Error("read-only CSV changed")
	}
}

// The CSV is written whole: a rewrite keeps the file's mode and leaves no
// temporary file, and a refused -csv leaves the old CSV byte-for-byte.
func TestReviewCSVRewrite(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "r.csv")
	os.WriteFile(csv, []byte("old"), 0o640)
	c := config{out: filepath.Join(dir, "r.xlsx"), csv: csv, trials: -1}
	var out, errb bytes.Buffer
	if err := run(context.Background(), c, &out, &errb); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(csv)
	if err != nil || st.Mode().Perm() != 0o640 || st.Size() < 1000 {
		t.Errorf("rewritten CSV: %v %v", st.Mode(), err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("directory holds %d entries, want the workbook and the CSV", len(ents))
	}
}

// A partnership without net sales has no contribution margin: it prints
// n/a, never 0.0%.
func TestReviewUndefinedRatio(t *testing.T) {
	dir := t.TempDir()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	idle := p.Partnerships[0].ID
	for _, d := range p.Drivers() {
		if strings.HasPrefix(d.Address, idle+"/") && strings.HasSuffix(d.Address, "/orders") {
			if _, err := p.Set(d.Address, decimal.Zero); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(dir, "idle.json")
	f, _ := os.Create(path)
	if err := p.Save(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var out, errb bytes.Buffer
	if err := run(context.Background(), config{portfolio: path, out: filepath.Join(dir, "r.xlsx"), trials: 500}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(line, idle+" ") {
			if !strings.Contains(line, " n/a ") || strings.Contains(line, "0.0%") {
				t.Errorf("idle partnership's line %q: want its contribution margin n/a", line)
			}
			return
		}
	}
	t.Errorf("no line for %s:\n%s", idle, out.String())
}

// Errors in the scenario and uncertainty files name the file the user
// gave, not the flag's topic.
func TestReviewNamesTheFile(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "my-scenarios.json")
	unc := filepath.Join(dir, "my-uncertainty.json")
	os.WriteFile(scen, []byte(`{"scenarios": [{"name": "x", "shocks": [{"target": "nothing/here", "op": "multiply", "value": 2}]}]}`), 0o644)
	os.WriteFile(unc, []byte(`{"inputs": [{"target": "nothing/here", "op": "set", "dist": {"type": "normal", "mean": 1, "sd": 1}}]}`), 0o644)
	var out, errb bytes.Buffer
	for _, c := range []config{
		{scenarios: scen, out: filepath.Join(dir, "a.xlsx"), trials: -1},
		{uncertainty: unc, out: filepath.Join(dir, "b.xlsx"), trials: 100, seed: 1},
	} {
		err := run(context.Background(), c, &out, &errb)
		name := c.scenarios + c.uncertainty
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") {
			t.Errorf("want an error starting %q, got %v", name+": ", err)
		}
	}
}
