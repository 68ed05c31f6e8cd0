package dialect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// tableMachine runs a dialect from its Facts alone, for command sets made
// only of the common shapes:
//
//   - a command whose row has an Op starts an op, its fields read from the
//     argument roles (client, host, port, client ID, user, password, topic,
//     QoS, retain, msgid, payload and its length, keep-alive, clean);
//   - ResultFinal: the final result code is the outcome;
//   - ResultURC: OK, then a URC with the command's name; its number at the
//     row's CodeField is 0 (or a Normal code) for success, else a failure
//     explained by the row's Codes;
//   - ResultPrompt: the prompt and the counted payload join the op (the
//     dialect's Hooks say how long the payload is), then as ResultURC when
//     a URC row of the same name exists, else as ResultFinal;
//   - a URC row with ResultUnsolicited is an op of its own: a receive with
//     its fields from the roles, or a link loss that abandons the client's
//     open ops.
//
// A vendor with odd shapes (buffered receives, multi-URC receives, data
// mode) keeps its own machine, built on the same tracker.
type tableMachine struct {
	tracker
	facts    *Facts
	deadline time.Duration
}

// newTableMachine returns a machine for one log of dialect name, whose
// results may take up to deadline (0: no limit).
func newTableMachine(file, name string, f *Facts, deadline time.Duration) *tableMachine {
	return &tableMachine{tracker: newTracker(file, name), facts: f, deadline: deadline}
}

// tableMachineFor is the NewMachine of a dialect that the table machine
// runs: NewMachine: tableMachineFor("xmq", 60*time.Second). It finds the
// dialect's Facts when a log starts, by name, so that the dialect's
// declaration need not refer to itself.
func tableMachineFor(name string, deadline time.Duration) func(file string) Machine {
	return func(file string) Machine {
		d, _ := Lookup(name)
		return newTableMachine(file, name, &d.Facts, deadline)
	}
}

func (m *tableMachine) Feed(ev *decode.Event, emit func(*Op)) {
	m.tick(ev, emit)
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if !m.command(ev) {
			m.start(ev)
		}
	case decode.KindPrompt:
		m.attach(ev)
	case decode.KindData:
		m.takePayload(ev)
	case decode.KindResult:
		m.result(ev, emit)
	case decode.KindResponse, decode.KindURC:
		m.line(ev, emit)
	}
}

func (m *tableMachine) Close(emit func(*Op)) { m.close(emit) }

// takePayload is the payload step of the prompt shape, shared by the table
// machine and the vendor machines whose payload is nothing odd: the counted
// payload joins the pending command's op, a length that disagrees with the
// command's is noted, and a problem the tokenizer found (cut short, never
// ended) is noted. It returns the op, or nil when no command awaits a payload.
func (t *tracker) takePayload(ev *decode.Event) *Op {
	op := t.attach(ev)
	if op == nil {
		return nil
	}
	if op.PayloadLen >= 0 && op.PayloadLen != len(ev.Text) && ev.Problem == "" {
		op.noteLength(len(ev.Text), op.PayloadLen, fmt.Sprintf("payload is %d bytes, the command says %d", len(ev.Text), op.PayloadLen))
	}
	op.Payload, op.PayloadLen, op.Sent = ev.Text, len(ev.Text), ev.Time
	if ev.Problem != "" {
		op.noteProblem(ev)
	}
	return op
}

// row finds the row of name that is (urc) or is not a URC.
func (m *tableMachine) row(name string, urc bool) *Command { return m.facts.row(name, urc) }

// row finds the row of name that is (urc) or is not a URC, or nil.
func (f *Facts) row(name string, urc bool) *Command {
	for i := range f.Commands {
		if c := &f.Commands[i]; c.Name == name && c.URC == urc {
			return c
		}
	}
	return nil
}

// resultByURC reports whether a URC of the command's own name brings its
// outcome: the result-URC shape, and the prompt shape that ends as it.
func (c *Command) resultByURC() bool { return c.Result == ResultURC || c.Result == ResultPrompt }

// start begins the op of a command whose row names one.
func (m *tableMachine) start(ev *decode.Event) {
	c := m.row(ev.Name, false)
	if c == nil || c.NotOp || ev.Form == decode.FormRead || ev.Form == decode.FormTest {
		return
	}
	args := splitArgs(ev.Args, len(c.Args))
	op := m.op(0, c.Op, ev.Name)
	fillFromRoles(op, c.roles(args), args)
	async := c.Result == ResultURC || c.Result == ResultPrompt && m.row(ev.Name, true) != nil
	m.begin(op, async, m.deadline)
}

// line handles a response or URC: the result URC of an open op, or an
// unsolicited line that is an op of its own.
func (m *tableMachine) line(ev *decode.Event, emit func(*Op)) {
	if c := m.row(ev.Name, false); c != nil && c.resultByURC() {
		m.outcome(c, ev, emit)
		return
	}
	c := m.row(ev.Name, true)
	if c == nil || c.NotOp || c.Result != ResultUnsolicited {
		return
	}
	args := splitArgs(ev.Args, len(c.Args))
	op := m.op(0, c.Op, ev.Name)
	fillFromRoles(op, c.roles(args), args)
	if c.Op != OpLink {
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	code, reason, st := m.verdict(c, args)
	m.single(op, ev, st, code, reason, emit)
	m.abandon(func(o *Op) bool { return o.Client == op.Client },
		"abandoned: "+ev.Name+" "+strings.TrimSpace(ev.Args), ev, emit)
}

// outcome completes the open op a result URC answers: the oldest of the
// same command and client.
func (m *tableMachine) outcome(c *Command, ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	client, fields := 0, args
	for i, r := range c.roles(args) {
		if r == ArgClient {
			client, fields = intArg(args, i, 0), args[min(i+1, len(args)):]
			break
		}
	}
	op := m.find(func(o *Op) bool { return o.Name == ev.Name && o.Client == client })
	if op == nil {
		op = m.unlogged(client, c.Op, ev.Name)
		m.open = append(m.open, op)
	}
	code, reason, st := m.verdict(c, fields)
	m.complete(op, ev, st, code, reason, emit)
}

// verdict reads a result's code from fields at the row's CodeField.
func (m *tableMachine) verdict(c *Command, fields []string) (code, reason string, st Status) {
	i := c.CodeField
	if i < 0 {
		i += len(fields)
	}
	n, ok := atoi(strArg(fields, i))
	if !ok {
		return "", "", StatusUnknown
	}
	reason, st = codeVerdict(c.Codes, n)
	return strArg(fields, i), reason, st
}

// codeVerdict reads a numeric result code by its table: 0, or a code the
// table calls normal, is success; any other a failure, with the table's
// meaning or "not in the manual".
func codeVerdict(codes []Code, n int) (reason string, st Status) {
	row, known := findCode(codes, n)
	switch {
	case n == 0 || known && row.Normal:
		return "", StatusOK
	case known:
		return row.Meaning, StatusFailed
	}
	return "result " + strconv.Itoa(n) + " (not in the manual)", StatusFailed
}

// unlogged starts the op that a result URC alone shows: echo off and the
// command line not captured.
func (t *tracker) unlogged(client int, kind OpKind, name string) *Op {
	op := t.op(client, kind, name)
	op.noteAs(NoteNotLogged, "the command is not in the log; the result URC alone shows the operation")
	return op
}

// fillFromRoles sets the fields of op that the arguments' roles name.
func fillFromRoles(op *Op, roles []ArgRole, args []string) {
	for i, r := range roles {
		if i >= len(args) {
			break
		}
		s, n := strArg(args, i), intArg(args, i, -1)
		switch r {
		case ArgClient:
			op.Client = max(n, 0)
		case ArgHost:
			op.Host = s
		case ArgPort:
			op.Port = max(n, 0)
		case ArgClientID:
			op.ClientID = s
		case ArgUser:
			op.Username = s
		case ArgPassword:
			op.Password = s
		case ArgTopic:
			op.Topic, op.Topics = s, append(op.Topics, s)
		case ArgQoS:
			op.QoS = n
		case ArgRetain:
			op.Retain = n == 1
		case ArgMsgID:
			op.MsgID = n
		case ArgPayloadLen:
			op.PayloadLen = n
		case ArgPayload:
			op.Payload, op.PayloadLen = s, len(s)
		case ArgKeepAlive:
			op.KeepAlive = n
		case ArgClean:
			clean := n == 1
			op.Clean = &clean
		}
	}
}
