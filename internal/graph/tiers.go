package graph

import "strconv"

// Unbounded is the upper bound of a schedule's last, open band.
const Unbounded ID = -1

// AllUnits is the fee of an all-units tier schedule on x ≥ 0: the rate of
// the first tier whose bound x does not exceed (an Unbounded bound holds
// everything; past every bound, the last tier's rate), times x. upTo and
// rates are parallel, one entry per tier, bounds ascending. It is built
// from IfLE and Mul:
//
//	rate = IfLE(x, upTo[0], rates[0], IfLE(x, upTo[1], rates[1], … rates[n−1]))
func (b *Builder) AllUnits(x ID, upTo, rates []ID) ID {
	if len(rates) == 0 {
		return b.zero
	}
	rate := rates[len(rates)-1]
	last := len(rates) - 1
	for i, u := range upTo {
		if u == Unbounded {
			rate, last = rates[i], i
			break
		}
	}
	for i := last - 1; i >= 0; i-- {
		rate = b.IfLE(x, upTo[i], rates[i], rate)
	}
	return b.Mul(rate, x)
}

// Marginal is the sum a marginal schedule charges on the part of
// (start, end] inside each band: band i covers (upTo[i−1], upTo[i]] (from
// 0 for the first) and charges rates[i] per unit. With start the zero
// constant it is a marginal tier fee on end; with start a free allowance,
// a banded volume price. Bounds must ascend and be ≥ 0. It is built from
// Min, Max, Sub and Mul:
//
//	Σ rates[i] × max(0, min(end, upTo[i]) − max(upTo[i−1], start))
func (b *Builder) Marginal(start, end ID, upTo, rates []ID) ID {
	terms := make([]ID, 0, len(rates))
	lo := b.zero
	for i, r := range rates {
		from := lo
		if !b.isZero(start) {
			from = b.Max(lo, start)
		}
		to := end
		if upTo[i] != Unbounded {
			to = b.Min(end, upTo[i])
		}
		terms = append(terms, b.Mul(r, b.Max(b.zero, b.Sub(to, from))))
		b.Label(terms[len(terms)-1], "Band "+strconv.Itoa(i+1)+" of the schedule: its rate × the part of the amount inside it")
		if upTo[i] == Unbounded {
			break
		}
		lo = upTo[i]
	}
	return b.Sum(terms, nil)
}
