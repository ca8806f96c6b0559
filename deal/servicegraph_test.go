package deal

import (
	"math"
	"testing"

	"github.com/marginalhq/marginal/montecarlo"
	"github.com/shopspring/decimal"
)

// exactMonth is one month of hours hours through the service graph's
// exact back end (money to the cent).
func exactMonth(t *testing.T, s *Service, out outage[decimal.Decimal], hours, gmv, contribution decimal.Decimal, withContingency bool) serviceFigures[decimal.Decimal] {
	t.Helper()
	sg := newServiceGraph(s, []int64{hours.IntPart()}, 2)
	f, err := sg.exact([]outage[decimal.Decimal]{out}, []decimal.Decimal{gmv}, []decimal.Decimal{contribution})
	if err != nil {
		t.Fatal(err)
	}
	if withContingency {
		return f[1][0]
	}
	return f[0][0]
}

// floatMonth is the same month through the graph's float tape: the
// impact with and without the contingency and credit + penalty.
func floatMonth(t *testing.T, s *Service, out outage[float64], hours int64, gmv, contribution float64) (with, without, credits float64) {
	t.Helper()
	sg := newServiceGraph(s, []int64{hours}, 2)
	f, err := sg.float([][]outage[float64]{{out}}, [][]float64{{gmv}}, [][]float64{{contribution}})
	if err != nil {
		t.Fatal(err)
	}
	return f.With[0][0], f.Without[0][0], f.Credits[0]
}

func bandService() *Service {
	return &Service{UptimeCommitment: d("0.999"), MonthlyFee: d("1000"), Direction: "earned", Credits: []CreditBand{
		{From: d("0.99"), To: d("0.999"), Share: d("0.10")},
		{From: d("0.95"), To: d("0.99"), Share: d("0.25")},
		{From: d("0"), To: d("0.95"), Share: d("1")},
	}}
}

// TestGraphCreditBandEdgesExactAndFloat: in a 720-hour month the band
// edges are at 0.72 hours down (99.9 %: no credit), 7.2 (99 %: the lower
// edge of the 10 % band), 36 (95 %: the lower edge of the 25 % band) and
// 720 (0 % up: 100 %); a hair past each edge falls in the band below.
// The fee is 1000, so the credit is 1000 × share by hand; with no GMV,
// no penalty and no contingency the impact is the credit. Both back ends
// give it: the float tape takes an uptime within 1e−14 of an edge as on
// it, as the exact model puts it there.
func TestGraphCreditBandEdgesExactAndFloat(t *testing.T) {
	t.Parallel()
	s := bandService()
	for _, c := range []struct {
		hours  string
		credit float64
	}{
		{"0", 0}, {"0.72", 0}, {"0.7201", 100}, {"7.2", 100}, {"7.2001", 250},
		{"36", 250}, {"36.0001", 1000}, {"720", 1000}, {"800", 1000},
	} {
		m := exactMonth(t, s, outage[decimal.Decimal]{Hours: d(c.hours), LongEvents: zero}, d("720"), zero, zero, false)
		if want := decimal.NewFromFloat(c.credit); !m.Credit.Equal(want) || !m.Impact.Equal(want) {
			t.Errorf("exact: %s hours down of 720: credit %s, impact %s, want %s", c.hours, m.Credit, m.Impact, want)
		}
		h, _ := d(c.hours).Float64()
		_, without, credits := floatMonth(t, s, outage[float64]{Hours: h}, 720, 0, 0)
		if without != c.credit || credits != c.credit {
			t.Errorf("float: %s hours down of 720: impact %g, credits %g, want %g", c.hours, without, credits, c.credit)
		}
	}
	// Paid credits are the same amounts with the sign turned.
	s.Direction = "paid"
	if m := exactMonth(t, s, outage[decimal.Decimal]{Hours: d("7.2")}, d("720"), zero, zero, false); !m.Impact.Equal(d("-100")) {
		t.Errorf("paid at 99 %%: impact %s, want −100", m.Impact)
	}
}

// TestGraphLostGMVRecovery: a 744-hour month (31 days), 18.6 hours down
// (2.5 %), GMV 80000, contribution 12000 (15 %), recovery 0.3: lost GMV
// 80000 × 0.025 × 0.7 = 1400 and its contribution 1400 × 0.15 = 210 by
// hand; no band (uptime 97.5 % is above a 97 % commitment), so the
// impact is −210. Float agrees to 1e−9.
func TestGraphLostGMVRecovery(t *testing.T) {
	t.Parallel()
	s := &Service{UptimeCommitment: d("0.97"), MonthlyFee: d("5000"), Direction: "earned",
		Credits: []CreditBand{{From: d("0"), To: d("0.97"), Share: d("0.5")}}, Recovery: d("0.3")}
	m := exactMonth(t, s, outage[decimal.Decimal]{Hours: d("18.6")}, d("744"), d("80000"), d("12000"), false)
	if !m.Uptime.Equal(d("0.975")) || !m.LostGMV.Equal(d("1400")) || !m.LostMargin.Equal(d("210")) || !m.Credit.IsZero() || !m.Impact.Equal(d("-210")) {
		t.Errorf("figures %+v, want uptime 0.975, lost GMV 1400, lost contribution 210, impact −210", m)
	}
	_, without, _ := floatMonth(t, s, outage[float64]{Hours: 18.6}, 744, 80000, 12000)
	if math.Abs(without+210) > 1e-9 {
		t.Errorf("float impact %g, want −210", without)
	}
	// Full recovery loses nothing; none loses 2000 of GMV (300 of contribution).
	for _, c := range []struct{ rec, lost, margin string }{{"1", "0", "0"}, {"0", "2000", "300"}} {
		s.Recovery = d(c.rec)
		m := exactMonth(t, s, outage[decimal.Decimal]{Hours: d("18.6")}, d("744"), d("80000"), d("12000"), false)
		if !m.LostGMV.Equal(d(c.lost)) || !m.LostMargin.Equal(d(c.margin)) {
			t.Errorf("recovery %s: lost GMV %s, contribution %s, want %s and %s", c.rec, m.LostGMV, m.LostMargin, c.lost, c.margin)
		}
	}
}

// TestGraphContingencyDifferenceByHand: one fixed-downtime month (7.2 of
// 720 hours, 1 %), GMV 100000, contribution 20000 (20 %), recovery 0.4.
// Without a contingency the lost GMV is 100000 × 0.01 × 0.6 = 600; the
// fallback carries 75 % of it back (450 of GMV, 450 × 0.2 = 90 of
// contribution) at 7.2 × 50 + 100 = 460. So with − without =
// recovered contribution − fallback cost = 90 − 460 = −370 by hand; the
// credit (10 % of 1000) is the same on both sides and cancels. The tape
// gives the same difference.
func TestGraphContingencyDifferenceByHand(t *testing.T) {
	t.Parallel()
	s := &Service{UptimeCommitment: d("0.999"), MonthlyFee: d("1000"), Direction: "earned",
		Credits:     []CreditBand{{From: d("0.98"), To: d("0.999"), Share: d("0.1")}},
		Recovery:    d("0.4"),
		Contingency: &Contingency{FallbackShare: d("0.75"), CostPerHour: d("50"), StandbyMonthly: d("100")}}
	out := outage[decimal.Decimal]{Hours: d("7.2")}
	with := exactMonth(t, s, out, d("720"), d("100000"), d("20000"), true)
	without := exactMonth(t, s, out, d("720"), d("100000"), d("20000"), false)
	if diff := with.Impact.Sub(without.Impact); !diff.Equal(d("-370")) {
		t.Errorf("exact: with %s − without %s = %s, want 90 − 460 = −370", with.Impact, without.Impact, diff)
	}
	if recovered := without.LostGMV.Sub(with.LostGMV); !recovered.Equal(d("450")) || !with.FallbackCost.Equal(d("460")) {
		t.Errorf("recovered GMV %s, fallback %s, want 450 and 460", recovered, with.FallbackCost)
	}
	fw, fo, _ := floatMonth(t, s, outage[float64]{Hours: 7.2}, 720, 100000, 20000)
	if math.Abs(fw-fo+370) > 1e-9 {
		t.Errorf("float: with %g − without %g, want −370", fw, fo)
	}
}

// TestGraphContingencyCommonRandomNumbers: on drawn outages (Poisson
// incidents of lognormal length, 300 trials × 3 months of 720 hours)
// both variants read the same draw, so each trial-month's with − without
// is, by hand, recovered contribution − fallback cost:
// GMV × min(D, H)/H × (1 − recovery) × fallback share × margin −
// (min(D, H) × cost per hour + standby).
func TestGraphContingencyCommonRandomNumbers(t *testing.T) {
	t.Parallel()
	s := &Service{UptimeCommitment: d("0.999"), MonthlyFee: d("1000"), Direction: "earned",
		Credits:           []CreditBand{{From: d("0"), To: d("0.999"), Share: d("0.1")}},
		IncidentsPerMonth: 2, DurationMeanHours: 5, DurationSDHours: 8, Recovery: d("0.4"),
		Contingency: &Contingency{FallbackShare: d("0.75"), CostPerHour: d("50"), StandbyMonthly: d("100")}}
	const trials, months = 300, 3
	outs := make([][]outage[float64], trials)
	gmv, contr := make([][]float64, trials), make([][]float64, trials)
	for k := range trials {
		outs[k] = s.drawOutages(montecarlo.Stream(5, "crn", k), months)
		gmv[k], contr[k] = []float64{100000, 90000, 120000}, []float64{20000, 9000, 30000}
	}
	f, err := newServiceGraph(s, []int64{720, 720, 720}, 2).float(outs, gmv, contr)
	if err != nil {
		t.Fatal(err)
	}
	for k := range trials {
		for i := range months {
			dh := math.Min(outs[k][i].Hours, 720)
			want := gmv[k][i]*dh/720*0.6*0.75*(contr[k][i]/gmv[k][i]) - (dh*50 + 100)
			if got := f.With[k][i] - f.Without[k][i]; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("trial %d month %d (%.4f h): with − without %g, want %g", k, i, dh, got, want)
			}
		}
	}
}
