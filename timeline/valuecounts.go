package timeline

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// valueCounts counts up to maxDistinct values from 0 to math.MaxInt32,
// each up to math.MaxInt32 times: a table with open addressing, which adds
// a value already seen in a probe or two, cheaper than a map for the
// millions of samples of a long log, and small (8 bytes a slot) so that
// the tables of many rows stay in the cache. Measured (issue 13.6): a
// map[int32]int32 without Samples' batches costs about 11 % more CPU on
// BenchmarkLatencyShapes with the loggen shape (5 % with the independent
// one, where fewer ops are timed).
type valueCounts struct {
	slots []valueCount // a power of two; v is emptySlot where unused
	shift uint         // 64 - log2(len(slots))
	n     int          // values in the table
}

// valueCount is a value and how many times it was added: side by side, a
// value and its count are one cache miss.
type valueCount struct {
	v, n int32
}

const emptySlot = -1

// add counts one more v (v >= 0), and reports whether it could: not a
// value out of range, a new value past maxDistinct, or a count that would
// overflow.
func (c *valueCounts) add(v int64) bool {
	if v > math.MaxInt32 {
		return false
	}
	if 2*(c.n+1) > len(c.slots) {
		c.grow()
	}
	s := &c.slots[c.slot(int32(v))]
	switch {
	case s.n == math.MaxInt32:
		return false
	case s.v == emptySlot && c.n == maxDistinct:
		return false
	case s.v == emptySlot:
		s.v = int32(v)
		c.n++
	}
	s.n++
	return true
}

// slot is where v is, or the empty slot where it goes.
func (c *valueCounts) slot(v int32) int {
	mask := len(c.slots) - 1
	// Fibonacci hashing: the high bits of v times 2⁶⁴/φ spread values
	// that are multiples of a millisecond.
	i := int(uint64(v) * 0x9e3779b97f4a7c15 >> c.shift)
	for c.slots[i].v != v && c.slots[i].v != emptySlot {
		i = (i + 1) & mask
	}
	return i
}

// grow doubles the slots (16 to begin with) and puts the values back.
func (c *valueCounts) grow() {
	old := c.slots
	size := max(2*len(old), 16)
	c.slots = make([]valueCount, size)
	c.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for i := range c.slots {
		c.slots[i].v = emptySlot
	}
	for _, s := range old {
		if s.v != emptySlot {
			c.slots[c.slot(s.v)] = s
		}
	}
}

// sorted is the values with their counts, smallest value first.
func (c *valueCounts) sorted() []valueCount {
	out := make([]valueCount, 0, c.n)
	for _, s := range c.slots {
		if s.v != emptySlot {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b valueCount) int { return cmp.Compare(a.v, b.v) })
	return out
}
