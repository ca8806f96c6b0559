package costmodel

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// outagePortfolio is one partnership with hand-checkable figures from
// January 2026 (744 hours) for three months (February: 672 hours): GMV
// 1,000 orders × 50 = 50,000 a month, COGS 20,000, maintenance 1,000, so
// the contribution before the outage lines is 29,000 and its margin over
// GMV 0.58.
const outagePortfolio = `{"currency": "USD", "start": "2026-01", "months": 3, "discount_rate": 0.1,
 "partnerships": [{"id": "amazon-us", "channel": "marketplace",
  "maintenance": [{"id": "ops", "monthly": 1000}],
  "categories": [{"id": "toys", "orders": 1000, "price": 50, "units_per_order": 1, "unit_cost": 20}],
  "outage": {"downtime_hours": "7.44", "long_incidents": "2", "response_penalty": "500",
   "uptime_commitment": "0.999", "monthly_fee": "20000", "direction": "earned",
   "credits": [{"from": "0.99", "to": "0.999", "share": "0.10"},
               {"from": "0.95", "to": "0.99", "share": "0.25"},
               {"from": "0", "to": "0.95", "share": "1"}],
   "recovery": "0.4",
   "contingency": {"fallback_share": "0.7", "cost_per_hour": "300", "standby_monthly": "1500"}}}]}`

func loadOutage(t testing.TB, edit func(*Portfolio)) *Portfolio {
	t.Helper()
	p, err := Load(strings.NewReader(outagePortfolio))
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	return p
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestOutageByHand: January with 7.44 hours down (1 % of its 744 hours,
// uptime 99 %, on the lower edge of the 10 % band), by hand:
//
//	credit        = 10 % × 20,000 = 2,000; penalties 2 × 500 = 1,000 → credit line +3,000 (earned)
//	lost GMV      = 50,000 × 0.01 × (1 − 0.4) × (1 − 0.7) = 90
//	lost contrib. = 90 × 29,000 / 50,000 = 52.20
//	fallback      = 7.44 × 300 + 1,500 = 3,732
//	contribution  = 29,000 − 52.20 − 3,732 + 3,000 = 28,215.80; impact −784.20
//
// February has 672 hours: 7.44 hours is 1.107 % down, uptime 98.893 %, in
// the 25 % band: credit 5,000 + 1,000; lost GMV 50,000 × 7.44/672 × 0.6 ×
// 0.3 = 99.642857… → 99.64; × 0.58 = 57.7912 → 57.79. Without a
// contingency: lost GMV 300 (no fallback share), lost contribution 174,
// no fallback cost. Paid: the credit line is −3,000.
//
// The contingency gain (contribution lost without it − with it −
// fallback) is 174 − 52.20 − 3,732 = −3,610.20 in January; in February
// the lost GMV without it is 50,000 × 7.44/672 × 0.6 = 332.142857… →
// 332.14, × 0.58 = 192.6412 → 192.64, so 192.64 − 57.79 − 3,732 =
// −3,597.15; 0 without a contingency; with no downtime the standby's
// −1,500. January's impact less its gain is the impact without the
// contingency: −784.20 + 3,610.20 = 2,826.
func TestOutageByHand(t *testing.T) {
	t.Parallel()
	type want struct{ credit, lostGMV, lostContribution, fallback, contribution, impact, gain string }
	for _, c := range []struct {
		name  string
		edit  func(*Portfolio)
		month int
		want  want
	}{
		{"january", nil, 0, want{"3000", "90", "52.20", "3732", "28215.80", "-784.20", "-3610.20"}},
		{"february", nil, 1, want{"6000", "99.64", "57.79", "3732", "31210.21", "2210.21", "-3597.15"}},
		{"no contingency", func(p *Portfolio) { p.Partnerships[0].Outage.Contingency = nil }, 0, want{"3000", "300", "174", "0", "31826", "2826", "0"}},
		{"paid", func(p *Portfolio) { p.Partnerships[0].Outage.Direction = CreditsPaid }, 0, want{"-3000", "90", "52.20", "3732", "22215.80", "-6784.20", "-3610.20"}},
		{"no downtime", func(p *Portfolio) { p.Partnerships[0].Outage.DowntimeHours = decimal.Zero }, 0, want{"1000", "0", "0", "1500", "28500", "-500", "-1500"}},
	} {
		st := evalT(t, loadOutage(t, c.edit))
		a := st.Partnerships[0].Total.Monthly[c.month]
		for _, chk := range []struct {
			l    Line
			want string
		}{{LineOutageCredit, c.want.credit}, {LineOutageLostGMV, c.want.lostGMV}, {LineOutageLostContribution, c.want.lostContribution},
			{LineOutageFallback, c.want.fallback}, {LineContribution, c.want.contribution}, {LineOutageImpact, c.want.impact},
			{LineOutageContingencyGain, c.want.gain}} {
			if !a[chk.l].Equal(dec(chk.want)) {
				t.Errorf("%s: %s = %s, want %s", c.name, chk.l, a[chk.l], chk.want)
			}
		}
		// The lines are the own row's and foot into the roll-ups.
		if got := st.Portfolio.Monthly[c.month][LineContribution]; !got.Equal(a[LineContribution]) {
			t.Errorf("%s: portfolio contribution %s, partnership %s", c.name, got, a[LineContribution])
		}
	}
}

// TestOutageCreditAtBandEdges moves January's downtime onto each band
// edge and just past it (744 hours: D = 744 × (1 − u)) through a per-month
// driver value, the way a simulation or a scenario sets it, and checks
// the credit line (share × 20,000, plus the 1,000 of penalties) and the
// band formula alone (OutageCreditShare). A lower edge is in its band,
// an upper edge in the band above; downtime above the month's hours is
// capped (uptime 0).
func TestOutageCreditAtBandEdges(t *testing.T) {
	t.Parallel()
	p := loadOutage(t, nil)
	const addr = "amazon-us/outage/downtime_hours"
	m, err := BuildModel(p, ModelOptions{ByMonth: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	i, _ := m.Index(addr)
	for _, c := range []struct {
		hours, uptime, share, lostGMV string
	}{
		{"0", "1", "0", "0"},
		{"0.744", "0.999", "0", "9"},                     // at the commitment: no credit
		{"0.7448", "0.9989989247311828", "0.10", "9.01"}, // just below it
		{"7.44", "0.99", "0.10", "90"},                   // lower edge of the 10 % band
		{"7.4407", "0.9899990591397849", "0.25", "90.01"},
		{"37.2", "0.95", "0.25", "450"},
		{"37.2007", "0.9499990591397849", "1", "450.01"},
		{"744", "0", "1", "9000"},
		{"900", "0", "1", "9000"}, // capped at the month's hours
	} {
		over := graph.Overrides{}
		for mo := range 3 {
			over[graph.DriverMonth{Driver: int32(i), Month: int32(mo)}] = dec("1")
		}
		over[graph.DriverMonth{Driver: int32(i), Month: 0}] = dec(c.hours)
		st, err := m.Evaluate(nil, over)
		if err != nil {
			t.Fatal(err)
		}
		a := st.Partnerships[0].Total.Monthly[0]
		want := dec(c.share).Mul(dec("20000")).Add(dec("1000"))
		if !a[LineOutageCredit].Equal(want) {
			t.Errorf("%s hours down: credit line %s, want %s (share %s)", c.hours, a[LineOutageCredit], want, c.share)
		}
		// Lost GMV 50,000 × D/744 × 0.6 × 0.3, to the cent.
		if !a[LineOutageLostGMV].Equal(dec(c.lostGMV)) {
			t.Errorf("%s hours down: lost GMV %s, want %s", c.hours, a[LineOutageLostGMV], c.lostGMV)
		}
		if got, err := OutageCreditShare(p.Partnerships[0].Outage, dec(c.uptime)); err != nil || !got.Equal(dec(c.share)) {
			t.Errorf("OutageCreditShare(%s) = %s, %v, want %s", c.uptime, got, err, c.share)
		}
	}
}

// TestOutageTapeEqualsExact holds the float tape to the exact graph with
// the downtime varying month by month, trial by trial (the simulation's
// use): every line of every row and month, band edges among the values.
func TestOutageTapeEqualsExact(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"contingency", "none", "paid"} {
		p := loadOutage(t, func(p *Portfolio) {
			switch name {
			case "none":
				p.Partnerships[0].Outage.Contingency = nil
			case "paid":
				p.Partnerships[0].Outage.Direction = CreditsPaid
			}
		})
		const addr = "amazon-us/outage/downtime_hours"
		m, err := BuildModel(p, ModelOptions{ByMonth: []string{addr}})
		if err != nil {
			t.Fatal(err)
		}
		i, _ := m.Index(addr)
		c := newTapeCase(t, name, m)
		trials := [][3]string{{"0", "0", "0"}, {"0.744", "7.44", "37.2"}, {"3.1", "700", "12.345"}, {"744", "0.0001", "2"}}
		for k, hours := range trials {
			over := graph.Overrides{}
			for mo, h := range hours {
				over[graph.DriverMonth{Driver: int32(i), Month: int32(mo)}] = dec(h)
			}
			c.check(t, fmt.Sprintf("%s trial %d", name, k), m.Values(), over)
		}
		checkTapeExact(t, name+" at the plan", p)
	}
}

// TestOutageDrivers: the outage terms are drivers by address, settable
// as any other (a scenario's shock), and their values move the lines.
func TestOutageDrivers(t *testing.T) {
	t.Parallel()
	p := loadOutage(t, nil)
	var got []string
	for _, d := range p.Drivers() {
		if strings.Contains(d.Address, "/outage/") {
			got = append(got, d.Address)
		}
	}
	want := []string{"downtime_hours", "long_incidents", "response_penalty", "uptime_commitment", "monthly_fee",
		"credit/1/from", "credit/1/to", "credit/1/share", "credit/2/from", "credit/2/to", "credit/2/share",
		"credit/3/from", "credit/3/to", "credit/3/share", "recovery",
		"contingency/fallback_share", "contingency/cost_per_hour", "contingency/standby_monthly"}
	if len(got) != len(want) {
		t.Fatalf("outage drivers %v", got)
	}
	for k := range want {
		if got[k] != "amazon-us/outage/"+want[k] {
			t.Errorf("driver %d = %s, want amazon-us/outage/%s", k, got[k], want[k])
		}
	}
	d, err := p.Driver("amazon-us/outage/downtime_hours")
	if err != nil || d.Unit != "hours/month" || !d.Value.Equal(dec("7.44")) {
		t.Errorf("Driver(downtime_hours) = %+v, %v", d, err)
	}
	if lo, hi := d.Bounds(); lo != 0 || hi != 744 {
		t.Errorf("downtime bounds [%g, %g], want [0, 744]", lo, hi)
	}
	q := p.Clone()
	if _, err := q.Set("*/outage/downtime_hours", dec("37.2")); err != nil {
		t.Fatal(err)
	}
	if !p.Partnerships[0].Outage.DowntimeHours.Equal(dec("7.44")) {
		t.Error("Set on a clone changed the original's downtime")
	}
	st := evalT(t, q)
	// 37.2 of 744 hours: uptime 95 %, the 25 % band: 5,000 + 1,000.
	if got := st.Partnerships[0].Total.Monthly[0][LineOutageCredit]; !got.Equal(dec("6000")) {
		t.Errorf("credit at 37.2 hours down = %s, want 6000", got)
	}
	if _, err := q.Set("amazon-us/outage/downtime_hours", dec("-1")); err == nil || !strings.Contains(err.Error(), "amazon-us/outage/downtime_hours") {
		t.Errorf("Set(-1 hours) = %v, want an error naming the address", err)
	}
	if _, err := q.Set("amazon-us/outage/downtime_hours", dec("745")); err == nil {
		t.Error("Set(745 hours) accepted: no month has 745 hours")
	}
}

// TestOutageValidation: every bad input at once, each with its path.
func TestOutageValidation(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		edit func(o *Outage)
		want []string // path: a fragment of what was expected
	}{
		{"negative hours", func(o *Outage) { o.DowntimeHours = dec("-0.5") },
			[]string{"amazon-us/outage/downtime_hours: hours from 0"}},
		{"above February's hours", func(o *Outage) { o.DowntimeHours = dec("700") },
			[]string{"partnerships[0].outage.downtime_hours: hours of downtime a month from 0 to 672, the hours of 2026-02"}},
		{"above any month's hours", func(o *Outage) { o.DowntimeHours = dec("800") },
			[]string{"amazon-us/outage/downtime_hours: hours from 0 to the month's hours (at most 744", "partnerships[0].outage.downtime_hours: hours of downtime a month from 0 to 672"}},
		{"bands and terms", func(o *Outage) {
			o.Direction = "owed"
			o.UptimeCommitment = dec("0")
			o.Credits[1].From = dec("0.98")
			o.Credits[1].To = dec("0.995") // overlaps band 1
			o.Credits[2].Share = dec("1.5")
			o.Recovery = dec("2")
			o.LongIncidents = dec("-1")
		}, []string{
			`partnerships[0].outage.direction: "earned"`,
			"partnerships[0].outage.uptime_commitment: a share in (0, 1]",
			"partnerships[0].outage.credits[0]: a band that does not overlap credits[1]",
			"amazon-us/outage/credit/3/share: a fraction from 0 to 1",
			"amazon-us/outage/recovery: a fraction from 0 to 1",
			"amazon-us/outage/long_incidents: ≥ 0",
		}},
		{"band above the commitment", func(o *Outage) { o.Credits[0].To = dec("0.9995") },
			[]string{"partnerships[0].outage.credits[0].to: a band below the commitment 0.999"}},
		{"empty band", func(o *Outage) { o.Credits[2].To = dec("0") },
			[]string{"partnerships[0].outage.credits[2]: a band of uptime with from < to"}},
	} {
		p := loadOutage(t, func(p *Portfolio) { c.edit(p.Partnerships[0].Outage) })
		err := p.Validate()
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: Validate = %v, want a ValidationError", c.name, err)
			continue
		}
		for _, w := range c.want {
			path, exp, _ := strings.Cut(w, ": ")
			found := false
			for _, fe := range ve.Problems {
				if fe.Path == path && strings.Contains(fe.Expected, exp) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no problem %q in\n%v", c.name, w, err)
			}
		}
	}
	// A partnership launching in March runs only in months of 744 hours.
	p := loadOutage(t, func(p *Portfolio) {
		p.Partnerships[0].LaunchMonth = 2
		p.Partnerships[0].Outage.DowntimeHours = dec("700")
	})
	if err := p.Validate(); err != nil {
		t.Errorf("700 hours from March: %v", err)
	}
	// A category may not be called outage (its addresses would clash).
	p = loadOutage(t, func(p *Portfolio) { p.Partnerships[0].Categories[0].ID = "outage" })
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "categories[0].id") {
		t.Errorf("category outage: %v", err)
	}
}

// TestOutageDowntimeMemo: the downtime memo line is the month's hours as
// given, capped at the month's hours (January 744, February 672), in
// hours, not money: no subtotal sums it, FX conversion leaves it as
// given while it converts the money lines, and its totals are the sums
// of the hours (the metric reads the same sum).
func TestOutageDowntimeMemo(t *testing.T) {
	t.Parallel()
	for l := Line(0); l < NumLines; l++ {
		if l.IsMoney() != (l != LineOutageDowntime) {
			t.Errorf("%s: IsMoney %v", l, l.IsMoney())
		}
		for _, term := range l.Terms() {
			if !term.Line.IsMoney() {
				t.Errorf("subtotal %s sums %s, which is hours", l, term.Line)
			}
		}
	}
	p := loadOutage(t, nil)
	const addr = "amazon-us/outage/downtime_hours"
	m, err := BuildModel(p, ModelOptions{ByMonth: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	i, _ := m.Index(addr)
	over := graph.Overrides{}
	for mo, h := range []string{"1.6", "700", "0"} {
		over[graph.DriverMonth{Driver: int32(i), Month: int32(mo)}] = dec(h)
	}
	st, err := m.Evaluate(nil, over)
	if err != nil {
		t.Fatal(err)
	}
	own := st.Partnerships[0].Total
	for mo, want := range []string{"1.6", "672", "0"} {
		if got := own.Monthly[mo][LineOutageDowntime]; !got.Equal(dec(want)) {
			t.Errorf("month %d: downtime %s hours, want %s", mo, got, want)
		}
	}
	if got := st.Portfolio.Total[LineOutageDowntime]; !got.Equal(dec("673.6")) {
		t.Errorf("portfolio downtime %s hours over the horizon, want 673.6", got)
	}
	v, err := Output{Metric: MetricOutageDowntime}.Of(st)
	if err != nil || !v.Amount.Equal(dec("673.6")) {
		t.Errorf("metric %s = %+v, %v, want 673.6", MetricOutageDowntime, v, err)
	}
	// The hours metric is a volume (the workbook formats it as a
	// quantity and reports no VaR or P(loss) of it); the money ones not.
	if !MetricOutageDowntime.IsVolume() || MetricOutageCredit.IsVolume() || MetricOutageLostGMV.IsVolume() || MetricContributionRatio.IsVolume() {
		t.Error("IsVolume: want true for outage_downtime_hours only (and orders)")
	}
	if !st.Partnerships[0].Outage {
		t.Error("PartnershipStatement.Outage is false for a partnership with outage terms")
	}

	// Priced in EUR at 1.1 USD per EUR: January's money lines convert
	// (credit 3,000 → 3,300; lost GMV 90 → 99), its 7.44 hours do not.
	fx := loadOutage(t, func(p *Portfolio) {
		p.FX = []FXRate{{Currency: "EUR", Rate: dec("1.1")}}
		p.Partnerships[0].Currency = "EUR"
	})
	a := evalT(t, fx).Partnerships[0].Total.Monthly[0]
	for _, c := range []struct {
		l    Line
		want string
	}{{LineOutageDowntime, "7.44"}, {LineOutageCredit, "3300"}, {LineOutageLostGMV, "99"}} {
		if !a[c.l].Equal(dec(c.want)) {
			t.Errorf("EUR partnership: %s = %s, want %s", c.l, a[c.l], c.want)
		}
	}
}
