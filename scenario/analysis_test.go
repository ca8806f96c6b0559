package scenario

import (
	"errors"
	"math"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// On testdata/small.json, market's fee base is $25 × 370 items = 9,250 and
// 37 items come back, refunding 80 % of their fee, so the net commission
// at flat rate r is 9,250r − 740r = 8,510r, and market's contribution is
// 1,476 at r = 0.15:
//
//	U(r) = 1,476 + (0.15 − r) × 8,510 = 2,752.50 − 8,510r
//
// (the $0.30 minimum does not bind above r = 0.012).
func TestBreakEvenRateByHand(t *testing.T) {
	t.Parallel()
	p := small(t)
	sol, err := BreakEvenRate(p, "market", decimal.Zero)
	if err != nil {
		t.Fatal(err)
	}
	want := 2752.5 / 8510
	// A cent of rounding in each of 3 months × 4 commission lines moves r
	// by at most 0.12 / 8,510 ≈ 1.4e-5.
	if math.Abs(sol.Value.InexactFloat64()-want) > 1.5e-5 {
		t.Errorf("break-even rate %s, want %.8f", sol.Value, want)
	}
	// Re-evaluate at the solution: the target is met within the
	// tolerance's effect on the output (slope 8,510 × 1e-9) plus one
	// rounding step of the lines.
	q := p.Clone()
	q.Set("market/commission/rate", sol.Value)
	ps, _ := eval(t, q).Partnership("market")
	if c := ps.Total.Total[costmodel.LineContribution]; c.Abs().GreaterThan(dec("0.05")) {
		t.Errorf("contribution at the solution = %s", c)
	}
	if !sol.Output.Amount.Equal(ps.Total.Total[costmodel.LineContribution]) {
		t.Errorf("reported output %s differs from re-evaluation", sol.Output.Amount)
	}
	// No solution: a goal beyond what any rate gives.
	_, err = BreakEvenRate(p, "market", dec("1000000"))
	var ns *NoSolutionError
	// At r = 0 the $0.30 minimum binds: 2,752.50 − 370 × 0.30 + 37 × 0.30
	// × 0.8 = 2,650.38; at r = 1, 2,752.50 − 8,510 = −5,757.50.
	if !errors.As(err, &ns) || !ns.AtLo.Amount.Equal(dec("2650.38")) || !ns.AtHi.Amount.Equal(dec("-5757.5")) {
		t.Errorf("no-solution error %v", err)
	}
	// Tiered terms have no single rate.
	if _, err := BreakEvenRate(p, "shop", decimal.Zero); err == nil {
		t.Error("break-even rate of a partnership without commission accepted")
	}
}

func TestLargestSafeDiscount(t *testing.T) {
	t.Parallel()
	p := small(t)
	out := Output{Scope: Category, Key: "mugs", Metric: CM2Ratio}
	min := dec("0.35")
	sol, err := LargestSafeDiscount(p, "*/mugs", out, min, dec("0.5"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(cut decimal.Decimal) Value {
		q := p.Clone()
		for _, tg := range []string{"*/mugs/price", "*/mugs/price_mix/*/price"} {
			q.Update(tg, func(d costmodel.Driver) (decimal.Decimal, error) {
				return d.Value.Mul(decimal.NewFromInt(1).Sub(cut)), nil
			})
		}
		v, _ := out.Of(eval(t, q))
		return v
	}
	at := check(sol.Value)
	if at.Amount.Sub(min).Abs().GreaterThan(dec("0.00001")) {
		t.Errorf("CM2 ratio at the solution %s = %s, want %s", sol.Value, at.Amount, min)
	}
	if !check(sol.Value.Add(dec("0.001"))).Amount.LessThan(min) {
		t.Error("a deeper cut still keeps the guardrail: not the largest")
	}
	if sol.Value.Sign() <= 0 || !sol.Value.LessThan(dec("0.5")) {
		t.Errorf("cut %s outside the bracket", sol.Value)
	}
}

func TestVolumeForPayback(t *testing.T) {
	t.Parallel()
	p := small(t)
	// market pays back in month 3; ask for month 2.
	sol, err := VolumeForPayback(p, "market", 2, dec("10"))
	if err != nil {
		t.Fatal(err)
	}
	q := p.Clone()
	k := sol.Value.Add(dec("0.000001"))
	q.Update("market/*/orders", func(d costmodel.Driver) (decimal.Decimal, error) { return d.Value.Mul(k), nil })
	ps, _ := eval(t, q).Partnership("market")
	if !ps.Measures.Payback.Reached || ps.Measures.Payback.Month > 2 {
		t.Errorf("payback at k = %s: %+v", k, ps.Measures.Payback)
	}
	if sol.Output.Amount.Abs().GreaterThan(dec("0.05")) || sol.Value.LessThanOrEqual(decimal.NewFromInt(1)) {
		t.Errorf("solution %+v", sol)
	}
}

// The two-sided case on testdata/small.json's market, with the partner
// paying $1 per order and $50 a month to serve us (3 active months):
//
//	partner V(r) = 8,510r − 370 − 150 = 8,510r − 520 → floor 520 / 8,510
//	ours    U(r) = 2,752.50 − 8,510r                → break-even 2,752.50 / 8,510
//	Nash (equal split): U = V → r = 3,272.50 / 17,020; each side 1,116.25
func TestFairnessByHand(t *testing.T) {
	t.Parallel()
	p := small(t)
	prop, _ := FeeChange(p, FeeChangeOptions{Partnership: "market", PercentagePoints: dec("0.03")})
	fs, err := Fairness(p, Negotiation{
		Partnership: "market",
		Partner:     PartnerCosts{PerOrder: dec("1"), Monthly: dec("50")},
		Proposed:    &prop,
	})
	if err != nil {
		t.Fatal(err)
	}
	near := func(name string, v Value, want float64) {
		if !v.Valid || math.Abs(v.Amount.InexactFloat64()-want) > 1.5e-5 {
			t.Errorf("%s = %v, want %.8f", name, v, want)
		}
	}
	near("partner floor", fs.PartnerFloor, 520.0/8510)
	near("our break-even", fs.OurBreakEven, 2752.5/8510)
	near("Nash", fs.Nash, 3272.5/17020)
	if !fs.HasRange {
		t.Error("no bargaining range")
	}
	if !fs.Current.Ours.Equal(dec("1476")) || !fs.Current.Partner.Equal(dec("756.50")) { // 8510 × 0.15 − 520
		t.Errorf("current sides %+v", fs.Current)
	}
	if !fs.Surplus.Equal(dec("2232.50")) {
		t.Errorf("surplus %s, want 2232.50", fs.Surplus)
	}
	if fs.AtNash.Ours.Sub(dec("1116.25")).Abs().GreaterThan(dec("0.05")) || fs.AtNash.Partner.Sub(dec("1116.25")).Abs().GreaterThan(dec("0.05")) {
		t.Errorf("at Nash %+v, want 1116.25 each", fs.AtNash)
	}
	// Proposed +3 points moves 8,510 × 0.03 = 255.30 from us to them.
	if fs.Proposed == nil || !fs.Proposed.Ours.Equal(dec("1220.70")) || !fs.Proposed.Partner.Equal(dec("1011.80")) {
		t.Errorf("proposed %+v", fs.Proposed)
	}
	if len(fs.Months) != 3 || !fs.Months[0].OursCurrent.Sub(fs.Months[0].OursProposed).Equal(dec("103.5")) { // 3,750 × 0.03 − 15 × 0.75 × 0.8
		t.Errorf("months %+v", fs.Months)
	}
	// The curve: 1.25 × the break-even 0.3234 rounds up to 45 %, so 21
	// rates 2.25 points apart, each side on its line (each amount is
	// rounded per category and month, hence 10 cents) above 1.2 %, where
	// the $0.30 minimum per $25 item stops binding; at every rate the two
	// sides add up to the surplus (commission moves money between them).
	if !fs.CurveMax.Equal(dec("0.45")) || len(fs.Curve) != CurvePoints {
		t.Errorf("curve to %s with %d points, want 45 %% and %d", fs.CurveMax, len(fs.Curve), CurvePoints)
	}
	for k, s := range fs.Curve {
		r := 0.0225 * float64(k)
		if !s.Ours.Add(s.Partner).Equal(dec("2232.50")) {
			t.Errorf("curve point %d: %+v does not add up to the surplus", k, s)
		}
		if k == 0 {
			continue
		}
		if math.Abs(s.Rate.InexactFloat64()-r) > 1e-12 || math.Abs(s.Ours.InexactFloat64()-(2752.5-8510*r)) > 0.1 || math.Abs(s.Partner.InexactFloat64()-(8510*r-520)) > 0.1 {
			t.Errorf("curve point %d: %+v, want rate %.4f, ours %.2f, partner %.2f", k, s, r, 2752.5-8510*r, 8510*r-520)
		}
	}
	if fs.Negotiation.Partner.PerOrder.String() != "1" {
		t.Errorf("the negotiation's inputs are not recorded: %+v", fs.Negotiation)
	}
	// A partner that costs more to serve than any rate pays: no range.
	fs, err = Fairness(p, Negotiation{Partnership: "market", Partner: PartnerCosts{Monthly: dec("1000")}, OurNoDeal: dec("2000")})
	if err != nil {
		t.Fatal(err)
	}
	if fs.HasRange || fs.Nash.Valid {
		t.Errorf("range where there is none: %+v", fs)
	}
	w := dec("1.5")
	if _, err := Fairness(p, Negotiation{Partnership: "market", OurWeight: &w, Partner: PartnerCosts{PerOrder: dec("-1")}}); err == nil {
		t.Error("bad weight and negative cost accepted")
	}
}

// A tornado whose ranking is known in advance (portfolio contribution,
// each input ±10 %):
//
//	market unit cost: COGS 2,664 → swing 532.80
//	shop orders:      shop CM2 2,427.20, all variable → swing 485.44
//	market orders:    variable contribution 1,776 → swing 355.20
//	market rate:      net commission 1,276.50 → swing 255.30
func TestTornadoRanking(t *testing.T) {
	t.Parallel()
	p := small(t)
	ten := dec("0.1")
	inputs := []Input{
		Percent("market/commission/rate", ten),
		Percent("market/mugs/orders", ten),
		Percent("shop/mugs/orders", ten),
		Percent("market/mugs/unit_cost", ten),
	}
	tor, err := RunTornado(p, Output{Metric: Contribution}, inputs)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		target string
		swing  string
	}{{"market/mugs/unit_cost", "532.8"}, {"shop/mugs/orders", "485.44"}, {"market/mugs/orders", "355.2"}, {"market/commission/rate", "255.3"}}
	for i, w := range want {
		b := tor.Bars[i]
		if b.Input.Target != w.target || b.Swing.Sub(dec(w.swing)).Abs().GreaterThan(dec("0.03")) {
			t.Errorf("bar %d: %s swing %s, want %s swing %s", i, b.Input.Target, b.Swing, w.target, w.swing)
		}
	}
	if tor.Evaluations != 9 || !tor.Base.Amount.Equal(dec("3453.2")) {
		t.Errorf("evaluations %d base %s", tor.Evaluations, tor.Base)
	}
	if _, err := RunTornado(p, Output{Metric: Contribution}, []Input{Percent("nobody/x", ten), {Target: "market/mugs/orders", Op: costmodel.SetTo, Low: dec("-1"), High: dec("1")}}); err == nil {
		t.Error("bad inputs accepted")
	}
}

func TestSpiderAndTable(t *testing.T) {
	t.Parallel()
	p := small(t)
	steps := []decimal.Decimal{dec("0.9"), dec("1"), dec("1.1")}
	sp, err := RunSpider(p, Output{Metric: Contribution}, []string{"market/mugs/unit_cost"}, steps)
	if err != nil {
		t.Fatal(err)
	}
	v := sp.Lines[0].Values
	if !v[1].Amount.Equal(dec("3453.2")) || !v[0].Amount.Sub(v[2].Amount).Equal(dec("532.8")) {
		t.Errorf("spider %+v", v)
	}
	tab, err := RunTable(p, Output{Scope: Partnership, Key: "market", Metric: Contribution},
		Axis{Target: "market/commission/rate", Op: costmodel.SetTo, Values: []decimal.Decimal{dec("0.10"), dec("0.15")}},
		Axis{Target: "market/mugs/orders", Op: costmodel.Multiply, Values: []decimal.Decimal{dec("1"), dec("2")}})
	if err != nil {
		t.Fatal(err)
	}
	// At 15 % and base orders: 1,476; at 10 %: 1,476 + 0.05 × 8,510 = 1,901.50.
	if !tab.Cells[1][0].Amount.Equal(dec("1476")) || !tab.Cells[0][0].Amount.Equal(dec("1901.5")) {
		t.Errorf("table %+v", tab.Cells)
	}
	// Doubling orders doubles everything but the $100 a month of fixed
	// marketing: 2 × (1,476 + 300) − 300.
	if !tab.Cells[1][1].Amount.Equal(dec("3252")) {
		t.Errorf("table at 2× orders = %s, want 3252", tab.Cells[1][1].Amount)
	}
}

// A partner that earns per-order fees gains at every rate: its floor is 0,
// not "none", and the bargaining range and the Nash rate exist.
func TestFairnessFloorAtZero(t *testing.T) {
	t.Parallel()
	p := small(t)
	p.Partnerships[0].Commission.PerOrderFee = dec("0.30")
	fs, err := Fairness(p, Negotiation{Partnership: "market"})
	if err != nil {
		t.Fatal(err)
	}
	if !fs.PartnerFloor.Valid || !fs.PartnerFloor.Amount.IsZero() || !fs.HasRange || !fs.Nash.Valid {
		t.Errorf("floor %v, range %v, Nash %v", fs.PartnerFloor, fs.HasRange, fs.Nash)
	}
	// At the Nash rate both gains are equal (no costs, no outside options).
	if d := fs.AtNash.Ours.Sub(fs.AtNash.Partner).Abs(); d.GreaterThan(dec("0.05")) {
		t.Errorf("at Nash: ours %s, theirs %s", fs.AtNash.Ours, fs.AtNash.Partner)
	}
}

// An outage before a partnership launches loses nothing and recovers
// nothing elsewhere.
func TestOutageBeforeLaunch(t *testing.T) {
	t.Parallel()
	p := small(t)
	p.Partnerships[0].LaunchMonth = 1
	s, err := PartnerOutage(p, PartnerOutageOptions{Partnership: "market", Month: 0, Days: 30, Recovered: dec("1")})
	st := applyEval(t, p, s, err)
	if got := line(t, st, "shop", "mugs", 0, costmodel.LineGMV); !got.Equal(dec("1500")) {
		t.Errorf("shop November GMV %s, want 1500 (75 orders × $20)", got)
	}
}

func TestGuardrailWithoutScope(t *testing.T) {
	t.Parallel()
	st := eval(t, small(t))
	min := dec("1000000")
	b, err := Guardrails{{Metric: Contribution, Min: &min}}.Check("base", st)
	if err != nil || len(b) != 1 || b[0].Scope != Portfolio {
		t.Errorf("breaches %+v, %v", b, err)
	}
}
