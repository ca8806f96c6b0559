//go:build !unix

package atomicfile

import "io/fs"

// owner reports no owner where the system has no Unix owners (Windows):
// the replacement gets the directory's default ownership and ACL.
func owner(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }
