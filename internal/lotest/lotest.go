// Package lotest runs headless LibreOffice for tests that hold a
// workbook's formulas to Go's figures: it finds the python interpreter
// that can drive LibreOffice (python3-uno) and runs report's recalc.py
// (load, calculateAll, read every formula cell). Without LibreOffice a
// test is skipped, except on CI (CI=true), where a missing LibreOffice
// must not pass silently.
package lotest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Cell is one formula cell as LibreOffice recalculated it.
type Cell struct {
	Value *float64 `json:"value"` // nil when the cell is an error or text
	Text  string   `json:"text"`
	Error int      `json:"error"` // LibreOffice error code, 0 for none
}

// Python returns the python interpreter that can import uno, skipping t
// (failing it on CI) without LibreOffice.
func Python(t testing.TB) string {
	t.Helper()
	missing := func(why string) {
		t.Helper()
		if os.Getenv("CI") == "true" {
			t.Fatalf("LibreOffice parity check cannot run on CI: %s (apt-get install libreoffice-calc python3-uno)", why)
		}
		t.Skipf("skipping LibreOffice parity check: %s", why)
	}
	if _, err := exec.LookPath("soffice"); err != nil {
		missing("soffice not found")
	}
	// Debian's python3-uno is for the system interpreter; a python3 earlier
	// on PATH (pyenv, venv) usually cannot import uno.
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import uno").Run() == nil {
			return py
		}
	}
	missing("no python3 with the uno module (python3-uno)")
	return ""
}

// Recalc recalculates the workbook at path with the recalc.py script
// (report/testdata/recalc.py) and returns every formula cell's result by
// sheet and A1 reference.
func Recalc(t testing.TB, script, path string) map[string]map[string]Cell {
	t.Helper()
	py := Python(t)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(py, script, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("recalc.py %s: %v\n%s", path, err, stderr.String())
	}
	t.Logf("LibreOffice recalculation took %v", time.Since(start).Round(time.Millisecond))
	var out map[string]map[string]Cell
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("recalc.py output: %v\n%s", err, stdout.String())
	}
	return out
}
