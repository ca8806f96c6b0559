package scenario

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/apicheck"
	"github.com/shopspring/decimal"
)

// nilCase calls one exported function or method (named as in the source:
// "Compare", "Guardrails.Check") with nil or zero-value arguments.
// wantErr says the call must return an error; calls without an error
// result return nil and must only not panic.
type nilCase struct {
	name    string
	call    func() error
	wantErr bool
}

func nilCases() []nilCase {
	var (
		zero   decimal.Decimal
		st     *costmodel.Statement
		p      *costmodel.Portfolio
		empty  = &costmodel.Portfolio{}
		noData io.Reader
	)
	out := Output{Scope: Portfolio, Metric: Contribution}
	return []nilCase{
		{"Compare", func() error { _, err := Compare(nil); return err }, true},
		{"Compare", func() error { _, err := Compare(nil, Scenario{Name: "s"}); return err }, true},
		{"Compare", func() error { _, err := Compare(empty); return err }, true},
		{"Places", func() error { Places(nil); return nil }, false},
		{"PeakStress", func() error { _, err := PeakStress(nil, Scenario{}); return err }, true},
		{"PeakStress", func() error { _, err := PeakStress(empty, Scenario{}); return err }, true},
		{"Overload.String", func() error { _ = Overload{}.String(); _ = Overload{Lost: []CellLoss{{}}}.String(); return nil }, false},
		{"CompetitiveResponse", func() error { _, err := CompetitiveResponse(nil, CompetitorCut{}, Response{}); return err }, true},
		{"CompetitiveResponse", func() error { _, err := CompetitiveResponse(empty, CompetitorCut{}, Response{}); return err }, true},
		{"CompetitiveResponses", func() error { _, err := CompetitiveResponses(nil, CompetitorCut{}); return err }, true},
		{"CompetitorCut.Depths", func() error { _ = CompetitorCut{}.Depths(-1); _ = CompetitorCut{}.Depths(3); return nil }, false},
		{"Trajectory.Apply", func() error { _, err := Trajectory{}.Apply(nil); return err }, true},
		{"Trajectory.Apply", func() error { _, err := Trajectory{}.Apply(empty); return err }, true},
		{"LoadTrajectories", func() error { _, err := LoadTrajectories(noData, p); return err }, true},
		{"LoadTrajectories", func() error { _, err := LoadTrajectories(noData, empty); return err }, true},
		{"LoadTrajectoriesFile", func() error { _, err := LoadTrajectoriesFile("", p); return err }, true},
		{"HoldPrice", func() error { _ = HoldPrice(); return nil }, false},
		{"MatchPrice", func() error { _ = MatchPrice(); return nil }, false},
		{"MatchPart", func() error { _ = MatchPart(zero); return nil }, false},
		{"Comparison.Find", func() error { var c *Comparison; c.Find("", Output{}); return nil }, false},
		{"Comparison.Find", func() error { (&Comparison{}).Find("", Output{}); return nil }, false},
		{"Fairness", func() error { _, err := Fairness(nil, Negotiation{}); return err }, true},
		{"Bargain.SurplusOf", func() error { _, err := (Bargain{}).SurplusOf(nil); return err }, true},
		{"Bargain.SurplusOf", func() error { _, err := (Bargain{}).SurplusOf(empty); return err }, true},
		{"Bargain.FairTerms", func() error { _, err := (Bargain{}).FairTerms(nil, Knob{}, Split{}); return err }, true},
		{"Bargain.FairTerms", func() error { _, err := (Bargain{}).FairTerms(empty, Knob{}, Split{Rule: Nash}); return err }, true},
		{"Bargain.AlongVolumes", func() error { _, err := (Bargain{}).AlongVolumes(nil, nil, VolumePath{}); return err }, true},
		{"Bargain.AlongVolumes", func() error { _, err := (Bargain{}).AlongVolumes(empty, empty, VolumePath{}); return err }, true},
		{"Coalition.Shapley", func() error { _, err := (Coalition{}).Shapley(nil); return err }, true},
		{"Coalition.Shapley", func() error { _, err := (Coalition{Parties: make([]Party, 2)}).Shapley(empty); return err }, true},
		{"ScalePath", func() error { ScalePath(zero, zero, zero); return nil }, false},
		{"Shapley", func() error { _, err := Shapley(nil); return err }, true},
		{"Surplus.PartnerShare", func() error { _ = Surplus{}.PartnerShare(); return nil }, false},
		{"Fairness", func() error { _, err := Fairness(empty, Negotiation{}); return err }, true},
		{"PanicError.Error", func() error { var e *PanicError; _ = e.Error(); _ = (&PanicError{}).Error(); return nil }, false},
		{"PanicError.Unwrap", func() error { var e *PanicError; _ = e.Unwrap(); _ = (&PanicError{}).Unwrap(); return nil }, false},
		{"NoSolutionError.Error", func() error { var e *NoSolutionError; _ = e.Error(); _ = (&NoSolutionError{}).Error(); return nil }, false},
		{"GoalSeek", func() error { _, err := GoalSeek(nil, Seek{}); return err }, true},
		{"GoalSeek", func() error {
			_, err := GoalSeek(nil, Seek{Apply: func(*costmodel.Portfolio, decimal.Decimal) error { return nil }, Hi: decimal.NewFromInt(1)})
			return err
		}, true},
		{"BreakEvenRate", func() error { _, err := BreakEvenRate(nil, "", zero); return err }, true},
		{"LargestSafeDiscount", func() error { _, err := LargestSafeDiscount(nil, "", Output{}, zero, zero); return err }, true},
		{"VolumeForPayback", func() error { _, err := VolumeForPayback(nil, "", 0, zero); return err }, true},
		{"VolumeForPayback", func() error { _, err := VolumeForPayback(empty, "", 0, zero); return err }, true},
		{"Breach.String", func() error { _ = Breach{}.String(); _ = Breach{Undefined: true}.String(); return nil }, false},
		{"Guardrails.Validate", func() error { return Guardrails{{Metric: CM1}}.Validate(st) }, true},
		{"Guardrails.Validate", func() error { return Guardrails(nil).Validate(st) }, true},
		{"Guardrails.Check", func() error { _, err := Guardrails{{Metric: CM1}}.Check("", st); return err }, true},
		{"Guardrails.Check", func() error { _, err := Guardrails(nil).Check("", st); return err }, true},
		{"Guardrails.CheckComparison", func() error { _, err := Guardrails(nil).CheckComparison(nil); return err }, true},
		{"Guardrails.CheckComparison", func() error { _, err := Guardrails{{Metric: CM1}}.CheckComparison(&Comparison{}); return err }, true},
		{"Guardrails.CheckComparison", func() error {
			_, err := Guardrails{{Metric: CM1}}.CheckComparison(&Comparison{Base: &costmodel.Statement{}, Scenarios: []Scenario{{Name: "x"}}})
			return err
		}, true},
		{"EachMonth", func() error { _ = EachMonth().String(); return nil }, false},
		{"EachQuarter", func() error { _ = EachQuarter().String(); return nil }, false},
		{"EachYear", func() error { _ = EachYear().String(); return nil }, false},
		{"EachRolling", func() error { _, err := EachRolling(0).Windows(costmodel.Month{}, 0); return err }, true},
		{"EachCalendar", func() error {
			_, err := EachCalendar("").Windows(costmodel.Month{Year: 2026, Month: 1}, 12)
			return err
		}, true},
		{"EachPeak", func() error { _ = EachPeak().String(); return nil }, false},
		{"Over", func() error { _, err := Over(Window{}).Windows(costmodel.Month{}, 0); return err }, true},
		{"RuleWindow.String", func() error { _ = RuleWindow{}.String(); return nil }, false},
		{"RuleWindow.Windows", func() error { _, err := RuleWindow{}.Windows(costmodel.Month{}, 0); return err }, true},
		{"Rule.Definition", func() error { _ = Rule{}.Definition(); return nil }, false},
		{"Rule.Label", func() error { _ = Rule{}.Label(); return nil }, false},
		{"Rule.Output", func() error { _ = Rule{}.Output("", Window{}); return nil }, false},
		{"Rule.Headroom", func() error { Rule{}.Headroom(zero); return nil }, false},
		{"Breach.Severity", func() error { _ = Breach{}.Severity(); return nil }, false},
		{"ScopeKeys", func() error { ScopeKeys(nil, ""); return nil }, false},
		{"WorstBreach", func() error { WorstBreach(nil); return nil }, false},
		{"PortfolioKeys", func() error { PortfolioKeys(nil, ""); return nil }, false},
		{"CutPrices", func() error { _, err := CutPrices(nil, "", zero); return err }, true},
		{"CutPrices", func() error { _, err := CutPrices(empty, "", zero); return err }, true},
		{"Guardrails.ValidateFor", func() error { return Guardrails{{Metric: CM1}}.ValidateFor(p) }, true},
		{"Guardrails.CheckRules", func() error { _, err := Guardrails{{Metric: CM1}}.CheckRules("", st); return err }, true},
		{"Guardrails.CheckRulesComparison", func() error { _, err := Guardrails(nil).CheckRulesComparison(nil); return err }, true},
		{"LoadWithGuardrails", func() error { _, _, err := LoadWithGuardrails(noData, p); return err }, true},
		{"LoadWithGuardrails", func() error { _, _, err := LoadWithGuardrails(noData, empty); return err }, true},
		{"Metric.IsRatio", func() error { Metric("").IsRatio(); return nil }, false},
		{"Value.String", func() error {
			if s := (Value{}).String(); s != "n/a" {
				return fmt.Errorf("zero Value reads %q", s)
			}
			return nil
		}, false},
		{"Output.String", func() error { _ = Output{}.String(); return nil }, false},
		{"Output.Check", func() error { return out.Check(st) }, true},
		{"Output.Check", func() error { return Output{}.Check(&costmodel.Statement{}) }, true},
		{"Output.Of", func() error { _, err := out.Of(st); return err }, true},
		{"Output.Of", func() error { _, err := Output{}.Of(&costmodel.Statement{}); return err }, true},
		{"PeakSeason", func() error { _, err := PeakSeason(p, PeakSeasonOptions{}); return err }, true},
		{"CompetitiveShift", func() error { _, err := CompetitiveShift(p, CompetitiveShiftOptions{}); return err }, true},
		{"PartnerOutage", func() error { _, err := PartnerOutage(p, PartnerOutageOptions{}); return err }, true},
		{"FeeChange", func() error { _, err := FeeChange(p, FeeChangeOptions{}); return err }, true},
		{"CostShock", func() error { _, err := CostShock(p, "", zero, ""); return err }, true},
		{"Compose", func() error { Compose(""); return nil }, false},
		{"Scenario.Apply", func() error { _, err := Scenario{}.Apply(p); return err }, true},
		{"Scenario.Apply", func() error { _, err := Scenario{Name: "s"}.Apply(p); return err }, true},
		{"Scenario.Apply", func() error { _, err := Scenario{Name: "s"}.Apply(empty); return err }, true},
		{"Load", func() error { _, err := Load(noData, p); return err }, true},
		{"Load", func() error { _, err := Load(strings.NewReader(`{"scenarios":[]}`), p); return err }, true},
		{"LoadFile", func() error { _, err := LoadFile("", p); return err }, true},
		{"LoadFile", func() error {
			_, err := LoadFile(filepath.Join("..", "testdata", "specs", "larkspur.scenarios.json"), nil)
			return err
		}, true},
		{"Percent", func() error { Percent("", zero); return nil }, false},
		{"RunTornado", func() error { _, err := RunTornado(p, Output{}, nil); return err }, true},
		{"RunTornado", func() error { _, err := RunTornado(empty, Output{}, nil); return err }, true},
		{"RunTornadoProgress", func() error { _, err := RunTornadoProgress(p, Output{}, nil, nil); return err }, true},
		{"RunTornadoProgress", func() error { _, err := RunTornadoProgress(empty, Output{}, nil, nil); return err }, true},
		{"RunSpider", func() error { _, err := RunSpider(p, Output{}, nil, nil); return err }, true},
		{"RunTable", func() error { _, err := RunTable(p, Output{}, Axis{}, Axis{}); return err }, true},
		{"RunTable", func() error {
			_, err := RunTable(empty, Output{}, Axis{Values: []decimal.Decimal{zero}}, Axis{Values: []decimal.Decimal{zero}})
			return err
		}, true},
	}
}

// Every exported function and method, called with nil or zero-value
// arguments, returns an error (or, without an error result, a value)
// and never panics.
func TestNilArguments(t *testing.T) {
	t.Parallel()
	for _, c := range nilCases() {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panicked: %v", c.name, r)
				}
			}()
			err := c.call()
			if c.wantErr && err == nil {
				t.Errorf("%s: no error for nil or zero-value arguments", c.name)
			}
			if !c.wantErr && err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		}()
	}
}

// The table of TestNilArguments covers every exported function and
// method of the package, so that a new one cannot be forgotten.
func TestNilArgumentsCoverEveryExportedFunc(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, c := range nilCases() {
		covered[c.name] = true
	}
	for _, name := range exportedFuncs(t, ".") {
		if !covered[name] {
			t.Errorf("%s is not called with nil or zero-value arguments in nilCases", name)
		}
	}
}

// exportedFuncs lists the exported functions ("Compare") and the exported
// methods of exported types ("Guardrails.Check") of the non-test Go
// files in dir.
func exportedFuncs(t *testing.T, dir string) []string {
	t.Helper()
	names, err := apicheck.Exported(dir)
	if err != nil || len(names) < 10 {
		t.Fatalf("found only %v in %s: %v", names, dir, err)
	}
	return names
}

// A panic inside an evaluation on a worker goroutine is recovered and
// returned as an error; it never crashes the caller's process. Not
// parallel: it replaces the package's evaluate.
func TestWorkerPanicIsAnError(t *testing.T) {
	p := small(t)
	evaluate = func(*costmodel.Portfolio) (*costmodel.Statement, error) { panic("boom") }
	defer func() { evaluate = costmodel.Evaluate }()
	_, err := Compare(p, Scenario{Name: "s", Shocks: []Shock{{Target: "market/mugs/orders", Op: costmodel.Multiply, Value: decimal.NewFromInt(2)}}})
	var pe *PanicError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "boom") || len(pe.Stack) == 0 {
		t.Errorf("a panic in a worker: %v", err)
	}
	if _, err := RunTornado(p, Output{Metric: Contribution}, []Input{Percent("market/mugs/orders", decimal.RequireFromString("0.1"))}); !errors.As(err, &pe) {
		t.Errorf("tornado: %v", err)
	}
	if _, err := Fairness(p, Negotiation{Partnership: "market"}); !errors.As(err, &pe) {
		t.Errorf("fairness: %v", err)
	}
}

// A worker's panic with an error value unwraps to it (errors.Is, As);
// one with any other value unwraps to nil.
func TestPanicErrorUnwrap(t *testing.T) {
	t.Parallel()
	cause := errors.New("index out of range")
	err := error(&PanicError{Value: cause})
	if !errors.Is(err, cause) {
		t.Errorf("%v does not unwrap to its cause", err)
	}
	if got := (&PanicError{Value: "boom"}).Unwrap(); got != nil {
		t.Errorf("a string panic unwraps to %v", got)
	}
}
