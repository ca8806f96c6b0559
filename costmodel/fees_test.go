package costmodel

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal   { return decimal.RequireFromString(s) }
func dp(s string) *decimal.Decimal { v := d(s); return &v }

// The cases are public fee schedules (Amazon, eBay, Stripe, AWS, as
// published 2024–2026), computed by hand.
func TestItemFee(t *testing.T) {
	t.Parallel()
	beauty := &Commission{ // Amazon Beauty: 8 % up to $10.00, 15 % above, whole amount
		Tiers:    []Tier{{UpTo: dp("10.00"), Rate: d("0.08")}, {Rate: d("0.15")}},
		TierMode: AllUnits, MinPerItem: d("0.30"),
	}
	accessories := &Commission{ // Amazon Electronics Accessories: 15 % to $100, 8 % above, marginal
		Tiers:    []Tier{{UpTo: dp("100"), Rate: d("0.15")}, {Rate: d("0.08")}},
		TierMode: Marginal, MinPerItem: d("0.30"),
	}
	clothing := &Commission{ // Amazon Clothing: 5 % ≤ $15, 10 % $15–20, 17 % above, whole amount
		Tiers:    []Tier{{UpTo: dp("15"), Rate: d("0.05")}, {UpTo: dp("20"), Rate: d("0.10")}, {Rate: d("0.17")}},
		TierMode: AllUnits,
	}
	coins := &Commission{ // Collectible coins: 15 % to $250, 10 % to $1,000, 6 % above, marginal
		Tiers:    []Tier{{UpTo: dp("250"), Rate: d("0.15")}, {UpTo: dp("1000"), Rate: d("0.10")}, {Rate: d("0.06")}},
		TierMode: Marginal,
	}
	flat := &Commission{Rate: d("0.15"), MinPerItem: d("0.30")}
	capped := &Commission{Rate: d("0.15"), CapPerItem: dp("2.00")}
	cases := []struct {
		name string
		c    *Commission
		base string
		want string
	}{
		{"beauty $10.00 is in the 8% tier", beauty, "10.00", "0.80"},
		{"beauty $10.01 pays 15% on the whole", beauty, "10.01", "1.5015"},
		{"beauty $3 hits the $0.30 minimum", beauty, "3.00", "0.30"},
		{"accessories $150 marginal", accessories, "150", "19.00"},
		{"accessories $100 at the boundary", accessories, "100", "15.00"},
		{"accessories $1.50 minimum", accessories, "1.50", "0.30"},
		{"flat 15% of $1.50 is below the minimum", flat, "1.50", "0.30"},
		{"flat 15% of $20", flat, "20", "3.00"},
		{"clothing $15 in the 5% tier", clothing, "15", "0.75"},
		{"clothing $18 in the 10% tier", clothing, "18", "1.80"},
		{"clothing $20.01 in the 17% tier", clothing, "20.01", "3.4017"},
		{"coins $1,500 marginal over three bands", coins, "1500", "142.50"}, // 37.50 + 75 + 30
		{"cap per item", capped, "100", "2.00"},
		{"zero price", beauty, "0", "0.30"},
	}
	for _, c := range cases {
		got := c.c.ItemFee(d(c.base))
		if !got.Equal(d(c.want)) {
			t.Errorf("%s: ItemFee(%s) = %s, want %s", c.name, c.base, got, c.want)
		}
	}
	// The rounded fee of $10.01 at 15 % is the $1.50 Amazon publishes.
	if got := beauty.ItemFee(d("10.01")).Round(2); !got.Equal(d("1.50")) {
		t.Errorf("beauty $10.01 rounded = %s, want 1.50", got)
	}
}

func TestOrderAndPaymentFees(t *testing.T) {
	t.Parallel()
	ebay := &Commission{Rate: d("0.136"), PerOrderFee: d("0.30"), PerOrderThreshold: dp("10"), PerOrderFeeAbove: d("0.40")}
	// eBay: $50 order → 13.6 % × 50 + $0.40 = $7.20
	if got := ebay.ItemFee(d("50")).Add(ebay.OrderFee(d("50"))); !got.Equal(d("7.20")) {
		t.Errorf("eBay $50 = %s, want 7.20", got)
	}
	if got := ebay.OrderFee(d("10")); !got.Equal(d("0.30")) {
		t.Errorf("eBay $10 order fee = %s, want 0.30", got)
	}
	ach := &PaymentFee{Rate: d("0.008"), Cap: dp("5.00")}
	if got := ach.Fee(d("1000")); !got.Equal(d("5.00")) {
		t.Errorf("ACH $1,000 = %s, want 5.00", got)
	}
	if got := ach.Fee(d("100")); !got.Equal(d("0.80")) {
		t.Errorf("ACH $100 = %s, want 0.80", got)
	}
	card := &PaymentFee{Rate: d("0.029"), Fixed: d("0.30")}
	if got := card.Fee(d("99")); !got.Equal(d("3.171")) { // DOMAIN's dress example: $3.17
		t.Errorf("card $99 = %s, want 3.171", got)
	}
	amazon := &RefundTerms{AdminFixed: dp("5.00"), AdminRate: d("0.20")}
	if got := amazon.AdminFee(d("3.00")); !got.Equal(d("0.60")) {
		t.Errorf("admin fee on $3 = %s, want 0.60", got)
	}
	if got := amazon.AdminFee(d("40.00")); !got.Equal(d("5.00")) {
		t.Errorf("admin fee on $40 = %s, want 5.00 (the lesser)", got)
	}
	books := &RefundTerms{}
	if got := books.AdminFee(d("40.00")); !got.IsZero() {
		t.Errorf("books admin fee = %s, want 0", got)
	}
}

func TestVolumePricingAWS(t *testing.T) {
	t.Parallel()
	bands := []Band{ // AWS egress, us-east-1, 1 TB = 1,024 GB
		{UpTo: dp("10240"), Price: d("0.09")},
		{UpTo: dp("51200"), Price: d("0.085")},
		{UpTo: dp("153600"), Price: d("0.07")},
		{Price: d("0.05")},
	}
	tb60 := d("61440")
	cases := []struct {
		name string
		v    VolumePricing
		q    decimal.Decimal
		want string
	}{
		{"60 TB, no allowance", VolumePricing{Bands: bands}, tb60, "5120"},
		{"60 TB, 100 GB off the first band", VolumePricing{Allowance: d("100"), AllowanceMode: FirstBand, Bands: bands}, tb60, "5111"},
		{"60 TB, default mode is first band", VolumePricing{Allowance: d("100"), Bands: bands}, tb60, "5111"},
		{"60 TB, allowance shifts the bands", VolumePricing{Allowance: d("100"), AllowanceMode: Shift, Bands: bands}, tb60, "5113"},
		{"inside the allowance", VolumePricing{Allowance: d("100"), Bands: bands}, d("80"), "0"},
		// 200 TB = 204,800 GB: 10,240×0.09 + 40,960×0.085 + 102,400×0.07 + 51,200×0.05
		{"200 TB reaches the last band", VolumePricing{Bands: bands}, d("204800"), "14131.2"},
	}
	for _, c := range cases {
		if got := c.v.Cost(c.q); !got.Equal(d(c.want)) {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// API Gateway REST: 1,500 M requests = 333×3.50 + 667×2.80 + 500×2.38 = 1165.50 + 1867.60 + 1190.00
	api := VolumePricing{Bands: []Band{{UpTo: dp("333"), Price: d("3.50")}, {UpTo: dp("1000"), Price: d("2.80")}, {UpTo: dp("20000"), Price: d("2.38")}, {Price: d("1.51")}}}
	if got := api.Cost(d("1500")); !got.Equal(d("4223.10")) {
		t.Errorf("API 1,500 M = %s, want 4223.10", got)
	}
}

func TestTierFeeEdges(t *testing.T) {
	t.Parallel()
	if got := TierFee(nil, AllUnits, d("10")); !got.IsZero() {
		t.Errorf("no tiers: %s", got)
	}
	tiers := []Tier{{UpTo: dp("10"), Rate: d("0.1")}, {Rate: d("0.2")}}
	if got := TierFee(tiers, Marginal, d("-5")); !got.IsZero() {
		t.Errorf("negative amount: %s", got)
	}
	if got := TierFee(tiers, Marginal, d("25")); !got.Equal(d("4")) { // 1 + 3
		t.Errorf("marginal 25: %s", got)
	}
	if got := TierFee(tiers, AllUnits, d("25")); !got.Equal(d("5")) {
		t.Errorf("all-units 25: %s", got)
	}
}
