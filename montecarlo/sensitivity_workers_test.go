package montecarlo

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestSensitivityWorkers: the ranks computed on several goroutines give
// Sensitivity's result to the bit, with ties and more workers than inputs.
func TestSensitivityWorkers(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 500
	inputs := make([][]float64, 7)
	for j := range inputs {
		inputs[j] = make([]float64, n)
		for i := range inputs[j] {
			inputs[j][i] = float64(rng.IntN(50)) // ties
		}
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = inputs[0][i] - 2*inputs[3][i] + rng.NormFloat64()
	}
	want, err := Sensitivity(inputs, out, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if want[3].RankCorrelation > -0.5 {
		t.Fatalf("input 3 rank correlation %v: the test output should depend on it", want[3].RankCorrelation)
	}
	for _, w := range []int{2, 3, 16} {
		got, err := sensitivity(inputs, out, 0.1, w, nil)
		if err != nil {
			t.Fatal(err)
		}
		for j := range want {
			if got[j] != want[j] {
				t.Errorf("%d workers, input %d: %+v, want %+v", w, j, got[j], want[j])
			}
		}
	}
}

// Sensitivity's rank correlations, summed over each input's sorted order,
// are Spearman's (ranks in trial order, ties averaged), on inputs with
// many ties and an output with ties; its tail means are those of the
// trials a stable sort puts first.
func TestSensitivityIsSpearman(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 2001
	out := make([]float64, n)
	ins := make([][]float64, 4)
	for i := range ins {
		ins[i] = make([]float64, n)
	}
	for j := range n {
		ins[0][j] = float64(rng.IntN(5)) // ties
		ins[1][j] = rng.NormFloat64()
		ins[2][j] = 7 // constant
		ins[3][j] = float64(rng.IntN(50))
		out[j] = math.Round(3*ins[0][j] - ins[1][j] + 0.1*ins[3][j]) // ties
	}
	got, err := sensitivity(ins, out, 0.1, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return out[order[a]] < out[order[b]] })
	tail := order[:int(math.Ceil(0.1*float64(n)))]
	for i, in := range ins {
		want, _ := Spearman(in, out)
		if math.Abs(got[i].RankCorrelation-want) > 1e-12 {
			t.Errorf("input %d: rank correlation %v, Spearman %v", i, got[i].RankCorrelation, want)
		}
		tm := 0.0
		for _, j := range tail {
			tm += in[j]
		}
		if w := tm / float64(len(tail)); math.Abs(got[i].TailMean-w) > 1e-12*math.Max(1, math.Abs(w)) {
			t.Errorf("input %d: tail mean %v, want %v", i, got[i].TailMean, w)
		}
	}
	if got[2].RankCorrelation != 0 {
		t.Errorf("a constant input: rank correlation %v", got[2].RankCorrelation)
	}
}
