package costmodel_test

import (
	"testing"

	"github.com/marginalhq/marginal/costmodel"
	"github.com/marginalhq/marginal/internal/sample"
)

// TestDriverBoundsBenchmark moves every driver of a small benchmark
// portfolio, which has every fee shape the model supports, to each end of
// its Bounds (see TestDriverBoundsEvaluate).
func TestDriverBoundsBenchmark(t *testing.T) {
	t.Parallel()
	costmodel.CheckDriverBounds(t, sample.Benchmark(3, 4, 13))
}
