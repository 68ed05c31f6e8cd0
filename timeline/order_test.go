package timeline

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"atscope/decode"
	"atscope/dialect"
	"atscope/loggen"
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
