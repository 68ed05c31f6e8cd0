package timeline

import (
	"math/rand/v2"
	"testing"
)

// TestValueCounts: the table counts as a map does, through growing, with
// values that share their low bits and a zero.
func TestValueCounts(t *testing.T) {
	var c valueCounts
	want := map[int64]int{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		v := r.Int64N(3000) * 1000
		if r.IntN(10) == 0 {
			v = r.Int64N(1 << 40)
		}
		c.add(v)
		want[v]++
	}
	got := c.sorted()
	if len(got) != len(want) || c.n != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	for i, vc := range got {
		if i > 0 && got[i-1].v >= vc.v {
			t.Fatalf("not sorted at %d: %d then %d", i, got[i-1].v, vc.v)
		}
		if want[vc.v] != vc.n {
			t.Errorf("%d: counted %d, want %d", vc.v, vc.n, want[vc.v])
		}
	}
}
