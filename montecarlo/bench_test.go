package montecarlo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// Sinks keep the compiler from deleting the work being measured.
var (
	sinkFloat  float64
	sinkSlice  []float64
	sinkResult error
)

func BenchmarkQuantile(b *testing.B) {
	data := make([]float64, 1000)
	rng := rand.New(rand.NewPCG(1, 1))
	for i := range data {
		data[i] = rng.NormFloat64()
	}
	for _, c := range []struct {
		name string
		d    Distribution
	}{
		{"Normal", Normal{Mu: 0, Sigma: 1}},
		{"LogNormal", LogNormal{Mu: 0, Sigma: 0.5}},
		{"Triangular", Triangular{Min: 0, Mode: 1, Max: 3}},
		{"PERT", PERT{Min: 0, Mode: 1, Max: 3}},
		{"Uniform", Uniform{Min: 0, Max: 1}},
		{"Beta", Beta{Alpha: 2, Beta: 5}},
		{"Gamma", Gamma{Shape: 2.5, Scale: 1}},
		{"Weibull", Weibull{Shape: 1.5, Scale: 1}},
		{"Poisson/λ=5", Poisson{Lambda: 5}},
		{"Poisson/λ=1e4", Poisson{Lambda: 1e4}},
		{"Discrete/5", NewDiscrete([]float64{1, 2, 3, 4, 5}, []float64{1, 2, 3, 2, 1})},
		{"Empirical/1000", NewEmpirical(data)},
		{"Truncated/Normal", NewTruncated(Normal{Mu: 0, Sigma: 1}, -1, 2)},
	} {
		b.Run(c.name, func(b *testing.B) {
			p := 0.0
			for b.Loop() {
				p += 0x1p-10
				if p >= 1 {
					p = 0x1p-11
				}
				sinkFloat = c.d.Quantile(p)
			}
		})
	}
}

func BenchmarkUniforms(b *testing.B) {
	for _, n := range []int{100, 10_000, 1_000_000} {
		for _, s := range []Sampler{MonteCarlo{}, LatinHypercube{}} {
			b.Run(fmt.Sprintf("%T/%d", s, n), func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				dst := make([]float64, n)
				for b.Loop() {
					sinkSlice = s.Uniforms(dst, n, rng)
				}
			})
		}
	}
}

func BenchmarkImanConover(b *testing.B) {
	for _, size := range []struct{ n, k int }{{1000, 3}, {10_000, 10}, {100_000, 10}} {
		b.Run(fmt.Sprintf("%dx%d", size.n, size.k), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			target := make([][]float64, size.k)
			for i := range target {
				target[i] = make([]float64, size.k)
				for j := range target[i] {
					target[i][j] = 0.3
				}
				target[i][i] = 1
			}
			cols := make([][]float64, size.k)
			for j := range cols {
				cols[j] = MonteCarlo{}.Uniforms(nil, size.n, rng)
			}
			for b.Loop() {
				sinkResult = ImanConover(cols, target, rng)
			}
		})
	}
}

func BenchmarkPercentile(b *testing.B) {
	for _, n := range []int{1000, 1_000_000} {
		x := normalSample(n, 0, 1, 1)
		b.Run(fmt.Sprintf("%d", n), func(b *testing.B) {
			p := 0.0
			for b.Loop() {
				p += 0.013
				if p > 1 {
					p = 0
				}
				sinkFloat = Percentile(x, p)
			}
		})
		// The cost the engine actually pays: sorting the output once.
		b.Run(fmt.Sprintf("sort+P95/%d", n), func(b *testing.B) {
			y := make([]float64, n)
			for b.Loop() {
				copy(y, x)
				rand.New(rand.NewPCG(1, 1)).Shuffle(n, func(i, j int) { y[i], y[j] = y[j], y[i] })
				slices.Sort(y)
				sinkFloat = Percentile(y, 0.95)
			}
		})
	}
}

func BenchmarkNearestCorrelation(b *testing.B) {
	c := [][]float64{{1, 1, 0}, {1, 1, 1}, {0, 1, 1}}
	for b.Loop() {
		r, _, _, _ := NearestCorrelation(c)
		sinkFloat = r[0][1]
	}
}

func BenchmarkSensitivity(b *testing.B) {
	const n, k = 100_000, 10
	rng := rand.New(rand.NewPCG(1, 1))
	in := make([][]float64, k)
	for j := range in {
		in[j] = MonteCarlo{}.Uniforms(nil, n, rng)
	}
	out := MonteCarlo{}.Uniforms(nil, n, rng)
	for b.Loop() {
		s, _ := Sensitivity(in, out, 0.05)
		sinkFloat = s[0].RankCorrelation
	}
}
