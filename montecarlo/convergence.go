package montecarlo

import (
	"fmt"
	"math"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
)

// BatchSE estimates the standard error of statistic computed on all of x,
// by batch means: x (in trial order) is cut into batches equal batches of
// m = ⌊len(x)/batches⌋ trials (the last len(x) mod batches trials are left
// out), statistic is computed on each, and
//
//	SE ≈ sd(statistic of each batch) / √batches
//
// Why batch means: a percentile or CVaR has no simple standard error (the
// iid formula for a percentile needs the output's unknown density, and
// CVaR's needs the tail variance), and with Latin Hypercube sampling or
// Iman–Conover reordering the trials inside a block are not independent,
// so even σ/√n is wrong. Batches that are independent blocks of trials (one
// LHS design each, from their own streams) give an honest, distribution-free
// estimate, which the engine can check after each block against a
// tolerance. The estimate itself has a relative error of about
// 1/√(2(batches − 1)): 20 to 50 batches are usual.
//
// statistic receives a batch it must not keep or modify. Errors (paths
// "batches", "samples"): batches < 2, fewer than 2 trials per batch, or
// non-finite samples.
func BatchSE(x []float64, batches int, statistic func(batch []float64) float64) (float64, error) {
	var p costmodel.Problems
	if statistic == nil {
		p.Add("statistic", "", "a function computing the statistic of a batch")
	}
	if batches < 2 {
		p.Add("batches", formatG(float64(batches)), "at least 2 batches")
	} else if len(x)/batches < 2 {
		p.Addf("samples", fmt.Sprintf("%d samples", len(x)), "at least 2 samples per batch (%d)", 2*batches)
	}
	if len(x) > 0 {
		p.Merge("", checkSamples(x, "samples"))
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	m := len(x) / batches
	stats := make([]float64, batches)
	for b := range stats {
		stats[b] = statistic(x[b*m : (b+1)*m : (b+1)*m])
	}
	var mean float64
	for _, s := range stats {
		mean += s
	}
	mean /= float64(batches)
	var ss float64
	for _, s := range stats {
		ss += (s - mean) * (s - mean)
	}
	se := math.Sqrt(ss/float64(batches-1)) / math.Sqrt(float64(batches))
	if !finite(se) {
		p.Add("samples", formatG(se), "a statistic that is finite on every batch")
		return 0, p.Err()
	}
	return se, nil
}

// MeanSE is the batch-means standard error of the mean of x; see [BatchSE].
func MeanSE(x []float64, batches int) (float64, error) {
	return BatchSE(x, batches, func(b []float64) float64 {
		var s float64
		for _, v := range b {
			s += v
		}
		return s / float64(len(b))
	})
}

// PercentileSE is the batch-means standard error of Percentile(x, p); see
// [BatchSE]. x is in trial order, not sorted.
func PercentileSE(x []float64, p float64, batches int) (float64, error) {
	var scratch []float64
	return BatchSE(x, batches, func(b []float64) float64 {
		scratch = append(scratch[:0], b...)
		slices.Sort(scratch)
		return Percentile(scratch, p)
	})
}

// CVaRSE is the batch-means standard error of CVaR(x, alpha); see
// [BatchSE]. x is in trial order, not sorted. Each batch must hold enough
// trials to have a tail: with 1 − alpha = 5%, a batch of 1 000 trials has
// 50 in its tail.
func CVaRSE(x []float64, alpha float64, batches int) (float64, error) {
	var scratch []float64
	return BatchSE(x, batches, func(b []float64) float64 {
		scratch = append(scratch[:0], b...)
		slices.Sort(scratch)
		return CVaR(scratch, alpha)
	})
}
