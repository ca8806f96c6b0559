//go:build unix

package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The tests replace package hooks and the process umask, so they do not
// run in parallel.

var old = []byte("the last good file, 21 kB in real life\n")

// existing returns a directory holding the file name with old content and
// mode perm.
func existing(t *testing.T, perm fs.FileMode) (dir, path string) {
	t.Helper()
	dir = t.TempDir()
	path = filepath.Join(dir, "review.csv")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// checkIntact fails unless path holds old and dir holds only path.
func checkIntact(t *testing.T, dir, path string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, old) {
		t.Errorf("%s = %q, %v; want the old content intact", path, got, err)
	}
	onlyFile(t, dir, filepath.Base(path))
}

// onlyFile fails unless dir holds exactly the named entry (no temporary
// file left behind).
func onlyFile(t *testing.T, dir, name string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if len(names) != 1 || names[0] != name {
		t.Errorf("directory holds %q, want only %q", names, name)
	}
}

// checkNamesPath fails unless err names path and no temporary file.
func checkNamesPath(t *testing.T, err error, path string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("error %q: want it to name %s and not the temporary file", err, path)
	}
}

func content(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func withUmask(t *testing.T, mask int) {
	t.Helper()
	prev := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(prev) })
}

func TestWriteNewFileMode(t *testing.T) {
	withUmask(t, 0o022)
	dir := t.TempDir()
	path := filepath.Join(dir, "book.xlsx")
	if err := Write(path, content("new")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// os.CreateTemp, used before, gave 0600: colleagues on a shared
	// folder could not open the workbook.
	if st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode %v, want 0644 (0666 less umask 022)", st.Mode().Perm())
	}
	onlyFile(t, dir, "book.xlsx")
	withUmask(t, 0o077)
	other := filepath.Join(dir, "private.xlsx")
	if err := Write(other, content("new")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(other); st.Mode().Perm() != 0o600 {
		t.Errorf("new file under umask 077: mode %v, want 0600", st.Mode().Perm())
	}
}

func TestWriteKeepsMode(t *testing.T) {
	withUmask(t, 0o022)
	for _, perm := range []fs.FileMode{0o600, 0o640, 0o664, 0o666, 0o200} {
		dir, path := existing(t, perm)
		if err := Write(path, content("rewritten")); err != nil {
			t.Fatalf("%v: %v", perm, err)
		}
		st, _ := os.Stat(path)
		if st.Mode().Perm() != perm {
			t.Errorf("rewritten file mode %v, want it kept at %v", st.Mode().Perm(), perm)
		}
		if got, _ := os.ReadFile(path); string(got) != "rewritten" {
			t.Errorf("content %q", got)
		}
		onlyFile(t, dir, "review.csv")
	}
}

// enospc is the error of a write to a full disk, as the system gives it
// for the temporary file.
func enospc(name string) error {
	return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
}

func TestWriteFailuresLeaveTheOldFile(t *testing.T) {
	steps := []struct {
		name  string
		setup func() func()
	}{
		{"fill fails", func() func() { return func() {} }},
		{"disk full on write", func() func() {
			n := 0
			writeFile = func(f *os.File, p []byte) (int, error) {
				if n += len(p); n > 10 {
					return 0, enospc(f.Name())
				}
				return f.Write(p)
			}
			return func() { writeFile = (*os.File).Write }
		}},
		{"sync fails", func() func() {
			syncFile = func(f *os.File) error { return &fs.PathError{Op: "sync", Path: f.Name(), Err: syscall.EIO} }
			return func() { syncFile = (*os.File).Sync }
		}},
		{"close fails", func() func() {
			closeFile = func(f *os.File) error {
				f.Close()
				return &fs.PathError{Op: "close", Path: f.Name(), Err: syscall.ENOSPC}
			}
			return func() { closeFile = (*os.File).Close }
		}},
		{"rename fails", func() func() {
			rename = func(a, b string) error { return &os.LinkError{Op: "rename", Old: a, New: b, Err: syscall.EXDEV} }
			return func() { rename = os.Rename }
		}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			dir, path := existing(t, 0o644)
			restore := s.setup()
			defer restore()
			fill := func(w io.Writer) error {
				// more than the buffer, so writes reach the file
				if _, err := w.Write(bytes.Repeat([]byte("x"), 200<<10)); err != nil {
					return err
				}
				if s.name == "fill fails" {
					return errors.New("the producer failed")
				}
				return nil
			}
			err := Write(path, fill)
			if err == nil {
				t.Fatal("no error")
			}
			if s.name != "fill fails" {
				checkNamesPath(t, err, path)
			}
			checkIntact(t, dir, path)
		})
	}
}

func TestWriteFullDiskIsENOSPC(t *testing.T) {
	dir, path := existing(t, 0o644)
	writeFile = func(f *os.File, p []byte) (int, error) { return 0, enospc(f.Name()) }
	defer func() { writeFile = (*os.File).Write }()
	err := Write(path, content(strings.Repeat("y", 100<<10)))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("error %v: want ENOSPC through it", err)
	}
	checkNamesPath(t, err, path)
	checkIntact(t, dir, path)
}

func TestWritePanicRemovesTemp(t *testing.T) {
	dir, path := existing(t, 0o644)
	func() {
		defer func() { recover() }()
		Write(path, func(w io.Writer) error {
			io.WriteString(w, "half")
			panic("producer bug")
		})
	}()
	checkIntact(t, dir, path)
}

func TestWriteRefuses(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "out.xlsx")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	_, ro := existing(t, 0o444)
	dangling := filepath.Join(dir, "dangling.xlsx")
	if err := os.Symlink(filepath.Join(dir, "nowhere.xlsx"), dangling); err != nil {
		t.Fatal(err)
	}
	toDir := filepath.Join(dir, "todir.xlsx")
	if err := os.Symlink(sub, toDir); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want error
		says string
	}{
		{sub, ErrDirectory, "directory"},
		{specialFile(t, dir, "pipe.csv", syscall.S_IFIFO), ErrNotRegular, "named pipe"},
		{specialFile(t, dir, "device.csv", syscall.S_IFCHR), ErrNotRegular, "device"},
		{ro, ErrReadOnly, "read-only"},
		{dangling, ErrDangling, "does not exist"},
		{toDir, ErrDirectory, "directory"},
		{filepath.Join(dir, "missing", "x.xlsx"), nil, "does not exist"},
		{filepath.Join(ro, "x.xlsx"), nil, "not a directory"},
		{"", nil, "no file name"},
	}
	for _, tt := range tests {
		for name, do := range map[string]func(string) error{
			"Write": func(p string) error { return Write(p, content("x")) },
			"Check": Check,
		} {
			err := do(tt.path)
			if err == nil {
				t.Errorf("%s(%q): no error", name, tt.path)
				continue
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("%s(%q) = %v, want %v", name, tt.path, err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("%s(%q) = %q: want it to name the path and say %q", name, tt.path, err, tt.says)
			}
		}
	}
	if got, _ := os.ReadFile(ro); !bytes.Equal(got, old) {
		t.Error("read-only file changed")
	}
	for _, name := range []string{"pipe.csv", "device.csv"} {
		if st, err := os.Lstat(filepath.Join(dir, name)); err != nil || st.Mode().IsRegular() {
			t.Errorf("%s was replaced by a file: %v", name, err)
		}
	}
}

// specialFile makes a named pipe or (as root, who may) a character device
// equal to /dev/null in dir. The tests never aim a write at the real
// /dev/null or /dev/full: run as root against code that renamed over any
// target, that would replace the system's devices with a file.
func specialFile(t *testing.T, dir, name string, kind uint32) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if kind == syscall.S_IFCHR && os.Geteuid() != 0 {
		kind = syscall.S_IFIFO // only root may make a device node
	}
	if err := syscall.Mknod(path, kind|0o666, 1<<8|3); err != nil {
		t.Fatalf("mknod %s: %v", path, err)
	}
	return path
}

func TestWriteReadOnlyDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: directory permissions do not stop root from creating files (TestWriteRefuses covers a read-only file, which is refused by its mode bits even for root)")
	}
	dir, path := existing(t, 0o644)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	for _, err := range []error{Write(path, content("new")), Check(path)} {
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("error %v: want permission denied", err)
		}
		checkNamesPath(t, err, path)
	}
	checkIntact(t, dir, path)
}

func TestWriteThroughSymlink(t *testing.T) {
	dir, real := existing(t, 0o640)
	other := t.TempDir()
	link := filepath.Join(other, "latest.csv")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := Check(link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, content("through the link")); err != nil {
		t.Fatal(err)
	}
	li, err := os.Lstat(link)
	if err != nil || li.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the link was replaced by a file: %v %v", li.Mode(), err)
	}
	got, _ := os.ReadFile(real)
	if string(got) != "through the link" {
		t.Errorf("target holds %q", got)
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o640 {
		t.Errorf("target mode %v, want 0640 kept", st.Mode().Perm())
	}
	onlyFile(t, dir, "review.csv")
	onlyFile(t, other, "latest.csv")
}

func TestCheckLeavesNothing(t *testing.T) {
	dir, path := existing(t, 0o644)
	if err := Check(path); err != nil {
		t.Fatal(err)
	}
	checkIntact(t, dir, path)
	if err := Check(filepath.Join(dir, "new.xlsx")); err != nil {
		t.Fatal(err)
	}
	onlyFile(t, dir, "review.csv")
}

func TestWriteNilFill(t *testing.T) {
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "x"), nil); err == nil {
		t.Error("nil fill accepted")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left %v", ents)
	}
}

func ExampleWrite() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "statement.csv")
	err := Write(path, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "partnership,amount")
		return err
	})
	b, _ := os.ReadFile(path)
	fmt.Printf("%v %q\n", err, b)
	// Output: <nil> "partnership,amount\n"
}

// A rewritten file keeps its owner and group where the process may set
// them: a nobody:nogroup 0664 CSV rewritten by root stays nobody:nogroup.
// Needs root (only root may give a file away).
func TestWriteKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can give a file another owner")
	}
	_, path := existing(t, 0o664)
	if err := os.Chown(path, 65534, 65534); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, content("rewritten")); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	sys := st.Sys().(*syscall.Stat_t)
	if sys.Uid != 65534 || sys.Gid != 65534 || st.Mode().Perm() != 0o664 {
		t.Errorf("rewritten file %d:%d %v, want 65534:65534 -rw-rw-r--", sys.Uid, sys.Gid, st.Mode().Perm())
	}
}

// A process that may not give the file to its owner (EPERM, as for any
// user but root) still keeps the group, and the write succeeds.
func TestWriteKeepsGroupWithoutOwner(t *testing.T) {
	_, path := existing(t, 0o664)
	st, _ := os.Stat(path)
	uid, gid := int(st.Sys().(*syscall.Stat_t).Uid), int(st.Sys().(*syscall.Stat_t).Gid)
	var calls [][2]int
	old := chown
	t.Cleanup(func() { chown = old })
	chown = func(f *os.File, u, g int) error {
		calls = append(calls, [2]int{u, g})
		if u != -1 {
			return &fs.PathError{Op: "chown", Path: f.Name(), Err: syscall.EPERM}
		}
		return nil
	}
	if err := Write(path, content("rewritten")); err != nil {
		t.Fatal(err)
	}
	want := [][2]int{{uid, gid}, {-1, gid}}
	if fmt.Sprint(calls) != fmt.Sprint(want) {
		t.Errorf("chown calls %v, want %v", calls, want)
	}
	if got, _ := os.ReadFile(path); string(got) != "rewritten" {
		t.Errorf("content %q", got)
	}
}
