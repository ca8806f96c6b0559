package costmodel

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"
)

// Lane says that a partnership ships its orders across a border, from
// Origin to Destination, and what that costs on top of its categories'
// domestic costs. Every amount is in the partnership's currency
// (Partnership.Currency), per order; the lines are written once in the
// model graph (graphlane.go) and converted into the portfolio's currency
// with the partnership's other lines. See docs/currencies-and-growth.md.
//
// Orders are modelled at each category's average order value: the goods
// value of an order is units per order × the average item price (the
// price mix's share-weighted mean), and every order of the category is
// that order. A de-minimis threshold therefore charges every order or
// none: an average above the threshold charges duty on every order, even
// though in reality some orders would be below it. Per order:
//
//	goods value    = units per order × average price
//	customs value  = goods value + ShippingPerOrder   (CustomsValue "goods_and_shipping", the default)
//	               = goods value                      (CustomsValue "goods")
//	duty           = 0 if goods value ≤ DutyDeMinimis, else DutyRate × customs value
//	import VAT     = 0 if goods value ≤ VATDeMinimis, else VATRate × (customs value + duty)   (VAT "absorbed" only)
//
// and the category lines of a month with n orders (each rounded once to
// the partnership currency's minor unit):
//
//	Import duty              = n × duty                                  (CM1: part of the landed cost of goods)
//	Import VAT (absorbed)    = n × import VAT                            (CM1)
//	International shipping   = n × ShippingPerOrder                      (CM2)
//	Return shipping          = n × effective return rate × ReturnShippingPerOrder   (CM2)
//	FX conversion fee        = FXFeeRate × (GMV − refunds)               (CM2)
//
// The effective return rate of each category on the lane is
// min(return rate + ExtraReturnRate, 1); it moves refunds, COGS (kept
// items), commission refunded and return handling as the category's own
// return rate does. Return shipping reads the item return rate as the
// share of orders sent back (one return parcel per returned order). Duty
// and import VAT are not refunded on returns (no drawback is modelled).
//
// VAT collected from the customer is never revenue: prices are net of VAT
// and the statement has no VAT in GMV or net sales. VAT matters only when
// the seller pays it and cannot pass it on (VAT "absorbed": delivered
// duty paid to consumers, with no registration to reclaim it), and then
// as a cost line. With VAT "marketplace" the marketplace collects and
// remits it as deemed supplier or facilitator; with "collected" the
// seller charges it on top of its ex-VAT price and remits it (the EU's
// IOSS, the UK's point-of-sale VAT): either way it passes through and
// is not in the statement.
//
// Landed cost per unit (Model.LandedCost, CategoryStatement.LandedCost)
// is unit cost + (duty + import VAT + ShippingPerOrder) ÷ units per
// order, in the partnership's currency.
type Lane struct {
	// Origin is the ISO 3166-1 alpha-2 code of the country the orders
	// ship from ("US"). Required.
	Origin string `json:"origin" required:"true"`
	// Destination is the ISO 3166-1 alpha-2 code of the country they ship
	// to ("DE"), other than Origin. Required. Destinations that
	// require duty and VAT to be stated (Destinations) need duty_rate and
	// vat.
	Destination string `json:"destination" required:"true"`
	// CustomsValue is what duty is a rate of: "goods_and_shipping" (the
	// default: the goods and the international shipping to the border,
	// as the EU, the UK and most destinations value imports) or "goods"
	// (the goods alone, as the US and Canada value them, without the
	// international freight). Optional.
	CustomsValue CustomsValue `json:"customs_value,omitempty"`
	// DutyRate is the import duty as a fraction of the customs value,
	// ≥ 0 (above 1 for tariffs over 100 %). Driver <id>/lane/duty_rate.
	// Optional (nil: no duty), but required for a destination of
	// Destinations unless origin and destination are both in the EU's
	// customs union (write 0 if no duty applies).
	DutyRate *decimal.Decimal `json:"duty_rate,omitempty"`
	// DutyDeMinimis is the goods value per order at or below which no duty
	// is charged (the EU's €150), ≥ 0. Driver
	// <id>/lane/duty_de_minimis. Optional (nil: duty on every order);
	// only with duty_rate.
	DutyDeMinimis *decimal.Decimal `json:"duty_de_minimis,omitempty"`
	// VAT says who pays the destination's VAT or GST: "absorbed" (the
	// seller pays import VAT and cannot recover it: a cost line),
	// "collected" (the seller charges it on top of its ex-VAT price and
	// remits it: pass-through) or "marketplace" (the marketplace collects
	// and remits it as deemed supplier or facilitator: pass-through).
	// Optional (""): no VAT, but required for a destination of
	// Destinations.
	VAT VATTreatment `json:"vat,omitempty"`
	// VATRate is the import VAT or GST as a fraction of customs value plus
	// duty, 0 to 1. Driver <id>/lane/vat_rate. Required with VAT
	// "absorbed", refused otherwise (VAT that passes through is not in the
	// statement, so its rate would move nothing).
	VATRate *decimal.Decimal `json:"vat_rate,omitempty"`
	// VATDeMinimis is the goods value per order at or below which no
	// import VAT is charged, ≥ 0. Driver <id>/lane/vat_de_minimis.
	// Optional (nil: VAT on every order); only with vat_rate.
	VATDeMinimis *decimal.Decimal `json:"vat_de_minimis,omitempty"`
	// ShippingPerOrder is the international shipping cost per order, on
	// top of the category's shipping_cost, ≥ 0. Driver
	// <id>/lane/shipping_per_order. Optional (default 0).
	ShippingPerOrder decimal.Decimal `json:"shipping_per_order,omitzero"`
	// ExtraReturnRate is added to every category's return rate on the
	// lane (cross-border orders come back more often), 0 to 1; the sum
	// is capped at 1. Driver <id>/lane/extra_return_rate. Optional
	// (default 0).
	ExtraReturnRate decimal.Decimal `json:"extra_return_rate,omitzero"`
	// ReturnShippingPerOrder is the cost of shipping a returned order back
	// across the border, ≥ 0. Driver <id>/lane/return_shipping_per_order.
	// Optional (default 0).
	ReturnShippingPerOrder decimal.Decimal `json:"return_shipping_per_order,omitzero"`
	// FXFeeRate is the payment provider's (or marketplace's) fee for
	// converting the lane's takings, as a fraction of the amount it
	// converts, the month's net sales (GMV − refunds), 0 to 1. Driver
	// <id>/lane/fx_fee_rate. Optional (default 0: nothing converted, or
	// no fee).
	FXFeeRate decimal.Decimal `json:"fx_fee_rate,omitzero"`
}

// CustomsValue is what a lane's duty is a rate of.
type CustomsValue string

// The customs values a lane may use.
const (
	GoodsAndShipping CustomsValue = "goods_and_shipping"
	GoodsOnly        CustomsValue = "goods"
)

// VATTreatment says who pays a lane's VAT or GST.
type VATTreatment string

// The VAT treatments of a lane.
const (
	VATAbsorbed    VATTreatment = "absorbed"
	VATCollected   VATTreatment = "collected"
	VATMarketplace VATTreatment = "marketplace"
)

// Destination is a country whose imports a lane must state its duty and
// VAT for. StandardVAT is the standard VAT or GST rate as published
// (2025), for documentation only: the model never reads it, the user
// states the rate of the goods (reduced rates and local taxes differ).
type Destination struct {
	Code        string // ISO 3166-1 alpha-2
	Name        string
	Tax         string // the tax's name
	StandardVAT string // the standard rate, as published; "" where there is none
	EU          bool   // a member of the EU's customs union (no duty between members)
}

// Destinations are the countries a lane into which must state duty_rate
// and vat: the EU's members, the UK, the US, Canada, Australia and Japan.
var Destinations = []Destination{
	{"AT", "Austria", "VAT", "20 %", true}, {"BE", "Belgium", "VAT", "21 %", true},
	{"BG", "Bulgaria", "VAT", "20 %", true}, {"HR", "Croatia", "VAT", "25 %", true},
	{"CY", "Cyprus", "VAT", "19 %", true}, {"CZ", "Czechia", "VAT", "21 %", true},
	{"DK", "Denmark", "VAT", "25 %", true}, {"EE", "Estonia", "VAT", "24 %", true},
	{"FI", "Finland", "VAT", "25.5 %", true}, {"FR", "France", "VAT", "20 %", true},
	{"DE", "Germany", "VAT", "19 %", true}, {"GR", "Greece", "VAT", "24 %", true},
	{"HU", "Hungary", "VAT", "27 %", true}, {"IE", "Ireland", "VAT", "23 %", true},
	{"IT", "Italy", "VAT", "22 %", true}, {"LV", "Latvia", "VAT", "21 %", true},
	{"LT", "Lithuania", "VAT", "21 %", true}, {"LU", "Luxembourg", "VAT", "17 %", true},
	{"MT", "Malta", "VAT", "18 %", true}, {"NL", "Netherlands", "VAT", "21 %", true},
	{"PL", "Poland", "VAT", "23 %", true}, {"PT", "Portugal", "VAT", "23 %", true},
	{"RO", "Romania", "VAT", "21 %", true}, {"SK", "Slovakia", "VAT", "23 %", true},
	{"SI", "Slovenia", "VAT", "22 %", true}, {"ES", "Spain", "VAT", "21 %", true},
	{"SE", "Sweden", "VAT", "25 %", true},
	{"GB", "United Kingdom", "VAT", "20 %", false},
	{"US", "United States", "state and local sales taxes", "", false},
	{"CA", "Canada", "GST/HST", "5 % GST (HST 13–15 % in some provinces)", false},
	{"AU", "Australia", "GST", "10 %", false},
	{"JP", "Japan", "consumption tax", "10 %", false},
}

// LookupDestination returns the entry of Destinations for a country code.
func LookupDestination(code string) (Destination, bool) {
	for _, d := range Destinations {
		if d.Code == code {
			return d, true
		}
	}
	return Destination{}, false
}

var countryRE = regexp.MustCompile(`^[A-Z]{2}$`)

// lane lists the drivers of a partnership's lane.
func (w *walker) lane(pre string, l *Lane) {
	if l == nil {
		return
	}
	q := pre + "lane/"
	w.opt(q+"duty_rate", "fraction of customs value", kNonNeg, l.DutyRate)
	w.opt(q+"duty_de_minimis", "CUR/order (goods value)", kNonNeg, l.DutyDeMinimis)
	w.opt(q+"vat_rate", "fraction of customs value + duty", kRate, l.VATRate)
	w.opt(q+"vat_de_minimis", "CUR/order (goods value)", kNonNeg, l.VATDeMinimis)
	w.add(q+"shipping_per_order", "CUR/order", kNonNeg, &l.ShippingPerOrder)
	w.add(q+"extra_return_rate", "fraction of items", kRate, &l.ExtraReturnRate)
	w.add(q+"return_shipping_per_order", "CUR/returned order", kNonNeg, &l.ReturnShippingPerOrder)
	w.add(q+"fx_fee_rate", "fraction of net sales", kRate, &l.FXFeeRate)
}

func (l *Lane) clone() *Lane {
	if l == nil {
		return nil
	}
	q := *l
	q.DutyRate, q.DutyDeMinimis = dptr(l.DutyRate), dptr(l.DutyDeMinimis)
	q.VATRate, q.VATDeMinimis = dptr(l.VATRate), dptr(l.VATDeMinimis)
	return &q
}

// validateLane reports the structural problems of a partnership's lane:
// country codes, the statements a destination requires, and options that
// do not go together. Values out of range are reported by their drivers.
func validateLane(pr *Problems, ps *Partnership, at string) {
	l := ps.Lane
	if l == nil {
		return
	}
	at += ".lane"
	for _, c := range []struct{ field, code string }{{"origin", l.Origin}, {"destination", l.Destination}} {
		if !countryRE.MatchString(c.code) {
			pr.Add(at+"."+c.field, quote(c.code), "an ISO 3166-1 alpha-2 country code in capitals (US, DE, GB, JP)")
		}
	}
	if l.Origin != "" && strings.EqualFold(l.Origin, l.Destination) {
		pr.Add(at+".destination", quote(l.Destination), "a country other than the origin (a lane crosses a border)")
	}
	switch l.CustomsValue {
	case "", GoodsAndShipping, GoodsOnly:
	default:
		pr.Add(at+".customs_value", quote(string(l.CustomsValue)), `"goods_and_shipping" (goods and international shipping, the default) or "goods"`)
	}
	switch l.VAT {
	case "", VATCollected, VATMarketplace:
		if l.VATRate != nil {
			pr.Add(at+".vat_rate", l.VATRate.String(), `no vat_rate unless vat is "absorbed": VAT collected from the customer passes through and is not in the statement`)
		}
	case VATAbsorbed:
		if l.VATRate == nil {
			pr.Add(at+".vat_rate", "", `the import VAT/GST rate with vat "absorbed" (a fraction of customs value + duty, 0.19 for 19 %)`)
		}
	default:
		pr.Add(at+".vat", quote(string(l.VAT)), `"absorbed" (the seller pays import VAT and cannot recover it), "collected" (charged on top of the ex-VAT price and remitted) or "marketplace" (collected by the marketplace as facilitator)`)
	}
	if l.VATDeMinimis != nil && l.VATRate == nil {
		pr.Add(at+".vat_de_minimis", l.VATDeMinimis.String(), "no VAT threshold without a vat_rate")
	}
	if l.DutyDeMinimis != nil && l.DutyRate == nil {
		pr.Add(at+".duty_de_minimis", l.DutyDeMinimis.String(), "no duty threshold without a duty_rate")
	}
	d, listed := LookupDestination(l.Destination)
	if !listed {
		return
	}
	origin, _ := LookupDestination(l.Origin)
	if l.DutyRate == nil && !(d.EU && origin.EU) {
		pr.Add(at+".duty_rate", "", fmt.Sprintf("the import duty rate of the goods into %s (%s), as a fraction of the customs value: %s requires it to be stated (write 0 if none applies)", d.Code, d.Name, d.Name))
	}
	if l.VAT == "" {
		rate := ""
		if d.StandardVAT != "" {
			rate = ", standard rate " + d.StandardVAT
		}
		pr.Add(at+".vat", "", fmt.Sprintf(`who pays %s's %s%s: "absorbed" (with vat_rate), "collected" or "marketplace"`, d.Name, d.Tax, rate))
	}
}
