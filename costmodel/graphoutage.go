package costmodel

import (
	"fmt"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// The formulas of a partnership's outage lines (see Outage), written once
// for the three back ends: the exact statement, the simulation's tape
// and the workbook's formulas.

// outagePlaces is the places of the downtime share D/H and of the
// contribution margin (contribution ÷ GMV) that prices lost GMV.
const outagePlaces = 20

// outageLines writes the outage lines of ps into its own row, in every
// month from the launch month. cats are the partnership's category rows
// and own its own row, with their base lines written (not yet derived):
// the margin that prices lost GMV is the month's contribution before the
// outage lines over its GMV.
func (b *modelBuilder) outageLines(ps *Partnership, cats []BlockNodes, own *BlockNodes) {
	o := ps.Outage
	if o == nil {
		return
	}
	for t := ps.LaunchMonth; t < b.months; t++ {
		a := &own.Monthly[t]
		var gmv, contribution []graph.ID
		for j := range cats {
			gmv = append(gmv, cats[j].Monthly[t][LineGMV])
			contribution = append(contribution, b.preOutageContribution(&cats[j].Monthly[t]))
		}
		contribution = append(contribution, b.preOutageContribution(a))
		g, c := b.Sum(gmv, nil), b.Sum(contribution, nil)
		b.Label(g, "GMV of the month, every category")
		b.Label(c, "Contribution of the month before the outage lines")
		f := b.outageMonth(o, g, c, t)
		a[LineOutageLostGMV], a[LineOutageLostContribution] = f.lostGMV, f.lostContribution
		a[LineOutageFallback], a[LineOutageCredit] = f.fallback, f.credit
		a[LineOutageDowntime] = f.downtime
		a[LineOutageContingencyGain] = f.contingencyGain
	}
}

// preOutageContribution is a row's contribution in a month without its
// outage lines: the subtotals derived on a copy of its base lines.
func (b *modelBuilder) preOutageContribution(a *[NumLines]graph.ID) graph.ID {
	c := *a
	for _, l := range []Line{LineOutageLostContribution, LineOutageFallback, LineOutageCredit, LineOutageLostGMV, LineOutageDowntime, LineOutageContingencyGain} {
		c[l] = b.Zero()
	}
	b.derive(&c)
	return c[LineContribution]
}

// outageFigures are one month's outage nodes.
type outageFigures struct {
	downtime, uptime, credit, lostGMV, lostContribution, fallback graph.ID
	// contingencyGain is the contribution lost without the contingency
	// less the contribution lost with it, less the fallback cost (0
	// without a contingency).
	contingencyGain graph.ID
}

// outageMonth builds month t's outage figures for the month's GMV and
// contribution before the outage lines.
func (b *modelBuilder) outageMonth(o *Outage, gmv, contribution graph.ID, t int) outageFigures {
	month := b.p.Start.Add(t)
	h := MonthHours(month)
	hrs := b.Const(decimal.NewFromInt(h))
	d := b.Min(b.at(&o.DowntimeHours, t), hrs)
	b.Label(d, fmt.Sprintf("Downtime hours in %s (at most its %d hours)", month, h))
	share := b.Div(d, hrs, outagePlaces)
	b.Label(share, "Share of the month's hours down")
	u := b.Sub(b.One(), share)
	b.Label(u, fmt.Sprintf("Uptime in %s", month))
	credit := b.money(b.Mul(b.creditShare(o, u, t), b.at(&o.MonthlyFee, t)))
	b.Label(credit, "Service credit (share of the fee by uptime band)")
	penalty := b.money(b.Mul(b.at(&o.LongIncidents, t), b.at(&o.ResponsePenalty, t)))
	b.Label(penalty, "Response-time penalties")
	received := b.Add(credit, penalty)
	if o.Direction == CreditsPaid {
		received = b.Neg(received)
	}
	margin := b.ratio(contribution, gmv)
	// lostWith is the GMV lost and the contribution lost with it, the
	// contingency's fallback carrying its share when fallback is set.
	lostWith := func(fallback bool) (lost, contribution graph.ID) {
		lost = b.Mul(b.Mul(gmv, share), b.Sub(b.One(), b.at(&o.Recovery, t)))
		if fallback {
			lost = b.Mul(lost, b.Sub(b.One(), b.at(&o.Contingency.FallbackShare, t)))
		}
		lost = b.money(lost)
		lm := b.money(b.Mul(lost, margin))
		if fallback || o.Contingency == nil {
			b.Label(lost, "GMV lost in outages (downtime share, net of recovery and fallback)")
			b.Label(lm, "Contribution lost with the lost GMV")
		} else {
			b.Label(lost, "GMV an outage would lose without the contingency")
			b.Label(lm, "Contribution lost without the contingency")
		}
		return lost, lm
	}
	fallback, gain := b.Zero(), b.Zero()
	var lost, lm graph.ID
	if c := o.Contingency; c != nil {
		lost, lm = lostWith(true)
		fallback = b.money(b.Add(b.Mul(d, b.at(&c.CostPerHour, t)), b.at(&c.StandbyMonthly, t)))
		b.Label(fallback, "Cost of the fallback path (per hour down and standby)")
		_, none := lostWith(false)
		gain = b.Sum([]graph.ID{none}, []graph.ID{lm, fallback})
		b.Label(gain, "Contingency gain: contribution lost without it − with it − fallback cost")
	} else {
		lost, lm = lostWith(false)
	}
	return outageFigures{downtime: d, uptime: u, credit: received, lostGMV: lost, lostContribution: lm, fallback: fallback, contingencyGain: gain}
}

// creditShare is the share of the fee credited at uptime u in month t:
// the share of the band [from, to) holding u, 0 at or above the
// commitment or outside every band (a band's lower edge is in it, its
// upper edge in the band above). The bands do not overlap (Validate), so
// at most one term is not 0: a sum keeps the printed formula linear in
// the number of bands.
func (b *modelBuilder) creditShare(o *Outage, u graph.ID, t int) graph.ID {
	terms := make([]graph.ID, 0, len(o.Credits))
	for k := range o.Credits {
		c := &o.Credits[k]
		// from ≤ u and not to ≤ u.
		in := b.IfLE(b.at(&c.To, t), u, b.Zero(), b.at(&c.Share, t))
		terms = append(terms, b.IfLE(b.at(&c.From, t), u, in, b.Zero()))
	}
	share := b.IfLE(b.at(&o.UptimeCommitment, t), u, b.Zero(), b.Sum(terms, nil))
	b.Label(share, "Share of the fee credited (uptime band)")
	return share
}

// ratio is x ÷ y to outagePlaces, 0 when y is 0, written so that a
// spreadsheet does not divide by 0 (IF evaluates only the branch taken).
func (b *modelBuilder) ratio(x, y graph.ID) graph.ID {
	return b.IfLE(y, b.Zero(), b.IfLE(b.Zero(), y, b.Zero(), b.Div(x, y, outagePlaces)), b.Div(x, y, outagePlaces))
}

// OutageCreditShare is the share of the fee credited at a month's
// uptime under o's bands: the share of the band [from, to) holding
// uptime, 0 at or above the commitment or outside every band. It
// evaluates the statement graph's band formula (the one the outage lines
// use) on a graph of its own; o's bands must not overlap (Validate).
func OutageCreditShare(o *Outage, uptime decimal.Decimal) (decimal.Decimal, error) {
	if o == nil {
		return decimal.Zero, nil
	}
	p := &Portfolio{Partnerships: []Partnership{{Outage: o}}}
	refs := p.refs()
	b := &modelBuilder{p: p, months: 1, index: map[*decimal.Decimal]int{}, adjOf: map[int][]int{}, adjusted: map[[2]int]graph.ID{}}
	vals := make([]decimal.Decimal, len(refs)+1)
	for i, r := range refs {
		b.index[r.ptr] = i
		b.addr = append(b.addr, r.addr)
		vals[i] = *r.ptr
	}
	b.byMonth = make([]bool, len(refs))
	b.Builder = graph.NewBuilder(len(refs) + 1)
	vals[len(refs)] = uptime
	share := b.creditShare(o, b.Input(len(refs), graph.AllMonths), 0)
	v, err := b.Graph().Eval(vals, nil, nil)
	if err != nil {
		return decimal.Zero, err
	}
	return v[share], nil
}
