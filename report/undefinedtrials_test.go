package report

import (
	"context"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// someTrialsIdle is larkspur.json with no orders outside amazon-us, and
// amazon-us's orders switched off in about half of 400 trials: the
// portfolio's ratios are undefined in exactly those trials, amazon-us's
// too, and the other partnerships' ratios in every trial. Every trial is
// on the Samples sheet, so its statistics are over the same trials as
// montecarlo's. A guardrail on every partnership's CM3 ratio gives
// breaches on undefined values.
func someTrialsIdle(t testing.TB) Options {
	t.Helper()
	p := loadPortfolio(t, "larkspur.json")
	for _, d := range p.Drivers() {
		if !strings.HasPrefix(d.Address, "amazon-us/") && strings.HasSuffix(d.Address, "/orders") {
			if _, err := p.Set(d.Address, decimal.Zero); err != nil {
				t.Fatal(err)
			}
		}
	}
	one, sd := 1.0, 0.05
	spec := &montecarlo.Spec{Sampling: montecarlo.MC, Inputs: []montecarlo.Input{
		{Name: "amazon on", Target: "amazon-us/*/orders", Op: costmodel.Multiply,
			Dist: montecarlo.DistSpec{Type: "discrete", Values: []float64{0, 1}, Weights: []float64{1, 1}}},
		{Name: "amazon unit cost", Target: "amazon-us/*/unit_cost", Op: costmodel.Multiply,
			Dist: montecarlo.DistSpec{Type: "normal", Mean: &one, SD: &sd}},
	}}
	const trials = 400
	sim, err := montecarlo.Run(context.Background(), p, spec, montecarlo.Options{Trials: trials, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	peak, err := scenario.PeakSeason(p, scenario.PeakSeasonOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := scenario.Compare(p, peak)
	if err != nil {
		t.Fatal(err)
	}
	minCM3 := decimal.RequireFromString("0.05")
	rails := scenario.Guardrails{{Name: "CM3 ratio ≥ 5 %", Scope: scenario.Partnership, Key: "*", Metric: scenario.CM3Ratio, Min: &minCM3}}
	breaches, err := rails.CheckComparison(cmp)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Portfolio: p, Comparison: cmp, Breaches: breaches, Simulation: sim, SampleRows: trials}
}

// Undefined trials are n/a on the Samples sheet, at exactly the trials
// montecarlo marks undefined (never the placeholder 0 of Samples), and the
// live statistics over the column equal montecarlo's statistics of the
// defined trials; the undefined trials are counted beside them.
func TestSamplesUndefinedTrials(t *testing.T) {
	t.Parallel()
	opt := someTrialsIdle(t)
	sim := opt.Simulation
	o, ok := sim.Output(scenario.Output{Scope: scenario.Portfolio, Metric: scenario.ContributionRatio})
	if !ok {
		t.Fatal("no portfolio contribution ratio recorded")
	}
	if o.Undefined < sim.Trials/4 || o.Undefined > 3*sim.Trials/4 || !o.Valid {
		t.Fatalf("%d of %d trials undefined (valid %v): the test needs a mix", o.Undefined, sim.Trials, o.Valid)
	}
	pkg := writeBook(t, opt)
	f := openBook(t, pkg)
	rows, err := f.GetRows(SheetSamples, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	label := outputLabel(o.Output)
	c := -1
	for j, h := range rows[smpHead-1] {
		if h == label {
			c = j
		}
	}
	if c < 0 {
		t.Fatalf("no Samples column %q in %q", label, rows[smpHead-1])
	}
	cell := func(r int) string {
		if r-1 >= len(rows) || c >= len(rows[r-1]) {
			return ""
		}
		return rows[r-1][c]
	}
	nas := 0
	for tr := range sim.Trials {
		got := cell(smpFirst + tr)
		if !o.IsDefined(tr) {
			nas++
			if got != na {
				t.Errorf("trial %d is undefined: Samples shows %q, want n/a", tr+1, got)
			}
			continue
		}
		// excelize writes 15 significant digits
		v, err := strconv.ParseFloat(got, 64)
		if err != nil || math.Abs(v-o.Samples[tr]) > 1e-14*math.Max(1, math.Abs(v)) {
			t.Errorf("trial %d: Samples shows %q, want %v", tr+1, got, o.Samples[tr])
		}
	}
	if nas != o.Undefined {
		t.Errorf("%d n/a trials, montecarlo counts %d undefined", nas, o.Undefined)
	}

	p5, _ := o.PercentileOK(0.05)
	p50, _ := o.PercentileOK(0.5)
	p95, _ := o.PercentileOK(0.95)
	want := map[string]float64{
		"Mean": o.Summary.Mean, "Standard deviation": o.Summary.SD,
		"P5 (PERCENTILE.INC)": p5, "P50": p50, "P95": p95, "P(< 0)": o.ProbLoss,
		"Undefined trials (n/a, left out above)": float64(o.Undefined),
	}
	for s, stat := range sampleStats {
		w, ok := want[stat.label]
		if !ok {
			t.Fatalf("no expectation for statistic %q", stat.label)
		}
		got, err := strconv.ParseFloat(cell(smpStatFirst+s), 64)
		// the same trials summed in another order: a few ulps
		if err != nil || math.Abs(got-w) > 1e-12*math.Max(1, math.Abs(w)) {
			t.Errorf("Samples %s = %q, montecarlo %v", stat.label, cell(smpStatFirst+s), w)
		}
	}
	if requireLibreOffice(t) != "" {
		checkLibreOfficeParity(t, pkg, halfCent)
	}
}

// On the Monte Carlo sheet an output undefined in some trials shows its
// statistics over the others and the count of undefined trials; one
// undefined in every trial shows n/a in every statistic. Guardrail
// breaches on undefined ratios say so on the Scenarios sheet.
func TestMonteCarloUndefinedCounts(t *testing.T) {
	t.Parallel()
	opt := someTrialsIdle(t)
	sim := opt.Simulation
	f := openBook(t, writeBook(t, opt))
	rows, err := f.GetRows(SheetMonteCarlo, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	row := func(o scenario.Output) []string {
		for _, r := range rows {
			if len(r) > 0 && r[0] == outputLabel(o) {
				return r
			}
		}
		t.Fatalf("no Monte Carlo row %q", outputLabel(o))
		return nil
	}
	amazon := scenario.Output{Scope: scenario.Partnership, Key: "amazon-us", Metric: scenario.ContributionRatio}
	o, _ := sim.Output(amazon)
	r := row(amazon)
	if o.Undefined == 0 || !o.Valid {
		t.Fatalf("amazon-us ratio: %d undefined, valid %v", o.Undefined, o.Valid)
	}
	if r[len(r)-1] != strconv.Itoa(o.Undefined) {
		t.Errorf("amazon-us undefined trials %q, want %d", r[len(r)-1], o.Undefined)
	}
	if mean, err := strconv.ParseFloat(r[1], 64); err != nil || math.Abs(mean-o.Summary.Mean) > 1e-14 {
		t.Errorf("amazon-us mean ratio %q, want %v", r[1], o.Summary.Mean)
	}
	ebay := row(scenario.Output{Scope: scenario.Partnership, Key: "ebay", Metric: scenario.ContributionRatio})
	for c := 1; c < len(ebay)-1; c++ {
		if ebay[c] != na {
			t.Errorf("ebay ratio column %s = %q, want n/a", col(c+1), ebay[c])
		}
	}
	if ebay[len(ebay)-1] != strconv.Itoa(sim.Trials) {
		t.Errorf("ebay undefined trials %q, want %d", ebay[len(ebay)-1], sim.Trials)
	}
	if len(ebay) != len(r) {
		t.Errorf("ebay row has %d cells, amazon-us %d: the columns do not line up", len(ebay), len(r))
	}

	undefined := 0
	for _, br := range opt.Breaches {
		if br.Undefined {
			undefined++
		}
	}
	if undefined == 0 {
		t.Fatal("no breach on an undefined ratio")
	}
	rows, _ = f.GetRows(SheetScenarios, excelizeRaw())
	said := 0
	for _, r := range rows {
		for j, v := range r {
			if strings.HasPrefix(v, "undefined (n/a)") {
				said++
				if v := r[j-2]; v != na { // the Value column
					t.Errorf("an undefined breach's value is %q, want n/a", v)
				}
			}
		}
	}
	if said != undefined {
		t.Errorf("the breach table says undefined %d times for %d undefined breaches", said, undefined)
	}
}

// A distribution of an output undefined in some trials is over the
// defined ones: the histogram's shares are of Summary.N and sum to 1, and
// the S-curve runs from the smallest defined value (never the placeholder
// 0 of an undefined trial) to the largest.
func TestDistributionOverDefinedTrials(t *testing.T) {
	t.Parallel()
	opt := someTrialsIdle(t)
	o, _ := opt.Simulation.Output(scenario.Output{Scope: scenario.Portfolio, Metric: scenario.ContributionRatio})
	if o.Undefined == 0 || o.Summary.Min <= 0 {
		t.Fatalf("%d undefined trials, smallest defined value %v: the test needs both above 0", o.Undefined, o.Summary.Min)
	}
	b, err := newBook(opt)
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	if _, err := b.f.NewSheet(SheetMonteCarlo); err != nil {
		t.Fatal(err)
	}
	b.distributionCharts(b.grid(SheetMonteCarlo), o, 1, 1, 1)
	if b.err != nil {
		t.Fatal(b.err)
	}
	rows, err := b.f.GetRows(SheetMonteCarlo, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], strconv.Itoa(o.Undefined)+" undefined trials left out") {
		t.Errorf("title %q does not count the undefined trials", rows[0][0])
	}
	sum, counted := 0.0, 0
	for i, c := range o.Histogram.Counts {
		r := rows[2+i] // after the title and the headings
		share, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatalf("share %q: %v", r[3], err)
		}
		if want := float64(c) / float64(o.Summary.N); math.Abs(share-want) > 1e-15 {
			t.Errorf("bin %d: share %v, want %d/%d", i, share, c, o.Summary.N)
		}
		sum += share
		counted += c
	}
	if counted != o.Summary.N || math.Abs(sum-1) > 1e-12 {
		t.Errorf("bins hold %d trials with shares summing to %v; want %d and 1", counted, sum, o.Summary.N)
	}
	first, _ := strconv.ParseFloat(rows[2][7], 64) // the S-curve's values, column H
	if math.Abs(first-o.Summary.Min) > 1e-14 {
		t.Errorf("S-curve starts at %v, want the smallest defined value %v", first, o.Summary.Min)
	}
}
