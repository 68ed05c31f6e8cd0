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
	// Most ops come in order: those go to run, a queue sorted as they
	// came, and only the others to the heap. The next op out is the first
	// of either.
	run  opRun
	held heldOps
	out  func(*dialect.Op)
	n    int // ops added, for a stable order
}

// NewOrderer returns an orderer that passes ops to out.
func NewOrderer(out func(*dialect.Op)) *Orderer { return &Orderer{out: out} }

// Add holds op until it is its turn.
func (o *Orderer) Add(op *dialect.Op) {
	x := heldOp{op: op, first: firstSeq(op), client: op.Client, n: o.n}
	o.n++
	if last := o.run.last(); last == nil || last.before(&x) {
		o.run.push(x)
	} else {
		o.held.push(x)
	}
	for o.run.len()+len(o.held) > maxHeld {
		o.out(o.pop())
	}
}

// Release passes on the ops that start before event seq.
func (o *Orderer) Release(seq int) {
	for {
		next := o.next()
		if next == nil || next.first >= seq {
			return
		}
		o.out(o.pop())
	}
}

// Flush passes on every op held, at the end of the log.
func (o *Orderer) Flush() {
	for o.next() != nil {
		o.out(o.pop())
	}
}

// next is the op held that goes first, nil when none is.
func (o *Orderer) next() *heldOp {
	r := o.run.first()
	if len(o.held) > 0 && (r == nil || o.held[0].before(r)) {
		return &o.held[0]
	}
	return r
}

// pop removes the op held that goes first; there is one.
func (o *Orderer) pop() *dialect.Op {
	if r := o.run.first(); r != nil && (len(o.held) == 0 || r.before(&o.held[0])) {
		return o.run.pop()
	}
	return o.held.pop()
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

// opRun is a queue of ops in order.
type opRun struct {
	ops  []heldOp
	head int // ops[:head] have gone
}

func (r *opRun) len() int { return len(r.ops) - r.head }

func (r *opRun) first() *heldOp {
	if r.head == len(r.ops) {
		return nil
	}
	return &r.ops[r.head]
}

func (r *opRun) last() *heldOp {
	if r.head == len(r.ops) {
		return nil
	}
	return &r.ops[len(r.ops)-1]
}

func (r *opRun) push(x heldOp) {
	if r.head == len(r.ops) { // empty: start again at the front
		r.ops, r.head = r.ops[:0], 0
	} else if r.head >= len(r.ops)/2 && len(r.ops) == cap(r.ops) {
		// Mostly gone: move the rest to the front rather than grow.
		n := copy(r.ops, r.ops[r.head:])
		clear(r.ops[n:])
		r.ops, r.head = r.ops[:n], 0
	}
	r.ops = append(r.ops, x)
}

// pop removes the first op; there is one.
func (r *opRun) pop() *dialect.Op {
	op := r.ops[r.head].op
	r.ops[r.head] = heldOp{} // let the op go
	r.head++
	return op
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
