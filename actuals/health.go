package actuals

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// HealthMetric is a figure a partnership's agreement sets a threshold on.
type HealthMetric string

// The agreed metrics. Volumes are per month (over a window, the average
// of its actual months); rates are ratios of the window's sums.
const (
	MetricOrders            HealthMetric = "orders"             // orders per month
	MetricGMV               HealthMetric = "gmv"                // GMV per month
	MetricReturnRate        HealthMetric = "return_rate"        // returned items / items ordered
	MetricCostPerOrder      HealthMetric = "cost_per_order"     // (CM1 − contribution) / orders: what serving an order costs beyond its goods
	MetricCM2Ratio          HealthMetric = "cm2_ratio"          // CM2 / net sales
	MetricContributionRatio HealthMetric = "contribution_ratio" // contribution / net sales
	MetricUptime            HealthMetric = "uptime"             // 1 − downtime minutes / minutes in the window
	MetricResponseHours     HealthMetric = "response_hours"     // the months' average hours to first response
	MetricIncidents         HealthMetric = "incidents"          // incidents per month
	MetricAPICalls          HealthMetric = "api_calls"          // API calls per month (an agreed free allowance)
	MetricDataTransferGB    HealthMetric = "data_transfer_gb"   // GB per month (an agreed free allowance)
)

var healthMetrics = []HealthMetric{MetricOrders, MetricGMV, MetricReturnRate, MetricCostPerOrder, MetricCM2Ratio,
	MetricContributionRatio, MetricUptime, MetricResponseHours, MetricIncidents, MetricAPICalls, MetricDataTransferGB}

// Direction says which side of its threshold a metric must stay on.
type Direction string

const (
	AtLeast Direction = "at_least" // value ≥ threshold (a minimum)
	AtMost  Direction = "at_most"  // value ≤ threshold (a maximum)
)

// Agreed is one agreed metric of a partnership's terms: the metric must
// be AtLeast or AtMost Threshold in each window of the kind Window
// (month, quarter or year; default month).
type Agreed struct {
	Partnership string               `json:"partnership" required:"true"`
	Metric      HealthMetric         `json:"metric" required:"true"`
	Direction   Direction            `json:"direction" required:"true"`
	Threshold   decimal.Decimal      `json:"threshold" required:"true"`
	Window      costmodel.WindowKind `json:"window,omitempty"`
	// Name labels the commitment ("minimum guarantee volume"). Optional.
	Name string `json:"name,omitempty"`
	// AtRiskMargin overrides the agreements' margin for this metric (an
	// uptime of 99.9 % wants a band of points, not 5 % of it). Optional.
	AtRiskMargin *decimal.Decimal `json:"at_risk_margin,omitempty"`
}

// Agreements are the agreed metrics of a portfolio's partnerships and how
// the health check reads them.
type Agreements struct {
	// AtRiskMargin is how close to its threshold, as a fraction of the
	// threshold, a met metric is "at risk" (0.05: within 5 %). Required.
	AtRiskMargin decimal.Decimal `json:"at_risk_margin" required:"true"`
	// TrendMonths is the number of last actual months the trend's slope
	// is fitted over, ≥ 2. Optional (default 3).
	TrendMonths int      `json:"trend_months,omitempty"`
	Metrics     []Agreed `json:"metrics" required:"true"`
}

// ReadAgreements reads agreements from JSON (strictly, as
// costmodel.DecodeStrict) and checks them against p: every problem at
// once, each with its JSON path.
func ReadAgreements(data []byte, p *costmodel.Portfolio) (*Agreements, error) {
	var ag Agreements
	if err := costmodel.DecodeStrict(data, &ag); err != nil {
		return nil, err
	}
	if err := ag.Check(p); err != nil {
		return nil, err
	}
	return &ag, nil
}

// Check reports every problem of the agreements against p.
func (ag *Agreements) Check(p *costmodel.Portfolio) error {
	var pr costmodel.Problems
	if ag == nil || p == nil {
		pr.Add("(agreements)", "", "agreements and the portfolio they are for, not nil")
		return pr.Err()
	}
	if ag.AtRiskMargin.Sign() < 0 || ag.AtRiskMargin.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		pr.Add("at_risk_margin", ag.AtRiskMargin.String(), "a fraction from 0 to below 1 (0.05 for within 5 % of the threshold)")
	}
	if ag.TrendMonths != 0 && ag.TrendMonths < 2 {
		pr.Add("trend_months", strconv.Itoa(ag.TrendMonths), "at least 2 months to fit a slope over (or leave it out for 3)")
	}
	for i, a := range ag.Metrics {
		at := fmt.Sprintf("metrics[%d].", i)
		if _, ok := partnership(p, a.Partnership); !ok {
			pr.Add(at+"partnership", strconv.Quote(a.Partnership), "the ID of a partnership of the portfolio")
		}
		if !slices.Contains(healthMetrics, a.Metric) {
			pr.Add(at+"metric", strconv.Quote(string(a.Metric)), "orders, gmv, return_rate, cost_per_order, cm2_ratio, contribution_ratio, uptime, response_hours, incidents, api_calls or data_transfer_gb")
		}
		if a.Direction != AtLeast && a.Direction != AtMost {
			pr.Add(at+"direction", strconv.Quote(string(a.Direction)), `"at_least" (a minimum) or "at_most" (a maximum)`)
		}
		if a.AtRiskMargin != nil && (a.AtRiskMargin.Sign() < 0 || a.AtRiskMargin.GreaterThanOrEqual(decimal.NewFromInt(1))) {
			pr.Add(at+"at_risk_margin", a.AtRiskMargin.String(), "a fraction from 0 to below 1")
		}
		if a.Threshold.Sign() < 0 {
			pr.Add(at+"threshold", a.Threshold.String(), "≥ 0")
		}
		switch a.Window {
		case "", costmodel.WindowMonth, costmodel.WindowQuarter, costmodel.WindowYear:
		default:
			pr.Add(at+"window", strconv.Quote(string(a.Window)), "month, quarter or year")
		}
	}
	return pr.Err()
}

func partnership(p *costmodel.Portfolio, id string) (*costmodel.Partnership, bool) {
	for i := range p.Partnerships {
		if p.Partnerships[i].ID == id {
			return &p.Partnerships[i], true
		}
	}
	return nil, false
}

// State is a metric's standing against its threshold in one window.
type State string

const (
	OnTarget State = "on_target"
	AtRisk   State = "at_risk"
	Breached State = "breached"
	// NoData marks a window without the figures the metric needs.
	NoData State = "no_data"
)

// Classify says where value stands against an agreed threshold:
//
//	at_least: breached when value < T; at risk when T ≤ value < T + margin × T; else on target
//	at_most:  breached when value > T; at risk when T − margin × T < value ≤ T; else on target
//
// so a value exactly on its threshold meets it (at risk when margin > 0)
// and the edges of the at-risk band belong to the safer side.
func Classify(value, threshold, margin decimal.Decimal, dir Direction) State {
	band := threshold.Abs().Mul(margin)
	switch dir {
	case AtLeast:
		if value.LessThan(threshold) {
			return Breached
		}
		if value.LessThan(threshold.Add(band)) {
			return AtRisk
		}
		return OnTarget
	case AtMost:
		if value.GreaterThan(threshold) {
			return Breached
		}
		if value.GreaterThan(threshold.Sub(band)) {
			return AtRisk
		}
		return OnTarget
	}
	return NoData
}

// WindowHealth is an agreed metric in one window.
type WindowHealth struct {
	Window costmodel.Window
	Value  costmodel.Value
	State  State
}

// MetricHealth is one agreed metric over the actual months.
type MetricHealth struct {
	Agreed
	Windows []WindowHealth
	// Monthly is the metric month by month over the actual months
	// (undefined where the month has no data).
	Monthly []costmodel.Value
	// Trend is the least-squares slope of the last TrendMonths monthly
	// values, per month, rounded to 6 places (undefined with fewer than 2
	// months of data).
	Trend costmodel.Value
	// Utilisation is the last actual month's value over the threshold
	// (for an at_most allowance: the share used), rounded to 4 places.
	Utilisation costmodel.Value
	// RunsOut is, for an at_most metric, the first month it is over its
	// threshold: an actual month when it is already, else the month the
	// trend reaches past it (zero Month when it does not within the
	// horizon).
	RunsOut costmodel.Month
}

// Health checks every agreed metric in every window of its kind that
// holds actual months, with its trend and utilisation.
func (m *Model) Health(ag *Agreements) ([]MetricHealth, error) {
	if m == nil || len(m.stages) == 0 {
		return nil, &costmodel.FieldError{Path: "(model)", Expected: "a Model built by NewModel, not nil"}
	}
	if err := ag.Check(m.plan); err != nil {
		return nil, err
	}
	trend := ag.TrendMonths
	if trend == 0 {
		trend = 3
	}
	var out []MetricHealth
	for _, a := range ag.Metrics {
		ps, _ := partnership(m.plan, a.Partnership)
		mh := MetricHealth{Agreed: a}
		kind := a.Window
		if kind == "" {
			kind = costmodel.WindowMonth
		}
		ws, err := costmodel.EachWindow(kind, 0, m.plan.Start, m.cut+1)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			months, _ := w.Months(m.plan.Start, m.cut+1)
			months = slices.DeleteFunc(months, func(t int) bool { return t < ps.LaunchMonth })
			v := m.metric(a.Metric, ps, months)
			st := NoData
			margin := ag.AtRiskMargin
			if a.AtRiskMargin != nil {
				margin = *a.AtRiskMargin
			}
			if v.Valid {
				st = Classify(v.Amount, a.Threshold, margin, a.Direction)
			}
			if len(months) == 0 {
				continue
			}
			mh.Windows = append(mh.Windows, WindowHealth{Window: w, Value: v, State: st})
		}
		var xs, ys []decimal.Decimal
		for t := 0; t <= m.cut; t++ {
			v := costmodel.Value{}
			if t >= ps.LaunchMonth {
				v = m.metric(a.Metric, ps, []int{t})
			}
			mh.Monthly = append(mh.Monthly, v)
			if v.Valid && t > m.cut-trend {
				xs, ys = append(xs, decimal.NewFromInt(int64(t))), append(ys, v.Amount)
			}
		}
		if len(xs) >= 2 {
			mh.Trend = costmodel.Value{Amount: slope(xs, ys), Valid: true}
		}
		last := mh.Monthly[m.cut]
		if last.Valid && !a.Threshold.IsZero() {
			mh.Utilisation = costmodel.Value{Amount: last.Amount.DivRound(a.Threshold, 4), Valid: true}
		}
		if a.Direction == AtMost {
			var vals []decimal.Decimal
			for _, v := range mh.Monthly {
				vals = append(vals, v.Amount) // undefined months hold 0
			}
			mh.RunsOut = m.runsOut(vals, a.Threshold, mh.Trend)
			if !last.Valid && monthIndex(mh.RunsOut) > monthIndex(m.CutOff()) {
				// No last value to project the trend from.
				mh.RunsOut = costmodel.Month{}
			}
		}
		out = append(out, mh)
	}
	return out, nil
}

// slope is the least-squares slope of ys over xs, to 6 places.
func slope(xs, ys []decimal.Decimal) decimal.Decimal {
	n := decimal.NewFromInt(int64(len(xs)))
	var sx, sy decimal.Decimal
	for i := range xs {
		sx, sy = sx.Add(xs[i]), sy.Add(ys[i])
	}
	// Σ (x − x̄)(y − ȳ) / Σ (x − x̄)², multiplied through by n to stay exact.
	var num, den decimal.Decimal
	for i := range xs {
		dx := xs[i].Mul(n).Sub(sx)
		num = num.Add(dx.Mul(ys[i].Mul(n).Sub(sy)))
		den = den.Add(dx.Mul(dx))
	}
	if den.IsZero() {
		return decimal.Zero
	}
	return num.DivRound(den, 6)
}

// metric is an agreed metric of partnership ps over months (actual
// months from its launch).
func (m *Model) metric(hm HealthMetric, ps *costmodel.Partnership, months []int) costmodel.Value {
	if len(months) == 0 {
		return costmodel.Value{}
	}
	act := m.Actual()
	st, _ := act.Partnership(ps.ID)
	sum := func(l costmodel.Line) decimal.Decimal {
		s := decimal.Zero
		for _, t := range months {
			s = s.Add(st.Total.Monthly[t][l])
		}
		return s
	}
	orders := decimal.Zero
	for _, t := range months {
		orders = orders.Add(st.Total.Orders[t])
	}
	perMonth := func(x decimal.Decimal) costmodel.Value {
		return costmodel.Value{Amount: x.DivRound(decimal.NewFromInt(int64(len(months))), 6), Valid: true}
	}
	ratio := func(num, den decimal.Decimal, places int32) costmodel.Value {
		if den.IsZero() {
			return costmodel.Value{}
		}
		return costmodel.Value{Amount: num.DivRound(den, places), Valid: true}
	}
	reported := func(ms Measure) (decimal.Decimal, int) {
		s, n := decimal.Zero, 0
		for _, t := range months {
			if v, ok := m.Figure(m.plan.Start.Add(t), ps.ID, "", ms); ok {
				s, n = s.Add(v), n+1
			}
		}
		return s, n
	}
	switch hm {
	case MetricOrders:
		return perMonth(orders)
	case MetricGMV:
		return perMonth(sum(costmodel.LineGMV))
	case MetricReturnRate:
		items, returned := decimal.Zero, decimal.Zero
		for j, c := range ps.Categories {
			for _, t := range months {
				n := st.Categories[j].Orders[t]
				it := n.Mul(c.UnitsPerOrder)
				items = items.Add(it)
				if v, ok := m.Figure(m.plan.Start.Add(t), ps.ID, c.ID, ReturnedItems); ok {
					returned = returned.Add(v)
				} else {
					returned = returned.Add(it.Mul(c.ReturnRate))
				}
			}
		}
		return ratio(returned, items, 6)
	case MetricCostPerOrder:
		return ratio(sum(costmodel.LineCM1).Sub(sum(costmodel.LineContribution)), orders, 4)
	case MetricCM2Ratio:
		return ratio(sum(costmodel.LineCM2), sum(costmodel.LineNetSales), 6)
	case MetricContributionRatio:
		return ratio(sum(costmodel.LineContribution), sum(costmodel.LineNetSales), 6)
	case MetricUptime:
		down, n := reported(DowntimeMinutes)
		if n == 0 {
			// Uptime is read from reported downtime (0 minutes for a
			// month without an outage): a window with no downtime figure
			// has no uptime, rather than a silent 100 %.
			return costmodel.Value{}
		}
		minutes := decimal.Zero
		for _, t := range months {
			mo := m.plan.Start.Add(t)
			minutes = minutes.Add(decimal.NewFromInt(int64(daysIn(mo) * 24 * 60)))
		}
		return costmodel.Value{Amount: decimal.NewFromInt(1).Sub(down.DivRound(minutes, 8)), Valid: true}
	case MetricResponseHours:
		s, n := reported(ResponseHours)
		return ratio(s, decimal.NewFromInt(int64(n)), 4)
	case MetricIncidents:
		s, n := reported(Incidents)
		if n == 0 {
			return costmodel.Value{}
		}
		return perMonth(s)
	case MetricAPICalls:
		s, n := reported(APICalls)
		if n == 0 {
			return costmodel.Value{}
		}
		return perMonth(s)
	case MetricDataTransferGB:
		s, n := reported(DataTransferGB)
		if n == 0 {
			return costmodel.Value{}
		}
		return perMonth(s)
	}
	return costmodel.Value{}
}

func daysIn(m costmodel.Month) int {
	switch m.Month {
	case 2:
		if m.Year%4 == 0 && (m.Year%100 != 0 || m.Year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
