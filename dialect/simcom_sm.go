package dialect

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"atscope/decode"
)

// SIMCom AT+SM* (SIM7000 series, SIM7070/SIM7080; some SIM800 MQTT
// firmware). Sources: SIMCom SIM7070_SIM7080_SIM7090 Series AT Command
// Manual, MQTT(S) chapter (AT+SMCONF, AT+SMCONN, AT+SMPUB, AT+SMSUB,
// AT+SMUNSUB, AT+SMDISC, AT+SMSTATE); the sim7080g ESP-IDF driver README
// and several independent drivers for +SMSUB and +SMSTATE. The § numbers
// below are those of dialects.md, which quotes them.
//
// There is one client, numbered 0, and no packet ids. Whether OK of SMSUB
// and SMPUB waits for the SUBACK/PUBACK is not documented.
var simcomSM = &Dialect{
	Name:    "simcom-sm",
	Doc:     "SIMCom AT+SM* MQTT client (one client, synchronous OK/ERROR results)",
	Modules: "SIM7070/SIM7080/SIM7090, SIM7000 series, SIM800 MQTT firmware",
	Evidence: func(ev *decode.Event) int {
		switch ev.Name {
		case "+SMCONF", "+SMCONN", "+SMPUB", "+SMSUB", "+SMUNSUB", "+SMDISC", "+SMSTATE", "+SMSSL", "+SMPUBHEX":
			return 10
		case "+CNACT", "+CNCFG", "+APP":
			return 2 // SIM7070/SIM7080 bearer commands: a hint, not proof
		}
		return 0
	},
	Hooks:      smHooks{},
	NewMachine: func(file string) Machine { return newSM(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "+SMCONF", NotOp: true, ArgsOf: smConfArgs, Cite: "§5.2: =\"<item>\",<value>: OK/ERROR; items (URL, CLIENTID, USERNAME, PASSWORD, KEEPTIME, CLEANSS, TOPIC, MESSAGE, QOS, RETAIN) feed the next connect"},
			{Name: "+SMSSL", NotOp: true, Cite: "§5.2: OK; the connect uses TLS"},
			{Name: "+SMPUBHEX", NotOp: true, Cite: "§5.2: OK; SMPUB data is hex text"},
			{Name: "+SMCONN", Op: OpConnect, Result: ResultFinal, Cite: "§5.2: final OK = CONNACK accepted; ERROR = failed, no reason given; no answer = timeout"},
			{Name: "+SMSUB", Op: OpSubscribe, Result: ResultFinal, Args: []ArgRole{ArgTopic, ArgQoS}, Cite: "§5.2: =\"<topic>\",<qos>: final OK / ERROR; the URC +SMSUB: \"topic\",\"message\" (or \"topic\",<len> and the message on the next line) is a receive (§5.3)"},
			{Name: "+SMUNSUB", Op: OpUnsubscribe, Result: ResultFinal, Args: []ArgRole{ArgTopic}, Cite: "§5.2: =\"<topic>\": final OK / ERROR"},
			{Name: "+SMPUB", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgTopic, ArgPayloadLen, ArgQoS, ArgRetain}, Data: ArgPayload, Cite: "§5.2: =\"<topic>\",<content_length>,<qos>,<retain>: prompt, payload, final OK / ERROR"},
			{Name: "+SMDISC", Op: OpDisconnect, Result: ResultFinal, Cite: "§5.2: final OK / ERROR"},
			{Name: "+SMSTATE", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§5.2, §5.3: AT+SMSTATE? answers +SMSTATE: <0|1|2>, OK (not an op); the URC +SMSTATE: 0 says the connection is down (driver-observed)",
				Advice: "Activate the bearer again (AT+CNACT=0,1, wait for +APP PDP: 0,ACTIVE), then AT+SMCONN."},
			{Name: "+APP PDP", URC: true, NotOp: true, Cite: "§1.6: <pdpidx>,DEACTIVE: the bearer is down; the client's open ops are abandoned"},
			{Name: "+CNCFG", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgAPN, ArgBearerUser, ArgBearerPassword}, Cite: "SIM7080 AT manual: AT+CNCFG=<pdpidx>,<ip_type>,\"<APN>\",\"<user>\",\"<password>\""},
		},
		Limits:           Limits{Clients: 1, Payload: 1024, Source: "SIM7080 drivers: AT+SMPUB at most 1024 bytes (unconfirmed)"},
		Manual:           "the SIMCom SIM7070/SIM7080 AT command manual (MQTT(S) chapter)",
		MQTTRestart:      "AT+SMCONN",
		BearerAdvice:     "Activate the bearer first: AT+CNACT=0,1 and wait for +APP PDP: 0,ACTIVE.",
		BearerLostAdvice: "Activate the bearer again (AT+CNACT=0,1, wait for +APP PDP: 0,ACTIVE), then AT+SMCONN.",
	},
}

// smConfArgs: AT+SMCONF="<item>",<value> [§5.2].
func smConfArgs(args []string) []ArgRole {
	role := map[string]ArgRole{
		"url": ArgURL, "clientid": ArgClientID, "username": ArgUser, "password": ArgPassword,
		"keeptime": ArgKeepAlive, "cleanss": ArgClean, "topic": ArgTopic, "message": ArgPayload,
		"qos": ArgQoS, "retain": ArgRetain,
	}[itemOf(args)]
	return []ArgRole{ArgOther, role}
}

func init() { Register(simcomSM) }

// Deadlines: SMCONN answers in about 30-60 s at worst (drivers wait 60 s);
// the manual gives no maximum for the rest.
const (
	smConnDeadline = 90 * time.Second
	smDeadline     = 60 * time.Second
	// smGaveUp is how long the host must have waited before a command it
	// sends over an unanswered one counts as its own timeout.
	smGaveUp = 5 * time.Second
)

// smConfig is what AT+SMCONF set for the next connect.
type smConfig struct {
	host       string
	port       int
	keepalive  int
	clean      *bool
	id         string
	user, pass string
	will       Will
	willSet    bool
	tls        bool
	subHex     bool
	pubHex     bool
	async      bool
	notes      []string // deviations seen in the configuration
	urlNotes   []string // deviations of the last AT+SMCONF="URL"
}

// connection states, as far as the log shows them.
const (
	smUnknown = iota
	smUp
	smDown
)

type smMachine struct {
	tracker
	cfg   smConfig
	state int
	rx    *Op // a +SMSUB: "topic",<len> whose payload is the next event
	// short is a receive whose payload came short: emitted with the next
	// event, or as pending when the log ends there.
	short *Op
	sent  time.Time // when the pending SMPUB's payload went out
}

func newSM(file string) *smMachine {
	return &smMachine{tracker: newTracker(file, "simcom-sm"), cfg: smConfig{keepalive: -1}}
}

func (m *smMachine) Feed(ev *decode.Event, emit func(*Op)) {
	m.tick(ev, emit)
	if m.short != nil {
		m.single(m.short, nil, StatusOK, "", "", emit)
		m.short = nil
	}
	if m.rx != nil && ev.Kind != decode.KindData && ev.Kind != decode.KindText {
		m.rx.noteAs(NoteRemark, "no payload line after the +SMSUB header")
		m.single(m.rx, nil, StatusOK, "", "", emit)
		m.rx = nil
	}
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		ev = resent(m.cmd, ev)
		if m.command(ev) {
			return
		}
		m.sent = time.Time{}
		m.wentOn(ev, emit)
		if isSMCommand(ev.Name) {
			m.smCommand(ev, emit)
		}
	case decode.KindPrompt:
		m.attach(ev)
	case decode.KindData:
		if m.rx != nil && ev.Dir != decode.DirToModule {
			op := m.rx
			m.rx = nil
			op.Payload = ev.Text
			m.rxPayload(op, ev)
			if ev.Problem != "" {
				op.add(ev)
				m.short = op
				return
			}
			m.single(op, ev, StatusOK, "", "", emit)
			return
		}
		if op := m.attach(ev); op != nil {
			op.Payload, m.sent = ev.Text, ev.Time
			if ev.Problem != "" {
				op.noteProblem(ev)
			}
			if m.cfg.pubHex {
				if b, ok := decodeHex(ev.Text); ok {
					op.Payload = string(b)
					op.noteAs(NoteRemark, "payload sent as hex text (AT+SMPUBHEX=1); shown decoded")
				}
			}
			if op.PayloadLen < 0 {
				op.PayloadLen = len(op.Payload) // the declared length was none
			}
		}
	case decode.KindResult:
		m.final(ev, emit)
	case decode.KindResponse, decode.KindURC:
		m.line(ev, emit)
	}
}

func (m *smMachine) Close(emit func(*Op)) {
	if m.short != nil {
		m.single(m.short, nil, StatusPending, "", "the log ends inside the payload", emit)
		m.short = nil
	}
	if m.rx != nil {
		m.rx.noteAs(NoteRemark, "the log ends before the payload")
		m.single(m.rx, nil, StatusPending, "", "the log ends before the payload", emit)
		m.rx = nil
	}
	m.close(emit)
}

// wentOn ends the ops still waiting for their final result when the host
// sends another command: SM* commands answer synchronously, so the host
// gave up on them. After a wait of its own this is a timeout.
func (m *smMachine) wentOn(ev *decode.Event, emit func(*Op)) {
	for len(m.open) > 0 {
		op := m.open[0]
		waited := ev.Time.Sub(op.Start)
		if op.Timed && ev.TimeSrc == decode.TimeLog && waited >= smGaveUp {
			m.complete(op, nil, StatusTimeout, "", fmt.Sprintf("no answer within %s; the host went on (line %d)", waited.Round(time.Millisecond), ev.Pos.Line), emit)
		} else {
			m.complete(op, nil, StatusUnknown, "", "the log shows no answer", emit)
		}
	}
}

func (m *smMachine) smCommand(ev *decode.Event, emit func(*Op)) {
	if ev.Form == decode.FormRead || ev.Form == decode.FormTest {
		return // AT+SMSTATE?, AT+SMCONF? are not operations
	}
	switch ev.Name {
	case "+SMCONF":
		m.configure(ev)
	case "+SMSSL":
		m.cfg.tls = true
	case "+SMPUBHEX":
		m.cfg.pubHex = intArg(splitArgs(ev.Args, 0), 0, 0) == 1
	case "+SMCONN":
		op := m.op(0, OpConnect, ev.Name)
		lowerCase(op, ev)
		m.connect(op)
		m.begin(op, false, smConnDeadline)
	case "+SMDISC":
		op := m.op(0, OpDisconnect, ev.Name)
		lowerCase(op, ev)
		m.begin(op, false, smDeadline)
	case "+SMSUB", "+SMUNSUB":
		kind := OpSubscribe
		if ev.Name == "+SMUNSUB" {
			kind = OpUnsubscribe
		}
		op := m.op(0, kind, ev.Name)
		lowerCase(op, ev)
		args := splitArgs(ev.Args, 0)
		if len(args) == 0 {
			op.noteAs(NoteRemark, "no topic")
		} else {
			m.topicArg(op, args[0])
			op.Topics = []string{op.Topic}
		}
		if kind == OpSubscribe {
			op.QoS = intArg(args, 1, -1)
			op.Requested = []int{op.QoS}
			if op.QoS < 0 || op.QoS > 2 {
				op.noteAs(NoteDeviation, "no valid QoS (the manual's syntax is AT+SMSUB=\"<topic>\",<qos>)")
			}
		}
		m.begin(op, false, smDeadline)
	case "+SMPUB":
		op := m.op(0, OpPublish, ev.Name)
		lowerCase(op, ev)
		p := parseSMPub(ev.Args)
		if p.topic != "" || p.topicQuoted {
			m.topicArg(op, p.topicRaw)
		}
		op.PayloadLen, op.QoS, op.Retain = p.length, p.qos, p.retain == 1
		if p.length < 0 && !looksNumeric(strings.TrimSpace(p.lengthRaw)) { // a bad number is the tokenizer's NoteInvalid
			op.noteAs(NoteDeviation, "no content length (the manual's syntax is AT+SMPUB=\"<topic>\",<content_length>,<qos>,<retain>)")
		}
		if p.qos < 0 || p.qos > 2 {
			op.noteAs(NoteDeviation, "no valid QoS (0-2)")
		}
		m.begin(op, false, smDeadline)
	}
}

// topicArg sets a topic from its argument, noting missing quotes.
func (m *smMachine) topicArg(op *Op, raw string) {
	if !isQuoted(raw) {
		op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
	}
	op.Topic = unquote(raw)
}

// configure keeps an AT+SMCONF="<item>",<value> for the next connect.
func (m *smMachine) configure(ev *decode.Event) {
	args := splitArgs(ev.Args, 2)
	if len(args) < 2 {
		return // a query of one item, or nothing
	}
	item := strings.ToUpper(unquote(args[0]))
	if !isQuoted(args[0]) {
		m.cfg.notes = appendOnce(m.cfg.notes, fmt.Sprintf("AT+SMCONF item %s not in quotes", args[0]))
	}
	v := args[1]
	switch item {
	case "URL":
		m.cfg.host, m.cfg.port, m.cfg.urlNotes = parseSMURL(v)
	case "KEEPTIME":
		m.cfg.keepalive = intArg(args, 1, -1)
	case "CLEANSS":
		b := intArg(args, 1, 1) == 1
		m.cfg.clean = &b
	case "CLIENTID":
		m.cfg.id = unquote(v)
	case "USERNAME":
		m.cfg.user = unquote(v)
	case "PASSWORD":
		m.cfg.pass = unquote(v)
	case "QOS":
		m.cfg.will.QoS = intArg(args, 1, 0)
	case "TOPIC":
		m.cfg.will.Topic, m.cfg.willSet = unquote(v), unquote(v) != ""
	case "MESSAGE":
		m.cfg.will.Message = unquote(v)
	case "RETAIN":
		m.cfg.will.Retain = intArg(args, 1, 0) == 1
	case "SUBHEX":
		m.cfg.subHex = intArg(args, 1, 0) == 1
	case "ASYNCMODE":
		m.cfg.async = intArg(args, 1, 0) == 1
	}
}

// connect fills a connect op from the configuration.
func (m *smMachine) connect(op *Op) {
	c := m.cfg
	op.Host, op.Port, op.ClientID, op.Username, op.Password = c.host, c.port, c.id, c.user, c.pass
	op.KeepAlive, op.Clean, op.TLS = c.keepalive, c.clean, c.tls
	if c.willSet {
		w := c.will
		op.Will = &w
	}
	for _, n := range c.notes {
		op.note(n)
	}
	for _, n := range c.urlNotes {
		op.note(n)
	}
	if c.host == "" {
		op.noteAs(NoteRemark, "no AT+SMCONF=\"URL\" in the log before the connect")
	}
	if c.async {
		op.noteAs(NoteDeviation, "ASYNCMODE=1: how it changes the result timing is not documented")
	}
	if m.state == smUp {
		op.noteAs(NoteRemark, "the client looks connected already (the module answers ERROR to AT+SMCONN then)")
	}
}

// parseSMURL reads the value of AT+SMCONF="URL": "<host>",<port> as the
// manual writes it, and what logs show besides: a quoted port, "host:port"
// in one string, an unquoted host.
func parseSMURL(v string) (host string, port int, notes []string) {
	f := splitArgs(v, 0)
	if len(f) == 0 {
		return "", 0, nil
	}
	if !isQuoted(f[0]) {
		notes = append(notes, "broker host not in quotes in AT+SMCONF=\"URL\"")
	}
	host = unquote(f[0])
	if len(f) > 1 {
		p, ok := atoi(f[1])
		if ok {
			port = p
			if isQuoted(f[1]) {
				notes = append(notes, "port in quotes in AT+SMCONF=\"URL\" (the manual has a number)")
			}
		}
		return host, port, notes
	}
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		if p, ok := atoi(host[i+1:]); ok {
			return host[:i], p, append(notes, "host and port in one string in AT+SMCONF=\"URL\" (older firmware form; the manual has \"<host>\",<port>)")
		}
	}
	return host, 0, append(notes, "no port in AT+SMCONF=\"URL\"")
}

// smPub is the argument list of AT+SMPUB="<topic>",<content_length>,<qos>,
// <retain>.
type smPub struct {
	topic, topicRaw     string
	topicQuoted         bool
	length, qos, retain int
	lengthRaw           string // the length as logged
}

// parseSMPub reads AT+SMPUB arguments. The topic is the first argument; an
// unquoted topic with a comma in it would shift the rest, so the numbers
// are taken from the end.
func parseSMPub(args string) smPub {
	f := splitArgs(args, 0)
	p := smPub{length: -1, qos: -1}
	if len(f) == 0 {
		return p
	}
	p.topicRaw, p.topicQuoted = f[0], isQuoted(f[0])
	p.topic = unquote(f[0])
	nums := f[1:]
	if len(f) > 4 && !p.topicQuoted {
		p.topicRaw = strings.Join(f[:len(f)-3], ",")
		p.topic, nums = p.topicRaw, f[len(f)-3:]
	}
	p.length, p.qos, p.retain = intArg(nums, 0, -1), intArg(nums, 1, -1), intArg(nums, 2, 0)
	p.lengthRaw = strArg(nums, 0)
	return p
}

// final handles a final result code. SM* commands answer only OK or ERROR,
// so OK of AT+SMCONN is the CONNACK and ERROR says nothing more.
func (m *smMachine) final(ev *decode.Event, emit func(*Op)) {
	c := m.cmd
	if c == nil || c.final || c.op == nil || c.op.Status != StatusPending {
		m.result(ev, emit)
		return
	}
	op := c.op
	if ev.Name == "OK" {
		switch op.Kind {
		case OpConnect:
			m.state = smUp
		case OpDisconnect:
			m.state = smDown
		}
		if op.state.prompted && !m.sent.IsZero() {
			// SMPUB's OK is its result, not the moment the module took the
			// payload: the latency runs from the payload.
			c.final, op.gotFinal, op.state.answered = true, true, true
			op.Sent = m.sent
			m.complete(op, ev, StatusOK, "", "", emit)
			return
		}
		m.result(ev, emit)
		return
	}
	c.final = true
	code, reason := resultReason(ev.Name, ev.Args)
	switch op.Kind {
	case OpConnect:
		if ev.Name == "ERROR" {
			reason = "the connection failed; the module gives no reason (check the URL and port, client ID, user name and password, the bearer with AT+CNACT?, and that the client is not connected already)"
		}
	case OpDisconnect:
		if m.state == smDown {
			op.noteAs(NoteRemark, "the client was not connected")
		}
	default:
		if m.state == smDown {
			op.noteAs(NoteRemark, "the client was not connected at this point")
		}
	}
	m.complete(op, ev, StatusFailed, code, reason, emit)
}

func (m *smMachine) line(ev *decode.Event, emit func(*Op)) {
	switch ev.Name {
	case "+SMSUB":
		m.receive(ev, emit)
	case "+SMSTATE":
		if ev.Kind == decode.KindResponse {
			return // the answer to AT+SMSTATE?
		}
		st, code := StatusOK, strings.TrimSpace(ev.Args)
		var reason string
		switch n := intArg(splitArgs(ev.Args, 0), 0, -1); n {
		case 0:
			st, reason = StatusFailed, "the MQTT connection is down (the broker closed it or the link dropped); connect again with AT+SMCONN"
		case 1:
			reason = "connected"
		case 2:
			reason = "connected, session present"
		default:
			st, reason = StatusUnknown, "state "+code+" (not documented)"
		}
		op := m.op(0, OpLink, ev.Name)
		m.single(op, ev, st, code, reason, emit)
		if st == StatusFailed {
			m.state = smDown
			m.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: the connection went down (+SMSTATE: 0, line %d)", ev.Pos.Line), ev, emit)
		} else if st == StatusOK {
			m.state = smUp
		}
	case "+APP":
		if strings.Contains(strings.ToUpper(ev.Args), "DEACTIVE") {
			// The context tracker reports the bearer loss itself.
			if m.state == smUp {
				m.state = smDown
			}
			m.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: the bearer went down (+APP PDP: %s, line %d)", ev.Args, ev.Pos.Line), ev, emit)
		}
	}
}

// receive handles +SMSUB: "<topic>","<message>" and the variant
// +SMSUB: "<topic>",<len> with the message on the next line.
func (m *smMachine) receive(ev *decode.Event, emit func(*Op)) {
	f := splitArgs(ev.Args, 2)
	op := m.op(0, OpReceive, ev.Name)
	op.add(ev)
	if len(f) == 0 {
		op.noteAs(NoteRemark, "no topic")
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	if !isQuoted(f[0]) {
		op.noteAs(NoteDeviation, "topic not in quotes")
	}
	op.Topic = unquote(f[0])
	if len(f) < 2 {
		op.noteAs(NoteRemark, "no message field")
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	rest := f[1]
	if isNumber(rest) {
		op.PayloadLen, _ = atoi(rest)
		if op.PayloadLen > 0 {
			m.rx = op // the payload is the next data event
			return
		}
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	if g := splitArgs(rest, 2); len(g) == 2 && isNumber(g[0]) {
		n, _ := atoi(g[0])
		op.Payload = unquote(g[1])
		op.PayloadLen = n
		op.noteAs(NoteDeviation, "message with a length on the same line (not the manual's form)")
		if n != len(op.Payload) {
			op.noteLength(len(op.Payload), n, fmt.Sprintf("payload is %d bytes, length says %d", len(op.Payload), n))
		}
		m.rxPayload(op, ev)
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	if !isQuoted(rest) {
		op.noteAs(NoteDeviation, "message not in quotes")
	}
	op.Payload = unquote(rest)
	op.PayloadLen = len(op.Payload)
	m.rxPayload(op, ev)
	m.single(op, ev, StatusOK, "", "", emit)
}

// rxPayload decodes a hex payload (SUBHEX=1) and notes damage.
func (m *smMachine) rxPayload(op *Op, ev *decode.Event) {
	if ev.Problem != "" {
		op.noteProblem(ev)
		return
	}
	if m.cfg.subHex {
		if b, ok := decodeHex(op.Payload); ok {
			op.Payload, op.PayloadLen = string(b), len(b)
			op.noteAs(NoteRemark, "payload shown as hex by the module (SUBHEX=1); decoded")
		}
	}
}

// decodeHex decodes hex text, with or without spaces.
func decodeHex(s string) ([]byte, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

// appendOnce appends s unless list has it.
func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// smHooks tells the tokenizer how SM* payloads are framed.
type smHooks struct{}

func (smHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{names: smCommands}, claim{names: []string{"+SMSUB"}}, ""
}

func (smHooks) Payload(cmd *decode.Event) decode.Framing {
	if !isSMCommand(cmd.Name) {
		return decode.Framing{}
	}
	if cmd.Name == "+SMPUB" && cmd.Form == decode.FormWrite {
		if f, ok := countFraming(parseSMPub(cmd.Args).lengthRaw); ok {
			return f
		}
		return decode.Framing{}
	}
	return decode.Framing{Kind: decode.FrameNone}
}

// Tail makes the message of +SMSUB: "<topic>",<len> a data event.
func (smHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "+SMSUB" {
		return 0, 0
	}
	f := splitArgs(ev.Args, 0)
	if len(f) == 2 && isQuoted(f[0]) && isNumber(f[1]) {
		if n, _ := atoi(f[1]); n > 0 && n <= 1<<20 {
			return 0, n
		}
	}
	return 0, 0
}

func (smHooks) Bare(string) (string, bool, bool) { return "", false, false }

// isSMCommand reports whether name is one of the SM* MQTT commands (and
// not, say, a vendor's +SMS... command).
func isSMCommand(name string) bool {
	return slices.Contains(smCommands, name)
}

// smCommands are the SM* MQTT commands.
var smCommands = []string{"+SMCONF", "+SMCONN", "+SMPUB", "+SMSUB", "+SMUNSUB", "+SMDISC", "+SMSTATE", "+SMSSL", "+SMPUBHEX"}
