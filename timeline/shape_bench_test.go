package timeline

import (
	"sync"
	"syscall"
	"testing"
	"time"

	"atscope/dialect"
	"atscope/internal/loggen"
)

// benchShape is a log of one shape, decoded once: its size, its ops in log
// order, its last logged time.
type benchShape struct {
	name string
	size int
	ops  []*dialect.Op
	last time.Time
}

// benchShapes are the two shapes every timeline benchmark runs on: the
// project's generator (loggen: six clients that rarely reconnect, every
// command answered) and genIndependent (issue 17: reconnects every few
// dozen operations, 35 % unanswered commands with random ids, many
// distinct topics). 8 MB each.
func benchShapes(tb testing.TB) []benchShape {
	shapes.once.Do(func() { shapes.all = decodeShapes(tb) })
	return shapes.all
}

var shapes struct {
	once sync.Once
	all  []benchShape
}

func decodeShapes(tb testing.TB) []benchShape {
	var out []benchShape
	for _, s := range []struct {
		name string
		data []byte
	}{
		{"loggen", loggen.Bytes(loggen.Options{Size: 8 << 20})},
		{"independent", genIndependent(8 << 20)},
	} {
		sessions, last := decodeLogAs(tb, s.name+".log", s.data, "auto")
		out = append(out, benchShape{s.name, len(s.data), InLogOrder(sessions), last})
	}
	return out
}

// BenchmarkLatencyShapes measures what `atscope latency` does with the ops
// in log order on both shapes: connections cut as they come, the latency
// table, round trips and the slowest ops.
func BenchmarkLatencyShapes(b *testing.B) {
	for _, s := range benchShapes(b) {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(s.size))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				table := NewLatencyTable(LatencyOptions{})
				trips := NewRoundTripFinder(nil)
				slow := NewSlowestOps(5)
				conns := NewConnectionStream(func(file string, client int, c Connection, final bool) {
					table.AddConnection(file, client, c, final)
				})
				for _, op := range s.ops {
					conns.Add(op)
					table.AddOp(op)
					trips.Add(op)
					slow.Add(op)
				}
				conns.End()
				table.EndConnections(s.last)
				if len(table.Rows()) == 0 || len(trips.Result().Rows) == 0 {
					b.Fatal("nothing measured")
				}
			}
		})
	}
}

// reportCPU reports the CPU time (user and system, every thread: the
// collector's too) per op from now until the returned func runs: on a
// shared machine it varies much less than the wall time.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() { b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op") }
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAssembleShapes measures sessions with every op kept (timeline,
// report) on both shapes.
func BenchmarkAssembleShapes(b *testing.B) {
	for _, s := range benchShapes(b) {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(s.size))
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				a := NewAssembler()
				for _, op := range s.ops {
					a.Add(op)
				}
				if len(a.Sessions()) == 0 {
					b.Fatal("no sessions")
				}
			}
		})
	}
}
