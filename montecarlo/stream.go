package montecarlo

import (
	"hash/fnv"
	"math/rand/v2"
)

// Stream returns the random number generator of one input (address) in one
// block of trials, for a run with the given seed:
//
//	h  = FNV-1a-64(address)
//	s₁ = mix(mix(mix(seed) ⊕ h) ⊕ uint64(block))
//	s₂ = mix(s₁ ⊕ 0x9e3779b97f4a7c15)
//	rng = rand.New(rand.NewPCG(s₁, s₂))
//
// where mix is the SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA
// 2014), a bijection on 64 bits with full avalanche. Because the stream of
// each (address, block) pair depends on nothing else, adding, removing or
// reordering another input does not change this input's draws, and blocks
// can be computed in any order, on any worker or machine, and merged.
//
// The returned *rand.Rand is not safe for concurrent use; call Stream once
// per goroutine.
func Stream(seed uint64, address string, block int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(address))
	s1 := splitMix(splitMix(splitMix(seed)^h.Sum64()) ^ uint64(block))
	s2 := splitMix(s1 ^ 0x9e3779b97f4a7c15)
	return rand.New(rand.NewPCG(s1, s2))
}

// splitMix is the output function of SplitMix64: it adds the golden-ratio
// increment and scrambles, so that nearby inputs (block 1, block 2) give
// unrelated outputs.
func splitMix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
