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
	pChol, ok := choleskyLower(spearmanToPearson(target))
	if !ok {
		pChol, ok = choleskyLower(target)
	}
	if !ok {
		p.Add("target", "", "a positive definite correlation matrix (repair it with NearestCorrelation)")
		return p.Err()
	}
	if k == 1 {
		return nil
	}

	// 1. Scores, each column in its own random order.
	scores := make([]float64, n)
	for i := range scores {
		scores[i] = mathext.NormalQuantile(float64(i+1) / float64(n+1))
	}
	m := mat.NewDense(n, k, nil)
	col := make([]float64, n)
	// 3. E = corr(M). The scores are symmetric about 0, so their mean is 0
	// up to rounding and MᵀM/Σa² is their correlation. With few trials a
	// shuffle can leave the columns linearly dependent (E singular, up to
	// a quarter of draws at n = k + 1); the columns are then shuffled
	// again, from the same rng, so the result stays reproducible.
	var qInv mat.TriDense
	for attempt := 0; ; attempt++ {
		for j := 0; j < k; j++ {
			copy(col, scores)
			rng.Shuffle(n, func(a, b int) { col[a], col[b] = col[b], col[a] })
			m.SetCol(j, col)
		}
		var e mat.SymDense
		e.SymOuterK(1, m.T())
		unitDiagonal(&e)
		qChol, ok := choleskyLower(fromSym(&e))
		if ok && qInv.InverseTri(qChol) == nil {
			break
		}
		if attempt == maxReshuffles {
			p.Add("samples", trialCount(n),
				fmt.Sprintf("enough trials for %d inputs that a shuffle of the scores is not singular (%d attempts failed)", k, maxReshuffles+1))
			return p.Err()
		}
	}
	var a, s mat.Dense
	a.Mul(pChol, &qInv)
	s.Mul(m, a.T())

	// 4. Rearrange each input to the ranks of its column of S. Ties in S
	// (rare) are broken by trial index, so the result is deterministic.
	type scored struct {
		s float64
		i int
	}
	order := make([]scored, n)
	sorted := make([]float64, n)
	for j := 0; j < k; j++ {
		for i := range order {
			order[i] = scored{s.At(i, j), i}
		}
		slices.SortFunc(order, func(x, y scored) int {
			if c := cmp.Compare(x.s, y.s); c != 0 {
				return c
			}
			return cmp.Compare(x.i, y.i)
		})
		copy(sorted, samples[j])
		slices.Sort(sorted)
		for r, o := range order {
			samples[j][o.i] = sorted[r]
		}
	}
	return nil
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
