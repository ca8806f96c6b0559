package costmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"
)

// maxSpecBytes bounds a portfolio file: 64 MiB holds thousands of
// partnerships; anything larger is not a portfolio.
const maxSpecBytes = 64 << 20

// Load reads a portfolio from JSON and validates it. Unknown fields,
// duplicate keys, values of the wrong type and missing required values
// are errors (see DecodeStrict and docs/inputs.md), numbers are read
// exactly as decimals (written as JSON numbers or strings), and every
// problem is reported at once.
func Load(r io.Reader) (*Portfolio, error) {
	if r == nil {
		return nil, &FieldError{Path: "(file)", Expected: "a reader to load the portfolio from, not nil"}
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSpecBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSpecBytes {
		return nil, &FieldError{Path: "(file)", Expected: "a portfolio file of at most 64 MiB"}
	}
	var p Portfolio
	if err := DecodeStrict(data, &p); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// LoadFile reads and validates the portfolio in the named JSON file.
func LoadFile(name string) (*Portfolio, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// Save writes p as indented JSON that Load reads back to an equal
// portfolio. Decimals are written as strings, exactly; every required
// field is written, zero or not.
func (p *Portfolio) Save(w io.Writer) error {
	if p == nil {
		return &FieldError{Path: "(portfolio)", Expected: "a portfolio to save, not nil"}
	}
	if w == nil {
		return &FieldError{Path: "(file)", Expected: "a writer to save the portfolio to, not nil"}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// utf8BOM is the byte-order mark Excel and Notepad put at the start of a
// UTF-8 file; it carries no content.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// maxDecodeProblems bounds the problems one file reports: past it, one
// more problem says how many were left out.
const maxDecodeProblems = 200

// DecodeStrict decodes one JSON object into v, a pointer to a struct (the
// portfolio, scenario and uncertainty files all use it). It reports every
// problem of the file at once as a *ValidationError, each with its JSON
// path ("partnerships[0].categories[2].unit_cost"):
//
//   - unknown fields, with the fields that exist there;
//   - a key given twice in one object, named at its second occurrence
//     (keys match fields as encoding/json matches them, regardless of
//     case, so "months" and "Months" are the same key);
//   - a value of the wrong type (a string where a number belongs, 1.5
//     where a whole number belongs, null for a value that is not
//     optional, "NaN" or "Infinity" for a decimal, a number beyond
//     float64's range);
//   - a required field left out. A struct field is required when its tag
//     says so: `required:"true"` always, `required:"unless=price_mix"`
//     unless the named sibling field is given (not null and not empty),
//     `required:"with=per_order_threshold"` when the named sibling is
//     given; several conditions separated by ';' each make it required.
//     A field given as null counts as left out.
//
// A UTF-8 byte-order mark at the start is skipped. Anything but one JSON
// object (an array, a number, trailing data) is an error. A Go value built
// in code has no JSON layer: presence cannot be told from zero there, so
// Validate checks ranges only.
func DecodeStrict(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() || rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &FieldError{Path: "(decode)", Value: fmt.Sprintf("%T", v), Expected: "a non-nil pointer to decode into"}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := encodingError(data); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &FieldError{Path: "(file)", Expected: "a single JSON object, with nothing after it"}
	}
	base := dec.InputOffset() - int64(len(raw))
	w := &jsonWalk{dec: json.NewDecoder(bytes.NewReader(raw)), data: data, base: base}
	w.dec.UseNumber()
	t := rv.Type().Elem()
	if k := deref(t).Kind(); k == reflect.Struct || k == reflect.Map {
		// The file as a whole is named "(file)" when it is not an object.
		w.root = true
	}
	w.value(t, "")
	if w.dropped > 0 {
		w.pr.add(&FieldError{Path: "(file)", Value: fmt.Sprintf("%d more problems", w.dropped),
			Expected: fmt.Sprintf("a file with fewer problems (only the first %d are listed)", maxDecodeProblems)})
	}
	if err := w.pr.Err(); err != nil {
		return err
	}
	// Whatever the walk passes, encoding/json decodes (the walk is the
	// stricter of the two: it matches keys by lower case only), so this
	// cannot fail on a file the walk passed; it is kept as a net, and
	// FuzzLoad fails if the net ever catches anything.
	dec = json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(data, err)
	}
	return nil
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The decoder's message is not a user value: it goes whole into
		// Expected, which is never shortened, after the line and column.
		line, col := position(data, syn.Offset)
		return &FieldError{Path: fmt.Sprintf("(line %d, column %d)", line, col),
			Expected: "valid JSON: " + syn.Error() + syntaxHint(data, syn.Offset), Err: err}
	case errors.As(err, &typ):
		return &FieldError{Path: typ.Field, Value: "a JSON " + typ.Value, Expected: "a value of type " + typ.Type.String(), Err: err}
	case errors.Is(err, io.EOF):
		return &FieldError{Path: "(file)", Value: "an empty file", Expected: "a JSON object", Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &FieldError{Path: "(file)", Value: "a file that ends early", Expected: "a complete JSON object", Err: err}
	}
	return &FieldError{Path: "(file)", Value: strings.TrimPrefix(err.Error(), "json: "), Expected: "valid values", Err: err}
}

// encodingError reports a file that is not UTF-8 JSON in a way the
// decoder would only call an invalid character: a second byte-order mark
// (a file saved as UTF-8 "with BOM" twice over) or UTF-16 (Windows'
// "Unicode"), told by its byte-order mark or by a NUL byte beside the
// first character.
func encodingError(data []byte) error {
	switch {
	case bytes.HasPrefix(data, utf8BOM):
		return &FieldError{Path: "(file)", Value: "two byte-order marks at the start",
			Expected: "a UTF-8 file with at most one byte-order mark (save it again as UTF-8)"}
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}),
		len(data) >= 2 && (data[0] == 0) != (data[1] == 0):
		return &FieldError{Path: "(file)", Value: "UTF-16 text",
			Expected: "UTF-8 JSON: the file is UTF-16; save it as UTF-8"}
	}
	return nil
}

// syntaxHint adds what a person most likely did at a syntax error at off
// (the decoder's offset, the offending byte included): a comment, which
// JSON does not have, or a comma before a closing bracket.
func syntaxHint(data []byte, off int64) string {
	i := int(off) - 1
	if i < 0 || i >= len(data) {
		return ""
	}
	switch data[i] {
	case '/':
		return " (JSON has no comments: remove the // or /* */ text)"
	case '}', ']':
		prev := bytes.TrimRight(data[:i], " \t\r\n")
		if len(prev) > 0 && prev[len(prev)-1] == ',' {
			return fmt.Sprintf(" (a trailing comma before %c: JSON allows none after the last item)", data[i])
		}
	}
	return ""
}

// position turns the decoder's offset (bytes read, the offending one
// included) into the 1-based line and column of the offending byte.
func position(data []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < off-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// jsonWalk reads one JSON value token by token against the Go type it
// will be decoded into and records every problem with its JSON path.
type jsonWalk struct {
	dec       *json.Decoder
	data      []byte // the whole file, for line numbers
	base      int64  // offset of the walked value in data
	root      bool   // the next value is the file itself
	pr        Problems
	dropped   int
	rangeHint string // the range tag of the field whose value is read next
}

// presence is what a walked value gave.
type presence int

const (
	absent   presence = iota // null (or not there)
	reported                 // null where null is no value, already reported
	empty                    // [] or {}
	given
)

var (
	decimalType     = reflect.TypeFor[decimal.Decimal]()
	monthType       = reflect.TypeFor[Month]()
	opType          = reflect.TypeFor[Op]()
	monthSetType    = reflect.TypeFor[MonthSet]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func (w *jsonWalk) add(path, value, expected string) {
	if w.pr.Len() >= maxDecodeProblems {
		w.dropped++
		return
	}
	if path == "" {
		path = "(file)"
	}
	w.pr.Add(path, value, expected)
}

// offset is the decoder's position in the file, 1-based so that 0 means
// "not seen".
func (w *jsonWalk) offset() int64 { return w.base + w.dec.InputOffset() + 1 }

// line is the 1-based line of a position from offset (counted only when a
// message needs it: counting at every key would make a large file
// quadratic).
func (w *jsonWalk) line(off int64) int {
	l, _ := position(w.data, off)
	return l
}

// value reads one value that will be decoded into type t at path.
func (w *jsonWalk) value(t reflect.Type, path string) presence {
	tok, err := w.dec.Token()
	if err != nil {
		return absent // cannot happen: the value is valid JSON
	}
	rangeHint := w.rangeHint // the field's range, for this value only
	w.rangeHint = ""
	root := w.root
	w.root = false
	if tok == nil {
		if root {
			w.add("(file)", "JSON null", describe(t))
			return absent
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			return absent
		}
		w.add(path, "null", describe(t))
		return reported
	}
	t = deref(t)
	mismatch := func() presence {
		got := gotText(tok)
		if d, ok := tok.(json.Delim); ok {
			w.skipRest(d)
		}
		if root {
			got = rootText(tok)
		}
		w.add(path, got, describe(t))
		return given
	}
	switch {
	case t == decimalType:
		var s string
		switch x := tok.(type) {
		case json.Number:
			s = string(x)
		case string:
			s = x
		default:
			return mismatch()
		}
		d, err := decimal.NewFromString(s)
		switch {
		case err != nil || strings.TrimSpace(s) != s || s == "":
			w.add(path, gotText(tok), describe(t)+"; NaN and infinities are not numbers")
		case !d.IsZero() && magnitude(d) > maxWrittenDigits:
			// Reported here, as written ("1e400"): written out in full
			// it would be hundreds of digits long. Validation's range
			// check would refuse it too.
			w.add(path, gotText(tok), "a magnitude of at most 1e13")
		case d.Exponent() < -maxWrittenDigits:
			w.add(path, gotText(tok), fmt.Sprintf("at most %d decimal places", maxDecimals))
		}
		return given
	case t == monthType:
		s, ok := tok.(string)
		if !ok {
			return mismatch()
		}
		if _, err := ParseMonth(s); err != nil {
			w.add(path, gotText(tok), describe(t))
		}
		return given
	case t == monthSetType:
		return w.monthSet(tok, path, mismatch)
	case reflect.PointerTo(t).Implements(unmarshalerType):
		// A type with its own JSON form that this walk does not know:
		// encoding/json judges it after the walk.
		if d, ok := tok.(json.Delim); ok {
			w.skipRest(d)
		}
		return given
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return mismatch()
		}
		return w.object(t, path)
	case reflect.Map:
		if tok != json.Delim('{') {
			return mismatch()
		}
		return w.mapObject(t, path)
	case reflect.Slice, reflect.Array:
		if tok != json.Delim('[') {
			return mismatch()
		}
		n := 0
		for ; w.dec.More(); n++ {
			w.value(t.Elem(), fmt.Sprintf("%s[%d]", path, n))
		}
		_, _ = w.dec.Token() // ]
		if t.Kind() == reflect.Array && n != t.Len() {
			w.add(path, fmt.Sprintf("%d values", n), fmt.Sprintf("exactly %d values", t.Len()))
		}
		if n == 0 {
			return empty
		}
		return given
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return mismatch()
		}
		return given
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return mismatch()
		}
		return given
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch()
		}
		if _, err := strconv.ParseInt(string(n), 10, t.Bits()); err != nil {
			switch {
			case errors.Is(err, strconv.ErrRange) && rangeHint != "":
				w.add(path, string(n), rangeHint+"; this number is out of range")
			case errors.Is(err, strconv.ErrRange):
				w.add(path, string(n), "a whole number of sensible size; this one is out of range")
			default:
				w.add(path, string(n), describe(t))
			}
		}
		return given
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch()
		}
		if _, err := strconv.ParseUint(string(n), 10, t.Bits()); err != nil {
			w.add(path, string(n), describe(t))
		}
		return given
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch()
		}
		if _, err := strconv.ParseFloat(string(n), t.Bits()); err != nil {
			w.add(path, string(n), describe(t)+" (within about ±1.8e308, the range of a float64)")
		}
		return given
	case reflect.Interface:
		if d, ok := tok.(json.Delim); ok {
			w.skipRest(d)
		}
		return given
	}
	return mismatch()
}

// skipRest consumes the rest of an object or list whose opening delimiter
// was just read.
func (w *jsonWalk) skipRest(open json.Delim) {
	if open != '{' && open != '[' {
		return
	}
	for depth := 1; depth > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// object reads the members of an object decoded into struct type t; the
// opening brace has been read.
func (w *jsonWalk) object(t reflect.Type, path string) presence {
	fields := structFields(t)
	first := map[string]int64{} // offset of each field's key
	got := map[string]presence{}
	n := 0
	for ; w.dec.More(); n++ {
		kt, err := w.dec.Token()
		if err != nil {
			return given
		}
		key, _ := kt.(string)
		at := joinPath(path, key)
		f, known := fields.byFold[strings.ToLower(key)]
		switch {
		case !known:
			w.add(at, "", "a known field; this object has: "+strings.Join(fields.names, ", "))
			w.skipValue()
		case first[f.name] != 0:
			w.duplicate(at, key, f.name, first[f.name])
			w.skipValue()
		default:
			first[f.name] = w.offset()
			w.rangeHint = f.rangeHint
			got[f.name] = w.value(f.typ, at)
		}
	}
	_, _ = w.dec.Token() // }
	for _, f := range fields.list {
		if f.required == "" || got[f.name] != absent {
			continue
		}
		if arg, ok := strings.CutPrefix(f.required, "unless="); ok && !strings.Contains(arg, ";") && got[arg] == empty {
			// An empty list given instead: say that, at the list.
			alt := fields.byFold[strings.ToLower(arg)]
			w.add(joinPath(path, arg), "an empty list", fmt.Sprintf("at least one %s in %s, or %s without %s", itemNoun(alt.typ), arg, f.name, arg))
			continue
		}
		if expected, missing := f.missing(got); missing {
			w.add(joinPath(path, f.name), "", expected)
		}
	}
	if n == 0 {
		return empty
	}
	return given
}

// mapObject reads the members of an object decoded into map type t.
func (w *jsonWalk) mapObject(t reflect.Type, path string) presence {
	first := map[string]int64{}
	n := 0
	for ; w.dec.More(); n++ {
		kt, err := w.dec.Token()
		if err != nil {
			return given
		}
		key, _ := kt.(string)
		at := joinPath(path, key)
		if off := first[key]; off != 0 {
			w.duplicate(at, key, key, off)
			w.skipValue()
			continue
		}
		first[key] = w.offset()
		w.value(t.Elem(), at)
	}
	_, _ = w.dec.Token() // }
	if n == 0 {
		return empty
	}
	return given
}

// duplicate records key given a second time at path at; the first
// occurrence, of the field name, was at offset first.
func (w *jsonWalk) duplicate(at, key, name string, first int64) {
	if w.pr.Len() >= maxDecodeProblems {
		w.dropped++
		return
	}
	w.add(at, fmt.Sprintf("%q a second time", key),
		fmt.Sprintf("each key once in an object (%q is first given on line %d; a repeated key would silently replace it)", name, w.line(first)))
}

func (w *jsonWalk) skipValue() {
	tok, err := w.dec.Token()
	if err != nil {
		return
	}
	if d, ok := tok.(json.Delim); ok {
		w.skipRest(d)
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// jsonField is one field of a struct as JSON sees it.
type jsonField struct {
	name      string // as the tag spells it
	typ       reflect.Type
	required  string // the required tag: "", "true", "unless=x", "with=x"
	rangeHint string // the range tag: the valid range in words, for a whole number out of int range
}

// maxWrittenDigits bounds the digits a decimal in a file may have before
// or after the point to reach validation: far past any valid input
// (1e13, 12 places), so only absurd numbers are refused here.
const maxWrittenDigits = 40

// missing reports whether f is required given the fields present (got),
// and what a message should say was expected.
func (f jsonField) missing(got map[string]presence) (string, bool) {
	what, hint := "a value", ""
	switch t := deref(f.typ); {
	case t == decimalType:
		what, hint = "a number", " (write 0 where it is zero: a missing value is never taken as 0)"
	case t == monthType:
		what = `a month "YYYY-MM"`
	case t == opType:
		what, hint = "an op", " ("+OpChoices+"; there is no default)"
	case t.Kind() == reflect.Slice:
		what = "a list"
	}
	// Conditions separated by ';' each make the field required.
	for _, c := range strings.Split(f.required, ";") {
		cond, arg, _ := strings.Cut(c, "=")
		switch cond {
		case "true":
			return fmt.Sprintf("%s: %s is required%s", what, f.name, hint), true
		case "unless":
			if got[arg] != given {
				return fmt.Sprintf("%s: %s is required unless %s is given%s", what, f.name, arg, hint), true
			}
		case "with":
			if got[arg] == given {
				return fmt.Sprintf("%s: %s is required when %s is given%s", what, f.name, arg, hint), true
			}
		}
	}
	return "", false
}

type structInfo struct {
	list   []jsonField
	byFold map[string]jsonField
	names  []string
}

var structCache sync.Map // reflect.Type → *structInfo

// structFields lists the JSON fields of struct type t as encoding/json
// sees them (exported, not tagged "-", embedded structs promoted).
func structFields(t reflect.Type) *structInfo {
	if v, ok := structCache.Load(t); ok {
		return v.(*structInfo)
	}
	info := &structInfo{byFold: map[string]jsonField{}}
	var collect func(t reflect.Type)
	collect = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" && !strings.HasPrefix(tag, "-,") {
				continue
			}
			if f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct {
				collect(deref(f.Type))
				continue
			}
			if !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			jf := jsonField{name: name, typ: f.Type, required: f.Tag.Get("required"), rangeHint: f.Tag.Get("range")}
			info.list = append(info.list, jf)
			info.byFold[strings.ToLower(name)] = jf
			info.names = append(info.names, name)
		}
	}
	collect(t)
	structCache.Store(t, info)
	return info
}

// itemNoun names one item of the list type t in a message.
func itemNoun(t reflect.Type) string {
	t = deref(t)
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		if t.Elem() == reflect.TypeFor[PricePoint]() {
			return "price point"
		}
	}
	return "item"
}

// describe says in words what JSON value type t accepts.
func describe(t reflect.Type) string {
	t = deref(t)
	switch t {
	case decimalType:
		return `a decimal number (a JSON number, or a string such as "12.50")`
	case monthType:
		return `a month "YYYY-MM"`
	case monthSetType:
		return "a list [...] of calendar months 1 (January) to 12 (December)"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list [...] of " + plural(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number ≥ 0"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a value of type " + t.String()
}

// plural names the values of type t in a list.
func plural(t reflect.Type) string {
	t = deref(t)
	switch t {
	case decimalType:
		return "decimal numbers"
	case monthType:
		return `months "YYYY-MM"`
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "objects"
	case reflect.Slice, reflect.Array:
		return "lists"
	case reflect.String:
		return "strings"
	case reflect.Bool:
		return "true/false values"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole numbers"
	case reflect.Float32, reflect.Float64:
		return "numbers"
	}
	return "values of type " + t.String()
}

// rootText describes the file's top-level value when it is not an object.
func rootText(tok json.Token) string {
	switch x := tok.(type) {
	case json.Delim:
		if x == '[' {
			return "a JSON array"
		}
		return "a JSON object"
	case string:
		return "a JSON string"
	case json.Number:
		return "a JSON number"
	case bool:
		return "a JSON true/false"
	}
	return "JSON null"
}

// gotText describes a token as the user wrote it.
func gotText(tok json.Token) string {
	switch x := tok.(type) {
	case json.Delim:
		if x == '[' {
			return "a list"
		}
		return "an object"
	case string:
		return strconv.Quote(x)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// monthSet checks a MonthSet's list (opened by tok) element by element,
// so that each bad month is reported at its index.
func (w *jsonWalk) monthSet(tok json.Token, path string, mismatch func() presence) presence {
	if tok != json.Delim('[') {
		return mismatch()
	}
	const want = "a calendar month 1 (January) to 12 (December)"
	var seen MonthSet
	n := 0
	for ; w.dec.More(); n++ {
		at := fmt.Sprintf("%s[%d]", path, n)
		tk, err := w.dec.Token()
		if err != nil {
			return given
		}
		if d, ok := tk.(json.Delim); ok {
			w.skipRest(d)
			w.add(at, gotText(tk), want)
			continue
		}
		num, _ := tk.(json.Number)
		m, err := strconv.Atoi(string(num))
		switch {
		case err != nil || m < 1 || m > 12:
			w.add(at, gotText(tk), want)
		case seen.Has(time.Month(m)):
			w.add(at, gotText(tk), "each calendar month once")
		default:
			seen = seen.with(m)
		}
	}
	_, _ = w.dec.Token() // ]
	if n == 0 {
		return empty
	}
	return given
}
