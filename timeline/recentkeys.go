package timeline

import "atscope/dialect"

// recentKeys keeps, for each client and op kind, the last key looked up
// and what it found. Consecutive ops of a client and kind mostly share
// their row or session: comparing a key is then cheaper than hashing it
// into a map. A slot holds one key at a time, so that different keys never
// share a value. Measured (issue 13.6): without it, the Assembler costs
// about 20 % more CPU on BenchmarkAssembleShapes with the loggen shape,
// and the latency table and round-trip rows about 10 % (loggen) and 12 %
// (independent) more on BenchmarkLatencyShapes; ConnectionStream makes
// the Assembler's lookup for every op of `latency`.
type recentKeys[K comparable, V any] [recentSlots]struct {
	key   K
	value V
	set   bool
}

// recentSlots is a slot for each op kind of the module and of seven
// clients; more clients share slots.
const recentSlots = 8 * 16

// get is the value of key, from the slot of client and kind, else from
// find, which the slot then keeps.
func (r *recentKeys[K, V]) get(client int, kind dialect.OpKind, key K, find func(K) V) V {
	e := &r[uint(client+1)%8*16+uint(kind)%16]
	if !e.set || e.key != key {
		e.key, e.value, e.set = key, find(key), true
	}
	return e.value
}
