package timeline

import (
	"cmp"
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
	o.held.push(heldOp{op: op, first: firstSeq(op), client: op.Client, n: o.n})
	o.n++
	for len(o.held) > maxHeld {
		o.out(o.held.pop())
	}
}

// Release passes on the ops that start before event seq.
func (o *Orderer) Release(seq int) {
	for len(o.held) > 0 && o.held[0].first < seq {
		o.out(o.held.pop())
	}
}

// Flush passes on every op held, at the end of the log.
func (o *Orderer) Flush() {
	for len(o.held) > 0 {
		o.out(o.held.pop())
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

// heldOp is an op with its sort key, copied out of the op so that
// comparing two needs no pointer chasing.
type heldOp struct {
	op     *dialect.Op
	first  int
	client int
	n      int
}

func (a *heldOp) before(b *heldOp) bool {
	if a.first != b.first {
		return a.first < b.first
	}
	if a.client != b.client {
		return a.client < b.client
	}
	return a.n < b.n
}

// heldOps is a 4-ary min-heap: half as deep as a binary one, with the
// children of a node side by side in memory, which suits a heap of many
// ops. It is written out rather than built on container/heap, whose
// interface boxes every op pushed (an allocation per op) and calls Less
// and Swap indirectly.
type heldOps []heldOp

const heapArity = 4

func (h *heldOps) push(x heldOp) {
	*h = append(*h, x)
	h.up(len(*h) - 1)
}

// pop removes the first op.
func (h *heldOps) pop() *dialect.Op {
	s := *h
	top, last := s[0].op, len(s)-1
	s[0] = s[last]
	s[last] = heldOp{} // let the op go
	*h = s[:last]
	h.down(0)
	return top
}

// up moves the op at i towards the root while it goes before its parent.
func (h heldOps) up(i int) {
	for i > 0 {
		parent := (i - 1) / heapArity
		if !h[i].before(&h[parent]) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

// down moves the op at i towards the leaves while a child goes before it.
func (h heldOps) down(i int) {
	for {
		least := i
		first := heapArity*i + 1
		for c := first; c < min(first+heapArity, len(h)); c++ {
			if h[c].before(&h[least]) {
				least = c
			}
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}
