package montecarlo

import (
	"math/rand/v2"
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
		got, err := sensitivity(inputs, out, 0.1, w)
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
