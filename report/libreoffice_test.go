package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// loCell is one formula cell as LibreOffice recalculated it.
type loCell struct {
	Value *float64 `json:"value"` // nil when the cell is an error
	Text  string   `json:"text"`
	Error int      `json:"error"` // LibreOffice error code, 0 for none
}

// requireLibreOffice returns the python interpreter that can import uno.
// Without LibreOffice the test is skipped, except on CI (CI=true), where a
// missing LibreOffice must not pass silently.
func requireLibreOffice(t *testing.T) string {
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

// recalcWithLibreOffice recalculates the workbook at path in headless
// LibreOffice (testdata/recalc.py: load, calculateAll, read every formula
// cell) and returns the results by sheet and A1 reference. The package's
// tests share one LibreOffice (recalc.py --serve, started on first use and
// stopped by TestMain): starting it with a fresh profile took 5 to 10
// seconds a workbook, a third of the package's test time under CI.
func recalcWithLibreOffice(t *testing.T, path string) map[string]map[string]loCell {
	t.Helper()
	py := requireLibreOffice(t)
	script, err := filepath.Abs(filepath.Join("testdata", "recalc.py"))
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	line, err := sharedLO.recalc(py, script, abs)
	if err != nil {
		t.Fatalf("recalc.py --serve %s: %v", path, err)
	}
	t.Logf("LibreOffice recalculation took %v", time.Since(start).Round(time.Millisecond))
	var failed struct {
		Error string `json:"__error__"`
	}
	if json.Unmarshal(line, &failed) == nil && failed.Error != "" {
		t.Fatalf("recalc.py %s: %s", path, failed.Error)
	}
	var out map[string]map[string]loCell
	if err := json.Unmarshal(line, &out); err != nil {
		t.Fatalf("recalc.py output: %v\n%.2000s", err, line)
	}
	return out
}

// loServer is one recalc.py --serve process: a workbook path a line in,
// one line of JSON out. Requests are serialised.
type loServer struct {
	mu     sync.Mutex
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr lockedBuffer
}

var sharedLO loServer

// recalc sends path to the server, starting it when none runs, and
// returns its answer line. A server that died (LibreOffice crashed) is
// replaced once.
func (s *loServer) recalc(py, script, path string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for attempt := 0; ; attempt++ {
		if s.cmd == nil {
			if err := s.start(py, script); err != nil {
				return nil, err
			}
		}
		_, err := io.WriteString(s.in, path+"\n")
		var line []byte
		if err == nil {
			line, err = s.out.ReadBytes('\n')
		}
		if err == nil {
			return line, nil
		}
		why := fmt.Errorf("%v\n%s", err, s.stderr.String())
		s.stopLocked()
		if attempt == 1 {
			return nil, why
		}
	}
}

func (s *loServer) start(py, script string) error {
	cmd := exec.Command(py, script, "--serve")
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	s.stderr.Reset()
	cmd.Stderr = &s.stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	s.cmd, s.in, s.out = cmd, in, bufio.NewReaderSize(out, 1<<20)
	return nil
}

// stop ends the server (closing its stdin lets recalc.py stop LibreOffice
// and remove its profile).
func (s *loServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *loServer) stopLocked() {
	if s.cmd == nil {
		return
	}
	s.in.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	s.cmd, s.in, s.out = nil, nil, nil
}

// lockedBuffer is a bytes.Buffer safe for the exec package's copying
// goroutine and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *lockedBuffer) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b.Reset()
}

// TestMain stops the shared LibreOffice after the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	sharedLO.stop()
	os.Exit(code)
}

// libreOfficeMismatches recalculates the saved workbook pkg in LibreOffice
// and describes every formula cell whose cached value is missing, is an
// error, or differs from LibreOffice's result by more than tol. It also
// returns the number of formula cells.
func libreOfficeMismatches(t *testing.T, pkg []byte, tol float64) ([]string, int) {
	t.Helper()
	cells, err := cachedFormulaCells(pkg)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(path, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	lo := recalcWithLibreOffice(t, path)
	var bad []string
	for _, c := range cells {
		where := c.Sheet + "!" + c.Ref + " =" + c.Formula
		got, ok := lo[c.Sheet][c.Ref]
		switch {
		case !ok:
			bad = append(bad, where+": LibreOffice does not see a formula there")
		case got.Error != 0:
			bad = append(bad, fmt.Sprintf("%s: LibreOffice gives error %d (%s)", where, got.Error, got.Text))
		case !c.HasCached:
			bad = append(bad, fmt.Sprintf("%s: no cached value (LibreOffice: %s)", where, got.Text))
		case c.Type == "e":
			bad = append(bad, fmt.Sprintf("%s: cached value is the error %s", where, c.Cached))
		case c.Type == "str" || c.Type == "inlineStr":
			if !cachedValuesAgree(c.Cached, got.Text, tol) {
				bad = append(bad, fmt.Sprintf("%s: cached %q, LibreOffice %q", where, c.Cached, got.Text))
			}
		default:
			if !cachedValuesAgree(c.Cached, formatFloat(*got.Value), tol) {
				bad = append(bad, fmt.Sprintf("%s: cached %s, LibreOffice %v", where, c.Cached, *got.Value))
			}
		}
	}
	return bad, len(cells)
}

// checkLibreOfficeParity fails t for every formula cell of pkg whose cached
// value LibreOffice does not reproduce within tol (see
// libreOfficeMismatches), and when pkg has no formula at all.
func checkLibreOfficeParity(t *testing.T, pkg []byte, tol float64) int {
	t.Helper()
	bad, n := libreOfficeMismatches(t, pkg, tol)
	if n == 0 {
		t.Error("workbook has no formula cells")
	}
	for _, b := range bad {
		t.Error(b)
	}
	return n
}

// checkParity is checkLibreOfficeParity showing at most 30 problems. The
// workbook's own formulas are checked in LibreOffice, not with excelize's
// calculation engine, which mis-evaluates some of the formulas the
// model's fee rules print (x*MAX(0,MIN(a,b)-MAX(c,d)) inside a SUM, for
// one) and NPV over a range.
func checkParity(t *testing.T, pkg []byte) int {
	t.Helper()
	bad, n := libreOfficeMismatches(t, pkg, halfCent)
	if n == 0 {
		t.Error("workbook has no formula cells")
	}
	for i, m := range bad {
		if i == 30 {
			t.Errorf("... and %d more", len(bad)-30)
			break
		}
		t.Error(m)
	}
	return n
}
