package montecarlo

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// windowOutputs are outputs over windows and channel × category cells of
// larkspur.json (2026-01 to 2028-12; marketplace/home is ebay's and
// etsy's home rows summed).
func windowOutputs(p *costmodel.Portfolio) []scenario.Output {
	q3 := costmodel.Window{Kind: costmodel.WindowQuarter, Year: 2027, Quarter: 3}
	roll := costmodel.Window{Kind: costmodel.WindowRolling, Span: 3, Month: costmodel.Month{Year: 2027, Month: time.February}}
	y28 := costmodel.Window{Kind: costmodel.WindowYear, Year: 2028}
	return []scenario.Output{
		{Scope: scenario.Portfolio, Metric: scenario.Contribution, Window: costmodel.Peak()},
		{Scope: scenario.Portfolio, Metric: scenario.CM3Ratio, Window: costmodel.Peak()},
		{Scope: scenario.ChannelCategory, Key: "marketplace/home", Metric: scenario.CM2, Window: q3},
		{Scope: scenario.ChannelCategory, Key: "marketplace/home", Metric: scenario.CM3Ratio, Window: roll},
		{Scope: scenario.ChannelCategory, Key: "own-shop/beauty", Metric: scenario.GMV},
		{Scope: scenario.Partnership, Key: "ebay", Metric: scenario.NPV, Window: y28},
		{Scope: scenario.Channel, Key: "marketplace", Metric: scenario.NetCashFlow, Window: roll},
		{Scope: scenario.Category, Key: "beauty", Metric: scenario.CM1Ratio, Window: costmodel.Window{Kind: costmodel.WindowMonth, Month: costmodel.Month{Year: 2026, Month: time.December}}},
	}
}

// windowBound is the rounding tolerance of an output over its window:
// half a cent for every base line under every line node it reads (the
// rows of its place × the window's months × at most NumLines base lines
// each), over the window's net sales for a ratio.
func windowBound(t *testing.T, p *costmodel.Portfolio, st *costmodel.Statement, o scenario.Output) float64 {
	t.Helper()
	months, err := o.Window.Months(p.Start, p.Months)
	if err != nil {
		t.Fatal(err)
	}
	ch, cat, _ := costmodel.SplitChannelCategory(o.Key)
	rows := 0
	for _, ps := range p.Partnerships {
		switch o.Scope {
		case scenario.ChannelCategory:
			for _, c := range ps.Categories {
				if ps.Channel == ch && c.ID == cat {
					rows++
				}
			}
		case scenario.Category:
			for _, c := range ps.Categories {
				if c.ID == o.Key {
					rows++
				}
			}
		case scenario.Partnership:
			if ps.ID == o.Key {
				rows += len(ps.Categories) + 1
			}
		case scenario.Channel:
			if ps.Channel == o.Key {
				rows += len(ps.Categories) + 1
			}
		default:
			rows += len(ps.Categories) + 1
		}
	}
	tol := 0.005 * float64(rows*len(months)*int(costmodel.NumLines))
	if o.Metric.IsRatio() {
		n := o
		n.Metric = scenario.NetSales
		ns, err := n.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		tol /= math.Abs(ns.Amount.InexactFloat64())
	}
	return tol
}

// TestTapeWindowsAtBase: with every driver at its base value (the one
// input multiplies orders by exactly 1), the simulation's windowed and
// channel × category outputs are the exact statement's, within the
// rounding bound, in every trial.
func TestTapeWindowsAtBase(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec := &Spec{Inputs: []Input{{Target: "*/*/orders", Op: costmodel.Multiply,
		Dist: DistSpec{Type: "uniform", Min: f64(1), Max: f64(1 + 1e-15)}}}}
	outs := windowOutputs(p)
	r, err := Run(context.Background(), p, spec, Options{Trials: 64, Seed: 3, Workers: 1, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	for k, o := range outs {
		want, err := o.Of(st)
		if err != nil {
			t.Fatal(err)
		}
		res := &r.Outputs[k]
		if res.Output != o {
			t.Fatalf("output %d is %s, want %s", k, res.Output, o)
		}
		tol := windowBound(t, p, st, o)
		w := want.Amount.InexactFloat64()
		for j, got := range res.Samples {
			if !res.IsDefined(j) || math.Abs(got-w) > tol {
				t.Errorf("%s trial %d: tape %v, exact %v (bound %g)", o, j, got, w, tol)
				break
			}
		}
		// The window matters: the horizon's figure is not within the
		// bound of the window's (else the test could not tell them apart).
		h := o
		h.Window = costmodel.Window{}
		if hv, _ := h.Of(st); !o.Window.IsHorizon() && math.Abs(hv.Amount.InexactFloat64()-w) <= tol {
			t.Errorf("%s: the horizon's value %s is within the bound of the window's %s", o, hv, want)
		}
	}
}

// TestTapeWindowsMatchExact replays drawn trials (the testdata spec's
// per-trial inputs, and a drawn discount rate so that a windowed NPV is
// discounted per trial) through the exact model.
func TestTapeWindowsMatchExact(t *testing.T) {
	p := loadPortfolio(t, "larkspur.json")
	spec := perTrialSpec(t, p)
	spec.Inputs = append(spec.Inputs, Input{Target: "portfolio/discount_rate", Op: costmodel.SetTo, Dist: DistSpec{Type: "uniform", Min: f64(0.02), Max: f64(0.25)}})
	sp := planOf(t, spec, p)
	outs := windowOutputs(p)
	r, err := Run(context.Background(), p, spec, Options{Trials: 600, Seed: 17, Workers: 2, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range []int{0, 1, 299, 599} {
		st := exactTrial(t, p, sp, r, j)
		for k, o := range outs {
			want, err := o.Of(st)
			if err != nil {
				t.Fatal(err)
			}
			res := &r.Outputs[k]
			if want.Valid != res.IsDefined(j) {
				t.Errorf("%s trial %d: defined %v, exact %v", o, j, res.IsDefined(j), want)
				continue
			}
			if d, tol := math.Abs(res.Samples[j]-want.Amount.InexactFloat64()), windowBound(t, p, st, o); d > tol {
				t.Errorf("%s trial %d: tape %v, exact %s (off %g, bound %g)", o, j, res.Samples[j], want, d, tol)
			}
		}
	}
}

// TestTapeMonthWindowPerMonthInput: a per-month input multiplies the own
// shop's mug orders in testdata/small.json (2026-11 to 2027-01) by an
// independent draw each month, N(1, 0.1). The shop's GMV is orders × 20,
// so its December GMV is 1,200 × December's draw: mean 1,200, SD 120;
// over the horizon the three months' draws add up, SD 0.1 × √(1,500² +
// 1,200² + 1,000²) = 216.56 (not 370, one draw for all months, nor a
// single month's 150, 120 or 100). Its December CM1 ratio is (1,200 −
// 360) / 1,200 = 0.7 whatever the draw.
func TestTapeMonthWindowPerMonthInput(t *testing.T) {
	p := loadPortfolio(t, "small.json")
	spec := &Spec{Inputs: []Input{{Target: "shop/mugs/orders", Op: costmodel.Multiply, PerMonth: true,
		Dist: DistSpec{Type: "normal", Mean: f64(1), SD: f64(0.1)}}}}
	dec := costmodel.Window{Kind: costmodel.WindowMonth, Month: costmodel.Month{Year: 2026, Month: time.December}}
	outs := []scenario.Output{
		{Scope: scenario.ChannelCategory, Key: "own-shop/mugs", Metric: scenario.GMV, Window: dec},
		{Scope: scenario.ChannelCategory, Key: "own-shop/mugs", Metric: scenario.GMV},
		{Scope: scenario.Partnership, Key: "shop", Metric: scenario.CM1Ratio, Window: dec},
	}
	const n = 4000
	r, err := Run(context.Background(), p, spec, Options{Trials: n, Seed: 21, Workers: 2, Outputs: outs})
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range []struct{ mean, sd float64 }{{1200, 120}, {3700, 0.1 * math.Sqrt(1500*1500+1200*1200+1000*1000)}} {
		s := r.Outputs[k].Summary
		// The mean within 4 standard errors; the SD within 5 % (its
		// relative standard error is about 1/√(2n) = 1.1 %).
		if math.Abs(s.Mean-c.mean) > 4*c.sd/math.Sqrt(n) || math.Abs(s.SD-c.sd) > 0.05*c.sd {
			t.Errorf("%s: mean %v, SD %v; want %v, %v", outs[k], s.Mean, s.SD, c.mean, c.sd)
		}
	}
	for j, v := range r.Outputs[2].Samples {
		if math.Abs(v-0.7) > 1e-12 {
			t.Fatalf("%s trial %d = %v, want 0.7", outs[2], j, v)
		}
	}
}

// TestResolveWindowProblems: the simulation refuses a bad window, a
// payback over a window and an unknown channel × category, each at its
// path.
func TestResolveWindowProblems(t *testing.T) {
	p := loadPortfolio(t, "small.json")
	spec := &Spec{Inputs: []Input{{Target: "*/*/orders", Op: costmodel.Multiply, Dist: DistSpec{Type: "uniform", Min: f64(0.9), Max: f64(1.1)}}}}
	_, err := Run(context.Background(), p, spec, Options{Trials: 10, Outputs: []scenario.Output{
		{Metric: scenario.GMV, Window: costmodel.Window{Kind: costmodel.WindowYear, Year: 2030}},
		{Metric: scenario.PaybackMonth, Window: costmodel.Peak()},
		{Scope: scenario.ChannelCategory, Key: "own-shop/plates", Metric: scenario.GMV},
	}})
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"outputs[0].window: got 2030, expected a window holding at least one month of the horizon 2026-11 to 2027-01",
		"outputs[1].window: got peak (11, 12), expected the horizon for payback_month",
		`outputs[2].key: got "own-shop/plates"`} {
		if !containsStr(err.Error(), w) {
			t.Errorf("%v\n  want %q", err, w)
		}
	}
}

func containsStr(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
