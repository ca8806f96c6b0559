//go:build amd64 && !purego

package graph

import "testing"

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
