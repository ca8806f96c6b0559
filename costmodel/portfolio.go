package costmodel

import "github.com/shopspring/decimal"

// Portfolio is every partnership a business runs or considers, with the
// conventions they share. Build one as a struct literal or load one from
// JSON with Load; Evaluate validates it before computing anything.
type Portfolio struct {
	// Name labels the portfolio in reports. Optional (default "").
	Name string `json:"name,omitempty"`
	// Currency is the ISO 4217 code of every amount ("USD"). Required.
	Currency string `json:"currency" required:"true"`
	// Start is the first month of the horizon. Required.
	Start Month `json:"start" required:"true"`
	// Months is the horizon, from 1 to 600, ending no later than
	// December 9999 (the last month of Excel's calendar). Required.
	Months int `json:"months" required:"true" range:"a horizon from 1 to 600 months"`
	// DiscountRate is the annual rate for NPV, as a fraction (0.10 = 10 %),
	// from −0.5 to 10. It becomes monthly as (1 + r)^(1/12) − 1. Driver
	// address: portfolio/discount_rate. Required: a missing rate would
	// value the cash flows at 0 % without saying so.
	DiscountRate decimal.Decimal `json:"discount_rate" required:"true"`
	// Partnerships are the channels and integrations, each with a unique
	// ID; at least one. Required.
	Partnerships []Partnership `json:"partnerships" required:"true"`
	// Adjustments change drivers in some months only (a peak season, an
	// outage); scenario.Apply writes them. Optional: most portfolios have
	// none.
	Adjustments []Adjustment `json:"adjustments,omitempty"`
	// Allocation shares partnership-level lines out to categories in the
	// statement's allocated view (allocation.go). Optional (none: the
	// statement has no allocated view).
	Allocation []AllocationRule `json:"allocation,omitempty"`
	// FX are the exchange rates into Currency of the currencies that
	// partnerships are priced in (Partnership.Currency), one entry per
	// currency. Optional: a single-currency portfolio has none.
	FX []FXRate `json:"fx,omitempty"`
}

// Partnership is one marketplace, shop, or integration partner. Its ID is
// the first segment of every driver address inside it, so it must be a
// slug: lower-case letters, digits, '-' and '_'.
type Partnership struct {
	// ID is the partnership's slug. Required.
	ID string `json:"id" required:"true"`
	// Name labels the partnership in reports. Optional (default "").
	Name string `json:"name,omitempty"`
	// Channel groups partnerships in roll-ups ("marketplace", "own-shop",
	// "integration"). Required.
	Channel string `json:"channel" required:"true"`
	// LaunchMonth is the month offset (0 = the portfolio's first month) at
	// which orders start; set-up spending may come earlier. Optional
	// (default 0: orders from the first month).
	LaunchMonth int `json:"launch_month,omitempty"`
	// Categories are the product categories sold through the partnership.
	// Optional (a partnership may carry costs only), but required when it
	// has commission terms.
	Categories []Category `json:"categories,omitempty"`
	// Commission is the default revenue-share terms of every category that
	// has none of its own. Nil means no commission (an own shop).
	Commission *Commission `json:"commission,omitempty"`
	// MinimumCommission is a monthly minimum guarantee on the commission
	// paid (net of refunded commission) over all categories: each month the
	// shortfall, if any, is paid as a true-up line at partnership level.
	// Optional (default 0: no guarantee).
	MinimumCommission decimal.Decimal `json:"minimum_commission,omitzero"`
	// Payment is the payment processor's fee on every order; nil (left
	// out) when the marketplace's commission already covers payment.
	Payment *PaymentFee `json:"payment,omitempty"`
	// Marketing spend attributed to the partnership. Optional (nil: none).
	Marketing *Marketing `json:"marketing,omitempty"`
	// Setup is one-time spending. Optional (none).
	Setup []SetupItem `json:"setup,omitempty"`
	// Maintenance is monthly fixed running cost. Optional (none).
	Maintenance []MaintenanceItem `json:"maintenance,omitempty"`
	// DataTransfer, API and Support are the integration's variable running
	// costs; each is optional (nil: no such cost).
	DataTransfer *DataTransfer `json:"data_transfer,omitempty"`
	API          *APICalls     `json:"api,omitempty"`
	Support      *Support      `json:"support,omitempty"`
	// Capacity is what the partnership's operations take in a month and
	// what going over costs (capacity.go). Optional (nil: no limits).
	Capacity *Capacity `json:"capacity,omitempty"`
	// Partner is the partner's side of the partnership, for fairness
	// (see PartnerSide). Optional (nil: the partner's value is the
	// revenue share it receives).
	Partner *PartnerSide `json:"partner,omitempty"`
	// CustomerValue is the value to us of the customers the partnership
	// acquires (see CustomerValue). Optional (nil: not counted).
	CustomerValue *CustomerValue `json:"customer_value,omitempty"`
	// Outage is the partnership's downtime and the service terms it
	// triggers: credits by band, penalties, lost GMV, a fallback path
	// (see Outage). Optional (nil: no outage lines).
	Outage *Outage `json:"outage,omitempty"`
	// Currency is the ISO 4217 code the partnership's inputs and lines
	// are in, when it is not the portfolio's ("EUR" for a European
	// marketplace); the portfolio's FX gives its rate, and the statement
	// shows its lines converted month by month (see FXRate). Optional
	// (default: the portfolio's currency).
	Currency string `json:"currency,omitempty"`
	// Lane says the partnership ships across a border and what that costs:
	// duty, import VAT, international and return shipping, the FX fee
	// (lane.go). Optional (nil: domestic).
	Lane *Lane `json:"lane,omitempty"`
	// Takes lists the shares of the partnership's orders that it takes
	// from other partnerships or channels (cannibalisation; see
	// OrderTake). Optional (none: every order is incremental).
	Takes []OrderTake `json:"takes,omitempty"`
}

// Category is one product category sold through a partnership. Volumes are
// expected values: orders may be fractional and are never rounded.
type Category struct {
	// ID is a slug unique within the partnership; the same ID in several
	// partnerships rolls up into one category. Required.
	ID string `json:"id" required:"true"`
	// Name labels the category in reports. Optional (default "").
	Name string `json:"name,omitempty"`
	// Orders is the monthly order count at full volume before seasonality
	// and growth, ≥ 0. Required.
	Orders decimal.Decimal `json:"orders" required:"true"`
	// Price is the average item price, used when PriceMix is empty.
	// Required unless price_mix is given.
	Price decimal.Decimal `json:"price" required:"unless=price_mix"`
	// PriceMix lists price points and the share of orders at each; shares
	// must sum to 1. It matters wherever fees are not proportional to price
	// (tiers, minimums, caps, per-order fees). Optional (use price).
	PriceMix []PricePoint `json:"price_mix,omitempty"`
	// UnitsPerOrder is the number of items per order, > 0. Required: 1 is
	// not assumed.
	UnitsPerOrder decimal.Decimal `json:"units_per_order" required:"true"`
	// ShippingCharge is what the customer pays for shipping, per order; it
	// is part of GMV and, when the commission says so, of the fee base.
	// Optional (default 0: free shipping).
	ShippingCharge decimal.Decimal `json:"shipping_charge,omitzero"`
	// UnitCost is the cost of goods per item (purchase, duties, inbound
	// freight). Required: write 0 for goods that cost nothing.
	UnitCost decimal.Decimal `json:"unit_cost" required:"true"`
	// ReturnRate is the share of items returned and refunded, in [0, 1].
	// Returned items go back to stock, so COGS is on kept items only.
	// Optional (default 0: no returns).
	ReturnRate decimal.Decimal `json:"return_rate,omitzero"`
	// FulfilmentCost is per item shipped (pick, pack, packaging).
	// Optional (default 0: none, as for goods the seller ships itself).
	FulfilmentCost decimal.Decimal `json:"fulfilment_cost,omitzero"`
	// ShippingCost is the outbound carrier cost per order. Optional
	// (default 0).
	ShippingCost decimal.Decimal `json:"shipping_cost,omitzero"`
	// ReturnCost is the handling cost per returned item. Optional
	// (default 0).
	ReturnCost decimal.Decimal `json:"return_cost,omitzero"`
	// StorageMonthly is the storage fee for the category's stock, per
	// month. Optional (default 0).
	StorageMonthly decimal.Decimal `json:"storage_monthly,omitzero"`
	// Seasonality holds 12 multipliers of Orders, January to December.
	// Optional (left out: 1 for every month).
	Seasonality []decimal.Decimal `json:"seasonality,omitempty"`
	// RampMonths is the number of months from launch to full volume.
	// Volume rises linearly from RampStart at launch to 1 at launch +
	// RampMonths. Optional (default 0: full volume at launch).
	RampMonths int `json:"ramp_months,omitempty"`
	// RampStart is the fraction of full volume at launch when RampMonths >
	// 0, in [0, 1]. Optional (default 0: the ramp starts from nothing).
	RampStart decimal.Decimal `json:"ramp_start,omitzero"`
	// Growth is the annual growth rate of volume after launch, compounded
	// monthly: month t after launch has (1 + Growth)^(t/12). From −0.99
	// (volume falls 99 % a year) to 10. Optional (default 0: flat volume).
	Growth decimal.Decimal `json:"growth,omitzero"`
	// Commission overrides the partnership's default terms. Optional
	// (nil: the partnership's terms).
	Commission *Commission `json:"commission,omitempty"`
	// LaunchMonth is the month offset at which the category starts to
	// sell when it launches after its partnership (SKUs added mid-horizon):
	// its orders, ramp and growth run from max(LaunchMonth, the
	// partnership's LaunchMonth), and before that it has no lines at all,
	// storage included. A listing or set-up cost of the new SKUs is a
	// SetupItem of the partnership in that month. Optional (default 0:
	// the category sells from the partnership's launch).
	LaunchMonth int `json:"launch_month,omitempty"`
}

// PricePoint is one price and the share of orders at it.
// Both fields are required.
type PricePoint struct {
	Price decimal.Decimal `json:"price" required:"true"`
	Share decimal.Decimal `json:"share" required:"true"`
}

// PaymentFee is a payment processor's price per order:
//
//	fee = min(Rate × order total + Fixed, Cap)
//
// on the order total (items + shipping charge). Payment fees are not
// returned on refunds. Stripe cards: Rate 0.029, Fixed 0.30; Stripe ACH
// debit: Rate 0.008, Cap 5.00. Rate is required (write 0 for a fixed fee
// only); Fixed is optional (default 0) and Cap too (nil: no cap).
type PaymentFee struct {
	Rate  decimal.Decimal  `json:"rate" required:"true"`
	Fixed decimal.Decimal  `json:"fixed,omitzero"`
	Cap   *decimal.Decimal `json:"cap,omitempty"`
}

// Marketing is spend attributed to a partnership: Rate × GMV, attributed to
// each category by its GMV, plus Monthly, kept at partnership level. Both
// are optional (default 0) but one of them must be given: an empty
// marketing object is a mistake, not a budget of nothing.
type Marketing struct {
	Rate    decimal.Decimal `json:"rate" required:"unless=monthly"`
	Monthly decimal.Decimal `json:"monthly,omitzero"`
}

// SetupItem is one-time spending in month Month (offset from the portfolio
// start, 0-based). AmortMonths > 0 spreads it evenly from that month in
// the accounting view (the Amortisation line); cash flow always takes it
// whole in Month. ID and Amount are required; Month is optional (default
// 0, the first month) and AmortMonths too (default 0: the accounting view
// takes the amount whole in Month, as cash flow does).
type SetupItem struct {
	ID          string          `json:"id" required:"true"`
	Amount      decimal.Decimal `json:"amount" required:"true"`
	Month       int             `json:"month,omitempty"`
	AmortMonths int             `json:"amort_months,omitempty"`
}

// MaintenanceItem is a monthly fixed running cost:
//
//	Hours × HourlyRate + Monthly
//
// (engineering time and licences). ID is required. Hours and HourlyRate
// come together (each is required when the other is given); Monthly is
// optional (default 0); an item with neither hours nor a monthly amount is
// an error.
type MaintenanceItem struct {
	ID         string          `json:"id" required:"true"`
	Hours      decimal.Decimal `json:"hours" required:"with=hourly_rate;unless=monthly"`
	HourlyRate decimal.Decimal `json:"hourly_rate" required:"with=hours"`
	Monthly    decimal.Decimal `json:"monthly,omitzero"`
}

// DataTransfer is the volume of data an integration moves each month,
//
//	GB = orders × GBPer1000Orders / 1000 + FixedGB
//
// over all the partnership's categories, priced by Pricing (per GB).
// Pricing is required; the volumes are optional (default 0) but one of
// them must be given.
type DataTransfer struct {
	GBPer1000Orders decimal.Decimal `json:"gb_per_1000_orders" required:"unless=fixed_gb"`
	FixedGB         decimal.Decimal `json:"fixed_gb,omitzero"`
	Pricing         VolumePricing   `json:"pricing" required:"true"`
}

// APICalls is the number of API requests per month,
//
//	calls = orders × CallsPerOrder + FixedCalls
//
// priced by Pricing per million requests. Pricing is required; the
// volumes are optional (default 0) but one of them must be given.
type APICalls struct {
	CallsPerOrder decimal.Decimal `json:"calls_per_order" required:"unless=fixed_calls"`
	FixedCalls    decimal.Decimal `json:"fixed_calls,omitzero"`
	Pricing       VolumePricing   `json:"pricing" required:"true"`
}

// Support is customer and partner support:
//
//	cost = orders / 1000 × TicketsPer1000Orders × CostPerTicket + StaffMonthly
//
// TicketsPer1000Orders and CostPerTicket come together (each is required
// when the other is given); StaffMonthly is optional (default 0); an empty
// support object is an error.
type Support struct {
	TicketsPer1000Orders decimal.Decimal `json:"tickets_per_1000_orders" required:"with=cost_per_ticket;unless=staff_monthly"`
	CostPerTicket        decimal.Decimal `json:"cost_per_ticket" required:"with=tickets_per_1000_orders"`
	StaffMonthly         decimal.Decimal `json:"staff_monthly,omitzero"`
}
