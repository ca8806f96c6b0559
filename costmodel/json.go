package costmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
)

// maxSpecBytes bounds a portfolio file: 64 MiB holds thousands of
// partnerships; anything larger is not a portfolio.
const maxSpecBytes = 64 << 20

// Load reads a portfolio from JSON and validates it. Unknown fields are
// errors, numbers are read exactly as decimals (written as JSON numbers or
// strings), and every validation problem is reported at once.
func Load(r io.Reader) (*Portfolio, error) {
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
// portfolio. Decimals are written as strings, exactly.
func (p *Portfolio) Save(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// DecodeStrict decodes one JSON value into v, rejecting unknown fields and
// trailing data, and turns the decoder's errors into *FieldError values
// that name the JSON path (scenario and montecarlo specs use it too).
func DecodeStrict(data []byte, v any) error {
	// encoding/json stops at the first unknown field and names it without
	// its place; find every one, with its JSON path, first.
	if t := reflect.TypeOf(v); t != nil && t.Kind() == reflect.Pointer && json.Valid(data) {
		var pr Problems
		unknownFields(json.NewDecoder(bytes.NewReader(data)), t.Elem(), "", &pr)
		if err := pr.Err(); err != nil {
			return err
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(data, err)
	}
	if dec.More() {
		return &FieldError{Path: "(file)", Expected: "a single JSON object, with nothing after it"}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &FieldError{Path: "(file)", Expected: "a single JSON object, with nothing after it"}
	}
	return nil
}

func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(data, syn.Offset)
		return &FieldError{Path: fmt.Sprintf("(line %d, column %d)", line, col), Value: syn.Error(), Expected: "valid JSON"}
	case errors.As(err, &typ):
		return &FieldError{Path: typ.Field, Value: "a JSON " + typ.Value, Expected: "a value of type " + typeName(typ.Type.String())}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &FieldError{Path: "(file)", Expected: "a complete JSON object"}
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return &FieldError{Path: strings.Trim(f, `"`), Expected: "a known field (unknown fields are rejected so that typos are caught)"}
	}
	// Errors from a field's own UnmarshalJSON (a decimal, a month) do not
	// carry the field's path in encoding/json v1; report them whole.
	return &FieldError{Path: "(file)", Value: strings.TrimPrefix(msg, "json: "), Expected: "valid values (numbers as JSON numbers or decimal strings, months as \"YYYY-MM\")"}
}

func typeName(t string) string {
	switch t {
	case "decimal.Decimal":
		return "decimal number"
	case "costmodel.Month":
		return `month "YYYY-MM"`
	}
	return t
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

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// unknownFields reads one JSON value from dec, which must be valid JSON,
// and records every object key that type t has no field for, with its
// path ("partnerships[0].categories[2].retrun_rate") and the fields that
// exist there.
func unknownFields(dec *json.Decoder, t reflect.Type, path string, pr *Problems) {
	tok, err := dec.Token()
	if err != nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	leaf := reflect.PointerTo(t).Implements(unmarshalerType)
	switch tok {
	case json.Delim('{'):
		fields := map[string]reflect.Type{}
		var names []string
		if t.Kind() == reflect.Struct && !leaf {
			for i := range t.NumField() {
				f := t.Field(i)
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if !f.IsExported() || name == "-" {
					continue
				}
				if name == "" {
					name = f.Name
				}
				fields[strings.ToLower(name)] = f.Type
				names = append(names, name)
			}
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := kt.(string)
			at := key
			if path != "" {
				at = path + "." + key
			}
			ft, known := fields[strings.ToLower(key)]
			switch {
			case t.Kind() == reflect.Map:
				unknownFields(dec, t.Elem(), at, pr)
			case leaf || t.Kind() != reflect.Struct:
				skipValue(dec)
			case !known:
				pr.Add(at, "", "a known field; this object has: "+strings.Join(names, ", "))
				skipValue(dec)
			default:
				unknownFields(dec, ft, at, pr)
			}
		}
		_, _ = dec.Token() // }
	case json.Delim('['):
		elem := t
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if leaf || elem == t {
				skipValue(dec)
				continue
			}
			unknownFields(dec, elem, fmt.Sprintf("%s[%d]", path, i), pr)
		}
		_, _ = dec.Token() // ]
	}
}

// skipValue reads and discards one JSON value.
func skipValue(dec *json.Decoder) {
	var raw json.RawMessage
	_ = dec.Decode(&raw)
}
