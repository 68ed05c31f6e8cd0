package timeline

import (
	"cmp"
	"math"
	"slices"
)

// valueCounts counts up to maxDistinct values from 0 to math.MaxInt32,
// each up to math.MaxInt32 times. A plain map: a hand-made open-addressing
// table measured no faster on BenchmarkLatencyShapes (issue 13.6).
type valueCounts struct {
	m map[int32]int32
	n int // values in the table
}

// valueCount is a value and how many times it was added.
type valueCount struct {
	v, n int32
}

// add counts one more v (v >= 0), and reports whether it could: not a
// value out of range, a new value past maxDistinct, or a count that would
// overflow.
func (c *valueCounts) add(v int64) bool {
	if v > math.MaxInt32 {
		return false
	}
	if c.m == nil {
		c.m = map[int32]int32{}
	}
	n, seen := c.m[int32(v)]
	if !seen && c.n == maxDistinct || n == math.MaxInt32 {
		return false
	}
	c.m[int32(v)] = n + 1
	if !seen {
		c.n++
	}
	return true
}

// sorted is the values with their counts, smallest value first.
func (c *valueCounts) sorted() []valueCount {
	out := make([]valueCount, 0, c.n)
	for v, n := range c.m {
		out = append(out, valueCount{v, n})
	}
	slices.SortFunc(out, func(a, b valueCount) int { return cmp.Compare(a.v, b.v) })
	return out
}
