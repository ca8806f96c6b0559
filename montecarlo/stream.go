package montecarlo

import "math/rand/v2"

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
	return rand.New(rand.NewPCG(streamSeeds(seed, address, block)))
}

// streamSeeds are the PCG seeds (s₁, s₂) of Stream(seed, address, block),
// for a worker that reseeds one generator per stream instead of
// allocating one (see stream).
func streamSeeds(seed uint64, address string, block int) (s1, s2 uint64) {
	h := uint64(fnvOffset)
	for i := 0; i < len(address); i++ { // FNV-1a over the address's bytes
		h ^= uint64(address[i])
		h *= fnvPrime
	}
	s1 = splitMix(splitMix(splitMix(seed)^h) ^ uint64(block))
	return s1, splitMix(s1 ^ 0x9e3779b97f4a7c15)
}

// The 64-bit FNV-1a parameters (hash/fnv's).
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// stream is a reusable Stream: reseed gives the generator of Stream(seed,
// address, block) without allocating.
type stream struct {
	pcg *rand.PCG
	rng *rand.Rand
}

func newStream() *stream {
	pcg := rand.NewPCG(0, 0)
	return &stream{pcg: pcg, rng: rand.New(pcg)}
}

func (s *stream) reseed(seed uint64, address string, block int) *rand.Rand {
	s.pcg.Seed(streamSeeds(seed, address, block))
	return s.rng
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
