package timeline

import (
	"slices"
)

// ticket is a message's place in the queue of those that wait, valid while
// the message lives the life it began to wait in.
type ticket struct {
	msg  *message
	life uint64
}

func (t ticket) valid() bool { return t.msg.life == t.life }

// wait adds a request to the list k, dropping the answered ones at the end
// and the oldest beyond maxPending.
func (m *RoundTripFinder) wait(k waitKey, msg *message) {
	l := m.waiting.get(k)
	m.trimAnswered(l)
	for len(l.msgs) >= maxPending {
		oldest := l.msgs[0]
		l.msgs = l.msgs[1:]
		m.leave(oldest, l)
	}
	if len(msg.waits) == 0 {
		m.fifo = append(m.fifo, ticket{msg, msg.life})
		m.live++
	}
	msg.waits = append(msg.waits, l)
	l.msgs = append(l.msgs, msg)
}

// waitingFor is the requests waiting in the list k, oldest first.
func (m *RoundTripFinder) waitingFor(k waitKey) []*message {
	if l := m.waiting.find(k); l != nil {
		return l.msgs
	}
	return nil
}

// trimAnswered drops the answered requests at the end of l.
func (m *RoundTripFinder) trimAnswered(l *waitList) {
	for n := len(l.msgs); n > 0 && l.msgs[n-1].answered; n = len(l.msgs) {
		last := l.msgs[n-1]
		l.msgs = l.msgs[:n-1]
		m.leave(last, l)
	}
}

// leave notes that msg no longer waits in l (the caller takes it out); a
// message that waits nowhere is final.
func (m *RoundTripFinder) leave(msg *message, l *waitList) {
	msg.waits = slices.DeleteFunc(msg.waits, func(w *waitList) bool { return w == l })
	if len(msg.waits) == 0 {
		m.live--
		m.finish(msg)
	}
}

// expire takes the oldest requests out of every list while more than
// maxWaiting wait or the oldest has waited past the window at now, and
// compacts the queue of those that no longer wait.
func (m *RoundTripFinder) expire(now msgClock) {
	for m.head < len(m.fifo) && (m.live > maxWaiting || m.pastWindow(m.fifo[m.head], now)) {
		t := m.fifo[m.head]
		m.fifo[m.head] = ticket{}
		m.head++
		for msg := t.msg; t.valid() && len(msg.waits) > 0; {
			l := msg.waits[0]
			l.msgs = withoutOldest(l.msgs, msg)
			m.leave(msg, l)
			m.waiting.dropIfEmpty(l)
		}
	}
	// The queue moves down in place once half of it is gone, or before
	// it drops the tickets no longer valid, so that its room is reused
	// rather than grown again at the end.
	n := len(m.fifo) - m.head
	stale := n > 2*maxWaiting || n > 64 && n > 2*m.live
	if m.head > 0 && (stale || 2*m.head >= len(m.fifo)) {
		m.fifo = m.fifo[:copy(m.fifo, m.fifo[m.head:])]
		m.head = 0
	}
	if stale {
		m.fifo = slices.DeleteFunc(m.fifo, func(t ticket) bool { return !t.valid() })
	}
}

// pastWindow reports whether t's request has waited longer than the
// window at now, or no longer waits.
func (m *RoundTripFinder) pastWindow(t ticket, now msgClock) bool {
	if !t.valid() {
		return true
	}
	from := t.msg.clock
	return m.window > 0 && from.timed && now.timed && now.when.Sub(from.when) > m.window
}

// withoutOldest is list without msg. The oldest request is first in every
// list it waits in (lists and the queue grow in the same order, and each
// request joins its lists at once): no need to look further.
func withoutOldest(list []*message, msg *message) []*message {
	switch {
	case len(list) == 1 && list[0] == msg:
		return list[:0] // most lists: keep their room
	case len(list) > 0 && list[0] == msg:
		return list[1:]
	}
	return slices.DeleteFunc(list, func(x *message) bool { return x == msg })
}
