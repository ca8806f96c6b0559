package deal

import (
	"fmt"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/finance"
	"github.com/shopspring/decimal"
)

// PayoutCycle is how a marketplace pays out what a partnership earns, so
// that cash lags the statement:
//
//   - a month's earnings are settled on the month's last day;
//   - the marketplace pays on FirstPayout and every EveryDays days after;
//     each payout pays what was settled on or before its date and not yet
//     paid, less ReserveShare of it;
//   - each reserve is held ReserveDays from the payout that withheld it
//     and paid with the first payout on or after that.
//
// A negative month (refunds above sales) is netted off in the same way.
// Amounts are rounded to the currency's minor unit (the reserve rounded
// half away from zero, the payout the rest), so the payouts sum to the
// earnings to the cent.
type PayoutCycle struct {
	// EveryDays (≥ 1) is the days between payouts.
	EveryDays int `json:"every_days" required:"true"`
	// FirstPayout is the date of the first payout (YYYY-MM-DD).
	FirstPayout Date `json:"first_payout" required:"true"`
	// ReserveShare, in [0, 1), is the share of each payout held back.
	ReserveShare decimal.Decimal `json:"reserve_share,omitzero"`
	// ReserveDays (≥ 0) is how long a reserve is held.
	ReserveDays int `json:"reserve_days,omitempty"`
}

// Date is a calendar date, written "2026-01-31" in JSON.
type Date struct{ time.Time }

// MarshalJSON writes the date as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

// UnmarshalJSON reads a "YYYY-MM-DD" date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if d == nil {
		return fmt.Errorf("deal: Date.UnmarshalJSON on a nil *Date")
	}
	var s string
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("a date as \"YYYY-MM-DD\", got %s", b)
	}
	s = string(b[1 : len(b)-1])
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("a date as \"YYYY-MM-DD\", got %q", s)
	}
	d.Time = t
	return nil
}

func (c *PayoutCycle) check(p *costmodel.Problems, at string) {
	if c.EveryDays < 1 {
		p.Add(at+".every_days", fmt.Sprint(c.EveryDays), "at least 1 day between payouts")
	}
	if c.FirstPayout.IsZero() {
		p.Add(at+".first_payout", "", "the first payout's date (YYYY-MM-DD)")
	}
	if c.ReserveShare.Sign() < 0 || !c.ReserveShare.LessThan(decimal.NewFromInt(1)) {
		p.Add(at+".reserve_share", c.ReserveShare.String(), "a share in [0, 1)")
	}
	if c.ReserveDays < 0 {
		p.Add(at+".reserve_days", fmt.Sprint(c.ReserveDays), "days ≥ 0")
	}
}

// settleDate is the last day of month i from start.
func settleDate(start costmodel.Month, i int) time.Time {
	m := start.Add(i + 1)
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
}

// monthStart is the first day of month i from start.
func monthStart(start costmodel.Month, i int) time.Time {
	m := start.Add(i)
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)
}

// payouts is the generic schedule: the payout dates and amounts of the
// monthly earnings, up to and including the payout that clears the last
// reserve. until, when not zero, stops the schedule before that date
// (the marketplace pays nothing after a partner's failure): what is
// unpaid then is returned as lost.
func payouts[T any](o ops[T], c *PayoutCycle, start costmodel.Month, earned []T, until time.Time) (dates []time.Time, amounts []T, lost T) {
	lost = o.zero()
	if c == nil || c.EveryDays < 1 || len(earned) == 0 {
		return nil, nil, lost
	}
	share := o.from(c.ReserveShare)
	type held struct {
		release time.Time
		amount  T
	}
	var reserves []held
	next := 0 // the next month to settle
	last := settleDate(start, len(earned)-1)
	for k := 0; ; k++ {
		day := c.FirstPayout.AddDate(0, 0, k*c.EveryDays)
		if !until.IsZero() && !day.Before(until) {
			break
		}
		settled := o.zero()
		for next < len(earned) && !settleDate(start, next).After(day) {
			settled = o.add(settled, earned[next])
			next++
		}
		reserve := o.money(o.mul(settled, share))
		pay := o.sub(settled, reserve)
		if o.cmp(reserve, o.zero()) != 0 {
			reserves = append(reserves, held{day.AddDate(0, 0, c.ReserveDays), reserve})
		}
		kept := reserves[:0]
		for _, r := range reserves {
			if !r.release.After(day) {
				pay = o.add(pay, r.amount)
			} else {
				kept = append(kept, r)
			}
		}
		reserves = kept
		if o.cmp(pay, o.zero()) != 0 {
			dates = append(dates, day)
			amounts = append(amounts, pay)
		}
		if next == len(earned) && len(reserves) == 0 && day.After(last) {
			return dates, amounts, lost
		}
	}
	for ; next < len(earned); next++ {
		if settleDate(start, next).Before(until) {
			lost = o.add(lost, earned[next])
		}
	}
	for _, r := range reserves {
		lost = o.add(lost, r.amount)
	}
	return dates, amounts, lost
}

// Schedule returns the dated payouts of monthly earnings (earned[i] is
// month i from start's, as a statement line), amounts rounded to minor
// decimal places. The payouts sum to the earnings.
func (c *PayoutCycle) Schedule(start costmodel.Month, earned []decimal.Decimal, minor int32) []finance.DatedFlow {
	if c == nil {
		return nil
	}
	ds, as, _ := payouts(decOps(minor), c, start, earned, time.Time{})
	out := make([]finance.DatedFlow, len(ds))
	for i := range ds {
		out[i] = finance.DatedFlow{Date: ds[i], Amount: as[i]}
	}
	return out
}

// Unpaid is what the marketplace owes on date: the earnings of the months
// settled before it less the payouts before it, reserves included.
// A partner that fails on date never pays it: the receivables lost.
func (c *PayoutCycle) Unpaid(start costmodel.Month, earned []decimal.Decimal, date time.Time, minor int32) decimal.Decimal {
	if c == nil {
		return decimal.Zero
	}
	_, _, lost := payouts(decOps(minor), c, start, earned, date)
	return lost
}
