package scenario

import (
	"fmt"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// CompetitorCut is a competitor's price cut as a path over the months: it
// starts in month Start (an offset from the portfolio's start) at Depth,
// holds for Duration months, then fades linearly over Fade months: in
// fade month k = 1 … Fade the depth is
//
//	Depth × (Fade + 1 − k) / (Fade + 1)
//
// and after the fade it is 0 (Fade 3: ¾, ½, ¼ of Depth, then nothing).
//
// Our demand follows the price gap through a constant price elasticity:
// with our price moved by a factor (1 − f·d) (f the share of the cut we
// match) and the competitor's by (1 − d) in a month of depth d, our orders
// are multiplied by
//
//	((1 − f·d) / (1 − d))^Elasticity  =  (1 + relative price gap)^Elasticity
//
// Constant elasticity rather than a linear one: it is the log-log demand
// curve pricing analysts estimate, it is multiplicative (so it composes
// with seasonality and other shocks), and it never drives orders below
// zero however deep the cut; a linear rule 1 + ε × gap does at gaps past
// 1/|ε|. Holding price (f = 0) loses orders; matching fully (f = 1) keeps
// them at the lower price. It is the rule of CompetitiveShift, month by
// month.
//
// The path is an input, not model arithmetic: each month's multipliers
// are month-limited shocks (adjustments) of the existing price and
// orders drivers, so the model, the simulation and the workbook see them
// as they see any adjustment.
type CompetitorCut struct {
	// Categories is the pattern of the categories the competitor
	// undercuts ("*/toys", "amazon-us/*"); "" means every category, "*/*".
	Categories string
	// Start is the first month of the cut, from 0 to months − 1.
	Start int
	// Depth is the cut of the competitor's price at full depth, above 0
	// and below 1 (0.15 for 15 %).
	Depth decimal.Decimal
	// Duration is the months at full depth, at least 1.
	Duration int
	// Fade is the months of the linear fade after, at least 0.
	Fade int
	// Elasticity is our orders' price elasticity, ≤ 0; zero means −1.5.
	Elasticity decimal.Decimal
}

// Response is how we answer a competitor's cut: Match is the share of the
// cut we match, from 0 (hold price) to 1 (match it), month by month along
// the path.
type Response struct {
	Name  string
	Match decimal.Decimal
}

// HoldPrice keeps our prices: the response that loses orders.
func HoldPrice() Response { return Response{Name: "hold price", Match: decimal.Zero} }

// MatchPrice matches the competitor's cut in full: orders kept at the
// lower price.
func MatchPrice() Response { return Response{Name: "match", Match: decimal.NewFromInt(1)} }

// MatchPart matches a share of the cut ("match part (0.5)").
func MatchPart(share decimal.Decimal) Response {
	return Response{Name: fmt.Sprintf("match part (%s)", share), Match: share}
}

// Depths is the cut's depth in each month of a horizon of n months.
func (c CompetitorCut) Depths(n int) []decimal.Decimal {
	out := make([]decimal.Decimal, max(n, 0))
	for t := range out {
		switch k := t - c.Start - c.Duration + 1; {
		case t < c.Start:
		case t < c.Start+c.Duration:
			out[t] = c.Depth
		case k <= c.Fade:
			out[t] = c.Depth.Mul(decimal.NewFromInt(int64(c.Fade+1-k))).DivRound(decimal.NewFromInt(int64(c.Fade+1)), 12)
		}
	}
	return out
}

// check reports the problems of the cut over a horizon of n months, at
// paths under "competitor_cut".
func (c CompetitorCut) check(pr *costmodel.Problems, n int) {
	const at = "competitor_cut"
	if c.Depth.Sign() <= 0 || !c.Depth.LessThan(decimal.NewFromInt(1)) {
		pr.Add(at+".depth", decText(c.Depth), "a cut above 0 and below 1 (0.15 for 15 %)")
	}
	if c.Start < 0 || c.Start >= n {
		pr.Add(at+".start", fmt.Sprint(c.Start), fmt.Sprintf("a month offset from 0 to %d", n-1))
	}
	if c.Duration < 1 {
		pr.Add(at+".duration", fmt.Sprint(c.Duration), "at least 1 month at full depth")
	}
	if c.Fade < 0 {
		pr.Add(at+".fade", fmt.Sprint(c.Fade), "0 or more months of fade")
	}
	if c.Elasticity.Sign() > 0 {
		pr.Add(at+".elasticity", decText(c.Elasticity), "a price elasticity of demand ≤ 0 (−1.5: a 10 % gap loses about 13 % of orders)")
	}
}

// CompetitiveResponse is the scenario of our response r to the
// competitor's cut c on p: in every month of the path, our prices of the
// categories × (1 − r.Match × depth) and their orders × the elasticity's
// multiplier (see CompetitorCut), each rounded to 12 places.
func CompetitiveResponse(p *costmodel.Portfolio, c CompetitorCut, r Response) (Scenario, error) {
	if p == nil {
		return Scenario{}, errNoPortfolio()
	}
	if c.Categories == "" {
		c.Categories = "*/*"
	}
	if c.Elasticity.IsZero() {
		c.Elasticity = dec("-1.5")
	}
	var pr costmodel.Problems
	c.check(&pr, p.Months)
	one := decimal.NewFromInt(1)
	if r.Match.Sign() < 0 || r.Match.GreaterThan(one) {
		pr.Add("response.match", decText(r.Match), "a share of the cut from 0 (hold price) to 1 (match it)")
	}
	if err := pr.Err(); err != nil {
		return Scenario{}, err
	}
	name := r.Name
	if name == "" {
		name = fmt.Sprintf("match %s", r.Match)
	}
	s := Scenario{Name: name, Description: fmt.Sprintf("competitor cuts %s by %s from month %d for %d months, fading over %d; we match %s of it (elasticity %s)",
		c.Categories, c.Depth, c.Start, c.Duration, c.Fade, r.Match, c.Elasticity)}
	prices := priceTargets(p, c.Categories)
	orders := matching(p, c.Categories+"/orders")
	if len(orders) == 0 {
		return s, noMatch("competitor_cut.categories", c.Categories)
	}
	for t, depth := range c.Depths(p.Months) {
		if depth.IsZero() {
			continue
		}
		ours := one.Sub(r.Match.Mul(depth))
		gap := ours.DivRound(one.Sub(depth), 16)
		mult, err := gap.PowWithPrecision(c.Elasticity, 16)
		if err != nil {
			return Scenario{}, &costmodel.FieldError{Path: "competitor_cut.elasticity", Value: decText(c.Elasticity), Expected: "an elasticity the orders multiplier can be computed for: " + err.Error()}
		}
		mult = mult.Round(12)
		month := t
		if !ours.Equal(one) {
			for _, target := range prices {
				s.Shocks = append(s.Shocks, Shock{Target: target, Op: costmodel.Multiply, Value: ours, From: &month, To: &month})
			}
		}
		if !mult.Equal(one) {
			for _, target := range orders {
				s.Shocks = append(s.Shocks, Shock{Target: target, Op: costmodel.Multiply, Value: mult, From: &month, To: &month})
			}
		}
	}
	return s, nil
}

// CompetitiveResponses is CompetitiveResponse for each response (hold
// price, match, and match part (0.5) when none is given).
func CompetitiveResponses(p *costmodel.Portfolio, c CompetitorCut, rs ...Response) ([]Scenario, error) {
	if len(rs) == 0 {
		rs = []Response{HoldPrice(), MatchPrice(), MatchPart(dec("0.5"))}
	}
	out := make([]Scenario, 0, len(rs))
	for _, r := range rs {
		s, err := CompetitiveResponse(p, c, r)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
