package cli

import (
	"os"
	"runtime/debug"
)

// The streaming commands hold only what is in flight, a few tens of MB
// whatever the size of the log. They ask the Go runtime to collect when
// the heap reaches streamingMemory rather than, by default, twice what is
// live: fewer collections while the heap is small (streamingGCPercent),
// and a bound that keeps a 1 GB log under 64 MB of RSS.
const (
	streamingMemory    = 40 << 20
	streamingGCPercent = 400
)

// streamingCommands are the commands that stream their logs; the others
// (report, timeline) keep every op and are not bounded.
var streamingCommands = map[string]bool{"events": true, "latency": true, "diagnose": true, "pcap": true}

// tuneMemory sets the runtime's soft memory limit and collection pace
// while a streaming command runs, each unless the user set it (GOMEMLIMIT,
// GOGC), and returns what restores them (tests run many commands in one
// process).
func tuneMemory(command string) (restore func()) {
	if !streamingCommands[command] {
		return func() {}
	}
	limit, percent := int64(-1), -1 // negative: read, not set
	if os.Getenv("GOMEMLIMIT") == "" {
		limit = streamingMemory
	}
	if os.Getenv("GOGC") == "" {
		percent = streamingGCPercent
	}
	previousLimit, previousPercent := debug.SetMemoryLimit(limit), setGCPercent(percent)
	return func() {
		debug.SetMemoryLimit(previousLimit)
		setGCPercent(previousPercent)
	}
}

// setGCPercent is debug.SetGCPercent, except that a negative percent
// reads the setting instead of turning the collector off.
func setGCPercent(percent int) int {
	if percent < 0 {
		previous := debug.SetGCPercent(100)
		debug.SetGCPercent(previous)
		return previous
	}
	return debug.SetGCPercent(percent)
}
