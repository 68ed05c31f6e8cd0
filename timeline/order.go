package timeline

import (
	"cmp"
	"container/heap"
	"slices"

	"atscope/dialect"
)

// maxHeld bounds the ops an Orderer holds: past it, the oldest go on even
// if an older op may still come. Only a log without times gets there: with
// times, deadlines end every op within minutes of its start.
const maxHeld = 1 << 16

// Orderer hands ops on in log order, by their first event, as Sessions
// sorts them, while a dialect emits them as they complete. It holds an op
// until Release says that no op still to come starts before it, so that
// round trips and captures can be built as the log streams by:
//
//	ord := timeline.NewOrderer(use)
//	for each event: dec.Feed(ev, ord.Add); ord.Release(dec.Oldest())
//	dec.Close(ord.Add); ord.Flush()
//
// Ops that start at the same event go client by client (the module
// first), then in the order they came, as they do in Sessions. Ops
// without events go last.
type Orderer struct {
	held heldOps
	out  func(*dialect.Op)
	n    int // ops added, for a stable order
}

// NewOrderer returns an orderer that passes ops to out.
func NewOrderer(out func(*dialect.Op)) *Orderer { return &Orderer{out: out} }

// Add holds op until it is its turn.
func (o *Orderer) Add(op *dialect.Op) {
	heap.Push(&o.held, heldOp{op: op, first: firstSeq(op), n: o.n})
	o.n++
	for len(o.held) > maxHeld {
		o.out(heap.Pop(&o.held).(heldOp).op)
	}
}

// Release passes on the ops that start before event seq.
func (o *Orderer) Release(seq int) {
	for len(o.held) > 0 && o.held[0].first < seq {
		o.out(heap.Pop(&o.held).(heldOp).op)
	}
}

// Flush passes on every op held, at the end of the log.
func (o *Orderer) Flush() {
	for len(o.held) > 0 {
		o.out(heap.Pop(&o.held).(heldOp).op)
	}
}

// InLogOrder is the ops of sessions (in the order Sessions gives them) in
// the order an Orderer hands them on.
func InLogOrder(sessions []*Session) []*dialect.Op {
	var ops []*dialect.Op
	for _, s := range sessions {
		ops = append(ops, s.Ops...)
	}
	slices.SortStableFunc(ops, func(a, b *dialect.Op) int {
		return cmp.Or(cmp.Compare(firstSeq(a), firstSeq(b)), cmp.Compare(a.Client, b.Client))
	})
	return ops
}

type heldOp struct {
	op    *dialect.Op
	first int
	n     int
}

type heldOps []heldOp

func (h heldOps) Len() int { return len(h) }
func (h heldOps) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.first != b.first {
		return a.first < b.first
	}
	if a.op.Client != b.op.Client {
		return a.op.Client < b.op.Client
	}
	return a.n < b.n
}
func (h heldOps) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *heldOps) Push(x any)   { *h = append(*h, x.(heldOp)) }
func (h *heldOps) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = heldOp{}
	*h = old[:len(old)-1]
	return x
}
