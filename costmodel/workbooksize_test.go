package costmodel_test

import (
	"strings"
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

// A portfolio the workbook cannot hold is refused at validation, with what
// to change, so a portfolio that validates always writes.
func TestWorkbookSizeRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    *costmodel.Portfolio
		want []string
	}{
		{"too many partnerships", sample.Benchmark(costmodel.MaxPartnerships+1, 1, 4), []string{"partnerships: got 501 partnerships", "at most 500"}},
		{"too many categories", sample.Benchmark(1, costmodel.MaxCategories+1, 4), []string{"partnerships[0].categories: got 501 categories", "at most 500"}},
		// 100 × (200 + 2) × 60 + 100 + 61 = 1,212,161 rows.
		{"too many rows", sample.Benchmark(100, 200, 60), []string{"months: got 60", "need 1212161 rows", "Excel holds 1048575"}},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if err == nil {
			t.Errorf("%s: validates", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tt.name, err, w)
			}
		}
	}
	// At the limits it validates.
	for _, p := range []*costmodel.Portfolio{sample.Benchmark(costmodel.MaxPartnerships, 1, 4), sample.Benchmark(1, costmodel.MaxCategories, 4)} {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
	if got := costmodel.StatementRows(sample.Benchmark(2, 3, 12)); got != 2*(5*12+1)+13 {
		t.Errorf("StatementRows = %d, want %d", got, 2*(5*12+1)+13)
	}
}
