package report

import (
	"fmt"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/deal"
	"github.com/xuri/excelize/v2"
)

// SheetDeal is the sheet of a deal's terms (Options.Deal); the workbook
// has it only when a deal is given.
const SheetDeal = "Deal terms"

// DealSheet is what the Deal terms sheet shows: the terms, their plan
// evaluation (deal.Evaluate) and, when a simulation was run, their
// evaluation per trial (deal.EvaluateTrials; nil for none).
type DealSheet struct {
	Terms  *deal.Terms
	Plan   *deal.Plan
	Trials *deal.Trials
}

// writeDeal writes the Deal terms sheet: the tranches with their
// milestones and P(met), the funding staged against committed, the
// service-credit schedule, the exit assumptions, and the dated cash flows
// with XNPV and XIRR as live formulas over them.
func (b *book) writeDeal() error {
	ds := b.opt.Deal
	if ds == nil {
		return nil
	}
	if ds.Terms == nil || ds.Plan == nil {
		return fmt.Errorf("report: Options.Deal needs Terms and Plan (deal.Evaluate)")
	}
	b.pageSetup(SheetDeal, 1)
	t, pl, tr := ds.Terms, ds.Plan, ds.Trials
	g := b.grid(SheetDeal)
	lk := b.lk
	g.width(1, 1, 34)
	g.width(2, 10, 16)
	dateStyle, err := b.f.NewStyle(&excelize.Style{CustomNumFmt: &dayFormat, Alignment: &excelize.Alignment{Horizontal: "right"}})
	if err != nil {
		return err
	}
	g.text(1, 1, "Deal terms: "+t.Partnership, lk.Title)
	g.text(1, 2, "The plan is the statement; simulated figures are per trial of the Monte Carlo run. Investment "+t.Investment.String()+" in tranches.", lk.Note)
	b.staleNotice(SheetDeal, 1, 3)

	row := 4
	g.header(1, row, "Tranche month", "Amount", "Milestone", "Target", "On the plan", "Met on the plan", "P(reached)", "P(met)", "On a miss")
	row++
	ms := map[int]deal.MilestoneResult{}
	for _, m := range pl.Milestones {
		ms[m.Tranche] = m
	}
	for j, tc := range t.Tranches {
		g.value(1, row, time.Date(tc.Month.Year, tc.Month.Month, 1, 0, 0, 0, 0, time.UTC), lk.Month)
		g.value(2, row, num(tc.Amount), lk.Money)
		if m := tc.Milestone; m != nil {
			op, target := "≥", m.AtLeast
			if target == nil {
				op, target = "≤", m.AtMost
			}
			g.text(3, row, fmt.Sprintf("%s over %s %s", m.Metric, m.Window, op), 0)
			g.value(4, row, num(*target), 0)
			if r, ok := ms[j]; ok && r.Defined {
				g.value(5, row, num(r.Value), 0)
			} else {
				g.text(5, row, na, lk.NA)
			}
			g.value(6, row, ms[j].Met, lk.Flag)
			g.text(9, row, missText(tc), 0)
		} else {
			g.text(3, row, "unconditional", lk.Note)
		}
		if tr != nil {
			g.value(7, row, tr.PReached[j], lk.Percent)
			g.value(8, row, tr.PMet[j], lk.Percent)
		} else {
			g.text(7, row, noSimulation, lk.NA)
		}
		row++
	}
	row++
	g.header(1, row, "Funding", "Staged", "Committed up front", "Staged − committed")
	row++
	g.text(1, row, "Released on the plan", 0)
	g.value(2, row, num(pl.Staged.Released), lk.Money)
	g.value(3, row, num(pl.Committed.Released), lk.Money)
	g.formula(4, row, fmt.Sprintf("%s-%s", ref(2, row), ref(3, row)), num(pl.Staged.Released.Sub(pl.Committed.Released)), lk.Money)
	row++
	g.text(1, row, "NPV on the plan (value of the option to stop)", 0)
	g.value(2, row, num(pl.Staged.NPV), lk.Money)
	g.value(3, row, num(pl.Committed.NPV), lk.Money)
	g.formula(4, row, fmt.Sprintf("%s-%s", ref(2, row), ref(3, row)), num(pl.OptionValue), lk.Money)
	row++
	if tr != nil {
		g.text(1, row, "Simulated mean NPV", 0)
		g.value(2, row, tr.Staged.Mean, lk.Money)
		g.value(3, row, tr.Committed.Mean, lk.Money)
		g.value(4, row, tr.OptionValue.Mean, lk.Money)
		row++
		g.text(1, row, "Option value P5 / P50 / P95", 0)
		g.value(2, row, tr.OptionValue.P5, lk.Money)
		g.value(3, row, tr.OptionValue.P50, lk.Money)
		g.value(4, row, tr.OptionValue.P95, lk.Money)
		row++
		g.text(1, row, "Expected funding released, simulated", 0)
		g.value(2, row, tr.Released.Mean, lk.Money)
		row++
	}

	if s := b.outageOf(t.Partnership); s != nil {
		row++
		g.header(1, row, "Service credits: uptime from", "Uptime to (excluded)", "Share of the fee", "Credit")
		row++
		g.text(1, row, "Monthly fee", 0)
		feeRow := row
		g.value(2, row, num(s.MonthlyFee), lk.Money)
		g.text(3, row, fmt.Sprintf("commitment %s uptime; credits %s (the partnership's outage terms; the statement's outage lines)", s.UptimeCommitment, s.Direction), lk.Note)
		row++
		for _, band := range s.Credits {
			g.value(1, row, num(band.From), lk.Rate)
			g.value(2, row, num(band.To), lk.Rate)
			g.value(3, row, num(band.Share), lk.Percent)
			g.formula(4, row, fmt.Sprintf("ROUND(%s*%s,%d)", ref(3, row), absCell(2, feeRow), b.st.Currency.MinorUnit), num(band.Share.Mul(s.MonthlyFee).Round(b.st.Currency.MinorUnit)), lk.Money)
			row++
		}
		if tr != nil {
			g.text(1, row, "P(a credit in the horizon), simulated", 0)
			g.value(2, row, tr.PCredit, lk.Percent)
			g.text(3, row, "mean credits", lk.Note)
			g.value(4, row, tr.Credits.Mean, lk.Money)
			row++
		}
		if tr != nil && tr.ContingencyGain.Samples != nil {
			g.text(1, row, "P(contingency better), same outages", 0)
			g.value(2, row, tr.PContingencyBetter, lk.Percent)
			g.text(3, row, "mean gain", lk.Note)
			g.value(4, row, tr.ContingencyGain.Mean, lk.Money)
			row++
		}
	}

	if e := t.Exit; e != nil {
		row++
		g.header(1, row, "Exit and renewal", "Value")
		row++
		hazRow := row
		g.text(1, row, "Monthly hazard of the partner failing", 0)
		g.value(2, row, num(e.MonthlyHazard), lk.Rate)
		row++
		g.text(1, row, "P(failure within the horizon)", 0)
		pFail := 1.0
		for range b.st.Months {
			pFail *= 1 - e.MonthlyHazard.InexactFloat64()
		}
		if e.FailMonth.IsZero() {
			g.formula(2, row, fmt.Sprintf("1-(1-%s)^%d", ref(2, hazRow), b.st.Months), 1-pFail, lk.Percent)
		} else {
			g.value(2, row, 1.0, lk.Percent)
			g.text(3, row, "fails "+e.FailMonth.String(), lk.Note)
		}
		row++
		for _, kv := range []struct {
			label string
			v     float64
			style int
		}{
			{"Migration cost", num(e.MigrationCost), lk.Money},
			{"Termination fee (stopping early)", num(e.TerminationFee), lk.Money},
			{"Term, months (0: the horizon)", float64(e.TermMonths), lk.Months},
			{"Renewal probability", num(e.RenewalProbability), lk.Percent},
			{"Renewal re-pricing", num(e.RenewalChange), lk.Percent},
			{"Expected NPV lost to failure, plan", num(pl.ExpectedExitLoss), lk.Money},
		} {
			g.text(1, row, kv.label, 0)
			g.value(2, row, kv.v, kv.style)
			row++
		}
	}

	if len(pl.Flows) > 0 {
		row++
		g.header(1, row, "Dated cash flows (staged, plan)", "Amount")
		row++
		rateRow := row
		g.text(1, row, "Annual discount rate (of the monthly rate)", 0)
		g.value(2, row, num(pl.AnnualRate), lk.Rate)
		row++
		first := row + 2
		last := first + len(pl.Flows) - 1
		amounts := fmt.Sprintf("%s:%s", absCell(2, first), absCell(2, last))
		dates := fmt.Sprintf("%s:%s", absCell(1, first), absCell(1, last))
		g.text(1, row, "XNPV (actual days / 365)", lk.Bold)
		g.formula(2, row, fmt.Sprintf("XNPV(%s,%s,%s)", ref(2, rateRow), amounts, dates), num(pl.XNPV), lk.Money)
		g.text(3, row, "XIRR", lk.Bold)
		if pl.XIRRErr == nil {
			g.formula(4, row, fmt.Sprintf("XIRR(%s,%s,0.1)", amounts, dates), pl.XIRR, lk.Rate)
		} else {
			g.text(4, row, na, lk.NA)
		}
		row = first
		for _, f := range pl.Flows {
			g.value(1, row, f.Date, dateStyle)
			g.value(2, row, num(f.Amount), lk.Money)
			row++
		}
	}
	return nil
}

func missText(tc deal.Tranche) string {
	switch tc.OnMiss {
	case deal.Stop:
		return fmt.Sprintf("stop, exit cost %s", tc.ExitCost)
	case deal.Delay:
		return fmt.Sprintf("delay %d months", tc.DelayMonths)
	case deal.Reduce:
		return fmt.Sprintf("reduce scope to %s", tc.ScopeShare)
	}
	return string(tc.OnMiss)
}

func absCell(c, r int) string { return fmt.Sprintf("$%s$%d", col(c), r) }

// dayFormat shows a date as 2026-01-31.
var dayFormat = "yyyy-mm-dd"

// outageOf is the outage terms of the portfolio's partnership id, nil
// when it has none (or the portfolio is not given).
func (b *book) outageOf(id string) *costmodel.Outage {
	if b.opt.Portfolio == nil {
		return nil
	}
	for i := range b.opt.Portfolio.Partnerships {
		if ps := &b.opt.Portfolio.Partnerships[i]; ps.ID == id {
			return ps.Outage
		}
	}
	return nil
}
