package montecarlo_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/marginalhq/marginal/montecarlo"
)

// Percentile agrees with Excel's PERCENTILE.INC.
func ExamplePercentile() {
	sorted := []float64{15, 20, 35, 40, 50}
	fmt.Println(montecarlo.Percentile(sorted, 0.4)) // =PERCENTILE.INC({15,20,35,40,50},0.4)
	fmt.Println(montecarlo.Percentile([]float64{1, 2, 3, 4}, 0.1))
	// Output:
	// 29
	// 1.3
}

// A classic PERT estimate of a monthly support cost: at least 1 000, most
// likely 1 500, at most 4 000.
func ExamplePERT() {
	cost := montecarlo.PERT{Min: 1000, Mode: 1500, Max: 4000}
	fmt.Printf("mean %.2f\n", cost.Mean()) // (1000 + 4·1500 + 4000)/6
	fmt.Printf("P10 %.2f\n", cost.Quantile(0.1))
	fmt.Printf("P50 %.2f\n", cost.Quantile(0.5))
	fmt.Printf("P90 %.2f\n", cost.Quantile(0.9))
	// Output:
	// mean 1833.33
	// P10 1227.98
	// P50 1755.86
	// P90 2555.80
}

// A user's correlation matrix that cannot hold (a and b move together, b
// and c move together, yet a and c are unrelated) is repaired, and the user
// is told how far it moved.
func ExampleNearestCorrelation() {
	c := [][]float64{
		{1, 1, 0},
		{1, 1, 1},
		{0, 1, 1},
	}
	repaired, _, maxMove, err := montecarlo.NearestCorrelation(c)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range repaired {
		fmt.Printf("%7.4f\n", row)
	}
	fmt.Printf("largest change %.4f\n", maxMove)
	// Output:
	// [ 1.0000  0.7607  0.1573]
	// [ 0.7607  1.0000  0.7607]
	// [ 0.1573  0.7607  1.0000]
	// largest change 0.2393
}

// Building a distribution from its JSON form reports every problem at once.
func ExampleDistSpec_Build() {
	lo, mode, hi := 0.12, 0.10, 0.08
	spec := montecarlo.DistSpec{Type: "triangular", Min: &lo, Mode: &mode, Max: &hi}
	_, err := spec.Build("drivers[3].distribution")
	fmt.Println(err)
	// Output:
	// 3 problems:
	//   drivers[3].distribution.mode: got 0.1, expected a mode at least min (0.12)
	//   drivers[3].distribution.mode: got 0.1, expected a mode at most max (0.08)
	//   drivers[3].distribution.max: got 0.08, expected a max greater than min (0.12)
}

// One input's draws for one block of trials: Latin Hypercube uniforms from
// the input's own stream, mapped through its distribution, then summarised.
func ExampleLatinHypercube() {
	rng := montecarlo.Stream(2024, "amazon-us/toys/return_rate", 0)
	u := montecarlo.LatinHypercube{}.Uniforms(nil, 10_000, rng)
	rate := montecarlo.Triangular{Min: 0.05, Mode: 0.08, Max: 0.15}
	draws := make([]float64, len(u))
	for i, p := range u {
		draws[i] = rate.Quantile(p)
	}
	slices.Sort(draws)
	fmt.Printf("mean %.4f (exact %.4f)\n", mean(draws), rate.Mean())
	fmt.Printf("P95 %.4f\n", montecarlo.Percentile(draws, 0.95))
	// Output:
	// mean 0.0933 (exact 0.0933)
	// P95 0.1313
}

func mean(x []float64) float64 {
	s, _ := montecarlo.Summarize(x)
	return s.Mean
}

// VaR and CVaR of a profit-like output read from the lower tail.
func ExampleCVaR() {
	rng := rand.New(rand.NewPCG(1, 1))
	profit := montecarlo.Normal{Mu: 50_000, Sigma: 20_000}
	x := make([]float64, 100_000)
	for i := range x {
		x[i] = profit.Quantile(rng.Float64())
	}
	slices.Sort(x)
	fmt.Printf("VaR95  %.0f (exact 17103)\n", montecarlo.VaR(x, 0.95))
	fmt.Printf("CVaR95 %.0f (exact 8745)\n", montecarlo.CVaR(x, 0.95))
	fmt.Printf("P(loss) %.3f (exact 0.006)\n", montecarlo.ProbBelow(x, 0))
	// Output:
	// VaR95  17036 (exact 17103)
	// CVaR95 8799 (exact 8745)
	// P(loss) 0.006 (exact 0.006)
}
