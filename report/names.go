package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

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

// definedName maps a driver address such as "amazon-us/toys/return_rate"
// to the Excel defined name of its Assumptions cell,
// "amazon..us.toys.return_rate". The rule, one character at a time:
//
//   - "/" between segments becomes ".";
//   - "-" becomes ".." (Excel allows neither "-" nor "/" in a name);
//   - letters, digits and "_" stay as they are;
//   - a leading "_" is added when the name would start with a digit, or
//     when the name or its start could be read as a cell reference (A1 or
//     R1C1): "1688-cn/x" → "_1688..cn.x", "ab12/orders" → "_ab12.orders",
//     "r/x" → "_r.x".
//
// The mapping is injective, so two drivers of a valid portfolio never
// share a name ("a-b/x" → "a..b.x", "a_b/x" → "a_b.x"), and
// [driverAddress] inverts it: a run of dots is the hyphens of a segment
// (two dots each) followed by at most one segment break (one dot), because
// a segment never starts with "-" nor is empty; a leading "_" is always
// the added one, because no segment starts with "_". Names are lower-case
// like addresses, so Excel's case-insensitive comparison cannot merge two
// of them either.
//
// The domain is the addresses of a valid portfolio: segments of lower-case
// letters, digits, "-" and "_", each starting with a letter or a digit
// (the ID rule of costmodel.Validate, which the fixed keys such as
// "return_rate" and the tier numbers follow too). Any other address is an
// error. A name longer than Excel's 255 characters, which only an ID
// with long runs of hyphens can give, is replaced by "__" and the hex of
// the first 16 bytes of the address's SHA-256 (see longName): still
// unique, and read back through the Assumptions sheet's address column.
func definedName(address string) (string, error) {
	if address == "" {
		return "", fmt.Errorf("report: empty driver address")
	}
	var b strings.Builder
	for i, seg := range strings.Split(address, "/") {
		if !segmentRE.MatchString(seg) {
			return "", fmt.Errorf("report: driver address %q: segment %q is not lower-case letters, digits, '-' and '_' starting with a letter or digit", address, seg)
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strings.ReplaceAll(seg, "-", ".."))
	}
	name := b.String()
	start, _, _ := strings.Cut(name, ".")
	// Only the start of the name matters: LibreOffice 7.4 and excelize
	// accept "x.ab12.y", but "ab12.orders" starts like a reference.
	if c := name[0]; c >= '0' && c <= '9' || refLike(start) || refLike(name) {
		name = "_" + name
	}
	if len(name) > maxDefinedName {
		return longName(address), nil
	}
	return name, nil
}

// segmentRE is one segment of a driver address: the costmodel ID rule
// without its length limit.
var segmentRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// refLike reports whether s could be read as an A1 or R1C1 reference.
func refLike(s string) bool { return a1Like.MatchString(s) || r1c1Like.MatchString(s) }

// longName is the defined name of an address whose readable name would be
// too long for Excel: "__" and 32 hex digits. No readable name starts with
// "__" (the added "_" is followed by the start of an ID, a letter or a
// digit), so the two kinds never meet.
func longName(address string) string {
	h := sha256.Sum256([]byte(address))
	return "__" + hex.EncodeToString(h[:16])
}

// driverAddress inverts definedName: it returns the driver address whose
// defined name is name, and false when name is not such a name (not
// produced by definedName, or a long name, which cannot be inverted).
func driverAddress(name string) (string, bool) {
	body := strings.TrimPrefix(name, "_")
	if body == "" || strings.HasPrefix(body, "_") {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(body); {
		if body[i] != '.' {
			b.WriteByte(body[i])
			i++
			continue
		}
		k := 0
		for i < len(body) && body[i] == '.' {
			k++
			i++
		}
		b.WriteString(strings.Repeat("-", k/2))
		if k%2 == 1 {
			b.WriteByte('/')
		}
	}
	address := b.String()
	// Only the image of definedName inverts: "x.-y" or "a..12" spelt
	// otherwise (a missing or needless "_") is no driver's name.
	if again, err := definedName(address); err != nil || again != name {
		return "", false
	}
	return address, true
}

// driverNames remembers the defined names of one workbook, to refuse two
// addresses that map to the same name. The zero value is ready.
type driverNames struct {
	byName map[string]string // lower-case name → address
}

// addDriverName defines a workbook-scoped name for address that refers to
// refersTo (for example "'Assumptions'!$C$7"), with the address itself as
// the name's comment, for a reader of the Name Manager. It returns the
// name. definedName is injective, so a collision here is a bug (or a
// SHA-256 collision of two overlong addresses); it is still refused
// rather than letting two drivers share a cell.
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
