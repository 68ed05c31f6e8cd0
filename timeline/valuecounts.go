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
	vals   []int64 // a power of two of slots; emptySlot where unused
	counts []int
	shift  uint // 64 - log2(len(vals))
	n      int  // values in the table
}

const emptySlot = -1

// add counts one more v (v >= 0).
func (c *valueCounts) add(v int64) {
	if 2*(c.n+1) > len(c.vals) {
		c.grow()
	}
	i := c.slot(v)
	if c.vals[i] == emptySlot {
		c.vals[i] = v
		c.n++
	}
	c.counts[i]++
}

// slot is where v is, or the empty slot where it goes.
func (c *valueCounts) slot(v int64) int {
	mask := len(c.vals) - 1
	// Fibonacci hashing: the high bits of v times 2⁶⁴/φ spread values
	// that are multiples of a millisecond.
	i := int(uint64(v) * 0x9e3779b97f4a7c15 >> c.shift)
	for c.vals[i] != v && c.vals[i] != emptySlot {
		i = (i + 1) & mask
	}
	return i
}

// grow doubles the slots (16 to begin with) and puts the values back.
func (c *valueCounts) grow() {
	old, oldCounts := c.vals, c.counts
	size := max(2*len(old), 16)
	c.vals, c.counts = make([]int64, size), make([]int, size)
	c.shift = uint(64 - bits.TrailingZeros(uint(size)))
	for i := range c.vals {
		c.vals[i] = emptySlot
	}
	for i, v := range old {
		if v != emptySlot {
			j := c.slot(v)
			c.vals[j], c.counts[j] = v, oldCounts[i]
		}
	}
}

// valueCount is a value and how many times it was added.
type valueCount struct {
	v int64
	n int
}

// sorted is the values with their counts, smallest value first.
func (c *valueCounts) sorted() []valueCount {
	out := make([]valueCount, 0, c.n)
	for i, v := range c.vals {
		if v != emptySlot {
			out = append(out, valueCount{v, c.counts[i]})
		}
	}
	slices.SortFunc(out, func(a, b valueCount) int { return cmp.Compare(a.v, b.v) })
	return out
}
