package costmodel

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestDriversAddresses(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "larkspur.json")
	ds := p.Drivers()
	seen := map[string]bool{}
	for _, dr := range ds {
		if seen[dr.Address] {
			t.Errorf("duplicate address %s", dr.Address)
		}
		seen[dr.Address] = true
		if dr.Unit == "" || dr.Range == "" {
			t.Errorf("%s: missing unit or range", dr.Address)
		}
	}
	for _, a := range []string{
		"portfolio/discount_rate",
		"amazon-us/beauty/orders",
		"amazon-us/beauty/commission/tier/1/up_to",
		"amazon-us/beauty/commission/tier/2/rate",
		"amazon-us/beauty/price_mix/3/price",
		"amazon-us/beauty/seasonality/nov",
		"ebay/commission/rate",
		"ebay/commission/per_order_fee_above",
		"etsy/payment/fixed",
		"own-shop/setup/site-build/amount",
		"own-shop/maintenance/engineering/hourly_rate",
		"feedlink/data_transfer/band/2/price",
		"feedlink/api/calls_per_order",
		"feedlink/support/cost_per_ticket",
		"feedlink/minimum_commission",
		"ebay/collectibles/price",
	} {
		if !seen[a] {
			t.Errorf("no driver %s", a)
		}
	}
	got, err := p.Driver("ebay/commission/rate")
	if err != nil || !got.Value.Equal(d("0.136")) || got.Unit != "fraction of fee base" {
		t.Errorf("ebay/commission/rate = %+v, %v", got, err)
	}
	if _, err := p.Driver("ebay/nope"); err == nil {
		t.Error("unknown address accepted")
	}
}

func TestSetAndPatterns(t *testing.T) {
	t.Parallel()
	base := loadTestdata(t, "larkspur.json")
	p := base.Clone()
	n, err := p.Set("*/home/return_rate", d("0.5"))
	if err != nil || n != 4 { // ebay, etsy, own-shop, feedlink
		t.Fatalf("set */home/return_rate: n=%d err=%v", n, err)
	}
	for _, a := range []string{"ebay/home/return_rate", "feedlink/home/return_rate"} {
		if v, _ := p.Driver(a); !v.Value.Equal(d("0.5")) {
			t.Errorf("%s = %s after set", a, v.Value)
		}
	}
	if v, _ := base.Driver("ebay/home/return_rate"); !v.Value.Equal(d("0.05")) {
		t.Errorf("Clone shares state: base changed to %s", v.Value)
	}
	// Multiply every price point of a mix.
	n, err = p.Update("amazon-us/*/price_mix/*/price", func(dr Driver) (decimal.Decimal, error) {
		return dr.Value.Mul(d("0.9")), nil
	})
	if err != nil || n != 10 { // 3 + 2 + 3 + 2 price points
		t.Fatalf("update mix prices: n=%d err=%v", n, err)
	}
	if v, _ := p.Driver("amazon-us/furniture/price_mix/2/price"); !v.Value.Equal(d("314.1")) {
		t.Errorf("furniture price 2 = %s, want 314.1", v.Value)
	}
	// A pointer field must be copied by Clone too.
	if _, err := p.Set("amazon-us/beauty/commission/tier/1/up_to", d("12")); err != nil {
		t.Fatal(err)
	}
	if v, _ := base.Driver("amazon-us/beauty/commission/tier/1/up_to"); !v.Value.Equal(d("10")) {
		t.Errorf("Clone shares tier bounds: base has %s", v.Value)
	}
	// Out of range: every problem, nothing changed.
	_, err = p.Set("*/*/return_rate", d("1.5"))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) < 10 {
		t.Fatalf("range errors: %v", err)
	}
	if !strings.HasSuffix(ve.Problems[0].Path, "/return_rate") {
		t.Errorf("problem path %s", ve.Problems[0].Path)
	}
	if v, _ := p.Driver("ebay/home/return_rate"); !v.Value.Equal(d("0.5")) {
		t.Errorf("failed set changed a value to %s", v.Value)
	}
	for _, bad := range []string{"nobody/*/orders", "", "amazon-us/[", "a//b"} {
		if _, err := p.Set(bad, d("1")); !errors.Is(err, ErrInvalid) {
			t.Errorf("pattern %q: %v", bad, err)
		}
	}
}

// Setting a driver changes the statement the way the model says.
func TestSetMovesStatement(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	if _, err := p.Set("market/commission/rate", d("0.20")); err != nil {
		t.Fatal(err)
	}
	st := evalT(t, p)
	m, _ := st.Partnership("market")
	// 20 % of $25 = $5.00 per item, 150 items in November.
	if got := m.Categories[0].Monthly[0][LineCommission]; !got.Equal(d("750")) {
		t.Errorf("commission at 20 %% = %s, want 750", got)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"small.json", "larkspur.json"} {
		p := loadTestdata(t, name)
		var buf bytes.Buffer
		if err := p.Save(&buf); err != nil {
			t.Fatal(err)
		}
		q, err := Load(&buf)
		if err != nil {
			t.Fatalf("%s: reload: %v", name, err)
		}
		a, b := goldenText(evalT(t, p)), goldenText(evalT(t, q))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: statement changed after Save/Load", name)
		}
		if len(p.Drivers()) != len(q.Drivers()) {
			t.Errorf("%s: driver count changed", name)
		}
	}
}

// An address or pattern that names no driver is ErrNoMatch (and
// ErrInvalid), wherever it is given; a value out of range is not.
func TestErrNoMatch(t *testing.T) {
	t.Parallel()
	p := loadTestdata(t, "small.json")
	_, errMatch := p.Match("nobody/*/orders")
	_, errDriver := p.Driver("market/mugs/order")
	_, errSet := p.Set("nobody/*/orders", d("1"))
	q := loadTestdata(t, "small.json")
	q.Adjustments = []Adjustment{{Target: "nobody/*/orders", Op: Multiply, Value: d("2"), From: 0, To: 0}}
	errAdjust := q.Validate()
	for name, err := range map[string]error{"Match": errMatch, "Driver": errDriver, "Set": errSet, "adjustment": errAdjust} {
		if !errors.Is(err, ErrNoMatch) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v is not ErrNoMatch and ErrInvalid", name, err)
		}
	}
	_, err := p.Set("market/mugs/orders", d("-1"))
	if err == nil || errors.Is(err, ErrNoMatch) || !errors.Is(err, ErrInvalid) {
		t.Errorf("out of range: %v", err)
	}
}
