package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// specsFixture is a small review of testdata/small.json with every part.
func specsFixture(t *testing.T) (*costmodel.Portfolio, *Specs) {
	t.Helper()
	p := loadPortfolio(t, "small.json")
	min := decimal.Zero
	w := decimal.RequireFromString("0.6")
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [{"target": "*/*/orders", "op": "multiply", "dist": {"type": "triangular", "min": 0.8, "mode": 1, "max": 1.2}}]}`), p)
	if err != nil {
		t.Fatal(err)
	}
	return p, &Specs{
		Scenarios:   []scenario.Scenario{{Name: "more", Shocks: []scenario.Shock{{Target: "*/*/orders", Op: costmodel.Multiply, Value: decimal.RequireFromString("1.1")}}}},
		Guardrails:  scenario.Guardrails{{Name: "contribution ≥ 0", Scope: scenario.Partnership, Key: "*", Metric: scenario.Contribution, Min: &min}},
		Uncertainty: spec, Trials: 200, Seed: 3,
		Fans:    []scenario.Output{{Metric: scenario.Contribution}},
		Tornado: &TornadoSpec{Inputs: []scenario.Input{scenario.Percent("*/*/orders", decimal.RequireFromString("0.1"))}},
		Renegotiation: &RenegotiationSpec{Partnership: p.Partnerships[0].ID, OurWeight: &w,
			Partner: scenario.PartnerCosts{PerOrder: decimal.RequireFromString("0.1")}},
	}
}

// The Specs sheet gives back what was recorded, part for part, and the
// portfolio as written; it is hidden.
func TestSpecsSheetRoundTrip(t *testing.T) {
	t.Parallel()
	p, s := specsFixture(t)
	var buf bytes.Buffer
	if err := Write(&buf, Options{Portfolio: p, Specs: s}); err != nil {
		t.Fatal(err)
	}
	q, got, err := ReadSpecs(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(s)
	b, _ := json.Marshal(got)
	if string(a) != string(b) {
		t.Errorf("specs read back differ:\n%s\n%s", a, b)
	}
	var pa, pb bytes.Buffer
	p.Save(&pa)
	q.Save(&pb)
	if pa.String() != pb.String() {
		t.Error("the recorded portfolio differs from the one written")
	}
	f, _ := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	defer f.Close()
	if v, err := f.GetSheetVisible(SheetSpecs); err != nil || v {
		t.Errorf("Specs sheet visible %v (%v)", v, err)
	}
}

// A portfolio JSON longer than a cell holds is split over the row's cells
// and joined again.
func TestSpecsSheetLongPart(t *testing.T) {
	t.Parallel()
	p, s := specsFixture(t)
	long := strings.Repeat("é", 40000) // two bytes each: the split must not cut one
	s.Scenarios[0].Description = long
	var buf bytes.Buffer
	if err := Write(&buf, Options{Portfolio: p, Specs: s}); err != nil {
		t.Fatal(err)
	}
	_, got, err := ReadSpecs(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Scenarios[0].Description != long {
		t.Errorf("a long part came back with %d characters, want %d", len(got.Scenarios[0].Description), len(long))
	}
}

func TestReadSpecsWithoutSheet(t *testing.T) {
	t.Parallel()
	p, _ := specsFixture(t)
	var buf bytes.Buffer
	if err := Write(&buf, Options{Portfolio: p}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadSpecs(bytes.NewReader(buf.Bytes())); !errors.Is(err, ErrNoSpecs) {
		t.Errorf("no Specs sheet: %v, want ErrNoSpecs", err)
	}
	if _, _, err := ReadSpecs(nil); err == nil {
		t.Error("nil reader accepted")
	}
}

// Specs that do not fit the portfolio are refused before any work, each
// problem at its part and JSON path.
func TestSpecsValidate(t *testing.T) {
	t.Parallel()
	p, s := specsFixture(t)
	s.Scenarios[0].Shocks[0].Target = "nowhere/*/orders"
	s.Tornado.Inputs[0].Target = "nowhere/x"
	s.Renegotiation.Partnership = "nobody"
	s.Trials = 1
	err := s.Validate(p)
	if err == nil {
		t.Fatal("bad specs accepted")
	}
	for _, want := range []string{"scenarios: scenarios[0].shocks[0].target", "tornado: inputs[0]", "renegotiation: partnership", "run: trials"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := s.Compute(context.Background(), p, nil); err == nil {
		t.Error("Compute ran bad specs")
	}
}

// Compute fills every part the specs ask for, and records the run.
func TestSpecsCompute(t *testing.T) {
	t.Parallel()
	p, s := specsFixture(t)
	var calls, tornado int
	opt, err := s.Compute(context.Background(), p, func(stage string, done, total int) {
		switch {
		case stage == "monte carlo" && total == 200:
			calls++
		case stage == "tornado" && total == 3:
			tornado++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if opt.Comparison == nil || len(opt.Guardrails) == 0 || opt.Simulation == nil || opt.Tornado == nil || opt.Fairness == nil || opt.Uncertainty == nil || opt.Specs == nil {
		t.Fatalf("a part is missing: %+v", opt)
	}
	if opt.Trials != 200 || opt.Seed != 3 || opt.Specs.Trials != 200 || calls == 0 || tornado != 3 {
		t.Errorf("trials %d seed %d recorded %d, %d progress calls, %d for the tornado (want 3)", opt.Trials, opt.Seed, opt.Specs.Trials, calls, tornado)
	}
	if len(opt.Paired) != 0 {
		t.Error("paired run without a proposal")
	}
	if err := Write(&bytes.Buffer{}, opt); err != nil {
		t.Fatal(err)
	}
}
