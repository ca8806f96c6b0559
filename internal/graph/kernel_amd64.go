//go:build amd64 && !purego

package graph

// linSSE2 and accSSE2 are linGo and accGo in SSE2 (every amd64 has it),
// on n ≥ 1 trials: d, the sources p and the coefficients c as pointers.
//
//go:noescape
func linSSE2(d *float64, n int, k float64, p *[5]*float64, c *[5]float64, nt int)

//go:noescape
func accSSE2(d *float64, n int, p *[4]*float64, c *[4]float64, nt int)

// linAVX and accAVX are the same in AVX, on a multiple of 4 trials (0:
// nothing).
//
//go:noescape
func linAVX(d *float64, n int, k float64, p *[5]*float64, c *[5]float64, nt int)

//go:noescape
func accAVX(d *float64, n int, p *[4]*float64, c *[4]float64, nt int)

func cpuid(leaf, sub uint32) (eax, ebx, ecx, edx uint32)
func xgetbv0() (eax, edx uint32)

// useAVX is whether the processor has AVX and the operating system keeps
// its registers (CPUID leaf 1: OSXSAVE and AVX; XCR0: the SSE and AVX
// states), as Go's runtime checks it. Tests turn it off to run the SSE2
// passes.
var useAVX = func() bool {
	_, _, ecx, _ := cpuid(1, 0)
	if ecx&(1<<27) == 0 || ecx&(1<<28) == 0 {
		return false
	}
	xcr0, _ := xgetbv0()
	return xcr0&6 == 6
}()

// useAsm is false only in tests that run a tape on the Go loops to
// compare (TestTapeAssemblyAsGo).
var useAsm = true

func linKernel(d []float64, k float64, s *[5][]float64, c *[5]float64, nt int) {
	n := len(d)
	if n == 0 {
		return
	}
	if !useAsm {
		linGo(d, k, s, c, nt)
		return
	}
	var p [5]*float64
	m := 0 // trials done in AVX
	if useAVX && n >= 4 {
		m = n &^ 3
		for i := range nt {
			p[i] = &s[i][:n][0]
		}
		linAVX(&d[0], m, k, &p, c, nt)
		if m == n {
			return
		}
	}
	for i := range nt {
		p[i] = &s[i][:n][m]
	}
	linSSE2(&d[m], n-m, k, &p, c, nt)
}

func accKernel(d []float64, s *[4][]float64, c *[4]float64, nt int) {
	n := len(d)
	if n == 0 {
		return
	}
	if !useAsm {
		accGo(d, s, c, nt)
		return
	}
	var p [4]*float64
	m := 0
	if useAVX && n >= 4 {
		m = n &^ 3
		for i := range nt {
			p[i] = &s[i][:n][0]
		}
		accAVX(&d[0], m, &p, c, nt)
		if m == n {
			return
		}
	}
	for i := range nt {
		p[i] = &s[i][:n][m]
	}
	accSSE2(&d[m], n-m, &p, c, nt)
}
