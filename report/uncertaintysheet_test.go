package report

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/montecarlo"
	"gonum.org/v1/gonum/mat"
)

// uncertaintyTestSpec has one input of each kind the sheet describes: a
// per-trial normal common factor, a per-month triangular with
// autocorrelation, a random walk, a truncated PERT, and a correlation
// matrix that is symmetric with a unit diagonal but not positive definite
// (1 − 0.81·3 − 2·0.729 < 0), which the run must repair.
const uncertaintyTestSpec = `{
  "sampling": "lhs",
  "inputs": [
    {"name": "unit costs", "target": "*/*/unit_cost", "op": "multiply", "dist": {"type": "normal", "mean": 1, "sd": 0.05}},
    {"target": "amazon-us/beauty/orders", "op": "multiply", "dist": {"type": "triangular", "min": 0.8, "mode": 1, "max": 1.3}, "per_month": true, "autocorrelation": 0.5},
    {"name": "ebay demand", "target": "ebay/*/orders", "op": "multiply", "dist": {"type": "lognormal", "mu": 0, "sigma": 0.02}, "per_month": true, "process": "random_walk"},
    {"target": "amazon-us/clothing/return_rate", "op": "set", "dist": {"type": "pert", "min": 0.1, "mode": 0.2, "max": 0.4, "truncate": {"hi": 0.35}}},
    {"target": "ebay/commission/rate", "op": "set", "dist": {"type": "uniform", "min": 0.1, "max": 0.15}}
  ],
  "correlations": [
    {"inputs": ["unit costs", "amazon-us/clothing/return_rate", "ebay/commission/rate"],
     "matrix": [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]]}
  ]
}`

// TestUncertaintySheet checks the Uncertainty sheet against the spec it was
// written from: every input's address, distribution in words with the
// spec's parameters, per trial or per month with its autocorrelation or
// random walk, the number of drivers the target selects (12 categories in
// Larkspur for */*/unit_cost, 2 eBay categories), the correlation matrix
// as given, and the repaired one: a correlation matrix (unit diagonal,
// symmetric, positive definite) whose "moved" block is |repaired − given|
// entry by entry and whose largest move is the one stated.
func TestUncertaintySheet(t *testing.T) {
	t.Parallel()
	p := loadPortfolio(t, "larkspur.json")
	spec, err := montecarlo.Load(strings.NewReader(uncertaintyTestSpec), p)
	if err != nil {
		t.Fatal(err)
	}
	sim, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: 300, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, writeBook(t, Options{Portfolio: p, Simulation: sim, Uncertainty: spec}))
	rows, err := f.GetRows(SheetUncertainty, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	cell := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	find := func(col int, s string) []string {
		for _, r := range rows {
			if cell(r, col) == s {
				return r
			}
		}
		t.Fatalf("no row with %q in column %d", s, col+1)
		return nil
	}
	if v, _ := f.GetCellFormula(SheetUncertainty, "A3"); !strings.Contains(v, changedInputsName) {
		t.Errorf("A3 holds %q, not the stale flag", v)
	}
	if got := cell(find(1, "Trials"), 2); got != "300" {
		t.Errorf("trials %q, want 300", got)
	}
	if got := cell(find(1, "Seed"), 2); got != "7" {
		t.Errorf("seed %q, want 7", got)
	}
	if got := cell(find(1, "Sampling"), 2); !strings.HasPrefix(got, "Latin Hypercube") {
		t.Errorf("sampling %q", got)
	}
	want := []struct {
		label, target, drivers, dist, op, drawn, link string
	}{
		{"unit costs", "*/*/unit_cost", "12", "normal, mean 1, standard deviation 0.05", "multiplies it", "per trial", "one draw"},
		{"amazon-us/beauty/orders", "amazon-us/beauty/orders", "1", "triangular: minimum 0.8, most likely 1, maximum 1.3", "multiplies it", "per month", "autocorrelation 0.5"},
		{"ebay demand", "ebay/*/orders", "2", "lognormal, its logarithm normal with mean μ 0 and standard deviation σ 0.02", "multiplies it", "per month", "random walk"},
		{"amazon-us/clothing/return_rate", "amazon-us/clothing/return_rate", "1", "PERT: minimum 0.1, most likely 0.2, maximum 0.4, shape λ 4 (the default), truncated to [−∞, 0.35]", "replaces it", "per trial", "one draw"},
		{"ebay/commission/rate", "ebay/commission/rate", "1", "uniform between 0.1 and 0.15", "replaces it", "per trial", "one draw"},
	}
	for k, w := range want {
		r := find(1, w.label)
		if cell(r, 0) != strconv.Itoa(k+1) || cell(r, 2) != w.target || cell(r, 3) != w.drivers || cell(r, 4) != w.dist ||
			cell(r, 5) != w.op || cell(r, 6) != w.drawn || !strings.HasPrefix(cell(r, 7), w.link) {
			t.Errorf("input %s: row %q, want %+v", w.label, r, w)
		}
	}
	// The matrix blocks: given, repaired, moved.
	block := func(title string) [][]float64 {
		for i, r := range rows {
			if cell(r, 1) != title {
				continue
			}
			m := make([][]float64, 3)
			for a := 0; a < 3; a++ {
				for b := 0; b < 3; b++ {
					v, err := strconv.ParseFloat(cell(rows[i+1+a], 2+b), 64)
					if err != nil {
						t.Fatalf("%s[%d][%d]: %v", title, a, b, err)
					}
					m[a] = append(m[a], v)
				}
			}
			return m
		}
		t.Fatalf("no %q block", title)
		return nil
	}
	given := block("As given")
	for a := range given {
		for b := range given[a] {
			if given[a][b] != spec.Correlations[0].Matrix[a][b] {
				t.Errorf("given[%d][%d] = %v, spec %v", a, b, given[a][b], spec.Correlations[0].Matrix[a][b])
			}
		}
	}
	rep := block("As repaired (used by the run)")
	moved := block("How far each entry moved (|repaired − given|)")
	sym := mat.NewSymDense(3, nil)
	maxMove := 0.0
	for a := 0; a < 3; a++ {
		if math.Abs(rep[a][a]-1) > 1e-12 {
			t.Errorf("repaired diagonal %v", rep[a][a])
		}
		for b := 0; b < 3; b++ {
			if math.Abs(rep[a][b]-rep[b][a]) > 1e-12 {
				t.Errorf("repaired matrix not symmetric at %d,%d", a, b)
			}
			// cells hold 15 significant digits
			if d := math.Abs(rep[a][b] - given[a][b]); math.Abs(d-moved[a][b]) > 1e-14 {
				t.Errorf("moved[%d][%d] = %v, |repaired − given| = %v", a, b, moved[a][b], d)
			}
			maxMove = math.Max(maxMove, moved[a][b])
			sym.SetSym(a, b, rep[a][b])
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(sym) {
		t.Error("the repaired matrix is not positive definite")
	}
	if maxMove < 0.05 {
		t.Errorf("largest move %v: a matrix this far from valid must move", maxMove)
	}
	status := cell(rows[indexOf(rows, "As given")-1], 1)
	if !strings.Contains(status, "repaired") || !strings.Contains(status, formatG(sim.Repairs[0].MaxMove)) ||
		math.Abs(sim.Repairs[0].MaxMove-maxMove) > 1e-14 {
		t.Errorf("status %q, largest move on the sheet %v", status, maxMove)
	}
	// Without a spec there is no sheet.
	g := openBook(t, writeBook(t, Options{Portfolio: p, Simulation: sim}))
	if idx, _ := g.GetSheetIndex(SheetUncertainty); idx >= 0 {
		t.Error("an Uncertainty sheet without a spec")
	}
}

func indexOf(rows [][]string, s string) int {
	for i, r := range rows {
		if len(r) > 1 && r[1] == s {
			return i
		}
	}
	return -1
}

// TestDrawnWordsCompound: a compound Poisson input is described with its
// events a month and, when it counts long events, the threshold and the
// driver the count sets.
func TestDrawnWordsCompound(t *testing.T) {
	over := 4.0
	in := montecarlo.Input{Target: "amazon-us/outage/downtime_hours", PerMonth: true, Process: montecarlo.CompoundPoisson, EventsPerMonth: 0.8}
	drawn, link := drawnWords(&in)
	if drawn != "per month" || link != "compound Poisson: Poisson(0.8) events a month, each a draw of the distribution, added up" {
		t.Errorf("compound input: %q, %q", drawn, link)
	}
	in.CountOver, in.CountTarget = &over, "amazon-us/outage/long_incidents"
	if _, link := drawnWords(&in); !strings.HasSuffix(link, "; the events longer than 4 set amazon-us/outage/long_incidents") {
		t.Errorf("counting input: %q", link)
	}
}
