package actuals

import (
	"bytes"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
)

func sampleModel(t *testing.T) (*Model, *Agreements) {
	t.Helper()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	a, err := ReadCSV(bytes.NewReader(marginal.SampleActuals()), p, costmodel.Month{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(p, a)
	if err != nil {
		t.Fatal(err)
	}
	ag, err := ReadAgreements(marginal.SampleAgreements(), p)
	if err != nil {
		t.Fatal(err)
	}
	return m, ag
}

// The fees the terms imply on the sample's ebay collectibles in February
// 2026, by hand: 150 orders, GMV 7,725.00 with 5.50 shipping charged, so
// the item price is 7,725 / 150 − 5.50 = 46.00; eBay's 13.6 % of item +
// shipping is 0.136 × 51.50 = 7.004 an item plus 0.40 an order (the
// order total 51.50 is above 10.00): 150 × 7.404 = 1,110.60. Six items
// are returned and the fee comes back whole (no administration fee):
// 6 × 7.004 = 42.024, 42.02. Marketing is 3 % of GMV: 231.75.
func TestSampleFeesByHand(t *testing.T) {
	t.Parallel()
	m, _ := sampleModel(t)
	ps, _ := m.Actual().Partnership("ebay")
	var row *costmodel.CategoryStatement
	for j := range ps.Categories {
		if ps.Categories[j].ID == "collectibles" {
			row = &ps.Categories[j]
		}
	}
	feb := row.Monthly[1]
	for _, c := range []struct {
		l    costmodel.Line
		want string
	}{
		{costmodel.LineGMV, "7725"}, {costmodel.LineCommission, "1110.6"}, {costmodel.LineCommissionRefund, "42.02"},
		{costmodel.LineRefunds, "276"}, // 6 × 46.00
	} {
		if !feb[c.l].Equal(d(c.want)) {
			t.Errorf("ebay collectibles February %s = %s, want %s", c.l, feb[c.l], c.want)
		}
	}
}

// The sample's planted deviations are found: the clothing return spike
// breaches amazon-us's return rate in September or October, feedlink's
// API calls run past the allowance and its orders under the agreed
// volume, its November outage breaches uptime, the minimum guarantee
// needs a true-up, and ebay's June bill is 12.50 over the terms.
func TestSampleDeviationsFound(t *testing.T) {
	t.Parallel()
	m, ag := sampleModel(t)
	hs, err := m.Health(ag)
	if err != nil {
		t.Fatal(err)
	}
	breached := func(name string) []string {
		var out []string
		for _, h := range hs {
			if h.Name != name {
				continue
			}
			for _, w := range h.Windows {
				if w.State == Breached {
					out = append(out, w.Window.String())
				}
			}
		}
		return out
	}
	if b := breached("free API allowance"); len(b) == 0 {
		t.Error("feedlink's API calls never breach the allowance")
	}
	if b := breached("uptime commitment"); len(b) != 1 {
		t.Errorf("uptime breached in %v, want November only", b)
	}
	if b := breached("volume behind the minimum guarantee"); len(b) == 0 {
		t.Error("feedlink's orders never breach the agreed volume")
	}
	if b := breached("return rate across categories"); len(b) == 0 {
		t.Error("the clothing return spike breaches nothing")
	}
	ps, _ := m.Actual().Partnership("feedlink")
	if ps.Total.Total[costmodel.LineCommissionTrueUp].Sign() <= 0 {
		t.Error("no true-up under feedlink's minimum guarantee")
	}
	over := 0
	for _, b := range m.Billing() {
		if !b.Difference().IsZero() {
			over++
			if b.Partnership != "ebay" || b.Month.Month != 6 || !b.Difference().Equal(d("12.5")) {
				t.Errorf("billing difference %s for %s in %s, want 12.50 at ebay in June only", b.Difference(), b.Partnership, b.Month)
			}
		}
	}
	if over != 1 {
		t.Errorf("%d billing differences, want 1", over)
	}
}

// feedlink's data transfer: 800 GB fixed plus 2 GB per 1,000 orders is
// over the 100 GB free allowance every month, in the first band (up to
// 10,240 GB), so it ran out in its first month (April 2026); its API
// terms have no allowance.
func TestSampleAllowances(t *testing.T) {
	t.Parallel()
	m, _ := sampleModel(t)
	var found bool
	for _, al := range m.Allowances(3) {
		if al.Partnership != "feedlink" {
			continue
		}
		switch al.Measure {
		case DataTransferGB:
			found = true
			if !al.Allowance.Equal(d("100")) {
				t.Errorf("allowance %s GB, want 100", al.Allowance)
			}
			if al.RunsOut != (costmodel.Month{Year: 2026, Month: 4}) {
				t.Errorf("runs out %s, want 2026-04", al.RunsOut)
			}
			for t2 := 3; t2 < 12; t2++ {
				if al.Band[t2] != 1 {
					t.Errorf("month %d in band %d, want 1", t2, al.Band[t2])
				}
			}
			if al.Band[0] != 0 || !al.Monthly[0].IsZero() {
				t.Errorf("before launch: %s GB in band %d", al.Monthly[0], al.Band[0])
			}
		case APICalls:
			if al.Utilisation.Valid || !al.RunsOut.IsZero() {
				t.Errorf("API terms without an allowance: utilisation %v, runs out %s", al.Utilisation, al.RunsOut)
			}
		}
	}
	if !found {
		t.Error("no data transfer allowance for feedlink")
	}
}
