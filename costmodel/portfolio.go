package costmodel

import "github.com/shopspring/decimal"

// Portfolio is every partnership a business runs or considers, with the
// conventions they share. Build one as a struct literal or load one from
// JSON with Load; Evaluate validates it before computing anything.
type Portfolio struct {
	// Name labels the portfolio in reports.
	Name string `json:"name,omitempty"`
	// Currency is the ISO 4217 code of every amount ("USD").
	Currency string `json:"currency"`
	// Start is the first month of the horizon.
	Start Month `json:"start"`
	// Months is the horizon, from 1 to 600.
	Months int `json:"months"`
	// DiscountRate is the annual rate for NPV, as a fraction (0.10 = 10 %),
	// greater than −1 and at most 10. It becomes monthly as
	// (1 + r)^(1/12) − 1. Driver address: portfolio/discount_rate.
	DiscountRate decimal.Decimal `json:"discount_rate"`
	// Partnerships are the channels and integrations, each with a unique ID.
	Partnerships []Partnership `json:"partnerships"`
	// Adjustments change drivers in some months only (a peak season, an
	// outage); scenario.Apply writes them. Most portfolios have none.
	Adjustments []Adjustment `json:"adjustments,omitempty"`
}

// Partnership is one marketplace, shop, or integration partner. Its ID is
// the first segment of every driver address inside it, so it must be a
// slug: lower-case letters, digits, '-' and '_'.
type Partnership struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Channel groups partnerships in roll-ups ("marketplace", "own-shop",
	// "integration").
	Channel string `json:"channel"`
	// LaunchMonth is the month offset (0 = the portfolio's first month) at
	// which orders start; set-up spending may come earlier.
	LaunchMonth int `json:"launch_month,omitempty"`
	// Categories are the product categories sold through the partnership.
	Categories []Category `json:"categories,omitempty"`
	// Commission is the default revenue-share terms of every category that
	// has none of its own. Nil means no commission (an own shop).
	Commission *Commission `json:"commission,omitempty"`
	// MinimumCommission is a monthly minimum guarantee on the commission
	// paid (net of refunded commission) over all categories: each month the
	// shortfall, if any, is paid as a true-up line at partnership level.
	// Zero means no guarantee.
	MinimumCommission decimal.Decimal `json:"minimum_commission,omitzero"`
	// Payment is the payment processor's fee on every order; nil when the
	// marketplace's commission already covers payment.
	Payment *PaymentFee `json:"payment,omitempty"`
	// Marketing spend attributed to the partnership.
	Marketing *Marketing `json:"marketing,omitempty"`
	// Setup is one-time spending.
	Setup []SetupItem `json:"setup,omitempty"`
	// Maintenance is monthly fixed running cost.
	Maintenance []MaintenanceItem `json:"maintenance,omitempty"`
	// DataTransfer, API and Support are the integration's variable running
	// costs; each is optional.
	DataTransfer *DataTransfer `json:"data_transfer,omitempty"`
	API          *APICalls     `json:"api,omitempty"`
	Support      *Support      `json:"support,omitempty"`
}

// Category is one product category sold through a partnership. Volumes are
// expected values: orders may be fractional and are never rounded.
type Category struct {
	// ID is a slug unique within the partnership; the same ID in several
	// partnerships rolls up into one category.
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Orders is the monthly order count at full volume before seasonality
	// and growth, ≥ 0.
	Orders decimal.Decimal `json:"orders"`
	// Price is the average item price, used when PriceMix is empty.
	Price decimal.Decimal `json:"price,omitzero"`
	// PriceMix lists price points and the share of orders at each; shares
	// must sum to 1. It matters wherever fees are not proportional to price
	// (tiers, minimums, caps, per-order fees).
	PriceMix []PricePoint `json:"price_mix,omitempty"`
	// UnitsPerOrder is the number of items per order, > 0 (1 when zero in
	// JSON is not assumed: it must be given).
	UnitsPerOrder decimal.Decimal `json:"units_per_order"`
	// ShippingCharge is what the customer pays for shipping, per order; it
	// is part of GMV and, when the commission says so, of the fee base.
	ShippingCharge decimal.Decimal `json:"shipping_charge,omitzero"`
	// UnitCost is the cost of goods per item (purchase, duties, inbound
	// freight).
	UnitCost decimal.Decimal `json:"unit_cost"`
	// ReturnRate is the share of items returned and refunded, in [0, 1].
	// Returned items go back to stock, so COGS is on kept items only.
	ReturnRate decimal.Decimal `json:"return_rate,omitzero"`
	// FulfilmentCost is per item shipped (pick, pack, packaging).
	FulfilmentCost decimal.Decimal `json:"fulfilment_cost,omitzero"`
	// ShippingCost is the outbound carrier cost per order.
	ShippingCost decimal.Decimal `json:"shipping_cost,omitzero"`
	// ReturnCost is the handling cost per returned item.
	ReturnCost decimal.Decimal `json:"return_cost,omitzero"`
	// StorageMonthly is the storage fee for the category's stock, per month.
	StorageMonthly decimal.Decimal `json:"storage_monthly,omitzero"`
	// Seasonality holds 12 multipliers of Orders, January to December; empty
	// means 1 for every month.
	Seasonality []decimal.Decimal `json:"seasonality,omitempty"`
	// RampMonths is the number of months from launch to full volume; 0
	// means full volume at launch. Volume rises linearly from RampStart at
	// launch to 1 at launch + RampMonths.
	RampMonths int             `json:"ramp_months,omitempty"`
	RampStart  decimal.Decimal `json:"ramp_start,omitzero"`
	// Growth is the annual growth rate of volume after launch, compounded
	// monthly: month t after launch has (1 + Growth)^(t/12). Greater than −1.
	Growth decimal.Decimal `json:"growth,omitzero"`
	// Commission overrides the partnership's default terms.
	Commission *Commission `json:"commission,omitempty"`
}

// PricePoint is one price and the share of orders at it.
type PricePoint struct {
	Price decimal.Decimal `json:"price"`
	Share decimal.Decimal `json:"share"`
}

// PaymentFee is a payment processor's price per order:
//
//	fee = min(Rate × order total + Fixed, Cap)
//
// on the order total (items + shipping charge). Payment fees are not
// returned on refunds. Stripe cards: Rate 0.029, Fixed 0.30; Stripe ACH
// debit: Rate 0.008, Cap 5.00.
type PaymentFee struct {
	Rate  decimal.Decimal  `json:"rate"`
	Fixed decimal.Decimal  `json:"fixed,omitzero"`
	Cap   *decimal.Decimal `json:"cap,omitempty"`
}

// Marketing is spend attributed to a partnership: Rate × GMV, attributed to
// each category by its GMV, plus Monthly, kept at partnership level.
type Marketing struct {
	Rate    decimal.Decimal `json:"rate,omitzero"`
	Monthly decimal.Decimal `json:"monthly,omitzero"`
}

// SetupItem is one-time spending in month Month (offset from the portfolio
// start, 0-based). AmortMonths > 0 spreads it evenly from that month in
// the accounting view (the Amortisation line); cash flow always takes it
// whole in Month.
type SetupItem struct {
	ID          string          `json:"id"`
	Amount      decimal.Decimal `json:"amount"`
	Month       int             `json:"month,omitempty"`
	AmortMonths int             `json:"amort_months,omitempty"`
}

// MaintenanceItem is a monthly fixed running cost:
//
//	Hours × HourlyRate + Monthly
//
// (engineering time and licences).
type MaintenanceItem struct {
	ID         string          `json:"id"`
	Hours      decimal.Decimal `json:"hours,omitzero"`
	HourlyRate decimal.Decimal `json:"hourly_rate,omitzero"`
	Monthly    decimal.Decimal `json:"monthly,omitzero"`
}

// DataTransfer is the volume of data an integration moves each month,
//
//	GB = orders × GBPer1000Orders / 1000 + FixedGB
//
// over all the partnership's categories, priced by Pricing (per GB).
type DataTransfer struct {
	GBPer1000Orders decimal.Decimal `json:"gb_per_1000_orders,omitzero"`
	FixedGB         decimal.Decimal `json:"fixed_gb,omitzero"`
	Pricing         VolumePricing   `json:"pricing"`
}

// APICalls is the number of API requests per month,
//
//	calls = orders × CallsPerOrder + FixedCalls
//
// priced by Pricing per million requests.
type APICalls struct {
	CallsPerOrder decimal.Decimal `json:"calls_per_order,omitzero"`
	FixedCalls    decimal.Decimal `json:"fixed_calls,omitzero"`
	Pricing       VolumePricing   `json:"pricing"`
}

// Support is customer and partner support:
//
//	cost = orders / 1000 × TicketsPer1000Orders × CostPerTicket + StaffMonthly
type Support struct {
	TicketsPer1000Orders decimal.Decimal `json:"tickets_per_1000_orders,omitzero"`
	CostPerTicket        decimal.Decimal `json:"cost_per_ticket,omitzero"`
	StaffMonthly         decimal.Decimal `json:"staff_monthly,omitzero"`
}
