package montecarlo

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestNearestCorrelationHigham checks the example of Higham (2002), §4:
// the nearest correlation matrix to
//
//	[1 1 0; 1 1 1; 0 1 1]
//
// is, to the four places printed in the paper,
//
//	[1 0.7607 0.1573; 0.7607 1 0.7607; 0.1573 0.7607 1].
//
// The tolerance 5e-5 is half a unit in the fourth place plus the 10⁻⁸
// eigenvalue floor.
func TestNearestCorrelationHigham(t *testing.T) {
	t.Parallel()
	c := [][]float64{{1, 1, 0}, {1, 1, 1}, {0, 1, 1}}
	got, moved, maxMove, err := NearestCorrelation(c)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, 0.7607, 0.1573}, {0.7607, 1, 0.7607}, {0.1573, 0.7607, 1}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(got[i][j]-want[i][j]) > 5e-5 {
				t.Errorf("[%d][%d] = %.6f, want %.4f", i, j, got[i][j], want[i][j])
			}
			if m := math.Abs(got[i][j] - c[i][j]); math.Abs(moved[i][j]-m) > 1e-15 {
				t.Errorf("moved[%d][%d] = %g, want %g", i, j, moved[i][j], m)
			}
		}
	}
	if math.Abs(maxMove-(1-0.7607)) > 5e-5 {
		t.Errorf("maxMove = %g, want about %g", maxMove, 1-0.7607)
	}
	var chol mat.Cholesky
	if !chol.Factorize(toSym(got)) {
		t.Error("repaired matrix is not positive definite")
	}
	if err := ValidateCorrelation(got, "r"); err != nil {
		t.Errorf("repaired matrix invalid: %v", err)
	}
}

func TestNearestCorrelationKeepsValid(t *testing.T) {
	t.Parallel()
	c := [][]float64{{1, 0.3, -0.2}, {0.3, 1, 0.5}, {-0.2, 0.5, 1}}
	got, moved, maxMove, err := NearestCorrelation(c)
	if err != nil {
		t.Fatal(err)
	}
	if maxMove != 0 {
		t.Errorf("maxMove = %g, want 0", maxMove)
	}
	for i := range c {
		for j := range c {
			if got[i][j] != c[i][j] || moved[i][j] != 0 {
				t.Errorf("[%d][%d] changed: %g (moved %g)", i, j, got[i][j], moved[i][j])
			}
		}
	}
	got[0][1] = 9
	if c[0][1] != 0.3 {
		t.Error("result aliases the input")
	}
}

// TestNearestCorrelationLarger repairs an inconsistent 4×4 matrix (three
// strong positive pairs that cannot all hold with a strong negative one).
func TestNearestCorrelationLarger(t *testing.T) {
	t.Parallel()
	c := [][]float64{
		{1, 0.9, 0.9, -0.9},
		{0.9, 1, 0.9, 0.9},
		{0.9, 0.9, 1, 0.9},
		{-0.9, 0.9, 0.9, 1},
	}
	got, _, maxMove, err := NearestCorrelation(c)
	if err != nil {
		t.Fatal(err)
	}
	if maxMove <= 0 {
		t.Error("an indefinite matrix did not move")
	}
	var eig mat.EigenSym
	if !eig.Factorize(toSym(got), false) {
		t.Fatal("eigen failed")
	}
	if minEig := eig.Values(nil)[0]; minEig < eigFloor/10 {
		t.Errorf("smallest eigenvalue %g, want ≥ about %g", minEig, eigFloor)
	}
	if err := ValidateCorrelation(got, ""); err != nil {
		t.Error(err)
	}
}

func TestValidateCorrelation(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		c    [][]float64
		want []string
	}{
		{"empty", nil, []string{"corr"}},
		{"ragged", [][]float64{{1, 0}, {0}}, []string{"corr[1]"}},
		{"asymmetric", [][]float64{{1, 0.5}, {0.4, 1}}, []string{"corr[1][0]"}},
		{"out of range", [][]float64{{1, 1.5}, {1.5, 1}}, []string{"corr[0][1]", "corr[1][0]"}},
		{"diagonal", [][]float64{{0.9, 0}, {0, 1}}, []string{"corr[0][0]"}},
		{"NaN", [][]float64{{1, math.NaN()}, {0, 1}}, []string{"corr[0][1]"}},
	} {
		err := ValidateCorrelation(c.c, "corr")
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		paths := problemPaths(t, err)
		for _, w := range c.want {
			if !has(paths, w) {
				t.Errorf("%s: missing %q in %v", c.name, w, err)
			}
		}
		if _, _, _, err := NearestCorrelation(c.c); err == nil {
			t.Errorf("%s: NearestCorrelation accepted it", c.name)
		}
	}
	if err := ValidateCorrelation([][]float64{{1, -0.95}, {-0.95, 1}}, "corr"); err != nil {
		t.Error(err)
	}
}
