package montecarlo

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/scenario"
)

// Fairness under uncertainty: each side's share of the joint surplus in
// every trial, for the current and the proposed terms on the same draws.

// FairnessOptions say what a fairness run measures.
type FairnessOptions struct {
	// Bargain is the partnership and both disagreement points
	// (scenario.Bargain).
	Bargain scenario.Bargain
	// BandLo and BandHi are the agreed band of our share of the joint
	// surplus (0.4 to 0.6), with 0 ≤ BandLo ≤ BandHi ≤ 1.
	BandLo, BandHi float64
	// Target is the share the proposed terms are judged fairer against;
	// zero means the middle of the band.
	Target float64
}

// ShareResult is the distribution of our share of the joint surplus.
type ShareResult struct {
	// Samples is our share in each trial (0 where undefined: a joint
	// surplus ≤ 0); Defined marks the trials with a positive joint surplus.
	Samples []float64
	Defined []bool
	// N is the number of defined trials; Mean and the percentiles
	// (PERCENTILE.INC) are over them, as are the probabilities.
	N           int
	Mean        float64
	Percentiles []Quantile
	// POutside is P(share outside [BandLo, BandHi]); PNoDeal the share of
	// all trials with a joint surplus ≤ 0 (no deal beats any terms).
	POutside, PNoDeal float64
}

// FairnessResult is a fairness run.
type FairnessResult struct {
	Trials            int
	Current, Proposed ShareResult
	HasProposed       bool
	// PFairer is P(|proposed share − Target| < |current share − Target|)
	// over the trials where both are defined: the proposed terms are
	// fairer in that share of futures.
	PFairer float64
	Target  float64
}

// RunFairness simulates our share of the joint surplus under the
// portfolio's terms and, when proposed is not nil, under the proposed
// terms on the same draws (common random numbers: the two runs share the
// seed, and the draws of a driver depend only on the seed, its address
// and the trial block, so each trial is the same future under both
// terms). Each side's value is read from the model (costmodel's
// our_value and partner_value of the partnership), its gain is that less
// its disagreement point. opt.Outputs is replaced by those two outputs and
// opt.Sensitivity by the first (targets must name one of them).
func RunFairness(ctx context.Context, p, proposed *costmodel.Portfolio, spec *Spec, opt Options, fo FairnessOptions) (*FairnessResult, error) {
	var pr costmodel.Problems
	if !(fo.BandLo >= 0 && fo.BandLo <= fo.BandHi && fo.BandHi <= 1) {
		pr.Add("band", fmt.Sprintf("%g to %g", fo.BandLo, fo.BandHi), "an agreed band of our share with 0 ≤ lo ≤ hi ≤ 1")
	}
	if !(fo.Target >= 0 && fo.Target <= 1) {
		pr.Add("target", fmt.Sprint(fo.Target), "a share from 0 to 1 (0: the middle of the band)")
	}
	if fo.Bargain.Partnership == "" {
		pr.Add("bargain.partnership", "", "the ID of the partnership bargained over")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	target := fo.Target
	if target == 0 {
		target = (fo.BandLo + fo.BandHi) / 2
	}
	b := fo.Bargain
	outs := []scenario.Output{
		{Scope: scenario.Partnership, Key: b.Partnership, Metric: costmodel.MetricOurValue},
		{Scope: scenario.Partnership, Key: b.Partnership, Metric: costmodel.MetricPartnerValue},
	}
	opt.Outputs = outs
	opt.Sensitivity = outs[:1]
	share := func(q *costmodel.Portfolio) (*Result, ShareResult, error) {
		r, err := Run(ctx, q, spec, opt)
		if err != nil {
			return nil, ShareResult{}, err
		}
		ours, _ := r.Output(outs[0])
		theirs, _ := r.Output(outs[1])
		d1, d2 := b.OurNoDeal.InexactFloat64(), b.PartnerNoDeal.InexactFloat64()
		sr := ShareResult{Samples: make([]float64, r.Trials), Defined: make([]bool, r.Trials)}
		var def []float64
		for i := range sr.Samples {
			g1, g2 := ours.Samples[i]-d1, theirs.Samples[i]-d2
			if j := g1 + g2; j > 0 {
				sr.Samples[i], sr.Defined[i] = g1/j, true
				def = append(def, g1/j)
				if g1/j < fo.BandLo || g1/j > fo.BandHi {
					sr.POutside++
				}
			}
		}
		sr.N = len(def)
		sr.PNoDeal = float64(r.Trials-sr.N) / float64(r.Trials)
		if sr.N > 0 {
			sr.POutside /= float64(sr.N)
			sum := 0.0
			for _, x := range def {
				sum += x
			}
			sr.Mean = sum / float64(sr.N)
			slices.Sort(def)
			for _, q := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
				sr.Percentiles = append(sr.Percentiles, Quantile{P: q, Value: Percentile(def, q)})
			}
		}
		return r, sr, nil
	}
	rc, cur, err := share(p)
	if err != nil {
		return nil, err
	}
	out := &FairnessResult{Trials: rc.Trials, Current: cur, Target: target}
	if proposed == nil {
		return out, nil
	}
	rp, prop, err := share(proposed)
	if err != nil {
		return nil, fmt.Errorf("proposed terms: %w", err)
	}
	if rp.Trials != rc.Trials || !slices.EqualFunc(rp.InputSamples, rc.InputSamples, slices.Equal[[]float64]) {
		return nil, &costmodel.FieldError{Path: "proposed", Expected: "proposed terms with the drivers of the current portfolio (scenario.Apply keeps them), so both see the same draws"}
	}
	out.Proposed, out.HasProposed = prop, true
	both, fairer := 0, 0
	for i := range cur.Samples {
		if cur.Defined[i] && prop.Defined[i] {
			both++
			if math.Abs(prop.Samples[i]-target) < math.Abs(cur.Samples[i]-target) {
				fairer++
			}
		}
	}
	if both > 0 {
		out.PFairer = float64(fairer) / float64(both)
	}
	return out, nil
}
