package actuals

import (
	"fmt"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// A plan with capacities and allocation rules (testdata/generated) is
// reproduced to the cent by actuals equal to its orders.
func TestActualsEqualPlanWithCapacities(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/generated/loaded-seed-8.json")
	if err != nil {
		t.Skip(err)
	}
	p.Adjustments = nil
	m, err := NewModel(p, planOrders(t, p, min(5, p.Months-1)))
	if err != nil {
		t.Fatal(err)
	}
	for k := range len(Effects) + 1 {
		st, _ := m.Stage(k)
		sameStatement(t, fmt.Sprintf("stage %d", k), m.Plan(), st)
	}
}
