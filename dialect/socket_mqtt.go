package dialect

import (
	"fmt"
	"slices"
	"strconv"

	"atscope/decode"
	"atscope/mqttstream"
)

// sockMQTT is one socket's MQTT session: the ops that await the broker's
// (or, for a receive, the device's) answer, by packet id.
type sockMQTT struct {
	connect                   *Op
	subs, unsubs, pubs, recvs map[uint16]*Op
	pings                     []*Op
	disconnected              bool
	refused                   int // the latest CONNACK's refusal code, 0 when accepted
}

func newSockMQTT() sockMQTT {
	return sockMQTT{subs: map[uint16]*Op{}, unsubs: map[uint16]*Op{}, pubs: map[uint16]*Op{}, recvs: map[uint16]*Op{}}
}

// packet turns one decoded packet into an op, or into the answer of one
// [MQTT 3.1.1 §3]. The client is the socket's link id.
func (m *sockMachine) packet(c *sockConn, p *mqttstream.Packet, refs []evRef, emit func(*Op)) {
	q := &c.mqtt
	out := p.Dir == mqttstream.ToBroker
	switch {
	case p.Kind == mqttstream.Connect && out:
		op := m.packetOp(c, OpConnect, p, refs)
		fillConnect(op, p)
		if q.connect != nil {
			m.finishOp(q.connect, nil, StatusUnknown, "", "another CONNECT followed before a CONNACK", emit)
		}
		q.connect = op
	case p.Kind == mqttstream.Connack && !out:
		m.connack(c, p, refs, emit)
	case p.Kind == mqttstream.Subscribe && out, p.Kind == mqttstream.Unsubscribe && out:
		m.subscribe(c, p, refs, emit)
	case p.Kind == mqttstream.Suback && !out, p.Kind == mqttstream.Unsuback && !out:
		m.suback(c, p, refs, emit)
	case p.Kind == mqttstream.Publish:
		m.publish(c, p, refs, emit)
	case p.Kind >= mqttstream.Puback && p.Kind <= mqttstream.Pubcomp:
		m.pubAck(c, p, refs, emit)
	case p.Kind == mqttstream.Pingreq && out:
		op := m.packetOp(c, OpLink, p, refs)
		op.ping = true
		q.pings = append(q.pings, op)
	case p.Kind == mqttstream.Pingresp && !out:
		if len(q.pings) == 0 {
			op := m.packetOp(c, OpLink, p, refs)
			op.ping = true
			op.noteAs(NoteNotLogged, "the command is not in the log: a PINGRESP without its PINGREQ")
			m.finishOp(op, nil, StatusOK, "", "keep-alive answered by the broker", emit)
			return
		}
		op := q.pings[0]
		q.pings = q.pings[1:]
		m.answer(op, p, refs, StatusOK, "", "keep-alive answered by the broker", emit)
	case p.Kind == mqttstream.Disconnect && out:
		op := m.packetOp(c, OpDisconnect, p, refs)
		q.disconnected = true
		m.answer(op, p, nil, StatusOK, "", "", emit)
	default:
		op := m.packetOp(c, OpLink, p, refs)
		op.addNote(Note{Kind: NoteMalformed, Text: fmt.Sprintf("a %s %s: not a packet that side sends", p.Kind, p.Dir)})
		m.answer(op, p, nil, StatusUnknown, "", "", emit)
	}
}

// packetOp starts the op of a packet with the events that carried it, the
// socket's pending notes and the packet's problems.
func (m *sockMachine) packetOp(c *sockConn, kind OpKind, p *mqttstream.Packet, refs []evRef) *Op {
	op := m.op(c.link, kind, carrierName(refs))
	addRefs(op, refs)
	op.Notes = append(op.Notes, c.notes...)
	c.notes = nil
	packetNotes(op, p)
	if q := &c.mqtt; q.connect != nil && kind != OpConnect && kind != OpLink {
		op.noteAs(NoteRemark, fmt.Sprintf("sent before the broker's CONNACK to the CONNECT of line %d (MQTT 3.1.1 §3.1.4 allows it; lost if the broker refuses)", q.connect.Lines[0]))
	}
	return op
}

func addRefs(op *Op, refs []evRef) {
	for i := range refs {
		if n := len(op.Seqs); n > 0 && op.Seqs[n-1] == refs[i].seq {
			continue
		}
		op.add(&refs[i].ev)
	}
}

// packetNotes makes a damaged packet's problems notes of op.
func packetNotes(op *Op, p *mqttstream.Packet) {
	for _, pr := range p.Problems {
		op.addNote(Note{Kind: NoteMalformed, Text: fmt.Sprintf("%s %s: %s", p.Dir, p.Kind, pr)})
	}
}

// answer completes op with the packet that answers it.
func (m *sockMachine) answer(op *Op, p *mqttstream.Packet, refs []evRef, st Status, code, reason string, emit func(*Op)) {
	if p != nil && len(refs) > 0 {
		packetNotes(op, p)
	}
	var last *decode.Event
	if len(refs) > 0 {
		addRefs(op, refs[:len(refs)-1])
		last = &refs[len(refs)-1].ev
	}
	m.finishOp(op, last, st, code, reason, emit)
}

// orphan makes the op of an answer whose request the log does not show.
func (m *sockMachine) orphan(c *sockConn, kind OpKind, p *mqttstream.Packet, refs []evRef) *Op {
	op := m.packetOp(c, kind, p, nil)
	op.Name = carrierName(refs)
	op.noteAs(NoteNotLogged, fmt.Sprintf("the command is not in the log: a %s without its request", p.Kind))
	if p.PacketID != 0 {
		op.MsgID = int(p.PacketID)
	}
	return op
}

func fillConnect(op *Op, p *mqttstream.Packet) {
	op.ClientID, op.KeepAlive, op.Version = p.ClientID, int(p.KeepAlive), int(p.ProtocolVersion)
	clean := p.CleanSession
	op.Clean = &clean
	if p.HasUsername {
		op.Username = p.Username
	}
	if p.HasPassword {
		op.Password = string(p.Password)
	}
	if w := p.Will; w != nil {
		op.Will = &Will{Topic: w.Topic, Message: string(w.Message), QoS: int(w.QoS), Retain: w.Retain}
	}
}

func (m *sockMachine) connack(c *sockConn, p *mqttstream.Packet, refs []evRef, emit func(*Op)) {
	op := c.mqtt.connect
	c.mqtt.connect = nil
	if op == nil {
		op = m.orphan(c, OpConnect, p, refs)
	}
	op.HasConnack, op.Connack = true, p.ReturnCode
	c.mqtt.refused = int(p.ReturnCode)
	if p.ReturnCode == 0 {
		m.answer(op, p, refs, StatusOK, "", "", emit)
		return
	}
	m.answer(op, p, refs, StatusFailed, strconv.Itoa(int(p.ReturnCode)), "CONNACK "+connackReason(int(p.ReturnCode)), emit)
}

func (m *sockMachine) subscribe(c *sockConn, p *mqttstream.Packet, refs []evRef, emit func(*Op)) {
	kind, pending := OpSubscribe, c.mqtt.subs
	if p.Kind == mqttstream.Unsubscribe {
		kind, pending = OpUnsubscribe, c.mqtt.unsubs
	}
	op := m.packetOp(c, kind, p, refs)
	op.MsgID = int(p.PacketID)
	for _, t := range p.Topics {
		op.Topics = append(op.Topics, t.Topic)
		if kind == OpSubscribe {
			op.Requested = append(op.Requested, int(t.QoS))
		}
	}
	if len(op.Topics) > 0 {
		op.Topic = op.Topics[0]
		if kind == OpSubscribe {
			op.QoS = op.Requested[0]
		}
	}
	if old := pending[p.PacketID]; old != nil {
		m.finishOp(old, nil, StatusUnknown, "", "no answer before the packet id was used again", emit)
	}
	pending[p.PacketID] = op
}

func (m *sockMachine) suback(c *sockConn, p *mqttstream.Packet, refs []evRef, emit func(*Op)) {
	kind, pending := OpSubscribe, c.mqtt.subs
	if p.Kind == mqttstream.Unsuback {
		kind, pending = OpUnsubscribe, c.mqtt.unsubs
	}
	op := pending[p.PacketID]
	delete(pending, p.PacketID)
	if op == nil {
		op = m.orphan(c, kind, p, refs)
	}
	var refused []string
	for i, g := range p.Granted {
		op.Granted = append(op.Granted, int(g))
		if g == 0x80 {
			refused = append(refused, strArg(op.Topics, i))
		}
	}
	if kind == OpSubscribe && len(op.Topics) > 0 && len(p.Granted) != len(op.Topics) {
		op.addNote(Note{Kind: NoteMalformed, Text: fmt.Sprintf("the SUBACK has %d return codes for %d topics", len(p.Granted), len(op.Topics))})
	}
	if len(refused) > 0 {
		m.answer(op, p, refs, StatusFailed, "128", fmt.Sprintf("the broker refused the subscription to %q (SUBACK 0x80: not authorized or a bad filter)", refused), emit)
		return
	}
	m.answer(op, p, refs, StatusOK, "", "", emit)
}

// publish: the device's PUBLISH is a publish, the broker's a receive; QoS 0
// is complete at once, QoS 1 and 2 when acknowledged. A DUP copy of one
// awaiting its acknowledgement is a retry.
func (m *sockMachine) publish(c *sockConn, p *mqttstream.Packet, refs []evRef, emit func(*Op)) {
	kind, pending := OpPublish, c.mqtt.pubs
	if p.Dir == mqttstream.FromBroker {
		kind, pending = OpReceive, c.mqtt.recvs
	}
	if old := pending[p.PacketID]; old != nil && p.QoS > 0 {
		if p.Dup {
			old.Retries++
			addRefs(old, refs)
			return
		}
		m.finishOp(old, nil, StatusUnknown, "", "no acknowledgement before the packet id was used again", emit)
	}
	op := m.packetOp(c, kind, p, refs)
	fillPublish(op, p)
	if p.QoS == 0 {
		m.answer(op, nil, nil, StatusOK, "", "", emit)
		return
	}
	pending[p.PacketID] = op
}

func fillPublish(op *Op, p *mqttstream.Packet) {
	op.Topic, op.QoS, op.Retain = p.Topic, int(p.QoS), p.Retain
	op.Payload, op.PayloadLen = string(p.Payload), len(p.Payload)
	if p.QoS > 0 {
		op.MsgID = int(p.PacketID)
	}
}

// pubAck handles PUBACK, PUBREC, PUBREL and PUBCOMP in either direction:
// the broker's answer the device's publishes, the device's its receives.
func (m *sockMachine) pubAck(c *sockConn, p *mqttstream.Packet, refs []evRef, emit func(*Op)) {
	pending, kind := c.mqtt.pubs, OpPublish
	// PUBREL comes from the publisher, the other three from the receiver.
	if p.Dir == mqttstream.ToBroker && p.Kind != mqttstream.Pubrel || p.Kind == mqttstream.Pubrel && p.Dir == mqttstream.FromBroker {
		pending, kind = c.mqtt.recvs, OpReceive
	}
	op := pending[p.PacketID]
	final := p.Kind == mqttstream.Puback || p.Kind == mqttstream.Pubcomp
	if op == nil {
		op = m.orphan(c, kind, p, refs)
		if !final {
			pending[p.PacketID] = op
			addRefs(op, refs)
			return
		}
	}
	if !final {
		addRefs(op, refs)
		packetNotes(op, p)
		return
	}
	delete(pending, p.PacketID)
	if p.Kind == mqttstream.Pubcomp && op.QoS == 1 || p.Kind == mqttstream.Puback && op.QoS == 2 {
		op.addNote(Note{Kind: NoteMalformed, Text: fmt.Sprintf("a %s answers a QoS %d message", p.Kind, op.QoS)})
	}
	m.answer(op, p, refs, StatusOK, "", "", emit)
}

// abandon ends the ops still awaiting an answer when their socket goes:
// failed, abandoned by ev; or, when ev is nil, at the log's end.
func (q *sockMQTT) abandon(ev *decode.Event, why string, emit func(*Op)) {
	var ops []*Op
	if q.connect != nil {
		ops = append(ops, q.connect)
	}
	for _, pending := range []map[uint16]*Op{q.subs, q.unsubs, q.pubs, q.recvs} {
		ids := make([]int, 0, len(pending))
		for id := range pending {
			ids = append(ids, int(id))
		}
		slices.Sort(ids)
		for _, id := range ids {
			ops = append(ops, pending[uint16(id)])
		}
		clear(pending)
	}
	ops = append(ops, q.pings...)
	q.connect, q.pings = nil, nil
	for _, op := range ops {
		switch {
		case ev == nil:
			finishAtEnd(op)
		case op.Kind == OpReceive:
			op.finish(nil, StatusOK, "", "")
			op.noteAs(NoteRemark, fmt.Sprintf("the device never acknowledged it before the socket closed (line %d)", ev.Pos.Line))
		default:
			op.Abandoned, op.AbandonedBy, op.AbandonedLine = true, int32(ev.Seq), ev.Pos.Line
			op.finish(nil, StatusFailed, "", "abandoned: "+why+" before the answer")
		}
		emit(op)
	}
}
