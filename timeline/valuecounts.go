package timeline

import (
	"cmp"
	"math/bits"
	"slices"
)

// valueCounts counts values that are never negative: a table with open
// addressing, which adds a value already seen in a probe or two, cheaper
// than a map for the millions of samples of a long log.
type valueCounts struct {
	slots []valueCount // a power of two; v is emptySlot where unused
	shift uint         // 64 - log2(len(slots))
	n     int          // values in the table
}

// valueCount is a value and how many times it was added: side by side, a
// value and its count are one cache miss.
type valueCount struct {
	v int64
	n int
}

const emptySlot = -1

// add counts one more v (v >= 0).
func (c *valueCounts) add(v int64) {
	if 2*(c.n+1) > len(c.slots) {
		c.grow()
	}
	s := &c.slots[c.slot(v)]
	if s.v == emptySlot {
		s.v = v
		c.n++
	}
	s.n++
}

// slot is where v is, or the empty slot where it goes.
func (c *valueCounts) slot(v int64) int {
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
