package report

import (
	"math"
	"strconv"
	"testing"

	"github.com/marginalhq/marginal/scenario"
	"github.com/xuri/excelize/v2"
)

// The simulated figures land where a reader looks for them: P5 and
// P(loss) on the Summary, P(proposed better) on the Renegotiation sheet,
// the capped trials on the Samples sheet, the statistics on the Monte
// Carlo sheet.
func TestSimulationSheets(t *testing.T) {
	t.Parallel()
	opt := larkspurOptions(t)
	f := openBook(t, writeBook(t, opt))
	sim := opt.Simulation

	// Summary: the portfolio's P5 contribution and P(loss).
	want, _ := sim.Output(scenario.Output{Scope: scenario.Portfolio, Metric: scenario.Contribution})
	rows, err := f.GetRows(SheetSummary, excelizeRaw())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "P5 contribution (simulated)" {
			found = true
			got, _ := strconv.ParseFloat(r[1], 64)
			if math.Abs(got-want.Percentile(0.05)) > 1e-6*math.Abs(got) {
				t.Errorf("Summary P5 %v, simulation %v", got, want.Percentile(0.05))
			}
		}
	}
	if !found {
		t.Error("no P5 row on the Summary")
	}
	// Renegotiation: P(proposed better) from the paired run.
	found = false
	rows, _ = f.GetRows(SheetRenegotiation, excelizeRaw())
	for _, r := range rows {
		if len(r) > 1 && len(r[0]) > len(PProposedBetterLabel) && r[0][:len(PProposedBetterLabel)] == PProposedBetterLabel {
			found = true
			if got, _ := strconv.ParseFloat(r[1], 64); got != opt.Paired[0].PBetter {
				t.Errorf("P(proposed better) %v, want %v", got, opt.Paired[0].PBetter)
			}
		}
	}
	if !found {
		t.Error("no P(proposed better) row")
	}
	// Samples: the cap, and the first trial's first input.
	rows, _ = f.GetRows(SheetSamples, excelizeRaw())
	if got := len(rows) - smpFirst + 1; got != opt.SampleRows {
		t.Errorf("Samples holds %d trials, want %d", got, opt.SampleRows)
	}
	// (cells hold 15 significant digits, as Excel does)
	if v, _ := strconv.ParseFloat(rows[smpFirst-1][1], 64); math.Abs(v-sim.InputSamples[0][0]) > 1e-14 {
		t.Errorf("first sample %v, want %v", v, sim.InputSamples[0][0])
	}
	// Monte Carlo: one statistics row per output, the mean in column B.
	rows, _ = f.GetRows(SheetMonteCarlo, excelizeRaw())
	if got := rows[4][0]; got != outputLabel(sim.Outputs[0].Output) {
		t.Errorf("first statistics row %q", got)
	}
	if v, _ := strconv.ParseFloat(rows[4][1], 64); math.Abs(v-sim.Outputs[0].Summary.Mean) > 1e-6*math.Abs(v) {
		t.Errorf("mean %v, want %v", v, sim.Outputs[0].Summary.Mean)
	}
	// Without a simulation there is no Samples sheet and the cells say n/a.
	g := openBook(t, writeBook(t, Options{Portfolio: opt.Portfolio}))
	if idx, _ := g.GetSheetIndex(SheetSamples); idx >= 0 {
		t.Error("a Samples sheet without a simulation")
	}
	if v, _ := g.GetCellValue(SheetMonteCarlo, "A1"); v == "" {
		t.Error("an empty Monte Carlo sheet without a note")
	}
}

func excelizeRaw() excelize.Options { return excelize.Options{RawCellValue: true} }
