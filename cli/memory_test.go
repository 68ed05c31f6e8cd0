package cli

import (
	"runtime/debug"
	"testing"
)

// TestTuneMemory: streaming commands run under the soft memory limit and
// the slower collection pace and put the previous settings back; the
// other commands, and a user's GOMEMLIMIT or GOGC, are left alone.
func TestTuneMemory(t *testing.T) {
	settings := func() (int64, int) { return debug.SetMemoryLimit(-1), setGCPercent(-1) }
	limit0, percent0 := settings()
	for _, c := range []struct {
		command, memLimit, gogc string
		limit                   int64
		percent                 int
	}{
		{"latency", "", "", streamingMemory, streamingGCPercent},
		{"events", "", "", streamingMemory, streamingGCPercent},
		{"diagnose", "", "", streamingMemory, streamingGCPercent},
		{"pcap", "", "", streamingMemory, streamingGCPercent},
		{"report", "", "", limit0, percent0},
		{"timeline", "", "", limit0, percent0},
		{"", "", "", limit0, percent0},
		{"latency", "1GiB", "", limit0, streamingGCPercent},
		{"latency", "", "50", streamingMemory, percent0},
	} {
		t.Run(c.command+c.memLimit+c.gogc, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", c.memLimit)
			t.Setenv("GOGC", c.gogc)
			restore := tuneMemory(c.command)
			if limit, percent := settings(); limit != c.limit || percent != c.percent {
				t.Errorf("while %q runs: limit %d, GC percent %d; want %d, %d", c.command, limit, percent, c.limit, c.percent)
			}
			restore()
			if limit, percent := settings(); limit != limit0 || percent != percent0 {
				t.Errorf("after %q: limit %d, GC percent %d; want %d, %d back", c.command, limit, percent, limit0, percent0)
			}
		})
	}
}
