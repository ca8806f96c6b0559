package montecarlo

import (
	"math"

	"github.com/marginalhq/marginal/costmodel"
	"gonum.org/v1/gonum/stat/distuv"
)

// Triangular is the triangular distribution on [Min, Max] with its peak at
// Mode (https://en.wikipedia.org/wiki/Triangular_distribution). Fields are in
// the order finance users say them: min, most likely, max. (gonum's
// distuv.Triangle, which this wraps, takes min, max, mode.)
//
//	mean     = (min + mode + max)/3
//	variance = (min² + mode² + max² − min·mode − min·max − mode·max)/18
//
// In a [DistSpec] it is {"type":"triangular","min":a,"mode":c,"max":b}.
type Triangular struct {
	// Min, Mode and Max must be finite with Min ≤ Mode ≤ Max and Min < Max.
	Min, Mode, Max float64
}

var _ Distribution = Triangular{}

func (t Triangular) valid() bool {
	return finite(t.Min) && finite(t.Mode) && finite(t.Max) && t.Min <= t.Mode && t.Mode <= t.Max && t.Min < t.Max
}

// Quantile returns the inverse CDF; Quantile(0) = Min and Quantile(1) = Max.
func (t Triangular) Quantile(p float64) float64 {
	if !t.valid() {
		return math.NaN()
	}
	return distuv.NewTriangle(t.Min, t.Max, t.Mode, nil).Quantile(clampUnit(p))
}

// CDF returns P(X ≤ x).
func (t Triangular) CDF(x float64) float64 {
	if !t.valid() {
		return math.NaN()
	}
	return distuv.NewTriangle(t.Min, t.Max, t.Mode, nil).CDF(x)
}

// Mean returns (min + mode + max)/3.
func (t Triangular) Mean() float64 { return (t.Min + t.Mode + t.Max) / 3 }

// Variance returns (a² + b² + c² − ab − ac − bc)/18.
func (t Triangular) Variance() float64 {
	a, c, b := t.Min, t.Mode, t.Max
	return (a*a + b*b + c*c - a*b - a*c - b*c) / 18
}

func (t Triangular) check(p *costmodel.Problems, path string) {
	checkRange(p, path, t.Min, t.Mode, t.Max, true)
}
