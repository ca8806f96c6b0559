package scenario

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

func loadPaths(t *testing.T, err error) []string {
	t.Helper()
	var ve *costmodel.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v (%T), want a *costmodel.ValidationError", err, err)
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Path)
	}
	slices.Sort(out)
	return out
}

// A shock without a value would multiply peak orders by 0; every missing
// required value, duplicate key and type error of a scenario file is an
// error with its JSON path, all at once.
func TestLoadRefusesMissingDuplicateAndMistyped(t *testing.T) {
	t.Parallel()
	p := small(t)
	_, err := Load(strings.NewReader(`{"scenarios": [
	  {"name": "peak", "shocks": [{"target": "*/*/orders", "op": "multiply", "calendar_months": [11, 12]}]},
	  {"shocks": [{"op": "add", "value": 1}]},
	  {"name": "twice", "shocks": [{"target": "*/*/orders", "op": "set", "value": 1, "value": 2}]},
	  {"name": "typed", "shocks": [{"target": "*/*/orders", "op": "set", "value": "NaN", "from": "6", "calendar_months": [11.5]}]},
	  {"name": "empty"}
	]}`), p)
	want := []string{
		"scenarios[0].shocks[0].value",
		"scenarios[1].name",
		"scenarios[1].shocks[0].target",
		"scenarios[2].shocks[0].value",
		"scenarios[3].shocks[0].value",
		"scenarios[3].shocks[0].from",
		"scenarios[3].shocks[0].calendar_months[0]",
		"scenarios[4].shocks",
	}
	slices.Sort(want)
	if got := loadPaths(t, err); !slices.Equal(got, want) {
		t.Errorf("paths:\n got  %q\n want %q\n%v", got, want, err)
	}
	for _, in := range []string{``, `[]`, `{"scenarios": {}}`, `{}`} {
		if _, err := Load(strings.NewReader(in), p); err == nil {
			t.Errorf("%q loads", in)
		}
	}
	// A byte-order mark is not a mistake.
	if _, err := Load(strings.NewReader("\xEF\xBB\xBF"+`{"scenarios": [{"name": "x", "shocks": [{"target": "*/*/orders", "op": "multiply", "value": 1.1}]}]}`), p); err != nil {
		t.Errorf("byte-order mark: %v", err)
	}
	if _, err := Load(strings.NewReader(`[]`), p); err == nil || !strings.Contains(err.Error(), "got a JSON array, expected an object") {
		t.Errorf("top-level array: %v", err)
	}
}
