package dialect

import (
	"fmt"

	"atscope/decode"
)

// simcomLoaders maps each loading command to the op it loads for.
var simcomLoaders = map[string]OpKind{
	"+CMQTTTOPIC": OpPublish, "+CMQTTPAYLOAD": OpPublish,
	"+CMQTTSUBTOPIC": OpSubscribe, "+CMQTTUNSUBTOPIC": OpUnsubscribe,
	"+CMQTTWILLTOPIC": OpConnect, "+CMQTTWILLMSG": OpConnect,
}

// simcomLoad is the loading command that awaits its final result.
type simcomLoad struct {
	op     *Op
	name   string
	client int
	qos    int
	code   string // from a "+CMQTTTOPIC: i,<err>" line before ERROR
}

// dropStaged ends the ops whose buffers were loaded but never acted on.
func (m *simcomMachine) dropStaged(c *simcomClient, st Status, why string, emit func(*Op)) {
	for _, k := range []OpKind{OpConnect, OpSubscribe, OpUnsubscribe, OpPublish} {
		if op := c.staged[k]; op != nil {
			if m.load != nil && m.load.op == op {
				m.load = nil
			}
			op.finish(nil, st, "", why)
			emit(op)
			delete(c.staged, k)
		}
	}
}

// stage handles a loading command: its lines join the op that will act on
// the buffer it loads.
func (m *simcomMachine) stage(ev *decode.Event, args []string, idx int, c *simcomClient) {
	kind := simcomLoaders[ev.Name]
	op := c.staged[kind]
	if op == nil {
		op = m.op(idx, kind, ev.Name)
		c.staged[kind] = op
		m.badIndex(op, args)
	}
	lowerCase(op, ev)
	op.add(ev)
	if m.cmd != nil {
		m.cmd.op = op
	}
	qos := -1
	if ev.Name == "+CMQTTSUBTOPIC" || ev.Name == "+CMQTTWILLMSG" {
		qos = intArg(args, 2, -1)
		if qos < 0 || qos > 2 {
			op.noteAs(NoteDeviation, fmt.Sprintf("%s without a valid QoS (the manual's syntax is <client_index>,<req_length>,<qos>)", ev.Name))
		}
	}
	if _, ok := countFraming(strArg(args, 1)); !ok {
		op.noteAs(NoteDeviation, fmt.Sprintf("%s without a length (the manual's syntax is <client_index>,<req_length>...)", ev.Name))
	}
	m.load = &simcomLoad{op: op, name: ev.Name, client: idx, qos: qos}
}

// activate returns the staged op of kind for the command ev that acts on
// it, or a new op when nothing was loaded.
func (m *simcomMachine) activate(c *simcomClient, kind OpKind, ev *decode.Event) *Op {
	var buf [2]string
	idx := intArg(appendArgs(buf[:0], ev.Args, 2), 0, 0)
	op := c.staged[kind]
	delete(c.staged, kind)
	if op == nil {
		op = m.op(idx, kind, ev.Name)
	} else {
		// Latency runs from the acting command (the tracker moves this to
		// its OK), not from the first loading command.
		op.Name = ev.Name
		op.Sent = ev.Time
	}
	lowerCase(op, ev)
	return op
}

// payload takes the bytes after a prompt into the op of their command.
func (m *simcomMachine) payload(op *Op, ev *decode.Event) {
	name := ""
	if m.load != nil && m.load.op == op {
		name = m.load.name
	} else if m.cmd != nil {
		name = m.cmd.ev.Name
	}
	if ev.Problem != "" {
		n := problemNote(ev)
		n.Text = "AT" + name + " data: " + n.Text
		op.addNote(n)
	}
	switch name {
	case "+CMQTTTOPIC":
		if op.Topic != "" {
			op.noteAs(NoteRemark, "topic loaded twice before the publish; the last one counts")
		}
		op.Topic = ev.Text
	case "+CMQTTPAYLOAD":
		if op.PayloadLen >= 0 {
			op.noteAs(NoteRemark, "payload loaded twice before the publish; the last one counts")
		}
		op.Payload, op.PayloadLen = ev.Text, len(ev.Text)
	case "+CMQTTPUB":
		op.Payload, op.PayloadLen = ev.Text, len(ev.Text)
	case "+CMQTTSUBTOPIC", "+CMQTTUNSUBTOPIC", "+CMQTTSUB", "+CMQTTUNSUB":
		op.Topics = append(op.Topics, ev.Text)
		if op.Kind == OpSubscribe {
			qos := -1
			if m.load != nil && m.load.op == op {
				qos = m.load.qos
			} else if m.cmd != nil {
				qos = intArg(splitArgs(m.cmd.ev.Args, 0), 2, -1)
			}
			op.Requested = append(op.Requested, qos)
		}
		m.topicsChanged(op)
	case "+CMQTTWILLTOPIC", "+CMQTTWILLMSG":
		c := m.client(op.Client)
		if c.will == nil {
			c.will = &Will{QoS: -1}
		}
		if name == "+CMQTTWILLTOPIC" {
			c.will.Topic = ev.Text
		} else {
			c.will.Message, c.will.QoS = ev.Text, m.load.qos
		}
	}
}

// loadResult ends a loading command: OK keeps its op staged; an error
// fails the publish or subscription it was loading for. A failed will
// load only leaves the will unset.
func (m *simcomMachine) loadResult(l *simcomLoad, ev *decode.Event, emit func(*Op)) {
	op := l.op
	op.add(ev)
	op.state.answered = true
	if ev.Name == "OK" {
		return
	}
	code, reason := resultReason(ev.Name, ev.Args)
	if l.code != "" {
		n, _ := atoi(l.code)
		code, reason = l.code, simcomErrReason(n)
	}
	what := "AT" + l.name + " failed, " + reason
	c := m.client(l.client)
	if op.Kind == OpConnect {
		op.note(what + " (the will is not set)")
		c.will = nil
		return
	}
	if c.staged[op.Kind] == op {
		delete(c.staged, op.Kind)
	}
	if l.code != "" {
		op.CodeFrom = CodeVendor // the loading command's own <err>
	}
	op.finish(ev, StatusFailed, code, what)
	emit(op)
}
