package actuals

import (
	"bytes"
	"testing"

	"github.com/marginalhq/marginal"
	"github.com/marginalhq/marginal/costmodel"
)

var sinkModel *Model

// BenchmarkNewModel builds the sample's plan-against-actual model: the
// graph with per-month drivers and its eleven exact evaluations (plan,
// the nine effects, actual).
func BenchmarkNewModel(b *testing.B) {
	p, err := marginal.SamplePortfolio()
	if err != nil {
		b.Fatal(err)
	}
	a, err := ReadCSV(bytes.NewReader(marginal.SampleActuals()), p, costmodel.Month{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if sinkModel, err = NewModel(p, a); err != nil {
			b.Fatal(err)
		}
	}
}
