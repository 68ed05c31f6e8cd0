package dialect

import (
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// Luat / AirM2M AT+M* (Air724UG, Air780E/EP/EX/EPS/EQ, Air700E, Air201,
// Air720). Sources: openLuat Air780EP MQTT/MQTTS AT guide (luatos-doc-pool
// 20240725_air780ep_at_mqtts.md) and the Air780E AT command manual, MQTT
// chapter (dialects.md §6). One connection (client 0). Each command answers
// OK ("accepted"); the outcome is a later bare line named after the MQTT
// packet, correlated by order because there are no ids (§6.1).
//
// The manual gives no maximum response times. Deadlines follow dialects.md
// §1.7 (CONNACK-type results take 5-75 s): 75 s for CONNECT OK and CONNACK
// OK, 30 s for the acknowledgements of subscribe, unsubscribe and publish.
var luat = &Dialect{
	Name:       "luat",
	Doc:        "Luat/AirM2M AT+M* MQTT client (one connection; OK, then bare CONNECT OK, CONNACK OK, SUBACK, PUBACK lines)",
	Modules:    "Air724UG, Air780E/EP/EX/EPS/EQ, Air700E, Air201, Air720",
	Evidence:   luatEvidence,
	Hooks:      luatHooks{},
	NewMachine: func(file string) Machine { return newLuat(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "+MCONFIG", NotOp: true, Args: []ArgRole{ArgClientID, ArgUser, ArgPassword, ArgQoS, ArgRetain, ArgTopic, ArgPayload}, Cite: "§6.2: =id[,user,pass[,wq,wr,\"wt\",\"wm\"]]: OK; client ID, credentials, will feed the connect"},
			{Name: "+MIPSTART", Op: OpOpen, Result: ResultLine, Args: []ArgRole{ArgHost, ArgPort}, Cite: "§6.2, §6.3: =\"host\",port: OK, then CONNECT OK | ALREADY CONNECT | CONNECT FAIL"},
			{Name: "+SSLMIPSTART", Op: OpOpen, Result: ResultLine, Args: []ArgRole{ArgHost, ArgPort}, Cite: "§6.2: as MIPSTART, over TLS"},
			{Name: "+MCONNECT", Op: OpConnect, Result: ResultLine, Args: []ArgRole{ArgClean, ArgKeepAlive}, Cite: "§6.2: =<clean>,<keepalive>: OK, then CONNACK OK (failure text unconfirmed: any other CONNACK line, or CLOSED)"},
			{Name: "+MSUB", Op: OpSubscribe, Result: ResultLine, Args: []ArgRole{ArgTopic, ArgQoS}, Cite: "§6.2: =\"topic\",<qos>: OK, then SUBACK; the URC +MSUB: \"t\",<n> byte,<p> is a receive, +MSUB: <slot> a cached one (§6.3)"},
			{Name: "+MUNSUB", Op: OpUnsubscribe, Result: ResultLine, Args: []ArgRole{ArgTopic}, Cite: "§6.2: =\"topic\": OK, then UNSUBACK"},
			{Name: "+MPUB", Op: OpPublish, Result: ResultLine, Args: []ArgRole{ArgTopic, ArgQoS, ArgRetain, ArgPayload}, Cite: "§6.2: =\"t\",<qos>,<ret>,\"msg\": QoS 0: OK; 1: OK, PUBACK; 2: OK, PUBREC, PUBCOMP; inline with \\22 \\0D \\0A"},
			{Name: "+MPUBEX", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgTopic, ArgQoS, ArgRetain, ArgPayloadLen}, Data: ArgPayload, Cite: "§6.2, §6.5: =\"t\",<qos>,<ret>[,len]: >, payload (length, or Ctrl-Z/idle), OK, then as MPUB"},
			{Name: "+MQTTMSGSET", NotOp: true, Cite: "§6.2: =<mode>: OK; 1 caches received messages in 4 slots"},
			{Name: "+MQTTMSGGET", NotOp: true, Cite: "§6.2: read-out: +MSUB:<topic>,<n> byte,<payload> lines, OK"},
			{Name: "+MQTTSTATU", NotOp: true, Cite: "§6.2: +MQTTSTATU :<state>, OK (0 offline, 1 up, 2 TCP only)"},
			{Name: "+MQTTMODE", NotOp: true, Cite: "§6.2: =<0|1>: OK; 1 = hex payloads (unconfirmed)"},
			{Name: "+MQTTTMOUT", NotOp: true, Cite: "§6.2"},
			{Name: "+MDISCONNECT", Op: OpDisconnect, Result: ResultFinal, Cite: "§6.2: OK (the TCP link stays open)"},
			{Name: "+MIPCLOSE", Op: OpClose, Result: ResultFinal, Cite: "§6.2, §6.4: OK; after a remote close ERROR or +CME ERROR: 767, to be ignored"},
			{Name: "CONNECT OK", URC: true, NotOp: true, Cite: "§6.3: the TCP (or TLS) link is up"},
			{Name: "ALREADY CONNECT", URC: true, NotOp: true, Cite: "§6.3: a TCP link is already open",
				Advice: "A TCP link is already open: send AT+MIPCLOSE first, or go on with AT+MCONNECT."},
			{Name: "CONNECT FAIL", URC: true, NotOp: true, Cite: "§6.3: the TCP connect failed (driver-observed)",
				Advice: "Check the host and port of AT+MIPSTART, and that the module is attached (AT+CGATT? answers 1) before it."},
			{Name: "CONNACK OK", URC: true, NotOp: true, Cite: "§6.3: the broker accepted the CONNECT"},
			{Name: "CONNACK", URC: true, NotOp: true, Cite: "§6.3: any other CONNACK line: the broker refused (failure text unconfirmed)",
				Advice: "The broker refused the CONNECT: check the client ID, user name and password of AT+MCONFIG."},
			{Name: "SUBACK", URC: true, NotOp: true, Cite: "§6.3"},
			{Name: "UNSUBACK", URC: true, NotOp: true, Cite: "§6.3"},
			{Name: "PUBACK", URC: true, NotOp: true, Cite: "§6.3: QoS 1 acknowledgement"},
			{Name: "PUBREC", URC: true, NotOp: true, Cite: "§6.3: QoS 2, first half"},
			{Name: "PUBCOMP", URC: true, NotOp: true, Cite: "§6.3: QoS 2, second half"},
			{Name: "CLOSED", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§6.3: TCP closed by the peer or the network; open ops are abandoned",
				Advice: "Recover as the vendor describes: AT+MIPCLOSE (ignore its answer, ERROR or +CME ERROR: 767 included), AT+MCONFIG, AT+MIPSTART, then AT+MCONNECT at once after CONNECT OK, and subscribe again."},
		},
		CME:              luatCME,
		Limits:           Limits{Clients: 1, Payload: 4100, Source: "Luat MQTT AT guide: AT+MPUB and AT+MPUBEX carry at most 4100 bytes"},
		Acked:            true,
		AckEvidence:      "the PUBACK, or PUBREC and PUBCOMP, lines",
		Manual:           "the Luat MQTT AT manual",
		MQTTRestart:      "AT+MCONFIG, AT+MIPSTART and AT+MCONNECT (the vendor's recovery sends AT+MIPCLOSE first, before the wait, and ignores its answer)",
		ReceiveBuffer:    luatCache,
		BearerAdvice:     "Wait until the module is attached (AT+CGATT? answers 1, or +CGEV: ME PDN ACT) before AT+MIPSTART.",
		BearerLostAdvice: "Recover as the vendor describes: AT+MIPCLOSE (ignore its answer), wait for +CGEV: ME PDN ACT, then AT+MCONFIG, AT+MIPSTART, AT+MCONNECT.",
	},
}

func init() {
	Register(luat)
	luatNames = luat.Facts.names("+")
}

const (
	luatOpenDeadline = 75 * time.Second
	luatAckDeadline  = 30 * time.Second
)

// luatNames are the dialect's commands and prefixed URCs, from the table.
var luatNames map[string]bool

// luatBare are the bare lines of §6.3; true marks the ones no other dialect
// here sends. CONNECT OK, CONNECT FAIL, ALREADY CONNECT and CLOSED are also
// the words of TCP socket commands (SIMCom CIPSTART, ESP-AT CIPSTART), so
// they are no evidence: a socket log must not read as Luat MQTT.
var luatBare = map[string]bool{
	"CONNECT OK": false, "ALREADY CONNECT": false, "CONNECT FAIL": false, "CLOSED": false,
	"CONNACK OK": true, "SUBACK": true, "UNSUBACK": true, "PUBACK": true, "PUBREC": true, "PUBCOMP": true,
}

func luatEvidence(ev *decode.Event) int {
	if luatNames[ev.Name] || strings.HasPrefix(ev.Name, "CONNACK") {
		return 10
	}
	if luatBare[ev.Name] {
		return 10
	}
	return 0
}

// luatCME explains the +CME ERROR values seen with the Luat MQTT commands.
// The manual has no MQTT code table; these are the observed ones
// [dialects.md §6.4], the rest come from 3GPP TS 27.007.
var luatCME = []Code{
	{N: 4, Meaning: "operation not supported (seen early after boot, before the MQTT stack is ready)",
		Advice: "This firmware does not support the command or this form of it: check the manual of this firmware version. Early after boot some modules answer 4 until they are ready."},
	{N: 765, Meaning: "invalid input value (seen with bad or empty AT+MCONFIG parameters; meaning unconfirmed)",
		Advice: "Luat: an invalid AT+MCONFIG input (unconfirmed meaning): check quoting and give empty user name and password as \"\"."},
	{N: 767, Meaning: "operation not allowed: no connection (seen on AT+MIPCLOSE after CLOSED; meaning unconfirmed)",
		Advice: "Luat: the link was already down (after CLOSED or a PDP loss AT+MIPCLOSE answers 767); the vendor says to ignore the answer and go on with AT+MCONFIG, AT+MIPSTART."},
}

// luatReason explains a final result code with Luat's values first.
func luatReason(name, args string) (string, string) {
	if name == "+CME ERROR" {
		if n, err := strconv.Atoi(strings.TrimSpace(args)); err == nil {
			if r, ok := exactMeaning(luatCME, n); ok {
				return args, r
			}
		}
	}
	return resultReason(name, args)
}

// luatSlot is a received message announced by "+MSUB: <slot>" in cache mode
// and not yet read out.
type luatSlot struct {
	slot int
	op   *Op
}

// luatConfig is what AT+MCONFIG set.
type luatConfig struct {
	set                      bool
	clientID, user, password string
	will                     *Will
	failed                   string // "AT+MCONFIG (line 3) was answered +CME ERROR: 765"
}

type luatMachine struct {
	tracker
	// AT+MCONFIG values for the next connect, and what they were before
	// the latest AT+MCONFIG (restored when the module rejects it).
	cfg, cfgBefore luatConfig
	host           string // of the latest open
	port           int
	tls            bool
	hex            bool       // AT+MQTTMODE=1
	cache          bool       // AT+MQTTMSGSET=1
	slots          []luatSlot // cached messages, oldest first
	readout        bool       // an AT+MQTTMSGGET read-out is in progress
	openedAt       *decode.Event
	// down says how the link was lost ("CLOSED, line 34") until the next
	// open: MIPCLOSE then answers an error that the vendor says to ignore.
	down string
	// ended is set after a successful MDISCONNECT or MIPCLOSE, so that a
	// CLOSED that follows is the normal end, not a loss.
	ended  bool
	pubrec map[*Op]bool // QoS 2 publishes that have had their PUBREC
}

func newLuat(file string) *luatMachine {
	return &luatMachine{tracker: newTracker(file, "luat"), pubrec: map[*Op]bool{}}
}

func (m *luatMachine) Feed(ev *decode.Event, emit func(*Op)) {
	m.tick(ev, emit)
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if m.command(ev) {
			return
		}
		m.readout = false
		if luatNames[ev.Name] {
			m.luatCommand(ev, emit)
		}
	case decode.KindPrompt:
		if op := m.attach(ev); op != nil && ev.Problem != "" {
			op.noteProblem(ev)
		}
	case decode.KindData:
		if op := m.takePayload(ev); op != nil {
			if op.state.async && op.Timed && ev.TimeSrc == decode.TimeLog {
				// The acknowledgement is due from the payload on, however
				// long a person took to type it.
				op.setDeadline(ev.Time.Sub(op.Start) + luatAckDeadline)
			}
		}
	case decode.KindResult:
		m.final(ev, emit)
	case decode.KindResponse, decode.KindURC:
		m.line(ev, emit)
	}
}

func (m *luatMachine) Close(emit func(*Op)) {
	for _, s := range m.slots {
		s.op.finish(nil, StatusPending, "", fmt.Sprintf("cached in slot %d and never read out with AT+MQTTMSGGET", s.slot))
		emit(s.op)
	}
	m.slots = nil
	m.close(emit)
}

func (m *luatMachine) luatCommand(ev *decode.Event, emit func(*Op)) {
	switch {
	case ev.Form == decode.FormRead || ev.Form == decode.FormTest:
		return // AT+MQTTMSGGET? and the like list state; they are no operations
	case ev.Name == "+MQTTMSGGET":
		m.readout = true
		return
	}
	args := splitArgs(ev.Args, 0)
	op := m.op(0, OpOpen, ev.Name)
	lowerCase(op, ev)
	switch ev.Name {
	case "+MCONFIG":
		m.configure(ev)
		return
	case "+MQTTMSGSET":
		m.cache = intArg(args, 0, 0) == 1
		return
	case "+MQTTMODE":
		m.hex = intArg(args, 0, 0) == 1
		return
	case "+MQTTSTATU", "+MQTTTMOUT":
		return
	case "+MIPSTART", "+SSLMIPSTART":
		m.supersede(func(o *Op) bool { return o.Kind == OpOpen }, ev, emit)
		op.Host, op.Port, op.TLS = strArg(args, 0), intArg(args, 1, 0), ev.Name == "+SSLMIPSTART"
		if len(args) > 0 && !isQuoted(args[0]) {
			op.noteAs(NoteDeviation, "host not in quotes (the manual quotes it)")
		}
		if len(args) < 2 {
			op.noteAs(NoteDeviation, "no port: the manual's syntax is "+ev.Name+"=\"<host>\",<port>")
		}
		m.host, m.port, m.tls = op.Host, op.Port, op.TLS
		m.begin(op, true, luatOpenDeadline)
	case "+MCONNECT":
		m.supersede(func(o *Op) bool { return o.Kind == OpConnect }, ev, emit)
		op.Kind = OpConnect
		m.connect(op, ev, args)
		m.begin(op, true, luatOpenDeadline)
	case "+MSUB", "+MUNSUB":
		op.Kind = OpSubscribe
		if ev.Name == "+MUNSUB" {
			op.Kind = OpUnsubscribe
		}
		op.oneTopic(args, 0)
		if op.Kind == OpSubscribe && (op.QoS < 0 || op.QoS > 2) {
			op.noteAs(NoteDeviation, "no QoS 0-2: the manual's syntax is AT+MSUB=\"<topic>\",<qos>")
		}
		m.begin(op, true, luatAckDeadline)
	case "+MPUB", "+MPUBEX":
		op.Kind = OpPublish
		m.publish(op, ev)
		deadline := luatAckDeadline
		if ev.Name == "+MPUBEX" {
			deadline = 0 // set when the payload has come
		}
		m.begin(op, op.QoS > 0, deadline)
	case "+MDISCONNECT":
		op.Kind = OpDisconnect
		m.begin(op, false, 0)
	case "+MIPCLOSE":
		op.Kind = OpClose
		m.begin(op, false, 0)
	}
}

// configure keeps AT+MCONFIG=<clientid>[,<user>,<password>[,<will_qos>,
// <will_retain>,"<will_topic>","<will_msg>"]] for the next connect.
func (m *luatMachine) configure(ev *decode.Event) {
	f := splitArgs(ev.Args, 7)
	m.cfgBefore = m.cfg
	m.cfg.set = true
	m.cfg.clientID, m.cfg.user, m.cfg.password = strArg(f, 0), strArg(f, 1), strArg(f, 2)
	m.cfg.will = nil
	if len(f) >= 7 {
		m.cfg.will = &Will{QoS: intArg(f, 3, 0), Retain: intArg(f, 4, 0) == 1, Topic: strArg(f, 5), Message: strArg(f, 6)}
	}
}

// connect fills an MCONNECT op: clean session and keep-alive from its
// arguments, the rest from AT+MCONFIG and the latest open.
func (m *luatMachine) connect(op *Op, ev *decode.Event, args []string) {
	clean, ok := atoi(strArg(args, 0))
	switch {
	case !ok || clean < 0 || clean > 1:
		op.noteAs(NoteDeviation, "no clean-session flag 0/1: the manual's syntax is AT+MCONNECT=<clean_session>,<keepalive>")
	default:
		c := clean == 1
		op.Clean = &c
	}
	op.KeepAlive = intArg(args, 1, -1)
	if op.KeepAlive < 0 {
		op.noteAs(NoteDeviation, "no keep-alive: the manual's syntax is AT+MCONNECT=<clean_session>,<keepalive>")
	}
	op.Version = 4 // MQTT 3.1.1 [dialects.md §6.1]
	op.Host, op.Port, op.TLS = m.host, m.port, m.tls
	if m.cfg.set {
		op.ClientID, op.Username, op.Password, op.Will = m.cfg.clientID, m.cfg.user, m.cfg.password, m.cfg.will
		if m.cfg.failed != "" {
			op.note(m.cfg.failed + ": the module may not hold this configuration")
		}
	} else {
		op.noteAs(NoteRemark, "no AT+MCONFIG before it in the log: client ID and credentials not known")
	}
	o := m.openedAt
	m.openedAt = nil // only the first MCONNECT after CONNECT OK is due at once
	if o != nil && o.TimeSrc == decode.TimeLog && ev.TimeSrc == decode.TimeLog {
		if gap := ev.Time.Sub(o.Time); gap > 5*time.Second {
			op.noteAs(NoteRemark, fmt.Sprintf("sent %s after CONNECT OK (line %d): the manual says to send MCONNECT at once, or the server drops the TCP link",
				gap.Round(100*time.Millisecond), o.Pos.Line))
		}
	}
}

// luatPub is the argument list of AT+MPUB="<topic>",<qos>,<retain>,"<msg>"
// or AT+MPUBEX="<topic>",<qos>,<retain>[,<length>].
type luatPub struct {
	topic       string
	topicQuoted bool
	qos, retain int
	msg         string // MPUB: the message argument as written; MPUBEX: the length
	msgQuoted   bool
	hasMsg      bool
}

func parseLuatPub(args string) luatPub {
	f := splitArgs(args, 4)
	p := luatPub{topic: strArg(f, 0), qos: intArg(f, 1, -1), retain: intArg(f, 2, 0)}
	p.topicQuoted = len(f) > 0 && isQuoted(f[0])
	if len(f) > 3 {
		p.hasMsg, p.msgQuoted, p.msg = true, isQuoted(f[3]), unquote(f[3])
	}
	return p
}

// luatUnescape decodes the escapes the manual defines for MPUB messages:
// \22 for '"', \0D for CR, \0A for LF [dialects.md §6.2].
func luatUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 <= len(s) {
			switch strings.ToUpper(s[i+1 : i+3]) {
			case "22":
				b.WriteByte('"')
				i += 2
				continue
			case "0D":
				b.WriteByte('\r')
				i += 2
				continue
			case "0A":
				b.WriteByte('\n')
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (m *luatMachine) publish(op *Op, ev *decode.Event) {
	p := parseLuatPub(ev.Args)
	op.Topic, op.QoS, op.Retain = p.topic, p.qos, p.retain == 1
	if !p.topicQuoted {
		op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
	}
	if p.qos < 0 || p.qos > 2 {
		op.noteAs(NoteDeviation, "no QoS 0-2: the manual's syntax is "+ev.Name+"=\"<topic>\",<qos>,<retain>,...")
	}
	if ev.Name == "+MPUBEX" {
		if n, ok := atoi(p.msg); ok && p.hasMsg {
			op.PayloadLen = n
		} else {
			op.noteAs(NoteRemark, "no length: the payload ends at Ctrl-Z or after about 5 s of silence (unconfirmed)")
		}
		return
	}
	if !p.hasMsg {
		op.noteAs(NoteDeviation, "no message argument: the manual's syntax is AT+MPUB=\"<topic>\",<qos>,<retain>,\"<message>\"")
		return
	}
	if !p.msgQuoted {
		op.noteAs(NoteDeviation, "message not in quotes (the manual quotes it)")
	}
	if strings.Contains(p.msg, `"`) {
		op.noteAs(NoteDeviation, `the message holds a bare '"': the manual writes it as \22`)
	}
	op.Payload = luatUnescape(p.msg)
	op.PayloadLen = len(op.Payload)
}

// final handles a final result code: Luat's CME explanations, and the
// error that AT+MIPCLOSE answers after the link is already down.
func (m *luatMachine) final(ev *decode.Event, emit func(*Op)) {
	m.readout = false
	c := m.cmd
	if c != nil && !c.final && c.ev.Name == "+MCONFIG" {
		m.cfg.failed = ""
		if ev.Name != "OK" {
			m.cfg = m.cfgBefore // the module kept what it had
			m.cfg.failed = fmt.Sprintf("AT+MCONFIG (line %d) was answered %s", c.ev.Pos.Line, ev.Text)
		}
	}
	if c == nil || c.final || c.op == nil || ev.Name == "OK" || c.op.Status != StatusPending {
		if op := m.result(ev, emit); op != nil && op.Status == StatusOK && (op.Kind == OpClose || op.Kind == OpDisconnect) {
			m.ended = true
		}
		return
	}
	code, reason := luatReason(ev.Name, ev.Args)
	if c.op.Kind == OpClose && m.down != "" {
		c.op.noteAs(NoteRemark, fmt.Sprintf("the link was already down (%s): AT+MIPCLOSE answers %s then, and the vendor says to ignore it", m.down, ev.Text))
		m.ended = true
		m.finalWith(ev, StatusOK, code, "", emit)
		return
	}
	if m.down != "" {
		c.op.noteAs(NoteRemark, fmt.Sprintf("the link was already down (%s)", m.down))
	}
	m.finalWith(ev, StatusFailed, code, reason, emit)
}

// finalWith completes the pending command's op with a final result code and
// the outcome given (tracker.result with a dialect's own explanation).
func (t *tracker) finalWith(ev *decode.Event, st Status, code, reason string, emit func(*Op)) *Op {
	c := t.cmd
	if c == nil || c.final {
		return nil
	}
	c.final = true
	op := c.op
	if op == nil || op.Status != StatusPending || t.find(func(o *Op) bool { return o == op }) == nil {
		return nil
	}
	op.state.answered = true
	op.gotFinal = ev.Name == "OK"
	t.complete(op, ev, st, code, reason, emit)
	return op
}

// line handles the module's bare lines and +MSUB/+CGEV.
func (m *luatMachine) line(ev *decode.Event, emit func(*Op)) {
	switch name := ev.Name; {
	case name == "CONNECT OK":
		e := *ev
		m.down, m.ended, m.openedAt = "", false, &e
		m.outcome(ev, OpOpen, StatusOK, "", "", emit)
	case name == "ALREADY CONNECT":
		m.outcome(ev, OpOpen, StatusFailed, name, "a TCP link is already open: close it with AT+MIPCLOSE before AT+MIPSTART", emit)
	case strings.HasPrefix(name, "CONNECT FAIL"):
		m.outcome(ev, OpOpen, StatusFailed, name, "the TCP (or TLS) connection to the server failed: host, port, DNS or network", emit)
	case name == "CONNACK OK":
		m.ended = false
		m.outcome(ev, OpConnect, StatusOK, "", "", emit)
	case strings.HasPrefix(name, "CONNACK"):
		m.outcome(ev, OpConnect, StatusFailed, name, "the broker did not accept the CONNECT (failure text not in the manual): check client ID, user name and password", emit)
	case name == "SUBACK":
		m.outcome(ev, OpSubscribe, StatusOK, "", "", emit)
	case name == "UNSUBACK":
		m.outcome(ev, OpUnsubscribe, StatusOK, "", "", emit)
	case name == "PUBACK", name == "PUBREC", name == "PUBCOMP":
		m.ack(ev, emit)
	case name == "CLOSED":
		m.closed(ev, emit)
	case name == "+CGEV":
		if strings.Contains(ev.Args, "DEACT") || strings.Contains(ev.Args, "DETACH") {
			m.down = fmt.Sprintf("+CGEV: %s, line %d", ev.Args, ev.Pos.Line)
			m.abandonAll(ev, "the PDP context was deactivated", emit)
		}
	case name == "+MSUB":
		m.receive(ev, emit)
	}
}

// outcome completes the oldest open op of kind with a result line. When
// the log shows no command for it (echo off and the host side not
// captured), the line alone makes the op.
func (m *luatMachine) outcome(ev *decode.Event, kind OpKind, st Status, code, reason string, emit func(*Op)) {
	op := m.find(func(o *Op) bool { return o.Kind == kind })
	if op == nil {
		op = m.op(0, kind, ev.Name)
		op.noteAs(NoteNotLogged, "the command is not in the log; the result line alone shows the operation")
		if kind == OpConnect || kind == OpOpen {
			op.Host, op.Port, op.TLS = m.host, m.port, m.tls
		}
		op.setConnack(luatConnack(ev.Name))
		m.single(op, ev, st, code, reason, emit)
		return
	}
	op.setConnack(luatConnack(ev.Name))
	m.complete(op, ev, st, code, reason, emit)
}

// luatConnack is the CONNACK return code of a result line: the manual
// shows only "CONNACK OK" (accepted).
func luatConnack(name string) int {
	if name == "CONNACK OK" {
		return 0
	}
	return -1
}

// ack pairs PUBACK, PUBREC and PUBCOMP with the oldest publish that awaits
// it: PUBACK a QoS 1 publish, PUBREC a QoS 2 publish without one yet,
// PUBCOMP a QoS 2 publish (after its PUBREC).
func (m *luatMachine) ack(ev *decode.Event, emit func(*Op)) {
	want := map[string]int{"PUBACK": 1, "PUBREC": 2, "PUBCOMP": 2}[ev.Name]
	pick := func(match func(*Op) bool) *Op {
		return m.find(func(o *Op) bool { return o.Kind == OpPublish && match(o) })
	}
	var op *Op
	switch ev.Name {
	case "PUBACK":
		op = pick(func(o *Op) bool { return o.QoS == 1 })
	case "PUBREC":
		op = pick(func(o *Op) bool { return o.QoS == 2 && !m.pubrec[o] })
	case "PUBCOMP":
		if op = pick(func(o *Op) bool { return o.QoS == 2 && m.pubrec[o] }); op == nil {
			op = pick(func(o *Op) bool { return o.QoS == 2 })
		}
	}
	if op == nil {
		op = pick(func(o *Op) bool { return o.QoS < 0 }) // QoS not readable in the command
	}
	if op == nil {
		op = m.op(0, OpPublish, ev.Name)
		op.QoS = want
		op.noteAs(NoteNotLogged, "the command is not in the log; the acknowledgement alone shows the operation")
		if ev.Name == "PUBREC" {
			op.add(ev)
			op.state.async, op.state.answered = true, true
			m.pubrec[op] = true
			m.open = append(m.open, op)
			return
		}
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	op.state.answered = true
	switch {
	case ev.Name == "PUBREC":
		m.pubrec[op] = true
		op.add(ev)
		return
	case ev.Name == "PUBCOMP" && !m.pubrec[op]:
		op.noteAs(NoteRemark, "PUBCOMP without a PUBREC before it")
	case ev.Name == "PUBACK" && op.QoS == 2:
		op.noteAs(NoteDeviation, "PUBACK for a QoS 2 publish (the manual shows PUBREC, PUBCOMP)")
	}
	delete(m.pubrec, op)
	m.complete(op, ev, StatusOK, "", "", emit)
}

// closed handles CLOSED: the TCP link is gone [dialects.md §6.3].
func (m *luatMachine) closed(ev *decode.Event, emit func(*Op)) {
	op := m.op(0, OpLink, ev.Name)
	if m.ended && m.find(func(*Op) bool { return true }) == nil {
		m.single(op, ev, StatusOK, "", "the TCP link closed after the client ended the session (normal)", emit)
		m.down = fmt.Sprintf("CLOSED, line %d", ev.Pos.Line)
		return
	}
	m.single(op, ev, StatusFailed, "", "the TCP link was closed by the server or the network; the MQTT session is gone (recover with MIPCLOSE, MCONFIG, MIPSTART, MCONNECT)", emit)
	m.down = fmt.Sprintf("CLOSED, line %d", ev.Pos.Line)
	m.abandonAll(ev, "the TCP link closed", emit)
}

// abandonAll fails every open op: the link is gone.
func (m *luatMachine) abandonAll(ev *decode.Event, what string, emit func(*Op)) {
	where := fmt.Sprintf("(%s, line %d)", ev.Text, ev.Pos.Line)
	m.abandon(func(o *Op) bool { return o.Kind == OpConnect },
		fmt.Sprintf("abandoned: %s %s before CONNACK; the broker may have refused the CONNECT (client ID, user name, password), or MCONNECT came too late after CONNECT OK", what, where), ev, emit)
	m.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: %s %s", what, where), ev, emit)
	clear(m.pubrec)
}

// luatMsub is a +MSUB line that carries a message: the direct push
// `+MSUB: "<topic>",<n> byte,<payload>` or the cache read-out
// `+MSUB:<topic>,<n> byte,<payload>` [dialects.md §6.3, §6.2].
type luatMsub struct {
	topic   string
	quoted  bool
	n       int
	unit    bool // the literal " byte" after the length
	payload string
}

// parseLuatMsub reads the arguments of a +MSUB message line.
func parseLuatMsub(args string) (luatMsub, bool) {
	var r luatMsub
	rest := args
	if strings.HasPrefix(rest, `"`) {
		end := strings.IndexByte(rest[1:], '"')
		if end < 0 {
			return r, false
		}
		r.topic, r.quoted, rest = rest[1:1+end], true, rest[2+end:]
	} else {
		i := strings.IndexByte(rest, ',')
		if i < 0 {
			return r, false
		}
		r.topic, rest = strings.TrimSpace(rest[:i]), rest[i:]
	}
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, ",") {
		return r, false
	}
	rest = strings.TrimLeft(rest[1:], " ")
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(rest[:i])
	if err != nil || n > maxLuatPayload {
		return r, false
	}
	r.n, rest = n, strings.TrimLeft(rest[i:], " ")
	if len(rest) >= 4 && strings.EqualFold(rest[:4], "byte") {
		r.unit, rest = true, rest[4:]
		if len(rest) > 0 && (rest[0] == 's' || rest[0] == 'S') {
			rest = rest[1:]
		}
		rest = strings.TrimLeft(rest, " ")
	}
	switch {
	case rest == "":
		return r, true
	case rest[0] != ',':
		return r, false
	}
	r.payload = rest[1:]
	return r, true
}

// maxLuatPayload bounds a believable +MSUB length: 4100 bytes is the
// manual's limit; anything far beyond it is damage, not a length.
const maxLuatPayload = 1 << 20

// receive handles every +MSUB form: the cache announcement "<slot>", the
// direct push and the AT+MQTTMSGGET read-out.
func (m *luatMachine) receive(ev *decode.Event, emit func(*Op)) {
	args := strings.TrimSpace(ev.Args)
	if slot, ok := atoi(args); ok && !strings.ContainsAny(args, `,"`) {
		for i, s := range m.slots {
			if s.slot == slot {
				s.op.finish(nil, StatusUnknown, "", fmt.Sprintf("cache slot %d was announced again (line %d) before any read-out: the message was overwritten, or its read-out is not in the log", slot, ev.Pos.Line))
				emit(s.op)
				m.slots = append(m.slots[:i], m.slots[i+1:]...)
				break
			}
		}
		op := m.op(0, OpReceive, ev.Name)
		op.add(ev)
		if !m.cache {
			op.noteAs(NoteRemark, "cache announcement, but AT+MQTTMSGSET=1 is not in the log")
		}
		m.slots = append(m.slots, luatSlot{slot, op})
		return
	}
	r, ok := parseLuatMsub(args)
	op := m.op(0, OpReceive, ev.Name)
	if m.readout {
		if len(m.slots) > 0 {
			op = m.slots[0].op
			m.slots = m.slots[1:]
		} else if m.cache {
			op.noteAs(NoteRemark, "read out with AT+MQTTMSGGET; its +MSUB: <slot> announcement is not in the log")
		}
	} else if ok && !r.quoted {
		op.noteAs(NoteDeviation, "topic not in quotes (the direct +MSUB push quotes it)")
	}
	if !ok {
		op.noteAs(NoteDeviation, "not the manual's form +MSUB: \"<topic>\",<len> byte,<payload>")
		op.Payload = args
		op.PayloadLen = len(args)
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	op.Topic, op.Payload, op.PayloadLen = r.topic, r.payload, r.n
	if !r.unit {
		op.noteAs(NoteDeviation, "no \"byte\" after the length (the manual writes <len> byte)")
	}
	if b, err := hex.DecodeString(r.payload); m.hex && err == nil && len(b) == r.n {
		op.Payload = string(b)
		op.noteAs(NoteRemark, "payload shown in hex (AT+MQTTMODE=1), decoded")
	} else {
		lengthNote(op, ev, len(r.payload), r.n)
	}
	m.single(op, ev, StatusOK, "", "", emit)
}

// lengthNote says when a received payload does not match its length: the
// log lost bytes (the tokenizer found the payload short) or has more.
// Shorter without a problem is only the blanks the event text drops.
func lengthNote(op *Op, ev *decode.Event, have, n int) {
	switch {
	case ev.Problem != "" && have < n:
		op.noteLength(have, n, fmt.Sprintf("payload is %d bytes, length says %d: the log lost bytes or cut the payload", have, n))
	case ev.Problem != "":
		op.noteProblem(ev)
	case have > n:
		op.noteLength(have, n, fmt.Sprintf("payload is %d bytes, length says %d", have, n))
	}
}

// luatHooks tells the tokenizer how Luat payloads are framed and names its
// bare lines.
type luatHooks struct{}

// claims: Bare also knows "CONNACK <code>" and "CONNECT FAIL...".
func (luatHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{names: slices.Collect(maps.Keys(luatNames))}, claim{names: []string{"+MSUB"}}, luatBareLines.firsts() + "C"
}

func (luatHooks) Payload(cmd *decode.Event) decode.Framing {
	switch {
	case cmd.Name == "+MPUBEX":
		p := parseLuatPub(cmd.Args)
		if f, ok := countFraming(p.msg); ok && p.hasMsg && !p.msgQuoted {
			return f
		}
		return decode.Framing{} // Ctrl-Z, or an idle gap [dialects.md §6.5]
	case luatNames[cmd.Name]:
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail makes a +MSUB payload with line breaks one event: its length says
// how many bytes follow the line's end.
func (luatHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "+MSUB" {
		return 0, 0
	}
	r, ok := parseLuatMsub(strings.TrimSpace(ev.Args))
	if !ok || r.n <= len(r.payload) {
		return 0, 0
	}
	return r.n - len(r.payload), 0
}

// luatBareLines looks lines up in luatBare.
var luatBareLines = newBareLines(luatBare)

func (luatHooks) Bare(text string) (string, bool, bool) {
	if _, ok := luatBareLines.lookUp(text); ok {
		return text, false, true
	}
	if strings.HasPrefix(text, "CONNACK ") || strings.HasPrefix(text, "CONNECT FAIL") {
		return text, false, true
	}
	return "", false, false
}
