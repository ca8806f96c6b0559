//go:build amd64 && !purego

package graph

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKernelsSSE2 is TestKernelsMatchGo on the SSE2 passes alone, as a
// processor without AVX runs them (not parallel: it sets useAVX, which
// every tape reads).
func TestKernelsSSE2(t *testing.T) {
	if !useAVX {
		t.Log("no AVX here: TestKernelsMatchGo ran the SSE2 passes")
	}
	defer func(v bool) { useAVX = v }(useAVX)
	useAVX = false
	checkKernels(t)
}

// TestTapeAssemblyAsGo runs whole tapes (random graphs of 1,500 nodes,
// outputs of many terms, blocks of 37 and 128 trials, full and not) with
// the assembly passes and with the Go loops, and finds the same bits in
// every output of every trial (not parallel: it sets useAsm and useAVX).
func TestTapeAssemblyAsGo(t *testing.T) {
	defer func(a, v bool) { useAsm, useAVX = a, v }(useAsm, useAVX)
	avx := useAVX
	const drivers, months = 10, 4
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 7))
		g, outs := randomGraph(rng, drivers, months, 1500)
		// Outputs of many terms too: sums of twenty nodes each.
		o := Nodes(outs...)
		for range 20 {
			var sum Output
			for range 20 {
				sum = append(sum, Term{Node: outs[rng.IntN(len(outs))], Coef: rng.NormFloat64()})
			}
			o = append(o, sum)
		}
		base := make([]float64, drivers)
		var varying []DriverMonth
		for dr := range drivers {
			base[dr] = 0.5 + rng.Float64()
			if rng.IntN(3) > 0 {
				varying = append(varying, DriverMonth{int32(dr), AllMonths})
			}
		}
		for _, block := range []int{37, 128} {
			tp, err := Compile(g, o, varying, base, nil, TapeOptions{Block: block})
			if err != nil {
				t.Fatal(err)
			}
			run := func(asm, useAVXToo bool, n int) [][]float64 {
				useAsm, useAVX = asm, useAVXToo
				w := tp.NewWorkspace()
				r := rand.New(rand.NewPCG(seed, uint64(block)))
				for k := range tp.Inputs() {
					in := w.Input(k)
					for j := range in {
						in[j] = 0.5 + r.Float64()
					}
				}
				tp.Run(w, n)
				var res [][]float64
				for k := range tp.NumOutputs() {
					res = append(res, append([]float64(nil), w.Output(k, n)...))
				}
				return res
			}
			for _, n := range []int{block, block - 3} {
				want := run(false, false, n)
				for _, v := range []bool{false, avx} {
					got := run(true, v, n)
					for k := range want {
						for j := range want[k] {
							if math.Float64bits(got[k][j]) != math.Float64bits(want[k][j]) {
								t.Fatalf("seed %d, block %d, %d trials, AVX %v: output %d trial %d is %v, the Go loops give %v",
									seed, block, n, v, k, j, got[k][j], want[k][j])
							}
						}
					}
				}
			}
		}
	}
}
