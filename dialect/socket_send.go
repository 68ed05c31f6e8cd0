package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
	"atscope/mqttstream"
)

// sendCommand starts a send [docs/socket-dialects.md §1.2, §3.2, §4.2]:
//
//	AT+CIPSEND=<n> | =<id>,<n> (CIPMUX=1)   prompt, n bytes          SIMCom, ESP-AT
//	AT+CIPSEND | =<id> (CIPMUX=1)           prompt, bytes, Ctrl-Z     SIMCom
//	AT+CIPSENDEX=[<id>,]<n>                 prompt, n bytes           ESP-AT
//	AT+QISEND=<id>,<n> | =<id>              prompt, n bytes | Ctrl-Z  Quectel (=<id>,0 is a query)
//	AT+QISENDEX=<id>,"<hex>"                no prompt                 Quectel
func (m *sockMachine) sendCommand(ev *decode.Event, args []string, emit func(*Op)) {
	s := &sockSend{evs: []evRef{refOf(ev)}}
	w := &sockWant{send: true}
	switch ev.Name {
	case "+QISENDEX":
		s.link = intArg(args, 0, 0)
		data, err := mqttstream.ParseHex(strArg(args, 1))
		if err != nil {
			s.problem = "the hex payload does not read: " + err.Error()
		}
		s.payload, s.done = data, true
		m.send = s
		return
	case "+USOWR":
		// AT+USOWR=<socket>,<n>,"<data>" (text, or hex after AT+UDCONF=1,1),
		// or =<socket>,<n>, "@", n bytes [docs/socket-dialects.md §5].
		s.link, w.n, w.at = intArg(args, 0, 0), intArg(args, 1, 0), true
		if len(args) >= 3 {
			s.payload, s.done = []byte(unquote(args[2])), true
			if m.hexSend {
				data, err := mqttstream.ParseHex(strArg(args, 2))
				if err != nil {
					s.problem = "the hex payload does not read: " + err.Error()
				}
				s.payload = data
			}
			m.send = s
			return
		}
	case "+QISEND":
		s.link = intArg(args, 0, 0)
		if len(args) >= 2 && intArg(args, 1, -1) == 0 {
			return // AT+QISEND=<id>,0: how much was sent and acknowledged
		}
		w.hex = m.hexSend
		if len(args) < 2 {
			w.ctrlZ = true
		} else {
			w.n = intArg(args, 1, 0)
		}
	default: // +CIPSEND, +CIPSENDEX
		switch {
		case ev.Form != decode.FormWrite:
			w.ctrlZ = true
		case len(args) >= 2: // CIPMUX=1, or SIM7600's =<link>,<n>
			s.link, w.n = intArg(args, 0, 0), intArg(args, 1, 0)
			if strings.TrimSpace(args[1]) == "" {
				w.ctrlZ = true // SIM7600's =<link>, ends at Ctrl-Z
			}
		case m.mux:
			s.link, w.ctrlZ = intArg(args, 0, 0), true
		default:
			w.n = intArg(args, max(len(args)-1, 0), 0)
		}
	}
	w.link = s.link
	m.send = s
	m.startWant(w)
}

// commitSend writes the pending send's payload to its socket's stream: the
// module took it (SEND OK, DATA ACCEPT), or the log goes on without saying
// (ev nil). A send without its payload is dropped.
func (m *sockMachine) commitSend(ev *decode.Event, emit func(*Op)) {
	s := m.send
	if s == nil {
		return
	}
	m.send = nil
	if w := m.want; w != nil && w.send {
		m.want = nil
	}
	if !s.done {
		return
	}
	evs := s.evs
	if ev != nil {
		evs = append(evs, refOf(ev))
	}
	c := m.conn(s.link, evs)
	if s.problem != "" {
		c.notes = append(c.notes, Note{Kind: NoteMalformed, Text: s.problem})
	}
	if s.lost > 0 {
		c.notes = append(c.notes, shortNote(s.evs, len(s.payload), len(s.payload)+s.lost, "command"))
	}
	m.write(c, mqttstream.ToBroker, s.payload, s.lost, evs, emit)
}

// failSend reports a send the module refused: the packets in it never left.
// The op is the first packet's kind, decoded apart from the stream.
func (m *sockMachine) failSend(ev *decode.Event, code, reason string, emit func(*Op)) {
	s := m.send
	m.send, m.echo = nil, nil
	if w := m.want; w != nil && w.send {
		m.want = nil
	}
	if s == nil {
		return
	}
	kind, what := OpLink, "SEND"
	st := mqttstream.NewStream(mqttstream.ToBroker)
	st.Write(s.payload)
	st.Close()
	ps := st.Packets()
	if len(ps) > 0 {
		kind, what = sockOpKind(ps[0].Kind), ps[0].Kind.String()
	}
	op := m.op(s.link, kind, what)
	if kind == OpPublish {
		fillPublish(op, &ps[0])
	}
	for _, r := range s.evs {
		op.add(&r.ev)
	}
	if kind != OpPublish {
		op.PayloadLen = len(s.payload)
	}
	m.finishOp(op, ev, StatusFailed, code, reason+"; these bytes never reached the broker", emit)
}

// sockOpKind is the op kind a client packet starts.
func sockOpKind(k mqttstream.Kind) OpKind {
	switch k {
	case mqttstream.Connect:
		return OpConnect
	case mqttstream.Subscribe:
		return OpSubscribe
	case mqttstream.Unsubscribe:
		return OpUnsubscribe
	case mqttstream.Publish:
		return OpPublish
	case mqttstream.Disconnect:
		return OpDisconnect
	}
	return OpLink
}

// sendReport is SIM7500/SIM7600's "+CIPSEND: <link>,<req>,<cnf>" after the
// OK of a send: what the stack accepted [docs/socket-dialects.md §2.1].
func (m *sockMachine) sendReport(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	if len(args) < 3 || m.send == nil {
		return
	}
	req, cnf := intArg(args, 1, -1), intArg(args, 2, -1)
	if cnf >= 0 && cnf < req {
		m.noteConn(m.send.link, ev, Note{Kind: NoteRemark, Text: fmt.Sprintf("line %d: the module accepted %d of %d bytes (a short send)", ev.Pos.Line, cnf, req)})
	}
	m.commitSend(ev, emit)
}
