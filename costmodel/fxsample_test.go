package costmodel

import "testing"

// TestFXSample loads the two-currency sample portfolio (USD, with an EUR
// marketplace at monthly rates) and checks that its EUR partnership's
// months before launch are empty and its converted GMV is the USD view of
// a positive EUR amount.
func TestFXSample(t *testing.T) {
	p, err := LoadFile("../testdata/larkspur-eu.json")
	if err != nil {
		t.Fatal(err)
	}
	st, err := Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	de := st.Partnerships[1]
	if de.ID != "amazon-de" {
		t.Fatalf("partnership 1 is %s", de.ID)
	}
	if c, _ := p.PartnershipCurrency(1); c.Code != "EUR" {
		t.Errorf("amazon-de's currency = %v", c)
	}
	for m := range 6 {
		if !de.Total.Monthly[m][LineGMV].IsZero() {
			t.Errorf("month %d: GMV %s before launch", m, de.Total.Monthly[m][LineGMV])
		}
	}
	if de.Total.Monthly[3][LineSetup].Sign() <= 0 || de.Total.Total[LineGMV].Sign() <= 0 {
		t.Errorf("amazon-de: set-up %s in month 3, GMV %s", de.Total.Monthly[3][LineSetup], de.Total.Total[LineGMV])
	}
	// Set-up is €9,000 in month 3, converted at that month's rate.
	want := d("9000").Mul(p.FX[0].Monthly[3]).Round(2)
	if got := de.Total.Monthly[3][LineSetup]; !got.Equal(want) {
		t.Errorf("set-up in USD = %s, want %s", got, want)
	}
}
