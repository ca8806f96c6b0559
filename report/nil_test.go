package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/apicheck"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

// nilCall is one call of an exported function or method of the package
// with nil or zero-value arguments. fn names it as go/ast sees it: "Write",
// or "Type.Method" for a method.
type nilCall struct {
	fn, name string
	call     func() error
}

// nilCalls calls every exported function of the package with nil and
// zero-value arguments (and a zero-value part beside a valid portfolio),
// each of which must give an error, never a panic nor a success that
// writes zeros nobody computed.
func nilCalls(t *testing.T, dir string) []nilCall {
	p := loadPortfolio(t, "small.json")
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	book := writeBook(t, Options{Portfolio: p})
	write := func(opt Options) func() error { return func() error { return Write(&buf, opt) } }
	calls := []nilCall{
		{"Write", "nil writer, zero options", func() error { return Write(nil, Options{}) }},
		{"Write", "nil writer", func() error { return Write(nil, Options{Portfolio: p}) }},
		{"Write", "zero options", write(Options{})},
		{"Write", "zero portfolio", write(Options{Portfolio: &costmodel.Portfolio{}})},
		{"Write", "zero statement", write(Options{Portfolio: p, Statement: &costmodel.Statement{}})},
		{"Write", "zero comparison", write(Options{Portfolio: p, Comparison: &scenario.Comparison{}})},
		{"Write", "zero breach", write(Options{Portfolio: p, Breaches: []scenario.Breach{{}}})},
		{"Write", "zero tornado", write(Options{Portfolio: p, Tornado: &scenario.Tornado{}})},
		{"Write", "zero spider", write(Options{Portfolio: p, Spider: &scenario.Spider{}})},
		{"Write", "zero table", write(Options{Portfolio: p, Table: &scenario.Table{}})},
		{"Write", "zero fairness", write(Options{Portfolio: p, Fairness: &scenario.FairShare{}})},
		{"Write", "zero fairness review", write(Options{Portfolio: p, FairnessReview: &FairnessReview{Volumes: &scenario.VolumeReport{}, Fair: &scenario.FairSchedule{},
			Shapley: &scenario.ShapleySplit{}, Uncertainty: &montecarlo.FairnessResult{HasProposed: true}}})},
		{"Write", "fairness review with a short Shapley table", write(Options{Portfolio: p, FairnessReview: &FairnessReview{Shapley: &scenario.ShapleySplit{Parties: []string{"a", "b"}}}})},
		{"Write", "zero simulation", write(Options{Portfolio: p, Simulation: &montecarlo.Result{}})},
		{"Write", "zero paired", write(Options{Portfolio: p, Paired: []montecarlo.Paired{{}}})},
		{"Write", "short simulation", write(Options{Portfolio: p, Simulation: &montecarlo.Result{Trials: 10, Outputs: []montecarlo.OutputResult{{Samples: []float64{1}}}}})},
		{"Write", "short Defined mask", write(Options{Portfolio: p, Simulation: &montecarlo.Result{Trials: 2, Outputs: []montecarlo.OutputResult{{Samples: []float64{1, 2}, Defined: []bool{true}, Undefined: 1, Valid: true}}}})},
		{"Write", "short statement", write(Options{Portfolio: p, Statement: shortStatement(st)})},
		{"WriteFile", "empty path, zero options", func() error { return WriteFile("", Options{}) }},
		{"WriteFile", "zero options", func() error { return WriteFile(filepath.Join(dir, "zero.xlsx"), Options{}) }},
		{"WriteFile", "nil portfolio, statement", func() error { return WriteFile(filepath.Join(dir, "st.xlsx"), Options{Statement: st}) }},
		{"WriteStatementCSV", "nil, nil", func() error { return WriteStatementCSV(nil, nil) }},
		{"WriteStatementCSV", "nil writer", func() error { return WriteStatementCSV(nil, st) }},
		{"WriteStatementCSV", "nil statement", func() error { return WriteStatementCSV(&buf, nil) }},
		{"WriteStatementCSV", "zero statement", func() error { return WriteStatementCSV(&buf, &costmodel.Statement{}) }},
		{"WriteStatementCSV", "short statement", func() error { return WriteStatementCSV(&buf, shortStatement(st)) }},
		{"ReadAssumptions", "nil, nil", func() error { _, err := ReadAssumptions(nil, nil); return err }},
		{"ReadAssumptions", "nil reader", func() error { _, err := ReadAssumptions(nil, p); return err }},
		{"ReadAssumptions", "nil base", func() error { _, err := ReadAssumptions(bytes.NewReader(book), nil); return err }},
		{"ReadAssumptions", "empty workbook", func() error { _, err := ReadAssumptions(bytes.NewReader(nil), p); return err }},
		{"ReadAssumptions", "zero base", func() error { _, err := ReadAssumptions(bytes.NewReader(book), &costmodel.Portfolio{}); return err }},
		{"ReadAssumptionsFile", "empty, nil", func() error { _, err := ReadAssumptionsFile("", nil); return err }},
		{"ReadAssumptionsFile", "empty path", func() error { _, err := ReadAssumptionsFile("", p); return err }},
		{"ReadSpecs", "nil reader", func() error { _, _, err := ReadSpecs(nil); return err }},
		{"ReadSpecs", "empty workbook", func() error { _, _, err := ReadSpecs(bytes.NewReader(nil)); return err }},
		{"ReadSpecs", "workbook without specs", func() error { _, _, err := ReadSpecs(bytes.NewReader(book)); return err }},
		{"ReadReview", "empty path", func() error { _, _, err := ReadReview("", nil); return err }},
		{"ReadReview", "missing file", func() error { _, _, err := ReadReview(filepath.Join(dir, "none.xlsx"), p); return err }},
		{"Specs.Validate", "nil specs", func() error { return (*Specs)(nil).Validate(p) }},
		{"Specs.Validate", "nil portfolio", func() error { return (&Specs{}).Validate(nil) }},
		{"Specs.Compute", "nil specs, nil context", func() error { _, err := (*Specs)(nil).Compute(nil, p, nil); return err }},
		{"Specs.Compute", "nil portfolio", func() error { _, err := (&Specs{}).Compute(context.Background(), nil, nil); return err }},
		{"RenegotiationSpec.Negotiation", "nil spec: the zero negotiation, which Fairness refuses", func() error {
			_, err := scenario.Fairness(p, (*RenegotiationSpec)(nil).Negotiation())
			return err
		}},
		{"ReadAssumptionsFile", "nil base", func() error { _, err := ReadAssumptionsFile(filepath.Join(dir, "none.xlsx"), nil); return err }},
	}
	return calls
}

// shortStatement is st with its first category's months cut off: the
// shape Write and WriteStatementCSV check, without which they would index
// past the end.
func shortStatement(st *costmodel.Statement) *costmodel.Statement {
	q := *st
	q.Partnerships = slices.Clone(st.Partnerships)
	ps := q.Partnerships[0]
	ps.Categories = slices.Clone(ps.Categories)
	ps.Categories[0].Monthly = nil
	q.Partnerships[0] = ps
	return &q
}

func TestNilArguments(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range nilCalls(t, dir) {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s (%s): panic: %v", c.fn, c.name, r)
				}
			}()
			if err := c.call(); err == nil {
				t.Errorf("%s (%s): no error", c.fn, c.name)
			}
		}()
	}
	// A refused WriteFile leaves nothing behind.
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files left: %v", ents)
	}
}

// Every exported function and method of the package is in nilCalls: a
// new one cannot be added without its nil-argument case.
func TestNilArgumentsCoverExportedAPI(t *testing.T) {
	t.Parallel()
	exported, err := apicheck.Exported(".")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range nilCalls(t, t.TempDir()) {
		covered[c.fn] = true
	}
	for _, fn := range exported {
		if !covered[fn] {
			t.Errorf("exported %s has no nil-argument case in nilCalls", fn)
		}
	}
	if len(exported) < 5 {
		t.Errorf("found only %v: the parse missed the API", exported)
	}
}
