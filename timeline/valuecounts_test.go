package timeline

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestValueCounts: the table counts as a map does, through growing, with
// values that share their low bits and a zero.
func TestValueCounts(t *testing.T) {
	var c valueCounts
	want := map[int64]int32{}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		v := r.Int64N(2000) * 1000
		if r.IntN(20) == 0 {
			v = r.Int64N(math.MaxInt32 + 1)
		}
		if !c.add(v) {
			t.Fatalf("%d not counted", v)
		}
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
		if want[int64(vc.v)] != vc.n {
			t.Errorf("%d: counted %d, want %d", vc.v, vc.n, want[int64(vc.v)])
		}
	}
}

// TestValueCountsFull: what the table cannot hold it leaves alone.
func TestValueCountsFull(t *testing.T) {
	var c valueCounts
	if c.add(math.MaxInt32 + 1) {
		t.Error("a value beyond int32 counted")
	}
	for v := range int64(maxDistinct) {
		if !c.add(v) {
			t.Fatalf("%d not counted", v)
		}
	}
	if c.add(maxDistinct) || !c.add(0) {
		t.Error("a new value counted past maxDistinct, or a known one not")
	}
	c.slots[c.slot(7)].n = math.MaxInt32 - 1
	if !c.add(7) || c.add(7) {
		t.Error("count overflow not refused")
	}
	if c.n != maxDistinct {
		t.Errorf("%d values, want %d", c.n, maxDistinct)
	}
}
