package scenario

import (
	"fmt"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// matching keeps the patterns that select at least one driver of p.
func matching(p *costmodel.Portfolio, patterns ...string) []string {
	var out []string
	for _, pat := range patterns {
		if _, err := p.Match(pat); err == nil {
			out = append(out, pat)
		}
	}
	return out
}

// noMatch is the error of a ready-made scenario whose targets select nothing.
func noMatch(name, what string) error {
	return &costmodel.FieldError{Path: name, Value: what, Expected: "a partnership or category pattern that selects drivers of the portfolio"}
}

// PeakSeasonOptions are the assumptions of a peak season. Zero fields take
// the defaults, from public figures on US e-commerce seasonality and
// marketplace peak fees:
//
//   - VolumeUplift 1.30: November–December bring roughly 30 % more revenue
//     than other months; the uplift multiplies the planned orders (on top
//     of any seasonality already in the plan: a peak stronger than planned);
//   - FulfilmentSurcharge 1.08: carriers and fulfilment networks add peak
//     surcharges in November–December (Amazon's holiday peak fulfilment
//     fee adds roughly 5–10 % per unit);
//   - StorageMultiplier 3: Amazon roughly triples monthly storage fees in
//     October–December.
type PeakSeasonOptions struct {
	Partnerships        string          // pattern of partnership IDs; "" = "*"
	VolumeUplift        decimal.Decimal // multiplier of orders in PeakMonths
	FulfilmentSurcharge decimal.Decimal // multiplier of fulfilment cost per item in PeakMonths
	StorageMultiplier   decimal.Decimal // multiplier of storage fees in StorageMonths
	PeakMonths          []time.Month    // default November, December
	StorageMonths       []time.Month    // default October, November, December
}

// PeakSeason is the ready-made peak-season scenario for p.
func PeakSeason(p *costmodel.Portfolio, o PeakSeasonOptions) (Scenario, error) {
	if p == nil {
		return Scenario{}, errNoPortfolio()
	}
	if o.Partnerships == "" {
		o.Partnerships = "*"
	}
	if o.VolumeUplift.IsZero() {
		o.VolumeUplift = dec("1.30")
	}
	if o.FulfilmentSurcharge.IsZero() {
		o.FulfilmentSurcharge = dec("1.08")
	}
	if o.StorageMultiplier.IsZero() {
		o.StorageMultiplier = dec("3")
	}
	if len(o.PeakMonths) == 0 {
		o.PeakMonths = []time.Month{time.November, time.December}
	}
	if len(o.StorageMonths) == 0 {
		o.StorageMonths = []time.Month{time.October, time.November, time.December}
	}
	s := Scenario{
		Name:        "peak-season",
		Description: fmt.Sprintf("orders ×%s and fulfilment ×%s in %v, storage ×%s in %v", o.VolumeUplift, o.FulfilmentSurcharge, o.PeakMonths, o.StorageMultiplier, o.StorageMonths),
	}
	add := func(target string, v decimal.Decimal, months []time.Month) {
		for _, t := range matching(p, target) {
			s.Shocks = append(s.Shocks, Shock{Target: t, Op: costmodel.Multiply, Value: v, CalendarMonths: months})
		}
	}
	add(o.Partnerships+"/*/orders", o.VolumeUplift, o.PeakMonths)
	add(o.Partnerships+"/*/fulfilment_cost", o.FulfilmentSurcharge, o.PeakMonths)
	add(o.Partnerships+"/*/storage_monthly", o.StorageMultiplier, o.StorageMonths)
	if len(s.Shocks) == 0 {
		return s, noMatch("peak-season", o.Partnerships)
	}
	return s, nil
}

// CompetitiveShiftOptions describe our response to a competitor's price
// move: our prices on the selected categories fall by PriceCut and volume
// answers with a constant price elasticity,
//
//	orders × (1 − PriceCut)^Elasticity
//
// (Elasticity −1.5 by default: a 10 % cut lifts orders by 17.1 %).
type CompetitiveShiftOptions struct {
	Categories string          // category pattern, e.g. "*/beauty" or "amazon-us/*"
	PriceCut   decimal.Decimal // 0.10 for 10 %
	Elasticity decimal.Decimal // < 0; zero means −1.5
	From       *int            // first month of the move; nil = the whole horizon
}

// CompetitiveShift is the ready-made competitive-shift scenario for p.
func CompetitiveShift(p *costmodel.Portfolio, o CompetitiveShiftOptions) (Scenario, error) {
	if p == nil {
		return Scenario{}, errNoPortfolio()
	}
	if o.Elasticity.IsZero() {
		o.Elasticity = dec("-1.5")
	}
	var pr costmodel.Problems
	if o.PriceCut.Sign() < 0 || !o.PriceCut.LessThan(decimal.NewFromInt(1)) {
		pr.Add("competitive-shift.price_cut", decText(o.PriceCut), "a cut from 0 to below 1 (0.10 for 10 %)")
	}
	if o.Elasticity.Sign() > 0 {
		pr.Add("competitive-shift.elasticity", decText(o.Elasticity), "a negative price elasticity of demand")
	}
	if err := pr.Err(); err != nil {
		return Scenario{}, err
	}
	one := decimal.NewFromInt(1)
	factor, err := one.Sub(o.PriceCut).PowWithPrecision(o.Elasticity, 16)
	if err != nil {
		return Scenario{}, err
	}
	s := Scenario{
		Name:        "competitive-shift",
		Description: fmt.Sprintf("prices of %s −%s, orders ×%s (elasticity %s)", o.Categories, o.PriceCut, factor.StringFixed(4), o.Elasticity),
	}
	shock := func(t string, v decimal.Decimal) {
		sh := Shock{Target: t, Op: costmodel.Multiply, Value: v}
		if o.From != nil {
			from, to := *o.From, p.Months-1
			sh.From, sh.To = &from, &to
		}
		s.Shocks = append(s.Shocks, sh)
	}
	for _, t := range priceTargets(p, o.Categories) {
		shock(t, one.Sub(o.PriceCut))
	}
	for _, t := range matching(p, o.Categories+"/orders") {
		shock(t, factor)
	}
	if len(s.Shocks) < 2 {
		return s, noMatch("competitive-shift.categories", o.Categories)
	}
	return s, nil
}

// PartnerOutageOptions describe a partner outage: Days of lost volume in
// month Month (an offset from the start) on the partnership, of which
// Recovered (a share, default 0) comes back as orders on the other
// partnerships, spread in proportion to their orders in that month.
type PartnerOutageOptions struct {
	Partnership string
	Month       int
	Days        int
	Recovered   decimal.Decimal
}

// PartnerOutage is the ready-made partner-outage scenario for p. The lost
// share of the month is Days / days in that calendar month. For a
// partnership with outage terms (costmodel.Outage) the scenario sets its
// downtime driver ("<id>/outage/downtime_hours") to 24 × Days hours in
// that month and the statement's outage lines give the loss; otherwise
// it cuts the month's orders by the lost share.
func PartnerOutage(p *costmodel.Portfolio, o PartnerOutageOptions) (Scenario, error) {
	if p == nil {
		return Scenario{}, errNoPortfolio()
	}
	var pr costmodel.Problems
	if o.Month < 0 || o.Month >= p.Months {
		pr.Add("partner-outage.month", fmt.Sprint(o.Month), fmt.Sprintf("a month offset from 0 to %d", p.Months-1))
	}
	m := p.Start.Add(o.Month)
	days := time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if o.Days < 0 || o.Days > days {
		pr.Add("partner-outage.days", fmt.Sprint(o.Days), fmt.Sprintf("0 to %d days", days))
	}
	if o.Recovered.Sign() < 0 || o.Recovered.GreaterThan(decimal.NewFromInt(1)) {
		pr.Add("partner-outage.recovered", decText(o.Recovered), "a share from 0 to 1")
	}
	found := false
	var others []string
	for _, ps := range p.Partnerships {
		if _, err := p.Match(ps.ID + "/*/orders"); err != nil {
			continue // no categories
		}
		if ps.ID == o.Partnership {
			found = true
		} else {
			others = append(others, ps.ID)
		}
	}
	if !found {
		pr.Add("partner-outage.partnership", quote(o.Partnership), "the ID of a partnership with categories")
	}
	if err := pr.Err(); err != nil {
		return Scenario{}, err
	}
	// The orders lost and the orders the others take in that month, as
	// the model has them (seasonality, ramp-up, growth and launch included).
	st, err := safeEvaluate(p)
	if err != nil {
		return Scenario{}, err
	}
	lostOrders, otherOrders := decimal.Zero, decimal.Zero
	for _, ps := range st.Partnerships {
		if ps.ID == o.Partnership {
			lostOrders = ps.Total.Orders[o.Month]
		} else {
			otherOrders = otherOrders.Add(ps.Total.Orders[o.Month])
		}
	}
	lost := decimal.NewFromInt(int64(o.Days)).DivRound(decimal.NewFromInt(int64(days)), 16)
	one := decimal.NewFromInt(1)
	month := o.Month
	s := Scenario{
		Name:        "partner-outage",
		Description: fmt.Sprintf("%s down %d of %d days in %s, %s of lost orders recovered elsewhere", o.Partnership, o.Days, days, m, o.Recovered),
		Shocks:      []Shock{{Target: o.Partnership + "/*/orders", Op: costmodel.Multiply, Value: one.Sub(lost), From: &month, To: &month}},
	}
	if downtime := o.Partnership + "/outage/downtime_hours"; hasDriver(p, downtime) {
		// A partnership with outage terms: the outage is its downtime
		// driver in that month (24 hours a day down), and the statement's
		// outage lines price it (lost GMV with the terms' recovery and
		// fallback, credits by band, the fallback's cost) instead of a
		// cut in orders.
		s.Shocks = []Shock{{Target: downtime, Op: costmodel.SetTo, Value: decimal.NewFromInt(int64(24 * o.Days)), From: &month, To: &month}}
	}
	if o.Recovered.Sign() > 0 && otherOrders.Sign() > 0 {
		uplift := one.Add(o.Recovered.Mul(lostOrders).Mul(lost).DivRound(otherOrders, 16))
		for _, id := range others {
			s.Shocks = append(s.Shocks, Shock{Target: id + "/*/orders", Op: costmodel.Multiply, Value: uplift, From: &month, To: &month})
		}
	}
	return s, nil
}

// FeeChangeOptions describe a change in a partnership's revenue share:
// every commission rate of the partnership (flat rates and tier rates)
// moves by PercentagePoints (0.02 = +2 points), from month From on (nil =
// the whole horizon).
type FeeChangeOptions struct {
	Partnership      string
	PercentagePoints decimal.Decimal
	From             *int
}

// FeeChange is the ready-made fee-change scenario for p.
func FeeChange(p *costmodel.Portfolio, o FeeChangeOptions) (Scenario, error) {
	if p == nil {
		return Scenario{}, errNoPortfolio()
	}
	id := o.Partnership
	targets := matching(p, id+"/commission/rate", id+"/*/commission/rate", id+"/commission/tier/*/rate", id+"/*/commission/tier/*/rate")
	if len(targets) == 0 {
		return Scenario{}, noMatch("fee-change.partnership", id)
	}
	sign := "+"
	if o.PercentagePoints.Sign() < 0 {
		sign = ""
	}
	s := Scenario{Name: "fee-change", Description: fmt.Sprintf("%s commission %s%s points", id, sign, o.PercentagePoints.Mul(decimal.NewFromInt(100)))}
	for _, t := range targets {
		sh := Shock{Target: t, Op: costmodel.Add, Value: o.PercentagePoints}
		if o.From != nil {
			from, to := *o.From, p.Months-1
			sh.From, sh.To = &from, &to
		}
		s.Shocks = append(s.Shocks, sh)
	}
	return s, nil
}

// CostKind names the cost a cost shock raises.
type CostKind string

// The costs a cost shock can raise.
const (
	ShippingCost     CostKind = "shipping"      // outbound shipping per order
	DataTransferCost CostKind = "data_transfer" // price per GB in every band
	FulfilmentCost   CostKind = "fulfilment"    // fulfilment per item
	APICost          CostKind = "api"           // price per million calls
)

// CostShock is the ready-made cost-shock scenario: the chosen cost
// multiplied by Multiplier (1.10 for +10 %) on the partnerships a pattern
// selects ("" = all).
func CostShock(p *costmodel.Portfolio, kind CostKind, multiplier decimal.Decimal, partnerships string) (Scenario, error) {
	if p == nil {
		return Scenario{}, errNoPortfolio()
	}
	if partnerships == "" {
		partnerships = "*"
	}
	var pattern string
	switch kind {
	case ShippingCost:
		pattern = partnerships + "/*/shipping_cost"
	case FulfilmentCost:
		pattern = partnerships + "/*/fulfilment_cost"
	case DataTransferCost:
		pattern = partnerships + "/data_transfer/band/*/price"
	case APICost:
		pattern = partnerships + "/api/band/*/price"
	default:
		return Scenario{}, &costmodel.FieldError{Path: "cost-shock.kind", Value: quote(kind), Expected: "shipping, fulfilment, data_transfer or api"}
	}
	if multiplier.Sign() < 0 {
		return Scenario{}, &costmodel.FieldError{Path: "cost-shock.multiplier", Value: decText(multiplier), Expected: "a multiplier ≥ 0 (1.10 for +10 %)"}
	}
	if len(matching(p, pattern)) == 0 {
		return Scenario{}, noMatch("cost-shock", pattern)
	}
	return Scenario{
		Name:        "cost-shock-" + string(kind),
		Description: fmt.Sprintf("%s costs ×%s", kind, multiplier),
		Shocks:      []Shock{{Target: pattern, Op: costmodel.Multiply, Value: multiplier}},
	}, nil
}

// hasDriver reports whether p has a driver at the address.
func hasDriver(p *costmodel.Portfolio, address string) bool {
	_, err := p.Driver(address)
	return err == nil
}
