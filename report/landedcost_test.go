package report

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// TestLandedCostRows checks the landed cost per unit on the Unit
// economics sheet of the two-currency sample (amazon-de ships from the
// US): a row for each category of the lane partnership, whose months
// cover the category's months from launch, whose cached value is the
// exact statement's CategoryStatement.LandedCost in each of them (to the
// cent: beauty's 3.81 + 6.83 ÷ 1.3 = 9.06 EUR, under the duty threshold;
// clothing's 7.25 + (0.04 × (34.96 + 6.83) + 6.83) ÷ 1.6 = 12.56 EUR), and
// whose formula reads the lane's drivers by name (so that it follows
// the Assumptions; TestTwoCurrencyParity recalculates it in LibreOffice).
// Partnerships without a lane have no such row.
func TestLandedCostRows(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur-eu.json")
	b, err := newBook(Options{Portfolio: p})
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	if err := b.build(); err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	k := laneIndex(t, p)
	want := map[string]string{"beauty": "9.06", "clothing": "12.56"}
	g := b.model.Graph()
	months := map[int]int{} // category → months covered
	for _, r := range b.ueRows {
		if !strings.HasPrefix(g.Label(r.id), "Landed cost per unit") {
			continue
		}
		if r.partnership != k || r.category < 0 {
			t.Errorf("a landed cost row of partnership %d category %d; only %s's categories have one", r.partnership, r.category, p.Partnerships[k].ID)
			continue
		}
		c := st.Partnerships[k].Categories[r.category]
		for tm := r.first; tm <= r.last; tm++ {
			if !b.vals[r.id].Equal(c.LandedCost[tm]) {
				t.Errorf("%s month %d: landed cost %s on the sheet, %s in the statement", c.ID, tm, b.vals[r.id], c.LandedCost[tm])
			}
		}
		months[r.category] += r.last - r.first + 1
		if got := b.vals[r.id].StringFixed(2); got != want[c.ID] {
			t.Errorf("%s: landed cost %s, want %s by hand", c.ID, got, want[c.ID])
		}
		f, _ := b.pr.Formula(r.id, SheetUnitEconomics)
		for _, name := range []string{"lane.shipping_per_order", c.ID + ".unit_cost"} {
			if !strings.Contains(f, name) {
				t.Errorf("%s: formula %s does not read %s", c.ID, f, name)
			}
		}
	}
	for j, c := range p.Partnerships[k].Categories {
		if live := p.Months - p.Partnerships[k].LaunchMonth; months[j] != live {
			t.Errorf("%s: landed cost rows cover %d months, want the %d from launch", c.ID, months[j], live)
		}
	}
}
