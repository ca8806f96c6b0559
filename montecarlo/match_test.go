package montecarlo

import (
	"path"
	"testing"
)

// TestTargetMatch holds the literal fast path to path.Match.
func TestTargetMatch(t *testing.T) {
	t.Parallel()
	addrs := []string{"amazon-us/beauty/orders", "amazon-us/beauty/unit_cost", "ebay/beauty/orders", "portfolio/discount_rate", "a[b]/c"}
	targets := []string{"amazon-us/beauty/orders", "amazon-us/beauty", "*/beauty/orders", "amazon-us/*/*", "?bay/beauty/orders", "a\\[b]/c", "a[b]/c", "[", "portfolio/discount_rate", ""}
	for _, tg := range targets {
		for _, a := range addrs {
			want, _ := path.Match(tg, a)
			if got := targetMatch(tg, isLiteral(tg), a); got != want {
				t.Errorf("targetMatch(%q, %q) = %v, path.Match says %v", tg, a, got, want)
			}
		}
	}
}
