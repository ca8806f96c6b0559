package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernelsMatchGo: the passes the tape runs (linKernel, accKernel:
// assembly on amd64, AVX where the processor has it) give the Go loops' bits, for every term count, odd
// and even trial counts and values of every magnitude (signed zeros and
// subnormals among them). The Go loops themselves are held to the tape's
// documented order by TestAccumulateFourTermsAsTwo.
func TestKernelsMatchGo(t *testing.T) {
	t.Parallel()
	checkKernels(t)
}

func checkKernels(t *testing.T) {
	t.Helper()
	rng := rand.New(rand.NewPCG(21, 8))
	val := func() float64 {
		switch rng.IntN(12) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return rng.NormFloat64() * 1e-310
		}
		return rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
	}
	vec := func(n int) []float64 {
		x := make([]float64, n)
		for j := range x {
			x[j] = val()
		}
		return x
	}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 31, 127, 128} {
		for nt := 1; nt <= 5; nt++ {
			for range 20 {
				var s5 [5][]float64
				var c5 [5]float64
				for i := range nt {
					s5[i], c5[i] = vec(n), val()
				}
				k := val()
				// A longer destination: the kernels write only its first n.
				got, want := vec(n+3), make([]float64, n+3)
				copy(want, got)
				linKernel(got[:n], k, &s5, &c5, nt)
				linGo(want[:n], k, &s5, &c5, nt)
				same(t, "linear", n, nt, got, want)
				if nt > 4 {
					continue
				}
				var s4 [4][]float64
				var c4 [4]float64
				for i := range nt {
					s4[i], c4[i] = vec(n), val()
				}
				got, want = vec(n+3), make([]float64, n+3)
				copy(want, got)
				accKernel(got[:n], &s4, &c4, nt)
				accGo(want[:n], &s4, &c4, nt)
				same(t, "accumulate", n, nt, got, want)
			}
		}
	}
}

func same(t *testing.T, what string, n, nt int, got, want []float64) {
	t.Helper()
	for j := range got {
		if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
			t.Fatalf("%s, %d trials, %d terms: element %d is %v (%#x), the Go loop gives %v (%#x)",
				what, n, nt, j, got[j], math.Float64bits(got[j]), want[j], math.Float64bits(want[j]))
		}
	}
}

// BenchmarkKernels is a block of 128 trials through four-term passes:
// the tape's inner loop (compare -tags purego for the Go loops).
func BenchmarkKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var s [4][]float64
	c := [4]float64{1.1, -0.9, 1.2, 0.8}
	for i := range s {
		s[i] = make([]float64, DefaultBlock)
		for j := range s[i] {
			s[i][j] = rng.NormFloat64()
		}
	}
	d := make([]float64, DefaultBlock)
	for b.Loop() {
		accKernel(d, &s, &c, 4)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(4*DefaultBlock), "ns/term")
}

// TestAddSlices: AddSlices adds in the order it documents, bit for bit,
// for 0 to 12 sources.
func TestAddSlices(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 9))
	const n = 37
	for ns := range 13 {
		srcs := make([][]float64, ns)
		for i := range srcs {
			srcs[i] = make([]float64, n)
			for j := range srcs[i] {
				srcs[i][j] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(16)))
			}
		}
		got := make([]float64, n)
		for j := range got {
			got[j] = rng.NormFloat64() // overwritten
		}
		AddSlices(got, srcs)
		for j := range got {
			at := func(i int) float64 { return srcs[i][j] }
			var want float64
			switch {
			case ns == 0:
			case ns == 1:
				want = at(0)
			case ns == 2:
				want = at(0) + at(1)
			case ns == 3:
				want = at(0) + (at(1) + at(2))
			case ns == 4:
				want = (at(0) + (at(1) + at(2))) + at(3)
			default:
				want = (at(0) + (at(1) + at(2))) + (at(3) + at(4))
				i := 5
				for ; i+4 <= ns; i += 4 {
					want = (want + (at(i) + at(i+1))) + (at(i+2) + at(i+3))
				}
				switch ns - i {
				case 3:
					want = (want + (at(i) + at(i+1))) + at(i+2)
				case 2:
					want += at(i) + at(i+1)
				case 1:
					want += at(i)
				}
			}
			if math.Float64bits(got[j]) != math.Float64bits(want) {
				t.Fatalf("%d sources, element %d: %v, want %v", ns, j, got[j], want)
			}
		}
	}
}
