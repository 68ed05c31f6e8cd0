package diagnose

import (
	"slices"
	"testing"
	"time"

	"atscope/dialect"
)

// TestStormDensestMinute: the rule, fed attempts one at a time, finds the
// minute with the most attempts (the earliest of equal ones), a minute
// ends at an attempt without a time, and it holds only the last minute's
// attempts.
func TestStormDensestMinute(t *testing.T) {
	t0 := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		secs      []int // -1: an attempt without a time
		bestLines []int
	}{
		{"one burst", []int{0, 10, 20, 30, 40, 200, 205}, []int{1, 2, 3, 4, 5}},
		{"the later burst is denser", []int{0, 30, 59, 300, 301, 302, 303}, []int{4, 5, 6, 7}},
		{"equal bursts: the first", []int{0, 1, 100, 101}, []int{1, 2}},
		{"an untimed attempt ends a minute", []int{0, 1, -1, 2, 3, 4}, []int{4, 5, 6}},
		{"exactly a minute is within", []int{0, 60, 61}, []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &stormCount{}
			most := 0
			for i, sec := range tc.secs {
				op := &dialect.Op{Kind: dialect.OpOpen, Status: dialect.StatusFailed, Lines: []int{i + 1}, Seqs: []int{i}}
				if sec >= 0 {
					op.Start, op.Timed = t0.Add(time.Duration(sec)*time.Second), true
				}
				s.add(op)
				most = max(most, len(s.recent))
			}
			for _, i := range s.open {
				s.close(i)
			}
			var got []int
			for _, a := range s.best {
				got = append(got, a.line)
			}
			if !slices.Equal(got, tc.bestLines) || s.total != len(tc.secs) || s.failed != len(tc.secs) {
				t.Errorf("best %v, want %v; %d attempts, %d failed", got, tc.bestLines, s.total, s.failed)
			}
			if most > len(tc.bestLines)+1 {
				t.Errorf("held %d attempts at once", most)
			}
		})
	}
}
