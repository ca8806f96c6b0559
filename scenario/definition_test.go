package scenario

import (
	"testing"

	"github.com/shopspring/decimal"
)

// TestRuleDefinitionInWords: a rule is stated with the metric's label,
// a ratio's limit in per cent and a payback's in months, never with the
// metric's identifier.
func TestRuleDefinitionInWords(t *testing.T) {
	ten, twelve, zero := decimal.RequireFromString("0.1"), decimal.NewFromInt(12), decimal.Zero
	cases := []struct {
		r    Rule
		want string
	}{
		{Rule{Scope: Category, Key: "*", Metric: CM3Ratio, Min: &ten}, "every category's CM3 ratio ≥ 10% over the horizon"},
		{Rule{Scope: Partnership, Key: "feedlink", Metric: PaybackMonth, Max: &twelve}, "partnership feedlink's payback month ≤ 12 months over the horizon"},
		{Rule{Metric: Contribution, Min: &zero}, "the portfolio's partnership contribution ≥ 0 over the horizon"},
		{Rule{Scope: Channel, Key: "marketplace", Metric: ContributionRatio, Min: &ten}, "channel marketplace's contribution margin ≥ 10% over the horizon"},
	}
	for _, c := range cases {
		if got := c.r.Definition(); got != c.want {
			t.Errorf("Definition() = %q, want %q", got, c.want)
		}
	}
}
