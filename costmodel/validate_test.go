package costmodel

import (
	"errors"
	"strings"
	"testing"
)

// badPortfolio has one mistake of each kind the loader must catch.
const badPortfolio = `{
  "currency": "XYZ",
  "start": "2026-01",
  "months": 601,
  "discount_rate": -1.5,
  "partnerships": [
    {
      "id": "Amazon US", "channel": "",
      "launch_month": -1,
      "commission": {
        "tiers": [{"up_to": 20, "rate": 0.1}, {"up_to": 10, "rate": 1.5}, {"rate": 0.2}],
        "tier_mode": "stepped", "cap_per_item": 0.1, "min_per_item": 0.3
      },
      "payment": {"rate": 0.029, "fixed": -0.30},
      "setup": [{"id": "build", "amount": 100, "month": 700}, {"id": "build", "amount": 1}],
      "data_transfer": {"fixed_gb": 10, "pricing": {"allowance_mode": "later", "bands": [{"up_to": 100, "price": 0.09}, {"up_to": 50, "price": 0.05}]}},
      "categories": [
        {"id": "toys", "orders": -10, "price": 20, "units_per_order": 0, "unit_cost": 5, "return_rate": 1.2,
         "seasonality": [1, 1, 1]},
        {"id": "toys", "orders": 10, "price": 5,
         "price_mix": [{"price": 10, "share": 0.5}, {"price": 20, "share": 0.4}],
         "units_per_order": 1, "unit_cost": 99999999999999999, "growth": -2},
        {"id": "payment", "orders": 1, "price": 1, "units_per_order": 1, "unit_cost": 0.0000000000001}
      ]
    },
    {"id": "ebay", "channel": "marketplace"},
    {"id": "ebay", "channel": "marketplace"}
  ]
}`

func TestValidateReportsEverything(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(badPortfolio))
	if err == nil {
		t.Fatal("bad portfolio accepted")
	}
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("errors.Is(err, ErrInvalid) = false for %v", err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %T", err)
	}
	paths := map[string]string{}
	for _, p := range ve.Problems {
		paths[p.Path] = p.Expected
	}
	want := []string{
		"currency",                                  // unknown currency
		"months",                                    // horizon out of range
		"portfolio/discount_rate",                   // rate ≤ −1
		"partnerships[0].id",                        // not a slug
		"partnerships[0].channel",                   // missing
		"partnerships[0].launch_month",              // negative
		"partnerships[0].commission.tier_mode",      // unknown mode
		"partnerships[0].commission.tiers[1].up_to", // not ascending
		"partnerships[0].commission.cap_per_item",   // cap < min
		"Amazon US/commission/tier/2/rate",          // rate > 1
		"Amazon US/payment/fixed",                   // negative money
		"partnerships[0].setup[0].month",            // beyond the horizon
		"partnerships[0].setup[1].id",               // duplicate
		"partnerships[0].data_transfer.pricing.allowance_mode",
		"partnerships[0].data_transfer.pricing.bands[1].up_to", // overlapping / last bounded
		"Amazon US/toys/orders",                                // negative volume
		"Amazon US/toys/units_per_order",                       // zero
		"Amazon US/toys/return_rate",                           // > 1
		"partnerships[0].categories[0].seasonality",            // 3 values
		"partnerships[0].categories[1].id",                     // duplicate category
		"partnerships[0].categories[1].price",                  // price and mix
		"partnerships[0].categories[1].price_mix",              // shares sum to 0.9
		"Amazon US/toys/unit_cost",                             // too large to be money
		"Amazon US/toys/growth",                                // ≤ −1
		"partnerships[0].categories[2].id",                     // reserved word
		"Amazon US/payment/unit_cost",                          // too many decimals
		"partnerships[2].id",                                   // duplicate partnership
	}
	for _, w := range want {
		if _, ok := paths[w]; !ok {
			t.Errorf("no problem reported at %s", w)
		}
	}
	if t.Failed() {
		t.Logf("reported:\n%v", err)
	}
	for _, p := range ve.Problems {
		if p.Expected == "" {
			t.Errorf("%s: no expectation stated", p.Path)
		}
	}
}

func TestLoadJSONErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, json, path string
	}{
		{"unknown field", `{"currency":"USD","start":"2026-01","months":1,"discount_rate":0,"partnerships":[],"colour":1}`, "colour"},
		{"wrong type", `{"currency":"USD","months":"twelve"}`, "months"},
		{"syntax", `{"currency":"USD",}`, "(line 1, column 19)"},
		{"trailing data", `{"currency":"USD","start":"2026-01","months":1,"discount_rate":0,"partnerships":[]} {}`, "(file)"},
		{"NaN", `{"currency":"USD","start":"2026-01","months":1,"discount_rate":"NaN","partnerships":[]}`, "discount_rate"},
		{"bad month", `{"currency":"USD","start":"2026-13","months":1}`, "start"},
		{"empty", ``, "(file)"},
	}
	for _, c := range cases {
		_, err := Load(strings.NewReader(c.json))
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a *FieldError", c.name, err)
			continue
		}
		if fe.Path != c.path {
			t.Errorf("%s: path %q, want %q (%v)", c.name, fe.Path, c.path, err)
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: not ErrInvalid", c.name)
		}
	}
}

func TestSharedTermsRefused(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	shared := &Commission{Rate: d("0.1")}
	p.Partnerships[0].Categories[0].Commission = shared
	p.Partnerships[1].Categories[0].Commission = shared
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "partnerships[1].categories[0].commission") {
		t.Errorf("aliased terms: %v", err)
	}
}

// Every unknown field is reported, each with its JSON path.
func TestUnknownFieldsAllAtOnce(t *testing.T) {
	t.Parallel()
	_, err := Load(strings.NewReader(`{"currency":"USD","start":"2026-01","months":3,"discount_rate":0.1,
	  "partnerships":[{"id":"a","channel":"c","categories":[
	    {"id":"x","orders":1,"price":1,"units_per_order":1,"unit_cost":0,"retrun_rate":0.1},
	    {"id":"y","orders":1,"price":1,"units_per_order":1,"unit_cost":0,"commission":{"rate":0.1,"tier":[]}}]}],
	  "horizon":12}`))
	for _, w := range []string{"partnerships[0].categories[0].retrun_rate", "partnerships[0].categories[1].commission.tier", "horizon"} {
		if err == nil || !strings.Contains(err.Error(), w+": expected a known field") {
			t.Errorf("no problem at %s: %v", w, err)
		}
	}
}

// Excel's calendar ends on 9999-12-31: a horizon past it is refused, and
// the message names the start, the months, where they would end and the
// most months this start allows.
func TestHorizonPastExcelsLastDate(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	p.Start, p.Months = Month{9990, 1}, 240
	err := p.Validate()
	want := "months: got 240, expected a horizon that ends by 9999-12, the last month Excel can date: start 9990-01 with 240 months ends 10009-12; from this start at most 120 months"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
	p.Months = 120 // 9990-01 … 9999-12
	p.Partnerships[0].Setup = nil
	if err := p.Validate(); err != nil {
		t.Errorf("a horizon ending in 9999-12: %v", err)
	}
}
