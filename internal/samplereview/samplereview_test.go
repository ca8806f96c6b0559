package samplereview

import (
	"context"
	"testing"
	"time"

	"github.com/marginalhq/marginal"
)

func TestSampleSpecsFit(t *testing.T) {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	s, skipped, err := Specs(p)
	if err != nil || len(skipped) > 0 {
		t.Fatalf("the sample review does not fit the sample: %v %q", err, skipped)
	}
	if len(s.Scenarios) != 5 || len(s.Guardrails) != 4 || s.Uncertainty == nil || s.Tornado == nil || len(s.Tornado.Inputs) != 8 || s.Renegotiation == nil {
		t.Errorf("parts: %d scenarios, %d guardrails, uncertainty %v, tornado %v, renegotiation %v", len(s.Scenarios), len(s.Guardrails), s.Uncertainty != nil, s.Tornado, s.Renegotiation)
	}
	s.Trials = 500
	t0 := time.Now()
	opt, err := s.Compute(context.Background(), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(time.Since(t0))
	if opt.Simulation == nil || len(opt.Paired) != 1 || opt.Fairness == nil || opt.Tornado == nil || len(opt.Guardrails) == 0 {
		t.Errorf("computed parts missing")
	}
}
