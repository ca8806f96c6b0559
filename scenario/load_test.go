package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
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

// Problems of a scenario file are at JSON paths (scenarios[0].shocks[0].to,
// not scenarios[0].x.shocks[0].to), and the message names the scenario.
func TestLoadPathsAreJSONPaths(t *testing.T) {
	t.Parallel()
	p := small(t)
	_, err := Load(strings.NewReader(`{"scenarios": [
	  {"name": "ok", "shocks": [{"target": "*/*/orders", "op": "multiply", "value": 1.1}]},
	  {"name": "holiday-peak", "shocks": [{"target": "*/*/orders", "op": "multiply", "value": 2, "from": 0, "to": 99}]}
	]}`), p)
	if got := loadPaths(t, err); !slices.Equal(got, []string{"scenarios[1].shocks[0].to"}) {
		t.Fatalf("paths %q: %v", got, err)
	}
	if !strings.Contains(err.Error(), `scenario "holiday-peak"`) {
		t.Errorf("message does not name the scenario: %v", err)
	}
}

// A shock that pushes the drivers it selects out of range is one problem
// at the shock's value, as written, naming one driver and how many more;
// not one problem per driver at paths the user never wrote (adjustments,
// driver addresses), whether the shock folds into the drivers (whole
// horizon) or becomes an adjustment (some months).
func TestLoadBadShockReportedOnce(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := p.Match("*/*/return_rate")
	if err != nil {
		t.Fatal(err)
	}
	n := 0 // the return rates that ×20 takes above 1
	for _, d := range ds {
		if d.Value.Mul(decimal.NewFromInt(20)).GreaterThan(decimal.NewFromInt(1)) {
			n++
		}
	}
	if n < 2 {
		t.Fatalf("only %d larkspur return rates leave their range ×20", n)
	}
	for _, months := range []string{"", `, "from": 1, "to": 2`} {
		_, err := Load(strings.NewReader(`{"scenarios": [{"name": "returns", "shocks": [
		  {"target": "*/*/return_rate", "op": "multiply", "value": 20`+months+`}]}]}`), p)
		var ve *costmodel.ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 {
			t.Errorf("%q: want one problem, got %v", months, err)
			continue
		}
		pr := ve.Problems[0]
		if pr.Path != "scenarios[0].shocks[0].value" || pr.Value != "20" ||
			!strings.Contains(pr.Expected, "return_rate") || !strings.Contains(pr.Expected, `scenario "returns"`) {
			t.Errorf("%q: %v", months, pr)
		}
		if !strings.Contains(pr.Expected, fmt.Sprintf("%d more", n-1)) {
			t.Errorf("%q: does not count the other %d drivers: %v", months, n-1, pr)
		}
	}
}

// A file with no scenario is an error, not an empty comparison.
func TestLoadNoScenarios(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{"scenarios": []}`), small(t))
	if got := loadPaths(t, err); !slices.Equal(got, []string{"scenarios"}) || !strings.Contains(err.Error(), "at least one scenario") {
		t.Errorf("no scenarios: %v", err)
	}
}
