// Package atomicfile writes a file so that a failed write loses nothing:
// the content goes to a temporary file beside the target, which replaces
// the target only once it is complete and on disk. Every file Marginal
// writes (report.WriteFile, the example programs' CSV exports) goes
// through [Write], so that the rules below hold for all of them.
//
//   - A failing write (a full disk, an error or a panic of the producer)
//     leaves an existing target byte-for-byte intact and leaves no
//     temporary file behind. A program killed mid-write also leaves the
//     target intact, but may leave its hidden ".NAME.*.tmp" file.
//   - A new file gets the mode os.Create gives it (0666 less the umask,
//     so 0644 under the usual umask 022); a rewritten file keeps its
//     permission bits, and its owner and group where the process may set
//     them: root keeps both; another user, who may not give a file away,
//     keeps the group when it is one of the user's groups, and otherwise
//     the replacement belongs to the writing process (the write is not
//     refused for that). On systems without Unix owners (Windows) the
//     replacement gets the directory's defaults.
//   - A directory, a device, a pipe or any other file that is not a
//     regular file is refused, and so is an existing file without any
//     write permission bit (someone marked it read-only).
//   - A symbolic link is written through: the file it points to is
//     replaced, in that file's directory, and the link is kept. A link to
//     nothing is refused.
//   - Errors name the path the caller gave, never the temporary file.
//
// What replacing by rename costs: the directory must be writable (a
// writable file in a read-only directory cannot be replaced), and a file
// with several hard links is replaced at this name only: the new content
// is a new file, and the other names keep linking to the old content.
// Extended attributes and ACLs of the old file are not copied.
package atomicfile

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Error is the error of a write that could not be done or completed. Path
// is the path the caller gave; Err is the cause (errors.Is(err,
// syscall.ENOSPC) and errors.Is(err, fs.ErrPermission) see through it).
type Error struct {
	Op   string // what failed: "write", "create", "replace"...
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Sentinel causes of a refused target.
var (
	ErrDirectory  = errors.New("it is a directory, not a file")
	ErrNotRegular = errors.New("not a regular file")
	ErrReadOnly   = errors.New("the file is read-only (no write permission bit); make it writable or choose another name")
	ErrDangling   = errors.New("it is a symbolic link to a file that does not exist")
)

// Hooks for the tests, to simulate a disk that fails at each step.
var (
	writeFile = (*os.File).Write
	syncFile  = (*os.File).Sync
	closeFile = (*os.File).Close
	rename    = os.Rename
	chown     = (*os.File).Chown
)

// target is where a write will land.
type target struct {
	resolved string      // the file that will be replaced or created
	exists   bool        // it exists (and is a writable regular file)
	perm     fs.FileMode // its permission bits, when it exists
	uid, gid int         // its owner and group, when it exists and hasOwner
	hasOwner bool
}

// resolve checks path as a target and follows a symbolic link.
func resolve(path string) (target, error) {
	if path == "" {
		return target{}, &Error{Op: "write", Path: `""`, Err: errors.New("no file name given")}
	}
	fail := func(err error) (target, error) { return target{}, &Error{Op: "write", Path: path, Err: err} }
	resolved := path
	li, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return checkDir(path, target{resolved: path})
	case err != nil:
		return fail(cause(err))
	case li.Mode()&fs.ModeSymlink != 0:
		if resolved, err = filepath.EvalSymlinks(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fail(ErrDangling)
			}
			return fail(cause(err))
		}
		if li, err = os.Stat(resolved); err != nil {
			return fail(cause(err))
		}
	}
	switch {
	case li.IsDir():
		return fail(ErrDirectory)
	case !li.Mode().IsRegular():
		return fail(notRegular(li.Mode()))
	case li.Mode().Perm()&0o222 == 0:
		return fail(ErrReadOnly)
	}
	t := target{resolved: resolved, exists: true, perm: li.Mode().Perm()}
	t.uid, t.gid, t.hasOwner = owner(li)
	return checkDir(path, t)
}

// notRegular says what kind of file a non-regular file is.
func notRegular(m fs.FileMode) error {
	kind := "a special file"
	switch {
	case m&fs.ModeDevice != 0:
		kind = "a device"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("it is %s, %w", kind, ErrNotRegular)
}

// checkDir checks that the target's directory is an existing directory.
func checkDir(path string, t target) (target, error) {
	dir := filepath.Dir(t.resolved)
	di, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return target{}, &Error{Op: "write", Path: path, Err: fmt.Errorf("the directory %s does not exist", dir)}
	case err != nil:
		return target{}, &Error{Op: "write", Path: path, Err: cause(err)}
	case !di.IsDir():
		return target{}, &Error{Op: "write", Path: path, Err: fmt.Errorf("%s is not a directory", dir)}
	}
	return t, nil
}

// Check reports whether path can be written by [Write], without writing
// it: the target is not a directory, a device or a read-only file, and a
// file can be created in its directory (a temporary file is created and
// removed, which also catches a read-only file system and, unlike a look
// at the permission bits, works when running as root). Programs call it
// before long work whose result would otherwise be lost.
func Check(path string) error {
	t, err := resolve(path)
	if err != nil {
		return err
	}
	f, tmp, err := createTemp(t, path)
	if err != nil {
		return err
	}
	f.Close()
	os.Remove(tmp)
	return nil
}

// Write creates or replaces the file at path with what fill writes to the
// writer it is given (buffered; fill need not buffer). The content goes to
// a temporary file in the target's directory, which is flushed, synced to
// disk and renamed over the target only when fill returned nil; the
// directory is then synced where the system supports it. On any failure,
// including a panic in fill, the temporary file is removed and an
// existing target is left as it was.
//
// An error from fill is returned as it is when it is not a failure to
// write the temporary file; write failures are *Error naming path.
func Write(path string, fill func(w io.Writer) error) (err error) {
	if fill == nil {
		return &Error{Op: "write", Path: path, Err: errors.New("nothing to write (nil fill function)")}
	}
	t, err := resolve(path)
	if err != nil {
		return err
	}
	f, tmp, err := createTemp(t, path)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	fw := &fileWriter{f: f, path: path}
	bw := bufio.NewWriterSize(fw, 64<<10)
	if err := fill(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err // already an *Error naming path
	}
	if t.hasOwner {
		keepOwner(f, t.uid, t.gid)
	}
	if t.exists {
		// A rewritten file keeps its permissions; set before the rename
		// so that the file never appears with other ones, and after the
		// chown, which may clear set-id bits.
		if err := f.Chmod(t.perm); err != nil {
			return &Error{Op: "write", Path: path, Err: cause(err)}
		}
	}
	if err := syncFile(f); err != nil {
		return &Error{Op: "write", Path: path, Err: cause(err)}
	}
	if err := closeFile(f); err != nil {
		f.Close()
		return &Error{Op: "write", Path: path, Err: cause(err)}
	}
	if err := rename(tmp, t.resolved); err != nil {
		return &Error{Op: "replace", Path: path, Err: cause(err)}
	}
	done = true
	syncDir(filepath.Dir(t.resolved))
	return nil
}

// keepOwner gives the temporary file the old file's owner and group, as
// far as the process may: only root may give a file away (others get
// EPERM), but any user may give a file one of their own groups. Failures
// are not errors: the content is complete, and the file then belongs to
// the writing process, as a new file would.
func keepOwner(f *os.File, uid, gid int) {
	if chown(f, uid, gid) == nil {
		return
	}
	_ = chown(f, -1, gid)
}

// createTemp creates the temporary file beside the target. A new file is
// created with 0666 so that the umask gives it the usual mode; a
// rewritten one starts private (0600) and gets the old file's mode before
// it is renamed, so its content is never more widely readable than the
// file it replaces.
func createTemp(t target, path string) (*os.File, string, error) {
	perm := fs.FileMode(0o666)
	if t.exists {
		perm = 0o600
	}
	dir, base := filepath.Split(t.resolved)
	for range 10 {
		var r [6]byte
		rand.Read(r[:])
		name := filepath.Join(dir, "."+base+"."+hex.EncodeToString(r[:])+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", &Error{Op: "create", Path: path, Err: cause(err)}
		}
		return f, name, nil
	}
	return nil, "", &Error{Op: "create", Path: path, Err: errors.New("could not find a free temporary file name")}
}

// syncDir makes a rename durable against a power loss. Systems that cannot
// sync a directory (Windows, some network file systems) return an error,
// which is ignored: the file itself is complete and in place.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// fileWriter writes to the temporary file and reports its failures under
// the caller's path.
type fileWriter struct {
	f    *os.File
	path string
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := writeFile(w.f, p)
	if err != nil {
		return n, &Error{Op: "write", Path: w.path, Err: cause(err)}
	}
	return n, nil
}

// cause strips the file name from an *fs.PathError or *os.LinkError, which
// would name the temporary file (or repeat the path).
func cause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}
