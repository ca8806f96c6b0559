package report

import (
	"fmt"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// SheetFairness is the sheet of fairness across volumes, the incentive
// check, the Shapley split and the shares under uncertainty.
const SheetFairness = "Fairness"

// FairnessReview fills the Fairness sheet; each part is optional.
type FairnessReview struct {
	// Volumes is scenario.Bargain.AlongVolumes: each side's share of the
	// joint surplus against volume for the current and proposed terms
	// (a table and a chart), the incentive flags and the stretches
	// outside the bargaining range.
	Volumes *scenario.VolumeReport
	// Fair is a fair schedule (scenario.Bargain.FairTerms), shown with the
	// drivers it sets.
	Fair *scenario.FairSchedule
	// Shapley is a coalition's Shapley split (scenario.Coalition.Shapley).
	Shapley *scenario.ShapleySplit
	// Uncertainty is montecarlo.RunFairness: the distribution of our
	// share, P(outside the agreed band), P(proposed fairer).
	Uncertainty *montecarlo.FairnessResult
}

func checkFairnessReview(pr *costmodel.Problems, p *costmodel.Portfolio, fr *FairnessReview) {
	if fr == nil {
		return
	}
	if sp := fr.Shapley; sp != nil {
		n := len(sp.Parties)
		if len(sp.Shapley) != n || len(sp.Grand) != n || len(sp.Transfer) != n {
			pr.Add("Options.FairnessReview.Shapley", fmt.Sprintf("%d parties, %d Shapley values, %d values, %d transfers", n, len(sp.Shapley), len(sp.Grand), len(sp.Transfer)),
				"one Shapley value, value and transfer per party (scenario.Coalition.Shapley fills them)")
		}
	}
	if fr.Volumes == nil {
		return
	}
	for _, ps := range p.Partnerships {
		if ps.ID == fr.Volumes.Partnership {
			return
		}
	}
	pr.Add("Options.FairnessReview.Volumes.Partnership", fmt.Sprintf("%q", fr.Volumes.Partnership), "a partnership of Options.Portfolio (scenario.Bargain.AlongVolumes fills it)")
}

// shareCell is a share, or "n/a" when the joint surplus is not positive.
func shareCell(v scenario.Value) any {
	if !v.Valid {
		return na
	}
	return num(v.Amount)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// writeFairness writes the Fairness sheet. Its figures are computed when
// written (each point of a path is a model of its own); the partner's
// share is a formula over ours.
func (b *book) writeFairness() error {
	g := b.grid(SheetFairness)
	lk := b.lk
	g.width(1, 1, 30)
	g.width(2, 10, 16)
	fr := b.opt.FairnessReview
	if fr == nil {
		g.text(1, 1, "No fairness review was made for this workbook. The renegotiation example (go run ./examples/renegotiation) fills this sheet: each side's share of the joint surplus against volume, the incentive check, the Shapley split and the shares under uncertainty.", lk.Note)
		return nil
	}
	g.text(1, 1, "Fairness", lk.Title)
	b.staleNotice(SheetFairness, 1, 3)
	g.text(1, 2, "Each side's gain is its value over the horizon (our contribution, the partner's revenue share less its costs, with service credits and customers acquired when stated) less what it has without the deal; its share is its gain over the joint surplus. Computed when written; does not recalculate.", lk.Note)
	row := 4
	if v := fr.Volumes; v != nil {
		row = b.fairnessVolumes(g, v, row)
	}
	if fs := fr.Fair; fs != nil {
		g.text(1, row, fmt.Sprintf("Fair schedule (%s)", fs.Rule), lk.Bold)
		row++
		g.header(1, row, "Driver", "Value")
		row++
		for _, d := range fs.Drivers {
			g.text(1, row, d.Address, 0)
			g.value(2, row, num(d.Value), lk.Decimal)
			row++
		}
		g.text(1, row, "Our share at it", 0)
		g.value(2, row, shareCell(fs.At.OurShare), lk.Percent)
		row += 2
	}
	if sp := fr.Shapley; sp != nil {
		g.text(1, row, "Shapley split (each party's average marginal contribution over every order of joining)", lk.Bold)
		row++
		g.header(1, row, "Party", "Shapley value", "Value, current terms", "Transfer for the split")
		row++
		for i, name := range sp.Parties {
			g.text(1, row, name, 0)
			g.value(2, row, num(sp.Shapley[i]), lk.Money)
			g.value(3, row, num(sp.Grand[i]), lk.Money)
			g.formula(4, row, fmt.Sprintf("%s-%s", ref(2, row), ref(3, row)), num(sp.Transfer[i]), lk.Money)
			row++
		}
		if im := sp.Implemented; im != nil {
			for _, d := range im.Drivers {
				g.text(1, row, "Implemented by "+d.Address, 0)
				g.value(2, row, num(d.Value), lk.Decimal)
				row++
			}
		}
		row++
	}
	if u := fr.Uncertainty; u != nil {
		g.text(1, row, fmt.Sprintf("Our share under uncertainty (%d simulated futures, the same draws for both terms)", u.Trials), lk.Bold)
		row++
		g.header(1, row, "Terms", "Mean", "P5", "P50", "P95", "P(outside the band)", "P(no deal better)")
		row++
		put := func(label string, s montecarlo.ShareResult) {
			g.text(1, row, label, 0)
			if s.N == 0 {
				g.text(2, row, na, 0)
			} else {
				g.value(2, row, s.Mean, lk.Percent)
				for k, q := range []float64{0.05, 0.5, 0.95} {
					for _, pq := range s.Percentiles {
						if pq.P == q {
							g.value(3+k, row, pq.Value, lk.Percent)
						}
					}
				}
				g.value(6, row, s.POutside, lk.Percent)
			}
			g.value(7, row, s.PNoDeal, lk.Percent)
			row++
		}
		put("Current", u.Current)
		if u.HasProposed {
			put("Proposed", u.Proposed)
			g.text(1, row, fmt.Sprintf("P(proposed fairer: our share nearer %.1f %%)", 100*u.Target), 0)
			g.value(2, row, u.PFairer, lk.Percent)
			row++
		}
	}
	return nil
}

// fairnessVolumes writes the shares along a volume path, their chart, the
// incentive flags and the range exits; it returns the next free row.
func (b *book) fairnessVolumes(g grid, v *scenario.VolumeReport, row int) int {
	lk := b.lk
	name := v.Partnership
	for _, ps := range b.p.Partnerships {
		if ps.ID == v.Partnership {
			name = labelOr(ps.Name, ps.ID)
		}
	}
	what := "orders scaled over the whole horizon"
	if v.Monthly {
		what = "each month of the growth trajectory"
	}
	g.text(1, row, fmt.Sprintf("Shares of the joint surplus against volume: %s (%s)", name, what), lk.Bold)
	row++
	head := row
	g.header(1, head, "Orders", "Scale", "Month", "Our share, current", "Partner's share, current", "Our share, proposed", "Partner's share, proposed", "In range, current", "In range, proposed")
	partner := func(c, r int, s scenario.Surplus) {
		if !s.OurShare.Valid {
			g.text(c, r, na, 0)
			return
		}
		g.formula(c, r, "1-"+ref(c-1, r), num(s.PartnerShare().Amount), lk.Percent)
	}
	for k, pt := range v.Points {
		r := head + 1 + k
		g.value(1, r, num(pt.Orders), lk.Decimal)
		g.value(2, r, num(pt.Scale), lk.Decimal)
		if v.Monthly {
			g.value(3, r, time.Date(pt.Month.Year, pt.Month.Month, 1, 0, 0, 0, 0, time.UTC), lk.Month)
		}
		g.value(4, r, shareCell(pt.Current.OurShare), lk.Percent)
		partner(5, r, pt.Current)
		g.text(8, r, yesNo(pt.Current.InRange), 0)
		if v.HasProposed {
			g.value(6, r, shareCell(pt.Proposed.OurShare), lk.Percent)
			partner(7, r, pt.Proposed)
			g.text(9, r, yesNo(pt.Proposed.InRange), 0)
		}
	}
	last := head + len(v.Points)
	if len(v.Points) > 0 {
		q := quoteSheet(SheetFairness)
		series := func(c int) excelize.ChartSeries {
			return excelize.ChartSeries{
				Name:       fmt.Sprintf("%s!$%s$%d", q, col(c), head),
				Categories: fmt.Sprintf("%s!$A$%d:$A$%d", q, head+1, last),
				Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col(c), head+1, col(c), last),
			}
		}
		ss := []excelize.ChartSeries{series(4), series(5)}
		if v.HasProposed {
			ss = append(ss, series(6), series(7))
		}
		b.fail(b.f.AddChart(SheetFairness, ref(11, head), &excelize.Chart{
			Type:      excelize.Line,
			Series:    ss,
			Title:     chartTitle("Shares of the joint surplus against orders"),
			Legend:    excelize.ChartLegend{Position: "bottom"},
			XAxis:     excelize.ChartAxis{Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
			Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		}))
	}
	row = max(last+2, head+18)
	g.text(1, row, "Incentive check: where growth costs a side", lk.Bold)
	row++
	passes := "current terms: " + yesNo(v.CurrentPasses)
	if v.HasProposed {
		passes += "; proposed terms: " + yesNo(v.ProposedPasses)
	}
	g.text(1, row, "Both sides gain from growth everywhere on the path — "+passes, 0)
	row++
	if len(v.Flags) > 0 {
		g.header(1, row, "Terms", "Side", "From orders", "To orders", "Lost", "What moved")
		row++
		for _, f := range v.Flags {
			g.text(1, row, f.Terms, 0)
			g.text(2, row, f.Side, 0)
			g.value(3, row, num(f.FromOrders), lk.Decimal)
			g.value(4, row, num(f.ToOrders), lk.Decimal)
			g.value(5, row, num(f.Lost), lk.Money)
			g.text(6, row, f.Cause, 0)
			row++
		}
	}
	row++
	if len(v.Exits) > 0 {
		g.text(1, row, "Outside the bargaining range (a side's gain below zero)", lk.Bold)
		row++
		g.header(1, row, "Terms", "Side", "From orders", "To orders", "Leaves the range at", "Comes back at")
		row++
		for _, e := range v.Exits {
			g.text(1, row, e.Terms, 0)
			g.text(2, row, e.Side, 0)
			g.value(3, row, num(e.FromOrders), lk.Decimal)
			g.value(4, row, num(e.ToOrders), lk.Decimal)
			for k, o := range []*decimal.Decimal{e.StartOrders, e.EndOrders} {
				if o != nil {
					g.value(5+k, row, num(*o), lk.Decimal)
				}
			}
			row++
		}
		row++
	}
	return row
}
