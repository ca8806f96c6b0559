package marginal_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

// snakeCase is the one spelling of every enumerated value in Marginal's
// JSON: lower-case words joined by underscores ("all_units",
// "monthly_gmv", "cm3_ratio").
var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// distributionTypes are the "type" values of an uncertainty input's
// distribution, as montecarlo.DistSpec.Build reads them.
var distributionTypes = []string{"normal", "lognormal", "triangular", "pert", "uniform", "beta", "gamma", "weibull", "poisson", "discrete", "empirical"}

// Every enumerated value a file may hold is snake_case, and only that
// spelling is accepted.
func TestEnumSpelling(t *testing.T) {
	t.Parallel()
	var values []string
	for _, v := range []costmodel.TierMode{costmodel.AllUnits, costmodel.Marginal} {
		values = append(values, "tier mode "+string(v))
	}
	for _, v := range []costmodel.TierBasis{costmodel.PerItem, costmodel.MonthlyGMV, costmodel.MonthlyOrders} {
		values = append(values, "tier basis "+string(v))
	}
	for _, v := range []costmodel.AllowanceMode{costmodel.FirstBand, costmodel.Shift} {
		values = append(values, "allowance mode "+string(v))
	}
	for _, v := range []costmodel.Op{costmodel.Multiply, costmodel.Add, costmodel.SetTo} {
		values = append(values, "op "+string(v))
	}
	for _, v := range []scenario.Scope{scenario.Portfolio, scenario.Partnership, scenario.Channel, scenario.Category} {
		values = append(values, "scope "+string(v))
	}
	for _, v := range []scenario.Metric{scenario.GMV, scenario.NetSales, scenario.CM1, scenario.CM2, scenario.CM3, scenario.Contribution,
		scenario.NetCashFlow, scenario.CM1Ratio, scenario.CM2Ratio, scenario.CM3Ratio, scenario.ContributionRatio, scenario.NPV, scenario.PaybackMonth} {
		values = append(values, "metric "+string(v))
	}
	for _, v := range []scenario.CostKind{scenario.ShippingCost, scenario.DataTransferCost, scenario.FulfilmentCost, scenario.APICost} {
		values = append(values, "cost kind "+string(v))
	}
	for _, v := range []costmodel.SupportMode{costmodel.Hire, costmodel.Overtime} {
		values = append(values, "support capacity mode "+string(v))
	}
	for _, v := range []costmodel.APIMode{costmodel.Throttle, costmodel.Premium} {
		values = append(values, "API limit mode "+string(v))
	}
	for _, v := range []costmodel.AllocationBasis{costmodel.ByGMV, costmodel.ByOrders, costmodel.ByUnits, costmodel.ByFixedShares, costmodel.ByActivity} {
		values = append(values, "allocation basis "+string(v))
	}
	for _, v := range []costmodel.View{costmodel.Unallocated, costmodel.Allocated} {
		values = append(values, "view "+string(v))
	}
	for _, v := range []montecarlo.Sampling{montecarlo.LHS, montecarlo.MC} {
		values = append(values, "sampling "+string(v))
	}
	for _, v := range []montecarlo.Statistic{montecarlo.StatMean, montecarlo.StatPercentile, montecarlo.StatCVaR} {
		values = append(values, "statistic "+string(v))
	}
	for _, v := range distributionTypes {
		values = append(values, "distribution "+v)
	}
	for _, v := range values {
		if f := strings.Fields(v); !snakeCase.MatchString(f[len(f)-1]) {
			t.Errorf("%s is not snake_case", v)
		}
	}

	// Each distribution type listed is one Build knows (so the list is
	// complete for the spelling check), and a kebab-case or capitalised
	// spelling is not.
	for _, typ := range distributionTypes {
		_, err := montecarlo.DistSpec{Type: typ}.Build("dist")
		if err != nil && strings.Contains(err.Error(), "dist.type") {
			t.Errorf("distribution %q: %v", typ, err)
		}
	}
	for _, typ := range []string{"log-normal", "Normal", "LOGNORMAL", " normal"} {
		if _, err := (montecarlo.DistSpec{Type: typ}).Build("dist"); err == nil || !strings.Contains(err.Error(), "dist.type") {
			t.Errorf("distribution %q accepted: %v", typ, err)
		}
	}
}

// The tier mode of old, "all-units", is refused with the spelling that is
// accepted; the library has not shipped, so no old spelling is kept.
func TestTierModeOldSpellingRefused(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "larkspur.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"tier_mode": "all_units"`) {
		t.Fatal(`testdata/larkspur.json has no "all_units" tier mode to respell`)
	}
	old := strings.Replace(string(data), `"tier_mode": "all_units"`, `"tier_mode": "all-units"`, 1)
	_, err = costmodel.Load(strings.NewReader(old))
	if err == nil || !strings.Contains(err.Error(), ".tier_mode: got \"all-units\", expected \"all_units\" or \"marginal\"") {
		t.Errorf("all-units: %v", err)
	}
}

// Every enumerated value in the JSON files of testdata/ is snake_case.
func TestTestdataEnumSpelling(t *testing.T) {
	t.Parallel()
	enumKeys := map[string]bool{"tier_mode": true, "tier_basis": true, "allowance_mode": true, "op": true, "type": true,
		"sampling": true, "scope": true, "metric": true, "statistic": true}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	more, _ := filepath.Glob(filepath.Join("testdata", "specs", "*.json"))
	files = append(files, more...)
	if len(files) < 4 {
		t.Fatalf("only %d testdata files", len(files))
	}
	seen := 0
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var walk func(any)
		walk = func(x any) {
			switch x := x.(type) {
			case map[string]any:
				for k, e := range x {
					if s, ok := e.(string); ok && enumKeys[k] {
						seen++
						if !snakeCase.MatchString(s) {
							t.Errorf("%s: %s %q is not snake_case", name, k, s)
						}
					}
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(v)
	}
	if seen < 10 {
		t.Errorf("only %d enumerated values in testdata", seen)
	}
}
