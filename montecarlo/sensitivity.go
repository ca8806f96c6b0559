package montecarlo

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/marginalhq/marginal/costmodel"
)

// Ranks returns the ranks 1..n of x, ties given the average of the ranks
// they span (so {10, 20, 20, 30} ranks as {1, 2.5, 2.5, 4}), written to dst
// when cap(dst) ≥ len(x) and to a new slice otherwise. NaN ranks below
// every number.
func Ranks(dst, x []float64) []float64 {
	dst, _ = ranks(dst, nil, x)
	return dst
}

// ranks is Ranks with the sort's scratch given (and returned, grown when
// too short), so that a worker ranking input after input reuses it.
func ranks(dst []float64, order []int, x []float64) ([]float64, []int) {
	n := len(x)
	dst = resize(dst, n)
	if cap(order) < n {
		order = make([]int, n)
	}
	order = order[:n]
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	for i := 0; i < n; {
		j := i + 1
		for j < n && cmp.Compare(x[order[j]], x[order[i]]) == 0 {
			j++
		}
		// Positions i..j−1 (0-based) tie: ranks i+1..j average (i+1+j)/2.
		r := float64(i+1+j) / 2
		for _, o := range order[i:j] {
			dst[o] = r
		}
		i = j
	}
	return dst, order
}

// Spearman returns Spearman's rank correlation of x and y: the Pearson
// correlation of their ranks, with average ranks for ties. It returns 0
// when either is constant (no ranking to correlate), and an error when the
// lengths differ or there are fewer than two pairs.
func Spearman(x, y []float64) (float64, error) {
	var p costmodel.Problems
	if len(x) != len(y) {
		p.Addf("y", fmt.Sprintf("%d values", len(y)), "as many values as x (%d)", len(x))
	} else if len(x) < 2 {
		p.Add("x", fmt.Sprintf("%d values", len(x)), "at least 2 pairs")
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	return pearson(Ranks(nil, x), Ranks(nil, y)), nil
}

// pearson is the Pearson correlation of equal-length x and y, 0 when
// either has no spread.
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0
	}
	return math.Max(-1, math.Min(1, sxy/math.Sqrt(sxx*syy)))
}

// InputSensitivity is how strongly one input drives the output, as a
// sensitivity ranking shows it.
type InputSensitivity struct {
	// RankCorrelation is Spearman's correlation of the input with the
	// output, in [−1, 1]; its sign says in which direction the input pushes.
	RankCorrelation float64
	// ContributionToVariance is RankCorrelation² over the sum of all
	// inputs' squares, so the contributions add to 1. It is the
	// approximation @RISK and Crystal Ball show: exact only for an
	// additive model with independent inputs (after a rank transform), and
	// misleading when inputs are correlated or interact.
	ContributionToVariance float64
	// Mean is the input's mean over all trials.
	Mean float64
	// TailMean is the input's mean over the worst q fraction of trials
	// (lowest outputs). Far from Mean means the input drives the bad
	// outcomes.
	TailMean float64
}

// Sensitivity ranks the inputs of a simulation by their influence on
// output, from the samples alone. inputs is column-major (inputs[j][i] is
// input j in trial i) and output[i] the output of trial i. q in (0, 1] is
// the fraction of worst trials (lowest outputs, since outputs are
// profit-like) for TailMean: the ⌈q·n⌉ lowest, ties broken by trial order.
//
// Errors (paths "inputs[j]", "output", "q"): inputs of a length other than
// len(output), fewer than two trials, non-finite values, q outside (0, 1].
func Sensitivity(inputs [][]float64, output []float64, q float64) ([]InputSensitivity, error) {
	return sensitivity(inputs, output, q, 1, nil)
}

// sensitivity is Sensitivity with the inputs' ranks computed on up to
// workers goroutines (a run's Workers: ranking a hundred inputs over the
// trials is the largest part of a run's statistics). The result does not
// depend on workers.
// scratch holds per-goroutine sort buffers (grown as needed, may be nil),
// so that the caller can share them with its other statistics.
func sensitivity(inputs [][]float64, output []float64, q float64, workers int, scratch [][]float64) ([]InputSensitivity, error) {
	var p costmodel.Problems
	n := len(output)
	if n < 2 {
		p.Add("output", fmt.Sprintf("%d trials", n), "at least 2 trials")
	} else {
		p.Merge("", checkSamples(output, "output"))
	}
	for j, in := range inputs {
		path := fmt.Sprintf("inputs[%d]", j)
		if len(in) != n {
			p.Addf(path, fmt.Sprintf("%d trials", len(in)), "%d trials, as many as output", n)
		} else if n > 0 {
			p.Merge("", checkSamples(in, path))
		}
	}
	if !(q > 0 && q <= 1) {
		p.Add("q", formatG(q), "a tail fraction in (0, 1]")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}

	// Ranks by binary search in a sorted copy (ties get the mean of the
	// positions they share, as Ranks), so that the only scratch is one
	// copy per goroutine: a run of 10^6 trials and 100 inputs would
	// otherwise leave gigabytes of garbage.
	workers = max(1, min(workers, len(inputs)))
	for len(scratch) < workers {
		scratch = append(scratch, nil)
	}
	sorted := sortedCopy(&scratch[0], output)
	outRanks := make([]float64, n)
	for i, v := range output {
		outRanks[i] = rankIn(sorted, v)
	}
	my, syy := meanSq(outRanks)
	// The tail: the k lowest outputs, ties broken by trial (a stable
	// sort's first k): every trial below the k-th value, then the first
	// trials at it.
	k := max(1, int(math.Ceil(q*float64(n))))
	kth := sorted[k-1]
	below, _ := slices.BinarySearch(sorted, kth)
	atKth := k - below // how many at kth the tail takes
	tail := make([]int, 0, k)
	for i, v := range output {
		if v < kth {
			tail = append(tail, i)
		} else if v == kth && atKth > 0 {
			tail = append(tail, i)
			atKth--
		}
	}

	res := make([]InputSensitivity, len(inputs))
	one := func(j int, buf *[]float64) {
		in := inputs[j]
		// Spearman's ρ: the Pearson correlation of the ranks; the mean
		// rank is (n + 1)/2.
		sorted := sortedCopy(buf, in)
		mx := float64(n+1) / 2
		var sxy, sxx float64
		for i, v := range in {
			dx := rankIn(sorted, v) - mx
			sxy += dx * (outRanks[i] - my)
			sxx += dx * dx
		}
		r := 0.0
		if sxx != 0 && syy != 0 {
			r = math.Max(-1, math.Min(1, sxy/math.Sqrt(sxx*syy)))
		}
		var mean, tm float64
		for _, v := range in {
			mean += v
		}
		for _, i := range tail {
			tm += in[i]
		}
		res[j] = InputSensitivity{RankCorrelation: r, Mean: mean / float64(n), TailMean: tm / float64(len(tail))}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := w; j < len(inputs); j += workers {
				one(j, &scratch[w])
			}
		})
	}
	wg.Wait()
	var sumSq float64
	for j := range res {
		sumSq += res[j].RankCorrelation * res[j].RankCorrelation
	}
	if sumSq > 0 {
		for j := range res {
			res[j].ContributionToVariance = res[j].RankCorrelation * res[j].RankCorrelation / sumSq
		}
	}
	return res, nil
}

// sortedCopy sorts a copy of x into *buf (grown when short).
func sortedCopy(buf *[]float64, x []float64) []float64 {
	*buf = append((*buf)[:0], x...)
	slices.Sort(*buf)
	return *buf
}

// rankIn is v's rank among the sorted values: the mean of the positions
// (from 1) of the values equal to it.
func rankIn(sorted []float64, v float64) float64 {
	lo, _ := slices.BinarySearch(sorted, v) // first ≥ v
	hi := lo + 1
	for hi < len(sorted) && sorted[hi] == v {
		hi++
	}
	if hi-lo > 8 { // many ties: search for the end instead of walking
		hi = lo + sort.Search(len(sorted)-lo, func(i int) bool { return sorted[lo+i] > v })
	}
	return float64(lo+1+hi) / 2
}

// meanSq is the mean of x and the sum of its squared deviations.
func meanSq(x []float64) (mean, ss float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, ss
}
