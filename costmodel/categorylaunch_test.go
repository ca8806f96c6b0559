package costmodel

import (
	"strings"
	"testing"
)

// TestCategoryLaunch adds a category to a running partnership in month 2
// of 4, with a two-month ramp from 0.5: its orders are 0, 0, 50, 75
// (100 × 0.5 at launch, 100 × (0.5 + 0.5 × 1/2) a month later) and its
// storage starts with it;
// the category that was there from the start is unchanged.
func TestCategoryLaunch(t *testing.T) {
	p := &Portfolio{Currency: "USD", Start: Month{Year: 2026, Month: 1}, Months: 4, DiscountRate: d("0.1"),
		Partnerships: []Partnership{{ID: "shop", Channel: "own-shop", Categories: []Category{
			{ID: "mugs", Orders: d("10"), Price: d("20"), UnitsPerOrder: d("1"), UnitCost: d("8")},
			{ID: "bowls", Orders: d("100"), Price: d("15"), UnitsPerOrder: d("1"), UnitCost: d("5"), StorageMonthly: d("40"),
				LaunchMonth: 2, RampMonths: 2, RampStart: d("0.5")},
		}}}}
	st, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	bowls := st.Partnerships[0].Categories[1].Block
	for m, want := range []string{"0", "0", "50", "75"} {
		if got := bowls.Orders[m]; !got.Equal(d(want)) {
			t.Errorf("month %d: bowls orders %s, want %s", m, got, want)
		}
		storage := "40"
		if m < 2 {
			storage = "0"
		}
		if got := bowls.Monthly[m][LineStorage]; !got.Equal(d(storage)) {
			t.Errorf("month %d: bowls storage %s, want %s", m, got, storage)
		}
		// GMV = orders × 15.
		if got, w := bowls.Monthly[m][LineGMV], d(want).Mul(d("15")); !got.Equal(w) {
			t.Errorf("month %d: bowls GMV %s, want %s", m, got, w)
		}
		if got := st.Partnerships[0].Categories[0].Block.Orders[m]; !got.Equal(d("10")) {
			t.Errorf("month %d: mugs orders %s, want 10", m, got)
		}
	}
	p.Partnerships[0].Categories[1].LaunchMonth = 4
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "partnerships[0].categories[1].launch_month") {
		t.Errorf("launch month past the horizon: %v", err)
	}
}
