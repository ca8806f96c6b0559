package deal

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/graph"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

// Service is an uptime commitment with service credits, response-time
// penalties, and the outages that trigger them. In JSON:
//
//	{"uptime_commitment": "0.999", "monthly_fee": "20000", "direction": "earned",
//	 "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"},
//	             {"from": "0.95", "to": "0.99", "share": "0.25"},
//	             {"from": "0", "to": "0.95", "share": "1"}],
//	 "response_hours": "4", "response_penalty": "500",
//	 "incidents_per_month": 0.8, "duration_mean_hours": 2, "duration_sd_hours": 3,
//	 "recovery": "0.4",
//	 "contingency": {"fallback_share": "0.7", "cost_per_hour": "300", "standby_monthly": "1500"}}
//
// Each month, with D hours of downtime out of the month's H hours
// (D capped at H), uptime is u = 1 − D/H and:
//
//	credit          = share of the band holding u × MonthlyFee   (0 when u ≥ the commitment)
//	penalty         = incidents longer than ResponseHours × ResponsePenalty
//	lost GMV        = GMV × D/H × (1 − Recovery) × (1 − FallbackShare with a contingency)
//	lost margin     = lost GMV × contribution / GMV of the month
//	fallback cost   = D × CostPerHour + StandbyMonthly        (with a contingency)
//	service impact  = ±(credit + penalty) − lost margin − fallback cost
//
// with + when credits are earned (the partner pays them to us) and − when
// they are paid (we owe them to the partner).
type Service struct {
	// UptimeCommitment, in (0, 1], is the committed monthly uptime.
	UptimeCommitment decimal.Decimal `json:"uptime_commitment" required:"true"`
	// MonthlyFee (≥ 0) is the fee the credits are a share of.
	MonthlyFee decimal.Decimal `json:"monthly_fee" required:"true"`
	// Direction is "earned" or "paid".
	Direction string `json:"direction" required:"true"`
	// Credits are the bands [From, To) of uptime and the share of the fee
	// credited in each; they must not overlap and must lie below the
	// commitment (To ≤ UptimeCommitment).
	Credits []CreditBand `json:"credits" required:"true"`
	// ResponseHours and ResponsePenalty (both ≥ 0): each incident lasting
	// longer than ResponseHours costs ResponsePenalty.
	ResponseHours   decimal.Decimal `json:"response_hours,omitzero"`
	ResponsePenalty decimal.Decimal `json:"response_penalty,omitzero"`
	// IncidentsPerMonth (> 0) is the Poisson mean of incidents a month;
	// each lasts a lognormal time of mean DurationMeanHours and standard
	// deviation DurationSDHours (both > 0).
	IncidentsPerMonth float64 `json:"incidents_per_month" required:"true"`
	DurationMeanHours float64 `json:"duration_mean_hours" required:"true"`
	DurationSDHours   float64 `json:"duration_sd_hours" required:"true"`
	// Recovery, in [0, 1], is the share of GMV lost in an outage that
	// customers bring back later.
	Recovery decimal.Decimal `json:"recovery,omitzero"`
	// Contingency is the fallback path, when there is one.
	Contingency *Contingency `json:"contingency,omitempty"`
}

// CreditBand credits Share (in [0, 1]) of the fee when the month's uptime
// is in [From, To).
type CreditBand struct {
	From  decimal.Decimal `json:"from" required:"true"`
	To    decimal.Decimal `json:"to" required:"true"`
	Share decimal.Decimal `json:"share" required:"true"`
}

// Contingency is an alternative fulfilment route used during outages: it
// carries FallbackShare (in [0, 1]) of the GMV an outage would lose, at
// CostPerHour of downtime, and costs StandbyMonthly to keep ready.
type Contingency struct {
	FallbackShare  decimal.Decimal `json:"fallback_share" required:"true"`
	CostPerHour    decimal.Decimal `json:"cost_per_hour,omitzero"`
	StandbyMonthly decimal.Decimal `json:"standby_monthly,omitzero"`
}

var (
	zero = decimal.Zero
	one  = decimal.NewFromInt(1)
)

func inUnit(d decimal.Decimal) bool { return d.Sign() >= 0 && d.LessThanOrEqual(one) }

func (s *Service) check(p *costmodel.Problems, at string) {
	if !(s.UptimeCommitment.Sign() > 0 && s.UptimeCommitment.LessThanOrEqual(one)) {
		p.Add(at+".uptime_commitment", s.UptimeCommitment.String(), "a share in (0, 1]")
	}
	if s.MonthlyFee.Sign() < 0 {
		p.Add(at+".monthly_fee", s.MonthlyFee.String(), "an amount ≥ 0")
	}
	if s.Direction != "earned" && s.Direction != "paid" {
		p.Add(at+".direction", quote(s.Direction), `"earned" (the partner credits us) or "paid" (we credit the partner)`)
	}
	for i, b := range s.Credits {
		bt := fmt.Sprintf("%s.credits[%d]", at, i)
		if !inUnit(b.From) || !inUnit(b.To) || !b.From.LessThan(b.To) {
			p.Addf(bt, fmt.Sprintf("[%s, %s)", b.From, b.To), "a band of uptime with 0 ≤ from < to ≤ 1")
		} else if b.To.GreaterThan(s.UptimeCommitment) {
			p.Addf(bt+".to", b.To.String(), "a band below the commitment %s (uptime at or above it earns no credit)", s.UptimeCommitment)
		}
		if !inUnit(b.Share) {
			p.Add(bt+".share", b.Share.String(), "a share of the fee in [0, 1]")
		}
	}
	// Overlaps, in order of From.
	idx := make([]int, len(s.Credits))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return s.Credits[a].From.Cmp(s.Credits[b].From) })
	for k := 1; k < len(idx); k++ {
		a, b := s.Credits[idx[k-1]], s.Credits[idx[k]]
		if b.From.LessThan(a.To) {
			p.Addf(fmt.Sprintf("%s.credits[%d]", at, idx[k]), fmt.Sprintf("[%s, %s)", b.From, b.To), "a band that does not overlap credits[%d] [%s, %s)", idx[k-1], a.From, a.To)
		}
	}
	if s.ResponseHours.Sign() < 0 {
		p.Add(at+".response_hours", s.ResponseHours.String(), "hours ≥ 0")
	}
	if s.ResponsePenalty.Sign() < 0 {
		p.Add(at+".response_penalty", s.ResponsePenalty.String(), "an amount ≥ 0")
	}
	if !(s.IncidentsPerMonth > 0) || math.IsInf(s.IncidentsPerMonth, 0) {
		p.Add(at+".incidents_per_month", fmt.Sprint(s.IncidentsPerMonth), "a finite Poisson mean > 0")
	}
	if _, err := montecarlo.LogNormalFromMeanSD(s.DurationMeanHours, s.DurationSDHours); err != nil {
		p.Add(at+".duration_mean_hours", fmt.Sprintf("mean %g, sd %g", s.DurationMeanHours, s.DurationSDHours), "a finite mean and standard deviation > 0 (hours)")
	}
	if !inUnit(s.Recovery) {
		p.Add(at+".recovery", s.Recovery.String(), "a share in [0, 1]")
	}
	if c := s.Contingency; c != nil {
		if !inUnit(c.FallbackShare) {
			p.Add(at+".contingency.fallback_share", c.FallbackShare.String(), "a share in [0, 1]")
		}
		if c.CostPerHour.Sign() < 0 {
			p.Add(at+".contingency.cost_per_hour", c.CostPerHour.String(), "an amount ≥ 0")
		}
		if c.StandbyMonthly.Sign() < 0 {
			p.Add(at+".contingency.standby_monthly", c.StandbyMonthly.String(), "an amount ≥ 0")
		}
	}
}

// CreditShare is the share of the fee credited at a month's uptime: the
// share of the band [From, To) holding uptime, 0 at or above the
// commitment or outside every band. A band's lower edge is in it, its
// upper edge in the band above. It evaluates the service graph's band
// node (servicegraph.go) at the uptime given; the bands must not overlap
// (Validate refuses terms whose bands do).
func (s *Service) CreditShare(uptime decimal.Decimal) decimal.Decimal {
	if s == nil {
		return zero
	}
	b := graph.NewBuilder(1)
	share := creditShareNode(b, s, b.Input(0, graph.AllMonths))
	v, err := b.Graph().Eval([]decimal.Decimal{uptime}, nil, nil)
	if err != nil {
		return zero
	}
	return v[share]
}

// outage is one month's downtime: its hours and the incidents that broke
// the response-time commitment.
type outage[T any] struct {
	Hours      T
	LongEvents T
}

// serviceFigures is one month's service figures.
type serviceFigures[T any] struct {
	Uptime, Credit, Penalty, LostGMV, LostMargin, FallbackCost, Impact T
}

// hoursIn is the hours of month i from start.
func hoursIn(start costmodel.Month, i int) int64 {
	return int64(settleDate(start, i).Day()) * 24
}

// expectedOutage is the plan's month: the mean downtime λ·E[duration] and
// the mean number of long incidents λ·P(duration > ResponseHours), to 10
// decimal places (a plan figure, not a draw).
func (s *Service) expectedOutage() outage[decimal.Decimal] {
	ln, err := montecarlo.LogNormalFromMeanSD(s.DurationMeanHours, s.DurationSDHours)
	long := 0.0
	if err == nil {
		long = s.IncidentsPerMonth * (1 - ln.CDF(s.ResponseHours.InexactFloat64()))
	}
	return outage[decimal.Decimal]{
		Hours:      decimal.NewFromFloat(s.IncidentsPerMonth * s.DurationMeanHours).Round(10),
		LongEvents: decimal.NewFromFloat(long).Round(10),
	}
}

// drawOutages draws months of downtime for one trial from r: incidents
// Poisson(IncidentsPerMonth), each lognormal.
func (s *Service) drawOutages(r *rand.Rand, months int) []outage[float64] {
	ln, err := montecarlo.LogNormalFromMeanSD(s.DurationMeanHours, s.DurationSDHours)
	out := make([]outage[float64], months)
	if err != nil || !(s.IncidentsPerMonth > 0) {
		return out
	}
	pois := montecarlo.Poisson{Lambda: s.IncidentsPerMonth}
	resp := s.ResponseHours.InexactFloat64()
	for t := range out {
		n := int(pois.Quantile(r.Float64()))
		for range n {
			h := ln.Quantile(r.Float64())
			out[t].Hours += h
			if h > resp {
				out[t].LongEvents++
			}
		}
	}
	return out
}
