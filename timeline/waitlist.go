package timeline

import "hash/maphash"

// waitList is the requests waiting for one kind of answer, oldest first.
type waitList struct {
	key  waitKey
	hash uint64
	msgs []*message
	next *waitList // another list whose key has the same hash
}

// waitLists holds the lists of requests by key. A key's strings are
// hashed once per lookup into a small map of hashes, and keys are compared
// in full, so that keys whose hashes collide keep lists of their own.
// Messages refer to the lists they wait in, so that leaving one needs no
// lookup; emptied lists are kept for reuse, with their room.
// Measured (issue 13.6): a plain map[waitKey]*waitList costs about 15 %
// more CPU on BenchmarkLatencyShapes with the loggen shape, 10 % with the
// independent one (a waitKey has two strings to hash and compare).
type waitLists struct {
	seed   maphash.Seed
	byHash map[uint64]*waitList
	free   []*waitList
}

func newWaitLists() waitLists {
	return waitLists{seed: maphash.MakeSeed(), byHash: map[uint64]*waitList{}}
}

func (w *waitLists) hash(k waitKey) uint64 {
	const prime = 0x100000001b3 // FNV's: spreads the small numbers
	h := maphash.String(w.seed, k.a)
	h = h*prime ^ maphash.String(w.seed, k.b)
	h = h*prime ^ uint64(k.kind)
	h = h*prime ^ uint64(k.client)
	return h*prime ^ uint64(k.n)
}

// find is the list of k, or nil if nothing waits for k.
func (w *waitLists) find(k waitKey) *waitList {
	return w.lookup(k, w.hash(k))
}

func (w *waitLists) lookup(k waitKey, h uint64) *waitList {
	for l := w.byHash[h]; l != nil; l = l.next {
		if l.key == k {
			return l
		}
	}
	return nil
}

// get is the list of k, a new empty one if nothing waits for k.
func (w *waitLists) get(k waitKey) *waitList {
	h := w.hash(k)
	if l := w.lookup(k, h); l != nil {
		return l
	}
	l := w.newList()
	l.key, l.hash, l.next = k, h, w.byHash[h]
	w.byHash[h] = l
	return l
}

// dropIfEmpty removes l once nothing waits in it.
func (w *waitLists) dropIfEmpty(l *waitList) {
	if len(l.msgs) > 0 {
		return
	}
	if first := w.byHash[l.hash]; first == l {
		if l.next == nil {
			delete(w.byHash, l.hash)
		} else {
			w.byHash[l.hash] = l.next
		}
	} else {
		for first.next != l {
			first = first.next
		}
		first.next = l.next
	}
	*l = waitList{msgs: l.msgs[:0]}
	w.free = append(w.free, l)
}

// newList is an empty list with room: a reused one, else one of a batch of
// new ones.
func (w *waitLists) newList() *waitList {
	if len(w.free) == 0 {
		const n, room = 256, 2
		batch := make([]waitList, n)
		msgs := make([]*message, n*room)
		for i := range batch {
			batch[i].msgs = msgs[i*room : i*room : (i+1)*room]
			w.free = append(w.free, &batch[i])
		}
	}
	n := len(w.free)
	l := w.free[n-1]
	w.free = w.free[:n-1]
	return l
}
