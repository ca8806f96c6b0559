//go:build unix

package report

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// These tests set writeFileHook or the umask, which are process-wide: they
// do not run in parallel, and the package's parallel tests, which start
// only after every sequential test has finished, never see them.

// fullDisk is a writer that takes limit bytes and then fails as a full
// disk does.
type fullDisk struct {
	w     io.Writer
	limit int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) > d.limit {
		n, _ := d.w.Write(p[:d.limit])
		d.limit = 0
		return n, &fs.PathError{Op: "write", Path: "/tmp/.hidden.tmp", Err: syscall.ENOSPC}
	}
	d.limit -= len(p)
	return d.w.Write(p)
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// A disk that fills up half-way through the workbook leaves the old
// workbook byte-for-byte intact and no temporary file.
func TestWriteFileFullDisk(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "review.xlsx")
	p := loadPortfolio(t, "small.json")
	if err := WriteFile(path, Options{Portfolio: p, Title: "first"}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	writeFileHook = func(w io.Writer) io.Writer { return &fullDisk{w: w, limit: 4096} }
	defer func() { writeFileHook = nil }()
	err := WriteFile(path, Options{Portfolio: p, Title: "second"})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %v: want the full disk (ENOSPC) through it", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("a failed write changed the workbook: %d bytes before, %d after", len(before), len(after))
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only review.xlsx", names)
	}
}

// Write and WriteStatementCSV report a write to a full device (/dev/full
// refuses every write with ENOSPC).
func TestWriteDevFull(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	p := loadPortfolio(t, "small.json")
	if err := Write(full, Options{Portfolio: p}); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Write to /dev/full: %v, want ENOSPC", err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteStatementCSV(full, st); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("WriteStatementCSV to /dev/full: %v, want ENOSPC", err)
	}
}

func TestWriteFileMode(t *testing.T) {
	prev := syscall.Umask(0o022)
	defer syscall.Umask(prev)
	dir := t.TempDir()
	path := filepath.Join(dir, "review.xlsx")
	p := loadPortfolio(t, "small.json")
	if err := WriteFile(path, Options{Portfolio: p}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("new workbook mode %v, want 0644 (0666 less umask 022)", st.Mode().Perm())
	}
	if err := os.Chmod(path, 0o660); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, Options{Portfolio: p}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o660 {
		t.Errorf("rewritten workbook mode %v, want 0660 kept", st.Mode().Perm())
	}
}

func TestWriteFileRefuses(t *testing.T) {
	dir := t.TempDir()
	p := loadPortfolio(t, "small.json")
	sub := filepath.Join(dir, "book.xlsx")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(dir, "final.xlsx")
	if err := os.WriteFile(ro, []byte("signed off"), 0o444); err != nil {
		t.Fatal(err)
	}
	// A named pipe stands for every special file (a device node would
	// need root; never aim a test at the real /dev/null: code that renamed
	// over it, run as root, would replace the device with a file).
	pipe := filepath.Join(dir, "pipe.xlsx")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, says string }{
		{sub, "directory"},
		{pipe, "named pipe"},
		{ro, "read-only"},
		{filepath.Join(dir, "no-such-dir", "x.xlsx"), "does not exist"},
	} {
		err := WriteFile(tt.path, Options{Portfolio: p})
		if err == nil || !strings.Contains(err.Error(), tt.path) || !strings.Contains(err.Error(), tt.says) || strings.Contains(err.Error(), ".tmp") {
			t.Errorf("WriteFile(%s) = %v, want an error naming it and saying %q", tt.path, err, tt.says)
		}
	}
	if b, _ := os.ReadFile(ro); string(b) != "signed off" {
		t.Error("read-only workbook replaced")
	}
	if st, _ := os.Lstat(pipe); st.Mode().IsRegular() {
		t.Error("the named pipe was replaced by a file")
	}
	if names := dirEntries(t, dir); len(names) != 3 {
		t.Errorf("directory holds %q", names)
	}
}

func TestWriteFileReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: a read-only directory does not stop root (TestWriteFileRefuses covers a read-only file, refused by its mode bits even for root)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "review.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	err := WriteFile(path, Options{Portfolio: loadPortfolio(t, "small.json")})
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), path) {
		t.Errorf("WriteFile in a read-only directory: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Error("workbook changed")
	}
}

// A symbolic link is written through: the file it points to is replaced
// and the link stays a link.
func TestWriteFileSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "review-2026.xlsx")
	if err := os.WriteFile(real, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.xlsx")
	if err := os.Symlink("review-2026.xlsx", link); err != nil {
		t.Fatal(err)
	}
	p := loadPortfolio(t, "small.json")
	if err := WriteFile(link, Options{Portfolio: p}); err != nil {
		t.Fatal(err)
	}
	if li, _ := os.Lstat(link); li.Mode()&fs.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if got, err := ReadAssumptionsFile(real, p); err != nil || got == nil {
		t.Errorf("the link's target is not the new workbook: %v", err)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o640 {
		t.Errorf("target mode %v, want 0640 kept", st.Mode().Perm())
	}
}
