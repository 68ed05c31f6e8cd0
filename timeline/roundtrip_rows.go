package timeline

import (
	"slices"
	"sort"

	"atscope/dialect"
)

// count adds a message that can no longer change to the rows or to the
// unpaired counts.
func (m *RoundTripFinder) count(msg *message) {
	if msg.done {
		return
	}
	msg.done = true
	if msg.tentative && len(msg.trips) == 0 {
		return // counted as failed in the op table
	}
	if !msg.request {
		if !msg.answer {
			*m.recentUnpaired.get(msg.client, msg.kind, upKey{msg.client, msg.kind}, m.unpairedCount)++
		}
		return
	}
	dir, topic := msg.dir, msg.topic
	switch {
	case len(msg.trips) > 0:
		dir, topic = msg.trips[0].dir, msg.trips[0].reqTopic
	case msg.rule >= 0:
		topic = m.rules[msg.rule].Request
	case msg.kind == dialect.OpReceive:
		topic = m.receivedTopic(msg)
	}
	r := m.row(msg, dir, topic)
	r.Count++
	if len(msg.trips) > 0 {
		r.Answered++
	}
	for _, t := range msg.trips {
		r.ResponseClients = addSorted(r.ResponseClients, t.respClient)
		r.ResponseTopics = addSorted(r.ResponseTopics, t.respTopic)
		r.MatchedBy = addSorted(r.MatchedBy, t.by)
		if t.timed {
			r.Samples.Add(t.d)
		}
	}
}

// row is the row of a request of msg's client.
func (m *RoundTripFinder) row(msg *message, dir, topic string) *RoundTripRow {
	return m.recentRows.get(msg.client, msg.kind, rowKey{msg.client, dir, topic}, m.rowOf)
}

func (m *RoundTripFinder) rowOf(k rowKey) *RoundTripRow {
	r, ok := m.rows[k]
	if !ok {
		r = &RoundTripRow{File: m.file, Client: k.client, Dir: k.dir, RequestTopic: k.topic}
		m.rows[k] = r
	}
	return r
}

// unpairedCount is where the unpaired messages of a client and op kind are
// counted.
func (m *RoundTripFinder) unpairedCount(k upKey) *int {
	n, ok := m.unpaired[k]
	if !ok {
		n = new(int)
		m.unpaired[k] = n
	}
	return n
}

// Result ends the log: every request still waiting is final.
func (m *RoundTripFinder) Result() *RoundTrips {
	for _, t := range m.fifo[m.head:] {
		if t.valid() {
			m.count(t.msg)
		}
	}
	m.fifo, m.head, m.waiting, m.live = nil, 0, newWaitLists(), 0
	res := &RoundTrips{Trips: m.trips}
	keys := make([]rowKey, 0, len(m.rows))
	for k := range m.rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.client != b.client {
			return a.client < b.client
		}
		if a.dir != b.dir {
			return a.dir < b.dir
		}
		return a.topic < b.topic
	})
	for _, k := range keys {
		res.Rows = append(res.Rows, m.rows[k])
	}
	ups := make([]upKey, 0, len(m.unpaired))
	for k := range m.unpaired {
		ups = append(ups, k)
	}
	sort.Slice(ups, func(i, j int) bool {
		if ups[i].client != ups[j].client {
			return ups[i].client < ups[j].client
		}
		return ups[i].op.String() < ups[j].op.String()
	})
	for _, k := range ups {
		res.Unpaired = append(res.Unpaired, Unpaired{File: m.file, Client: k.client, Op: k.op.String(), Count: *m.unpaired[k]})
	}
	return res
}

func addSorted[T int | string](s []T, v T) []T {
	i, found := slices.BinarySearch(s, v)
	if found {
		return s
	}
	return slices.Insert(s, i, v)
}
