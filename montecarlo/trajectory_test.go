package montecarlo_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/montecarlo"
	"github.com/marginalhq/marginal/scenario"
)

func sampleTrajectories(t *testing.T) (*costmodel.Portfolio, []scenario.Trajectory) {
	t.Helper()
	p, err := marginal.SamplePortfolio()
	if err != nil {
		t.Fatal(err)
	}
	trs, err := scenario.LoadTrajectories(bytes.NewReader(marginal.SampleTrajectories()), p)
	if err != nil {
		t.Fatal(err)
	}
	return p, trs
}

// atValues compares the trajectories with every driver at its value:
// the one input sets a set-up amount to the value it has. Its figures
// are the float tape's at the portfolio's values (separate deterministic
// runs of each trajectory).
func atValues(t *testing.T, p *costmodel.Portfolio, trs []scenario.Trajectory) *montecarlo.TrajectoryComparison {
	t.Helper()
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"name": "site build", "target": "own-shop/setup/site-build/amount", "op": "set", "dist": {"type": "discrete", "values": [25000], "weights": [1]}}]}`), p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 2, Seed: 1, Workers: 1}, trs)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// roundingBound is how far the simulation's NPV of a portfolio may be
// from its exact statement's: the tape does not round lines to the cent
// (graph.Compile), so each base line of each row and month may differ by
// half a cent, and the NPV discounts their sum by factors ≤ 1.
func roundingBound(q *costmodel.Portfolio) float64 {
	rows := len(q.Partnerships)
	for _, ps := range q.Partnerships {
		rows += len(ps.Categories)
	}
	return 0.005 * float64(rows*q.Months*int(costmodel.NumLines))
}

// TestCompareTrajectoriesAtValues: with every driver at its value, a
// trajectory's simulated NPV and peak funding are its exact statement's
// within the rounding bound, and the pairs' differences are the
// differences of the outcomes.
func TestCompareTrajectoriesAtValues(t *testing.T) {
	t.Parallel()
	p, trs := sampleTrajectories(t)
	c := atValues(t, p, trs)
	for _, o := range c.Outcomes {
		tol := roundingBound(o.Portfolio)
		if d := math.Abs(o.NPV.Mean - o.Exact.NPV.InexactFloat64()); d > tol || o.NPV.P5 != o.NPV.P95 {
			t.Errorf("%s: NPV %.4f (P5 %.4f, P95 %.4f), exact %s (tolerance %.2f)", o.Trajectory.Name, o.NPV.Mean, o.NPV.P5, o.NPV.P95, o.Exact.NPV, tol)
		}
		if d := math.Abs(o.PeakFunding.Mean - o.Exact.PeakFunding.InexactFloat64()); d > tol {
			t.Errorf("%s: peak funding %.4f, exact %s", o.Trajectory.Name, o.PeakFunding.Mean, o.Exact.PeakFunding)
		}
		if !o.Exact.Payback.Reached || o.Payback.Mean != float64(o.Exact.Payback.Month) || o.PPayback != 1 {
			t.Errorf("%s: payback month %.1f (P %.2f), exact %+v", o.Trajectory.Name, o.Payback.Mean, o.PPayback, o.Exact.Payback)
		}
	}
	for _, pr := range c.Pairs {
		want := c.Outcomes[pr.B].NPV.Mean - c.Outcomes[pr.A].NPV.Mean
		if math.Abs(pr.NPV.Mean-want) > 1e-6 || pr.NPV.SE != 0 {
			t.Errorf("pair %d-%d: NPV difference %.6f (SE %g), want %.6f", pr.B, pr.A, pr.NPV.Mean, pr.NPV.SE, want)
		}
	}
}

// TestCompareTrajectoriesSharedLinearDriver: the only uncertain driver
// is a set-up amount every trajectory shares, and it enters each NPV
// linearly (one discounted line), so on common random numbers it
// cancels: every trial's NPV difference is the difference of the
// separate deterministic runs at the drivers' values (to float error,
// 1e−6 on NPVs of millions), and P(better) is 0 or 1, while each
// trajectory's own NPV spreads by thousands. Against the exact
// statements the difference holds within the two rounding bounds.
func TestCompareTrajectoriesSharedLinearDriver(t *testing.T) {
	t.Parallel()
	p, trs := sampleTrajectories(t)
	det := atValues(t, p, trs)
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"name": "site build", "target": "own-shop/setup/site-build/amount", "op": "multiply", "dist": {"type": "uniform", "min": 0.5, "max": 1.5}}]}`), p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 400, Seed: 7}, trs)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Outcomes) != 3 || len(c.Pairs) != 3 {
		t.Fatalf("%d outcomes, %d pairs; want 3 and 3", len(c.Outcomes), len(c.Pairs))
	}
	for _, o := range c.Outcomes {
		if o.NPV.P95-o.NPV.P5 < 1000 {
			t.Errorf("%s: the NPV spreads only %.2f: the input does not reach the runs", o.Trajectory.Name, o.NPV.P95-o.NPV.P5)
		}
	}
	for k, pr := range c.Pairs {
		name := c.Outcomes[pr.B].Trajectory.Name + " vs " + c.Outcomes[pr.A].Trajectory.Name
		want := det.Pairs[k].NPV.Mean
		for _, x := range []float64{pr.NPV.Mean, pr.NPV.P5, pr.NPV.P50, pr.NPV.P95} {
			if math.Abs(x-want) > 1e-6 {
				t.Errorf("%s: NPV difference %.6f, deterministic runs' %.6f", name, x, want)
			}
		}
		exact := pr.ExactNPV.InexactFloat64()
		if tol := roundingBound(c.Outcomes[pr.A].Portfolio) + roundingBound(c.Outcomes[pr.B].Portfolio); math.Abs(pr.NPV.Mean-exact) > tol {
			t.Errorf("%s: NPV difference %.2f, exact %.2f (tolerance %.2f)", name, pr.NPV.Mean, exact, tol)
		}
		if want := map[bool]float64{true: 1, false: 0}[want > 0]; pr.PBetter != want {
			t.Errorf("%s: P(better) %v, want %v", name, pr.PBetter, want)
		}
	}
	// The first pairs are against the reference.
	if c.Pairs[0].A != 0 || c.Pairs[0].B != 1 || c.Pairs[2].A != 1 || c.Pairs[2].B != 2 {
		t.Errorf("pairs in the wrong order: %+v", c.Pairs)
	}
}

// TestCompareTrajectoriesCommonRandomNumbers: with the Amazon-like
// marketplace's volume uncertain (shared by every trajectory; the added
// marketplace takes orders from it), the NPVs enter nearly linearly, so
// the mean NPV difference agrees with the deterministic runs' difference
// within 4 standard errors of the paired mean (plus a cent), and the
// paired differences spread far less than independent runs' would (the
// draws cancel).
func TestCompareTrajectoriesCommonRandomNumbers(t *testing.T) {
	t.Parallel()
	p, trs := sampleTrajectories(t)
	det := atValues(t, p, trs)
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"name": "amazon volume", "target": "amazon-us/*/orders", "op": "multiply", "dist": {"type": "uniform", "min": 0.8, "max": 1.2}}]}`), p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 400, Seed: 11}, trs)
	if err != nil {
		t.Fatal(err)
	}
	for k, pr := range c.Pairs {
		want := det.Pairs[k].NPV.Mean
		if d := math.Abs(pr.NPV.Mean - want); d > 4*pr.NPV.SE+0.01 {
			t.Errorf("pair %d-%d: mean NPV difference %.2f, deterministic %.2f (SE %.4f)", pr.B, pr.A, pr.NPV.Mean, want, pr.NPV.SE)
		}
		a, b := c.Outcomes[pr.A].NPV, c.Outcomes[pr.B].NPV
		if indep := math.Sqrt(a.SE*a.SE + b.SE*b.SE); pr.NPV.SE > 0.5*indep {
			t.Errorf("pair %d-%d: paired SE %.2f, independent runs' %.2f: the draws are not common", pr.B, pr.A, pr.NPV.SE, indep)
		}
	}
	for _, o := range c.Outcomes {
		if o.Fan == nil || len(o.Fan.Months) != p.Months {
			t.Errorf("%s: no fan of the cumulative contribution", o.Trajectory.Name)
		}
		if o.PeakFunding.Mean < 0 || o.Exact.PeakFunding.IsNegative() {
			t.Errorf("%s: a negative funding need", o.Trajectory.Name)
		}
	}
}

func TestCompareTrajectoriesErrors(t *testing.T) {
	t.Parallel()
	p, trs := sampleTrajectories(t)
	spec, err := montecarlo.Load(strings.NewReader(`{"inputs": [
	  {"name": "v", "target": "amazon-us/*/orders", "op": "multiply", "dist": {"type": "uniform", "min": 0.8, "max": 1.2}}]}`), p)
	if err != nil {
		t.Fatal(err)
	}
	bad := append([]scenario.Trajectory{}, trs...)
	bad = append(bad, scenario.Trajectory{Name: "stay domestic", Changes: []scenario.Change{{At: 99, AddCategories: &scenario.CategoryAddition{Partnership: "ebay"}}}})
	_, err = montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 10, Convergence: &montecarlo.Convergence{}}, bad)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"convergence", `trajectories[3].name: got "stay domestic"`, "trajectories[3].changes[0].at: got 99"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
	if _, err := montecarlo.CompareTrajectories(context.Background(), p, spec, montecarlo.Options{Trials: 10}, trs[:1]); err == nil {
		t.Error("one trajectory compared with nothing: no error")
	}
}
