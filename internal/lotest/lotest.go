// Package lotest runs headless LibreOffice for tests that hold a
// workbook's formulas to Go's figures: it finds the python interpreter
// that can drive LibreOffice (python3-uno) and runs report's recalc.py
// (load, calculateAll, read every formula cell). Without LibreOffice a
// test is skipped, except on CI (CI=true), where a missing LibreOffice
// must not pass silently.
package lotest

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
// sheet and A1 reference. A test binary's recalculations share one
// LibreOffice (recalc.py --serve, started on first use): starting it with
// a fresh profile took 5 to 10 seconds a workbook, a third of report's
// test time under CI. It stops when the test binary exits (its stdin
// closes) or, earlier and waited for, with Stop in TestMain.
func Recalc(t testing.TB, script, path string) map[string]map[string]Cell {
	t.Helper()
	py := Python(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	line, err := shared.recalc(py, script, abs)
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
	var out map[string]map[string]Cell
	if err := json.Unmarshal(line, &out); err != nil {
		t.Fatalf("recalc.py output: %v\n%.2000s", err, line)
	}
	return out
}

// Stop ends the shared LibreOffice, if one runs (closing its stdin lets
// recalc.py stop LibreOffice and remove its profile).
func Stop() { shared.stop() }

// server is one recalc.py --serve process: a workbook path a line in, one
// line of JSON out. Requests are serialised.
type server struct {
	mu     sync.Mutex
	script string
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr lockedBuffer
}

var shared server

// recalc sends path to the server, starting it when none runs (or when it
// runs another script), and returns its answer line. A server that died
// (LibreOffice crashed) is replaced once.
func (s *server) recalc(py, script, path string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil && s.script != script {
		s.stopLocked()
	}
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

func (s *server) start(py, script string) error {
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
	s.script, s.cmd, s.in, s.out = script, cmd, in, bufio.NewReaderSize(out, 1<<20)
	return nil
}

func (s *server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
}

func (s *server) stopLocked() {
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
