package scenario

import (
	"fmt"
	"sort"
	"strings"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Fairness across volumes: both sides' surplus along a path of volumes,
// for the current and the proposed terms, and the incentive check.

// VolumePath is the volumes a bargain is re-evaluated at: the
// partnership's orders scaled (every category's orders driver × each
// scale, over the whole horizon), or, with Monthly, each month of the
// horizon from the launch month as the portfolio's growth, ramp and
// seasonality make it (the growth trajectory).
type VolumePath struct {
	// Scales multiply the partnership's orders, each > 0 and at most
	// MaxVolumeScale (0.5, 0.75, …, 3). Required unless Monthly.
	Scales []decimal.Decimal
	// Monthly reads each month as a point instead. The disagreement
	// points are then spread evenly over the months from launch.
	Monthly bool
}

// MaxVolumeScale is the largest scale of a volume path.
const MaxVolumeScale = 1000

// ScalePath is the path of scales from lo to hi in steps (lo, lo+step, …,
// hi), for a VolumePath.
func ScalePath(lo, hi, step decimal.Decimal) []decimal.Decimal {
	var out []decimal.Decimal
	if step.Sign() <= 0 || hi.LessThan(lo) {
		return nil
	}
	for x := lo; !x.GreaterThan(hi) && len(out) <= 10000; x = x.Add(step) {
		out = append(out, x)
	}
	return out
}

// VolumePoint is one point of a volume path.
type VolumePoint struct {
	// Scale is the scale of the partnership's orders (1 on a monthly path).
	Scale decimal.Decimal
	// Month is the month of a monthly path's point.
	Month costmodel.Month
	// Orders are the partnership's orders at the point (over the horizon,
	// or in the month).
	Orders decimal.Decimal
	// Current and Proposed are both sides' surplus under each terms
	// (Proposed zero without proposed terms).
	Current, Proposed Surplus
}

// IncentiveFlag is a stretch of the path over which one side's surplus
// falls while volume grows: growth there costs that side Lost.
type IncentiveFlag struct {
	Terms string // "current" or "proposed"
	Side  string // "ours" or "partner"
	// From and To index the path's points (in Points' order, by volume);
	// FromOrders and ToOrders are their volumes.
	From, To             int
	FromOrders, ToOrders decimal.Decimal
	// Lost is the side's surplus at From less its surplus at To.
	Lost decimal.Decimal
	// Cause says which lines moved: the revenue share per order, the
	// true-up of a minimum guarantee, the service credit.
	Cause string
}

// RangeExit is a stretch of the path where a schedule is outside the
// bargaining range: Side's gain is below zero there.
type RangeExit struct {
	Terms, Side          string
	From, To             int
	FromOrders, ToOrders decimal.Decimal
	// On a path of scales, StartOrders and EndOrders are the volumes
	// between the path's points at which the side's gain crosses zero
	// into and out of the stretch (solved on the exact model, to
	// DefaultTolerance on the scale); nil where the stretch runs to an end
	// of the path or on a monthly path.
	StartOrders, EndOrders *decimal.Decimal
}

// VolumeReport is a bargain along a volume path.
type VolumeReport struct {
	Partnership string
	Monthly     bool
	// Points are in order of volume (orders, then scale or month).
	Points []VolumePoint
	// Flags are the incentive check's findings; Exits where a schedule
	// leaves the bargaining range.
	Flags []IncentiveFlag
	Exits []RangeExit
	// CurrentPasses and ProposedPasses report that both sides gain from
	// growth everywhere on the path under those terms (ProposedPasses
	// false without proposed terms).
	CurrentPasses, ProposedPasses bool
	HasProposed                   bool
}

type pointStat struct {
	s     Surplus
	lines costmodel.Amounts // the partnership's lines at the point
}

// AlongVolumes evaluates the bargain along a volume path under the
// portfolio's terms and, when proposed is not nil, under proposed terms
// (a portfolio with the same partnerships, such as Scenario.Apply's), and
// runs the incentive check. A fall in a side's surplus smaller than the
// rounding of the partnership's lines (a cent per row and month) is not a
// fall.
func (b Bargain) AlongVolumes(p, proposed *costmodel.Portfolio, path VolumePath) (*VolumeReport, error) {
	if err := b.check(p); err != nil {
		return nil, err
	}
	if proposed != nil {
		if err := b.check(proposed); err != nil {
			return nil, fmt.Errorf("proposed terms: %w", err)
		}
	}
	var pr costmodel.Problems
	if !path.Monthly && len(path.Scales) == 0 {
		pr.Add("path.scales", "", "at least one scale of the orders (or monthly: true)")
	}
	if path.Monthly && len(path.Scales) > 0 {
		pr.Add("path.scales", fmt.Sprintf("%d scales", len(path.Scales)), "no scales on a monthly path (one or the other)")
	}
	for i, s := range path.Scales {
		if s.Sign() <= 0 || s.GreaterThan(decimal.NewFromInt(MaxVolumeScale)) {
			pr.Add(fmt.Sprintf("path.scales[%d]", i), decText(s), fmt.Sprintf("a scale of the orders above 0 and at most %d", MaxVolumeScale))
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	r := &VolumeReport{Partnership: b.Partnership, Monthly: path.Monthly, HasProposed: proposed != nil}
	cur, evalCur, err := b.pathStats(p, path, &r.Points, false)
	if err != nil {
		return nil, err
	}
	var prop []pointStat
	var evalProp func(decimal.Decimal) (Surplus, error)
	if proposed != nil {
		if prop, evalProp, err = b.pathStats(proposed, path, &r.Points, true); err != nil {
			return nil, err
		}
	}
	// Order by volume, keeping each point's statistics with it.
	order := make([]int, len(r.Points))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return r.Points[order[i]].Orders.LessThan(r.Points[order[j]].Orders) })
	pts := make([]VolumePoint, len(order))
	cs := make([]pointStat, len(order))
	ps := make([]pointStat, len(order))
	for k, i := range order {
		pts[k], cs[k] = r.Points[i], cur[i]
		if prop != nil {
			ps[k] = prop[i]
		}
	}
	r.Points = pts
	noise := decimal.New(int64(b.rows(p)*p.Months), -2)
	r.check("current", cs, noise)
	r.CurrentPasses = len(r.Flags) == 0
	if prop != nil {
		n := len(r.Flags)
		r.check("proposed", ps, noise)
		r.ProposedPasses = len(r.Flags) == n
	}
	if !path.Monthly {
		for i := range r.Exits {
			eval := evalCur
			if r.Exits[i].Terms == "proposed" {
				eval = evalProp
			}
			if err := r.crossings(&r.Exits[i], eval); err != nil {
				return nil, err
			}
		}
	}
	return r, nil
}

// crossings solves for the volumes at which an exit's side crosses zero
// between the stretch and its neighbouring points.
func (r *VolumeReport) crossings(e *RangeExit, eval func(decimal.Decimal) (Surplus, error)) error {
	gain := func(s Surplus) float64 {
		if e.Side == "ours" {
			return s.OurGain.InexactFloat64()
		}
		return s.PartnerGain.InexactFloat64()
	}
	solve := func(a, b int) (*decimal.Decimal, error) {
		pa, pb := r.Points[a], r.Points[b]
		x, err := solveMonotone(func(x float64) (decimal.Decimal, error) {
			s, err := eval(xOf(x))
			return decimal.NewFromFloat(gain(s)), err
		}, pa.Scale.InexactFloat64(), pb.Scale.InexactFloat64())
		if err != nil {
			return nil, err
		}
		// Orders are proportional to the scale.
		o := pa.Orders.Mul(xOf(x)).DivRound(pa.Scale, decisionPlaces).Round(2)
		return &o, nil
	}
	var err error
	if e.From > 0 {
		if e.StartOrders, err = solve(e.From-1, e.From); err != nil {
			return err
		}
	}
	if e.To+1 < len(r.Points) {
		if e.EndOrders, err = solve(e.To, e.To+1); err != nil {
			return err
		}
	}
	return nil
}

// rows is the number of rows of the partnership (its categories and own).
func (b Bargain) rows(p *costmodel.Portfolio) int {
	for _, ps := range p.Partnerships {
		if ps.ID == b.Partnership {
			return len(ps.Categories) + 1
		}
	}
	return 1
}

// pathStats evaluates a portfolio at every point of the path; the first
// call (proposed false) appends the points. It returns the surplus at any
// scale too.
func (b Bargain) pathStats(p *costmodel.Portfolio, path VolumePath, points *[]VolumePoint, proposed bool) ([]pointStat, func(decimal.Decimal) (Surplus, error), error) {
	m, err := costmodel.NewModel(p)
	if err != nil {
		return nil, nil, err
	}
	var launch int
	var idx []int
	for _, ps := range p.Partnerships {
		if ps.ID != b.Partnership {
			continue
		}
		launch = ps.LaunchMonth
		for _, c := range ps.Categories {
			i, _ := m.Index(ps.ID + "/" + c.ID + "/orders")
			idx = append(idx, i)
		}
	}
	var out []pointStat
	add := func(k int, pt VolumePoint, st *costmodel.Statement, w costmodel.Window, bb Bargain) {
		stat := pointStat{s: bb.surplusOf(st, w)}
		ps, _ := st.Partnership(b.Partnership)
		months, _ := w.Months(st.Start, st.Months)
		for _, t := range months {
			for l := range stat.lines {
				stat.lines[l] = stat.lines[l].Add(ps.Total.Monthly[t][l])
			}
		}
		if !proposed {
			pt.Current = stat.s
			*points = append(*points, pt)
		} else {
			(*points)[k].Proposed = stat.s
		}
		out = append(out, stat)
	}
	if path.Monthly {
		st, err := m.Evaluate(nil, nil)
		if err != nil {
			return nil, nil, err
		}
		active := decimal.NewFromInt(int64(st.Months - launch))
		bb := Bargain{Partnership: b.Partnership, OurNoDeal: b.OurNoDeal.DivRound(active, 2), PartnerNoDeal: b.PartnerNoDeal.DivRound(active, 2)}
		ps, _ := st.Partnership(b.Partnership)
		for t := launch; t < st.Months; t++ {
			w := costmodel.Window{Kind: costmodel.WindowMonth, Month: st.Start.Add(t)}
			add(t-launch, VolumePoint{Scale: decimal.NewFromInt(1), Month: w.Month, Orders: ps.Total.Orders[t]}, st, w, bb)
		}
		return out, nil, nil
	}
	base := m.Values()
	at := func(s decimal.Decimal) (*costmodel.Statement, error) {
		v := append([]decimal.Decimal(nil), base...)
		for _, i := range idx {
			v[i] = base[i].Mul(s).Round(decisionPlaces)
		}
		return m.Evaluate(v, nil)
	}
	for k, s := range path.Scales {
		st, err := at(s)
		if err != nil {
			return nil, nil, err
		}
		ps, _ := st.Partnership(b.Partnership)
		add(k, VolumePoint{Scale: s, Orders: ps.Total.TotalOrders()}, st, costmodel.Window{}, b)
	}
	eval := func(s decimal.Decimal) (Surplus, error) {
		st, err := at(s)
		if err != nil {
			return Surplus{}, err
		}
		return b.surplusOf(st, costmodel.Window{}), nil
	}
	return out, eval, nil
}

// check runs the incentive check and the range check on one terms' points.
func (r *VolumeReport) check(terms string, stats []pointStat, noise decimal.Decimal) {
	for _, side := range []string{"ours", "partner"} {
		gain := func(k int) decimal.Decimal {
			if side == "ours" {
				return stats[k].s.OurGain
			}
			return stats[k].s.PartnerGain
		}
		// Runs of falls while volume grows.
		for k := 0; k+1 < len(stats); {
			if !r.Points[k+1].Orders.GreaterThan(r.Points[k].Orders) || !gain(k).Sub(gain(k+1)).GreaterThan(noise) {
				k++
				continue
			}
			j := k + 1
			for j+1 < len(stats) && r.Points[j+1].Orders.GreaterThan(r.Points[j].Orders) && gain(j).Sub(gain(j+1)).GreaterThan(noise) {
				j++
			}
			r.Flags = append(r.Flags, IncentiveFlag{Terms: terms, Side: side, From: k, To: j,
				FromOrders: r.Points[k].Orders, ToOrders: r.Points[j].Orders, Lost: gain(k).Sub(gain(j)), Cause: cause(stats[k], stats[j], r.Points[k].Orders, r.Points[j].Orders)})
			k = j
		}
		// Runs outside the bargaining range.
		for k := 0; k < len(stats); k++ {
			if gain(k).Sign() >= 0 {
				continue
			}
			j := k
			for j+1 < len(stats) && gain(j+1).Sign() < 0 {
				j++
			}
			r.Exits = append(r.Exits, RangeExit{Terms: terms, Side: side, From: k, To: j, FromOrders: r.Points[k].Orders, ToOrders: r.Points[j].Orders})
			k = j
		}
	}
}

// cause describes the lines that moved between two points of a fall.
func cause(a, b pointStat, na, nb decimal.Decimal) string {
	var parts []string
	share := func(s pointStat, n decimal.Decimal) decimal.Decimal {
		if n.Sign() <= 0 {
			return decimal.Zero
		}
		v := s.lines[costmodel.LineCommission].Sub(s.lines[costmodel.LineCommissionRefund])
		return v.DivRound(n, 4)
	}
	if sa, sb := share(a, na), share(b, nb); !sa.Equal(sb) {
		what := "falls"
		if sb.GreaterThan(sa) {
			what = "rises"
		}
		parts = append(parts, fmt.Sprintf("the revenue share per order %s from %s to %s (an all-units tier bound, a cap or a per-order fee)", what, sa.StringFixed(2), sb.StringFixed(2)))
	}
	if ta, tb := a.lines[costmodel.LineCommissionTrueUp], b.lines[costmodel.LineCommissionTrueUp]; !ta.Equal(tb) {
		parts = append(parts, fmt.Sprintf("the minimum guarantee's true-up moves from %s to %s", ta.StringFixed(2), tb.StringFixed(2)))
	}
	if ca, cb := a.lines[costmodel.LineServiceCredit], b.lines[costmodel.LineServiceCredit]; !ca.Equal(cb) {
		parts = append(parts, fmt.Sprintf("the service credit moves from %s to %s", ca.StringFixed(2), cb.StringFixed(2)))
	}
	if len(parts) == 0 {
		return "costs grow faster than the revenue share"
	}
	return strings.Join(parts, "; ")
}
