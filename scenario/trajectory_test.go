package scenario_test

import (
	"os"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

func loadSampleTrajectories(t *testing.T) (*costmodel.Portfolio, []scenario.Trajectory) {
	t.Helper()
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../testdata/specs/larkspur.trajectories.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	trs, err := scenario.LoadTrajectories(f, p)
	if err != nil {
		t.Fatal(err)
	}
	return p, trs
}

// TestTrajectoryOpenLaneIsTheTwoCurrencyPortfolio: "open the EU lane"
// on the domestic sample adds the EUR marketplace of larkspur-eu.json
// (launch month 6, set-up in month 3, the same FX rates): its beauty and
// clothing rows are, to the cent, those of that portfolio, evaluated
// from its own file. The own shop loses exactly the 5 % of the EU
// marketplace's orders the trajectory says it takes, and the base
// portfolio is untouched.
func TestTrajectoryOpenLaneIsTheTwoCurrencyPortfolio(t *testing.T) {
	t.Parallel()
	p, trs := loadSampleTrajectories(t)
	before, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	var lane scenario.Trajectory
	for _, tr := range trs {
		if tr.Name == "open the EU lane" {
			lane = tr
		}
	}
	q, err := lane.Apply(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Partnerships) != 5 || len(p.FX) != 0 {
		t.Fatalf("Apply changed the base: %d partnerships, %d FX rates", len(p.Partnerships), len(p.FX))
	}
	got, err := costmodel.Evaluate(q)
	if err != nil {
		t.Fatal(err)
	}
	eu, err := costmodel.LoadFile("../testdata/larkspur-eu.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := costmodel.Evaluate(eu)
	if err != nil {
		t.Fatal(err)
	}
	find := func(st *costmodel.Statement, id string) *costmodel.PartnershipStatement {
		for i := range st.Partnerships {
			if st.Partnerships[i].ID == id {
				return &st.Partnerships[i]
			}
		}
		t.Fatalf("no partnership %s", id)
		return nil
	}
	g, w := find(got, "amazon-de"), find(want, "amazon-de")
	for j := range 2 {
		for m := range got.Months {
			if g.Categories[j].Block.Monthly[m] != w.Categories[j].Block.Monthly[m] {
				for l := range costmodel.NumLines {
					if !g.Categories[j].Block.Monthly[m][l].Equal(w.Categories[j].Block.Monthly[m][l]) {
						t.Fatalf("amazon-de/%s month %d line %d: %s, want %s", g.Categories[j].ID, m, l, g.Categories[j].Block.Monthly[m][l], w.Categories[j].Block.Monthly[m][l])
					}
				}
			}
		}
	}
	// The home SKUs launch in month 12, with the listing set-up in 11.
	home := g.Categories[2].Block
	if !home.Orders[11].IsZero() || home.Orders[12].IsZero() {
		t.Errorf("home (EU) orders in months 11 and 12: %s, %s; want 0 and > 0", home.Orders[11], home.Orders[12])
	}
	shopBefore, shopAfter, de := find(before, "own-shop"), find(got, "own-shop"), g
	for m := range got.Months {
		lost := shopBefore.Total.Orders[m].Sub(shopAfter.Total.Orders[m])
		taken := de.Total.Orders[m].Mul(decimal.RequireFromString("0.05"))
		if d := lost.Sub(taken).Abs(); d.GreaterThan(decimal.New(1, -15)) {
			t.Errorf("month %d: the own shop lost %s orders, the EU marketplace took %s", m, lost, taken)
		}
	}
}

// TestTrajectoryComposesWithScenarios: a scenario's shocks apply on top
// of the trajectory, and may address the added partnership's drivers.
func TestTrajectoryComposesWithScenarios(t *testing.T) {
	t.Parallel()
	p, trs := loadSampleTrajectories(t)
	peak := scenario.Scenario{Name: "walmart slow", Shocks: []scenario.Shock{
		{Target: "walmart-us/*/orders", Op: costmodel.Multiply, Value: decimal.RequireFromString("0.5")}}}
	q, err := trs[1].Apply(p, peak)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := q.Driver("walmart-us/home/orders")
	if err != nil || !dr.Value.Equal(decimal.NewFromInt(150)) {
		t.Fatalf("walmart-us/home/orders after the scenario: %v %v, want 150", dr.Value, err)
	}
	if _, err := trs[0].Apply(p, peak); err == nil || !strings.Contains(err.Error(), "scenarios[0].shocks[0].target") {
		t.Errorf("a shock of a partnership the trajectory does not add: %v", err)
	}
}

// TestLoadTrajectoriesBadInputs: every problem at once, each at its path.
func TestLoadTrajectoriesBadInputs(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		t.Fatal(err)
	}
	const cat = `{"id": "toys", "orders": 10, "price": 20, "units_per_order": 1, "unit_cost": 5}`
	src := `{"trajectories": [
	  {"name": "a", "changes": [
	    {"at": 36, "add_partnership": {"id": "x", "channel": "marketplace", "categories": [` + cat + `]}},
	    {"at": 2, "add_partnership": {"id": "ebay", "channel": "marketplace"}},
	    {"at": 2, "add_categories": {"partnership": "nobody", "categories": [` + cat + `]}},
	    {"at": 2}
	  ]},
	  {"name": "a", "changes": [
	    {"at": 3, "add_partnership": {"id": "y", "channel": "marketplace", "categories": [` + cat + `],
	      "takes": [{"channel": "wholesale", "share": 0.2}, {"partnership": "ebay", "share": 1.2}, {"partnership": "etsy", "share": 0.5}]}}
	  ]},
	  {"name": "b", "changes": [
	    {"at": 3, "open_lane": {"partnership": {"id": "z", "channel": "marketplace", "currency": "GBP", "categories": [` + cat + `]}}},
	    {"at": 3, "add_categories": {"partnership": "ebay", "categories": [` + cat + `], "setup": [{"id": "l", "amount": 5, "month": 40}]}}
	  ]}
	]}`
	_, err = scenario.LoadTrajectories(strings.NewReader(src), p)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"trajectories[0].changes[0].at: got 36, expected a month offset from 0 to 35",
		`trajectories[0].changes[1].add_partnership.id: got "ebay"`,
		`trajectories[0].changes[2].add_categories.partnership: got "nobody"`,
		"trajectories[0].changes[3]: got 0 kinds of change",
		`trajectories[1].name: got "a", expected a name not already used by trajectories[0]`,
		`trajectories[1].changes[0].add_partnership.takes[0].channel: got "wholesale"`,
		"trajectories[1].y/takes/2/share: got 1.2",
		"trajectories[1].changes[0].add_partnership.takes: got shares summing to 1.9",
		"trajectories[2].changes[0].open_lane.fx: expected the FX rate of GBP into USD",
		`(trajectory "b")`,
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	// The set-up month outside the horizon (a portfolio problem at the
	// added set-up's path) is reported once the changes themselves are
	// sound.
	src = `{"trajectories": [{"name": "c", "changes": [
	    {"at": 3, "add_categories": {"partnership": "ebay", "categories": [` + cat + `], "setup": [{"id": "l", "amount": 5, "month": 40}]}}]}]}`
	_, err = scenario.LoadTrajectories(strings.NewReader(src), p)
	if err == nil || !strings.Contains(err.Error(), "setup") || !strings.Contains(err.Error(), "40") {
		t.Errorf("a set-up month outside the horizon: %v", err)
	}
}

// TestLoadTrajectoriesBadLane: the bad inputs of a lane opened by a
// trajectory are reported at the trajectory's paths: a lane into Germany
// without its duty and VAT stated, monthly FX rates that stop short of
// the horizon, an unknown currency for the partnership and its rate.
func TestLoadTrajectoriesBadLane(t *testing.T) {
	t.Parallel()
	p, err := costmodel.LoadFile("../testdata/larkspur.json")
	if err != nil {
		t.Fatal(err)
	}
	const cat = `{"id": "toys", "orders": 10, "price": 20, "units_per_order": 1, "unit_cost": 5}`
	src := `{"trajectories": [
	  {"name": "a", "changes": [
	    {"at": 6, "open_lane": {"fx": {"currency": "EUR", "monthly": [1.1, 1.1]},
	      "partnership": {"id": "de", "channel": "marketplace", "currency": "EUR",
	        "lane": {"origin": "US", "destination": "DE"}, "categories": [` + cat + `]}}}
	  ]},
	  {"name": "b", "changes": [
	    {"at": 6, "open_lane": {"fx": {"currency": "EUX", "rate": 1.1},
	      "partnership": {"id": "de", "channel": "marketplace", "currency": "EUX", "categories": [` + cat + `]}}}
	  ]}
	]}`
	_, err = scenario.LoadTrajectories(strings.NewReader(src), p)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{
		"trajectories[0].changes[0].open_lane.partnership.lane.duty_rate: expected the import duty rate of the goods into DE (Germany)",
		"trajectories[0].changes[0].open_lane.partnership.lane.vat: expected who pays Germany's VAT",
		"trajectories[0].changes[0].open_lane.fx.monthly: got 2 rates, expected",
		"months 3 to 36",
		"trajectories[1].changes[0].open_lane.partnership.currency",
		"trajectories[1].changes[0].open_lane.fx.currency",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}
