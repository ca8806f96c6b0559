package deal

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// The service terms' monthly figures (see Service) are written once, as
// an expression graph of package internal/graph, the model's own: the
// plan reads it with the exact decimal evaluator (graph.Graph.Eval) and
// the simulation with the float64 tape (graph.Compile), so the two back
// ends agree by construction and no second implementation exists.
//
// The graph's drivers are per month: the month's downtime hours, its
// incidents longer than the response time, and the partnership's GMV and
// contribution in that month (the statement's, or a trial's). The terms
// (bands, shares, fees, recovery, the contingency) are constants of the
// graph, and the month's hours (24 × its days) too.
const (
	drvDowntime = iota
	drvLongEvents
	drvGMV
	drvContribution
	numServiceDrivers
)

// sharePlaces is the places of the downtime share D/H and of the
// contribution margin (contribution ÷ GMV) that prices lost GMV.
const sharePlaces = 20

// monthNodes are one month's figures as nodes.
type monthNodes struct {
	uptime, credit, penalty, lostGMV, lostMargin, fallback, impact graph.ID
}

// serviceGraph is the service terms' graph over a horizon: each month's
// figures with the contingency (fig[1]) and without it (fig[0]).
type serviceGraph struct {
	g      *graph.Graph
	months int
	fig    [2][]monthNodes
}

// creditShareNode is the share of the fee credited at uptime u: the
// share of the band [From, To) holding u, 0 at or above the commitment or
// outside every band (a band's lower edge is in it, its upper edge in the
// band above).
func creditShareNode(b *graph.Builder, s *Service, u graph.ID) graph.ID {
	// The bands do not overlap (Validate), so at most one term is not 0:
	// a sum keeps the printed formula linear in the number of bands.
	terms := make([]graph.ID, 0, len(s.Credits))
	for _, c := range s.Credits {
		// From ≤ u and not To ≤ u.
		in := b.IfLE(b.Const(c.To), u, b.Zero(), b.Const(c.Share))
		terms = append(terms, b.IfLE(b.Const(c.From), u, in, b.Zero()))
	}
	return b.IfLE(b.Const(s.UptimeCommitment), u, b.Zero(), b.Sum(terms, nil))
}

// ratio is x ÷ y to sharePlaces, 0 when y is 0, written so that a
// spreadsheet does not divide by 0 (IF evaluates only the branch taken).
func ratio(b *graph.Builder, x, y graph.ID) graph.ID {
	return b.IfLE(y, b.Zero(), b.IfLE(b.Zero(), y, b.Zero(), b.Div(x, y, sharePlaces)), b.Div(x, y, sharePlaces))
}

// newServiceGraph builds the graph of s for months of the given hours;
// money is rounded to minor places.
func newServiceGraph(s *Service, hours []int64, minor int32) *serviceGraph {
	b := graph.NewBuilder(numServiceDrivers)
	sg := &serviceGraph{months: len(hours)}
	money := func(x graph.ID) graph.ID { return b.Round(x, minor) }
	for i, h := range hours {
		hrs := b.Const(decimal.NewFromInt(h))
		d := b.Min(b.Input(drvDowntime, i), hrs)
		b.Label(d, fmt.Sprintf("Downtime hours in month %d (at most its %d hours)", i+1, h))
		share := b.Div(d, hrs, sharePlaces)
		u := b.Sub(b.One(), share)
		b.Label(u, fmt.Sprintf("Uptime in month %d", i+1))
		credit := money(b.Mul(creditShareNode(b, s, u), b.Const(s.MonthlyFee)))
		b.Label(credit, "Service credit (share of the fee by downtime band)")
		penalty := money(b.Mul(b.Input(drvLongEvents, i), b.Const(s.ResponsePenalty)))
		b.Label(penalty, "Response-time penalties")
		gmv := b.Input(drvGMV, i)
		margin := ratio(b, b.Input(drvContribution, i), gmv)
		lostBase := b.Mul(b.Mul(gmv, share), b.Sub(b.One(), b.Const(s.Recovery)))
		received := b.Add(credit, penalty)
		if s.Direction == "paid" {
			received = b.Neg(received)
		}
		for w := range 2 {
			lost, fallback := lostBase, b.Zero()
			if c := s.Contingency; w == 1 && c != nil {
				lost = b.Mul(lost, b.Sub(b.One(), b.Const(c.FallbackShare)))
				fallback = money(b.Add(b.Mul(d, b.Const(c.CostPerHour)), b.Const(c.StandbyMonthly)))
				b.Label(fallback, "Cost of the fallback path (per hour down and standby)")
			}
			lost = money(lost)
			b.Label(lost, "Lost GMV (downtime share, net of recovery and fallback)")
			lm := money(b.Mul(lost, margin))
			b.Label(lm, "Contribution lost with the lost GMV")
			impact := b.Sum([]graph.ID{received}, []graph.ID{lm, fallback})
			b.Label(impact, "Service impact on cash")
			sg.fig[w] = append(sg.fig[w], monthNodes{uptime: u, credit: credit, penalty: penalty, lostGMV: lost, lostMargin: lm, fallback: fallback, impact: impact})
		}
	}
	sg.g = b.Graph()
	return sg
}

// hoursOf is the hours of each month of a horizon from start.
func hoursOf(start costmodel.Month, months int) []int64 {
	h := make([]int64, months)
	for i := range h {
		h[i] = hoursIn(start, i)
	}
	return h
}

// exact evaluates the graph in decimals on one future: each month's
// outage and the partnership's GMV and contribution. with chooses the
// contingency's figures (fig[1]) or none (fig[0]).
func (sg *serviceGraph) exact(outs []outage[decimal.Decimal], gmv, contribution []decimal.Decimal) ([2][]serviceFigures[decimal.Decimal], error) {
	var res [2][]serviceFigures[decimal.Decimal]
	over := make(graph.Overrides, numServiceDrivers*sg.months)
	for i := range sg.months {
		over[graph.DriverMonth{Driver: drvDowntime, Month: int32(i)}] = outs[i].Hours
		over[graph.DriverMonth{Driver: drvLongEvents, Month: int32(i)}] = outs[i].LongEvents
		over[graph.DriverMonth{Driver: drvGMV, Month: int32(i)}] = gmv[i]
		over[graph.DriverMonth{Driver: drvContribution, Month: int32(i)}] = contribution[i]
	}
	v, err := sg.g.Eval(make([]decimal.Decimal, numServiceDrivers), over, nil)
	if err != nil {
		return res, fmt.Errorf("deal: service graph: %w", err)
	}
	for w := range 2 {
		res[w] = make([]serviceFigures[decimal.Decimal], sg.months)
		for i, n := range sg.fig[w] {
			res[w][i] = serviceFigures[decimal.Decimal]{Uptime: v[n.uptime], Credit: v[n.credit], Penalty: v[n.penalty], LostGMV: v[n.lostGMV], LostMargin: v[n.lostMargin], FallbackCost: v[n.fallback], Impact: v[n.impact]}
		}
	}
	return res, nil
}

// floatTrials are the float back end's figures of many trials: per trial
// the impact month by month with the contingency (With) and without it
// (Without), and the credits and penalties over the horizon (with it).
type floatTrials struct {
	With, Without [][]float64
	Credits       []float64
}

// serviceTape is the service graph compiled to the float back end,
// with its workspace (not safe for concurrent use).
type serviceTape struct {
	months int
	tape   *graph.Tape
	ws     *graph.Workspace
}

// compile compiles every month's impact with and without the contingency
// and its credit + penalty, with all four drivers varying.
func (sg *serviceGraph) compile() (*serviceTape, error) {
	var o []graph.Output
	for i := range sg.months {
		f1, f0 := sg.fig[1][i], sg.fig[0][i]
		o = append(o, graph.Output{{Node: f1.impact, Coef: 1}}, graph.Output{{Node: f0.impact, Coef: 1}},
			graph.Output{{Node: f1.credit, Coef: 1}, {Node: f1.penalty, Coef: 1}})
	}
	vary := []graph.DriverMonth{{Driver: drvDowntime, Month: graph.AllMonths}, {Driver: drvLongEvents, Month: graph.AllMonths},
		{Driver: drvGMV, Month: graph.AllMonths}, {Driver: drvContribution, Month: graph.AllMonths}}
	tape, err := graph.Compile(sg.g, o, vary, make([]float64, numServiceDrivers), nil, graph.TapeOptions{})
	if err != nil {
		return nil, fmt.Errorf("deal: service graph: %w", err)
	}
	return &serviceTape{months: sg.months, tape: tape, ws: tape.NewWorkspace()}, nil
}

// float evaluates the graph's tape over trials: outs, gmv and
// contribution are per trial, per month.
func (sg *serviceGraph) float(outs [][]outage[float64], gmv, contribution [][]float64) (*floatTrials, error) {
	st, err := sg.compile()
	if err != nil {
		return nil, err
	}
	return st.run(outs, gmv, contribution), nil
}

// run evaluates the tape over the trials given, a block at a time.
func (st *serviceTape) run(outs [][]outage[float64], gmv, contribution [][]float64) *floatTrials {
	n, tape, ws := st.months, st.tape, st.ws
	trials := len(outs)
	res := &floatTrials{With: make([][]float64, trials), Without: make([][]float64, trials), Credits: make([]float64, trials)}
	for k := range trials {
		res.With[k], res.Without[k] = make([]float64, n), make([]float64, n)
	}
	inputs := tape.Inputs()
	block := tape.Block()
	for lo := 0; lo < trials; lo += block {
		m := min(block, trials-lo)
		for q, dm := range inputs {
			in := ws.Input(q)
			i := int(dm.Month)
			for j := range m {
				k := lo + j
				switch dm.Driver {
				case drvDowntime:
					in[j] = outs[k][i].Hours
				case drvLongEvents:
					in[j] = outs[k][i].LongEvents
				case drvGMV:
					in[j] = gmv[k][i]
				case drvContribution:
					in[j] = contribution[k][i]
				}
			}
		}
		tape.Run(ws, m)
		for i := range n {
			with, without, cr := ws.Output(3*i, m), ws.Output(3*i+1, m), ws.Output(3*i+2, m)
			for j := range m {
				k := lo + j
				res.With[k][i], res.Without[k][i] = with[j], without[j]
				res.Credits[k] += cr[j]
			}
		}
	}
	return res
}
