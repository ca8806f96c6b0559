package actuals

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// planOrders are actuals carrying only the plan's orders up to cut
// (offset): the actual months are the plan's volumes, every other
// driver the plan's.
func planOrders(t *testing.T, p *costmodel.Portfolio, cut int) *Actuals {
	t.Helper()
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	a := &Actuals{CutOff: p.Start.Add(cut)}
	for i, ps := range p.Partnerships {
		for j, c := range ps.Categories {
			for m := ps.LaunchMonth; m <= cut; m++ {
				a.Records = append(a.Records, Record{Month: p.Start.Add(m), Partnership: ps.ID, Category: c.ID, Measure: Orders,
					Value: st.Partnerships[i].Categories[j].Orders[m]})
			}
		}
	}
	return a
}

func sameStatement(t *testing.T, what string, want, got *costmodel.Statement) {
	t.Helper()
	for i := range want.Partnerships {
		w, g := &want.Partnerships[i], &got.Partnerships[i]
		for m := range w.Total.Monthly {
			for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
				if !w.Total.Monthly[m][l].Equal(g.Total.Monthly[m][l]) {
					t.Fatalf("%s: %s %s month %d: got %s, want %s", what, w.ID, l, m, g.Total.Monthly[m][l], w.Total.Monthly[m][l])
				}
				for j := range w.Categories {
					if !w.Categories[j].Monthly[m][l].Equal(g.Categories[j].Monthly[m][l]) {
						t.Fatalf("%s: %s/%s %s month %d: got %s, want %s", what, w.ID, w.Categories[j].ID, l, m, g.Categories[j].Monthly[m][l], w.Categories[j].Monthly[m][l])
					}
				}
			}
		}
	}
}

// With every actual equal to plan, the actual statement and every stage
// of the bridge are the plan's statement to the cent.
func TestActualsEqualPlanGivePlan(t *testing.T) {
	t.Parallel()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(p, planOrders(t, p, 11))
	if err != nil {
		t.Fatal(err)
	}
	for k := range len(Effects) + 1 {
		st, _ := m.Stage(k)
		sameStatement(t, fmt.Sprintf("stage %d", k), m.Plan(), st)
	}
	b, err := m.Bridge(costmodel.Output{Scope: costmodel.ScopePortfolio})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range b.Effects {
		if !e.Amount.IsZero() {
			t.Errorf("%s effect %s with actuals equal to plan", e.Effect, e.Amount)
		}
	}
}

// twoCategories is one partnership over one month: category a (price 10,
// cost 4) and b (price 20, cost 12), 100 orders each, one item an order,
// a 10 % commission, nothing else. Contribution per order: a 5, b 6.
func twoCategories() *costmodel.Portfolio {
	cat := func(id, price, cost string) costmodel.Category {
		return costmodel.Category{ID: id, Orders: d("100"), Price: d(price), UnitsPerOrder: d("1"), UnitCost: d(cost)}
	}
	return &costmodel.Portfolio{Currency: "USD", Start: costmodel.Month{Year: 2026, Month: time.January}, Months: 1, DiscountRate: d("0.1"),
		Partnerships: []costmodel.Partnership{{ID: "mkt", Channel: "marketplace", Commission: &costmodel.Commission{Rate: d("0.1")},
			Categories: []costmodel.Category{cat("a", "10", "4"), cat("b", "20", "12")}}}}
}

// The bridge of a two-category month, computed by hand with the
// textbook definitions: actual orders a 150, b 90 (plan 100 each); b's
// GMV 1980 (price 22); a's COGS 750 (unit cost 5).
//
//	plan contribution   100 × 5 + 100 × 6                        = 1100
//	volume   (240 − 200) × plan contribution per order 5.5         = +220
//	mix      (150/240 − ½) × 240 × 5 + (90/240 − ½) × 240 × 6      =  −30
//	price    90 × (22 − 20) × (1 − 10 %)                           = +162
//	unit cost 150 × (4 − 5)                                        = −150
//	actual   150 × (10 − 5 − 1) + 90 × (22 − 12 − 2.2)             = 1302
func TestBridgeTwoCategoriesByHand(t *testing.T) {
	t.Parallel()
	p := twoCategories()
	csv := "month,partnership,category,measure,value\n" +
		"2026-01,mkt,a,orders,150\n2026-01,mkt,b,orders,90\n2026-01,mkt,b,gmv,1980\n2026-01,mkt,a,cogs,750\n"
	a, err := ReadCSV(bytes.NewBufferString(csv), p, costmodel.Month{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(p, a)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Bridge(costmodel.Output{Scope: costmodel.ScopePortfolio, Metric: costmodel.MetricContribution})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Effect]string{EffectVolume: "220", EffectMix: "-30", EffectPrice: "162", EffectUnitCost: "-150"}
	if !b.Plan.Equal(d("1100")) || !b.Actual.Equal(d("1302")) {
		t.Errorf("plan %s, actual %s; want 1100 and 1302", b.Plan, b.Actual)
	}
	for _, e := range b.Effects {
		w := want[e.Effect]
		if w == "" {
			w = "0"
		}
		if !e.Amount.Equal(d(w)) {
			t.Errorf("%s effect %s, want %s", e.Effect, e.Amount, w)
		}
	}
	// Category b alone: no volume of its own beyond the partnership's
	// scaling (120 − 100) × 6 = 120, mix (90 − 120) × 6 = −180, price 162.
	b, err = m.Bridge(costmodel.Output{Scope: costmodel.ScopeCategory, Key: "b"})
	if err != nil {
		t.Fatal(err)
	}
	want = map[Effect]string{EffectVolume: "120", EffectMix: "-180", EffectPrice: "162"}
	for _, e := range b.Effects {
		w := want[e.Effect]
		if w == "" {
			w = "0"
		}
		if !e.Amount.Equal(d(w)) {
			t.Errorf("category b: %s effect %s, want %s", e.Effect, e.Amount, w)
		}
	}
}

// randomActuals draws actuals around the plan: each figure the plan
// implies, times a factor from 0.5 to 1.5, rounded to the cent or the
// unit, for every measure the portfolio can take.
func randomActuals(t *testing.T, p *costmodel.Portfolio, cut int, rng *rand.Rand) *Actuals {
	t.Helper()
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	f := func(x decimal.Decimal, places int32) decimal.Decimal {
		return x.Mul(decimal.NewFromFloat(0.5 + rng.Float64())).Round(places)
	}
	a := &Actuals{CutOff: p.Start.Add(cut)}
	add := func(m int, ps, cat string, ms Measure, v decimal.Decimal) {
		a.Records = append(a.Records, Record{Month: p.Start.Add(m), Partnership: ps, Category: cat, Measure: ms, Value: v})
	}
	for i, ps := range p.Partnerships {
		for m := ps.LaunchMonth; m <= cut; m++ {
			for j, c := range ps.Categories {
				row := &st.Partnerships[i].Categories[j]
				n := f(row.Orders[m], 0).Add(decimal.NewFromInt(1))
				add(m, ps.ID, c.ID, Orders, n)
				aov := row.Monthly[m][costmodel.LineGMV].DivRound(row.Orders[m].Add(decimal.NewFromInt(1)), 6)
				add(m, ps.ID, c.ID, GMV, f(aov.Mul(n), 2).Add(n.Mul(c.ShippingCharge)))
				items := n.Mul(c.UnitsPerOrder)
				if rng.IntN(2) == 0 {
					add(m, ps.ID, c.ID, ReturnedItems, f(items.Mul(c.ReturnRate), 0).Floor())
				}
				add(m, ps.ID, c.ID, COGS, f(items.Mul(c.UnitCost).Mul(decimal.NewFromFloat(0.9)), 2))
				add(m, ps.ID, c.ID, Fulfilment, f(items.Mul(c.FulfilmentCost), 2))
				add(m, ps.ID, c.ID, Shipping, f(n.Mul(c.ShippingCost), 2))
				if rng.IntN(3) == 0 {
					add(m, ps.ID, c.ID, Storage, f(c.StorageMonthly, 2))
				}
			}
			own := &st.Partnerships[i].Own.Monthly[m]
			if ps.DataTransfer != nil {
				add(m, ps.ID, "", DataTransferGB, f(ps.DataTransfer.FixedGB.Add(decimal.NewFromInt(500)), 1))
			}
			if ps.API != nil {
				add(m, ps.ID, "", APICalls, f(ps.API.FixedCalls.Add(decimal.NewFromInt(1e6)), 0))
			}
			if ps.Support != nil && len(ps.Categories) > 0 {
				add(m, ps.ID, "", SupportTickets, decimal.NewFromInt(int64(rng.IntN(200))))
			}
			if ps.Marketing != nil {
				add(m, ps.ID, "", Marketing, f(own[costmodel.LineMarketingFixed].Add(decimal.NewFromInt(1000)), 2))
			}
			if len(ps.Maintenance) > 0 && rng.IntN(2) == 0 {
				add(m, ps.ID, "", Maintenance, f(own[costmodel.LineMaintenance].Add(decimal.NewFromInt(100)), 2))
			}
			if ps.Commission != nil && len(ps.Commission.Tiers) == 0 && rng.IntN(2) == 0 {
				add(m, ps.ID, "", CommissionRate, decimal.Min(f(ps.Commission.Rate, 4), decimal.NewFromInt(1)))
			}
		}
	}
	return a
}

// On random plans and actuals the effects sum to the total variance to
// the cent, for every scope and for month, quarter and horizon windows.
func TestBridgeFootsOnRandomPlans(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(14, 14))
	for trial := range 6 {
		p := sample.Benchmark(2+trial%4, 1+trial%3, 6+trial)
		cut := rng.IntN(p.Months)
		a := randomActuals(t, p, cut, rng)
		if err := Check(a, p); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		m, err := NewModel(p, a)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		var outs []costmodel.Output
		windows := []costmodel.Window{{}}
		for _, k := range []costmodel.WindowKind{costmodel.WindowMonth, costmodel.WindowQuarter} {
			ws, _ := costmodel.EachWindow(k, 0, p.Start, p.Months)
			windows = append(windows, ws...)
		}
		st := m.Plan()
		for _, w := range windows {
			outs = append(outs, costmodel.Output{Scope: costmodel.ScopePortfolio, Window: w})
			for _, ps := range st.Partnerships {
				outs = append(outs, costmodel.Output{Scope: costmodel.ScopePartnership, Key: ps.ID, Window: w})
				for _, c := range ps.Categories {
					outs = append(outs, costmodel.Output{Scope: costmodel.ScopeChannelCategory, Key: ps.Channel + "/" + c.ID, Window: w, Metric: costmodel.MetricCM3})
				}
			}
			for _, r := range st.ByCategory {
				outs = append(outs, costmodel.Output{Scope: costmodel.ScopeCategory, Key: r.Key, Window: w})
			}
		}
		moved := false
		for _, o := range outs {
			b, err := m.Bridge(o)
			if err != nil {
				t.Fatalf("trial %d %s: %v", trial, o, err)
			}
			sum := b.Plan
			for _, e := range b.Effects {
				sum = sum.Add(e.Amount)
				if !e.Amount.IsZero() {
					moved = true
				}
			}
			if !sum.Equal(b.Actual) {
				t.Errorf("trial %d %s: plan %s + effects = %s, actual %s", trial, o, b.Plan, sum, b.Actual)
			}
			if _, a, err := m.Compare(b.Output); err != nil || !a.Amount.Equal(b.Actual) {
				t.Errorf("trial %d %s: bridge actual %s, Compare %s", trial, o, b.Actual, a.Amount)
			}
		}
		if !moved {
			t.Errorf("trial %d: no effect moved: the random actuals test nothing", trial)
		}
	}
}

// With every actual equal to plan, the re-forecast by either method is
// the plan, to the cent.
func TestReforecastOfPlanIsPlan(t *testing.T) {
	t.Parallel()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(p, planOrders(t, p, 8))
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []Method{PlanUnchanged, RunRate} {
		rf, err := m.Reforecast(method, 3)
		if err != nil {
			t.Fatal(err)
		}
		sameStatement(t, string(method), m.Plan(), rf.Statement)
	}
}

// A run-rate re-forecast scales the remaining months by the trailing
// actual/plan ratio: the two-category month pushed to a 2-month horizon,
// a at 150/100 of plan, so a's second month has 150 orders.
func TestReforecastRunRate(t *testing.T) {
	t.Parallel()
	p := twoCategories()
	p.Months = 2
	csv := "month,partnership,category,measure,value\n2026-01,mkt,a,orders,150\n2026-01,mkt,b,orders,90\n"
	a, err := ReadCSV(bytes.NewBufferString(csv), p, costmodel.Month{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(p, a)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := m.Reforecast(RunRate, 1)
	if err != nil {
		t.Fatal(err)
	}
	st := rf.Statement
	if got := st.Partnerships[0].Categories[0].Orders[1]; !got.Equal(d("150")) {
		t.Errorf("a's re-forecast orders %s, want 150", got)
	}
	// Month 2: a 150 × 5 + b 90 × 6 = 1290.
	if got := st.Portfolio.Monthly[1][costmodel.LineContribution]; !got.Equal(d("1290")) {
		t.Errorf("re-forecast contribution of month 2 %s, want 1290", got)
	}
	if _, err := m.Reforecast(RunRate, 2); err == nil {
		t.Error("a span longer than the actual months was accepted")
	}
}

// The re-forecast as a portfolio evaluates, through costmodel.Evaluate,
// to the re-forecast statement within a cent a line (its adjustment
// values are rounded to 12 places, as inputs are).
func TestReforecastPortfolioMatches(t *testing.T) {
	t.Parallel()
	m, _ := sampleModel(t)
	for _, method := range []Method{PlanUnchanged, RunRate} {
		rf, err := m.Reforecast(method, 3)
		if err != nil {
			t.Fatal(err)
		}
		q, err := m.Portfolio(method, 3)
		if err != nil {
			t.Fatal(err)
		}
		st, err := costmodel.Evaluate(q)
		if err != nil {
			t.Fatal(err)
		}
		cent := d("0.01")
		for i := range st.Partnerships {
			for mo := range st.Months {
				for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
					w, g := rf.Statement.Partnerships[i].Own.Monthly[mo][l], st.Partnerships[i].Own.Monthly[mo][l]
					if g.Sub(w).Abs().GreaterThan(cent) {
						t.Fatalf("%s: %s own %s month %d: portfolio %s, re-forecast %s", method, st.Partnerships[i].ID, l, mo, g, w)
					}
					for j := range st.Partnerships[i].Categories {
						w, g := rf.Statement.Partnerships[i].Categories[j].Monthly[mo][l], st.Partnerships[i].Categories[j].Monthly[mo][l]
						if g.Sub(w).Abs().GreaterThan(cent) {
							t.Fatalf("%s: %s/%s %s month %d: portfolio %s, re-forecast %s", method, st.Partnerships[i].ID, st.Partnerships[i].Categories[j].ID, l, mo, g, w)
						}
					}
				}
			}
		}
	}
}
