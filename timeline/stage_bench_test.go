package timeline

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"testing"

	"atscope/dialect"
	"atscope/internal/loggen"
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

// BenchmarkLatencyStages measures what `atscope latency` does with the ops
// once the dialect emits them: putting them in log order, the sessions in
// slim form, the latency table, round trips and the slowest ops. The ops
// come as a dialect emits them, as they complete, with the orderer
// released as far as the ops still pending allow.
func BenchmarkLatencyStages(b *testing.B) {
	size, ops := stageOps(b)
	emitted, oldest := inEmitOrder(ops)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		asm := NewSlimAssembler()
		table := NewLatencyTable(LatencyOptions{})
		trips := NewRoundTripFinder(nil)
		slow := NewSlowestOps(5)
		ord := NewOrderer(func(op *dialect.Op) {
			asm.Add(op)
			table.AddOp(op)
			trips.Add(op)
			slow.Add(op)
		})
		for i, op := range emitted {
			ord.Add(op)
			ord.Release(oldest[i])
		}
		ord.Flush()
		asm.Sessions()
		if len(table.Rows()) == 0 || len(trips.Result().Rows) == 0 || len(slow.Ops()) == 0 {
			b.Fatal("nothing measured")
		}
	}
}

// inEmitOrder is ops in the order a dialect emits them, by their last
// event, and for each the first event of the ops still to come: what the
// orderer may release up to once it is added.
func inEmitOrder(ops []*dialect.Op) (emitted []*dialect.Op, oldest []int) {
	lastSeq := func(op *dialect.Op) int {
		if len(op.Seqs) == 0 {
			return firstSeq(op)
		}
		return op.Seqs[len(op.Seqs)-1]
	}
	emitted = slices.Clone(ops)
	slices.SortStableFunc(emitted, func(a, b *dialect.Op) int { return cmp.Compare(lastSeq(a), lastSeq(b)) })
	oldest = make([]int, len(emitted))
	low := math.MaxInt
	for i := len(emitted) - 1; i >= 0; i-- {
		oldest[i] = low
		low = min(low, firstSeq(emitted[i]))
	}
	return emitted, oldest
}
