package report

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
)

// SheetTrajectories is the sheet of growth trajectories compared on
// common random numbers (Options.Trajectories).
const SheetTrajectories = "Trajectories"

// checkTrajectories reports a comparison that holds nothing a sheet
// could show or whose pairs name outcomes it does not have.
func checkTrajectories(pr *costmodel.Problems, c *montecarlo.TrajectoryComparison) {
	if c == nil {
		return
	}
	const at = "Options.Trajectories"
	if len(c.Outcomes) < 2 || c.Trials <= 0 {
		pr.Add(at, fmt.Sprintf("%d trajectories over %d trials", len(c.Outcomes), c.Trials), "a comparison of at least two trajectories (montecarlo.CompareTrajectories); leave Trajectories nil for none")
		return
	}
	for i, p := range c.Pairs {
		if p.A < 0 || p.B < 0 || p.A >= len(c.Outcomes) || p.B >= len(c.Outcomes) || p.A == p.B {
			pr.Add(fmt.Sprintf("%s.Pairs[%d]", at, i), fmt.Sprintf("%d against %d", p.B, p.A), fmt.Sprintf("two different trajectories of the %d outcomes", len(c.Outcomes)))
		}
	}
}

// writeTrajectories writes the Trajectories sheet: each trajectory's
// exact and simulated NPV, payback and peak funding need; each pair's
// NPV difference on common random numbers, P(better), and the
// differences of funding need and payback; and a fan chart of each
// trajectory's cumulative contribution, whose series are the columns of
// its table. The figures are values: this workbook's live model is the
// base portfolio (Options.Portfolio), and a trajectory's portfolio is
// the base with its changes.
func (b *book) writeTrajectories() error {
	c := b.opt.Trajectories
	if c == nil {
		return nil
	}
	const sh = SheetTrajectories
	b.pageSetup(sh, 2)
	g := b.grid(sh)
	lk := b.lk
	g.width(1, 1, 28)
	g.width(2, 2, 44)
	g.width(3, 14, 15)
	g.text(1, 1, "Growth trajectories", lk.Title)
	g.text(1, 2, fmt.Sprintf("Each trajectory is the portfolio with its structural changes (partnerships, channels, categories, lanes added at a month), simulated on the same draws as every other: %d trials, seed %d, so the differences are paired (common random numbers). NPV is of the portfolio's net cash flow; the peak funding need is the most negative cumulative net cash flow, as a positive amount.", c.Trials, c.Seed), lk.Note)
	g.text(1, 3, "The figures are values. The live model of this workbook (Assumptions, Statement) is the base portfolio; the first trajectory is the reference.", lk.Note)

	row := 5
	g.text(1, row, "Trajectories", lk.Bold)
	row++
	g.header(1, row, "Trajectory", "Changes", "NPV (exact)", "Payback month (exact)", "Peak funding need (exact)",
		"NPV mean", "NPV P5", "NPV P50", "NPV P95", "P(pays back)", "Payback month P50", "Peak funding need mean", "Peak funding need P95")
	for _, o := range c.Outcomes {
		row++
		g.text(1, row, o.Trajectory.Name, 0)
		desc := o.Trajectory.Description
		if desc == "" && len(o.Trajectory.Changes) == 0 {
			desc = "no changes: the portfolio as it is"
		}
		g.text(2, row, desc, lk.Wrap)
		g.value(3, row, num(o.Exact.NPV), lk.Money)
		if o.Exact.Payback.Reached {
			g.value(4, row, o.Exact.Payback.Month, lk.Months)
		} else {
			g.text(4, row, "not within the horizon", lk.NA)
		}
		g.value(5, row, num(o.Exact.PeakFunding), lk.Money)
		g.simValue(6, row, o.NPV.Mean, o.NPV.N > 0, lk.Money)
		g.simValue(7, row, o.NPV.P5, o.NPV.N > 0, lk.Money)
		g.simValue(8, row, o.NPV.P50, o.NPV.N > 0, lk.Money)
		g.simValue(9, row, o.NPV.P95, o.NPV.N > 0, lk.Money)
		g.value(10, row, o.PPayback, lk.Percent)
		g.simValue(11, row, o.Payback.P50, o.Payback.N > 0, lk.Decimal)
		g.simValue(12, row, o.PeakFunding.Mean, o.PeakFunding.N > 0, lk.Money)
		g.simValue(13, row, o.PeakFunding.P95, o.PeakFunding.N > 0, lk.Money)
	}

	row += 2
	g.text(1, row, "Comparisons on common random numbers (trajectory − against, trial by trial)", lk.Bold)
	row++
	g.header(1, row, "Trajectory", "Against", "NPV difference (exact)", "NPV difference mean", "Standard error of the mean",
		"NPV difference P5", "NPV difference P50", "NPV difference P95", "P(trajectory better)", "Peak funding need difference (mean)", "Payback difference, months (mean)")
	for _, p := range c.Pairs {
		row++
		g.text(1, row, c.Outcomes[p.B].Trajectory.Name, 0)
		g.text(2, row, c.Outcomes[p.A].Trajectory.Name, 0)
		g.value(3, row, num(p.ExactNPV), lk.Money)
		g.simValue(4, row, p.NPV.Mean, p.NPV.N > 0, lk.Money)
		g.simValue(5, row, p.NPV.SE, p.NPV.N > 0, lk.Money)
		g.simValue(6, row, p.NPV.P5, p.NPV.N > 0, lk.Money)
		g.simValue(7, row, p.NPV.P50, p.NPV.N > 0, lk.Money)
		g.simValue(8, row, p.NPV.P95, p.NPV.N > 0, lk.Money)
		g.value(9, row, p.PBetter, lk.Percent)
		g.simValue(10, row, p.PeakFunding.Mean, p.PeakFunding.N > 0, lk.Money)
		g.simValue(11, row, p.Payback.Mean, p.Payback.N > 0, lk.Decimal)
	}

	row += 3
	for _, o := range c.Outcomes {
		row = b.fanChart(sh, 1, row, "Cumulative contribution: "+o.Trajectory.Name, o.Fan)
	}
	return nil
}
