package scenario

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// A tornado bar whose output is undefined at one end (orders to zero:
// no net sales, no ratio) says so; it is not a bar of swing 0 ranked as
// "no effect".
func TestTornadoUndefinedBar(t *testing.T) {
	t.Parallel()
	p := small(t)
	out := Output{Scope: Portfolio, Metric: ContributionRatio}
	tor, err := RunTornado(p, out, []Input{
		{Target: "*/mugs/orders", Op: costmodel.Multiply, Low: decimal.Zero, High: decimal.RequireFromString("1.1")},
		Percent("market/mugs/unit_cost", decimal.RequireFromString("0.1")),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tor.Bars) != 2 {
		t.Fatalf("%d bars", len(tor.Bars))
	}
	first, last := tor.Bars[0], tor.Bars[1]
	if first.Input.Target != "market/mugs/unit_cost" || first.Undefined || !first.Swing.IsPositive() {
		t.Errorf("first bar %+v, want the unit cost's, defined", first)
	}
	if last.Input.Target != "*/mugs/orders" || !last.Undefined || last.AtLow.Valid || !last.AtHigh.Valid {
		t.Errorf("orders bar %+v, want undefined at low", last)
	}
}

// A guardrail on a value that is undefined says so: the breach is marked
// Undefined and reads "undefined", not as a number below the limit.
func TestGuardrailOnUndefined(t *testing.T) {
	t.Parallel()
	p := small(t)
	q := p.Clone()
	if _, err := q.Set("shop/mugs/orders", decimal.Zero); err != nil {
		t.Fatal(err)
	}
	st := eval(t, q)
	min := decimal.RequireFromString("0.05")
	g := Guardrails{{Scope: Partnership, Key: "*", Metric: CM3Ratio, Min: &min}}
	br, err := g.Check("no shop orders", st)
	if err != nil {
		t.Fatal(err)
	}
	var shop *Breach
	for i := range br {
		if br[i].Key == "shop" {
			shop = &br[i]
		}
		if br[i].Key == "market" && br[i].Undefined {
			t.Errorf("market's ratio is defined: %+v", br[i])
		}
	}
	if shop == nil {
		t.Fatalf("no breach for shop's undefined CM3 ratio: %+v", br)
	}
	if !shop.Undefined || shop.Value.Valid {
		t.Errorf("shop's breach %+v is not marked undefined", *shop)
	}
	if s := shop.String(); !strings.Contains(s, "undefined") || !strings.Contains(s, "shop") || !strings.Contains(s, "0.05") {
		t.Errorf("breach reads %q", s)
	}
	// A defined breach reads as its value against the limit.
	hi := decimal.RequireFromString("0.99")
	br, err = Guardrails{{Scope: Portfolio, Metric: CM1Ratio, Min: &hi}}.Check("base", eval(t, p))
	if err != nil || len(br) != 1 || br[0].Undefined || !strings.Contains(br[0].String(), "below") {
		t.Errorf("defined breach %+v, %v", br, err)
	}
}

// Messages shorten long text and long numbers, and show numbers as
// written.
func TestMessagesShortened(t *testing.T) {
	t.Parallel()
	p := small(t)
	long := strings.Repeat("x", 300)
	_, err := Scenario{Name: "s", Shocks: []Shock{{Target: long, Op: costmodel.Multiply, Value: decimal.NewFromInt(2)}}}.Apply(p)
	if err == nil || strings.Contains(err.Error(), long) || !strings.Contains(err.Error(), "300 characters") {
		t.Errorf("long target: %v", err)
	}
	huge := decimal.RequireFromString("1" + strings.Repeat("0", 299))
	_, err = Fairness(p, Negotiation{Partnership: "market", OurWeight: &huge})
	if err == nil || strings.Contains(err.Error(), strings.Repeat("0", 100)) || !strings.Contains(err.Error(), "300 characters") {
		t.Errorf("300-digit weight: %v", err)
	}
	w := decimal.RequireFromString("1.10")
	_, err = Fairness(p, Negotiation{Partnership: "market", OurWeight: &w})
	if err == nil || !strings.Contains(err.Error(), "got 1.1,") && !strings.Contains(err.Error(), "got 1.10,") {
		t.Errorf("weight 1.10: %v", err)
	}
}

// A comparison row whose value is undefined has no delta: neither 0 nor a
// percentage of the base.
func TestCompareUndefinedRow(t *testing.T) {
	t.Parallel()
	p := small(t)
	c, err := Compare(p, Scenario{Name: "shop closed", Shocks: []Shock{{Target: "shop/mugs/orders", Op: costmodel.SetTo, Value: decimal.Zero}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []Metric{CM1Ratio, ContributionRatio, PaybackMonth} {
		r, ok := c.Find("shop closed", Output{Scope: Partnership, Key: "shop", Metric: m})
		if !ok {
			t.Fatalf("no row for shop %s", m)
		}
		if m != PaybackMonth && !r.Base.Valid {
			t.Errorf("%s: the base is defined: %+v", m, r)
		}
		if r.Value.Valid || r.Delta.Valid || r.DeltaPct.Valid || r.Value.String() != "n/a" {
			t.Errorf("%s: an undefined value with a delta: %+v", m, r)
		}
	}
}
