package costmodel

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Outage is a partnership's downtime and the service terms it triggers:
// an uptime commitment with service credits by band of the month's
// uptime, response-time penalties, the GMV lost while the integration is
// down (less what customers bring back later), the contribution lost with
// it, and the cost of a fallback path when a contingency plan exists. In
// JSON, on a partnership:
//
//	"outage": {"downtime_hours": "1.6", "long_incidents": "0.1", "response_penalty": "500",
//	  "uptime_commitment": "0.999", "monthly_fee": "20000", "direction": "earned",
//	  "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"},
//	              {"from": "0.95", "to": "0.99", "share": "0.25"},
//	              {"from": "0", "to": "0.95", "share": "1"}],
//	  "recovery": "0.4",
//	  "contingency": {"fallback_share": "0.7", "cost_per_hour": "300", "standby_monthly": "1500"}}
//
// Each month from the launch month, with D the month's downtime hours
// (the driver "<partnership>/outage/downtime_hours", capped at the
// month's H = 24 × its days hours), uptime u = 1 − D/H and
//
//	credit        = share of the band [from, to) holding u × monthly_fee  (0 at or above the commitment)
//	penalty       = long_incidents × response_penalty
//	lost GMV      = GMV × D/H × (1 − recovery) × (1 − fallback_share, with a contingency)
//	lost contrib. = lost GMV × contribution ÷ GMV of the month (before the outage lines; 0 without GMV)
//	fallback cost = D × cost_per_hour + standby_monthly                   (with a contingency)
//
// The statement's lines (partnership level): LineOutageCredit is credit
// + penalty, positive when earned (the partner pays us), negative when
// paid; LineOutageLostContribution and LineOutageFallback are costs; all
// three are in the partnership's contribution. LineOutageLostGMV (the
// GMV lost, a memo), LineOutageImpact (credit − lost contribution −
// fallback) and LineOutageContingencyGain (a memo: the contribution lost
// without the contingency, on the same downtime, less the contribution
// lost with it, less the fallback cost; 0 without a contingency) are
// beside the waterfall (LevelSides). Each amount is rounded once to the
// minor unit; D/H and the margin to 20 places.
//
// The downtime is an expected figure per month on the plan; a scenario
// shocks it (an outage month is a month-limited adjustment of
// downtime_hours) and a simulation draws it per month (montecarlo's
// compound Poisson process: incidents × lognormal durations). A band's
// lower edge belongs to it and its upper edge to the band above: with
// the bands above, 99.9 % earns nothing, 99.0 % earns 10 %, 98.99 % 25 %.
type Outage struct {
	// DowntimeHours is the month's downtime in hours, from 0 to the
	// hours of the month (672 in a February of 28 days, 744 in a month of
	// 31). Required.
	DowntimeHours decimal.Decimal `json:"downtime_hours" required:"true"`
	// LongIncidents is the number of incidents in the month that last
	// longer than the response time (≥ 0); each costs ResponsePenalty
	// (≥ 0). Optional (default 0).
	LongIncidents   decimal.Decimal `json:"long_incidents,omitzero"`
	ResponsePenalty decimal.Decimal `json:"response_penalty,omitzero"`
	// UptimeCommitment, in (0, 1], is the committed monthly uptime.
	// Required.
	UptimeCommitment decimal.Decimal `json:"uptime_commitment" required:"true"`
	// MonthlyFee (≥ 0) is the fee the credits are a share of.
	MonthlyFee decimal.Decimal `json:"monthly_fee,omitzero"`
	// Direction is "earned" (the partner credits us) or "paid" (we
	// credit the partner). Required.
	Direction string `json:"direction" required:"true"`
	// Credits are the bands of uptime and the share of the fee credited
	// in each; they must not overlap and must lie below the commitment.
	Credits []OutageCredit `json:"credits,omitempty"`
	// Recovery, in [0, 1], is the share of the GMV lost in an outage that
	// customers bring back later. Optional (default 0).
	Recovery decimal.Decimal `json:"recovery,omitzero"`
	// Contingency is the fallback path, when there is one.
	Contingency *OutageContingency `json:"contingency,omitempty"`
}

// OutageCredit credits Share (in [0, 1]) of the fee when the month's
// uptime is in [From, To), 0 ≤ From < To ≤ 1.
type OutageCredit struct {
	From  decimal.Decimal `json:"from" required:"true"`
	To    decimal.Decimal `json:"to" required:"true"`
	Share decimal.Decimal `json:"share" required:"true"`
}

// OutageContingency is an alternative fulfilment route used during
// outages: it carries FallbackShare (in [0, 1]) of the GMV an outage
// would lose, at CostPerHour (≥ 0) of downtime, and costs StandbyMonthly
// (≥ 0) each month to keep ready.
type OutageContingency struct {
	FallbackShare  decimal.Decimal `json:"fallback_share" required:"true"`
	CostPerHour    decimal.Decimal `json:"cost_per_hour,omitzero"`
	StandbyMonthly decimal.Decimal `json:"standby_monthly,omitzero"`
}

// The credit directions.
const (
	CreditsEarned = "earned"
	CreditsPaid   = "paid"
)

// MonthHours is the hours of a month: 24 × its days.
func MonthHours(m Month) int64 {
	first := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)
	return int64(first.AddDate(0, 1, -1).Day()) * 24
}

// maxMonthHours is the hours of the longest month; kMonthHours drivers
// are at most this (Validate checks each month's own hours).
const maxMonthHours = 744

// outage lists the drivers of a partnership's outage terms.
func (w *walker) outage(pre string, o *Outage) {
	if o == nil {
		return
	}
	q := pre + "outage/"
	w.add(q+"downtime_hours", "hours/month", kMonthHours, &o.DowntimeHours)
	w.add(q+"long_incidents", "incidents/month", kNonNeg, &o.LongIncidents)
	w.add(q+"response_penalty", "CUR/incident", kNonNeg, &o.ResponsePenalty)
	w.add(q+"uptime_commitment", "fraction of time", kRate, &o.UptimeCommitment)
	w.add(q+"monthly_fee", "CUR/month", kNonNeg, &o.MonthlyFee)
	for k := range o.Credits {
		c := &o.Credits[k]
		b := q + "credit/" + idx(k) + "/"
		w.add(b+"from", "fraction of time", kRate, &c.From)
		w.add(b+"to", "fraction of time", kRate, &c.To)
		w.add(b+"share", "fraction of the fee", kRate, &c.Share)
	}
	w.add(q+"recovery", "fraction of lost GMV", kRate, &o.Recovery)
	if c := o.Contingency; c != nil {
		w.add(q+"contingency/fallback_share", "fraction of lost GMV", kRate, &c.FallbackShare)
		w.add(q+"contingency/cost_per_hour", "CUR/hour", kNonNeg, &c.CostPerHour)
		w.add(q+"contingency/standby_monthly", "CUR/month", kNonNeg, &c.StandbyMonthly)
	}
}

// validateOutage checks the rules of a partnership's outage terms that
// tie inputs together or depend on the calendar (each driver's own range
// is checked by address): the direction, the bands (in order, not
// overlapping, below the commitment), a commitment above 0, and downtime
// within the hours of every month from the launch month.
func validateOutage(pr *Problems, p *Portfolio, ps *Partnership, at string) {
	o := ps.Outage
	if o == nil {
		return
	}
	at += ".outage"
	if o.Direction != CreditsEarned && o.Direction != CreditsPaid {
		pr.Add(at+".direction", fmt.Sprintf("%q", o.Direction), `"earned" (the partner credits us) or "paid" (we credit the partner)`)
	}
	if o.UptimeCommitment.Sign() <= 0 {
		pr.Add(at+".uptime_commitment", o.UptimeCommitment.String(), "a share in (0, 1] (0.999 for 99.9 %)")
	}
	for i, b := range o.Credits {
		bt := fmt.Sprintf("%s.credits[%d]", at, i)
		if !b.From.LessThan(b.To) {
			pr.Add(bt, fmt.Sprintf("[%s, %s)", b.From, b.To), "a band of uptime with from < to")
		} else if b.To.GreaterThan(o.UptimeCommitment) && o.UptimeCommitment.Sign() > 0 {
			pr.Addf(bt+".to", b.To.String(), "a band below the commitment %s (uptime at or above it earns no credit)", o.UptimeCommitment)
		}
	}
	order := make([]int, len(o.Credits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return o.Credits[a].From.Cmp(o.Credits[b].From) })
	for k := 1; k < len(order); k++ {
		a, b := o.Credits[order[k-1]], o.Credits[order[k]]
		if b.From.LessThan(a.To) {
			pr.Addf(fmt.Sprintf("%s.credits[%d]", at, order[k]), fmt.Sprintf("[%s, %s)", b.From, b.To),
				"a band that does not overlap credits[%d] [%s, %s)", order[k-1], a.From, a.To)
		}
	}
	if !p.Start.valid() || p.Months < 1 || p.Months > MaxMonths {
		return
	}
	// The month with the fewest hours in which the partnership runs.
	least, month := int64(maxMonthHours+1), Month{}
	for t := max(ps.LaunchMonth, 0); t < p.Months; t++ {
		if h := MonthHours(p.Start.Add(t)); h < least {
			least, month = h, p.Start.Add(t)
		}
	}
	if month.IsZero() || o.DowntimeHours.Sign() < 0 {
		return // no month, or the address's range check has it
	}
	if o.DowntimeHours.GreaterThan(decimal.NewFromInt(least)) {
		pr.Add(at+".downtime_hours", o.DowntimeHours.String(),
			fmt.Sprintf("hours of downtime a month from 0 to %d, the hours of %s (24 × its days; the partnership runs in it)", least, month))
	}
}

func (o *Outage) clone() *Outage {
	if o == nil {
		return nil
	}
	q := *o
	q.Credits = clip(o.Credits)
	if o.Contingency != nil {
		c := *o.Contingency
		q.Contingency = &c
	}
	return &q
}
