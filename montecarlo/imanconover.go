package montecarlo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
)

// ImanConover reorders the samples of each input so that their Spearman
// rank correlations approach target, without changing any input's values
// (R. L. Iman and W. J. Conover, A distribution-free approach to inducing
// rank correlation among input variables, Commun. Statist. B11(3), 1982).
//
// samples is column-major: samples[j] holds the n draws of input j, and row
// i (samples[0][i], samples[1][i], ...) is trial i. target is the k×k
// matrix of wanted rank correlations. The method:
//
//  1. Scores: the van der Waerden scores a_i = Φ⁻¹(i/(n+1)), i = 1..n, are
//     put in each of the k columns of an n×k matrix M, each column in a
//     random order drawn from rng.
//  2. Target for the scores: Spearman's ρ_s of a bivariate normal relates
//     to its Pearson r by r = 2·sin(π·ρ_s/6); C is target with that
//     conversion applied entrywise, or target itself when the converted
//     matrix is not positive definite. The change is at most 0.018.
//  3. Correction for the scores' own correlation: E = corr(M) is close to
//     the identity but not equal to it. With Cholesky factors C = P·Pᵀ and
//     E = Q·Qᵀ, the rows of S = M·(P·Q⁻¹)ᵀ have correlation
//     P·Q⁻¹·E·Q⁻ᵀ·Pᵀ = P·Pᵀ = C exactly.
//  4. Each samples[j] is rearranged so that its values have the ranks of
//     column j of S: the trial with the r-th smallest S score gets the r-th
//     smallest value.
//
// The achieved rank correlation differs from target by O(1/√n). Ties in an
// input (a discrete distribution) lower the rank correlation it can reach.
// The result depends only on the inputs and on rng, so a seeded rng
// reproduces it.
//
// Errors (paths "samples", "samples[j]", "target[i][j]"): columns of
// different lengths, fewer than k + 1 trials for k ≥ 2 inputs (the
// scores of k inputs span k dimensions only with k + 1 trials), NaN
// samples, a target that
// fails [ValidateCorrelation], that is not k×k, or that is not positive
// definite (repair it first with [NearestCorrelation]). On error samples is
// unchanged. With one input there is nothing to correlate.
func ImanConover(samples [][]float64, target [][]float64, rng *rand.Rand) error {
	k := len(samples)
	var p costmodel.Problems
	validateCorrelation(&p, target, "target")
	if len(target) != k {
		p.Addf("target", fmt.Sprintf("%d rows", len(target)), "a %d×%d matrix, one row per input", k, k)
	}
	if k == 0 {
		p.Add("samples", "", "at least one input")
	}
	n := 0
	if k > 0 {
		n = len(samples[0])
	}
	for j, col := range samples {
		if len(col) != n {
			p.Addf(fmt.Sprintf("samples[%d]", j), fmt.Sprintf("%d samples", len(col)), "%d samples, as many as samples[0]", n)
		}
		if slices.ContainsFunc(col, math.IsNaN) {
			p.Add(fmt.Sprintf("samples[%d]", j), "NaN", "samples that are numbers")
		}
	}
	switch {
	case k == 1 && n < 2:
		p.Add("samples", trialCount(n), "at least 2 trials")
	case k > 1 && n < k+1:
		// The k score columns sum to 0, so they span at most n − 1
		// dimensions: their correlation matrix is singular unless n > k.
		p.Add("samples", trialCount(n), fmt.Sprintf("at least %d trials for %d inputs (k + 1 for k correlated inputs)", k+1, k))
	}
	if rng == nil {
		p.Add("rng", "", "a random source (Stream gives a reproducible one)")
	}
	if p.Len() > 0 {
		return p.Err()
	}
	pChol, ok := choleskyTarget(target)
	if !ok {
		p.Add("target", "", "a positive definite correlation matrix (repair it with NearestCorrelation)")
		return p.Err()
	}
	if k == 1 {
		return nil
	}
	if err := newICWork(pChol, k).correlate(samples, rng); err != nil {
		p.Add("samples", trialCount(n), err.Error())
		return p.Err()
	}
	return nil
}

// choleskyTarget is the lower Cholesky factor P of the Pearson correlations of
// normal scores with the target's rank correlations (or, when those are
// not positive definite, of the target itself), row-major k × k.
func choleskyTarget(target [][]float64) ([]float64, bool) {
	l, ok := choleskyLower(spearmanToPearson(target))
	if !ok {
		l, ok = choleskyLower(target)
	}
	if !ok {
		return nil, false
	}
	k := len(target)
	out := make([]float64, k*k)
	for i := range k {
		for j := 0; j <= i; j++ {
			out[i*k+j] = l.At(i, j)
		}
	}
	return out, true
}

// icWork is the scratch of Iman–Conover for one group of k inputs: a
// worker reuses it block after block, so correlating a block allocates
// nothing once the block size has been seen.
type icWork struct {
	k      int
	p      []float64 // the target's factor (choleskyTarget), k × k
	n      int       // the trials the scores are for
	score  []float64 // van der Waerden scores Φ⁻¹(i/(n+1))
	m      []float64 // the shuffled scores, column j at m[j*n:]
	e, q   []float64 // corr(M) and its lower Cholesky factor, k × k
	qInv   []float64 // q⁻¹, lower triangular
	a      []float64 // P·q⁻¹
	s      []float64 // M·Aᵀ, column j at s[j*n:]
	order  []icScored
	sorted []float64
}

type icScored struct {
	s float64
	i int
}

func newICWork(p []float64, k int) *icWork {
	return &icWork{k: k, p: p, e: make([]float64, k*k), q: make([]float64, k*k), qInv: make([]float64, k*k), a: make([]float64, k*k)}
}

// correlate rearranges the k columns of samples (n trials each, n > k,
// checked by the caller) to the target's rank correlations:
//
//  1. M: each column the scores in its own random order (from rng);
//  2. E = corr(M) = Q·Qᵀ, P·Pᵀ the target's (choleskyTarget);
//  3. S = M·(P·Q⁻¹)ᵀ, whose columns have correlations P·Pᵀ;
//  4. each input rearranged to the ranks of its column of S.
//
// With few trials a shuffle can leave the columns linearly dependent (E
// singular, up to a quarter of draws at n = k + 1); the columns are then
// shuffled again, from the same rng, so the result stays reproducible.
func (w *icWork) correlate(samples [][]float64, rng *rand.Rand) error {
	k, n := w.k, len(samples[0])
	if w.n != n {
		w.n = n
		w.score = make([]float64, n)
		for i := range w.score {
			w.score[i] = mathext.NormalQuantile(float64(i+1) / float64(n+1))
		}
		w.m, w.s = make([]float64, n*k), make([]float64, n*k)
		w.order, w.sorted = make([]icScored, n), make([]float64, n)
	}
	for attempt := 0; ; attempt++ {
		for j := range k {
			col := w.m[j*n : (j+1)*n]
			copy(col, w.score)
			rng.Shuffle(n, func(a, b int) { col[a], col[b] = col[b], col[a] })
		}
		// E = MᵀM with a unit diagonal: the scores are symmetric about 0,
		// so their mean is 0 up to rounding and MᵀM/Σa² is their
		// correlation.
		for a := range k {
			for b := 0; b <= a; b++ {
				x, y, sum := w.m[a*n:(a+1)*n], w.m[b*n:(b+1)*n], 0.0
				for i := range x {
					sum += x[i] * y[i]
				}
				w.e[a*k+b], w.e[b*k+a] = sum, sum
			}
		}
		for a := range k {
			for b := range a {
				r := math.Max(-1, math.Min(1, w.e[a*k+b]/math.Sqrt(w.e[a*k+a]*w.e[b*k+b])))
				w.e[a*k+b], w.e[b*k+a] = r, r
			}
		}
		for a := range k {
			w.e[a*k+a] = 1
		}
		if cholesky(w.q, w.e, k) && invertLower(w.qInv, w.q, k) {
			break
		}
		if attempt == maxReshuffles {
			return fmt.Errorf("enough trials for %d inputs that a shuffle of the scores is not singular (%d attempts failed)", k, maxReshuffles+1)
		}
	}
	// A = P·Q⁻¹ (both lower triangular), S = M·Aᵀ.
	clear(w.a)
	for i := range k {
		for j := 0; j <= i; j++ {
			sum := 0.0
			for c := j; c <= i; c++ {
				sum += w.p[i*k+c] * w.qInv[c*k+j]
			}
			w.a[i*k+j] = sum
		}
	}
	for j := range k {
		sj := w.s[j*n : (j+1)*n]
		clear(sj)
		for c := 0; c <= j; c++ {
			if f := w.a[j*k+c]; f != 0 {
				for i, v := range w.m[c*n : (c+1)*n] {
					sj[i] += f * v
				}
			}
		}
	}
	// Rearrange each input to the ranks of its column of S. Ties in S
	// (rare) are broken by trial index, so the result is deterministic.
	for j := range k {
		sj := w.s[j*n : (j+1)*n]
		for i := range w.order {
			w.order[i] = icScored{sj[i], i}
		}
		slices.SortFunc(w.order, func(x, y icScored) int {
			if c := cmp.Compare(x.s, y.s); c != 0 {
				return c
			}
			return cmp.Compare(x.i, y.i)
		})
		copy(w.sorted, samples[j])
		slices.Sort(w.sorted)
		for r, o := range w.order {
			samples[j][o.i] = w.sorted[r]
		}
	}
	return nil
}

// cholesky sets l (row-major k × k, lower triangular) to the Cholesky
// factor of the symmetric a, and reports false when a is not positive
// definite to working precision (a pivot not above k·ε of its diagonal).
func cholesky(l, a []float64, k int) bool {
	clear(l)
	for i := range k {
		for j := 0; j <= i; j++ {
			sum := a[i*k+j]
			for c := range j {
				sum -= l[i*k+c] * l[j*k+c]
			}
			if i == j {
				if !(sum > float64(k)*1e-15*a[i*k+i]) {
					return false
				}
				l[i*k+i] = math.Sqrt(sum)
			} else {
				l[i*k+j] = sum / l[j*k+j]
			}
		}
	}
	return true
}

// invertLower sets inv to l⁻¹ for a lower triangular l and reports false
// when l is too ill-conditioned to invert (1-norm condition number above
// 10¹⁶, gonum's mat.ConditionTolerance).
func invertLower(inv, l []float64, k int) bool {
	clear(inv)
	for j := range k {
		inv[j*k+j] = 1 / l[j*k+j]
		for i := j + 1; i < k; i++ {
			sum := 0.0
			for c := j; c < i; c++ {
				sum += l[i*k+c] * inv[c*k+j]
			}
			inv[i*k+j] = -sum / l[i*k+i]
		}
	}
	norm := func(x []float64) float64 {
		best := 0.0
		for j := range k {
			col := 0.0
			for i := j; i < k; i++ {
				col += math.Abs(x[i*k+j])
			}
			best = math.Max(best, col)
		}
		return best
	}
	c := norm(l) * norm(inv)
	return c <= 1e16 && !math.IsNaN(c)
}

// trialCount says "1 trial" or "n trials".
func trialCount(n int) string {
	if n == 1 {
		return "1 trial"
	}
	return fmt.Sprintf("%d trials", n)
}

// maxReshuffles bounds the redraws of a singular score matrix: with a
// failure rate of at most 28 % per draw (n = k + 1), 64 redraws fail
// together with probability below 10⁻³⁵.
const maxReshuffles = 64

// spearmanToPearson converts rank correlations to the Pearson correlations
// of normal variables that have them: r = 2·sin(π·ρ_s/6).
func spearmanToPearson(c [][]float64) [][]float64 {
	out := make([][]float64, len(c))
	for i, row := range c {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j] = 2 * math.Sin(math.Pi*v/6)
		}
	}
	return out
}

// choleskyLower returns the lower Cholesky factor L of c (c = L·Lᵀ).
func choleskyLower(c [][]float64) (*mat.TriDense, bool) {
	var chol mat.Cholesky
	if !chol.Factorize(toSym(c)) {
		return nil, false
	}
	var l mat.TriDense
	chol.LTo(&l)
	return &l, true
}
