package actuals

import (
	"github.com/marginalhq/marginal/costmodel"
	"github.com/shopspring/decimal"
)

// Variance is a plan figure beside its actual.
type Variance struct {
	Plan, Actual decimal.Decimal
}

// Difference is Actual − Plan.
func (v Variance) Difference() decimal.Decimal { return v.Actual.Sub(v.Plan) }

// Percent is the difference as a fraction of the plan, rounded to 4
// places (0.0525 = 5.25 %); undefined (Valid false) when the plan is 0.
func (v Variance) Percent() costmodel.Value {
	if v.Plan.IsZero() {
		return costmodel.Value{}
	}
	return costmodel.Value{Amount: v.Difference().DivRound(v.Plan.Abs(), 4), Valid: true}
}

// LineVariance is one line of one partnership × category (Category ""
// for the partnership's own lines) in one month of the horizon.
type LineVariance struct {
	Partnership, Channel, Category string
	Month                          costmodel.Month
	Line                           costmodel.Line
	Variance
}

// Lines lists plan against actual for every line of every partnership ×
// category row and every partnership's own row, month by month over the
// actual months, skipping lines that are 0 in both.
func (m *Model) Lines() []LineVariance {
	if m == nil || len(m.stages) == 0 {
		return nil
	}
	act := m.Actual()
	var out []LineVariance
	emit := func(ps *costmodel.PartnershipStatement, cat string, pb, ab *costmodel.Block) {
		for t := 0; t <= m.cut; t++ {
			for l := costmodel.Line(0); l < costmodel.NumLines; l++ {
				p, a := pb.Monthly[t][l], ab.Monthly[t][l]
				if p.IsZero() && a.IsZero() {
					continue
				}
				out = append(out, LineVariance{Partnership: ps.ID, Channel: ps.Channel, Category: cat, Month: m.plan.Start.Add(t), Line: l, Variance: Variance{Plan: p, Actual: a}})
			}
		}
	}
	for i := range m.planSt.Partnerships {
		pp, ap := &m.planSt.Partnerships[i], &act.Partnerships[i]
		for j := range pp.Categories {
			emit(pp, pp.Categories[j].ID, &pp.Categories[j].Block, &ap.Categories[j].Block)
		}
		emit(pp, "", &pp.Own, &ap.Own)
	}
	return out
}

// Compare reads an output (any scope, metric and window) from the plan
// and from the actual statement.
func (m *Model) Compare(o costmodel.Output) (plan, actual costmodel.Value, err error) {
	if m == nil || len(m.stages) == 0 {
		return plan, actual, &costmodel.FieldError{Path: "(model)", Expected: "a Model built by NewModel, not nil"}
	}
	if plan, err = o.Of(m.planSt); err != nil {
		return plan, actual, err
	}
	actual, err = o.Of(m.Actual())
	return plan, actual, err
}

// Billing is the billing check of one partnership (and category, when
// the partner bills per category) in one month: the commission the terms
// imply at the actual figures against what the partner billed.
type Billing struct {
	Partnership, Category string
	Month                 costmodel.Month
	// Implied is commission − commission refunded (+ the true-up under a
	// minimum guarantee, for a partnership's bill), from the actual
	// statement.
	Implied decimal.Decimal
	Billed  decimal.Decimal
}

// Difference is Billed − Implied: above 0 the partner billed more than
// the terms allow.
func (b Billing) Difference() decimal.Decimal { return b.Billed.Sub(b.Implied) }

// Billing lists the billing check for every commission_billed figure.
func (m *Model) Billing() []Billing {
	if m == nil || len(m.stages) == 0 {
		return nil
	}
	act := m.Actual()
	var out []Billing
	for _, r := range m.actuals.Records {
		if r.Measure != CommissionBilled {
			continue
		}
		t := offset(m.plan, r.Month)
		ps, _ := act.Partnership(r.Partnership)
		if ps == nil {
			continue
		}
		b := Billing{Partnership: r.Partnership, Category: r.Category, Month: r.Month, Billed: r.Value}
		net := func(a *costmodel.Amounts) decimal.Decimal {
			return a[costmodel.LineCommission].Sub(a[costmodel.LineCommissionRefund]).Add(a[costmodel.LineCommissionTrueUp])
		}
		if r.Category == "" {
			b.Implied = net(&ps.Total.Monthly[t])
		} else {
			for j := range ps.Categories {
				if ps.Categories[j].ID == r.Category {
					b.Implied = net(&ps.Categories[j].Monthly[t])
				}
			}
		}
		out = append(out, b)
	}
	return out
}
