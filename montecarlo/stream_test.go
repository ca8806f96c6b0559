package montecarlo

import "testing"

func draws(seed uint64, address string, block int) [8]uint64 {
	rng := Stream(seed, address, block)
	var d [8]uint64
	for i := range d {
		d[i] = rng.Uint64()
	}
	return d
}

func TestStream(t *testing.T) {
	t.Parallel()
	base := draws(42, "amazon-us/toys/orders", 3)
	if draws(42, "amazon-us/toys/orders", 3) != base {
		t.Error("same seed, address and block gave different draws")
	}
	for _, c := range []struct {
		name    string
		seed    uint64
		address string
		block   int
	}{
		{"seed", 43, "amazon-us/toys/orders", 3},
		{"address", 42, "amazon-us/toys/order", 3},
		{"empty address", 42, "", 3},
		{"block", 42, "amazon-us/toys/orders", 4},
		{"negative block", 42, "amazon-us/toys/orders", -3},
	} {
		if draws(c.seed, c.address, c.block) == base {
			t.Errorf("changing the %s did not change the draws", c.name)
		}
	}
	// Swapping roles must not collide: (address a, block b) vs (b, a).
	if draws(1, "x", 2) == draws(2, "x", 1) {
		t.Error("seed and block are interchangeable")
	}
}

// TestStreamPinned pins the first draw so that an accidental change of the
// derivation, which would silently change every published result, fails.
func TestStreamPinned(t *testing.T) {
	t.Parallel()
	got := Stream(1, "portfolio/discount_rate", 0).Uint64()
	if got != pinnedStreamDraw {
		t.Errorf("first draw %#x, want %#x", got, pinnedStreamDraw)
	}
}

// pinnedStreamDraw is the first Uint64 of Stream(1, "portfolio/discount_rate", 0).
const pinnedStreamDraw uint64 = 0xf8d1a5978360c38d

// A worker's reseeded stream is Stream's, draw for draw, whatever it was
// seeded with before.
func TestReseededStream(t *testing.T) {
	s := newStream()
	for _, c := range []struct {
		seed  uint64
		addr  string
		block int
	}{{1, "a/b/orders", 0}, {7, "correlation/0", 3}, {0, "", 12}, {1, "a/b/orders", 0}, {99, "ünïcode/£", 1}} {
		want := Stream(c.seed, c.addr, c.block)
		got := s.reseed(c.seed, c.addr, c.block)
		for i := range 50 {
			if g, w := got.Uint64(), want.Uint64(); g != w {
				t.Fatalf("%+v draw %d: reseeded %d, Stream %d", c, i, g, w)
			}
		}
	}
}
