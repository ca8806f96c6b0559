package costmodel

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/marginalhq/marginal/internal/graph"
	"github.com/shopspring/decimal"
)

// Several currencies (docs/currencies-and-growth.md).
//
// A partnership may be priced in a currency of its own
// (Partnership.Currency); the portfolio reports in its Currency, the base.
// Every input of such a partnership (prices, costs, fees, set-up) is in
// its own currency, and so are its lines as the formulas compute them:
// each base line of each month is first rounded once to the partnership
// currency's minor unit (the amount its invoices and settlements show),
// then converted at that month's FX rate and rounded once to the base
// currency's minor unit:
//
//	line(base) = round(line(local) × rate(t), base minor unit)
//
// Subtotals, partnership totals, roll-ups and the portfolio are sums of
// converted lines, so every statement still foots to the base currency's
// minor unit. Volumes (orders) are not converted.
//
// The conversion is written once, in the graph (modelBuilder.convert):
// the exact statement, the simulation tape and the workbook's formulas
// all read it.

// FXRate is the exchange rate of one currency into the portfolio's
// currency: Rate units of the portfolio currency buy one unit of Currency
// (USD per EUR = 1.08, USD per JPY = 0.0067). A rate is either one number
// for the whole horizon (Rate, driver portfolio/fx/<code>/rate, which
// Monte Carlo may draw month by month) or one number per month (Monthly,
// exactly Months of them, drivers portfolio/fx/<code>/month/1 to
// portfolio/fx/<code>/month/<Months>). Every rate is > 0 and has at most
// 12 decimal places.
type FXRate struct {
	// Currency is the ISO 4217 code converted from ("EUR"). Required.
	Currency string `json:"currency" required:"true"`
	// Rate is portfolio currency per unit of Currency, for every month.
	// Required unless monthly is given.
	Rate decimal.Decimal `json:"rate" required:"unless=monthly"`
	// Monthly is the rate month by month, one per month of the horizon.
	// Optional (use rate).
	Monthly []decimal.Decimal `json:"monthly,omitempty"`
}

// fxAddress is the address prefix of a currency's FX drivers.
func fxAddress(code string) string { return "portfolio/fx/" + strings.ToLower(code) + "/" }

// fx adds the FX rates' drivers to w.
func (w *walker) fx(p *Portfolio) {
	for i := range p.FX {
		f := &p.FX[i]
		cur, ok := LookupCurrency(f.Currency)
		code := strings.ToUpper(f.Currency)
		if ok {
			code = cur.Code
		}
		q := fxAddress(code)
		unit := "CUR per " + code
		if len(f.Monthly) == 0 {
			w.add(q+"rate", unit, kPositive, &f.Rate)
			continue
		}
		for t := range f.Monthly {
			w.add(q+"month/"+strconv.Itoa(t+1), unit, kPositive, &f.Monthly[t])
		}
	}
}

// localUnits writes a foreign-priced partnership's currency code into the
// units of its drivers, refs[from:] ("EUR/item" rather than "CUR/item").
func localUnits(refs []driverRef, p *Portfolio, ps *Partnership) {
	code, foreign := p.partnershipCurrency(ps)
	if !foreign {
		return
	}
	for k := range refs {
		refs[k].unit = strings.ReplaceAll(refs[k].unit, "CUR", code)
	}
}

// partnershipCurrency returns the ISO code of a partnership's currency and
// whether it differs from the portfolio's (an unknown code counts as
// foreign; Validate reports it).
func (p *Portfolio) partnershipCurrency(ps *Partnership) (string, bool) {
	base, _ := LookupCurrency(p.Currency)
	if ps.Currency == "" {
		return base.Code, false
	}
	c, ok := LookupCurrency(ps.Currency)
	if !ok {
		return strings.ToUpper(ps.Currency), true
	}
	return c.Code, c.Code != base.Code
}

// PartnershipCurrency returns the currency a partnership's inputs are in:
// its own, or the portfolio's when it has none. It returns false when the
// code is not one Marginal knows.
func (p *Portfolio) PartnershipCurrency(i int) (Currency, bool) {
	if p == nil || i < 0 || i >= len(p.Partnerships) {
		return Currency{}, false
	}
	code, _ := p.partnershipCurrency(&p.Partnerships[i])
	return LookupCurrency(code)
}

// fxRate returns the FX rate of a currency code, nil when there is none.
func (p *Portfolio) fxRate(code string) *FXRate {
	for i := range p.FX {
		if c, ok := LookupCurrency(p.FX[i].Currency); ok && c.Code == code {
			return &p.FX[i]
		}
	}
	return nil
}

// validateFX checks the FX rates and every partnership's currency.
func (p *Portfolio) validateFX(pr *Problems) {
	base, baseOK := LookupCurrency(p.Currency)
	seen := map[string]int{}
	for i := range p.FX {
		f := &p.FX[i]
		at := fmt.Sprintf("fx[%d]", i)
		c, ok := LookupCurrency(f.Currency)
		switch {
		case !ok:
			pr.Add(at+".currency", fmt.Sprintf("%q", f.Currency), "an ISO 4217 code Marginal knows, such as EUR, GBP, JPY")
		case baseOK && c.Code == base.Code:
			pr.Add(at+".currency", fmt.Sprintf("%q", f.Currency), "a currency other than the portfolio's "+base.Code+" (its rate is 1 by definition)")
		default:
			if j, dup := seen[c.Code]; dup {
				pr.Add(at+".currency", fmt.Sprintf("%q", f.Currency), fmt.Sprintf("a currency not already given in fx[%d]", j))
			}
			seen[c.Code] = i
		}
		if len(f.Monthly) > 0 {
			if !f.Rate.IsZero() {
				pr.Add(at+".rate", f.Rate.String(), "no rate when monthly is given (one or the other)")
			}
			if p.Months >= 1 && p.Months <= MaxMonths && len(f.Monthly) != p.Months {
				got := fmt.Sprintf("%d rates", len(f.Monthly))
				if len(f.Monthly) < p.Months {
					pr.Add(at+".monthly", got, fmt.Sprintf("one rate per month of the %d-month horizon: months %d to %d (%s to %s) have none",
						p.Months, len(f.Monthly)+1, p.Months, p.Start.Add(len(f.Monthly)), p.Start.Add(p.Months-1)))
				} else {
					pr.Add(at+".monthly", got, fmt.Sprintf("one rate per month of the %d-month horizon, no more", p.Months))
				}
			}
		}
	}
	for i := range p.Partnerships {
		ps := &p.Partnerships[i]
		if ps.Currency == "" {
			continue
		}
		at := fmt.Sprintf("partnerships[%d].currency", i)
		c, ok := LookupCurrency(ps.Currency)
		switch {
		case !ok:
			pr.Add(at, fmt.Sprintf("%q", ps.Currency), "an ISO 4217 code Marginal knows, such as USD, EUR, GBP, JPY")
		case baseOK && c.Code != base.Code && p.fxRate(c.Code) == nil:
			pr.Add(at, fmt.Sprintf("%q", ps.Currency), fmt.Sprintf(
				"a currency with an FX rate into %s: add {\"currency\": %q, \"rate\": ...} (or \"monthly\") to the portfolio's fx", base.Code, c.Code))
		}
	}
}

// fxAt is the node of a currency's FX rate in month t.
func (b *modelBuilder) fxAt(f *FXRate, t int) graph.ID {
	if len(f.Monthly) > 0 {
		return b.at(&f.Monthly[t], t)
	}
	return b.at(&f.Rate, t)
}

// partnershipIn builds a partnership's rows (partnership) in its own
// currency and converts them into the portfolio's.
func (b *modelBuilder) partnershipIn(ps *Partnership, own *BlockNodes) []BlockNodes {
	code, foreign := b.p.partnershipCurrency(ps)
	if !foreign {
		return b.partnership(ps, own)
	}
	local, _ := LookupCurrency(code)
	baseMinor := b.minor
	b.minor = local.MinorUnit
	cats := b.partnership(ps, own)
	b.minor = baseMinor
	f := b.p.fxRate(code)
	for j := range cats {
		b.convert(&cats[j], f, code)
	}
	b.convert(own, f, code)
	return cats
}

// convert turns a row's base lines, each already rounded to its
// currency's minor unit, into the portfolio's currency at each month's
// rate, each rounded once to the portfolio currency's minor unit.
func (b *modelBuilder) convert(nb *BlockNodes, f *FXRate, code string) {
	base, _ := LookupCurrency(b.p.Currency)
	var labels [NumLines]string
	for l := Line(0); l < NumLines; l++ {
		labels[l] = fmt.Sprintf("%s in %s: the %s amount × %s per %s of the month, rounded to %s's minor unit",
			l.Label(), base.Code, code, base.Code, code, base.Code)
	}
	for t := range nb.Monthly {
		a := &nb.Monthly[t]
		var rate graph.ID = -1
		for l := Line(0); l < NumLines; l++ {
			if l.IsSubtotal() || a[l] == b.Zero() || !l.IsMoney() {
				continue // (downtime is hours, not money)
			}
			if rate < 0 {
				rate = b.fxAt(f, t)
			}
			a[l] = b.money(b.Mul(a[l], rate))
			b.Label(a[l], labels[l])
		}
	}
}

// plansByMonth reports whether drivers read by month need every month's
// order and fixed plans of its own: FX rates do not, since only the
// conversion reads them (each month at its own rate), after the plans.
func plansByMonth(byMonth []string) bool {
	for _, addr := range byMonth {
		if !strings.HasPrefix(addr, "portfolio/fx/") {
			return true
		}
	}
	return false
}
