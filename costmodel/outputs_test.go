package costmodel

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func init() {
	// The nil and zero cases of the outputs' exports (see nilCalls).
	for k, f := range map[string]func() error{
		"Metric.Line":     func() error { _, ok := Metric("").Line(); return wantTrue(!ok) },
		"Metric.IsRatio":  func() error { return wantTrue(!Metric("").IsRatio() && !Metric("_ratio").IsRatio()) },
		"Metric.Valid":    func() error { return wantTrue(!Metric("").Valid()) },
		"Metric.IsVolume": func() error { return wantTrue(!Metric("").IsVolume()) },
		"Value.String":    func() error { return wantTrue(Value{}.String() == "n/a") },
		"CalendarMonths":  func() error { return wantTrue(CalendarMonths() == 0) },
		"MonthSet.Has":    func() error { return wantTrue(!MonthSet(0).Has(0) && !MonthSet(0xffff).Has(13)) },
		"MonthSet.List":   func() error { return wantTrue(MonthSet(0).List() == nil) },
		"MonthSet.MarshalJSON": func() error {
			b, err := MonthSet(0).MarshalJSON()
			return all(err, wantTrue(string(b) == "[]"))
		},
		"MonthSet.UnmarshalJSON": func() error {
			var s MonthSet
			return all(wantErr((*MonthSet)(nil).UnmarshalJSON([]byte("[1]"))), wantErr(s.UnmarshalJSON(nil)),
				s.UnmarshalJSON([]byte("null")), wantTrue(s == 0))
		},
		"Peak": func() error { return wantTrue(Peak().Calendar.Has(time.November)) },
		"EachWindow": func() error {
			_, err := EachWindow("", 0, Month{}, 0)
			return wantErr(err)
		},
		"Window.IsHorizon": func() error { return wantTrue(Window{}.IsHorizon()) },
		"Window.String":    func() error { return wantTrue(Window{}.String() == "horizon") },
		"Output.String":    func() error { return wantTrue(Output{}.String() == "portfolio ") },
		"SplitChannelCategory": func() error {
			_, _, ok := SplitChannelCategory("")
			return wantTrue(!ok)
		},
		"Window.Months": func() error {
			_, err := Window{}.Months(Month{}, 0)
			m, err2 := Window{}.Months(Month{2026, 1}, 2)
			return all(wantErr(err), err2, wantTrue(fmt.Sprint(m) == "[0 1]"))
		},
		"Output.CheckShape": func() error {
			_, err := Output{}.CheckShape(Month{}, 0)
			return wantErr(err)
		},
		"Output.Check": func() error {
			return all(wantErr(Output{}.Check(nil)), wantErr(Output{}.Check(&Statement{})))
		},
		"Output.Of": func() error {
			_, err := Output{Metric: MetricGMV}.Of(nil)
			_, err2 := Output{Metric: MetricGMV}.Of(&Statement{})
			// A statement whose blocks do not match its horizon is refused, not indexed.
			_, err3 := Output{Metric: MetricGMV}.Of(&Statement{Start: Month{2026, 1}, Months: 2})
			return all(wantErr(err), wantErr(err2), wantErr(err3))
		},
	} {
		nilCalls[k] = f
	}
}

func smallStatement(t *testing.T) *Statement {
	t.Helper()
	p, err := LoadFile("../testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func month(y int, m time.Month) Month { return Month{Year: y, Month: m} }

// TestOutputWindowsByHand reads windowed outputs of testdata/small.json
// (horizon 2026-11 to 2027-01) against figures worked out from its
// inputs. Mugs: seasonality 1.5 in November, 1.2 in December, 1 in
// January.
//
//	market (marketplace): orders 150, 120, 100; GMV = orders × (20 + 5
//	shipping charged) = 3750, 3000, 2500; refunds 10 % × orders × 20 =
//	300, 240, 200; net sales 3450, 2760, 2300; COGS 8 × 90 % × orders =
//	1080, 864, 720; CM1 2370, 1896, 1580.
//	shop (own-shop): orders 75, 60, 50; GMV = orders × 20 (mean of the
//	price mix) = 1500, 1200, 1000; no returns; COGS 6 × orders = 450,
//	360, 300; CM1 1050, 840, 700.
func TestOutputWindowsByHand(t *testing.T) {
	st := smallStatement(t)
	d := decimal.RequireFromString
	q4 := Window{Kind: WindowQuarter, Year: 2026, Quarter: 4}
	cases := []struct {
		o    Output
		want decimal.Decimal
	}{
		{Output{Scope: ScopePortfolio, Metric: MetricGMV, Window: q4}, d("9450")},
		{Output{Scope: ScopeChannelCategory, Key: "marketplace/mugs", Metric: MetricCM1Ratio, Window: Peak()},
			d("4266").DivRound(d("6210"), ratioPrecision)},
		{Output{Scope: ScopeChannelCategory, Key: "own-shop/mugs", Metric: MetricNetSales, Window: Peak()}, d("2700")},
		{Output{Scope: ScopePartnership, Key: "market", Metric: MetricGMV,
			Window: Window{Kind: WindowRolling, Span: 2, Month: month(2027, time.January)}}, d("5500")},
		{Output{Scope: ScopeCategory, Key: "mugs", Metric: MetricCM1,
			Window: Window{Kind: WindowRolling, Span: 3, Month: month(2027, time.January)}}, d("8436")},
		// A rolling span that begins before the horizon holds the horizon's months.
		{Output{Scope: ScopeCategory, Key: "mugs", Metric: MetricCM1,
			Window: Window{Kind: WindowRolling, Span: 3, Month: month(2026, time.December)}}, d("6156")},
		{Output{Scope: ScopeChannel, Key: "own-shop", Metric: MetricGMV, Window: Window{Kind: WindowYear, Year: 2027}}, d("1000")},
		{Output{Scope: ScopeChannelCategory, Key: "marketplace/mugs", Metric: MetricCM1,
			Window: Window{Kind: WindowMonth, Month: month(2026, time.December)}}, d("1896")},
		{Output{Scope: ScopeChannelCategory, Key: "marketplace/mugs", Metric: MetricNetSales,
			Window: Window{Kind: WindowRange, From: month(2026, time.December), To: month(2027, time.January)}}, d("5060")},
	}
	for _, c := range cases {
		v, err := c.o.Of(st)
		if err != nil {
			t.Errorf("%s: %v", c.o, err)
			continue
		}
		if !v.Valid || !v.Amount.Equal(c.want) {
			t.Errorf("%s = %s, want %s", c.o, v, c.want)
		}
	}
}

// TestOutputHorizonMatchesStatement: over the horizon, every output is
// the statement's own figure (its totals and Measures), and a channel ×
// category output is the sum of its partnership × category rows.
func TestOutputHorizonMatchesStatement(t *testing.T) {
	st := smallStatement(t)
	for _, ps := range st.Partnerships {
		m := ps.Measures
		for _, c := range []struct {
			metric Metric
			want   Value
		}{
			{MetricCM3, Value{Amount: ps.Total.Total[LineCM3], Valid: true}},
			{MetricNetCashFlow, Value{Amount: ps.Total.Total[LineNetCashFlow], Valid: true}},
			{MetricContributionRatio, Value{Amount: m.ContributionRatio.Value, Valid: m.ContributionRatio.Valid}},
			{MetricNPV, Value{Amount: m.NPV, Valid: true}},
			{MetricPaybackMonth, Value{Amount: decimal.NewFromInt(int64(m.Payback.Month)), Valid: m.Payback.Reached}},
		} {
			o := Output{Scope: ScopePartnership, Key: ps.ID, Metric: c.metric}
			v, err := o.Of(st)
			if err != nil || v.Valid != c.want.Valid || !v.Amount.Equal(c.want.Amount) {
				t.Errorf("%s = %s, %v; want %s", o, v, err, c.want)
			}
		}
		for _, cat := range ps.Categories {
			// Each channel of small.json has one partnership, so its
			// channel × category cell is that partnership's row.
			o := Output{Scope: ScopeChannelCategory, Key: ps.Channel + "/" + cat.ID, Metric: MetricContribution}
			v, err := o.Of(st)
			if err != nil || !v.Amount.Equal(cat.Total[LineContribution]) {
				t.Errorf("%s = %s, %v; want %s", o, v, err, cat.Total[LineContribution])
			}
		}
	}
	pm := st.Measures
	v, err := Output{Metric: MetricNPV}.Of(st)
	if err != nil || !v.Amount.Equal(pm.NPV) {
		t.Errorf("portfolio npv = %s, %v; want %s", v, err, pm.NPV)
	}
}

// TestOutputNPVWindowsAdd: the NPVs of windows that partition the horizon
// add up to its NPV, each rounded to the cent (so within a cent per
// window).
func TestOutputNPVWindowsAdd(t *testing.T) {
	st := smallStatement(t)
	whole, err := Output{Metric: MetricNPV}.Of(st)
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for _, w := range []Window{{Kind: WindowYear, Year: 2026}, {Kind: WindowYear, Year: 2027}} {
		v, err := Output{Metric: MetricNPV, Window: w}.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		sum = sum.Add(v.Amount)
	}
	if sum.Sub(whole.Amount).Abs().GreaterThan(decimal.RequireFromString("0.01")) {
		t.Errorf("NPV 2026 + 2027 = %s, horizon %s", sum, whole.Amount)
	}
	// January alone: its flow discounted three times.
	jan, err := Output{Metric: MetricNPV, Window: Window{Kind: WindowMonth, Month: month(2027, time.January)}}.Of(st)
	if err != nil {
		t.Fatal(err)
	}
	flows := []decimal.Decimal{decimal.Zero, decimal.Zero, st.Portfolio.Monthly[2][LineNetCashFlow]}
	if want := mustNPV(t, st.MonthlyRate, flows).Round(2); !jan.Amount.Equal(want) {
		t.Errorf("January NPV = %s, want %s", jan.Amount, want)
	}
}

// TestOutputProblemsWithPaths: every problem of an output is reported at
// once, each at its JSON path.
func TestOutputProblemsWithPaths(t *testing.T) {
	st := smallStatement(t)
	cases := []struct {
		o    Output
		want []string
	}{
		{Output{Scope: "region", Metric: "margin", Window: Window{Kind: "weekly"}},
			[]string{`scope: got "region"`, `metric: got "margin"`, `window.kind: got "weekly"`}},
		{Output{Metric: MetricPaybackMonth, Window: Peak()}, []string{"window: got peak (11, 12), expected the horizon for payback_month"}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowQuarter, Year: 2026, Quarter: 5}}, []string{"window.quarter: got 5"}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowYear, Year: 2026, Quarter: 4, Span: 2}},
			[]string{"window.quarter: got 4, expected no quarter in a year window (it reads year)", "window.span: got 2"}},
		{Output{Metric: MetricGMV, Window: Window{Name: "peak"}}, []string{`window.name: got "peak", expected no name in a horizon window (it reads no other field)`}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowRolling, Month: month(2027, time.January)}}, []string{"window.span: got 0"}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowRolling, Span: 3}}, []string{`window.month: expected a month "YYYY-MM"`}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowMonth, Month: Month{Year: 1800, Month: 13}}}, []string{`window.month: got "1800-13"`}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowRange, From: month(2027, time.January), To: month(2026, time.November)}},
			[]string{`window.to: got "2026-11", expected a month no earlier than from (2027-01)`}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowCalendar}}, []string{"window.calendar: expected at least one calendar month"}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowCalendar, Calendar: CalendarMonths(3, 13)}}, []string{"window.calendar: expected calendar months 1 (January) to 12"}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowCalendar, Calendar: CalendarMonths(3, 3)}}, []string{"window.calendar: expected each calendar month once"}},
		// A window that selects no month of the horizon.
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowYear, Year: 2028}}, []string{"window: got 2028, expected a window holding at least one month of the horizon 2026-11 to 2027-01"}},
		{Output{Metric: MetricGMV, Window: Window{Kind: WindowCalendar, Calendar: CalendarMonths(6)}}, []string{"window: got months (6)"}},
		{Output{Scope: ScopeChannelCategory, Key: "marketplace", Metric: MetricGMV}, []string{`key: got "marketplace", expected "channel/category"`}},
		{Output{Scope: ScopeChannelCategory, Key: "own-shop/plates", Metric: MetricGMV}, []string{`key: got "own-shop/plates"`}},
		{Output{Scope: ScopeChannel, Key: "retail", Metric: MetricGMV}, []string{`key: got "retail", expected the key of a channel in the portfolio`}},
	}
	for _, c := range cases {
		_, err := c.o.Of(st)
		if err == nil {
			t.Errorf("%s: no error, want %q", c.o, c.want)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v is not ErrInvalid", c.o, err)
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v\n  want %q in it", c.o, err, w)
			}
		}
		var ve *ValidationError
		if errors.As(err, &ve) && len(ve.Problems) != len(c.want) {
			t.Errorf("%s: %d problems, want %d: %v", c.o, len(ve.Problems), len(c.want), err)
		}
	}
}

// TestOutputJSON: outputs with every kind of window survive a JSON round
// trip, spelled snake_case, and the horizon writes no window at all.
func TestOutputJSON(t *testing.T) {
	outs := []Output{
		{Scope: ScopePortfolio, Metric: MetricCM3},
		{Scope: ScopePartnership, Key: "market", Metric: MetricNPV, Window: Window{Kind: WindowYear, Year: 2027}},
		{Scope: ScopeChannel, Key: "own-shop", Metric: MetricGMV, Window: Window{Kind: WindowQuarter, Year: 2026, Quarter: 4}},
		{Scope: ScopeCategory, Key: "mugs", Metric: MetricCM1, Window: Window{Kind: WindowMonth, Month: month(2026, 12)}},
		{Scope: ScopeChannelCategory, Key: "marketplace/mugs", Metric: MetricCM2Ratio, Window: Window{Kind: WindowRolling, Span: 3, Month: month(2027, 1)}},
		{Metric: MetricContribution, Window: Window{Kind: WindowRange, From: month(2026, 11), To: month(2026, 12)}},
		{Metric: MetricCM3Ratio, Window: Peak()},
	}
	b, err := json.Marshal(outs)
	if err != nil {
		t.Fatal(err)
	}
	var back []Output
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	for i := range outs {
		if back[i] != outs[i] {
			t.Errorf("round trip of %s gave %s (%s)", outs[i], back[i], b)
		}
	}
	s := string(b)
	for _, w := range []string{`{"scope":"portfolio","metric":"cm3"}`, `"window":{"kind":"calendar","name":"peak","calendar":[11,12]}`,
		`"scope":"channel_category","key":"marketplace/mugs","metric":"cm2_ratio","window":{"kind":"rolling","month":"2027-01","span":3}`} {
		if !strings.Contains(s, w) {
			t.Errorf("JSON %s\n  lacks %s", s, w)
		}
	}
	var o Output
	if err := json.Unmarshal([]byte(`{"metric":"gmv","window":{"kind":"calendar","calendar":[12,0]}}`), &o); err != nil {
		t.Fatal(err)
	}
	if _, err := o.CheckShape(month(2026, 11), 3); err == nil || !strings.Contains(err.Error(), "window.calendar") {
		t.Errorf("calendar [12, 0]: %v, want a window.calendar problem", err)
	}
}

// TestMetricsFromLineTable: every metric that reads a line names it, each
// amount line marked in the table is a metric, and Metrics keeps the
// order comparisons show.
func TestMetricsFromLineTable(t *testing.T) {
	want := "gmv net_sales cm1 cm2 cm3 contribution net_cash_flow partner_contribution our_value partner_value cm1_ratio cm2_ratio cm3_ratio contribution_ratio npv payback_month"
	if got := fmt.Sprint(Metrics); got != "["+want+"]" {
		t.Errorf("Metrics = %s, want [%s]", got, want)
	}
	for _, m := range Metrics {
		l, ok := m.Line()
		switch {
		case m == MetricNPV || m == MetricPaybackMonth:
			if ok {
				t.Errorf("%s reads line %s", m, l)
			}
		case !ok:
			t.Errorf("%s reads no line", m)
		case m.IsRatio() && string(m) != l.String()+"_ratio", !m.IsRatio() && string(m) != l.String():
			t.Errorf("%s reads line %s", m, l)
		}
	}
}

// TestOutputDecodeStrict: DecodeStrict reports every problem of an
// output's window at its JSON path, each bad calendar month at its index.
func TestOutputDecodeStrict(t *testing.T) {
	var o Output
	err := DecodeStrict([]byte(`{"metric":"gmv","window":{"kind":"calendar","calendar":[11,13,"x",11],"mnth":"2026-12"}}`), &o)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"window.calendar[1]: got 13, expected a calendar month 1 (January) to 12 (December)",
		`window.calendar[2]: got "x"`, "window.calendar[3]: got 11, expected each calendar month once", "window.mnth: expected a known field"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%v\n  want %q", err, w)
		}
	}
	err = DecodeStrict([]byte(`{"metric":"gmv","window":{"kind":"calendar","calendar":"peak"}}`), &o)
	if err == nil || !strings.Contains(err.Error(), "window.calendar: got \"peak\", expected a list [...] of calendar months") {
		t.Errorf("calendar \"peak\": %v", err)
	}
	if err := DecodeStrict([]byte(`{"scope":"channel","key":"own-shop","metric":"gmv","window":{"kind":"calendar","name":"peak","calendar":[11,12]}}`), &o); err != nil {
		t.Fatal(err)
	}
	if want := (Output{Scope: ScopeChannel, Key: "own-shop", Metric: MetricGMV, Window: Peak()}); o != want {
		t.Errorf("decoded %s, want %s", o, want)
	}
}

// TestEachWindow lists the repeating windows of small.json's horizon,
// 2026-11 to 2027-01, and checks that those of one kind partition it
// (years, quarters, months) or each hold span months (rolling).
func TestEachWindow(t *testing.T) {
	start := month(2026, time.November)
	cases := []struct {
		kind WindowKind
		span int
		want string
	}{
		{WindowYear, 0, "[2026 2027]"},
		{WindowQuarter, 0, "[2026-Q4 2027-Q1]"},
		{WindowMonth, 0, "[2026-11 2026-12 2027-01]"},
		{WindowRolling, 2, "[2 months to 2026-12 2 months to 2027-01]"},
		{WindowRolling, 3, "[3 months to 2027-01]"},
		{"", 0, "[horizon]"},
	}
	for _, c := range cases {
		ws, err := EachWindow(c.kind, c.span, start, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ws); got != c.want {
			t.Errorf("%s %d: %s, want %s", c.kind, c.span, got, c.want)
		}
		count := 0
		for _, w := range ws {
			ms, err := w.Months(start, 3)
			if err != nil {
				t.Fatalf("%s: %v", w, err)
			}
			if c.kind == WindowRolling && len(ms) != c.span {
				t.Errorf("%s holds %d months", w, len(ms))
			}
			count += len(ms)
		}
		if c.kind != WindowRolling && count != 3 {
			t.Errorf("%s windows hold %d months in all, want the horizon's 3", c.kind, count)
		}
	}
	for _, c := range []struct {
		kind WindowKind
		span int
		want string
	}{{WindowRolling, 4, "span: got 4, expected a rolling span of 1 to 3 months"}, {WindowRolling, 0, "span: got 0"},
		{WindowCalendar, 0, `kind: got "calendar"`}, {WindowRange, 0, `kind: got "range"`}} {
		if _, err := EachWindow(c.kind, c.span, start, 3); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %d: %v, want %q", c.kind, c.span, err, c.want)
		}
	}
}
