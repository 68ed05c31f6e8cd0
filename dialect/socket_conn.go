package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
	"atscope/mqttstream"
)

// sockConn is one open socket: its two streams, which events carried which
// stream offsets, and the MQTT ops that await an answer.
type sockConn struct {
	link    int
	open    *Op // emitted once the stream shows what it carries, or at the close
	streams [2]*mqttstream.Stream
	// carriers map stream offsets back to events, per direction; pruned as
	// packets complete.
	carriers [2][]sockCarrier
	opaque   bool // the stream is not MQTT
	tls      bool // the stream is TLS: the op that gets its opaque note says TLS
	mqtt     sockMQTT
	notes    []Note  // stream problems for the next op of this socket
	last     []evRef // the latest events that carried bytes or notes of it
}

// sockCarrier says that the events evs carried the stream offsets of span.
type sockCarrier struct {
	span mqttstream.Span
	evs  []evRef
}

func newConn(link int, open *Op) *sockConn {
	c := &sockConn{link: link, open: open}
	c.streams[mqttstream.ToBroker] = mqttstream.NewStream(mqttstream.ToBroker)
	c.streams[mqttstream.FromBroker] = mqttstream.NewStream(mqttstream.FromBroker)
	c.mqtt = newSockMQTT()
	return c
}

// conn returns the socket of link, opening one when the log shows data on a
// socket whose open it does not show (it starts mid-session).
func (m *sockMachine) conn(link int, evs []evRef) *sockConn {
	if c := m.socks[link]; c != nil {
		return c
	}
	c := newConn(link, nil)
	c.last = evs
	line := 0
	if len(evs) > 0 {
		line = evs[0].line
	}
	c.notes = append(c.notes, Note{Kind: NoteNotLogged, Text: fmt.Sprintf("the command is not in the log: data on socket %d (line %d) without its open; the log starts mid-session or the socket was closed", link, line)})
	m.socks[link] = c
	return c
}

// noteConn keeps a note, which ev shows, for the next op of link's socket.
func (m *sockMachine) noteConn(link int, ev *decode.Event, n Note) {
	evs := []evRef{refOf(ev)}
	c := m.conn(link, evs)
	c.last = evs
	c.notes = append(c.notes, n)
}

// opened completes the open of link: CONNECT OK, CONNECT, +QIOPEN: <id>,0.
func (m *sockMachine) opened(link int, ev *decode.Event, emit func(*Op)) {
	op := m.opening[link]
	delete(m.opening, link)
	if op == nil {
		op = m.op(link, OpOpen, ev.Name)
		op.noteAs(NoteNotLogged, "the command is not in the log: the socket open is known from its result alone")
	}
	if old := m.socks[link]; old != nil {
		m.dropConn(old, ev, "the socket was opened again", emit)
	}
	op.finish(ev, StatusOK, "", "")
	m.socks[link] = newConn(link, op)
}

// sockOpenReasons explains the words that fail an open.
var sockOpenReasons = map[string]string{
	"CONNECT FAIL":      "the TCP connection could not be made (host unreachable, port closed, DNS or bearer failure)",
	"ALREADY CONNECT":   "a connection is already open on this link (the host did not close it first)",
	"ALREADY CONNECTED": "a connection is already open on this link (the host did not close it first)",
}

// openFailed fails the open of link.
func (m *sockMachine) openFailed(link int, ev *decode.Event, code string, emit func(*Op)) {
	op := m.opening[link]
	delete(m.opening, link)
	if op == nil {
		op = m.op(link, OpOpen, ev.Name)
		op.noteAs(NoteNotLogged, "the command is not in the log: the socket open is known from its result alone")
	}
	reason, ok := sockOpenReasons[code]
	if !ok {
		reason = "the socket could not be opened (error " + code + ")"
		if n, isNum := lastIntArg(code); isNum {
			if r, known := quectelSocketErrors[n]; known {
				reason = r
			}
		}
	}
	m.finishOp(op, ev, StatusFailed, code, reason, emit)
}

// closed ends link's socket: the answer to a close command, or the remote's
// close (a link op).
func (m *sockMachine) closed(link int, ev *decode.Event, emit func(*Op)) {
	c := m.socks[link]
	if op := m.closing[link]; op != nil {
		delete(m.closing, link)
		op.finish(ev, StatusOK, "", "")
		if c != nil {
			m.dropConn(c, ev, "the host closed the socket", emit, op)
		}
		emit(op)
		return
	}
	op := m.op(link, OpLink, ev.Name)
	op.add(ev)
	st, reason := StatusFailed, "the server or the network closed the socket"
	switch {
	case c == nil:
		reason = "closed a socket that the log does not show open"
	case c.mqtt.disconnected:
		st, reason = StatusOK, "closed after the device's MQTT DISCONNECT"
	case c.mqtt.refused != 0:
		st, reason = StatusOK, fmt.Sprintf("closed by the broker after it refused the CONNECT (CONNACK %d), as MQTT 3.1.1 §3.2.2.3 says it must", c.mqtt.refused)
	case c.mqtt.connect != nil:
		reason = "the socket closed right after MQTT CONNECT, with no CONNACK: the broker refused the connection (client ID in use, bad user name or password, not authorized) or the server is not an MQTT broker"
	}
	op.finish(ev, st, "", reason)
	if c != nil {
		m.dropConn(c, ev, "the socket closed (line "+fmt.Sprint(ev.Pos.Line)+")", emit, op)
	}
	emit(op)
}

// shutDown completes AT+CIPSHUT: every socket is closed.
func (m *sockMachine) shutDown(ev *decode.Event, emit func(*Op)) {
	op := m.shut
	m.shut = nil
	if op == nil {
		op = m.op(0, OpClose, ev.Name)
	}
	op.finish(ev, StatusOK, "", "")
	for _, link := range sortedKeys(m.socks) {
		m.dropConn(m.socks[link], ev, "AT+CIPSHUT closed every socket", emit, op)
	}
	emit(op)
}

// linkLost fails every socket: the bearer went down.
func (m *sockMachine) linkLost(ev *decode.Event, why string, emit func(*Op)) {
	op := m.op(ModuleClient, OpLink, ev.Name)
	op.add(ev)
	op.finish(ev, StatusFailed, strings.TrimSpace(ev.Args), why)
	for _, link := range sortedKeys(m.socks) {
		m.dropConn(m.socks[link], ev, why, emit, op)
	}
	emit(op)
}

// dropConn forgets a socket: its streams end (a packet cut by the end is a
// problem), the ops still awaiting an answer are abandoned (or, when ev is
// nil, the log ended), and what is left to say goes on carrier.
func (m *sockMachine) dropConn(c *sockConn, ev *decode.Event, why string, emit func(*Op), carrier ...*Op) {
	delete(m.socks, c.link)
	if n := m.waiting[c.link]; n > 0 {
		c.notes = append(c.notes, Note{Kind: NoteUnread, Have: n, Text: fmt.Sprintf("%d received bytes that the module announced (passive receive) were never read by the host", n)})
	} else if n == unknownWaiting {
		c.notes = append(c.notes, Note{Kind: NoteUnread, Have: n, Text: "received data that the module announced (buffered receive) was never read by the host"})
	}
	delete(m.waiting, c.link)
	for dir := range c.streams {
		c.streams[dir].Close()
		m.drain(c, mqttstream.Dir(dir), emit)
	}
	c.mqtt.abandon(ev, why, emit)
	var notes []Note
	if c.open != nil {
		c.open.Notes = append(c.open.Notes, c.notes...)
		emit(c.open)
		c.open = nil
	} else {
		notes = c.notes
	}
	c.notes = nil
	// Bytes no op took yet go on the carrier when it is the socket's own
	// op, else on an op of their own.
	bytesLeft := len(m.wire[c.link]) > 0 && (len(carrier) == 0 || carrier[0].Client != c.link)
	if len(notes) == 0 && !bytesLeft {
		return
	}
	if len(carrier) > 0 && !bytesLeft {
		carrier[0].Notes = append(carrier[0].Notes, notes...)
		carrier[0].TLS = carrier[0].TLS || c.tls && hasKind(notes, NoteOpaque)
		return
	}
	op := m.op(c.link, OpLink, "socket")
	op.Notes = notes
	op.TLS = c.tls && hasKind(notes, NoteOpaque)
	addRefs(op, c.last)
	op.finish(nil, StatusUnknown, "", "what the log shows of this socket's bytes, with no op to carry it")
	emit(op)
}

// write appends a payload (and lost bytes after it) to a stream of c and
// turns what it completes into ops.
func (m *sockMachine) write(c *sockConn, dir mqttstream.Dir, data []byte, lost int, evs []evRef, emit func(*Op)) {
	s := c.streams[dir]
	if len(evs) > 0 {
		c.last = evs
	}
	if len(data) > 0 {
		start := s.Offset()
		m.recordWire(c.link, dir == mqttstream.ToBroker, start, data, 0, evs)
		c.carriers[dir] = append(c.carriers[dir], sockCarrier{span: mqttstream.Span{Start: start, End: start + int64(len(data))}, evs: evs})
		s.Write(data)
	}
	if lost != 0 {
		start := s.Offset()
		m.recordWire(c.link, dir == mqttstream.ToBroker, start, nil, max(lost, -1), evs)
		c.carriers[dir] = append(c.carriers[dir], sockCarrier{span: mqttstream.Span{Start: start, End: start + int64(max(lost, 0))}, evs: evs})
		s.Lost(lost) // the stream reports the gap
	}
	m.drain(c, dir, emit)
}

// drain turns the packets and problems a stream has completed into ops and
// notes, then forgets the carriers no packet still needs.
func (m *sockMachine) drain(c *sockConn, dir mqttstream.Dir, emit func(*Op)) {
	s := c.streams[dir]
	for _, p := range s.Problems() {
		c.notes = append(c.notes, Note{Kind: NoteMalformed, Text: fmt.Sprintf("%s stream, %s", dir, p)})
	}
	if proto := s.Protocol(); proto != mqttstream.MQTT && proto != mqttstream.Undecided && !c.opaque {
		c.opaque = true
		n := Note{Kind: NoteOpaque, Text: fmt.Sprintf("the socket carries %s", proto.Explain())}
		c.tls = proto == mqttstream.TLS
		if c.open != nil {
			c.open.addNote(n)
			c.open.TLS = c.open.TLS || c.tls
		} else {
			c.notes = append(c.notes, n)
		}
	}
	if c.open != nil && s.Protocol() != mqttstream.Undecided && dir == mqttstream.ToBroker {
		c.open.Notes = append(c.open.Notes, c.notes...)
		c.notes = nil
		emit(c.open)
		c.open = nil
	}
	packets := s.Packets()
	for i := range packets {
		p := &packets[i]
		refs := c.refsOf(dir, p.Start, p.End)
		if len(refs) == 0 {
			refs = c.last
		}
		if m.tap != nil {
			m.tap(c.link, p)
		}
		m.packet(c, p, refs, emit)
	}
	if n := len(packets); n > 0 {
		c.prune(dir, packets[n-1].End)
	}
}

// refsOf lists the events that carried the offsets [start, end) of dir.
func (c *sockConn) refsOf(dir mqttstream.Dir, start, end int64) []evRef {
	var out []evRef
	for _, k := range c.carriers[dir] {
		if k.span.End > start && k.span.Start < end || k.span.Start == start && k.span.End == start {
			out = append(out, k.evs...)
		}
	}
	return out
}

// prune forgets the carriers of offsets before end.
func (c *sockConn) prune(dir mqttstream.Dir, end int64) {
	ks := c.carriers[dir]
	i := 0
	for i < len(ks) && ks[i].span.End <= end {
		i++
	}
	c.carriers[dir] = append(ks[:0], ks[i:]...)
}

func hasKind(notes []Note, k NoteKind) bool {
	for _, n := range notes {
		if n.Kind == k {
			return true
		}
	}
	return false
}
