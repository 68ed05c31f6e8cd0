package dialect

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// SIMCom AT+CMQTT* (SIM7500/SIM7600/SIM7800, A76xx: A7670/A7672/A7608/A7680,
// SIM7670). Sources: SIMCom SIM7500_SIM7600_SIM7800 Series MQTT AT Command
// Manual V1.00, §2.2 commands (numbered here in the manual's command order,
// as SIMCom's MQTT(S) command pages list them), §2.3.1 <err> codes, §2.3.2
// URCs; LilyGO TinyGsmMqttA76xx.h and other drivers for the A76xx argtopic
// forms and +CMQTTRECV (dialects.md §4.2-4.6).
//
// The loading commands (TOPIC, PAYLOAD, SUBTOPIC, UNSUBTOPIC, WILLTOPIC,
// WILLMSG) are not operations of their own: their lines join the publish,
// subscribe, unsubscribe or connect that acts on what they loaded. A
// receive is told in four URCs (RXSTART, RXTOPIC, RXPAYLOAD, RXEND).
var simcom = &Dialect{
	Name:    "simcom",
	Doc:     "SIMCom AT+CMQTT* MQTT client (2 clients, load-then-act commands, multi-URC receive)",
	Modules: "SIM7500/SIM7600/SIM7800, A7670/A7672/A7608/A7680, SIM7670",
	Evidence: func(ev *decode.Event) int {
		if strings.HasPrefix(ev.Name, "+CMQTT") {
			return 10
		}
		return 0
	},
	Hooks:      simcomHooks{},
	NewMachine: func(file string) Machine { return newSimcom(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "+CMQTTSTART", Op: OpSetup, Result: ResultURC, Codes: simcomErrors, Cite: "§2.2.1: OK, then +CMQTTSTART: <err> (either order; 23 = already started, often with ERROR)"},
			{Name: "+CMQTTSTOP", Op: OpSetup, Result: ResultURC, Codes: simcomErrors, Cite: "§2.2.2: OK, then +CMQTTSTOP: <err>"},
			{Name: "+CMQTTACCQ", Op: OpSetup, Args: []ArgRole{ArgClient, ArgClientID, ArgScheme, ArgOther}, Codes: simcomErrors, CodeField: -1, Cite: "§2.2.3: OK, or +CMQTTACCQ: i,<err> and ERROR"},
			{Name: "+CMQTTREL", Op: OpSetup, Args: []ArgRole{ArgClient}, Codes: simcomErrors, CodeField: -1, Cite: "§2.2.4: OK"},
			{Name: "+CMQTTSSLCFG", NotOp: true, Args: []ArgRole{ArgClient, ArgOther}, Cite: "§2.2.5: OK"},
			{Name: "+CMQTTCFG", NotOp: true, Args: []ArgRole{ArgOther, ArgClient}, Cite: "§2.2.17: OK"},
			{Name: "+CMQTTWILLTOPIC", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "§2.2.6: prompt + <len> bytes of the will topic; joins the connect"},
			{Name: "+CMQTTWILLMSG", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen, ArgQoS}, Cite: "§2.2.7: prompt + <len> bytes of the will message; joins the connect"},
			{Name: "+CMQTTCONNECT", Op: OpConnect, Result: ResultURC, Args: []ArgRole{ArgClient, ArgURL, ArgKeepAlive, ArgClean, ArgUser, ArgPassword}, Codes: simcomErrors, Cite: "§2.2.9: OK, then +CMQTTCONNECT: i,<err> (27-31 = CONNACK refusals)"},
			{Name: "+CMQTTDISC", Op: OpDisconnect, Result: ResultURC, Args: []ArgRole{ArgClient, ArgOther}, Codes: simcomErrors, Cite: "§2.2.8: OK, then +CMQTTDISC: i,<err>"},
			{Name: "+CMQTTTOPIC", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "§2.2.10: prompt + <len> bytes of the topic; joins the publish"},
			{Name: "+CMQTTPAYLOAD", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "§2.2.11: prompt + <len> bytes of the payload; joins the publish"},
			{Name: "+CMQTTPUB", Op: OpPublish, Result: ResultURC, Args: []ArgRole{ArgClient, ArgQoS, ArgOther, ArgRetain, ArgOther}, Codes: simcomErrors, Cite: "§2.2.12: OK, then +CMQTTPUB: i,<err> (A76xx argtopic: prompt + <len>)"},
			{Name: "+CMQTTSUBTOPIC", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen, ArgQoS}, Cite: "§2.2.13: prompt + <len> bytes of one topic; joins the subscribe"},
			{Name: "+CMQTTSUB", Op: OpSubscribe, Result: ResultURC, Args: []ArgRole{ArgClient, ArgPayloadLen, ArgQoS, ArgOther}, Codes: simcomErrors, Cite: "§2.2.14: OK, then +CMQTTSUB: i,<err>; i,<len>,<qos>: prompt + <len>; A76xx: inline"},
			{Name: "+CMQTTUNSUBTOPIC", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Cite: "§2.2.15: prompt + <len> bytes of one topic; joins the unsubscribe"},
			{Name: "+CMQTTUNSUB", Op: OpUnsubscribe, Result: ResultURC, Args: []ArgRole{ArgClient, ArgPayloadLen, ArgOther}, Codes: simcomErrors, Cite: "§2.2.16: OK, then +CMQTTUNSUB: i,<err>; i,<len>,<dup>: prompt + <len>"},
			{Name: "+CMQTTRXSTART", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "§2.3.2.2: i,<topic_total_len>,<payload_total_len>: a receive starts"},
			{Name: "+CMQTTRXTOPIC", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "§2.3.2.2: i,<len>, then <len> bytes of the topic"},
			{Name: "+CMQTTRXPAYLOAD", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "§2.3.2.2: i,<len>, then <len> bytes of the payload"},
			{Name: "+CMQTTRXEND", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "§2.3.2.2: i: the receive is complete"},
			{Name: "+CMQTTRECV", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "A76xx argtopic: i,\"topic\",<n>,\"payload\" on the line (drivers; dialects.md §4.3)"},
			{Name: "+CMQTTCONNLOST", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: simcomLostCauses, Cite: "§2.3.2.1: i,<cause 1..3>: open ops abandoned",
				Advice: "Reconnect with an increasing delay."},
			{Name: "+CMQTTNONET", URC: true, Op: OpLink, Result: ResultUnsolicited, NetworkLost: true, Cite: "§2.3.2: the network is down, every client dead",
				Advice: "Wait for registration, start the service again with AT+CMQTTSTART, acquire the clients and connect again."},
			{Name: "+CMQTTPING", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: simcomPingCodes, KeepAlive: true, Cite: "A76xx: i,<err>: keep-alive ping failed (dialects.md §4.3)"},
			{Name: "+CSTT", NotOp: true, Args: []ArgRole{ArgAPN, ArgBearerUser, ArgBearerPassword}, Cite: "SIMCom TCP/IP: AT+CSTT=\"<apn>\",\"<user>\",\"<password>\""},
			{Name: "+SAPBR", NotOp: true, ArgsOf: simcomBearerArgs, Cite: "SIMCom bearer: AT+SAPBR=3,<cid>,\"<param>\",\"<value>\" (APN, USER, PWD)"},
		},
		Limits:           Limits{Clients: 2, Topic: 1024, Payload: 10240, ClientID: 128, Source: "SIMCom MQTT AT manual: topic 1-1024 bytes, payload 1-10240, client ID 1-128"},
		Acked:            true,
		AckEvidence:      "+CMQTTPUB: <idx>,0",
		Manual:           "the SIMCom MQTT AT command manual",
		MQTTRestart:      "start the MQTT service again (AT+CMQTTSTART), acquire the clients and connect",
		BearerAdvice:     "Make sure the module is registered and the APN is set (AT+CGDCONT) before AT+CMQTTSTART; wait for +CMQTTSTART: 0.",
		BearerLostAdvice: "Start the MQTT service again (AT+CMQTTSTART), acquire the clients and connect.",
	},
}

// simcomBearerArgs: AT+SAPBR=3,<cid>,"<param>","<value>" sets a bearer
// parameter; the value is a user name or password for USER and PWD.
func simcomBearerArgs(args []string) []ArgRole {
	if len(args) < 3 {
		return nil
	}
	switch strings.ToUpper(unquote(args[2])) {
	case "USER":
		return []ArgRole{ArgOther, ArgOther, ArgOther, ArgBearerUser}
	case "PWD":
		return []ArgRole{ArgOther, ArgOther, ArgOther, ArgBearerPassword}
	case "APN":
		return []ArgRole{ArgOther, ArgOther, ArgOther, ArgAPN}
	}
	return nil
}

func init() { Register(simcom) }

// Deadlines. The manual gives 120 s for AT+CMQTTSTART; publish and
// disconnect carry their own timeout; for the rest it gives none, so we
// allow 120 s, the longest a CONNACK commonly takes on a slow network.
const (
	simcomStartDeadline = 120 * time.Second
	simcomAckDeadline   = 120 * time.Second
	simcomSyncDeadline  = 10 * time.Second
	simcomSlack         = 10 * time.Second
)

type simcomClient struct {
	id      string
	tls     bool
	version int
	will    *Will
	// staged ops hold what the loading commands put in the client's
	// buffers until the command that acts on them.
	staged map[OpKind]*Op
	// rx is the receive told by +CMQTTRXSTART ... +CMQTTRXEND.
	rx                       *Op
	rxTopicLen, rxPayloadLen int           // the totals +CMQTTRXSTART announced
	rxTopicParts             int           // topic chunks seen
	opTimeout                time.Duration // AT+CMQTTCFG="optimeout"
}

// simcomHeld is the first half of an outcome that comes in two parts, a
// result URC and a final result code, in either order: the manual allows
// "OK, +CMQTTSTART: 0", "+CMQTTSTART: 0, OK", "+CMQTTSTART: 23, ERROR" and
// "ERROR, +CMQTTSTART: 23".
type simcomHeld struct {
	op     *Op
	ev     decode.Event // the event that gave the first half
	urc    bool         // the result URC came first (else the final code)
	err    int          // the URC's <err>
	st     Status
	code   string
	reason string
}

type simcomMachine struct {
	tracker
	clients map[int]*simcomClient
	load    *simcomLoad
	held    *simcomHeld
	// rxWant is the receive whose topic or payload chunk is the next data
	// event (Tail follow).
	rxWant *struct {
		op    *Op
		topic bool
	}
}

func newSimcom(file string) *simcomMachine {
	return &simcomMachine{tracker: newTracker(file, "simcom"), clients: map[int]*simcomClient{}}
}

func (m *simcomMachine) client(i int) *simcomClient {
	c, ok := m.clients[i]
	if !ok {
		c = &simcomClient{staged: map[OpKind]*Op{}}
		m.clients[i] = c
	}
	return c
}

func (m *simcomMachine) Feed(ev *decode.Event, emit func(*Op)) {
	m.tick(ev, emit)
	want := m.rxWant
	if ev.Kind != decode.KindText {
		m.rxWant = nil // a note between the URC and its data keeps it
	}
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		ev = resent(m.cmd, ev)
		if m.command(ev) {
			return
		}
		m.settle(emit)
		m.load = nil
		if strings.HasPrefix(ev.Name, "+CMQTT") {
			m.cmqttCommand(ev, emit)
		}
	case decode.KindPrompt:
		m.attach(ev)
	case decode.KindData:
		if want != nil && ev.Dir != decode.DirToModule {
			m.rxData(want.op, want.topic, ev)
			return
		}
		if op := m.attach(ev); op != nil {
			m.payload(op, ev)
		}
	case decode.KindResult:
		m.final(ev, emit)
	case decode.KindResponse, decode.KindURC:
		if strings.HasPrefix(ev.Name, "+CMQTT") {
			m.cmqttLine(ev, emit)
		}
	}
}

func (m *simcomMachine) Close(emit func(*Op)) {
	m.settle(emit)
	for _, i := range sortedKeys(m.clients) {
		c := m.clients[i]
		if c.rx != nil {
			c.rx.finish(nil, StatusPending, "", "the log ends before +CMQTTRXEND")
			emit(c.rx)
			c.rx = nil
		}
		m.dropStaged(c, StatusPending, "loaded, but the log ends before the command that acts on it", emit)
	}
	m.close(emit)
}

func (m *simcomMachine) cmqttCommand(ev *decode.Event, emit func(*Op)) {
	if ev.Form == decode.FormRead || ev.Form == decode.FormTest {
		return // read and test forms are not operations
	}
	var buf [argsOnStack]string
	args := appendArgs(buf[:0], ev.Args, 0)
	idx := intArg(args, 0, 0)
	c := m.client(idx)
	if _, ok := simcomLoaders[ev.Name]; ok {
		m.stage(ev, args, idx, c)
		return
	}
	same := func(k OpKind, name string) func(*Op) bool {
		return func(o *Op) bool { return o.Kind == k && o.Client == idx && (name == "" || o.Name == name) }
	}
	switch ev.Name {
	case "+CMQTTSTART", "+CMQTTSTOP":
		op := m.op(ModuleClient, OpSetup, ev.Name)
		lowerCase(op, ev)
		m.supersede(func(o *Op) bool { return o.Name == ev.Name }, ev, emit)
		m.begin(op, true, simcomStartDeadline)
	case "+CMQTTACCQ":
		op := m.op(idx, OpSetup, ev.Name)
		lowerCase(op, ev)
		m.badIndex(op, args)
		op.ClientID = strArg(args, 1)
		if len(args) > 1 && !isQuoted(args[1]) {
			op.noteAs(NoteDeviation, "client ID not in quotes (the manual quotes it)")
		}
		op.TLS = intArg(args, 2, 0) == 1
		op.Version = intArg(args, 3, 0)
		c.id, c.tls, c.version = op.ClientID, op.TLS, op.Version
		m.begin(op, false, simcomSyncDeadline)
	case "+CMQTTREL":
		op := m.op(idx, OpSetup, ev.Name)
		lowerCase(op, ev)
		m.dropStaged(c, StatusFailed, fmt.Sprintf("loaded, but the client was released (AT+CMQTTREL, line %d) before the command that acts on it", ev.Pos.Line), emit)
		c.will, c.id = nil, ""
		m.begin(op, false, simcomSyncDeadline)
	case "+CMQTTCFG":
		if strings.EqualFold(strArg(args, 0), "optimeout") && len(args) > 2 {
			if s, ok := atoi(args[2]); ok && s > 0 {
				m.client(intArg(args, 1, 0)).opTimeout = time.Duration(s) * time.Second
			}
		}
	case "+CMQTTCONNECT":
		m.supersede(same(OpConnect, ""), ev, emit)
		op := m.activate(c, OpConnect, ev)
		m.connect(op, args, c)
		m.begin(op, true, m.deadline(op, ev, c.ackDeadline()))
	case "+CMQTTDISC":
		op := m.op(idx, OpDisconnect, ev.Name)
		lowerCase(op, ev)
		m.badIndex(op, args)
		d := 180 * time.Second
		if t := intArg(args, 1, -1); t > 0 {
			d = time.Duration(t) * time.Second
		}
		m.begin(op, true, d+simcomSlack)
	case "+CMQTTSUB", "+CMQTTUNSUB":
		m.subscribe(ev, args, idx, c)
	case "+CMQTTPUB":
		m.publish(ev, args, idx, c)
	}
}

// ackDeadline is how long a CONNACK, SUBACK or UNSUBACK may take.
func (c *simcomClient) ackDeadline() time.Duration {
	if c.opTimeout > 0 {
		return c.opTimeout + simcomSlack
	}
	return simcomAckDeadline
}

// deadline extends d by the time the loading commands took before ev, so
// that a person typing them slowly does not time the op out.
func (m *simcomMachine) deadline(op *Op, ev *decode.Event, d time.Duration) time.Duration {
	if len(op.Seqs) > 0 && op.Timed && ev.TimeSrc == decode.TimeLog && ev.Time.After(op.Start) {
		d += ev.Time.Sub(op.Start)
	}
	return d
}

// badIndex notes a client index outside 0-1.
func (m *simcomMachine) badIndex(op *Op, args []string) {
	if len(args) == 0 {
		op.noteAs(NoteDeviation, "no client index: the manual's syntax starts with <client_index>")
		return
	}
	if i, ok := atoi(args[0]); !ok || i < 0 || i > 1 {
		op.noteAs(NoteDeviation, fmt.Sprintf("client index %s is outside 0-1", args[0]))
	}
}

// connect fills a connect op from AT+CMQTTCONNECT=<client_index>,
// "<server_addr>",<keepalive_time>[,<clean_session>[,"<user_name>"[,
// "<pass_word>"]]] and the client's acquired ID and will.
func (m *simcomMachine) connect(op *Op, args []string, c *simcomClient) {
	m.badIndex(op, args)
	op.ClientID, op.TLS, op.Version = c.id, c.tls, c.version
	if c.will != nil && c.will.Topic != "" {
		w := *c.will
		op.Will = &w
	}
	if len(args) > 1 {
		if !isQuoted(args[1]) {
			op.noteAs(NoteDeviation, "server address not in quotes (the manual quotes it)")
		}
		host, port, notes := parseSimcomServer(unquote(args[1]))
		op.Host, op.Port = host, port
		for _, n := range notes {
			op.note(n)
		}
		if op.Port == 8883 && !op.TLS {
			op.noteAs(NoteRemark, "port 8883 is the MQTT-over-TLS port, but AT+CMQTTACCQ did not ask for SSL/TLS (server_type 1)")
		}
	}
	keep, kok := atoi(strArg(args, 2))
	clean, cok := atoi(strArg(args, 3))
	if kok && cok && keep <= 1 && clean > 1 {
		keep, clean = clean, keep
		op.noteAs(NoteDeviation, "keepalive and clean_session swapped (the manual's order is <keepalive_time>,<clean_session>)")
	}
	if kok {
		op.KeepAlive = keep
		if keep < 1 || keep > 64800 {
			op.noteAs(NoteDeviation, fmt.Sprintf("keepalive %d s is outside 1-64800", keep))
		}
	} else {
		op.noteAs(NoteDeviation, "no keepalive_time: the manual requires it")
	}
	if cok {
		b := clean == 1
		op.Clean = &b
	}
	for i, field := range []*string{&op.Username, &op.Password} {
		if len(args) > 4+i {
			*field = strArg(args, 4+i)
			if !isQuoted(args[4+i]) {
				op.noteAs(NoteDeviation, "user name or password not in quotes (the manual quotes them)")
			}
		}
	}
}

// parseSimcomServer splits "tcp://host:port" [MQTT AT manual §2.2.9],
// accepting what logs show instead: no scheme, "ssl://" or "mqtt://", no
// port.
func parseSimcomServer(s string) (host string, port int, notes []string) {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i >= 0 {
		if scheme := strings.ToLower(s[:i]); scheme != "tcp" {
			notes = append(notes, fmt.Sprintf("scheme %q: the manual writes \"tcp://host:port\" also for TLS (chosen by AT+CMQTTACCQ)", s[:i]))
		}
		s = s[i+3:]
	} else {
		notes = append(notes, "server address without \"tcp://\" (the manual writes \"tcp://host:port\")")
	}
	s = strings.TrimSuffix(s, "/")
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.Contains(s[i+1:], "]") {
		if p, err := strconv.Atoi(s[i+1:]); err == nil {
			return strings.Trim(s[:i], "[]"), p, notes
		}
	}
	return s, 0, append(notes, "server address without a port")
}

// subscribe handles AT+CMQTTSUB and AT+CMQTTUNSUB in their three forms:
// on the loaded topics (<idx>[,<dup>]), with one topic after a prompt
// (<idx>,<len>,<qos>[,<dup>] / <idx>,<len>,<dup>), or with the topic inline
// (A76xx argtopic: <idx>,"<topic>",<qos>).
func (m *simcomMachine) subscribe(ev *decode.Event, args []string, idx int, c *simcomClient) {
	kind := OpSubscribe
	if ev.Name == "+CMQTTUNSUB" {
		kind = OpUnsubscribe
	}
	op := m.activate(c, kind, ev)
	loaded := len(op.Seqs) > 0
	m.badIndex(op, args)
	_, numeric := atoi(strArg(args, 1))
	switch {
	case len(args) > 1 && !numeric:
		if !isQuoted(args[1]) {
			op.noteAs(NoteDeviation, "topic not in quotes")
		}
		op.Topics = append(op.Topics, unquote(args[1]))
		if kind == OpSubscribe {
			op.Requested = append(op.Requested, intArg(args, 2, -1))
		}
		if kind == OpUnsubscribe {
			op.noteAs(NoteDeviation, "topic given inline in AT+CMQTTUNSUB (argtopic style; not in the SIM7600 manual)")
		}
	case len(args) >= 3:
		// the topic follows the prompt; payload() adds it
	case !loaded:
		op.noteAs(NoteRemark, fmt.Sprintf("no %s in the log before this command: it acts on the topics loaded before", map[OpKind]string{OpSubscribe: "AT+CMQTTSUBTOPIC", OpUnsubscribe: "AT+CMQTTUNSUBTOPIC"}[kind]))
	}
	m.topicsChanged(op)
	m.begin(op, true, m.deadline(op, ev, c.ackDeadline()))
}

// topicsChanged keeps Topic and QoS in step with Topics and Requested.
func (m *simcomMachine) topicsChanged(op *Op) {
	if len(op.Topics) > 0 {
		op.Topic = op.Topics[0]
	}
	if len(op.Requested) > 0 {
		op.QoS = op.Requested[0]
	}
}

// publish handles AT+CMQTTPUB=<idx>,<qos>,<pub_timeout>[,<retained>[,<dup>]]
// on the loaded topic and payload, and the A76xx argtopic form
// AT+CMQTTPUB=<idx>,"<topic>",<qos>,<len>[,<retained>[,<dup>]] with the
// payload after a prompt.
func (m *simcomMachine) publish(ev *decode.Event, args []string, idx int, c *simcomClient) {
	op := m.activate(c, OpPublish, ev)
	loaded := len(op.Seqs) > 0
	m.badIndex(op, args)
	d := simcomAckDeadline
	if len(args) > 1 && !isNumber(args[1]) {
		if !isQuoted(args[1]) {
			op.noteAs(NoteDeviation, "topic not in quotes")
		}
		op.Topic = unquote(args[1])
		op.QoS, op.PayloadLen = intArg(args, 2, -1), intArg(args, 3, -1)
		op.Retain = intArg(args, 4, 0) == 1
	} else {
		op.QoS = intArg(args, 1, -1)
		op.Retain = intArg(args, 3, 0) == 1
		if t, ok := atoi(strArg(args, 2)); ok {
			d = time.Duration(t)*time.Second + simcomSlack
			if t < 1 || t > 180 {
				op.noteAs(NoteDeviation, fmt.Sprintf("pub_timeout %d s is outside 60-180 (some manuals 1-180)", t))
			}
		} else {
			op.noteAs(NoteDeviation, "no pub_timeout: the manual's syntax is AT+CMQTTPUB=<client_index>,<qos>,<pub_timeout>[,<retained>[,<dup>]]")
		}
		switch {
		case !loaded:
			op.noteAs(NoteRemark, "no AT+CMQTTTOPIC/AT+CMQTTPAYLOAD in the log before this publish: it sends what was loaded before")
		case op.Topic == "":
			op.noteAs(NoteRemark, "no topic loaded in the log before this publish (the module answers 18, topic is empty, when there is none)")
		}
	}
	if op.QoS < 0 || op.QoS > 2 {
		op.noteAs(NoteDeviation, "no valid QoS (0-2)")
	}
	m.begin(op, true, m.deadline(op, ev, d))
}

// final handles a final result code: for a loading command, for an op
// whose result URC came first, or in the tracker's usual way.
func (m *simcomMachine) final(ev *decode.Event, emit func(*Op)) {
	c := m.cmd
	if c == nil || c.final {
		return
	}
	if l := m.load; l != nil && c.op == l.op {
		c.final = true
		m.load = nil
		m.loadResult(l, ev, emit)
		return
	}
	if h := m.held; h != nil && h.op == c.op {
		c.final = true
		m.held = nil
		op := h.op
		op.add(ev)
		st, code, reason := h.st, h.code, h.reason
		op.CodeFrom = CodeVendor
		if ev.Name != "OK" && st == StatusOK && h.err == 0 {
			st, code, reason = StatusFailed, ev.Name, "the module answered "+ev.Text+" after reporting success"
			op.CodeFrom = codeSourceOf(ev)
		}
		op.End, op.Timed = h.ev.Time, op.Timed && h.ev.TimeSrc == decode.TimeLog
		m.complete(op, nil, st, code, reason, emit)
		return
	}
	if op := c.op; op != nil && ev.Name != "OK" && op.state.async && op.Status == StatusPending && slices.Contains(m.open, op) {
		// The manual allows ERROR before the result URC: wait for it.
		c.final = true
		op.add(ev)
		op.state.answered = true
		op.setDeadline(0)
		code, reason := resultReason(ev.Name, ev.Args)
		m.held = &simcomHeld{op: op, ev: *ev, st: StatusFailed, code: code, reason: reason, err: -1}
		return
	}
	m.result(ev, emit)
}

// settle completes an op whose outcome came in one half only.
func (m *simcomMachine) settle(emit func(*Op)) {
	h := m.held
	if h == nil {
		return
	}
	m.held = nil
	if !slices.Contains(m.open, h.op) {
		return
	}
	if h.urc {
		h.op.noteAs(NoteRemark, "no final result code in the log after the result URC")
	}
	h.op.End, h.op.Timed = h.ev.Time, h.op.Timed && h.ev.TimeSrc == decode.TimeLog
	h.op.CodeFrom = CodeVendor
	if !h.urc {
		h.op.CodeFrom = codeSourceOf(&h.ev)
	}
	m.complete(h.op, nil, h.st, h.code, h.reason, emit)
}

func (m *simcomMachine) cmqttLine(ev *decode.Event, emit func(*Op)) {
	var buf [argsOnStack]string
	args := appendArgs(buf[:0], ev.Args, 0)
	idx := leadInt(strArg(args, 0), 0)
	switch ev.Name {
	case "+CMQTTSTART", "+CMQTTSTOP":
		m.outcome(ev, OpSetup, ev.Name, ModuleClient, intArg(args, 0, -1), emit)
	case "+CMQTTACCQ", "+CMQTTREL":
		if len(args) == 2 {
			m.outcome(ev, OpSetup, ev.Name, idx, intArg(args, 1, -1), emit)
		}
	case "+CMQTTCONNECT":
		if n, ok := ints(args); ok && len(n) == 2 {
			m.outcome(ev, OpConnect, "", idx, n[1], emit)
		}
	case "+CMQTTDISC":
		m.outcome(ev, OpDisconnect, "", idx, intArg(args, 1, -1), emit)
	case "+CMQTTSUB":
		m.outcome(ev, OpSubscribe, "", idx, intArg(args, 1, -1), emit)
	case "+CMQTTUNSUB":
		m.outcome(ev, OpUnsubscribe, "", idx, intArg(args, 1, -1), emit)
	case "+CMQTTPUB":
		m.outcome(ev, OpPublish, "", idx, intArg(args, 1, -1), emit)
	case "+CMQTTTOPIC", "+CMQTTPAYLOAD", "+CMQTTSUBTOPIC", "+CMQTTUNSUBTOPIC", "+CMQTTWILLTOPIC", "+CMQTTWILLMSG":
		if l := m.load; l != nil && l.name == ev.Name {
			l.code = strArg(args, 1)
			l.op.add(ev)
		}
	case "+CMQTTRXSTART":
		c := m.client(idx)
		if c.rx != nil {
			c.rx.finish(nil, StatusUnknown, "", fmt.Sprintf("no +CMQTTRXEND before the next +CMQTTRXSTART (line %d)", ev.Pos.Line))
			emit(c.rx)
		}
		op := m.op(idx, OpReceive, ev.Name)
		op.add(ev)
		c.rx, c.rxTopicLen, c.rxPayloadLen = op, intArg(args, 1, -1), intArg(args, 2, -1)
		c.rxTopicParts = 0
		op.PayloadLen = c.rxPayloadLen
	case "+CMQTTRXTOPIC", "+CMQTTRXPAYLOAD":
		c := m.client(idx)
		if c.rx == nil {
			c.rx = m.op(idx, OpReceive, ev.Name)
			c.rx.noteAs(NoteRemark, "no +CMQTTRXSTART in the log before "+ev.Name)
			c.rxTopicLen, c.rxPayloadLen = -1, -1
		}
		c.rx.add(ev)
		topic := ev.Name == "+CMQTTRXTOPIC"
		if topic {
			c.rxTopicParts++
		}
		if n := intArg(args, 1, 0); n > 0 {
			m.rxWant = &struct {
				op    *Op
				topic bool
			}{c.rx, topic}
		}
	case "+CMQTTRXEND":
		m.rxEnd(ev, idx, emit)
	case "+CMQTTRECV":
		m.recv(ev, emit)
	case "+CMQTTCONNLOST":
		cause := intArg(args, 1, -1)
		reason, ok := exactMeaning(simcomLostCauses, cause)
		if !ok {
			reason = fmt.Sprintf("connection lost, cause %d (not in the manual)", cause)
		}
		m.settle(emit)
		m.single(m.op(idx, OpLink, ev.Name), ev, StatusFailed, strings.Join(args[min(1, len(args)):], ","), reason, emit)
		m.lost(func(o *Op) bool { return o.Client == idx },
			fmt.Sprintf("abandoned: the connection was lost (+CMQTTCONNLOST: %d,%d, line %d)", idx, cause, ev.Pos.Line), ev, emit)
	case "+CMQTTNONET":
		m.settle(emit)
		m.single(m.op(ModuleClient, OpLink, ev.Name), ev, StatusFailed, "",
			"the network went down, so every MQTT client is disconnected; restart the service with AT+CMQTTSTART, then acquire and connect again", emit)
		m.lost(func(o *Op) bool { return true },
			fmt.Sprintf("abandoned: the network went down (+CMQTTNONET, line %d)", ev.Pos.Line), ev, emit)
	case "+CMQTTPING":
		err := intArg(args, 1, -1)
		st, reason := StatusOK, "keep-alive ping answered"
		if err != 0 {
			st, reason = StatusFailed, "keep-alive ping failed ("+simcomErrReason(err)+"); the connection is usually lost next"
		}
		m.single(m.op(idx, OpLink, ev.Name), ev, st, strArg(args, 1), reason, emit)
	}
}

// lost abandons the open ops and receives that match after a link loss.
func (m *simcomMachine) lost(match func(*Op) bool, why string, ev *decode.Event, emit func(*Op)) {
	m.abandon(match, why, ev, emit)
	for _, i := range sortedKeys(m.clients) {
		if c := m.clients[i]; c.rx != nil && match(c.rx) {
			c.rx.End = ev.Time
			c.rx.finish(nil, StatusFailed, "", "the connection was lost before +CMQTTRXEND")
			emit(c.rx)
			c.rx = nil
		}
	}
}

// outcome gives the open op of kind (and name, when given) of client idx
// its <err>. A URC before the command's final result code is held until
// that code; one after an ERROR completes the held op. With the command not
// in the log (echo off, RX-only capture) the URC alone makes the op.
func (m *simcomMachine) outcome(ev *decode.Event, kind OpKind, name string, idx, err int, emit func(*Op)) {
	op := m.find(func(o *Op) bool { return o.Kind == kind && o.Client == idx && (name == "" || o.Name == name) })
	st, reason := simcomOutcome(ev.Name, err)
	code := fmt.Sprint(err)
	if err < 0 {
		st, code, reason = StatusUnknown, "", "result URC without an <err> ("+ev.Text+")"
	}
	if op == nil {
		op = m.unlogged(idx, kind, ev.Name)
		op.setConnack(simcomConnack(kind, err))
		m.single(op, ev, st, code, reason, emit)
		return
	}
	op.setConnack(simcomConnack(kind, err))
	if h := m.held; h != nil && h.op == op {
		// ERROR came first; the URC says why.
		m.held = nil
		if st == StatusOK && err == 0 {
			st, code, reason = StatusFailed, h.code, h.reason
			op.CodeFrom = codeSourceOf(&h.ev)
			op.noteAs(NoteRemark, fmt.Sprintf("%s came after the ERROR", ev.Text))
		}
		m.complete(op, ev, st, code, reason, emit)
		return
	}
	if c := m.cmd; c != nil && c.op == op && !c.final {
		op.add(ev)
		op.state.answered = true
		op.setDeadline(0)
		m.held = &simcomHeld{op: op, ev: *ev, urc: true, err: err, st: st, code: code, reason: reason}
		return
	}
	m.complete(op, ev, st, code, reason, emit)
}

// resent returns ev as a new command when the tokenizer took it for the
// echo of the pending command c, in a log without direction marks, although
// it came seconds later: it is the host sending the same command again
// after waiting in vain ("AT+SMCONN" a minute later), not an echo, which
// follows within milliseconds.
func resent(c *pendingCmd, ev *decode.Event) *decode.Event {
	if ev.Kind == decode.KindEcho && ev.DirInferred && c != nil && !c.echoed && !c.final &&
		ev.TimeSrc == decode.TimeLog && c.ev.TimeSrc == decode.TimeLog && ev.Time.Sub(c.ev.Time) >= 5*time.Second {
		again := *ev
		again.Kind, again.Dir = decode.KindCommand, decode.DirToModule
		return &again
	}
	return ev
}

// isNumber reports whether an argument is an unquoted integer.
func isNumber(s string) bool {
	_, ok := atoi(s)
	return ok && !isQuoted(s)
}

// leadInt parses the digits at the start of s ("0" of "0+CMQTTRXSTART: …",
// a line whose end was lost), or def.
func leadInt(s string, def int) int {
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && (s[n] >= '0' && s[n] <= '9' || n == 0 && s[n] == '-') {
		n++
	}
	if v, err := strconv.Atoi(s[:n]); err == nil {
		return v
	}
	return def
}
