package diagnose

import (
	"fmt"
	"strings"
	"testing"
)

// TestMissesBounded: a client receiving on a million distinct topics that
// no subscription covers keeps maxMissTopics of them, and the finding says
// "more than" instead of a count it does not know.
func TestMissesBounded(t *testing.T) {
	for _, tc := range []struct {
		topics, want string
		n            int
	}{
		{n: 1, want: `"t/0" (line 1)`},
		{n: 4, want: `"t/0" (line 1), "t/1" (line 2), "t/2" (line 3), and 1 message on 1 other topic`},
		{n: maxMissTopics + 500, want: `"t/2" (line 3), and 1497 messages on other topics`},
	} {
		var m misses
		for i := range tc.n {
			m.add(fmt.Sprintf("t/%d", i), i+1)
		}
		if len(m.order) > maxMissTopics || len(m.lines) > maxMissLines || m.messages != tc.n {
			t.Errorf("%d topics: kept %d topics, %d lines, counted %d", tc.n, len(m.order), len(m.lines), m.messages)
		}
		if got := m.examples(); !strings.Contains(got, tc.want) {
			t.Errorf("%d topics: examples %q lack %q", tc.n, got, tc.want)
		}
	}
}

func TestLineListOf(t *testing.T) {
	for _, tc := range []struct {
		first []int
		total int
		want  string
	}{
		{[]int{3}, 1, "line 3"},
		{[]int{3, 5}, 2, "lines 3 and 5"},
		{[]int{1, 2, 3, 4, 5}, 5, "lines 1, 2, 3, 4 and 5"},
		{[]int{1, 2, 3, 4, 5}, 9, "lines 1, 2, 3, 4, ... (9 in all)"},
		{[]int{1, 2}, 3, "lines 1, 2, ... (3 in all)"},
	} {
		if got := lineListOf(tc.first, tc.total); got != tc.want {
			t.Errorf("lineListOf(%v, %d) = %q, want %q", tc.first, tc.total, got, tc.want)
		}
	}
}
