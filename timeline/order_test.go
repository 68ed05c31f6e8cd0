package timeline

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/internal/loggen"
)

// TestStreamedLatency computes the latencies of generated logs as
// `atscope latency` does, op by op as the dialect emits them (an Orderer
// puts them in log order, a slim assembler keeps the connections), and as
// the report does, from the sessions of the whole log: the rows, round
// trips and slowest ops are the same.
func TestStreamedLatency(t *testing.T) {
	for _, d := range loggen.Dialects {
		t.Run(d, func(t *testing.T) {
			data := loggen.Bytes(loggen.Options{Dialect: d, Size: 1 << 20})
			sessions, last := decodeLogAs(t, "gen.log", data, "auto")
			want := latencyText(Latencies(sessions, last, LatencyOptions{ByTopic: true}), FindRoundTrips(sessions, nil), Slowest(sessions, 5))

			slim := NewSlimAssembler()
			table := NewLatencyTable(LatencyOptions{ByTopic: true})
			trips := NewRoundTripFinder(nil)
			slow := NewSlowestOps(5)
			n, inOrder := 0, true
			ord := NewOrderer(func(op *dialect.Op) {
				inOrder = inOrder && firstSeq(op) >= n
				n = firstSeq(op)
				table.AddOp(op)
				trips.Add(op)
				slow.Add(op)
			})
			emit := func(op *dialect.Op) {
				slim.Add(op)
				ord.Add(op)
			}
			cr, _, _ := decode.Open(bytes.NewReader(data), "gen.log", "auto", decode.Options{})
			hooks, _ := dialect.HooksFor("auto")
			tok := decode.NewTokenizer(cr, hooks)
			dec, _ := dialect.NewDecoder("gen.log", "auto")
			for tok.Next() {
				ev := tok.Event()
				dec.Feed(&ev, emit)
				ord.Release(min(dec.Oldest(), ev.Seq-64))
			}
			dec.Close(emit)
			ord.Flush()
			for _, s := range slim.Sessions() {
				if s.Client != dialect.ModuleClient {
					table.AddConnections(s, last)
				}
			}
			if !inOrder {
				t.Error("the orderer let an op out of log order")
			}
			if got := latencyText(table.Rows(), trips.Result(), slow.Ops()); got != want {
				t.Errorf("streamed:\n%s\nwhole log:\n%s", got, want)
			}
		})
	}
}

func latencyText(rows []*LatencyRow, trips *RoundTrips, slow []*dialect.Op) string {
	var b bytes.Buffer
	for _, r := range rows {
		fmt.Fprintln(&b, rowText(r))
	}
	for _, r := range trips.Rows {
		fmt.Fprintln(&b, tripRowText(r))
	}
	fmt.Fprintln(&b, trips.Unpaired)
	for _, op := range slow {
		d, _ := op.Latency()
		fmt.Fprintln(&b, op.Lines, d)
	}
	return b.String()
}

// TestOrderer: ops come out by first event, then client, then as they
// came; ops without events last; the cap lets the oldest go.
func TestOrderer(t *testing.T) {
	op := func(client int, seqs ...int) *dialect.Op { return &dialect.Op{Client: client, Seqs: seqs} }
	a, b, c, d, e := op(1, 5, 9), op(0, 2), op(-1, 5), op(0), op(1, 7)
	var got []*dialect.Op
	o := NewOrderer(func(op *dialect.Op) { got = append(got, op) })
	for _, x := range []*dialect.Op{a, b, c, d, e} {
		o.Add(x)
	}
	o.Release(6)
	if want := []*dialect.Op{b, c, a}; !reflect.DeepEqual(got, want) {
		t.Fatalf("released %v, want %v", got, want)
	}
	o.Flush()
	if want := []*dialect.Op{b, c, a, e, d}; !reflect.DeepEqual(got, want) {
		t.Errorf("flushed %v, want %v", got, want)
	}
}

// TestOrdererMixed checks the orderer against a sort of what it holds, on
// ops that come mostly in order, with ties and latecomers, released as
// they would be while a log streams.
func TestOrdererMixed(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var got, want, held []*dialect.Op
		o := NewOrderer(func(op *dialect.Op) { got = append(got, op) })
		release := func(seq int) {
			o.Release(seq)
			// held is in the order ops came: a stable sort by first event
			// and client is the order wanted.
			slices.SortStableFunc(held, func(a, b *dialect.Op) int {
				return cmp.Or(cmp.Compare(firstSeq(a), firstSeq(b)), cmp.Compare(a.Client, b.Client))
			})
			n := 0
			for n < len(held) && firstSeq(held[n]) < seq {
				n++
			}
			want = append(want, held[:n]...)
			held = slices.Delete(held, 0, n)
		}
		seq := 0
		for range 300 {
			seq += rng.IntN(3)
			op := &dialect.Op{Client: rng.IntN(3) - 1}
			switch r := rng.IntN(20); {
			case r == 0: // no events
			case r < 4: // a latecomer
				op.Seqs = []int{max(0, seq-rng.IntN(20))}
			default:
				op.Seqs = []int{seq}
			}
			o.Add(op)
			held = append(held, op)
			if rng.IntN(4) == 0 {
				release(seq - rng.IntN(10))
			}
		}
		o.Flush()
		release(math.MaxInt)
		want = append(want, held...) // the ops without events
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: the orderer's order differs from a sort", round)
		}
	}
}
