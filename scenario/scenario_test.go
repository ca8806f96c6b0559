package scenario

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

func small(t testing.TB) *costmodel.Portfolio {
	t.Helper()
	p, err := costmodel.LoadFile(filepath.Join("..", "testdata", "small.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func eval(t testing.TB, p *costmodel.Portfolio) *costmodel.Statement {
	t.Helper()
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// line reads one line of one partnership's category (or "" for the
// partnership total) in month m.
func line(t testing.TB, st *costmodel.Statement, pid, cat string, m int, l costmodel.Line) decimal.Decimal {
	t.Helper()
	ps, ok := st.Partnership(pid)
	if !ok {
		t.Fatalf("no partnership %s", pid)
	}
	if cat == "" {
		return ps.Total.Monthly[m][l]
	}
	for _, c := range ps.Categories {
		if c.ID == cat {
			return c.Monthly[m][l]
		}
	}
	t.Fatalf("no category %s/%s", pid, cat)
	return decimal.Zero
}

func applyEval(t testing.TB, p *costmodel.Portfolio, s Scenario, err error) *costmodel.Statement {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	q, err := s.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	return eval(t, q)
}

type want struct {
	pid, cat string
	month    int
	line     costmodel.Line
	value    string
}

func expect(t *testing.T, name string, st *costmodel.Statement, ws []want) {
	t.Helper()
	for _, w := range ws {
		if got := line(t, st, w.pid, w.cat, w.month, w.line); !got.Equal(dec(w.value)) {
			t.Errorf("%s: %s/%s month %d %s = %s, want %s", name, w.pid, w.cat, w.month, w.line, got, w.value)
		}
	}
}

// Each ready-made scenario on testdata/small.json, computed by hand. The
// months are Nov 2026 (0), Dec (1), Jan 2027 (2); base orders market 150,
// 120, 100 and shop 75, 60, 50; market's mug is $20 + $5 shipping.
func TestReadyMadeByHand(t *testing.T) {
	t.Parallel()
	p := small(t)

	s, err := PeakSeason(p, PeakSeasonOptions{})
	st := applyEval(t, p, s, err)
	expect(t, "peak", st, []want{
		{"market", "mugs", 0, costmodel.LineGMV, "4875"},               // 150 × 1.3 × 25
		{"market", "mugs", 0, costmodel.LineFulfilment, "421.20"},      // 195 × 2 × 1.08
		{"market", "mugs", 1, costmodel.LineGMV, "3900"},               // 120 × 1.3 × 25
		{"market", "mugs", 2, costmodel.LineGMV, "2500"},               // January untouched
		{"shop", "mugs", 0, costmodel.LineGMV, "1950"},                 // 75 × 1.3 × 20
		{"market", "mugs", 2, costmodel.LineFulfilment, "200"},         // untouched
		{"shop", "mugs", 0, costmodel.LineCOGS, "585"},                 // 97.5 × 6
		{"market", "mugs", 0, costmodel.LineCommission, "731.25"},      // 195 × 3.75
		{"market", "mugs", 0, costmodel.LineReturnHandling, "58.50"},   // 19.5 × 3
		{"market", "mugs", 1, costmodel.LineCommissionRefund, "46.80"}, // 15.6 × 3
	})

	s, err = CompetitiveShift(p, CompetitiveShiftOptions{Categories: "*/mugs", PriceCut: dec("0.2"), Elasticity: dec("-1")})
	st = applyEval(t, p, s, err)
	expect(t, "price cut", st, []want{
		{"market", "mugs", 2, costmodel.LineGMV, "2625"}, // 125 orders × (16 + 5): 0.8^-1 = 1.25
		{"shop", "mugs", 2, costmodel.LineGMV, "1000"},   // 62.5 × (8 + 24)/2
		{"market", "mugs", 2, costmodel.LineCOGS, "900"}, // 125 × 0.9 × 8
	})
	s, err = CompetitiveShift(p, CompetitiveShiftOptions{Categories: "*/mugs", PriceCut: dec("0.1")})
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Shocks[len(s.Shocks)-1].Value.InexactFloat64(); math.Abs(f-math.Pow(0.9, -1.5)) > 1e-12 {
		t.Errorf("default elasticity factor %g, want 0.9^-1.5", f)
	}

	s, err = PartnerOutage(p, PartnerOutageOptions{Partnership: "market", Month: 0, Days: 3, Recovered: dec("0.3")})
	st = applyEval(t, p, s, err)
	expect(t, "outage", st, []want{
		{"market", "mugs", 0, costmodel.LineGMV, "3375"}, // 150 × (1 − 3/30) × 25
		{"shop", "mugs", 0, costmodel.LineGMV, "1590"},   // 75 × (1 + 0.3 × 100 × 0.1 / 50) × 20
		{"market", "mugs", 1, costmodel.LineGMV, "3000"}, // December untouched
	})

	s, err = FeeChange(p, FeeChangeOptions{Partnership: "market", PercentagePoints: dec("0.02")})
	st = applyEval(t, p, s, err)
	expect(t, "fee change", st, []want{
		{"market", "mugs", 0, costmodel.LineCommission, "637.50"},      // 150 × 25 × 0.17
		{"market", "mugs", 0, costmodel.LineCommissionRefund, "51.00"}, // 15 × 4.25 × 0.8
	})

	s, err = CostShock(p, ShippingCost, dec("1.1"), "")
	st = applyEval(t, p, s, err)
	expect(t, "shipping", st, []want{{"market", "mugs", 0, costmodel.LineShipping, "660"}})
}

func TestComposeOrder(t *testing.T) {
	t.Parallel()
	p := small(t)
	jan := []time.Month{time.January}
	double := Scenario{Name: "double", Shocks: []Shock{{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: dec("2")}}}
	plus10 := Scenario{Name: "plus10", Shocks: []Shock{{Target: "market/mugs/orders", Op: costmodel.Add, Value: dec("10")}}}
	doubleJan := Scenario{Name: "double-jan", Shocks: []Shock{{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: dec("2"), CalendarMonths: jan}}}
	set50 := Scenario{Name: "set50", Shocks: []Shock{{Target: "market/mugs/orders", Op: costmodel.SetTo, Value: dec("50")}}}
	cases := []struct {
		s      Scenario
		orders string // January orders of market/mugs
	}{
		{Compose("a", double, plus10), "210"},   // 100 × 2 + 10
		{Compose("b", plus10, double), "220"},   // (100 + 10) × 2
		{Compose("c", doubleJan, set50), "50"},  // set after the January doubling
		{Compose("d", set50, doubleJan), "100"}, // doubling after the set
	}
	for _, c := range cases {
		q, err := c.s.Apply(p)
		if err != nil {
			t.Fatal(err)
		}
		st := eval(t, q)
		ps, _ := st.Partnership("market")
		if got := ps.Categories[0].Orders[2]; !got.Equal(dec(c.orders)) {
			t.Errorf("%s (%s): January orders %s, want %s", c.s.Name, c.s.Description, got, c.orders)
		}
	}
	if v, _ := p.Driver("market/mugs/orders"); !v.Value.Equal(dec("100")) {
		t.Errorf("Apply modified the base: %s", v.Value)
	}
}

func TestScenarioBadInput(t *testing.T) {
	t.Parallel()
	p := small(t)
	five := 5
	s := Scenario{Name: "broken", Shocks: []Shock{
		{Target: "amazon/*/orders", Op: costmodel.Multiply, Value: dec("2")},
		{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: dec("-1")},
		{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: dec("2"), From: &five},
		{Target: "market/mugs/orders", Op: "triple", Value: dec("3")},
	}}
	_, err := s.Apply(p)
	var ve *costmodel.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	msg := err.Error()
	for _, w := range []string{"shocks[0].target", "shocks[1].value: got -1", "market/mugs/orders would be", "shocks[2].from", "shocks[3].op", `(scenario "broken")`} {
		if !strings.Contains(msg, w) {
			t.Errorf("no problem at %s in:\n%s", w, msg)
		}
	}
	// JSON: unknown field, duplicate names, empty shocks.
	_, err = Load(strings.NewReader(`{"scenarios":[{"name":"a","shocks":[{"target":"market/mugs/orders","op":"multiply","value":1.1}]},
		{"name":"a","shocks":[]}]}`), p)
	for _, w := range []string{"scenarios[1].name", "scenarios[1].shocks"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Load: no problem at %s: %v", w, err)
		}
	}
	if _, err := Load(strings.NewReader(`{"scenarios":[{"name":"a","shock":[]}]}`), p); err == nil {
		t.Error("unknown field accepted")
	}
	ok, err := Load(strings.NewReader(`{"scenarios":[{"name":"peak","shocks":[{"target":"*/*/orders","op":"multiply","value":1.3,"calendar_months":[11,12]}]}]}`), p)
	if err != nil || len(ok) != 1 {
		t.Fatalf("valid scenario file: %v", err)
	}
}

func TestCompareAndGuardrails(t *testing.T) {
	t.Parallel()
	p := small(t)
	fee, _ := FeeChange(p, FeeChangeOptions{Partnership: "market", PercentagePoints: dec("0.02")})
	c, err := Compare(p, fee)
	if err != nil {
		t.Fatal(err)
	}
	// 2 points on the fee base 9,250, less refunds on 370 items × 10 % ×
	// $25 × 2 % × 80 % = 14.80 → 185 − 14.80 = 170.20.
	r, ok := c.Find("fee-change", Output{Metric: Contribution})
	if !ok || !r.Delta.Amount.Equal(dec("-170.2")) || !r.Base.Amount.Equal(dec("3453.2")) {
		t.Errorf("contribution row %+v", r)
	}
	if !r.DeltaPct.Amount.Equal(dec("-170.2").DivRound(dec("3453.2"), 6)) {
		t.Errorf("delta %% = %s", r.DeltaPct.Amount)
	}
	r, _ = c.Find("fee-change", Output{Scope: Partnership, Key: "shop", Metric: Contribution})
	if !r.Delta.Amount.IsZero() {
		t.Errorf("shop moved by %s", r.Delta.Amount)
	}
	r, _ = c.Find("fee-change", Output{Scope: Category, Key: "mugs", Metric: NPV})
	if !r.Valid() || r.Delta.Amount.Sign() >= 0 {
		t.Errorf("mugs NPV row %+v", r)
	}

	min := dec("0.45")
	maxPay := dec("2")
	g := Guardrails{
		{Scope: Category, Key: "*", Metric: CM3Ratio, Min: &min},
		{Scope: Partnership, Key: "*", Metric: PaybackMonth, Max: &maxPay},
	}
	breaches, err := g.CheckComparison(c)
	if err != nil {
		t.Fatal(err)
	}
	// mugs CM3 ratio: (1476 + 300 + 2427.20) / 12210 = 0.344 < 0.45 in both
	// cases; market pays back in month 3 > 2 in both.
	if len(breaches) != 4 {
		t.Fatalf("breaches %+v", breaches)
	}
	if breaches[0].Scenario != "base" || breaches[0].Key != "mugs" || !breaches[0].Limit.Equal(min) {
		t.Errorf("first breach %+v", breaches[0])
	}
	bad := Guardrails{{Scope: Category, Key: "toys", Metric: CM3Ratio, Min: &min}, {Scope: Channel, Key: "tv", Metric: "margin"}}
	err = bad.Validate(c.Base)
	for _, w := range []string{"guardrails[0].key", "guardrails[1].metric", "guardrails[1].key", "guardrails[1]: expected a min or a max"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("guardrail problem %s missing: %v", w, err)
		}
	}
}

// Valid reports whether the row has a delta.
func (r Row) Valid() bool { return r.Delta.Valid }

// A shock on a target that names no driver is costmodel.ErrNoMatch.
func TestShockNoMatch(t *testing.T) {
	t.Parallel()
	s := Scenario{Name: "typo", Shocks: []Shock{{Target: "nobody/*/orders", Op: costmodel.Multiply, Value: decimal.NewFromInt(2)}}}
	_, err := s.Apply(small(t))
	if !errors.Is(err, costmodel.ErrNoMatch) || !strings.Contains(err.Error(), "nobody/*/orders") {
		t.Errorf("got %v, want costmodel.ErrNoMatch naming the target", err)
	}
}
