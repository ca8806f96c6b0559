package report

import (
	"bytes"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

// A portfolio at costmodel's workbook limits writes: the longest sums (a
// partnership's 500 categories, the portfolio's 500 partnerships) stay
// within Excel's formula length, and the Statement's rows are the ones
// costmodel.StatementRows counts.
func TestWorkbookAtLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("writes two large workbooks")
	}
	if raceEnabled {
		// 90 s under the race detector, which has nothing to find in a
		// sequential write; .ci/run runs this test without -race.
		t.Skip("writes two large workbooks: run without -race")
	}
	t.Parallel()
	for _, p := range []*costmodel.Portfolio{
		sample.Benchmark(1, costmodel.MaxCategories, 4),
		sample.Benchmark(costmodel.MaxPartnerships, 1, 4),
	} {
		st, err := costmodel.Evaluate(p)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, Options{Portfolio: p, Statement: st}); err != nil {
			t.Errorf("%s: %v", p.Name, err)
			continue
		}
		b := &book{p: p}
		b.layoutStatement()
		if got, want := b.stmt.last-1, costmodel.StatementRows(p); got != want {
			t.Errorf("%s: Statement has %d rows below its heading, costmodel.StatementRows says %d", p.Name, got, want)
		}
	}
}
