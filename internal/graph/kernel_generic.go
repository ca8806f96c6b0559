//go:build !amd64 || purego

package graph

func linKernel(d []float64, k float64, s *[5][]float64, c *[5]float64, nt int) {
	linGo(d, k, s, c, nt)
}

func accKernel(d []float64, s *[4][]float64, c *[4]float64, nt int) {
	accGo(d, s, c, nt)
}
