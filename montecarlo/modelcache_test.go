package montecarlo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
)

// The compiled-model cache is keyed by the portfolio's content: a
// portfolio edited between two runs is validated and built again, and a
// cached run gives, bit for bit, what a run with an empty cache gives. Not
// parallel: it empties the cache.
func TestModelCacheFollowsContent(t *testing.T) {
	run := func(p *costmodel.Portfolio) *Result {
		t.Helper()
		r, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 500, Seed: 3, Outputs: []scenario.Output{contribution}})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	resetModelCache()
	p := loadPortfolio(t, "small.json")
	cold := run(p)
	warm := run(p) // from the cache
	if !slices.Equal(cold.Outputs[0].Samples, warm.Outputs[0].Samples) {
		t.Fatal("a cached run differs from the run that built the cache")
	}

	// 100 more a month of hosting over the 3 months: every trial's
	// contribution falls by exactly 300 (the unit costs, drawn on the same
	// seed, are the same draws).
	p.Partnerships[1].Maintenance[0].Monthly = dd("250")
	edited := run(p)
	for j, v := range edited.Outputs[0].Samples {
		if d := cold.Outputs[0].Samples[j] - v; math.Abs(d-300) > 1e-9 {
			t.Fatalf("trial %d: the edit moved the contribution by %v, want 300 (a stale cached model moves it by 0)", j, d)
		}
	}
	resetModelCache()
	fresh := run(p)
	if !slices.Equal(fresh.Outputs[0].Samples, edited.Outputs[0].Samples) {
		t.Error("after an edit, the run differs from a run with an empty cache")
	}

	// An edit that makes the portfolio invalid is caught: validation is
	// skipped only for content validated before.
	p.Partnerships[0].Categories[0].ReturnRate = dd("1.5")
	_, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 500, Seed: 3, Outputs: []scenario.Output{contribution}})
	if !errors.Is(err, costmodel.ErrInvalid) {
		t.Errorf("a return rate of 1.5 after a cached run: error %v, want a validation error", err)
	}
}

// The cache holds at most modelCacheSize portfolios, and at most
// tapesPerPortfolio tapes of each. Not parallel: it empties the cache.
func TestModelCacheIsBounded(t *testing.T) {
	resetModelCache()
	defer resetModelCache()
	p := loadPortfolio(t, "small.json")
	for i := range modelCacheSize + 2 {
		q := p.Clone()
		q.Partnerships[1].Maintenance[0].Monthly = dd(fmt.Sprint(150 + i))
		// A different output each time: a new tape of the same portfolio.
		for k := range tapesPerPortfolio + 2 {
			outs := []scenario.Output{{Scope: scenario.Portfolio, Metric: []scenario.Metric{scenario.Contribution, scenario.NPV, scenario.CM1, scenario.CM2, scenario.CM3, scenario.NetSales}[k]}}
			if _, err := Run(context.Background(), q, twoNormals(LHS), Options{Trials: 200, Seed: 1, Outputs: outs}); err != nil {
				t.Fatal(err)
			}
		}
	}
	modelCache.Lock()
	defer modelCache.Unlock()
	if n := len(modelCache.list); n != modelCacheSize {
		t.Errorf("%d portfolios cached, want %d", n, modelCacheSize)
	}
	for _, c := range modelCache.list {
		if n := len(c.tapes); n != tapesPerPortfolio {
			t.Errorf("%d tapes cached for a portfolio, want %d", n, tapesPerPortfolio)
		}
	}
}

// A tape whose build fails, even by a panic, fails the runs that asked
// for it and leaves the cache: the next run builds it again.
func TestModelCacheForgetsAFailedBuild(t *testing.T) {
	t.Parallel()
	c := &cachedPortfolio{}
	tm := c.tape(cacheKey{1}, &tapeModel{build: func() error { panic("a bug in the build") }})
	err := buildTapes([]*model{{tape: tm, cache: c}}, 1)
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("a build that panics: error %v, want a *PanicError", err)
	}
	if err := tm.ready(); !errors.As(err, &pe) {
		t.Errorf("a second ask for the failed tape: error %v, want the *PanicError again", err)
	}
	if len(c.tapes) != 0 {
		t.Errorf("%d tapes cached after the failed build, want 0", len(c.tapes))
	}
}

// TestTapeKeyFields holds tapeKey to the structs it writes field by
// field: a field added to one of them must be written too (then update
// the count here), and plans that differ in any field must have
// different keys.
func TestTapeKeyFields(t *testing.T) {
	for _, c := range []struct {
		v    any
		want int
	}{{outPlan{}, 8}, {scenario.Output{}, 5}, {costmodel.Window{}, 9}, {costmodel.Month{}, 2}, {cell{}, 2}, {tapeFeed{}, 4}} {
		if n := reflect.TypeOf(c.v).NumField(); n != c.want {
			t.Errorf("%T has %d fields, tapeKey writes %d: write the new one in keyWriter", c.v, n, c.want)
		}
	}
	base := outPlan{out: scenario.Output{Scope: scenario.Partnership, Key: "a", Metric: scenario.CM3, Window: costmodel.Window{Kind: "month"}},
		scope: scenario.Partnership, idx: 1, metric: scenario.CM3, line: costmodel.LineCM3, months: []int{0, 1}, cc: []cell{{1, 2}}}
	edits := []func(p *outPlan){
		func(p *outPlan) { p.out.Scope = scenario.Channel },
		func(p *outPlan) { p.out.Key = "b" },
		func(p *outPlan) { p.out.Metric = scenario.CM2 },
		func(p *outPlan) { p.out.Window.Kind = "year" },
		func(p *outPlan) { p.out.Window.Year = 2027 },
		func(p *outPlan) { p.out.Window.Quarter = 2 },
		func(p *outPlan) { p.out.Window.Month = costmodel.Month{Year: 2027, Month: 3} },
		func(p *outPlan) { p.out.Window.Span = 3 },
		func(p *outPlan) { p.out.Window.From = costmodel.Month{Year: 2027, Month: 1} },
		func(p *outPlan) { p.out.Window.To = costmodel.Month{Year: 2027, Month: 1} },
		func(p *outPlan) { p.out.Window.Name = "peak" },
		func(p *outPlan) { p.out.Window.Calendar = 6 },
		func(p *outPlan) { p.out.View = costmodel.Allocated },
		func(p *outPlan) { p.scope = scenario.Channel },
		func(p *outPlan) { p.idx = 2 },
		func(p *outPlan) { p.metric = scenario.CM2 },
		func(p *outPlan) { p.line = costmodel.LineCM2 },
		func(p *outPlan) { p.ratio = true },
		func(p *outPlan) { p.months = []int{0} },
		func(p *outPlan) { p.months = []int{0, 2} },
		func(p *outPlan) { p.cc = nil },
		func(p *outPlan) { p.cc = []cell{{2, 1}} },
	}
	sp := &specPlan{}
	k0 := tapeKey(nil, tapeFeed{input: -1}, sp, []outPlan{base})
	seen := map[cacheKey]int{k0: -1}
	for i, edit := range edits {
		p := base
		p.months, p.cc = slices.Clone(base.months), slices.Clone(base.cc)
		edit(&p)
		k := tapeKey(nil, tapeFeed{input: -1}, sp, []outPlan{p})
		if j, ok := seen[k]; ok {
			t.Errorf("edit %d has the key of %d", i, j)
		}
		seen[k] = i
	}
	// Where one plan ends and the next begins is part of the key.
	if tapeKey(nil, tapeFeed{input: -1}, sp, []outPlan{base, base}) == k0 {
		t.Error("two plans have the key of one")
	}
	if tapeKey([]string{"x"}, tapeFeed{input: -1}, sp, []outPlan{base}) == k0 || tapeKey(nil, tapeFeed{input: 0}, sp, []outPlan{base}) == k0 {
		t.Error("the per-month drivers or the rate's input do not change the key")
	}
}

// TestGuardPlansCached checks that a run whose rules were planned before
// on the same portfolio (planGuardrailsCached) gives what a run with an
// empty cache gives, that other rules are planned anew, and that the
// result names the caller's rules (0.10 and 0.1 plan alike). Not
// parallel: it empties the cache.
func TestGuardPlansCached(t *testing.T) {
	p := loadPortfolio(t, "small.json")
	lim := func(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
	rules := func(floor string) scenario.Guardrails {
		return scenario.Guardrails{
			{Metric: scenario.CM3Ratio, Min: lim(floor), Window: scenario.EachMonth()},
			{Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: lim("0"), Window: scenario.EachQuarter()},
		}
	}
	run := func(rs scenario.Guardrails) *Result {
		t.Helper()
		r, err := Run(context.Background(), p, twoNormals(LHS), Options{Trials: 500, Seed: 3, Outputs: []scenario.Output{contribution}, Guardrails: rs})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	cold := func(rs scenario.Guardrails) *Result {
		t.Helper()
		resetModelCache()
		return run(rs)
	}
	a, b := cold(rules("0.30")), cold(rules("0.35"))
	resetModelCache()
	run(rules("0.30"))
	gotB := run(rules("0.35"))  // other rules: planned anew
	gotA := run(rules("0.300")) // the first rules again, from the cache
	if !reflect.DeepEqual(gotB.Guardrails, b.Guardrails) {
		t.Errorf("rules planned after others on a cached portfolio: %+v, want %+v", gotB.Guardrails, b.Guardrails)
	}
	for i := range a.Guardrails {
		a.Guardrails[i].Rule = rules("0.300")[i]
	}
	if !reflect.DeepEqual(gotA.Guardrails, a.Guardrails) {
		t.Errorf("rules from the cache: %+v, want %+v", gotA.Guardrails, a.Guardrails)
	}
	if a.Guardrails[0].PBreach == b.Guardrails[0].PBreach {
		t.Errorf("P(breach) %v under both floors: the test cannot tell the rules apart", a.Guardrails[0].PBreach)
	}
	if got := gotA.Guardrails[0].Rule.Min.String(); got != "0.3" || gotA.Guardrails[0].Rule.Min.Exponent() != -3 {
		t.Errorf("the result's floor is %s (exponent %d), want the caller's 0.300", got, gotA.Guardrails[0].Rule.Min.Exponent())
	}
}
