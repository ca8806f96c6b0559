package deal

import (
	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// A deal's service commitments are its partnership's outage terms
// (costmodel.Outage, "outage" on the partnership in the portfolio JSON):
// the uptime commitment, the credit bands, response-time penalties, the
// recovery fraction and the contingency plan. The deal does not compute
// a service figure of its own: it reads the statement's outage lines,
// which the one-model graph writes once for the exact statement, the
// simulation's tape and the workbook's formulas (costmodel's
// graphoutage.go):
//
//	outage_credit            credits and penalties, + earned, − paid
//	outage_lost_contribution the contribution lost with the GMV lost
//	outage_fallback          the fallback path's cost
//	outage_impact            credit − lost contribution − fallback
//	outage_contingency_gain  lost contribution without the contingency − with it − fallback
//	outage_lost_gmv          the GMV lost (memo)
//	outage_downtime_hours    the month's downtime, capped at its hours (memo)
//
// The statement's contribution already holds the impact; the deal splits
// it into the contribution before the outage lines (contribution −
// impact: what the payout cycle settles) and the impact (on the month's
// last day among the dated flows). The impact without the contingency,
// on the same downtime, is impact − contingency gain. On the plan the
// downtime is the partnership's outage/downtime_hours driver (an expected
// figure); in a simulation it is whatever the spec draws for that driver
// (a compound Poisson input: incidents × lognormal durations).

// ServiceMonth is one month of the partnership's outage lines, as the
// deal reads them from the statement (Plan.Service).
type ServiceMonth struct {
	// DowntimeHours is the month's downtime, capped at its hours;
	// Uptime is 1 − DowntimeHours / hours of the month (to 20 places).
	DowntimeHours, Uptime decimal.Decimal
	// Credit is credits and penalties: positive when earned, negative
	// when paid.
	Credit decimal.Decimal
	// LostGMV, LostContribution and Fallback are the GMV lost, the
	// contribution lost with it and the fallback path's cost.
	LostGMV, LostContribution, Fallback decimal.Decimal
	// Impact is Credit − LostContribution − Fallback; ContingencyGain is
	// the contribution the contingency kept less its cost (0 without one),
	// so Impact − ContingencyGain is the impact without the contingency.
	Impact, ContingencyGain decimal.Decimal
}

// serviceMonths reads the outage lines of ps month by month, nil when the
// partnership has no outage terms.
func serviceMonths(st *costmodel.Statement, ps *costmodel.PartnershipStatement) []ServiceMonth {
	if !ps.Outage {
		return nil
	}
	out := make([]ServiceMonth, st.Months)
	for i := range out {
		a := &ps.Total.Monthly[i]
		h := decimal.NewFromInt(costmodel.MonthHours(st.Start.Add(i)))
		out[i] = ServiceMonth{
			DowntimeHours: a[costmodel.LineOutageDowntime],
			Uptime:        one.Sub(a[costmodel.LineOutageDowntime].DivRound(h, 20)),
			Credit:        a[costmodel.LineOutageCredit], LostGMV: a[costmodel.LineOutageLostGMV],
			LostContribution: a[costmodel.LineOutageLostContribution], Fallback: a[costmodel.LineOutageFallback],
			Impact: a[costmodel.LineOutageImpact], ContingencyGain: a[costmodel.LineOutageContingencyGain],
		}
	}
	return out
}

var (
	zero = decimal.Zero
	one  = decimal.NewFromInt(1)
)

func inUnit(d decimal.Decimal) bool { return d.Sign() >= 0 && d.LessThanOrEqual(one) }

// hoursIn is the hours of month i from start.
func hoursIn(start costmodel.Month, i int) int64 {
	return costmodel.MonthHours(start.Add(i))
}
