package actuals

import (
	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Allowance is the use of a volume-priced running cost of a
// partnership's terms (data transfer, API calls) over the actual months:
// the free allowance, the price band each month's volume reached, and
// when the allowance runs out at the current trend.
type Allowance struct {
	Partnership string
	// Measure is DataTransferGB or APICalls; volumes are in its unit (GB,
	// calls).
	Measure Measure
	// Allowance is the terms' free volume per month, in the measure's
	// unit (0: none).
	Allowance decimal.Decimal
	// Monthly is the volume of each actual month: the reported figure, or
	// the terms' formula at the actual orders when none was reported
	// (orders × per order + fixed).
	Monthly []decimal.Decimal
	// Band is, month by month, the 1-based price band the volume reached
	// (0: within the free allowance, before any band).
	Band []int
	// Utilisation is the last actual month's volume over the allowance,
	// to 4 places (undefined without an allowance).
	Utilisation costmodel.Value
	// Trend is the least-squares slope of the last trend months' volumes,
	// per month, to 6 places.
	Trend costmodel.Value
	// RunsOut is the first month whose volume is over the allowance: an
	// actual month, or the month the trend passes it (zero Month when
	// neither happens within the horizon, or there is no allowance).
	RunsOut costmodel.Month
}

// Allowances reports every volume-priced running cost of the plan's
// terms, with the trend fitted over the last trendMonths actual months
// (values below 2 take 3).
func (m *Model) Allowances(trendMonths int) []Allowance {
	if m == nil || len(m.stages) == 0 {
		return nil
	}
	if trendMonths < 2 {
		trendMonths = 3
	}
	act := m.Actual()
	var out []Allowance
	million := decimal.NewFromInt(1000000)
	for i := range m.plan.Partnerships {
		ps := &m.plan.Partnerships[i]
		type res struct {
			ms            Measure
			pricing       *costmodel.VolumePricing
			per, fixed    decimal.Decimal
			perThousand   bool
			unitsPerPrice decimal.Decimal // volume units per pricing unit
		}
		var rs []res
		if d := ps.DataTransfer; d != nil {
			rs = append(rs, res{DataTransferGB, &d.Pricing, d.GBPer1000Orders, d.FixedGB, true, decimal.NewFromInt(1)})
		}
		if a := ps.API; a != nil {
			rs = append(rs, res{APICalls, &a.Pricing, a.CallsPerOrder, a.FixedCalls, false, million})
		}
		for _, r := range rs {
			al := Allowance{Partnership: ps.ID, Measure: r.ms, Allowance: r.pricing.Allowance.Mul(r.unitsPerPrice)}
			var xs, ys []decimal.Decimal
			for t := 0; t <= m.cut; t++ {
				v, ok := m.Figure(m.plan.Start.Add(t), ps.ID, "", r.ms)
				if !ok {
					n := act.Partnerships[i].Total.Orders[t]
					per := n.Mul(r.per)
					if r.perThousand {
						per = per.DivRound(decimal.NewFromInt(1000), 12)
					}
					v = decimal.Zero
					if t >= ps.LaunchMonth {
						v = per.Add(r.fixed)
					}
				}
				al.Monthly = append(al.Monthly, v)
				al.Band = append(al.Band, band(r.pricing, v.DivRound(r.unitsPerPrice, 12)))
				if t > m.cut-trendMonths && t >= ps.LaunchMonth {
					xs, ys = append(xs, decimal.NewFromInt(int64(t))), append(ys, v)
				}
			}
			if len(xs) >= 2 {
				al.Trend = costmodel.Value{Amount: slope(xs, ys), Valid: true}
			}
			last := al.Monthly[m.cut]
			if al.Allowance.Sign() > 0 {
				al.Utilisation = costmodel.Value{Amount: last.DivRound(al.Allowance, 4), Valid: true}
				al.RunsOut = m.runsOut(al.Monthly, al.Allowance, al.Trend)
			}
			out = append(out, al)
		}
	}
	return out
}

// band is the 1-based band of pricing that volume q (in the pricing's
// unit) reaches, 0 within the free allowance.
func band(v *costmodel.VolumePricing, q decimal.Decimal) int {
	x := q
	if v.AllowanceMode == costmodel.Shift {
		x = q.Sub(v.Allowance)
	}
	if q.LessThanOrEqual(v.Allowance) || x.Sign() <= 0 {
		return 0
	}
	for k, b := range v.Bands {
		if b.UpTo == nil || x.LessThanOrEqual(*b.UpTo) {
			return k + 1
		}
	}
	return len(v.Bands)
}

// runsOut is the first actual month whose value is over threshold, else
// the first month after the cut-off the trend line from the last value
// passes it, else the zero Month.
func (m *Model) runsOut(monthly []decimal.Decimal, threshold decimal.Decimal, trend costmodel.Value) costmodel.Month {
	for t, v := range monthly {
		if v.GreaterThan(threshold) {
			return m.plan.Start.Add(t)
		}
	}
	last := monthly[len(monthly)-1]
	if trend.Valid && trend.Amount.Sign() > 0 {
		k := threshold.Sub(last).Div(trend.Amount).Floor().IntPart() + 1
		if t := int64(m.cut) + k; t < int64(m.plan.Months) {
			return m.plan.Start.Add(int(t))
		}
	}
	return costmodel.Month{}
}
