package timeline

// Messages are reused once done with, from slabs of 256: a log has
// millions of messages but only a few thousand wait at a time.
// Measured (issue 13.6): allocating each message instead costs about 85 to
// 100 % more CPU on BenchmarkLatencyShapes, both shapes (the collector's
// work on short-lived 300-byte messages).

// newMessage is an empty message, reusing one done with when it can: the
// slices keep their room.
func (m *RoundTripFinder) newMessage() *message {
	if n := len(m.free); n > 0 {
		msg := m.free[n-1]
		m.free = m.free[:n-1]
		return msg
	}
	if len(m.slab) == 0 {
		m.slab = newSlab(256)
	}
	msg := &m.slab[0]
	m.slab = m.slab[1:]
	return msg
}

// newSlab makes n messages at once, their slices in their room.
func newSlab(n int) []message {
	msgs := make([]message, n)
	for i := range msgs {
		msg := &msgs[i]
		msg.waits, msg.trips = msg.room.waits[:0], msg.room.trips[:0]
		msg.gotBy, msg.ids = msg.room.gotBy[:0], msg.room.ids[:0]
	}
	return msgs
}

// finish counts a message that can no longer change, and keeps it for
// reuse: nothing refers to it any more but stale tickets.
func (m *RoundTripFinder) finish(msg *message) {
	m.count(msg)
	*msg = message{ids: msg.ids[:0], gotBy: msg.gotBy[:0], trips: msg.trips[:0], waits: msg.waits[:0], life: msg.life + 1}
	m.free = append(m.free, msg)
}
