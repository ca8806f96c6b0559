package actuals

import (
	"regexp"
	"testing"
)

// Every enumerated value of an actuals or agreements file is snake_case,
// the one spelling of Marginal's files (the module's TestEnumSpelling).
func TestEnumSpelling(t *testing.T) {
	t.Parallel()
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	var values []string
	for _, m := range Measures() {
		values = append(values, string(m))
	}
	for _, m := range healthMetrics {
		values = append(values, string(m))
	}
	for _, e := range Effects {
		values = append(values, string(e))
	}
	values = append(values, string(AtLeast), string(AtMost), string(PlanUnchanged), string(RunRate),
		string(OnTarget), string(AtRisk), string(Breached), string(NoData))
	for _, v := range values {
		if !snake.MatchString(v) {
			t.Errorf("%q is not snake_case", v)
		}
	}
	if len(Measures()) != len(measures) {
		t.Errorf("Measures lists %d, the table has %d", len(Measures()), len(measures))
	}
}
