package dialect

import (
	"bytes"
	"fmt"
	"strings"

	"atscope/decode"
	"atscope/mqttstream"
)

// sockMachine decodes MQTT that an MCU library (PubSubClient over TinyGSM,
// WiFiEspAT, umqtt) builds itself and pushes through a module's generic TCP
// socket commands. It follows the sockets (open, send, receive, close), feeds
// each socket's bytes per direction into an mqttstream.Stream and turns the
// packets into ops (socket_mqtt.go). One machine serves the SIMCom CIP,
// Quectel and ESP-AT families: where their commands meet (AT+CIPSEND,
// +IPD, CLOSED) they mean the same.
//
// Payload bytes are taken from the events' Raw (every serial byte), counted
// by the machine (socket_bytes.go): a receive header's data has no line end
// after it, so the tokenizer may join the next line to it, and a command so
// hidden never reaches it as a command.
type sockMachine struct {
	tracker
	label string
	socks map[int]*sockConn
	mux   bool // CIPMUX=1: commands and results carry a link id
	// hexSend and hexRecv are Quectel's AT+QICFG="dataformat",<send>,<recv>.
	hexSend, hexRecv bool
	want             *sockWant // bytes the machine takes from the raw stream
	send             *sockSend // the send whose payload or result is awaited
	echo             []byte    // a payload whose echo by the module may follow
	opening          map[int]*Op
	closing          map[int]*Op
	shut             *Op // AT+CIPSHUT awaiting SHUT OK
	read             sockRead
	// waiting is what passive-mode notices ("+IPD,0,295") announced per
	// link and the host has not read yet.
	waiting map[int]int // unknownWaiting: announced without a size
	// okOpens are the links whose open completes with OK (u-blox USOCO
	// without the async flag); tlsSocks those with USOSEC TLS.
	okOpens, tlsSocks map[int]bool
	slmSock           int // the Nordic SLM's selected socket (#XSOCKET: <handle>)
	// wire is the bytes each link's streams got that no op has taken yet.
	wire map[int][]WireSegment
	// out is the emit of the current Feed or Close; wired is emitWired,
	// which gives each op its Wire before out.
	out, wired func(*Op)
	// tap, when set (by tests), sees every packet with its socket's link.
	tap func(link int, p *mqttstream.Packet)
}

// sockRead is the pending read command (AT+QIRD, AT+CIPRXGET=2|3,
// AT+CIPRECVDATA): its answer carries the data of this link.
type sockRead struct {
	link int
	hex  bool
	set  bool
}

// unknownWaiting marks a link whose module announced received data
// without its size (a buffered-mode notice): the host still has to read.
const unknownWaiting = -1

func newSockMachine(file, label string) *sockMachine {
	return &sockMachine{tracker: newTracker(file, label), label: label, socks: map[int]*sockConn{},
		opening: map[int]*Op{}, closing: map[int]*Op{}, waiting: map[int]int{},
		okOpens: map[int]bool{}, tlsSocks: map[int]bool{}, wire: map[int][]WireSegment{}}
}

func (m *sockMachine) Feed(ev *decode.Event, emit func(*Op)) {
	emit = m.withWire(emit)
	m.tick(ev, emit)
	if w := m.want; w != nil && m.wantTakes(w, ev, emit) {
		if ev.Kind == decode.KindData && ev.Length == decode.LengthShort {
			// The tokenizer found the payload short: its Text is what
			// there is, without the line end before the module's answer.
			m.feedBytes([]byte(ev.Text), ev, emit)
			if m.want == w {
				m.want = nil
				m.wantShort(w, ev, emit)
			}
			return
		}
		m.feedBytes(ev.Raw, ev, emit)
		return
	}
	if m.echo != nil && (ev.Kind == decode.KindText || ev.Kind == decode.KindResponse || ev.Kind == decode.KindData) {
		m.feedBytes(ev.Raw, ev, emit)
		return
	}
	m.echo = nil
	if isRecvName(ev.Name) {
		m.feedBytes(ev.Raw, ev, emit) // the header and its data, counted here
		return
	}
	before := m.want
	m.handle(ev, emit)
	if w := m.want; w != nil && w != before && !w.send {
		// A header line whose data follows ("+QIRD: 4"): the bytes after
		// its line end in Raw (blanks the tokenizer gave it) are data.
		if i := bytes.IndexByte(ev.Raw, '\n'); i >= 0 {
			m.feedBytes(ev.Raw[i+1:], ev, emit)
		}
	}
}

// isRecvName says whether a line of this name carries data after a header
// on the same line.
func isRecvName(name string) bool {
	return strings.HasPrefix(name, "+IPD") || name == "+RECEIVE" || name == "+CIPRECVDATA" || name == "+USORD"
}

// handle acts on one event (from the tokenizer, or a line the machine read
// from the raw bytes itself).
func (m *sockMachine) handle(ev *decode.Event, emit func(*Op)) {
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if m.command(ev) {
			return
		}
		m.commitSend(nil, emit)
		m.sockCommand(ev, emit)
	case decode.KindResult:
		m.result(ev, emit)
	case decode.KindResponse, decode.KindURC:
		m.sockLine(ev, emit)
	}
}

// sockCommand starts what a socket command does.
func (m *sockMachine) sockCommand(ev *decode.Event, emit func(*Op)) {
	if ev.Form == decode.FormRead || ev.Form == decode.FormTest {
		return
	}
	args := splitArgs(ev.Args, 0)
	switch ev.Name {
	case "+CIPMUX":
		m.mux = intArg(args, 0, 0) == 1
	case "+QICFG":
		if strArg(args, 0) == "dataformat" && len(args) >= 3 {
			m.hexSend, m.hexRecv = intArg(args, 1, 0) == 1, intArg(args, 2, 0) == 1
		}
	case "+CIPSTART", "+QIOPEN", "+CIPOPEN":
		m.openCommand(ev, args, emit)
	case "+CIPSEND", "+CIPSENDEX", "+QISEND", "+QISENDEX", "+USOWR":
		m.sendCommand(ev, args, emit)
	case "+USOCO":
		m.openCommand(ev, args, emit)
		if len(args) < 4 { // no async flag: OK is the connection
			m.okOpens[intArg(args, 0, 0)] = true
		}
	case "+UDCONF":
		if intArg(args, 0, -1) == 1 && len(args) >= 2 {
			m.hexSend = intArg(args, 1, 0) == 1
			m.hexRecv = m.hexSend
		}
	case "+USOSEC":
		if intArg(args, 1, 0) == 1 {
			m.tlsSocks[intArg(args, 0, 0)] = true
		}
	case "+CIPCLOSE", "+QICLOSE", "+USOCL":
		link := m.linkArg(args, ev.Name != "+CIPCLOSE")
		op := m.op(link, OpClose, ev.Name)
		op.add(ev)
		m.await(m.closing, link, op, emit)
	case "+CIPSHUT":
		if m.shut != nil {
			m.finishOp(m.shut, nil, StatusUnknown, "", "the log shows no answer before the next AT+CIPSHUT", emit)
		}
		m.shut = m.op(0, OpClose, ev.Name)
		m.shut.add(ev)
	case "+QIRD", "+CIPRECVDATA":
		m.read = sockRead{link: intArg(args, 0, 0), hex: m.hexRecv, set: true}
	case "+CIPRXGET":
		m.rxget(args)
	default:
		m.slmCommand(ev, args, emit)
	}
}

// linkArg is the link id of a command whose first argument is the id when
// several connections are on (always for Quectel).
func (m *sockMachine) linkArg(args []string, always bool) int {
	if (m.mux || always) && len(args) > 0 {
		return intArg(args, 0, 0)
	}
	return 0
}

// rxget reads AT+CIPRXGET=<mode>[,<id>][,<len>]: modes 2 and 3 read
// (3 as hex) [docs/socket-dialects.md §1.4].
func (m *sockMachine) rxget(args []string) {
	mode := intArg(args, 0, -1)
	if mode != 2 && mode != 3 {
		return
	}
	link := 0
	if m.mux && len(args) >= 3 {
		link = intArg(args, 1, 0)
	}
	m.read = sockRead{link: link, hex: mode == 3, set: true}
}

// openCommand starts an open: AT+CIPSTART=[<id>,]"TCP"|"SSL","<host>",<port>
// or AT+QIOPEN=<ctx>,<id>,"TCP","<host>",<port>[,<local>[,<mode>]]
// or AT+USOCO=<socket>,"<host>",<port>[,<async>].
func (m *sockMachine) openCommand(ev *decode.Event, args []string, emit func(*Op)) {
	link, rest := 0, args
	switch {
	case ev.Name == "+QIOPEN":
		link, rest = intArg(args, 1, 0), from(args, 2)
	case ev.Name == "+USOCO":
		link, rest = intArg(args, 0, 0), append([]string{`"TCP"`}, from(args, 1)...)
	default:
		if _, isID := atoi(strArg(args, 0)); isID {
			link, rest = intArg(args, 0, 0), from(args, 1)
		}
	}
	op := m.op(link, OpOpen, ev.Name)
	op.TLS = m.tlsSocks[link]
	op.add(ev)
	op.Host, op.Port = strArg(rest, 1), intArg(rest, 2, 0)
	switch proto := strArg(rest, 0); proto {
	case "SSL":
		op.TLS = true
	case "UDP":
		op.noteAs(NoteDeviation, "a UDP socket: MQTT needs TCP")
	}
	if ev.Name == "+QIOPEN" && intArg(args, 6, 0) == 2 {
		op.noteAs(NoteRemark, "access mode 2 (transparent): the data is not framed by commands and is not decoded")
	}
	m.await(m.opening, link, op, emit)
}

// await makes op the one of link in ops (opening or closing) until its
// result; one still there is ended: the log shows no answer to it.
func (m *sockMachine) await(ops map[int]*Op, link int, op *Op, emit func(*Op)) {
	if old := ops[link]; old != nil {
		m.finishOp(old, nil, StatusUnknown, "", "the log shows no answer before the next attempt", emit)
	}
	ops[link] = op
}

// result handles a final result code.
func (m *sockMachine) result(ev *decode.Event, emit func(*Op)) {
	m.tracker.result(ev, emit)
	link, word, linked := sockLinkWord(ev.Text)
	if !linked {
		word = ev.Name
		link = m.resultLink()
	}
	switch word {
	case "SEND OK", "DATA ACCEPT":
		m.commitSend(ev, emit)
	case "SEND FAIL":
		m.failSend(ev, "SEND FAIL", "the module could not send the data (the connection is down or its buffer full)", emit)
	case "CLOSE OK":
		m.closed(link, ev, emit)
	case "SHUT OK":
		m.shutDown(ev, emit)
	case "OK":
		m.okResult(ev, emit)
	default: // ERROR, +CME ERROR
		code, reason := resultReason(ev.Name, ev.Args)
		switch {
		case m.send != nil:
			m.failSend(ev, code, reason, emit)
		case m.closing[link] != nil:
			op := m.closing[link]
			delete(m.closing, link)
			m.finishOp(op, ev, StatusFailed, code, reason, emit)
		case m.opening[link] != nil:
			op := m.opening[link]
			delete(m.opening, link)
			m.finishOp(op, ev, StatusFailed, code, reason, emit)
		}
	}
	m.read = sockRead{}
}

// resultLink is the link a result without a link id answers for: the
// pending send's, or the lowest one being closed or opened (a result names
// no link: commands wait for their result one at a time).
func (m *sockMachine) resultLink() int {
	if m.send != nil {
		return m.send.link
	}
	for _, ops := range []map[int]*Op{m.closing, m.opening} {
		if len(ops) > 0 {
			return lowestKey(ops)
		}
	}
	return 0
}

// okResult: OK answers an ESP-AT open after CONNECT, a Quectel close, an
// ESP-AT close after CLOSED; for other commands it is only a line of the op.
func (m *sockMachine) okResult(ev *decode.Event, emit func(*Op)) {
	link := m.resultLink()
	if op := m.closing[link]; op != nil {
		m.closed(link, ev, emit)
		return
	}
	if op := m.opening[link]; op != nil {
		if m.okOpens[link] {
			delete(m.okOpens, link)
			m.opened(link, ev, emit)
			return
		}
		op.add(ev)
	}
}

// sockLine handles a response or URC.
func (m *sockMachine) sockLine(ev *decode.Event, emit func(*Op)) {
	link, word, linked := sockLinkWord(ev.Text)
	if !linked {
		word = ev.Name
	}
	switch word {
	case "CONNECT OK", "CONNECT":
		m.opened(link, ev, emit)
	case "CONNECT FAIL", "ALREADY CONNECT", "ALREADY CONNECTED":
		m.openFailed(link, ev, word, emit)
	case "CLOSED":
		m.closed(link, ev, emit)
	case "+QIOPEN", "+CIPOPEN":
		args := splitArgs(ev.Args, 0)
		link := intArg(args, 0, 0)
		if err := intArg(args, 1, -1); err == 0 {
			m.opened(link, ev, emit)
		} else {
			m.openFailed(link, ev, ev.Args, emit)
		}
	case "+QIURC":
		m.qiurc(ev, emit)
	case "+UUSOCL":
		m.closed(intArg(splitArgs(ev.Args, 0), 0, 0), ev, emit)
	case "+UUSOCO":
		args := splitArgs(ev.Args, 0)
		if err := intArg(args, 1, -1); err == 0 {
			m.opened(intArg(args, 0, 0), ev, emit)
		} else {
			m.openFailed(intArg(args, 0, 0), ev, ev.Args, emit)
		}
	case "+USOWR":
		m.commitSend(ev, emit)
	case "+IPCLOSE":
		m.closed(intArg(splitArgs(ev.Args, 0), 0, 0), ev, emit)
	case "+CIPSEND":
		m.sendReport(ev, emit)
	case "+CIPEVENT":
		m.linkLost(ev, "the network closed the PDP context (+CIPEVENT: NETWORK CLOSED UNEXPECTEDLY): every socket is gone", emit)
	case "+QIRD", "+CIPRXGET":
		m.readAnswer(ev, emit)
	case "#XSOCKET", "#XSSOCKET", "#XCONNECT", "#XSEND", "#XRECV", "#XCLOSE":
		m.slmLine(ev, emit)
	case "+PDP":
		m.linkLost(ev, "the network dropped the bearer (+PDP: DEACT): every socket is gone", emit)
	}
}

// qiurc handles Quectel's +QIURC: "recv",<id>[,<n>] and "closed",<id>.
func (m *sockMachine) qiurc(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	link := intArg(args, 1, 0)
	switch strArg(args, 0) {
	case "recv":
		if len(args) >= 3 {
			m.startWant(&sockWant{n: max(intArg(args, 2, 0), 0), hex: m.hexRecv, link: link, eol: true, evs: []evRef{refOf(ev)}})
		} else if m.waiting[link] == 0 {
			m.waiting[link] = unknownWaiting // buffer mode: the host reads it with AT+QIRD
		}
	case "closed":
		m.closed(link, ev, emit)
	}
}

// readAnswer handles "+QIRD: <n>" and "+CIPRXGET: 2|3,[<id>,]<n>,<left>",
// whose data follows on the next line.
func (m *sockMachine) readAnswer(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	link, hex := m.read.link, m.read.hex
	n := -1
	mode := intArg(args, 0, 0)
	switch {
	case ev.Name == "+QIRD" && len(args) == 1:
		n = intArg(args, 0, -1)
		if n == 0 {
			delete(m.waiting, link) // "+QIRD: 0": the buffer is empty
		}
	case ev.Name == "+CIPRXGET" && len(args) >= 3 && (mode == 2 || mode == 3):
		hex = mode == 3
		if len(args) >= 4 {
			link = intArg(args, 1, link)
		}
		n = intArg(args, max(len(args)-2, 0), -1)
		// <left> is what stays in the module after this read; the read's
		// own bytes come off when they arrive (wantDone).
		m.waiting[link] = max(intArg(args, len(args)-1, 0), 0) + max(n, 0)
	case ev.Name == "+CIPRXGET" && mode == 1 && m.waiting[intArg(args, 1, 0)] == 0:
		m.waiting[intArg(args, 1, 0)] = unknownWaiting // data came: the host must read it
	case ev.Name == "+CIPRXGET" && mode == 4 && len(args) >= 2:
		l := 0 // "+CIPRXGET: 4[,<id>],<unread>"
		if len(args) >= 3 {
			l = intArg(args, 1, 0)
		}
		m.waiting[l] = max(intArg(args, len(args)-1, 0), 0)
	}
	if n <= 0 {
		return
	}
	if !m.read.set {
		m.noteConn(link, ev, Note{Kind: NoteRemark, Text: fmt.Sprintf("line %d: a read answer without its command in the log", ev.Pos.Line)})
	}
	m.startWant(&sockWant{n: n, hex: hex, link: link, eol: true, untilOK: ev.Name == "+CIPRXGET", evs: []evRef{refOf(ev)}})
}

// finishOp gives op its outcome and emits it.
func (m *sockMachine) finishOp(op *Op, ev *decode.Event, st Status, code, reason string, emit func(*Op)) {
	op.finish(ev, st, code, reason)
	emit(op)
}

func (m *sockMachine) Close(emit func(*Op)) {
	emit = m.withWire(emit)
	if w := m.want; w != nil {
		m.want = nil
		m.wantShort(w, nil, emit)
	}
	m.commitSend(nil, emit)
	for _, link := range sortedKeys(m.socks) {
		m.dropConn(m.socks[link], nil, "", emit)
	}
	for _, ops := range []map[int]*Op{m.opening, m.closing} {
		for _, link := range sortedKeys(ops) {
			op := ops[link]
			finishAtEnd(op)
			emit(op)
		}
	}
	if m.shut != nil {
		finishAtEnd(m.shut)
		emit(m.shut)
	}
	m.close(emit)
}
