package actuals

import (
	"bytes"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
)

// FuzzReadCSV: no file makes ReadCSV (or NewModel on what it accepts)
// panic, and what it accepts builds a model whose bridge foots.
func FuzzReadCSV(f *testing.F) {
	f.Add("month,partnership,category,measure,value\n2026-01,mkt,a,orders,150\n2026-01,mkt,b,orders,90\n2026-01,mkt,b,gmv,1980\n")
	f.Add("month,partnership,category,measure,value\n2026-01,mkt,a,orders,1e3\n2026-01,mkt,b,orders,0\n2026-01,mkt,,commission_rate,0.5\n")
	f.Add("month,partnership,category,measure,value\n2026-01,mkt,a,orders,0\n2026-01,mkt,b,orders,0\n2026-01,mkt,a,gmv,5\n")
	f.Add("\ufeffmonth,partnership,category,measure,value\n\"2026-01\",mkt,a,returned_items,999\n")
	f.Fuzz(func(t *testing.T, csv string) {
		p := twoCategories()
		a, err := ReadCSV(bytes.NewBufferString(csv), p, costmodel.Month{})
		if err != nil {
			return
		}
		m, err := NewModel(p, a)
		if err != nil {
			return
		}
		b, err := m.Bridge(costmodel.Output{})
		if err != nil {
			t.Fatal(err)
		}
		sum := b.Plan
		for _, e := range b.Effects {
			sum = sum.Add(e.Amount)
		}
		if !sum.Equal(b.Actual) {
			t.Fatalf("plan %s + effects %s ≠ actual %s", b.Plan, sum, b.Actual)
		}
	})
}
