package dialect

import (
	"fmt"

	"atscope/decode"
)

// rxData adds a topic or payload chunk to a receive.
func (m *simcomMachine) rxData(op *Op, topic bool, ev *decode.Event) {
	op.add(ev)
	if ev.Problem != "" {
		op.noteProblem(ev)
	}
	if topic {
		op.Topic += ev.Text
	} else {
		op.Payload += ev.Text
	}
}

// rxEnd completes the receive of client idx at +CMQTTRXEND, checking the
// chunks against the totals +CMQTTRXSTART announced.
func (m *simcomMachine) rxEnd(ev *decode.Event, idx int, emit func(*Op)) {
	c := m.client(idx)
	op := c.rx
	c.rx = nil
	if op == nil {
		op = m.op(idx, OpReceive, ev.Name)
		op.noteAs(NoteRemark, "only +CMQTTRXEND is in the log: the message's start, topic and payload are missing")
		m.single(op, ev, StatusUnknown, "", "the log does not show the message", emit)
		return
	}
	if c.rxTopicLen >= 0 && len(op.Topic) != c.rxTopicLen {
		op.noteLength(len(op.Topic), c.rxTopicLen, fmt.Sprintf("topic is %d bytes, +CMQTTRXSTART says %d", len(op.Topic), c.rxTopicLen))
	}
	if c.rxPayloadLen >= 0 && len(op.Payload) != c.rxPayloadLen {
		op.noteLength(len(op.Payload), c.rxPayloadLen, fmt.Sprintf("payload is %d bytes, +CMQTTRXSTART says %d", len(op.Payload), c.rxPayloadLen))
	}
	if c.rxTopicParts == 0 {
		op.noteAs(NoteRemark, "no +CMQTTRXTOPIC in the message")
	}
	if c.rxPayloadLen < 0 {
		op.PayloadLen = len(op.Payload)
	}
	m.single(op, ev, StatusOK, "", "", emit)
}

// recv handles the single-line A76xx form +CMQTTRECV: <idx>,"<topic>",<n>,
// "<payload>". <n> is the payload length in every captured example; one
// document calls it the QoS, so a small <n> that does not match is read as
// that.
func (m *simcomMachine) recv(ev *decode.Event, emit func(*Op)) {
	f := splitArgs(ev.Args, 4)
	op := m.op(leadInt(strArg(f, 0), 0), OpReceive, ev.Name)
	if len(f) > 1 {
		if !isQuoted(f[1]) {
			op.noteAs(NoteDeviation, "topic not in quotes")
		}
		op.Topic = unquote(f[1])
	}
	if len(f) > 3 {
		op.Payload = unquote(f[3])
		op.PayloadLen = len(op.Payload)
		if n, ok := atoi(f[2]); ok && n != op.PayloadLen {
			if n >= 0 && n <= 2 {
				op.QoS = n
				op.noteAs(NoteRemark, fmt.Sprintf("third field %d is not the payload length (%d bytes); read as the QoS", n, op.PayloadLen))
			} else {
				op.noteLength(op.PayloadLen, n, fmt.Sprintf("payload is %d bytes, length says %d", op.PayloadLen, n))
			}
		}
	} else {
		op.noteAs(NoteRemark, "no payload field")
	}
	m.single(op, ev, StatusOK, "", "", emit)
}
