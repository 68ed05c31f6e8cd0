package export

import (
	"fmt"
	"hash/fnv"

	"atscope/dialect"
)

// Packet identifiers, and the hash that derives the capture's synthetic
// numbers from the input.

// idAlloc gives packet identifiers: the logged msgID where it is valid,
// else the next number no logged op of the connection uses (of those placed
// in it so far: note).
type idAlloc struct {
	used map[uint16]bool
	next uint16
}

func newIDAlloc() *idAlloc { return &idAlloc{used: map[uint16]bool{}, next: 1} }

// note records the msgID an op of the connection logs.
func (a *idAlloc) note(op *dialect.Op) {
	if op.MsgID > 0 && op.MsgID <= 0xFFFF {
		a.used[uint16(op.MsgID)] = true
	}
}

func (a *idAlloc) id(logged int) (uint16, string) {
	if logged > 0 && logged <= 0xFFFF {
		return uint16(logged), ""
	}
	for i := 0; i < 0xFFFF && a.used[a.next]; i++ {
		a.next = a.next%0xFFFF + 1
	}
	id := a.next
	a.next = a.next%0xFFFF + 1
	return id, fmt.Sprintf(" [packet id %d derived: the log has none]", id)
}

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}
