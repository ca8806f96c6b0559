package montecarlo

import (
	"fmt"
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/mat"
)

// symmetryTol is how far c[i][j] and c[j][i] may differ, and the diagonal
// from 1, before ValidateCorrelation refuses a matrix: enough for values
// that went through a decimal text round trip, far below any meaningful
// correlation.
const symmetryTol = 1e-12

// ValidateCorrelation reports every problem that keeps c from being a
// correlation matrix, each at path[i][j]: an empty or non-square matrix, a
// NaN or ±Inf entry, an entry outside [−1, 1], a diagonal entry other than 1
// or an asymmetric pair (tolerance 10⁻¹²). It does not require c to be
// positive definite: users type matrices that are not, and
// [NearestCorrelation] repairs them.
func ValidateCorrelation(c [][]float64, path string) error {
	var p costmodel.Problems
	validateCorrelation(&p, c, path)
	return p.Err()
}

func validateCorrelation(p *costmodel.Problems, c [][]float64, path string) {
	n := len(c)
	if n == 0 {
		p.Add(path, "", "a square correlation matrix with at least one row")
		return
	}
	at := func(i, j int) string { return fmt.Sprintf("%s[%d][%d]", path, i, j) }
	square := true
	for i, row := range c {
		if len(row) != n {
			p.Addf(fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("%d entries", len(row)),
				"%d entries (the matrix must be square)", n)
			square = false
		}
	}
	if !square {
		return
	}
	for i, row := range c {
		for j, v := range row {
			switch {
			case !finite(v):
				p.Add(at(i, j), formatG(v), "a finite correlation")
			case i == j && math.Abs(v-1) > symmetryTol:
				p.Add(at(i, j), formatG(v), "1 on the diagonal")
			case v < -1 || v > 1:
				p.Add(at(i, j), formatG(v), "a correlation between -1 and 1")
			case j < i && finite(c[j][i]) && math.Abs(v-c[j][i]) > symmetryTol:
				p.Addf(at(i, j), formatG(v), "%s, equal to %s (the matrix must be symmetric)",
					formatG(c[j][i]), at(j, i))
			}
		}
	}
}

// Repair parameters of NearestCorrelation.
const (
	// eigFloor is the smallest eigenvalue left in a repaired matrix, so
	// that its Cholesky factorisation succeeds.
	eigFloor = 1e-8
	// higham{Tol,MaxIter} stop the alternating projections.
	highamTol     = 1e-12
	highamMaxIter = 10_000
)

// NearestCorrelation returns the correlation matrix nearest to c in the
// Frobenius norm, made strictly positive definite, with the absolute change
// of every entry and the largest change, so a user can be told how much
// their matrix moved.
//
// When c is already positive definite (its Cholesky factorisation
// succeeds) it is returned unchanged (as a copy) with zero moves. Otherwise
// the nearest correlation matrix is found by Higham's alternating
// projections with Dykstra's correction (N. J. Higham, Computing the
// nearest correlation matrix — a problem from finance, IMA J. Numer. Anal.
// 22 (2002) 329–343, Algorithm 3.3, unit weights): alternately project onto
// the positive semidefinite matrices (clip negative eigenvalues to 0) and
// onto the matrices with unit diagonal, until successive iterates agree to
// 10⁻¹² (at most 10 000 iterations). The result is then made strictly
// positive definite: eigenvalues are raised to at least 10⁻⁸ and the matrix
// is rescaled to a unit diagonal, which moves it by about 10⁻⁸ more.
//
// c must pass [ValidateCorrelation]; otherwise the error lists its problems
// at paths "[i][j]".
func NearestCorrelation(c [][]float64) (repaired, moved [][]float64, maxMove float64, err error) {
	if err := ValidateCorrelation(c, ""); err != nil {
		return nil, nil, 0, err
	}
	n := len(c)
	a := toSym(c)
	var chol mat.Cholesky
	if chol.Factorize(a) {
		return fromSym(a), zeros(n), 0, nil
	}

	y := mat.NewSymDense(n, nil)
	y.CopySym(a)
	ds := mat.NewSymDense(n, nil) // Dykstra's correction
	r := mat.NewSymDense(n, nil)
	x := mat.NewSymDense(n, nil)
	var eig mat.EigenSym
	for iter := 0; iter < highamMaxIter; iter++ {
		subSym(r, y, ds)
		if !projectPSD(x, r, 0, &eig) {
			break
		}
		subSym(ds, x, r)
		var change, norm float64
		for i := 0; i < n; i++ {
			for j := i; j < n; j++ {
				v := x.At(i, j)
				if i == j {
					v = 1
				}
				d := v - y.At(i, j)
				change += d * d
				norm += v * v
				y.SetSym(i, j, v)
			}
		}
		if change <= highamTol*highamTol*norm {
			break
		}
	}

	// Make strictly positive definite with a unit diagonal. Clipping at a
	// floor and rescaling can, in rare rounding cases, leave a Cholesky
	// failure; raise the floor until it succeeds.
	out := mat.NewSymDense(n, nil)
	for floor := eigFloor; ; floor *= 10 {
		if !projectPSD(out, y, floor, &eig) {
			out.CopySym(identity(n))
		}
		unitDiagonal(out)
		if chol.Factorize(out) || floor > 0.1 {
			break
		}
	}
	repaired = fromSym(out)
	moved = zeros(n)
	for i := range repaired {
		for j := range repaired[i] {
			moved[i][j] = math.Abs(repaired[i][j] - c[i][j])
			maxMove = math.Max(maxMove, moved[i][j])
		}
	}
	return repaired, moved, maxMove, nil
}

// projectPSD sets dst to V·diag(max(λ, floor))·Vᵀ for a = V·diag(λ)·Vᵀ.
func projectPSD(dst, a *mat.SymDense, floor float64, eig *mat.EigenSym) bool {
	if !eig.Factorize(a, true) {
		return false
	}
	n := a.SymmetricDim()
	vals := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	for k, l := range vals {
		vals[k] = math.Max(l, floor)
	}
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			var s float64
			for k := 0; k < n; k++ {
				s += v.At(i, k) * vals[k] * v.At(j, k)
			}
			dst.SetSym(i, j, s)
		}
	}
	return true
}

// unitDiagonal rescales a to D^(−1/2)·a·D^(−1/2), D = diag(a), and sets the
// diagonal to exactly 1.
func unitDiagonal(a *mat.SymDense) {
	n := a.SymmetricDim()
	d := make([]float64, n)
	for i := range d {
		d[i] = math.Sqrt(a.At(i, i))
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			a.SetSym(i, j, math.Max(-1, math.Min(1, a.At(i, j)/(d[i]*d[j]))))
		}
		a.SetSym(i, i, 1)
	}
}

// subSym sets dst = a − b.
func subSym(dst, a, b *mat.SymDense) {
	n := a.SymmetricDim()
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			dst.SetSym(i, j, a.At(i, j)-b.At(i, j))
		}
	}
}

func toSym(c [][]float64) *mat.SymDense {
	n := len(c)
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			s.SetSym(i, j, (c[i][j]+c[j][i])/2)
		}
	}
	return s
}

func fromSym(s *mat.SymDense) [][]float64 {
	n := s.SymmetricDim()
	out := zeros(n)
	for i := range out {
		for j := range out[i] {
			out[i][j] = s.At(i, j)
		}
	}
	return out
}

func zeros(n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
	}
	return out
}

func identity(n int) *mat.SymDense {
	s := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		s.SetSym(i, i, 1)
	}
	return s
}
