package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

func statementCSV(t *testing.T, p *costmodel.Portfolio) [][]string {
	t.Helper()
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteStatementCSV(&buf, st); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestStatementCSVSmall checks records of small.json computed by hand:
// market sells 150 mugs in November (100 × seasonality 1.5) at $20 + $5
// shipping, with 10 % returns, 15 % commission on price + shipping and a
// 20 % administration fee kept on refunded commission.
func TestStatementCSVSmall(t *testing.T) {
	t.Parallel()
	recs := statementCSV(t, loadPortfolio(t, "small.json"))
	if got := strings.Join(recs[0], ","); got != "partnership,channel,category,month,line,amount" {
		t.Errorf("header %q", got)
	}
	index := map[string]string{}
	for _, r := range recs[1:] {
		key := strings.Join(r[:5], ",")
		if _, dup := index[key]; dup {
			t.Errorf("duplicate record %s", key)
		}
		index[key] = r[5]
	}
	for _, c := range []struct{ key, amount string }{
		{"market,marketplace,mugs,2026-11,gmv", "3750.00"},             // 150 × (20 + 5)
		{"market,marketplace,mugs,2026-11,refunds", "300.00"},          // 150 × 20 × 10 %
		{"market,marketplace,mugs,2026-11,cogs", "1080.00"},            // 135 kept × 8
		{"market,marketplace,mugs,2026-11,commission", "562.50"},       // 150 × 15 % × 25
		{"market,marketplace,mugs,2026-11,commission_refund", "45.00"}, // 15 × (3.75 − 0.75)
		{"market,marketplace,mugs,2026-11,marketing", "187.50"},        // 5 % of GMV
		{"market,marketplace,mugs,2026-11,cm3", "720.00"},
		{"market,marketplace,(partnership),2026-11,marketing_fixed", "100.00"},
		{"market,marketplace,(partnership),2026-11,setup", "1200.00"},
		{"market,marketplace,(partnership),2026-11,net_cash_flow", "-1300.00"},
		{"shop,own-shop,mugs,2026-11,payment_fees", "66.00"}, // 75 × (2.9 % × 20 + 0.30) on average
		{"shop,own-shop,(partnership),2027-01,maintenance", "150.00"},
	} {
		if got, ok := index[c.key]; !ok || got != c.amount {
			t.Errorf("%s = %q (present %v), want %s", c.key, got, ok, c.amount)
		}
	}
	// Summing a line over a partnership's records gives its total.
	st, _ := costmodel.Evaluate(loadPortfolio(t, "small.json"))
	for _, ps := range st.Partnerships {
		for _, l := range []costmodel.Line{costmodel.LineGMV, costmodel.LineContribution, costmodel.LineNetCashFlow} {
			sum := decimal.Zero
			for _, r := range recs[1:] {
				if r[0] == ps.ID && r[4] == l.String() {
					sum = sum.Add(decimal.RequireFromString(r[5]))
				}
			}
			if !sum.Equal(ps.Total.Total[l]) {
				t.Errorf("%s %s: records sum to %s, total %s", ps.ID, l, sum, ps.Total.Total[l])
			}
		}
	}
	// 2 partnerships × (1 category × 28 lines + 34 partnership lines) × 3
	// months: 23 of the waterfall each (the category's include the 5
	// cross-border lines, zero without a lane; the partnership's 16
	// partnership-level lines, 3 of them the outage lines in the
	// contribution, and their 7 subtotals), the sides' (costmodel
	// LevelSides) 1 category line, 4 partnership lines and 3 subtotals,
	// and beside the waterfall the outage impact (a subtotal, in both)
	// and the partnership's lost GMV, downtime hours and contingency gain
	// memos.
	if n := len(recs) - 1; n != 2*(28+34)*3 {
		t.Errorf("%d records", n)
	}
}

func TestStatementCSVInjection(t *testing.T) {
	t.Parallel()
	recs := statementCSV(t, hostile(t))
	for _, r := range recs[1:] {
		for i, field := range r[:5] {
			if startsLikeFormula(field) {
				t.Fatalf("field %d of %q starts like a formula", i, r)
			}
		}
	}
	found := map[string]bool{}
	for _, r := range recs[1:] {
		found[r[1]] = true
	}
	for _, want := range []string{"'@SUM(A1:A9)", "'-own'shop"} {
		if !found[want] {
			t.Errorf("channel %q not written (defused) as expected; channels %v", want, found)
		}
	}
	// Negative amounts stay numbers.
	neg := false
	for _, r := range recs[1:] {
		if strings.HasPrefix(r[5], "-") {
			neg = true
		}
	}
	if !neg {
		t.Error("no negative amount written as a number")
	}
}
