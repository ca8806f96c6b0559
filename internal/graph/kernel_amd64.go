//go:build amd64 && !purego

package graph

// linSSE2 and accSSE2 are linGo and accGo in SSE2 (every amd64 has it),
// on n ≥ 1 trials: d, the sources p and the coefficients c as pointers.
//
//go:noescape
func linSSE2(d *float64, n int, k float64, p *[5]*float64, c *[5]float64, nt int)

//go:noescape
func accSSE2(d *float64, n int, p *[4]*float64, c *[4]float64, nt int)

func linKernel(d []float64, k float64, s *[5][]float64, c *[5]float64, nt int) {
	if len(d) == 0 {
		return
	}
	var p [5]*float64
	for i := range nt {
		p[i] = &s[i][:len(d)][0]
	}
	linSSE2(&d[0], len(d), k, &p, c, nt)
}

func accKernel(d []float64, s *[4][]float64, c *[4]float64, nt int) {
	if len(d) == 0 {
		return
	}
	var p [4]*float64
	for i := range nt {
		p[i] = &s[i][:len(d)][0]
	}
	accSSE2(&d[0], len(d), &p, c, nt)
}
