package costmodel

import (
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"
)

// MaxMonths is the longest horizon a portfolio may have (50 years).
const MaxMonths = 600

// A portfolio that validates must always write a workbook, and a workbook
// has Excel's limits: a formula of at most 8,192 characters and a sheet of
// at most 1,048,576 rows. A partnership's total sums its categories' rows
// and the portfolio's sums its partnerships' (about 12 characters a
// reference), so each is bounded; the Statement has a row per category,
// own row and total per month, so their product is bounded too.
const (
	// MaxPartnerships is the most partnerships in one portfolio.
	MaxPartnerships = 500
	// MaxCategories is the most categories in one partnership.
	MaxCategories = 500
	// MaxStatementRows is the most rows the workbook's Statement may
	// have: Excel's 1,048,576 less its heading.
	MaxStatementRows = 1_048_575
)

// StatementRows is the number of rows the workbook's Statement holds for
// p: per partnership, a row per month for each category, its own lines
// and its total, and a horizon line; then the portfolio's months and
// horizon.
func StatementRows(p *Portfolio) int {
	if p == nil || p.Months < 1 {
		return 0
	}
	rows := p.Months + 1
	for i := range p.Partnerships {
		rows += (len(p.Partnerships[i].Categories)+2)*p.Months + 1
	}
	return rows
}

func checkWorkbookSize(pr *Problems, p *Portfolio) {
	if n := len(p.Partnerships); n > MaxPartnerships {
		pr.Add("partnerships", fmt.Sprintf("%d partnerships", n), fmt.Sprintf("at most %d partnerships in one portfolio (a workbook formula sums them; split the portfolio)", MaxPartnerships))
	}
	for i := range p.Partnerships {
		if n := len(p.Partnerships[i].Categories); n > MaxCategories {
			pr.Add(fmt.Sprintf("partnerships[%d].categories", i), fmt.Sprintf("%d categories", n), fmt.Sprintf("at most %d categories in one partnership (a workbook formula sums them)", MaxCategories))
		}
	}
	if p.Months >= 1 && p.Months <= MaxMonths {
		if rows := StatementRows(p); rows > MaxStatementRows {
			pr.Add("months", fmt.Sprint(p.Months), fmt.Sprintf("a portfolio whose Statement fits one Excel sheet: %d partnerships and their categories over %d months need %d rows, Excel holds %d (fewer months or categories, or split the portfolio)", len(p.Partnerships), p.Months, rows, MaxStatementRows))
		}
	}
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

// slugExpected says what an ID must be; an ID that only breaks the rule
// for its first character is told so, since '-' and '_' are allowed after it.
func slugExpected(id string, max string) string {
	if id != "" && (id[0] == '-' || id[0] == '_') && slugRE.MatchString("a"+id[1:]) {
		return "a slug that must start with a lower-case letter or digit; '-' and '_' may follow it"
	}
	return "a slug of lower-case letters, digits, '-' and '_', starting with a letter or digit" + max
}

// reserved are the words a category ID may not take because they name a
// partnership's own inputs in driver addresses.
var reserved = map[string]bool{
	"commission": true, "minimum_commission": true, "payment": true, "marketing": true,
	"setup": true, "maintenance": true, "data_transfer": true, "api": true, "support": true,
	"capacity": true, "partner": true, "customer_value": true, "lane": true, "outage": true, "takes": true,
}

// Validate checks every input of p and returns nil or a *ValidationError
// listing every problem, each with its JSON path (structure) or driver
// address (values) and what was expected.
func (p *Portfolio) Validate() error {
	if p == nil {
		return errNilPortfolio
	}
	var pr Problems
	if _, ok := LookupCurrency(p.Currency); !ok {
		pr.Add("currency", fmt.Sprintf("%q", p.Currency), "an ISO 4217 code Marginal knows, such as USD, EUR, GBP, JPY")
	}
	if !p.Start.valid() {
		pr.Add("start", fmt.Sprintf("%q", p.Start.String()), "a month YYYY-MM between 1900 and 9999")
	}
	if p.Months < 1 || p.Months > MaxMonths {
		pr.Add("months", fmt.Sprint(p.Months), fmt.Sprintf("a horizon from 1 to %d months", MaxMonths))
	} else if end := p.Start.Add(p.Months - 1); p.Start.valid() && end.after(lastMonth) {
		// The workbook dates every month; Excel has no date after
		// 9999-12-31, so a later month would be a broken cell.
		pr.Add("months", fmt.Sprint(p.Months), fmt.Sprintf(
			"a horizon that ends by %s, the last month Excel can date: start %s with %d months ends %s; from this start at most %d months",
			lastMonth, p.Start, p.Months, end, lastMonth.index()-p.Start.index()+1))
	}
	checkWorkbookSize(&pr, p)
	if len(p.Partnerships) == 0 {
		pr.Add("partnerships", "", "at least one partnership")
	}
	checkName(&pr, "name", p.Name)
	ids := map[string]int{}
	terms := map[*Commission]string{} // aliasing would silently pool volume and tie drivers together
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		at := fmt.Sprintf("partnerships[%d]", i)
		switch {
		case !slugRE.MatchString(ps.ID):
			pr.Add(at+".id", fmt.Sprintf("%q", ps.ID), slugExpected(ps.ID, " (up to 63)"))
		case ps.ID == "portfolio":
			pr.Add(at+".id", `"portfolio"`, "an ID other than the reserved word portfolio")
		}
		if j, dup := ids[ps.ID]; dup {
			pr.Add(at+".id", fmt.Sprintf("%q", ps.ID), fmt.Sprintf("an ID not already used by partnerships[%d]", j))
		} else {
			ids[ps.ID] = i
		}
		if ps.Channel == "" {
			pr.Add(at+".channel", "", "a channel name (marketplace, own-shop, integration, ...)")
		}
		checkName(&pr, at+".name", ps.Name)
		checkName(&pr, at+".channel", ps.Channel)
		if ps.LaunchMonth < 0 || (p.Months > 0 && ps.LaunchMonth >= p.Months) {
			pr.Add(at+".launch_month", fmt.Sprint(ps.LaunchMonth), "a month offset from 0 to months-1")
		}
		validatePartnership(&pr, p, ps, at)
		owners := []struct {
			c  *Commission
			at string
		}{{ps.Commission, at + ".commission"}}
		for j := range ps.Categories {
			owners = append(owners, struct {
				c  *Commission
				at string
			}{ps.Categories[j].Commission, fmt.Sprintf("%s.categories[%d].commission", at, j)})
		}
		for _, o := range owners {
			if o.c == nil {
				continue
			}
			if prev, dup := terms[o.c]; dup {
				pr.Add(o.at, "the same *Commission as "+prev, "terms of its own (terms shared by categories belong in the partnership's commission)")
			}
			terms[o.c] = o.at
		}
	}
	p.validateFX(&pr)
	p.validateTakes(&pr)
	for _, r := range p.refs() {
		if exp := r.kind.check(*r.ptr); exp != "" {
			pr.Add(r.addr, r.ptr.String(), exp)
		}
	}
	p.validateAdjustments(&pr, pr.Len() == 0)
	p.validateAllocation(&pr)
	return pr.Err()
}

func validatePartnership(pr *Problems, p *Portfolio, ps *Partnership, at string) {
	if ps.Commission != nil {
		validateCommission(pr, ps.Commission, at+".commission")
	}
	cats := map[string]int{}
	for j := range ps.Categories {
		c := &ps.Categories[j]
		cat := fmt.Sprintf("%s.categories[%d]", at, j)
		switch {
		case !slugRE.MatchString(c.ID):
			pr.Add(cat+".id", fmt.Sprintf("%q", c.ID), slugExpected(c.ID, " (up to 63)"))
		case reserved[c.ID]:
			pr.Add(cat+".id", fmt.Sprintf("%q", c.ID), "an ID that is not a reserved input name (commission, payment, marketing, setup, maintenance, data_transfer, api, support, capacity, minimum_commission, partner, customer_value, lane, outage, takes)")
		}
		checkName(pr, cat+".name", c.Name)
		if k, dup := cats[c.ID]; dup {
			pr.Add(cat+".id", fmt.Sprintf("%q", c.ID), fmt.Sprintf("an ID not already used by categories[%d] of this partnership", k))
		} else {
			cats[c.ID] = j
		}
		if len(c.PriceMix) > 0 {
			if !c.Price.IsZero() {
				pr.Add(cat+".price", c.Price.String(), "no price when price_mix is given (one or the other)")
			}
			sum := decimal.Zero
			for _, pt := range c.PriceMix {
				sum = sum.Add(pt.Share)
			}
			if !sum.Equal(one) {
				pr.Add(cat+".price_mix", "shares summing to "+sum.String(),
					fmt.Sprintf("shares summing to exactly 1 (the drivers %s/%s/price_mix/*/share)", ps.ID, c.ID))
			}
		}
		if n := len(c.Seasonality); n != 0 && n != 12 {
			pr.Add(cat+".seasonality", fmt.Sprintf("%d values", n), "12 monthly multipliers, January to December, or none")
		}
		if c.LaunchMonth < 0 || (p.Months > 0 && c.LaunchMonth >= p.Months) {
			pr.Add(cat+".launch_month", fmt.Sprint(c.LaunchMonth), "a month offset from 0 to months-1")
		}
		if c.RampMonths < 0 || c.RampMonths > MaxMonths {
			pr.Add(cat+".ramp_months", fmt.Sprint(c.RampMonths), fmt.Sprintf("0 to %d months", MaxMonths))
		}
		if c.Commission != nil {
			validateCommission(pr, c.Commission, cat+".commission")
		}
	}
	if len(ps.Categories) == 0 && ps.Commission != nil {
		pr.Add(at+".categories", "", "at least one category when the partnership has commission terms")
	}
	setups := map[string]bool{}
	for j, s := range ps.Setup {
		q := fmt.Sprintf("%s.setup[%d]", at, j)
		checkItemID(pr, q, s.ID, setups)
		if s.Month < 0 || (p.Months > 0 && s.Month >= p.Months) {
			pr.Add(q+".month", fmt.Sprint(s.Month), "a month offset from 0 to months-1")
		}
		if s.AmortMonths < 0 || s.AmortMonths > MaxMonths {
			pr.Add(q+".amort_months", fmt.Sprint(s.AmortMonths), fmt.Sprintf("0 to %d", MaxMonths))
		}
	}
	maint := map[string]bool{}
	for j, m := range ps.Maintenance {
		checkItemID(pr, fmt.Sprintf("%s.maintenance[%d]", at, j), m.ID, maint)
	}
	if ps.DataTransfer != nil {
		validatePricing(pr, &ps.DataTransfer.Pricing, at+".data_transfer.pricing")
	}
	if ps.API != nil {
		validatePricing(pr, &ps.API.Pricing, at+".api.pricing")
	}
	validateCapacity(pr, ps, at)
	validateSides(pr, ps, at)
	validateLane(pr, ps, at)
	validateOutage(pr, p, ps, at)
}

// maxNameLength bounds names: they head rows and charts, and a
// spreadsheet cell holds at most 32,767 characters.
const maxNameLength = 500

func checkName(pr *Problems, path, name string) {
	if n := len([]rune(name)); n > maxNameLength {
		pr.Add(path, fmt.Sprintf("%d characters", n), fmt.Sprintf("a name of at most %d characters", maxNameLength))
	}
}

func checkItemID(pr *Problems, q, id string, seen map[string]bool) {
	if !slugRE.MatchString(id) {
		pr.Add(q+".id", fmt.Sprintf("%q", id), slugExpected(id, ""))
	} else if seen[id] {
		pr.Add(q+".id", fmt.Sprintf("%q", id), "an ID not already used in this list")
	}
	seen[id] = true
}

func validateCommission(pr *Problems, c *Commission, at string) {
	if len(c.Tiers) > 0 {
		if !c.Rate.IsZero() {
			pr.Add(at+".rate", c.Rate.String(), "no flat rate when tiers are given (one or the other)")
		}
		if c.TierMode != AllUnits && c.TierMode != Marginal {
			pr.Add(at+".tier_mode", fmt.Sprintf("%q", c.TierMode), `"all_units" or "marginal"`)
		}
		checkBounds(pr, at+".tiers", len(c.Tiers), func(i int) *decimal.Decimal { return c.Tiers[i].UpTo })
	} else if c.TierMode != "" {
		pr.Add(at+".tier_mode", fmt.Sprintf("%q", c.TierMode), "no tier_mode without tiers")
	}
	switch c.TierBasis {
	case "", PerItem, MonthlyGMV, MonthlyOrders:
	default:
		pr.Add(at+".tier_basis", fmt.Sprintf("%q", c.TierBasis), `"item", "monthly_gmv" or "monthly_orders"`)
	}
	if c.CapPerItem != nil && c.CapPerItem.LessThan(c.MinPerItem) {
		pr.Add(at+".cap_per_item", c.CapPerItem.String(), "a cap ≥ min_per_item ("+c.MinPerItem.String()+")")
	}
	if c.PerOrderThreshold == nil && !c.PerOrderFeeAbove.IsZero() {
		pr.Add(at+".per_order_fee_above", c.PerOrderFeeAbove.String(), "per_order_threshold to be set too")
	}
}

func validatePricing(pr *Problems, v *VolumePricing, at string) {
	switch v.AllowanceMode {
	case "", FirstBand, Shift:
	default:
		pr.Add(at+".allowance_mode", fmt.Sprintf("%q", v.AllowanceMode), `"first_band" or "shift"`)
	}
	if len(v.Bands) == 0 {
		pr.Add(at+".bands", "", "at least one price band")
		return
	}
	checkBounds(pr, at+".bands", len(v.Bands), func(i int) *decimal.Decimal { return v.Bands[i].UpTo })
}

// checkBounds checks a list of bands: upper bounds strictly ascending,
// positive, and only the last one unbounded.
func checkBounds(pr *Problems, at string, n int, upTo func(int) *decimal.Decimal) {
	prev := decimal.Zero
	for i := 0; i < n; i++ {
		u := upTo(i)
		q := fmt.Sprintf("%s[%d].up_to", at, i)
		if u == nil {
			if i != n-1 {
				pr.Add(q, "none", "an upper bound on every band but the last")
			}
			continue
		}
		if i == n-1 {
			pr.Add(q, u.String(), "no upper bound on the last band, so that every amount falls in a band")
		}
		if !u.GreaterThan(prev) {
			pr.Add(q, u.String(), "an upper bound greater than the previous one ("+prev.String()+"): bands must ascend without overlapping")
		}
		prev = *u
	}
}
