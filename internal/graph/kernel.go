package graph

// The tape's weighted sums (opLin and opAcc) are passes over a block of
// trials, each adding up to five terms c·s to a constant or to the
// destination, in a fixed grouping (linear and accumulate say which).
// They are most of a tape's work. On amd64 they run in assembly
// (kernel_amd64.s) two trials at a time: the same multiplications and
// additions, in the same order, on each trial, so the results are the
// same bits as the Go loops below (TestKernelsMatchGo holds them to it);
// elsewhere, or with the purego build tag, the Go loops run. Each product
// in the Go loops is converted to float64, which rounds it and so keeps
// the compiler from fusing it with the addition (an FMA, as it does on
// arm64 or with GOAMD64=v3): every build gives the same bits. (Only a
// NaN's payload could differ, and no tape value is NaN.)

// linGo sets d to k + Σ c·s over the first nt ≤ 5 of s and c, grouped
// as linear documents.
func linGo(d []float64, k float64, s *[5][]float64, c *[5]float64, nt int) {
	s0, c0 := s[0][:len(d)], c[0]
	switch nt {
	case 1:
		for j := range d {
			d[j] = k + float64(c0*s0[j])
		}
	case 2:
		s1, c1 := s[1][:len(d)], c[1]
		for j := range d {
			d[j] = (k + float64(c0*s0[j])) + float64(c1*s1[j])
		}
	case 3:
		s1, c1 := s[1][:len(d)], c[1]
		s2, c2 := s[2][:len(d)], c[2]
		for j := range d {
			d[j] = (k + float64(c0*s0[j])) + (float64(c1*s1[j]) + float64(c2*s2[j]))
		}
	case 4:
		s1, c1 := s[1][:len(d)], c[1]
		s2, c2 := s[2][:len(d)], c[2]
		s3, c3 := s[3][:len(d)], c[3]
		for j := range d {
			d[j] = ((k + float64(c0*s0[j])) + (float64(c1*s1[j]) + float64(c2*s2[j]))) + float64(c3*s3[j])
		}
	default:
		s1, c1 := s[1][:len(d)], c[1]
		s2, c2 := s[2][:len(d)], c[2]
		s3, c3 := s[3][:len(d)], c[3]
		s4, c4 := s[4][:len(d)], c[4]
		for j := range d {
			d[j] = ((k + float64(c0*s0[j])) + (float64(c1*s1[j]) + float64(c2*s2[j]))) + (float64(c3*s3[j]) + float64(c4*s4[j]))
		}
	}
}

// accGo adds Σ c·s over the first nt ≤ 4 of s and c to d, grouped as
// accumulate documents.
func accGo(d []float64, s *[4][]float64, c *[4]float64, nt int) {
	s1, c1 := s[0][:len(d)], c[0]
	switch nt {
	case 1:
		for j := range d {
			d[j] += float64(c1 * s1[j])
		}
	case 2:
		s2, c2 := s[1][:len(d)], c[1]
		for j := range d {
			d[j] += float64(c1*s1[j]) + float64(c2*s2[j])
		}
	case 3:
		s2, c2 := s[1][:len(d)], c[1]
		s3, c3 := s[2][:len(d)], c[2]
		for j := range d {
			d[j] = (d[j] + (float64(c1*s1[j]) + float64(c2*s2[j]))) + float64(c3*s3[j])
		}
	default:
		s2, c2 := s[1][:len(d)], c[1]
		s3, c3 := s[2][:len(d)], c[2]
		s4, c4 := s[3][:len(d)], c[3]
		for j := range d {
			d[j] = (d[j] + (float64(c1*s1[j]) + float64(c2*s2[j]))) + (float64(c3*s3[j]) + float64(c4*s4[j]))
		}
	}
}

// AddSlices writes Σ srcs into dst (each source at least len(dst) long), in
// the passes of an output's partial sums: ((s₀ + (s₁ + s₂)) + (s₃ + s₄)),
// then four more a pass; the first pass starts from 0, so a sum whose
// parts are all −0 is +0 (the same number). It is for sums of tape
// outputs outside the tape (montecarlo's guardrail sums).
func AddSlices(dst []float64, srcs [][]float64) {
	if len(srcs) == 0 {
		clear(dst)
		return
	}
	ones5 := [5]float64{1, 1, 1, 1, 1}
	ones4 := [4]float64{1, 1, 1, 1}
	var s5 [5][]float64
	nt := copy(s5[:], srcs)
	linKernel(dst, 0, &s5, &ones5, nt)
	var s4 [4][]float64
	for rest := srcs[nt:]; len(rest) > 0; {
		nt := copy(s4[:], rest)
		accKernel(dst, &s4, &ones4, nt)
		rest = rest[nt:]
	}
}
