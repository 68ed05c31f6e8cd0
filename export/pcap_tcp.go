package export

import (
	"container/heap"
	"net/netip"
	"slices"
	"time"
)

// TCP streams: their state, the packets each side sends (numbered when
// written, each acknowledged by the peer), and their order.

const (
	tcpMSS    = 1460
	tcpWindow = 65535
)

// side is one end of a stream.
type side uint8

const (
	device side = iota // the module: the capture is taken here
	broker
)

func (s side) other() side { return 1 - s }

// stream is one TCP connection between the module and its broker.
type stream struct {
	dev, srv netip.AddrPort
	isn      [2]uint32
	next     [2]uint32 // next sequence number per side
	synced   [2]bool   // the side's SYN has been sent
	ipID     [2]uint16
	level    byte // MQTT protocol level, from the CONNECT
	ids      *idAlloc
	done     [2]bool // the side has sent its FIN
	pend     segHeap // its packets not yet written
}

// ackPolicy says how the peer acknowledges a segment.
type ackPolicy uint8

const (
	ackAuto   ackPolicy = iota // a pure ACK, unless the peer's next segment follows at once
	ackAlways                  // a pure ACK (the handshake's third packet)
	ackNone                    // no ACK: a SYN (the SYN-ACK answers it), or the FIN of a module that is gone
)

// segment is one packet to write, before TCP numbering. DNS datagrams have
// no stream.
type segment struct {
	at      time.Time
	seq     int // the log event the packet stands for, to order packets of equal time
	client  int // then the client, connection and order of making
	conn    int
	gen     int
	gi, si  int  // indexes in the log's heap and the stream's
	written bool // numbered and written: no longer to clamp
	st      *stream
	from    side
	syn     bool
	fin     bool
	ack     ackPolicy
	payload []byte
	skip    uint32 // sequence numbers the log lost before payload
	mqtt    byte   // the MQTT packet type in payload, if any
	dns     *dnsDatagram
	comment string
}

// tkey orders packets: by time, then by log event.
type tkey struct {
	at  time.Time
	seq int
}

func (k tkey) before(o tkey) bool {
	if !k.at.Equal(o.at) {
		return k.at.Before(o.at)
	}
	return k.seq < o.seq
}

// A connection's packets are kept between its handshake and its first FIN,
// for logs whose times or order disagree (a command typed before the open's
// result, a result logged after the link went down): emit moves a packet
// made after the handshake up to it, clampToFIN moves the packets that
// would follow the FIN back to it.

// clampToFIN moves the connection's packets not yet written that would go
// after its first FIN (one of fins, just made) back to the FIN.
func (lx *logExport) clampToFIN(cn *connExport, fins []*segment) {
	var hi tkey
	for i, sg := range fins {
		if k := (tkey{sg.at, sg.seq}); i == 0 || k.before(hi) {
			hi = k
		}
	}
	for _, sg := range cn.segs {
		if !sg.written && !sg.fin && hi.before(tkey{sg.at, sg.seq}) {
			sg.at, sg.seq = hi.at, hi.seq
			heap.Fix(&lx.segs, sg.gi)
			heap.Fix(&sg.st.pend, sg.si)
		}
	}
}

// emit queues a packet of a connection, splitting payloads longer than the
// MSS. A packet made after the handshake goes no earlier than its answer.
func (lx *logExport) emit(cn *connExport, sg *segment) {
	for len(sg.payload) > tcpMSS {
		part := *sg
		part.payload = sg.payload[:tcpMSS]
		lx.push(cn, &part)
		sg.skip = 0 // the gap is before the first part
		sg.payload = sg.payload[tcpMSS:]
		sg.mqtt = 0 // counted once, with the first part
	}
	lx.push(cn, sg)
}

func (lx *logExport) push(cn *connExport, sg *segment) {
	sg.client, sg.conn, sg.gen = cn.cx.client, cn.index, cn.gen
	cn.gen++
	if sg.dns == nil {
		sg.st = cn.st
		sg.comment += cn.note // the first packet of a stream picked up mid-way says so
		cn.note = ""
	}
	if cn.shaken {
		if (tkey{sg.at, sg.seq}).before(cn.lo) {
			sg.at, sg.seq = cn.lo.at, cn.lo.seq
		}
		if len(cn.segs) == cap(cn.segs) { // drop the written ones before growing
			cn.segs = slices.DeleteFunc(cn.segs, func(sg *segment) bool { return sg.written })
		}
		cn.segs = append(cn.segs, sg)
	}
	heap.Push(&lx.segs, sg)
	if sg.st != nil {
		heap.Push(&sg.st.pend, sg)
	}
}

// send queues an MQTT packet; an encoding error skips the op.
func (lx *logExport) send(cn *connExport, from side, at time.Time, seq int, pk *mqttPacket, comment string) bool {
	b, err := pk.encode(cn.st.level)
	if err != nil {
		lx.skip("not encodable: " + err.Error())
		return false
	}
	lx.emit(cn, &segment{at: at, seq: seq, from: from, ack: ackAuto, payload: b, mqtt: pk.Type, comment: comment})
	return true
}

// pickUp makes the stream one whose handshake happened before the capture
// starts: both sides have sent their SYN.
func (st *stream) pickUp() {
	for s := range st.next {
		st.next[s]++
		st.synced[s] = true
	}
}

// appendSegment appends the next TCP segment from side from as a packet,
// and advances the stream.
func (st *stream) appendSegment(b []byte, from side, syn, fin bool, payload []byte) []byte {
	src, dst := st.dev, st.srv
	if from == broker {
		src, dst = dst, src
	}
	seg := tcpSegment{src: src, dst: dst, ipID: st.ipID[from], seq: st.next[from], syn: syn, fin: fin, payload: payload}
	if st.synced[from.other()] {
		seg.acks, seg.ack = true, st.next[from.other()]
	}
	b = appendTCPPacket(b, &seg)
	st.ipID[from]++
	st.next[from] += uint32(len(payload))
	if syn {
		st.next[from]++
		st.synced[from] = true
	}
	if fin {
		st.next[from]++
		st.done[from] = true
	}
	return b
}

// write numbers a packet of its stream, with the peer's ACK, and writes it.
func (lx *logExport) write(sg *segment) {
	if sg.dns != nil {
		f, err := lx.dnsFrame(sg)
		lx.writeFrame(f, err)
		return
	}
	st := sg.st
	heap.Pop(&st.pend) // sg, the stream's earliest
	if st.done[sg.from] {
		lx.skip(skipAfterFIN) // cannot happen after clamp; kept for safety
		return
	}
	st.next[sg.from] += sg.skip
	f := lx.frame(st, sg.from, sg.syn, sg.fin, sg.payload)
	f.at, f.comment = sg.at, commentText(sg.comment)
	lx.writeFrame(f, nil)
	if sg.mqtt != 0 {
		lx.stats.Messages[mqttPacketNames[sg.mqtt]]++
	}
	consumes := len(sg.payload) > 0 || sg.fin || sg.syn && sg.from == broker
	if !consumes || sg.ack == ackNone {
		return
	}
	if n := st.pend.first(); sg.ack == ackAuto && n != nil && n.from != sg.from && n.at.Equal(sg.at) && (len(n.payload) > 0 || n.fin) && !st.done[n.from] {
		return // the peer's next segment carries the ACK
	}
	ack := lx.frame(st, sg.from.other(), false, false, nil)
	ack.at, ack.comment = sg.at, f.comment
	lx.writeFrame(ack, nil)
}

// frame makes the next segment of a stream, in the buffer every packet
// reuses: it is good until the next frame.
func (lx *logExport) frame(st *stream, from side, syn, fin bool, payload []byte) frame {
	lx.p.packet = st.appendSegment(lx.p.packet[:0], from, syn, fin, payload)
	return frame{data: lx.p.packet, inbound: from == broker}
}

// segHeap orders packets as they are written: by time, then log event,
// then client, connection and order of making. A packet is in the log's
// heap and in its stream's; each keeps its index in both.
type segHeap struct {
	segs   []*segment
	stream bool // the stream's heap: indexes in si
}

func (h segHeap) Len() int { return len(h.segs) }
func (h segHeap) Less(i, j int) bool {
	a, b := h.segs[i], h.segs[j]
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	if a.client != b.client {
		return a.client < b.client
	}
	if a.conn != b.conn {
		return a.conn < b.conn
	}
	return a.gen < b.gen
}
func (h segHeap) Swap(i, j int) {
	h.segs[i], h.segs[j] = h.segs[j], h.segs[i]
	h.setIndex(i)
	h.setIndex(j)
}
func (h segHeap) setIndex(i int) {
	if h.stream {
		h.segs[i].si = i
	} else {
		h.segs[i].gi = i
	}
}
func (h *segHeap) Push(x any) {
	h.segs = append(h.segs, x.(*segment))
	h.setIndex(len(h.segs) - 1)
}
func (h *segHeap) Pop() any {
	sg := h.segs[len(h.segs)-1]
	h.segs[len(h.segs)-1] = nil
	h.segs = h.segs[:len(h.segs)-1]
	return sg
}

// first is the earliest packet, or nil.
func (h segHeap) first() *segment {
	if len(h.segs) == 0 {
		return nil
	}
	return h.segs[0]
}
