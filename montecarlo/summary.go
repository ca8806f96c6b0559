package montecarlo

import (
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat"
)

// Summary holds the moments and range of one output's samples.
type Summary struct {
	N    int     // number of samples (in a run's result: of defined trials)
	Mean float64 // arithmetic mean
	SD   float64 // standard deviation with the n − 1 divisor (Excel's STDEV.S); 0 when N = 1
	SE   float64 // standard error of the mean, SD/√N, valid for independent draws
	Min  float64
	Max  float64
}

// Summarize computes the Summary of x, in any order. It returns an error
// (path "samples") when x is empty or holds NaN or ±Inf, so that no
// non-finite number reaches a result.
func Summarize(x []float64) (Summary, error) {
	if err := checkSamples(x, "samples"); err != nil {
		return Summary{}, err
	}
	s := Summary{N: len(x), Min: x[0], Max: x[0]}
	for _, v := range x {
		s.Min = math.Min(s.Min, v)
		s.Max = math.Max(s.Max, v)
	}
	if len(x) == 1 {
		s.Mean = x[0]
		return s, nil
	}
	s.Mean, s.SD = stat.MeanStdDev(x, nil)
	s.SE = s.SD / math.Sqrt(float64(len(x)))
	return s, nil
}

// StandardError returns the standard error of the mean of x, s/√n with the
// n − 1 standard deviation, valid for independent draws ([MonteCarlo]); for
// Latin Hypercube samples use [BatchSE] over independent blocks. It returns
// 0 for fewer than two samples.
func StandardError(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	return stat.StdDev(x, nil) / math.Sqrt(float64(len(x)))
}

// checkSamples reports an empty x or non-finite entries at path.
func checkSamples(x []float64, path string) error {
	var p costmodel.Problems
	if len(x) == 0 {
		p.Add(path, "", "at least one sample")
		return p.Err()
	}
	bad, first := 0, -1
	for i, v := range x {
		if !finite(v) {
			if bad == 0 {
				first = i
			}
			bad++
		}
	}
	if bad > 0 {
		p.Addf(fmt.Sprintf("%s[%d]", path, first), formatG(x[first]),
			"finite samples (%d of %d are NaN or ±Inf)", bad, len(x))
	}
	return p.Err()
}
