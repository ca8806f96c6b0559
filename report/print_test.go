package report

import (
	"strings"
	"testing"
)

// A printed Statement repeats its heading row on every page down and its
// identity columns (partnership to month) on every page across, so a page
// of later lines still says whose row each number is.
func TestStatementPrintTitles(t *testing.T) {
	t.Parallel()
	f := openBook(t, writeBook(t, larkspurOptions(t)))
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == SheetStatement {
			if !strings.Contains(dn.RefersTo, "!$A:$E") || !strings.Contains(dn.RefersTo, "!$1:$1") {
				t.Errorf("Statement print titles %q, want columns A:E and row 1", dn.RefersTo)
			}
			return
		}
	}
	t.Error("the Statement has no print titles")
}
