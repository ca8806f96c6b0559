package report

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// maxSheetName is Excel's limit on a sheet name, in UTF-16 code units (what
// Excel and excelize count; the same as runes outside the astral planes).
const maxSheetName = 31

// sheetName turns name into a valid sheet name that is not yet in used and
// records it there. used holds names already taken, in lower case (Excel
// compares sheet names case-insensitively); a nil map is not allowed.
//
// The rules are Excel's: not empty, at most 31 characters, none of
// : \ / ? * [ ], no apostrophe at either end, and not "History" (reserved by
// Excel for change tracking). Forbidden characters become "_"; a name that
// collides gets " (2)", " (3)", ... appended, truncating the base so the
// whole stays within 31 characters.
func sheetName(name string, used map[string]bool) string {
	base := strings.Map(func(r rune) rune {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			return '_'
		}
		if r < 0x20 { // control characters are not allowed either
			return '_'
		}
		return r
	}, name)
	base = strings.TrimSpace(base)
	base = strings.Trim(base, "'")
	base = truncateUTF16(base, maxSheetName)
	base = strings.TrimRight(base, "' ")
	if base == "" {
		base = "Sheet"
	}
	if strings.EqualFold(base, "History") {
		base += "_"
	}
	candidate := base
	for n := 2; used[strings.ToLower(candidate)]; n++ {
		suffix := " (" + strconv.Itoa(n) + ")"
		stem := truncateUTF16(base, maxSheetName-len(suffix))
		stem = strings.TrimRight(stem, "' ")
		if stem == "" {
			stem = "Sheet"
		}
		candidate = stem + suffix
	}
	used[strings.ToLower(candidate)] = true
	return candidate
}

// truncateUTF16 cuts s to at most n UTF-16 code units without splitting a
// character.
func truncateUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		w := len(utf16.Encode([]rune{r}))
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}
