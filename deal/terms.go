package deal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Terms are a partnership deal's terms. In JSON:
//
//	{"partnership": "amazon-us", "investment": "300000",
//	 "tranches": [{"month": "2026-01", "amount": "100000"},
//	              {"month": "2026-07", "amount": "200000",
//	               "milestone": {"metric": "gmv", "at_least": "500000",
//	                             "window": {"kind": "range", "from": "2026-01", "to": "2026-06"}},
//	               "on_miss": "stop", "exit_cost": "25000"}],
//	 "exit": {...}, "payout": {...}}
//
// The service commitments (uptime, credit bands, penalties, recovery, a
// contingency plan) are not deal terms: they are the partnership's
// outage terms in the portfolio (costmodel.Outage), whose statement
// lines the deal reads (see ServiceMonth).
type Terms struct {
	// Partnership is the ID of the partnership the deal funds.
	Partnership string `json:"partnership" required:"true"`
	// Investment is the whole investment; the tranches must sum to it.
	Investment decimal.Decimal `json:"investment" required:"true"`
	// Tranches are released in order of month.
	Tranches []Tranche `json:"tranches" required:"true"`
	// Exit and Payout are optional.
	Exit   *Exit        `json:"exit,omitempty"`
	Payout *PayoutCycle `json:"payout,omitempty"`
}

// MissAction says what happens when a tranche's milestone is missed.
type MissAction string

const (
	// Stop winds the partnership down in the milestone's month: the
	// tranche and all later ones are not released, ExitCost is paid, and
	// the partnership's contribution from that month on is not earned.
	Stop MissAction = "stop"
	// Delay releases the tranche DelayMonths later and shifts every later
	// tranche by as much; the partnership runs on.
	Delay MissAction = "delay"
	// Reduce releases ScopeShare of the tranche and runs the partnership
	// at ScopeShare of its contribution from that month on (later
	// tranches are scaled too).
	Reduce MissAction = "reduce"
)

// Tranche is one release of the investment.
type Tranche struct {
	// Month is when the tranche is due and its milestone checked.
	Month costmodel.Month `json:"month" required:"true"`
	// Amount is the tranche's size (> 0).
	Amount decimal.Decimal `json:"amount" required:"true"`
	// Milestone, when set, must be met for the tranche to be released;
	// a tranche without one is released unconditionally.
	Milestone *Milestone `json:"milestone,omitempty"`
	// OnMiss is required with a milestone.
	OnMiss MissAction `json:"on_miss,omitempty" required:"with=milestone"`
	// ExitCost is the wind-down cost paid on Stop (≥ 0).
	ExitCost decimal.Decimal `json:"exit_cost,omitzero"`
	// DelayMonths (≥ 1) is the delay on Delay.
	DelayMonths int `json:"delay_months,omitempty"`
	// ScopeShare, in (0, 1), is the scope kept on Reduce.
	ScopeShare decimal.Decimal `json:"scope_share,omitzero"`
}

// Milestone is a measurable target read from the partnership's statement
// over a window that ends by the tranche's month: a metric of the
// partnership (costmodel.Metric: "gmv", "contribution", "net_sales",
// "contribution_ratio", …, or the volume "orders", expected orders)
// at least or at most a value, or the uptime ("uptime", a share, of a
// partnership with outage terms: 1 − its outage_downtime_hours over the
// window ÷ the window's hours) or the return rate ("return_rate",
// refunds over GMV) over the window's months.
type Milestone struct {
	Metric costmodel.Metric `json:"metric" required:"true"`
	Window costmodel.Window `json:"window" required:"true"`
	// Exactly one of AtLeast and AtMost.
	AtLeast *decimal.Decimal `json:"at_least,omitempty" required:"unless=at_most"`
	AtMost  *decimal.Decimal `json:"at_most,omitempty" required:"unless=at_least"`
}

// The milestone metrics that are not statement metrics.
const (
	// MetricUptime is the uptime over the window, 1 − the statement's
	// downtime hours (outage_downtime_hours) / the window's hours, of a
	// partnership with outage terms.
	MetricUptime costmodel.Metric = "uptime"
	// MetricReturnRate is the share of GMV refunded over the window,
	// (GMV − net sales) / GMV, net sales being GMV less refunds;
	// undefined (not met) without GMV.
	MetricReturnRate costmodel.Metric = "return_rate"
)

// Met reports whether value meets the milestone (false for a nil one).
func (m *Milestone) Met(value decimal.Decimal) bool {
	if m == nil {
		return false
	}
	if m.AtLeast != nil {
		return value.GreaterThanOrEqual(*m.AtLeast)
	}
	return m.AtMost != nil && value.LessThanOrEqual(*m.AtMost)
}

// Load reads deal terms from JSON (costmodel.DecodeStrict: unknown
// fields, wrong types and missing required fields are errors with their
// JSON paths) and validates them against the statement's horizon.
func Load(r io.Reader, st *costmodel.Statement) (*Terms, error) {
	if r == nil {
		return nil, fmt.Errorf("deal: Load: nil reader")
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(r); err != nil {
		return nil, fmt.Errorf("deal: reading terms: %w", err)
	}
	// A "service" block (the deal's service terms before they moved to
	// the partnership) is reported with the file's other problems.
	var p costmodel.Problems
	data := b.Bytes()
	if rest, ok := withoutKey(data, "service"); ok {
		p.Add("service", "service terms in the deal", serviceMoved)
		data = rest
	}
	var t Terms
	if err := costmodel.DecodeStrict(data, &t); err != nil {
		p.Merge("", err)
		return nil, p.Err()
	}
	p.Merge("", t.Validate(st))
	if err := p.Err(); err != nil {
		return nil, err
	}
	return &t, nil
}

// LoadFile reads and validates the deal terms in the named JSON file.
func LoadFile(name string, st *costmodel.Statement) (*Terms, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Load(f, st)
}

// Validate checks the terms against the statement (the partnership must
// be in it, every milestone's window within its horizon and ending by the
// tranche's month) and reports every problem at once as a
// *costmodel.ValidationError, each with its JSON path.
func (t *Terms) Validate(st *costmodel.Statement) error {
	var p costmodel.Problems
	if t == nil {
		p.Add("", "null", "deal terms")
		return p.Err()
	}
	if st == nil {
		p.Add("", "no statement", "the statement of the portfolio the deal is part of")
		return p.Err()
	}
	ps, ok := st.Partnership(t.Partnership)
	if !ok {
		p.Addf("partnership", quote(t.Partnership), "a partnership of the portfolio")
	}
	hasOutage := ok && ps.Outage
	if t.Investment.Sign() <= 0 {
		p.Add("investment", t.Investment.String(), "an amount > 0")
	}
	if len(t.Tranches) == 0 {
		p.Add("tranches", "[]", "at least one tranche")
	}
	sum := decimal.Zero
	for i, tr := range t.Tranches {
		at := fmt.Sprintf("tranches[%d]", i)
		sum = sum.Add(tr.Amount)
		idx := monthIndex(st.Start, tr.Month)
		switch {
		case tr.Month.IsZero():
			p.Add(at+".month", "", "a month of the horizon")
		case idx < 0 || idx >= st.Months:
			p.Addf(at+".month", tr.Month.String(), "a month of the horizon %s to %s", st.Start, st.Start.Add(st.Months-1))
		case i > 0 && !t.Tranches[i-1].Month.IsZero() && monthIndex(t.Tranches[i-1].Month, tr.Month) < 0:
			p.Addf(at+".month", tr.Month.String(), "a month not before tranche %d's (%s): tranches in order", i-1, t.Tranches[i-1].Month)
		}
		if tr.Amount.Sign() <= 0 {
			p.Add(at+".amount", tr.Amount.String(), "an amount > 0")
		}
		if tr.ExitCost.Sign() < 0 {
			p.Add(at+".exit_cost", tr.ExitCost.String(), "an amount ≥ 0")
		}
		if m := tr.Milestone; m != nil {
			checkMilestone(&p, at+".milestone", m, st, idx, hasOutage)
			switch tr.OnMiss {
			case Stop:
			case Delay:
				if tr.DelayMonths < 1 {
					p.Addf(at+".delay_months", fmt.Sprint(tr.DelayMonths), "at least 1 month with on_miss %q", Delay)
				} else if idx >= 0 && idx+tr.DelayMonths >= st.Months {
					p.Addf(at+".delay_months", fmt.Sprint(tr.DelayMonths), "a delay that keeps the tranche within the horizon (at most %d months)", st.Months-1-idx)
				}
			case Reduce:
				if !(tr.ScopeShare.Sign() > 0 && tr.ScopeShare.LessThan(decimal.NewFromInt(1))) {
					p.Addf(at+".scope_share", tr.ScopeShare.String(), "a share in (0, 1) with on_miss %q", Reduce)
				}
			default:
				p.Addf(at+".on_miss", quote(string(tr.OnMiss)), "one of %q, %q, %q", Stop, Delay, Reduce)
			}
		} else if tr.OnMiss != "" {
			p.Add(at+".on_miss", quote(string(tr.OnMiss)), "on_miss only with a milestone")
		}
	}
	if len(t.Tranches) > 0 && !sum.Equal(t.Investment) {
		p.Addf("tranches", "sum "+sum.String(), "tranches that sum to the investment %s", t.Investment)
	}
	if t.Exit != nil {
		t.Exit.check(&p, "exit", st)
	}
	if t.Payout != nil {
		t.Payout.check(&p, "payout")
	}
	return p.Err()
}

func checkMilestone(p *costmodel.Problems, at string, m *Milestone, st *costmodel.Statement, trancheIdx int, hasOutage bool) {
	switch {
	case m.Metric == MetricReturnRate:
	case m.Metric == MetricUptime:
		if !hasOutage {
			p.Add(at+".metric", quote(string(m.Metric)), "an uptime milestone only for a partnership with outage terms (\"outage\" on the partnership in the portfolio)")
		}
	case !m.Metric.Valid() || m.Metric == costmodel.MetricNPV || m.Metric == costmodel.MetricPaybackMonth:
		p.Addf(at+".metric", quote(string(m.Metric)), "a statement amount or ratio (gmv, contribution, net_sales, contribution_ratio, …), orders, %q or %q", MetricReturnRate, MetricUptime)
	}
	if (m.AtLeast == nil) == (m.AtMost == nil) {
		p.Add(at, "", "exactly one of at_least and at_most")
	}
	months, err := m.Window.Months(st.Start, st.Months)
	if err != nil {
		p.Merge(at+".window", err)
		return
	}
	if len(months) == 0 {
		p.Add(at+".window", m.Window.String(), "a window with at least one month of the horizon")
		return
	}
	// A window is cut to the horizon when read; a milestone's is not: a
	// window that names months after the horizon (or after the tranche)
	// would be judged on fewer months than its terms say.
	if end, ok := windowEnd(m.Window); ok && monthIndex(st.Start, end) >= st.Months {
		p.Addf(at+".window", m.Window.String(), "a window that ends within the horizon %s to %s (it ends %s): a milestone after the horizon cannot be checked", st.Start, st.Start.Add(st.Months-1), end)
		return
	} else if ok && trancheIdx >= 0 && monthIndex(st.Start, end) > trancheIdx {
		p.Addf(at+".window", m.Window.String(), "a window that ends by the tranche's month %s (it ends %s): a milestone is met by its month", st.Start.Add(trancheIdx), end)
		return
	}
	if last := slices.Max(months); trancheIdx >= 0 && last > trancheIdx {
		p.Addf(at+".window", m.Window.String(), "a window that ends by the tranche's month %s (it ends %s): a milestone is met by its month", st.Start.Add(trancheIdx), st.Start.Add(last))
	}
}

// windowEnd is the last month a window names, whatever the horizon: a
// range's to, a month or rolling window's month, a year's December, a
// quarter's last month; false for the horizon and calendar sets (which
// are read within the horizon by definition).
func windowEnd(w costmodel.Window) (costmodel.Month, bool) {
	switch w.Kind {
	case costmodel.WindowRange:
		return w.To, true
	case costmodel.WindowMonth, costmodel.WindowRolling:
		return w.Month, true
	case costmodel.WindowYear:
		return costmodel.Month{Year: w.Year, Month: time.December}, true
	case costmodel.WindowQuarter:
		return costmodel.Month{Year: w.Year, Month: time.Month(3 * w.Quarter)}, true
	}
	return costmodel.Month{}, false
}

// monthIndex is the months from start to m (negative before start).
func monthIndex(start, m costmodel.Month) int {
	return (m.Year*12 + int(m.Month)) - (start.Year*12 + int(start.Month))
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// serviceMoved is what a deal file with a "service" block is told.
const serviceMoved = `no "service" in the deal terms: service commitments are the partnership's outage terms ("outage" on the partnership in the portfolio JSON, costmodel.Outage), ` +
	`their incidents a compound_poisson input on "<partnership>/outage/downtime_hours" in the uncertainty spec`

// withoutKey is data, a JSON object, without its top-level key; false
// when data is not an object or has no such key.
func withoutKey(data []byte, key string) ([]byte, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &m) != nil {
		return data, false
	}
	if _, ok := m[key]; !ok {
		return data, false
	}
	delete(m, key)
	rest, err := json.Marshal(m)
	if err != nil {
		return data, false
	}
	return rest, true
}
