package cli

import (
	"os"
	"runtime/debug"
)

// streamingMemory is the memory the streaming commands ask the Go runtime
// to stay under. They hold only what is in flight, a few tens of MB
// whatever the size of the log, but the collector's default lets the heap
// grow to twice what is live before it collects; the limit makes it
// collect sooner instead, so a 1 GB log stays under 64 MB of RSS.
const streamingMemory = 40 << 20

// streamingCommands are the commands that stream their logs; the others
// (report, timeline) keep every op and are not bounded.
var streamingCommands = map[string]bool{"events": true, "latency": true, "diagnose": true, "pcap": true}

// boundMemory sets the runtime's soft memory limit while a streaming
// command runs, unless the user set GOMEMLIMIT, and returns what restores
// the previous limit (tests run many commands in one process).
func boundMemory(command string) (restore func()) {
	if !streamingCommands[command] || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	previous := debug.SetMemoryLimit(streamingMemory)
	return func() { debug.SetMemoryLimit(previous) }
}
