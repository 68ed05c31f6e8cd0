package timeline

import (
	"sync"
	"testing"

	"atscope/dialect"
	"atscope/loggen"
)

// stageLog is the six-client Quectel QCOM log the stage benchmarks share,
// decoded once: its size and its ops.
var stageLog struct {
	once sync.Once
	size int
	ops  []*dialect.Op
}

func stageOps(b *testing.B) (int, []*dialect.Op) {
	stageLog.once.Do(func() {
		data := loggen.Bytes(loggen.Options{Size: 8 << 20})
		sessions, _ := decodeLogAs(b, "bench.log", data, "auto")
		for _, s := range sessions {
			stageLog.ops = append(stageLog.ops, s.Ops...)
		}
		stageLog.size = len(data)
	})
	return stageLog.size, stageLog.ops
}

// BenchmarkAssemble measures sessions and connections, with every op kept
// (timeline, report) and in slim form (latency).
func BenchmarkAssemble(b *testing.B) {
	size, ops := stageOps(b)
	for _, tc := range []struct {
		name string
		new  func() *Assembler
	}{{"full", NewAssembler}, {"slim", NewSlimAssembler}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				a := tc.new()
				for _, op := range ops {
					a.Add(op)
				}
				a.Sessions()
			}
		})
	}
}

// BenchmarkLatencyStages measures what `atscope latency` does with the ops:
// putting them in log order, the latency table, round trips and the
// slowest ops.
func BenchmarkLatencyStages(b *testing.B) {
	size, ops := stageOps(b)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		table := NewLatencyTable(LatencyOptions{})
		trips := NewRoundTripFinder(nil)
		slow := NewSlowestOps(5)
		ord := NewOrderer(func(op *dialect.Op) {
			table.AddOp(op)
			trips.Add(op)
			slow.Add(op)
		})
		for _, op := range ops {
			ord.Add(op)
		}
		ord.Flush()
		if len(table.Rows()) == 0 || len(trips.Result().Rows) == 0 || len(slow.Ops()) == 0 {
			b.Fatal("nothing measured")
		}
	}
}
