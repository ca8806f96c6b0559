package costmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// problemPaths returns the path of every problem in err, in order.
func problemPaths(t *testing.T, err error) []string {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v (%T), want a *ValidationError", err, err)
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Path)
	}
	return out
}

// wantPaths checks that err reports exactly the given paths (in any order).
func wantPaths(t *testing.T, err error, want ...string) {
	t.Helper()
	got := problemPaths(t, err)
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("paths:\n got  %q\n want %q\n%v", g, w, err)
	}
}

// A value the model needs and the file leaves out is an error at its JSON
// path, never a 0; every one is reported at once.
func TestMissingRequiredValues(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{
	  "currency": "USD", "start": "2026-01", "months": 12,
	  "partnerships": [{
	    "id": "m", "channel": "marketplace",
	    "commission": {"min_per_item": 0.3, "per_order_threshold": 10, "per_order_fee": 0.3},
	    "payment": {"fixed": 0.30},
	    "marketing": {},
	    "setup": [{"id": "build"}],
	    "maintenance": [{"id": "ops", "hours": 10}, {"id": "lic"}],
	    "support": {"cost_per_ticket": 4},
	    "data_transfer": {"pricing": {"bands": [{"price": 0.09}]}},
	    "api": {"fixed_calls": 10},
	    "categories": [
	      {"id": "a", "price": 10, "units_per_order": 1},
	      {"id": "b", "orders": 10, "units_per_order": 1, "unit_cost": 2},
	      {"id": "c", "orders": 10, "price_mix": [{"price": 5}], "units_per_order": 1, "unit_cost": 2,
	       "commission": {"tiers": [{"up_to": 10}, {"rate": 0.1}]}},
	      {"id": "d", "orders": 1, "price": 1, "unit_cost": 0, "units_per_order": 1}
	    ]
	  }, {"name": "no id"}],
	  "adjustments": [{"target": "m/a/orders", "op": "multiply", "from": 0, "to": 1}]
	}`))
	wantPaths(t, err,
		"discount_rate",
		"partnerships[0].commission.rate",
		"partnerships[0].commission.per_order_fee_above",
		"partnerships[0].payment.rate",
		"partnerships[0].marketing.rate",
		"partnerships[0].setup[0].amount",
		"partnerships[0].maintenance[0].hourly_rate",
		"partnerships[0].maintenance[1].hours",
		"partnerships[0].support.tickets_per_1000_orders",
		"partnerships[0].data_transfer.gb_per_1000_orders",
		"partnerships[0].api.pricing",
		"partnerships[0].categories[0].orders",
		"partnerships[0].categories[0].unit_cost",
		"partnerships[0].categories[1].price",
		"partnerships[0].categories[2].price_mix[0].share",
		"partnerships[0].categories[2].commission.tier_mode",
		"partnerships[0].categories[2].commission.tiers[0].rate",
		"partnerships[1].id",
		"partnerships[1].channel",
		"adjustments[0].value",
	)
	if err != nil && !strings.Contains(err.Error(), "partnerships[0].categories[0].unit_cost: expected a number: unit_cost is required") {
		t.Errorf("message does not say the unit cost is required:\n%v", err)
	}
	// null is not a value either.
	_, err = Load(strings.NewReader(`{"currency":"USD","start":"2026-01","months":1,"discount_rate":null,"partnerships":[]}`))
	wantPaths(t, err, "discount_rate")
}

// The conditional rules leave out what is not needed: price with a price
// mix, a commission rate with tiers, per_order_fee_above without a
// threshold, hourly_rate without hours.
func TestRequiredOnlyWhereNeeded(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{
	  "currency": "USD", "start": "2026-01", "months": 12, "discount_rate": 0.1,
	  "partnerships": [{"id": "m", "channel": "marketplace",
	    "commission": {"tiers": [{"up_to": 10, "rate": 0.08}, {"rate": 0.15}], "tier_mode": "all_units"},
	    "marketing": {"monthly": 100},
	    "maintenance": [{"id": "lic", "monthly": 50}],
	    "support": {"staff_monthly": 1000},
	    "data_transfer": {"fixed_gb": 5, "pricing": {"bands": [{"price": 0.09}]}},
	    "categories": [{"id": "a", "orders": 10, "price_mix": [{"price": 5, "share": 1}], "units_per_order": 1, "unit_cost": 2}]}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
}

// Save writes every field that Load requires, zero or not, so a portfolio
// built in Go with zeros in conditional fields reads back equal.
func TestSaveWritesRequiredZeros(t *testing.T) {
	t.Parallel()
	p := &Portfolio{Currency: "USD", Start: Month{2026, 1}, Months: 3, Partnerships: []Partnership{{
		ID: "m", Channel: "marketplace",
		Commission:  &Commission{PerOrderFee: d("0.3"), PerOrderThreshold: dp("10")},
		Marketing:   &Marketing{},
		Maintenance: []MaintenanceItem{{ID: "lic"}},
		Support:     &Support{},
		API:         &APICalls{Pricing: VolumePricing{Bands: []Band{{Price: d("0.4")}}}},
		Categories:  []Category{{ID: "a", Orders: d("1"), UnitsPerOrder: d("1")}},
	}}}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.Save(&buf); err != nil {
		t.Fatal(err)
	}
	q, err := Load(&buf)
	if err != nil {
		t.Fatalf("saved portfolio does not load: %v\n%s", err, buf.String())
	}
	a, b := p.Drivers(), q.Drivers()
	if len(a) != len(b) {
		t.Fatalf("%d drivers, %d after the round trip", len(a), len(b))
	}
	for i := range a {
		if a[i].Address != b[i].Address || !a[i].Value.Equal(b[i].Value) {
			t.Errorf("driver %s = %s, after the round trip %s = %s", a[i].Address, a[i].Value, b[i].Address, b[i].Value)
		}
	}
}

// A key given twice is refused at its second occurrence, at any depth,
// whatever its case (encoding/json matches keys regardless of case).
func TestDuplicateKeys(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{"currency":"USD","start":"2026-01",
	  "months": 12,
	  "discount_rate": 0.1,
	  "months": 600,
	  "partnerships":[{"id":"a","channel":"c","categories":[
	    {"id":"x","orders":1,"price":1,"units_per_order":1,"unit_cost":0,"Unit_Cost":5}]}]}`))
	wantPaths(t, err, "months", "partnerships[0].categories[0].Unit_Cost")
	if err != nil && !strings.Contains(err.Error(), `"months" is first given on line 2`) {
		t.Errorf("message does not say where the first one is:\n%v", err)
	}

	// Inside a map, keys match exactly.
	var m struct {
		Rates map[string]map[string]int `json:"rates"`
	}
	err = DecodeStrict([]byte(`{"rates": {"a": {"x": 1, "X": 2, "x": 3}, "b": {}}}`), &m)
	wantPaths(t, err, "rates.a.x")
}

// Every value of the wrong type is reported with its path, at once and
// with the other problems of the file; NaN and infinities are not decimals.
func TestTypeErrorsAllAtOnce(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{"currency":"USD","start":202601,"months":"twelve",
	  "discount_rate":"NaN","name":12,
	  "partnerships":[{"id":"a","channel":"c","launch_month":1.5,"commission":true,
	    "categories":[{"id":"x","orders":"Infinity","price":"-Infinity","units_per_order":"inf","unit_cost":"1,000",
	      "growth":"+Inf","seasonality":[1,1,"x",1,1,1,1,1,1,1,1,[1]],"colour":"red"}]},
	    {"id":"b","channel":"c","channel":"d"}, 7]}`))
	wantPaths(t, err,
		"start", "months", "discount_rate", "name",
		"partnerships[0].launch_month", "partnerships[0].commission",
		"partnerships[0].categories[0].orders", "partnerships[0].categories[0].price",
		"partnerships[0].categories[0].units_per_order", "partnerships[0].categories[0].unit_cost",
		"partnerships[0].categories[0].growth",
		"partnerships[0].categories[0].seasonality[2]", "partnerships[0].categories[0].seasonality[11]",
		"partnerships[0].categories[0].colour",
		"partnerships[1].channel",
		"partnerships[2]",
	)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, want := range []string{
		`partnerships[0].launch_month: got 1.5, expected a whole number`,
		`discount_rate: got "NaN", expected a decimal number`,
		`months: got "twelve", expected a whole number`,
		`partnerships[2]: got 7, expected an object`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "decimal.Decimal") || strings.Contains(msg, "costmodel.") {
		t.Errorf("a Go type name in a message for people:\n%s", msg)
	}
}

// Excel and Notepad start UTF-8 files with a byte-order mark.
func TestByteOrderMark(t *testing.T) {
	t.Parallel()
	data, err := json.Marshal(loadTestdata(t, "small.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bytes.NewReader(append([]byte("\xEF\xBB\xBF"), data...))); err != nil {
		t.Errorf("a file with a byte-order mark: %v", err)
	}
}

// A file that is not one object says so, in JSON's words.
func TestTopLevelNotAnObject(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{`[]`, "(file): got a JSON array, expected an object"},
		{`[{"currency":"USD"}]`, "(file): got a JSON array, expected an object"},
		{`"USD"`, "(file): got a JSON string, expected an object"},
		{`12`, "(file): got a JSON number, expected an object"},
		{`null`, "(file): got JSON null, expected an object"},
		{``, "(file): got an empty file, expected a JSON object"},
		{`{} {}`, "(file): expected a single JSON object, with nothing after it"},
	} {
		_, err := Load(strings.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.in, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "Portfolio") {
			t.Errorf("%q: a Go type name in %v", c.in, err)
		}
	}
}

// Numbers in messages appear as the user wrote them, and a value too long
// to read is shortened to its head and tail with its length.
func TestMessagesShowValuesAsWritten(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", 300)
	_, err := Load(strings.NewReader(`{"currency":"USD","start":"2026-01","months":1.50,"discount_rate":0.1,
	  "partnerships":[{"id":"a","channel":"c","launch_month":` + long + `}]}`))
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	if !strings.Contains(msg, "months: got 1.50, expected a whole number") {
		t.Errorf("months not as written:\n%s", msg)
	}
	if strings.Contains(msg, long[:60]) || !strings.Contains(msg, "(300 characters)") {
		t.Errorf("a 300-digit value is not shortened:\n%s", msg)
	}
	// The same in the validation layer: a 300-digit order count.
	_, err = Load(strings.NewReader(`{"currency":"USD","start":"2026-01","months":1,"discount_rate":0.1,
	  "partnerships":[{"id":"a","channel":"c","categories":[{"id":"x","orders":` + long + `,"price":0.1,"units_per_order":1,"unit_cost":0}]}]}`))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Value != long {
		t.Fatalf("the whole value is not kept in FieldError.Value: %v", err)
	}
	if m := fe.Error(); len(m) > 200 || !strings.Contains(m, "…") || !strings.Contains(m, "(300 characters)") {
		t.Errorf("message not shortened: %s", m)
	}
	// The shortening keeps head and tail.
	if got := shorten("1234567890123456789012345678901234567890ABCDEFGHIJKL", 40); got != "12345678901234567890…CDEFGHIJKL (52 characters)" {
		t.Errorf("shorten: %q", got)
	}
}

// errors.As reaches the cause a FieldError wraps, and errors.Is still
// finds ErrInvalid.
func TestFieldErrorUnwrap(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{"currency": "USD",}`))
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		t.Errorf("errors.As does not find the *json.SyntaxError in %v", err)
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("not ErrInvalid: %v", err)
	}
	cause := errors.New("cause")
	var pr Problems
	pr.Merge("x", &FieldError{Path: "y", Expected: "z", Err: cause})
	if !errors.Is(pr.Err(), cause) || !errors.Is(pr.Err(), ErrInvalid) {
		t.Errorf("Merge drops the cause: %v", pr.Err())
	}
}

// A JSON syntax error is not a user value: its message is shown whole, at
// its line and column, never shortened; a double byte-order mark, UTF-16,
// a trailing comma and a comment each get a message that says what to do.
func TestSyntaxErrorsShownWhole(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"missing comma", `{"months": 3 "x": 1}`, []string{"(line 1, column 14)", `invalid character '"' after object key:value pair`}},
		{"missing comma, line 2", "{\"months\": 3,\n  \"start\": \"2026-01\" \"x\": 1}", []string{"(line 2, column 22)", `invalid character '"' after object key:value pair`}},
		{"double BOM", "\xEF\xBB\xBF\xEF\xBB\xBF{}", []string{"two byte-order marks"}},
		{"UTF-16 LE", "\xFF\xFE{\x00}\x00", []string{"the file is UTF-16; save it as UTF-8"}},
		{"UTF-16 BE", "\xFE\xFF\x00{\x00}", []string{"the file is UTF-16; save it as UTF-8"}},
		{"UTF-16 no BOM", "{\x00\"\x00m\x00\"\x00:\x003\x00}\x00", []string{"the file is UTF-16; save it as UTF-8"}},
		{"trailing comma", "{\"months\": 3,\n}", []string{"(line 2, column 1)", "trailing comma"}},
		{"trailing comma in list", `{"partnerships": [{}, ]}`, []string{"(line 1, column 23)", "trailing comma"}},
		{"line comment", "{\n  // horizon\n  \"months\": 3}", []string{"(line 2, column 3)", "JSON has no comments"}},
		{"block comment", `{"months": /* three */ 3}`, []string{"(line 1, column 12)", "JSON has no comments"}},
	} {
		_, err := Load(strings.NewReader(tc.in))
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		msg := err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s: %q lacks %q", tc.name, msg, w)
			}
		}
		if strings.Contains(msg, "characters)") || strings.Contains(msg, "…") {
			t.Errorf("%s: shortened: %q", tc.name, msg)
		}
	}
}

// Messages that say what is wrong: a 300-digit horizon is out of range
// (not "not a whole number"), an id may not start with '_', an empty
// price_mix needs a price point, and 1e400 is shown as written.
func TestMessagesSayWhatIsWrong(t *testing.T) {
	base, err := os.ReadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, path, want, not string }{
		{`"months": 3`, `"months": ` + strings.Repeat("9", 300), "months", "expected a horizon from 1 to 600 months; this number is out of range", "expected a whole number"},
		{`"id": "market"`, `"id": "_x"`, "partnerships[0].id", "must start with a lower-case letter or digit", ""},
		{`"id": "mugs"`, `"id": "-mugs"`, "partnerships[0].categories[0].id", "must start with a lower-case letter or digit", ""},
		{`"price": 20,`, `"price_mix": [],`, "partnerships[0].categories[0].price_mix", "at least one price point", "price is required unless"},
		{`"discount_rate": 0.12`, `"discount_rate": 1e400`, "discount_rate", "got 1e400,", "characters)"},
		{`"discount_rate": 0.12`, `"discount_rate": "-2.5E+300"`, "discount_rate", `got "-2.5E+300",`, "characters)"},
	} {
		_, err := Load(strings.NewReader(strings.Replace(string(base), tc.from, tc.to, 1)))
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 {
			t.Errorf("%s: want one problem, got %v", tc.to[:min(len(tc.to), 30)], err)
			continue
		}
		msg := ve.Problems[0].Error()
		if ve.Problems[0].Path != tc.path || !strings.Contains(msg, tc.want) || (tc.not != "" && strings.Contains(msg, tc.not)) {
			t.Errorf("%s: %s (want it at %s, saying %q)", tc.to[:min(len(tc.to), 30)], msg, tc.path, tc.want)
		}
	}
}
