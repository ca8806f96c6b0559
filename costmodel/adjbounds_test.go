package costmodel_test

import (
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// An adjustment's value, an input of the model (and a cell on the
// workbook's Assumptions), is bounded so that the drivers it adjusts stay
// in their ranges: what the workbook's data validation accepts is what
// Validate accepts for that adjustment alone.
func TestAdjustmentValueBounds(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	d := decimal.RequireFromString
	p.Adjustments = []costmodel.Adjustment{
		{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: d("1.3"), From: 0, To: 2},    // orders 100, ≥ 0
		{Target: "market/mugs/return_rate", Op: costmodel.Add, Value: d("0.02"), From: 0, To: 0},   // 0.10, 0 to 1
		{Target: "market/mugs/return_rate", Op: costmodel.SetTo, Value: d("0.2"), From: 1, To: 1},  // 0 to 1
		{Target: "market/mugs/return_rate", Op: costmodel.Multiply, Value: d("2"), From: 2, To: 2}, // 0.10 × v ≤ 1
	}
	m, err := costmodel.NewModel(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		addr   string
		lo, hi float64
		words  string
	}{
		{"adjustments/1/value", 0, 1e13 / 100, "≥ 0"},
		{"adjustments/2/value", -0.1, 0.9, "-0.1 to 0.9"},
		{"adjustments/3/value", 0, 1, "0 to 1"},
		{"adjustments/4/value", 0, 10, "0 to 10"},
	}
	for _, tt := range tests {
		i, ok := m.Index(tt.addr)
		if !ok {
			t.Fatalf("no driver %s", tt.addr)
		}
		dr := m.Drivers()[i]
		lo, hi := dr.Bounds()
		if !near(lo, tt.lo) || !near(hi, tt.hi) || dr.Range != tt.words {
			t.Errorf("%s: [%g, %g] %q, want [%g, %g] %q", tt.addr, lo, hi, dr.Range, tt.lo, tt.hi, tt.words)
		}
	}
	// Just past a bound, Validate refuses the adjusted portfolio.
	p.Adjustments[3].Value = d("10.000001")
	if err := p.Validate(); err == nil {
		t.Error("a return rate of 1.0000001 in month 2 validates")
	}
	p.Adjustments[3].Value = d("10")
	if err := p.Validate(); err != nil {
		t.Errorf("a return rate of 1 in month 2: %v", err)
	}
}

func near(a, b float64) bool { return a == b || (a-b)*(a-b) <= 1e-24*(a*a+b*b) }
