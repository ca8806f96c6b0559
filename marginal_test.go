package marginal_test

import (
	"bytes"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

func TestSamples(t *testing.T) {
	t.Parallel()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Partnerships) != 5 || p.Months != 36 {
		t.Errorf("sample portfolio: %d partnerships, %d months", len(p.Partnerships), p.Months)
	}
	if _, err := montecarlo.Load(bytes.NewReader(marginal.SampleUncertainty()), p); err != nil {
		t.Errorf("sample uncertainty: %v", err)
	}
	ss, err := scenario.Load(bytes.NewReader(marginal.SampleScenarios()), p)
	if err != nil || len(ss) != 3 {
		t.Errorf("sample scenarios: %d, %v", len(ss), err)
	}
}
