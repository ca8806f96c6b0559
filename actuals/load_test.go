package actuals

import (
	"errors"
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// A file with one problem of each kind reports them all, each at its row
// and column, and returns nothing.
func TestReadCSVReportsEveryProblem(t *testing.T) {
	t.Parallel()
	p := twoCategories()
	p.Months = 3
	csv := "month,partnership,category,measure,value\n" +
		"2026-01,mkt,a,orders,150\n" +
		"2026-01,mkt,b,orders,90\n" +
		"2026-01,shop,a,orders,1\n" + // row 4: unknown partnership
		"2026-01,mkt,c,orders,1\n" + // row 5: unknown category
		"2026-01,mkt,a,visits,1\n" + // row 6: unknown measure
		"2027-01,mkt,a,orders,1\n" + // row 7: outside the horizon
		"2026-03,mkt,a,orders,1\n" + // row 8: after the cut-off
		"2026-01,mkt,a,gmv,-5\n" + // row 9: negative
		"2026-01,mkt,a,orders,150\n" + // row 10: duplicate of row 2
		"2026-01,mkt,a,cogs,12x\n" + // row 11: not a number
		"2026-01,mkt,,orders,3\n" + // row 12: category measure without category
		"2026-01,mkt,a,api_calls,3\n" // row 13: partnership measure with a category
	cut := costmodel.Month{Year: 2026, Month: 2}
	a, err := ReadCSV(strings.NewReader(csv), p, cut)
	if a != nil || err == nil {
		t.Fatalf("got %v, %v; want no actuals and an error", a, err)
	}
	if !errors.Is(err, costmodel.ErrInvalid) {
		t.Errorf("error %v does not wrap ErrInvalid", err)
	}
	for _, want := range []string{
		"row 4, column partnership", "row 5, column category", "row 6, column measure", "row 7, column month",
		"row 8, column month", "row 9, column value", "row 10, column measure", "row 11, column value",
		"row 12, column category", "row 13, column category",
		"mkt/a/orders in 2026-02", "mkt/b/orders in 2026-02", // February's orders are missing
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("no problem at %q in:\n%v", want, err)
		}
	}
	var ve *costmodel.ValidationError
	if errors.As(err, &ve) && len(ve.Problems) != 12 {
		t.Errorf("%d problems, want 12:\n%v", len(ve.Problems), err)
	}
}

func TestReadJSONPaths(t *testing.T) {
	t.Parallel()
	p := twoCategories()
	_, err := ReadJSON([]byte(`{"cut_off": "2026-01", "records": [
		{"month": "2026-01", "partnership": "mkt", "category": "a", "measure": "orders", "value": 10},
		{"month": "2026-01", "partnership": "mkt", "category": "b", "measure": "orders", "value": "ten"}]}`), p)
	if err == nil || !strings.Contains(err.Error(), "records[1].value") {
		t.Errorf("error %v, want one at records[1].value", err)
	}
	a, err := ReadJSON([]byte(`{"cut_off": "2026-01", "records": [
		{"month": "2026-01", "partnership": "mkt", "category": "a", "measure": "orders", "value": 10},
		{"month": "2026-01", "partnership": "mkt", "category": "b", "measure": "orders", "value": 12.5}]}`), p)
	if err != nil || len(a.Records) != 2 || !a.Records[1].Value.Equal(d("12.5")) {
		t.Errorf("got %v, %v", a, err)
	}
}

// Threshold states at their edges, for a threshold of 100 and a 5 %
// margin: a minimum is breached just under 100, at risk from 100 to just
// under 105, on target from 105; a maximum the mirror image.
func TestClassifyEdges(t *testing.T) {
	t.Parallel()
	T, margin := d("100"), d("0.05")
	for _, c := range []struct {
		v    string
		dir  Direction
		want State
	}{
		{"99.99", AtLeast, Breached}, {"100", AtLeast, AtRisk}, {"104.99", AtLeast, AtRisk}, {"105", AtLeast, OnTarget},
		{"100.01", AtMost, Breached}, {"100", AtMost, AtRisk}, {"95.01", AtMost, AtRisk}, {"95", AtMost, OnTarget},
	} {
		if got := Classify(d(c.v), T, margin, c.dir); got != c.want {
			t.Errorf("Classify(%s, 100, 5 %%, %s) = %s, want %s", c.v, c.dir, got, c.want)
		}
	}
	if got := Classify(d("100"), T, decimal.Zero, AtLeast); got != OnTarget {
		t.Errorf("on the threshold with no margin: %s, want on_target", got)
	}
}
