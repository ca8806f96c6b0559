package costmodel

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/marginalhq/marginal/internal/apicheck"
	"github.com/shopspring/decimal"
)

// nilCalls calls every exported function and method of the package with
// nil pointers and zero values. Each returns nil when the call behaved (an
// error where the signature has one, the documented empty result where it
// has none) and otherwise says what went wrong. Keys are "Func" or
// "Type.Method"; TestNilCallsCoverEveryExport checks that every export
// has one.
var nilCalls = map[string]func() error{
	// Functions.
	"DecodeStrict": func() error {
		var p Portfolio
		return all(
			wantErr(DecodeStrict(nil, nil)),
			wantErr(DecodeStrict(nil, &p)),
			wantErr(DecodeStrict([]byte(`{}`), p)),
			wantErr(DecodeStrict([]byte(`{}`), (*Portfolio)(nil))),
		)
	},
	"IRR": func() error {
		_, err := IRR(nil)
		_, err2 := IRR([]decimal.Decimal{})
		return all(wantErr(err), wantErr(err2))
	},
	"MonthHours": func() error {
		if h := MonthHours(Month{}); h <= 0 {
			return fmt.Errorf("MonthHours(zero month) = %d", h)
		}
		return nil
	},
	"OutageCreditShare": func() error {
		v, err := OutageCreditShare(nil, decimal.Decimal{})
		if err != nil || !v.IsZero() {
			return fmt.Errorf("OutageCreditShare(nil, 0) = %v, %v, want 0", v, err)
		}
		return nil
	},
	"MonthlyRate": func() error {
		r, err := MonthlyRate(decimal.Decimal{})
		if err != nil || !r.IsZero() {
			return fmt.Errorf("MonthlyRate(0) = %v, %v, want 0", r, err)
		}
		_, err = MonthlyRate(decimal.NewFromInt(-1))
		return wantErr(err)
	},
	"NPV": func() error {
		if v, err := NPV(decimal.Decimal{}, nil); err != nil || !v.IsZero() {
			return fmt.Errorf("NPV of no flows = %v, %v", v, err)
		}
		_, err := NPV(decimal.NewFromInt(-1), nil)
		return wantErr(err)
	},
	"TierFee": func() error {
		if v := TierFee(nil, "", decimal.Decimal{}); !v.IsZero() {
			return fmt.Errorf("TierFee of no tiers = %v", v)
		}
		return nil
	},
	"WholeHorizonOnly": func() error {
		if s := WholeHorizonOnly(""); s != "" {
			return fmt.Errorf("WholeHorizonOnly(\"\") = %q", s)
		}
		return nil
	},
	"LookupCurrency": func() error {
		if _, ok := LookupCurrency(""); ok {
			return errors.New(`LookupCurrency("") found a currency`)
		}
		return nil
	},
	"Load": func() error {
		_, err := Load(nil)
		_, err2 := Load(bytes.NewReader(nil))
		return all(wantErr(err), wantErr(err2))
	},
	"LoadFile": func() error {
		_, err := LoadFile("")
		return wantErr(err)
	},
	"ParseMonth": func() error {
		_, err := ParseMonth("")
		return wantErr(err)
	},
	"PaybackMonth": func() error {
		if pb := PaybackMonth(nil); pb.Reached {
			return errors.New("payback reached on no flows")
		}
		return nil
	},
	"Evaluate": func() error {
		_, err := Evaluate(nil)
		_, err2 := Evaluate(&Portfolio{})
		return all(wantErr(err), wantErr(err2))
	},

	// Methods.
	"Block.Series": func() error {
		var b *Block
		if b.Series(LineGMV) != nil || (&Block{}).Series(NumLines) != nil || (&Block{}).Series(-1) != nil {
			return errors.New("a series from nothing")
		}
		return nil
	},
	"Block.TotalOrders": func() error {
		var b *Block
		if !b.TotalOrders().IsZero() || !(&Block{}).TotalOrders().IsZero() {
			return errors.New("orders from nothing")
		}
		return nil
	},
	"CategoryStatement.Series": func() error {
		var c *CategoryStatement
		if c.Series(LineGMV) != nil || len((&CategoryStatement{}).Series(LineGMV)) != 0 {
			return errors.New("a series from nothing")
		}
		return nil
	},
	"CategoryStatement.TotalOrders": func() error {
		var c *CategoryStatement
		return wantZero(c.TotalOrders(), (&CategoryStatement{}).TotalOrders())
	},
	"Rollup.Series": func() error {
		var r *Rollup
		if r.Series(LineGMV) != nil || len((&Rollup{}).Series(LineGMV)) != 0 {
			return errors.New("a series from nothing")
		}
		return nil
	},
	"Rollup.TotalOrders": func() error {
		var r *Rollup
		return wantZero(r.TotalOrders(), (&Rollup{}).TotalOrders())
	},
	"Commission.ItemFee": func() error {
		var c *Commission
		return wantZero(c.ItemFee(decimal.NewFromInt(10)), (&Commission{}).ItemFee(decimal.Decimal{}))
	},
	"Commission.OrderFee": func() error {
		var c *Commission
		return wantZero(c.OrderFee(decimal.NewFromInt(10)), (&Commission{}).OrderFee(decimal.Decimal{}))
	},
	"NewModel": func() error {
		_, err := NewModel(nil)
		_, err2 := NewModel(&Portfolio{})
		return all(wantErr(err), wantErr(err2))
	},
	"BuildModel": func() error {
		_, err := BuildModel(nil, ModelOptions{})
		_, err2 := BuildModel(&Portfolio{}, ModelOptions{})
		_, err3 := BuildModel(loadTestdataErr("small.json"), ModelOptions{ByMonth: []string{"portfolio/discount_rate"}})
		return all(wantErr(err), wantErr(err2), wantErr(err3))
	},
	"Model.Graph": func() error {
		var m *Model
		if m.Graph() != nil || (&Model{}).Graph() != nil {
			return errors.New("a graph from nothing")
		}
		return nil
	},
	"Model.Drivers": func() error {
		var m *Model
		if m.Drivers() != nil || len((&Model{}).Drivers()) != 0 {
			return errors.New("drivers from nothing")
		}
		return nil
	},
	"Model.Values": func() error {
		var m *Model
		if m.Values() != nil || len((&Model{}).Values()) != 0 {
			return errors.New("values from nothing")
		}
		return nil
	},
	"Model.Index": func() error {
		var m *Model
		_, ok := m.Index("portfolio/discount_rate")
		_, ok2 := (&Model{}).Index("")
		if ok || ok2 {
			return errors.New("an index in nothing")
		}
		return nil
	},
	"Model.Months": func() error {
		var m *Model
		return wantInts(m.Months(), (&Model{}).Months())
	},
	"Model.Rows": func() error {
		var m *Model
		return wantInts(m.Rows(), (&Model{}).Rows())
	},
	"Model.Row": func() error {
		var m *Model
		good, err := NewModel(loadTestdataErr("small.json"))
		if err != nil {
			return err
		}
		if m.Row(0, 0) != -1 || (&Model{}).Row(0, 0) != -1 || good.Row(-1, 0) != -1 || good.Row(0, 1000) != -1 || good.Row(1000, 0) != -1 {
			return errors.New("a row outside the model")
		}
		return nil
	},
	"Model.OwnRow": func() error {
		var m *Model
		good, err := NewModel(loadTestdataErr("small.json"))
		if err != nil {
			return err
		}
		if m.OwnRow(0) != -1 || (&Model{}).OwnRow(0) != -1 || good.OwnRow(-1) != -1 || good.OwnRow(1000) != -1 {
			return errors.New("an own row outside the model")
		}
		return nil
	},
	"Model.Line": func() error {
		var m *Model
		good, err := NewModel(loadTestdataErr("small.json"))
		if err != nil {
			return err
		}
		if m.Line(0, 0, 0) != -1 || (&Model{}).Line(0, 0, 0) != -1 || good.Line(0, good.Months(), 0) != -1 || good.Line(0, 0, NumLines) != -1 || good.Line(-1, 0, 0) != -1 {
			return errors.New("a line outside the model")
		}
		return nil
	},
	"Model.Orders": func() error {
		var m *Model
		good, err := NewModel(loadTestdataErr("small.json"))
		if err != nil {
			return err
		}
		if m.Orders(0, 0) != -1 || (&Model{}).Orders(0, 0) != -1 || good.Orders(good.Rows(), 0) != -1 || good.Orders(0, -1) != -1 {
			return errors.New("orders outside the model")
		}
		return nil
	},
	"Model.LandedCost": func() error {
		var m *Model
		good, err := NewModel(loadTestdataErr("small.json"))
		if err != nil {
			return err
		}
		if m.LandedCost(0, 0) != -1 || (&Model{}).LandedCost(0, 0) != -1 || good.LandedCost(0, 0) != -1 || good.LandedCost(-1, 0) != -1 {
			return errors.New("a landed cost outside the model, or of a row without a lane")
		}
		return nil
	},
	"LookupDestination": func() error {
		if _, ok := LookupDestination(""); ok {
			return errors.New(`LookupDestination("") found a destination`)
		}
		return nil
	},
	"Model.HasAllocation": func() error {
		var m *Model
		if m.HasAllocation() || (&Model{}).HasAllocation() {
			return errors.New("an allocated view from nothing")
		}
		return nil
	},
	"Model.ViewRowNodes": func() error {
		var m *Model
		for _, v := range []View{"", Allocated} {
			if m.ViewRowNodes(v, 0) != nil || (&Model{}).ViewRowNodes(v, 0) != nil {
				return errors.New("view row nodes from nothing")
			}
		}
		return nil
	},
	"Model.ViewLine": func() error {
		var m *Model
		good, err := NewModel(loadTestdataErr("small.json"))
		if err != nil {
			return err
		}
		for _, v := range []View{"", Allocated} {
			if m.ViewLine(v, 0, 0, 0) != -1 || (&Model{}).ViewLine(v, 0, 0, 0) != -1 || good.ViewLine(v, 0, good.Months(), 0) != -1 || good.ViewLine(v, 0, 0, NumLines) != -1 {
				return errors.New("a view line outside the model")
			}
		}
		if good.ViewLine(Allocated, 0, 0, 0) != -1 {
			return errors.New("an allocated line without allocation rules")
		}
		return nil
	},
	"Model.ViewCategoryNodes": func() error {
		var m *Model
		for _, v := range []View{"", Allocated} {
			if _, ok := m.ViewCategoryNodes(v, "mugs"); ok {
				return errors.New("view category nodes from nothing")
			}
		}
		return nil
	},
	"View.IsAllocated": func() error {
		var v View
		if v.IsAllocated() {
			return errors.New("the zero view is allocated")
		}
		return nil
	},
	"Model.RowNodes": func() error {
		var m *Model
		if m.RowNodes(0) != nil || (&Model{}).RowNodes(0) != nil {
			return errors.New("row nodes from nothing")
		}
		return nil
	},
	"Model.PartnershipNodes": func() error {
		var m *Model
		if m.PartnershipNodes(0) != nil || (&Model{}).PartnershipNodes(0) != nil {
			return errors.New("partnership nodes from nothing")
		}
		return nil
	},
	"Model.ChannelNodes": func() error {
		var m *Model
		_, ok := m.ChannelNodes("marketplace")
		_, ok2 := (&Model{}).ChannelNodes("")
		if ok || ok2 {
			return errors.New("channel nodes from nothing")
		}
		return nil
	},
	"Model.CategoryNodes": func() error {
		var m *Model
		_, ok := m.CategoryNodes("toys")
		_, ok2 := (&Model{}).CategoryNodes("")
		if ok || ok2 {
			return errors.New("category nodes from nothing")
		}
		return nil
	},
	"Model.PartnershipLevelNodes": func() error {
		var m *Model
		if m.PartnershipLevelNodes() != nil {
			return errors.New("partnership-level nodes from nothing")
		}
		return nil
	},
	"Model.PortfolioNodes": func() error {
		var m *Model
		if m.PortfolioNodes() != nil {
			return errors.New("portfolio nodes from nothing")
		}
		return nil
	},
	"Model.Evaluate": func() error {
		var m *Model
		_, err := m.Evaluate(nil, nil)
		_, err2 := (&Model{}).Evaluate(nil, nil)
		good, err3 := NewModel(loadTestdataErr("small.json"))
		if err3 != nil {
			return err3
		}
		_, err4 := good.Evaluate(good.Values()[:1], nil)
		return all(wantErr(err), wantErr(err2), wantErr(err4))
	},
	"Line.Info": func() error {
		var l Line
		if l.Info() == nil || Line(-5).Info() == nil || NumLines.Info().Name != "line?" {
			return errors.New("no info for a line outside the table")
		}
		return nil
	},
	"LinesScaled": func() error {
		if len(LinesScaled(Scale(99))) != 0 {
			return errors.New("lines at an unknown scale")
		}
		return nil
	},
	"StatementRows": func() error {
		return wantInts(StatementRows(nil), StatementRows(&Portfolio{}))
	},
	"Driver.Bounds": func() error {
		lo, hi := Driver{}.Bounds()
		if !(lo <= hi) {
			return fmt.Errorf("bounds %g, %g", lo, hi)
		}
		return nil
	},
	"FieldError.Error": func() error {
		var e *FieldError
		if e.Error() == "" || (&FieldError{}).Error() == "" {
			return errors.New("an empty message")
		}
		return nil
	},
	"FieldError.Unwrap": func() error {
		var e *FieldError
		if e.Unwrap() != nil || !errors.Is(&FieldError{}, ErrInvalid) {
			return errors.New("wrong Unwrap")
		}
		return nil
	},
	"Line.IsSubtotal": func() error {
		if Line(-1).IsSubtotal() || NumLines.IsSubtotal() {
			return errors.New("a subtotal outside the lines")
		}
		return nil
	},
	"Line.IsMoney": func() error {
		if !Line(-1).IsMoney() || !NumLines.IsMoney() {
			return errors.New("a line outside the table is not money")
		}
		return nil
	},
	"Line.Label":  func() error { _ = Line(-1).Label() + NumLines.Label(); return nil },
	"Line.String": func() error { _ = Line(-1).String() + NumLines.String(); return nil },
	"Line.Terms": func() error {
		if Line(-1).Terms() != nil || NumLines.Terms() != nil {
			return errors.New("terms outside the lines")
		}
		return nil
	},
	"Month.Add":         func() error { _ = Month{}.Add(-1).Add(1 << 40); return nil },
	"Month.IsZero":      func() error { return wantTrue(Month{}.IsZero()) },
	"Month.MarshalJSON": func() error { _, err := Month{}.MarshalJSON(); return err },
	"Month.String":      func() error { _ = Month{}.String(); return nil },
	"Month.UnmarshalJSON": func() error {
		var m *Month
		return all(wantErr(m.UnmarshalJSON([]byte(`"2026-01"`))), wantErr((&Month{}).UnmarshalJSON(nil)))
	},
	"MultipleIRRError.Error": func() error {
		var e *MultipleIRRError
		_ = e.Error() + (&MultipleIRRError{}).Error()
		return nil
	},
	"Op.Apply": func() error {
		_, err := Op("").Apply(decimal.Decimal{}, decimal.Decimal{})
		return wantErr(err)
	},
	"Op.ApplyFloat": func() error {
		_, err := Op("").ApplyFloat(0, 0)
		return wantErr(err)
	},
	"PaymentFee.Fee": func() error {
		var p *PaymentFee
		return wantZero(p.Fee(decimal.NewFromInt(10)), (&PaymentFee{}).Fee(decimal.Decimal{}))
	},
	"PeakFunding": func() error {
		return wantZero(PeakFunding(nil))
	},
	"Partnership.Clone": func() error {
		_ = Partnership{}.Clone()
		return nil
	},
	"Portfolio.Clone": func() error {
		var p *Portfolio
		if p.Clone() != nil {
			return errors.New("a clone of nil")
		}
		_ = (&Portfolio{}).Clone()
		return nil
	},
	"Portfolio.Driver": func() error {
		var p *Portfolio
		_, err := p.Driver("portfolio/discount_rate")
		_, err2 := (&Portfolio{}).Driver("")
		return all(wantErr(err), wantErr(err2))
	},
	"Portfolio.Drivers": func() error {
		var p *Portfolio
		if p.Drivers() != nil {
			return errors.New("drivers of nil")
		}
		_ = (&Portfolio{}).Drivers()
		return nil
	},
	"Portfolio.Match": func() error {
		var p *Portfolio
		_, err := p.Match("*")
		_, err2 := (&Portfolio{}).Match("")
		return all(wantErr(err), wantErr(err2))
	},
	"Portfolio.Save": func() error {
		var p *Portfolio
		return all(wantErr(p.Save(&bytes.Buffer{})), wantErr((&Portfolio{}).Save(nil)))
	},
	"Portfolio.Set": func() error {
		var p *Portfolio
		_, err := p.Set("portfolio/discount_rate", decimal.Decimal{})
		_, err2 := (&Portfolio{}).Set("", decimal.Decimal{})
		return all(wantErr(err), wantErr(err2))
	},
	"Portfolio.Update": func() error {
		var p *Portfolio
		_, err := p.Update("portfolio/discount_rate", nil)
		_, err2 := (&Portfolio{}).Update("portfolio/discount_rate", nil)
		_, err3 := p.Update("portfolio/discount_rate", func(d Driver) (decimal.Decimal, error) { return d.Value, nil })
		return all(wantErr(err), wantErr(err2), wantErr(err3))
	},
	"Portfolio.Validate": func() error {
		var p *Portfolio
		return all(wantErr(p.Validate()), wantErr((&Portfolio{}).Validate()))
	},
	"Problems.Add": func() error {
		var p *Problems
		p.Add("x", "", "y")
		return wantErr(p.Err())
	},
	"Problems.Addf": func() error {
		var p *Problems
		p.Addf("x", "", "y %d", 1)
		return wantErr(p.Err())
	},
	"Problems.Err": func() error {
		var p *Problems
		if (&Problems{}).Err() != nil {
			return errors.New("the zero Problems has problems")
		}
		return wantErr(p.Err())
	},
	"Problems.Len": func() error {
		var p *Problems
		return wantInts(p.Len(), (&Problems{}).Len())
	},
	"Problems.Merge": func() error {
		var p *Problems
		p.Merge("x", errors.New("y"))
		var q Problems
		q.Merge("", (*ValidationError)(nil))
		q.Merge("", (*FieldError)(nil))
		q.Merge("", &ValidationError{Problems: []*FieldError{nil}})
		return wantErr(p.Err())
	},
	"RefundTerms.AdminFee": func() error {
		var r *RefundTerms
		if fee := decimal.NewFromInt(3); !r.AdminFee(fee).Equal(fee) {
			return errors.New("nil refund terms give part of the fee back")
		}
		return wantZero((&RefundTerms{}).AdminFee(decimal.Decimal{}))
	},
	"Statement.Measure": func() error {
		var s *Statement
		m := s.Measure(nil)
		m2 := (&Statement{}).Measure(nil)
		m3 := (&Statement{}).Measure(&Block{})
		if m.CM1Ratio.Valid || m2.ContributionRatio.Valid || m3.CM1Ratio.Valid {
			return errors.New("a ratio from nothing")
		}
		return all(wantErr(m.IRRErr), wantErr(m2.IRRErr), wantErr(m3.IRRErr))
	},
	"Statement.Partnership": func() error {
		var s *Statement
		if _, ok := s.Partnership(""); ok {
			return errors.New("a partnership in nothing")
		}
		if _, ok := (&Statement{}).Partnership(""); ok {
			return errors.New("a partnership in nothing")
		}
		return nil
	},
	"ValidationError.Error": func() error {
		var e *ValidationError
		_ = e.Error() + (&ValidationError{}).Error()
		return nil
	},
	"ValidationError.Unwrap": func() error {
		var e *ValidationError
		if e.Unwrap() != nil || len((&ValidationError{}).Unwrap()) != 0 {
			return errors.New("problems from nothing")
		}
		return nil
	},
	"VolumePricing.Cost": func() error {
		var v *VolumePricing
		return wantZero(v.Cost(decimal.NewFromInt(10)), (&VolumePricing{}).Cost(decimal.NewFromInt(10)))
	},
}

func loadTestdataErr(name string) *Portfolio {
	p, err := LoadFile("../testdata/" + name)
	if err != nil {
		return nil
	}
	return p
}

func wantErr(err error) error {
	if err == nil {
		return errors.New("no error")
	}
	return nil
}

func wantZero(vs ...decimal.Decimal) error {
	for _, v := range vs {
		if !v.IsZero() {
			return fmt.Errorf("got %v, want 0", v)
		}
	}
	return nil
}

func wantInts(vs ...int) error {
	for _, v := range vs {
		if v != 0 {
			return fmt.Errorf("got %d, want 0", v)
		}
	}
	return nil
}

func wantTrue(b bool) error {
	if !b {
		return errors.New("false")
	}
	return nil
}

func all(errs ...error) error {
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("call %d: %w", i+1, err)
		}
	}
	return nil
}

// Every exported function and method, called with nil and zero values,
// returns an error or its documented empty result, and never panics.
func TestNilAndZeroArguments(t *testing.T) {
	t.Parallel()
	for name, call := range nilCalls {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s panics: %v", name, r)
				}
			}()
			if err := call(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
}

// The table above covers every exported function and method declared in
// the package, so a new one cannot be forgotten.
func TestNilCallsCoverEveryExport(t *testing.T) {
	t.Parallel()
	names, err := apicheck.Exported(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 50 {
		t.Fatalf("found only %d exported functions and methods; the walk is broken", len(names))
	}
	for _, n := range names {
		if _, ok := nilCalls[n]; !ok {
			t.Errorf("%s has no nil/zero-argument case in nilCalls", n)
		}
	}
	for n := range nilCalls {
		if !slices.Contains(names, n) {
			t.Errorf("nilCalls has %s, which the package does not declare", n)
		}
	}
}
