package costmodel_test

import (
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

func TestBenchmarkPortfolioFoots(t *testing.T) {
	t.Parallel()
	p := sample.Benchmark(20, 8, 36)
	st, err := costmodel.Evaluate(p)
	if err != nil {
		t.Fatal(err)
	}
	costmodel.CheckFooting(t, "benchmark", st)
	if n := len(p.Drivers()); n < 20*8*20 {
		t.Errorf("benchmark portfolio has only %d drivers", n)
	}
}

var sinkStatement *costmodel.Statement

// BenchmarkEvaluate evaluates the full statement of the benchmark
// portfolio (20 partnerships × 8 categories × 36 months). It reports the
// cost per statement line: a line is one base line of one partnership ×
// category × month (11 per category-month) or of one partnership × month
// (9 partnership-level lines).
func BenchmarkEvaluate(b *testing.B) {
	for _, size := range []struct {
		name               string
		parts, cats, month int
	}{{"2x2x12", 2, 2, 12}, {"20x8x36", 20, 8, 36}} {
		p := sample.Benchmark(size.parts, size.cats, size.month)
		lines := float64(size.parts * size.month * (size.cats*11 + 9))
		b.Run(size.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				st, err := costmodel.Evaluate(p)
				if err != nil {
					b.Fatal(err)
				}
				sinkStatement = st
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/lines, "ns/line")
		})
	}
}

// TestBenchmarkStatementDigests pins the exact statements of the
// benchmark portfolio's shapes (see TestStatementDigests).
func TestBenchmarkStatementDigests(t *testing.T) {
	t.Parallel()
	var names []string
	var ps []*costmodel.Portfolio
	for _, s := range [][3]int{{1, 1, 1}, {2, 2, 12}, {5, 3, 25}, {20, 8, 36}} {
		p := sample.Benchmark(s[0], s[1], s[2])
		names = append(names, p.Name)
		ps = append(ps, p)
	}
	costmodel.CheckDigests(t, "benchmark.statement.digests", names, ps)
}

// BenchmarkModel splits Evaluate of the benchmark portfolio into building
// its model (validation included) and evaluating the graph into a
// statement.
func BenchmarkModel(b *testing.B) {
	p := sample.Benchmark(20, 8, 36)
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := costmodel.NewModel(p); err != nil {
				b.Fatal(err)
			}
		}
	})
	m, err := costmodel.NewModel(p)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("evaluate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st, err := m.Evaluate(nil, nil)
			if err != nil {
				b.Fatal(err)
			}
			sinkStatement = st
		}
		b.ReportMetric(float64(m.Graph().Len()), "nodes")
	})
}
