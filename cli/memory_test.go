package cli

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestTuneMemory: streaming commands run under the slower collection pace
// and a soft limit that follows the live heap, and put the previous
// settings back; the other commands, and a user's GOMEMLIMIT or GOGC, are
// left alone.
func TestTuneMemory(t *testing.T) {
	settings := func() (int64, int) { return debug.SetMemoryLimit(-1), setGCPercent(-1) }
	limit0, percent0 := settings()
	const adaptive = -2 // memoryFloor or more, not limit0
	for _, c := range []struct {
		command, memLimit, gogc string
		limit                   int64
		percent                 int
	}{
		{"latency", "", "", adaptive, streamingGCPercent},
		{"events", "", "", adaptive, streamingGCPercent},
		{"diagnose", "", "", adaptive, leanGCPercent},
		{"pcap", "", "", adaptive, leanGCPercent},
		{"report", "", "", adaptive, leanGCPercent},
		{"timeline", "", "", adaptive, streamingGCPercent},
		{"redact", "", "", adaptive, leanGCPercent},
		{"", "", "", limit0, percent0},
		{"latency", "1GiB", "", limit0, streamingGCPercent},
		{"latency", "", "50", adaptive, percent0},
	} {
		t.Run(c.command+c.memLimit+c.gogc, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", c.memLimit)
			t.Setenv("GOGC", c.gogc)
			restore := tuneMemory(c.command)
			limit, percent := settings()
			okLimit := limit == c.limit || c.limit == adaptive && limit >= memoryFloor && limit != limit0
			if !okLimit || percent != c.percent {
				t.Errorf("while %q runs: limit %d, GC percent %d; want %d, %d", c.command, limit, percent, c.limit, c.percent)
			}
			restore()
			runtime.GC() // a finalizer still queued must not set the limit again
			runtime.GC()
			if limit, percent := settings(); limit != limit0 || percent != percent0 {
				t.Errorf("after %q: limit %d, GC percent %d; want %d, %d back", c.command, limit, percent, limit0, percent0)
			}
		})
	}
}

// TestLimitFollowsLiveHeap: with a live heap above the floor, the limit
// after a collection leaves it room (memoryHeadroom), rather than a fixed
// limit under what is live that makes the collector run without pause.
func TestLimitFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	restore := tuneMemory("latency")
	defer restore()
	live := make([][]byte, 0, 64)
	for range 64 {
		live = append(live, make([]byte, 1<<20)) // 64 MiB live, over the floor
	}
	runtime.GC()
	runtime.GC() // the finalizer of the first cycle runs after it
	limit := debug.SetMemoryLimit(-1)
	if limit < memoryHeadroom*64<<20 {
		t.Errorf("limit %d MiB with 64 MiB live: want at least %d MiB", limit>>20, memoryHeadroom*64)
	}
	runtime.KeepAlive(live)
}
