package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// TestMetricLabelsForPeople: every metric a comparison shows, and those a
// reader asks for by name, is labelled in words, not by its identifier.
func TestMetricLabelsForPeople(t *testing.T) {
	ms := append(slices.Clone(costmodel.Metrics), costmodel.MetricOrders, costmodel.MetricOutageCredit, costmodel.MetricOutageDowntime,
		costmodel.MetricOutageLostGMV, costmodel.MetricOutageImpact, costmodel.MetricOutageContingencyGain)
	for _, m := range ms {
		if l := metricLabel(m); strings.Contains(l, "_") || l == "" {
			t.Errorf("metric %s is labelled %q", m, l)
		}
	}
	if l := metricLabel(costmodel.MetricOurValue); !strings.HasPrefix(l, "Our value") {
		t.Errorf("our_value labelled %q", l)
	}
}
