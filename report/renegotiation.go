package report

import (
	"fmt"
	"time"

	"github.com/marginalhq/marginal/scenario"
)

// PProposedBetterLabel heads the Renegotiation row that holds the
// probability, under common random numbers, that the proposed terms leave
// us better off (Options.Paired[0]); it shows "n/a (no simulation)"
// without paired results.
const PProposedBetterLabel = "P(proposed better)"

// writeRenegotiation writes a two-sided revenue-share analysis: current
// against proposed terms, both sides' break-even rates, the bargaining
// range and the Nash rate, and the months side by side.
func (b *book) writeRenegotiation() error {
	g := b.grid(SheetRenegotiation)
	lk := b.lk
	g.width(1, 1, 46)
	g.width(2, 8, 19)
	fs := b.opt.Fairness
	if fs == nil {
		g.text(1, 1, "No renegotiation was analysed for this review. The renegotiation example (go run ./examples/renegotiation) fills this sheet for a partnership's current and proposed terms.", lk.Note)
		return nil
	}
	name := fs.Partnership
	for _, ps := range b.p.Partnerships {
		if ps.ID == fs.Partnership {
			name = labelOr(ps.Name, ps.ID)
		}
	}
	g.text(1, 1, "Renegotiation: "+name, lk.Title)
	g.text(1, 2, "Flat commission rates on the fee base; each side's value over the whole horizon (our contribution and the partner's, with service credits and customers acquired when the portfolio states them: the Statement's our_value and partner_value). Computed when written; does not recalculate.", lk.Note)
	b.staleNotice(SheetRenegotiation, 1, 3)
	g.header(1, 4, "Terms", "Commission rate", "Our value", "Partner's value")
	row := 5
	sides := func(label string, s scenario.Sides, rate any) {
		g.text(1, row, label, 0)
		g.value(2, row, rate, lk.Rate)
		g.value(3, row, num(s.Ours), lk.Money)
		g.value(4, row, num(s.Partner), lk.Money)
		row++
	}
	sides("Current", fs.Current, num(fs.Current.Rate))
	if fs.Proposed != nil {
		sides("Proposed", *fs.Proposed, num(fs.Proposed.Rate))
		g.text(1, row, "Proposed − current", lk.Bold)
		for c := 2; c <= 4; c++ {
			st := lk.Money
			if c == 2 {
				st = lk.Rate
			}
			g.formula(c, row, fmt.Sprintf("%s-%s", ref(c, row-1), ref(c, row-2)), diffValue(c, fs), st)
		}
		row++
	}
	if fs.Nash.Valid {
		sides("At the Nash rate", fs.AtNash, num(fs.Nash.Amount))
	}
	row++
	g.header(1, row, "Rates", "Value")
	row++
	line := func(label string, v any, style int) {
		g.text(1, row, label, 0)
		g.value(2, row, v, style)
		row++
	}
	rate := func(v scenario.Value) any {
		if !v.Valid {
			return "none in 0–100 %"
		}
		return num(v.Amount)
	}
	line("Our break-even rate (the most we can pay)", rate(fs.OurBreakEven), lk.Rate)
	line("Partner's floor rate (the least it accepts)", rate(fs.PartnerFloor), lk.Rate)
	if fs.HasRange {
		line("Bargaining range", fmt.Sprintf("%s to %s", percentText(fs.PartnerFloor.Amount.Round(4)), percentText(fs.OurBreakEven.Amount.Round(4))), 0)
	} else {
		line("Bargaining range", "none: at every rate one side is worse off than without the deal", 0)
	}
	line("Nash rate (splits the surplus by bargaining weight)", rate(fs.Nash), lk.Rate)
	line("Surplus of the deal over both no-deal outcomes", num(fs.Surplus), lk.Money)
	if len(b.opt.Paired) > 0 {
		pd := b.opt.Paired[0]
		d := &pd.Difference
		var pBetter any = pd.PBetter
		if !outputDefined(d) {
			pBetter = na
		}
		line(PProposedBetterLabel+", simulated", pBetter, lk.Percent)
		// a share of the futures in which the output is defined on both
		// sides: Summary.N of them, not every trial
		note := fmt.Sprintf("share of %d simulated futures in which %s is higher under the proposed terms (same draws for both)", d.Summary.N, outputLabel(pd.Output))
		if d.Undefined > 0 {
			note += fmt.Sprintf("; %d futures in which it is undefined on either side are left out", d.Undefined)
		}
		g.text(3, row-1, note, lk.Note)
	} else {
		line(PProposedBetterLabel, noSimulation, lk.Note)
	}

	if len(fs.Months) == 0 {
		return nil
	}
	row++
	head := row
	g.header(1, head, "Month", "Ours, current", "Ours, proposed", "Ours, change", "Partner, current", "Partner, proposed", "Partner, change")
	for k, m := range fs.Months {
		r := head + 1 + k
		g.value(1, r, time.Date(m.Month.Year, m.Month.Month, 1, 0, 0, 0, 0, time.UTC), lk.Month)
		g.value(2, r, num(m.OursCurrent), lk.Money)
		g.value(3, r, num(m.OursProposed), lk.Money)
		g.formula(4, r, fmt.Sprintf("%s-%s", ref(3, r), ref(2, r)), num(m.OursProposed.Sub(m.OursCurrent)), lk.Money)
		g.value(5, r, num(m.TheirsCurrent), lk.Money)
		g.value(6, r, num(m.TheirsProposed), lk.Money)
		g.formula(7, r, fmt.Sprintf("%s-%s", ref(6, r), ref(5, r)), num(m.TheirsProposed.Sub(m.TheirsCurrent)), lk.Money)
	}
	return nil
}

// diffValue is proposed − current in column c (2 rate, 3 ours, 4 partner).
func diffValue(c int, fs *scenario.FairShare) float64 {
	switch c {
	case 2:
		return num(fs.Proposed.Rate.Sub(fs.Current.Rate))
	case 3:
		return num(fs.Proposed.Ours.Sub(fs.Current.Ours))
	}
	return num(fs.Proposed.Partner.Sub(fs.Current.Partner))
}
