package format

import (
	"math"
	"testing"

	"github.com/marginalhq/marginal/scenario"

	"github.com/shopspring/decimal"
)

func TestMoney(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in     string
		places int32
		want   string
	}{
		{"0", 0, "0"},
		{"-0.4", 0, "0"},
		{"-0.5", 0, "-1"}, // half away from zero
		{"0.5", 0, "1"},
		{"999", 0, "999"},
		{"999.5", 0, "1,000"},
		{"1000", 0, "1,000"},
		{"-1234567.5", 0, "-1,234,568"},
		{"123456", 0, "123,456"},
		{"1234.5", 2, "1,234.50"},
		{"-1234567.125", 2, "-1,234,567.13"},
		{"12", 2, "12.00"},
		{"1000000000000", 0, "1,000,000,000,000"},
	} {
		d := decimal.RequireFromString(c.in)
		if got := MoneyPlaces(d, c.places); got != c.want {
			t.Errorf("MoneyPlaces(%s, %d) = %q, want %q", c.in, c.places, got, c.want)
		}
	}
	if got := Money(decimal.RequireFromString("-98765.49")); got != "-98,765" {
		t.Errorf("Money = %q", got)
	}
}

func TestMoneyFloat(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in   float64
		want string
	}{{1234567.49, "1,234,567"}, {-2500.5, "-2,501"}, {math.NaN(), "n/a"}, {math.Inf(-1), "n/a"}, {0, "0"}} {
		if got := MoneyFloat(c.in); got != c.want {
			t.Errorf("MoneyFloat(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	if got := Percent(decimal.RequireFromString("0.1655"), true); got != "16.6%" {
		t.Errorf("Percent = %q", got)
	}
	if got := Percent(decimal.RequireFromString("0.1655"), false); got != "n/a" {
		t.Errorf("undefined Percent = %q", got)
	}
	if got := Percent(decimal.RequireFromString("-0.05"), true); got != "-5.0%" {
		t.Errorf("Percent = %q", got)
	}
}

func TestBargainingRange(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		fs   scenario.FairShare
		want string
	}{
		{"range", scenario.FairShare{PartnerFloor: rateValue("0.031"), OurBreakEven: rateValue("0.0745"), HasRange: true},
			"a bargaining range exists: 3.10%–7.45% (from the partner's floor to our break-even)"},
		{"crossed", scenario.FairShare{PartnerFloor: rateValue("0.08"), OurBreakEven: rateValue("0.065")},
			"no rate is acceptable to both sides: the partner's floor 8.00% is above our break-even 6.50%"},
		{"we always lose", scenario.FairShare{PartnerFloor: rateValue("0.02")},
			"no rate is acceptable to both sides: we lose against our no-deal outcome at every rate from 0% up"},
		{"they always lose", scenario.FairShare{OurBreakEven: rateValue("0.02")},
			"no rate is acceptable to both sides: the partner loses against its no-deal outcome at every rate up to 100%"},
	} {
		if got := BargainingRange(&c.fs); got != c.want {
			t.Errorf("%s: %q\nwant %q", c.name, got, c.want)
		}
	}
}

// rateValue is a valid Value of a rate.
func rateValue(s string) scenario.Value {
	return scenario.Value{Amount: decimal.RequireFromString(s), Valid: true}
}
