package report

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// maxDefinedName is Excel's limit on a defined name, in characters.
const maxDefinedName = 255

// Defined names look like cell references when they are an A1 reference
// ("AB12", "xfd1048576") or an R1C1 one ("R", "C", "R1C1", "RC2", "R[1]" has
// brackets and is invalid anyway); Excel refuses such names.
var (
	a1Like   = regexp.MustCompile(`^[A-Za-z]{1,3}[0-9]+$`)
	r1c1Like = regexp.MustCompile(`^([Rr][0-9]*([Cc][0-9]*)?|[Cc][0-9]*)$`)
)

// definedName maps a driver address such as "amazon-us/toys/orders" to a
// valid Excel defined name such as "amazon_us.toys.orders":
//
//   - "/" between segments becomes ".";
//   - every character Excel does not allow in a name ("-", " ", "*", ...)
//     becomes "_" (allowed: letters, digits, "_", ".", "\", "?" after the
//     first character);
//   - if the result does not start with a letter or "_", or the whole name
//     or its first segment could be read as a cell reference (A1 or R1C1),
//     the name gets a leading "_" ("1688-cn/x" → "_1688_cn.x", "ab12" →
//     "_ab12", "r/x" → "_r.x").
//
// The mapping is not injective ("amazon-us" and "amazon_us" give the same
// name) and Excel compares names case-insensitively, so callers register
// names through addDriverName, which refuses collisions. An address that
// gives a name longer than 255 characters is an error.
func definedName(address string) (string, error) {
	if address == "" {
		return "", fmt.Errorf("report: empty driver address")
	}
	segs := strings.Split(address, "/")
	for i, seg := range segs {
		segs[i] = strings.Map(func(r rune) rune {
			if r == '_' || r == '\\' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return '_'
		}, seg)
	}
	name := strings.Join(segs, ".")
	needPrefix := false
	first := []rune(name)[0]
	if !(unicode.IsLetter(first) || first == '_' || first == '\\') {
		needPrefix = true
	}
	// Only the whole name and its start matter: LibreOffice 7.4 and
	// excelize accept "x.ab12.y", but "ab12.orders" starts like a reference.
	for _, seg := range []string{segs[0], name} {
		if a1Like.MatchString(seg) || r1c1Like.MatchString(seg) {
			needPrefix = true
		}
	}
	if needPrefix {
		name = "_" + name
	}
	if n := len(utf16.Encode([]rune(name))); n > maxDefinedName {
		return "", fmt.Errorf("report: driver address %q gives a defined name of %d characters; Excel allows %d", address, n, maxDefinedName)
	}
	return name, nil
}

// driverNames remembers the defined names of one workbook, to refuse two
// addresses that map to the same name. The zero value is ready.
type driverNames struct {
	byName map[string]string // lower-case name → address
}

// addDriverName defines a workbook-scoped name for address that refers to
// refersTo (for example "'Assumptions'!$C$7"), with the address itself as
// the name's comment so that reading the workbook back does not depend on
// inverting definedName. It returns the name.
func (d *driverNames) addDriverName(f *excelize.File, address, refersTo string) (string, error) {
	name, err := definedName(address)
	if err != nil {
		return "", err
	}
	key := strings.ToLower(name)
	if prev, ok := d.byName[key]; ok {
		return "", fmt.Errorf("report: driver addresses %q and %q both give the defined name %q", prev, address, name)
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: name, RefersTo: refersTo, Comment: address}); err != nil {
		return "", fmt.Errorf("report: define name %q for %q: %w", name, address, err)
	}
	if d.byName == nil {
		d.byName = make(map[string]string)
	}
	d.byName[key] = address
	return name, nil
}

// quoteSheet returns a sheet name quoted for use in a reference:
// 'Sheet name'!A1, with apostrophes doubled. Quoting is always allowed, so
// it is applied whether needed or not.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}
