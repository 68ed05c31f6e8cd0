package cli

import (
	"runtime/debug"
	"testing"
)

// TestBoundMemory: streaming commands run under the soft memory limit and
// put the previous one back; the others, and a user's GOMEMLIMIT, are left
// alone.
func TestBoundMemory(t *testing.T) {
	current := func() int64 { return debug.SetMemoryLimit(-1) } // -1 reads it
	before := current()
	for _, c := range []struct {
		command, env string
		want         int64
	}{
		{"latency", "", streamingMemory},
		{"events", "", streamingMemory},
		{"diagnose", "", streamingMemory},
		{"pcap", "", streamingMemory},
		{"report", "", before},
		{"timeline", "", before},
		{"", "", before},
		{"latency", "1GiB", before},
	} {
		t.Run(c.command+c.env, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", c.env)
			restore := boundMemory(c.command)
			if got := current(); got != c.want {
				t.Errorf("limit while %q runs = %d, want %d", c.command, got, c.want)
			}
			restore()
			if got := current(); got != before {
				t.Errorf("limit after %q = %d, want %d back", c.command, got, before)
			}
		})
	}
}
