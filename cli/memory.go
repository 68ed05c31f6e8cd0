package cli

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The streaming commands hold only what is in flight: the current
// connection of each client, the requests still waiting for an answer
// (within a window of log time), the rows. They collect less often than
// by default (streamingGCPercent: the live heap is small, and a
// collection costs about the same however little is garbage), under a
// soft memory limit that follows the live heap rather than a fixed one: a
// fixed limit below what is live makes the collector run without pause
// (issue 17: 77 % of latency's CPU on a log with many open requests).
// The limit is set after each collection to memoryHeadroom times the
// live heap, never under memoryFloor: at most as many collections as
// GOGC=100 would make, and none while the heap is under memoryFloor.
const (
	streamingGCPercent = 400
	leanGCPercent      = 200
	memoryFloor        = 40 << 20
	memoryHeadroom     = 2
)

// streamingCommands are the commands that stream their logs, with their
// collection pace (timeline but --mermaid, whose live heap the limit
// follows all the same). The commands with the largest live heaps (diagnose
// and report, up to about 20 MB: the ops the diagnose engine keeps) and
// those that make the most garbage per byte (redact, pcap) collect at
// leanGCPercent, so that their heap stays near 3 rather than 5 times
// what is live; with the binary's own 15 MB, a heap of 5 times 20 MB
// would pass 64 MB of RSS (issue 17: report reached 70 MB on a 1 GB log
// at GOGC 100, diagnose 88 MB once at 400). A floor of 40 MiB keeps the
// others (live heaps of 6-10 MB) from collecting more often than needed.
var streamingCommands = map[string]int{
	"events": streamingGCPercent, "latency": streamingGCPercent, "timeline": streamingGCPercent,
	"diagnose": leanGCPercent, "report": leanGCPercent, "pcap": leanGCPercent, "redact": leanGCPercent,
}

// tuneMemory sets the collection pace and the adaptive soft memory limit
// while a streaming command runs, each unless the user set it (GOGC,
// GOMEMLIMIT), and returns what restores them (tests run many commands in
// one process).
func tuneMemory(command string) (restore func()) {
	pace, ok := streamingCommands[command]
	if !ok {
		return func() {}
	}
	percent := -1 // negative: read, not set
	if os.Getenv("GOGC") == "" {
		percent = pace
	}
	previousPercent := setGCPercent(percent)
	previousLimit := debug.SetMemoryLimit(-1)
	var stop func()
	if os.Getenv("GOMEMLIMIT") == "" {
		stop = followLiveHeap()
	}
	return func() {
		if stop != nil {
			stop()
		}
		debug.SetMemoryLimit(previousLimit)
		setGCPercent(previousPercent)
	}
}

// followLiveHeap sets the soft memory limit now and after every garbage
// collection (a finalizer runs once per cycle) from the live heap, until
// stop is called.
func followLiveHeap() (stop func()) {
	var mu sync.Mutex // stop waits for a limit being set
	stopped := false
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var adapt func(*gcCycle)
	adapt = func(c *gcCycle) {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		debug.SetMemoryLimit(adaptiveLimit(sample))
		runtime.SetFinalizer(c, adapt) // again at the next cycle
	}
	debug.SetMemoryLimit(adaptiveLimit(sample))
	runtime.SetFinalizer(&gcCycle{}, adapt)
	return func() {
		mu.Lock()
		stopped = true
		mu.Unlock()
	}
}

// gcCycle is garbage whose finalizer marks the end of a collection.
type gcCycle struct{ _ [16]byte } // not zero-sized: those are never collected

// adaptiveLimit is the soft limit for the live heap the sample reads.
func adaptiveLimit(sample []metrics.Sample) int64 {
	metrics.Read(sample)
	live := int64(0)
	if sample[0].Value.Kind() == metrics.KindUint64 {
		live = int64(sample[0].Value.Uint64())
	}
	return max(memoryFloor, memoryHeadroom*live)
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
