package dialect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// Quectel AT+QMT* (BG96/BG95/BG77, EC2x/EG9x/EM05, EC200/EC600/EC800/EG91x,
// BC26/BC660 NB-IoT). Sources: Quectel EC2x&EG9x&EM05 MQTT Application Note
// V1.0 §3.2 ("AN"); BG95&BG77&BG600L MQTT Application Note V1.1; BC660K-GL
// MQTT Application Note V1.2 (dialects.md §2). Payloads: AT+QMTPUB takes a
// prompt and Ctrl-Z, a prompt and a length, or the message inline (BC26);
// AT+QMTPUBEX a prompt and a length, or inline (older firmware).
var quectel = &Dialect{
	Name:    "quectel",
	Doc:     "Quectel AT+QMT* MQTT client (up to 6 clients, asynchronous result URCs)",
	Modules: "EC2x/EG9x/EM05, EC200/EC600/EC800/EG91x, BG96/BG95/BG77, BC26/BC660",
	Evidence: func(ev *decode.Event) int {
		if strings.HasPrefix(ev.Name, "+QMT") {
			return 10
		}
		return 0
	},
	Hooks:      quectelHooks{},
	NewMachine: func(file string) Machine { return newQuectel(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "+QMTCFG", NotOp: true, ArgsOf: quectelCfgArgs, Cite: "AN §3.2.1: OK; values feed the next open/connect"},
			{Name: "+QMTOPEN", Op: OpOpen, Result: ResultURC, ArgsOf: quectelOpenArgs, Codes: quectelOpenCodes, Cite: "AN §3.2.2: OK, then +QMTOPEN: i,<result>"},
			{Name: "+QMTCLOSE", Op: OpClose, Result: ResultURC, Args: []ArgRole{ArgClient}, Codes: quectelCloseCodes, Cite: "AN §3.2.3: OK, then +QMTCLOSE: i,<result>"},
			{Name: "+QMTCLS", Op: OpClose, Result: ResultURC, Args: []ArgRole{ArgClient}, Cite: "not in the manual: seen in logs for +QMTCLOSE"},
			{Name: "+QMTCONN", Op: OpConnect, Result: ResultURC, Args: []ArgRole{ArgClient, ArgClientID, ArgUser, ArgPassword}, Codes: quectelConnCodes, Cite: "AN §3.2.4: OK, then +QMTCONN: i,<result>[,<ret_code>] (ret_code: the CONNACK code)"},
			{Name: "+QMTDISC", Op: OpDisconnect, Result: ResultURC, Args: []ArgRole{ArgClient}, Codes: quectelDiscCodes, Cite: "AN §3.2.5: OK, then +QMTDISC: i,<result>"},
			{Name: "+QMTSUB", Op: OpSubscribe, Result: ResultURC, Args: []ArgRole{ArgClient, ArgMsgID, ArgTopic, ArgQoS}, Codes: quectelSendCodes, Cite: "AN §3.2.6: OK, then +QMTSUB: i,<msgID>,<result>[,<granted QoS>...]"},
			{Name: "+QMTUNS", Op: OpUnsubscribe, Result: ResultURC, Args: []ArgRole{ArgClient, ArgMsgID, ArgTopic}, Codes: quectelSendCodes, Cite: "AN §3.2.7: OK, then +QMTUNS: i,<msgID>,<result>"},
			{Name: "+QMTPUB", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgMsgID, ArgQoS, ArgRetain, ArgTopic, ArgPayloadLen}, Codes: quectelSendCodes, Cite: "AN §3.2.8: prompt + Ctrl-Z, prompt + length, or inline; OK, then +QMTPUB: i,<msgID>,<result>[,<n>]"},
			{Name: "+QMTPUBEX", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgMsgID, ArgQoS, ArgRetain, ArgTopic, ArgPayloadLen}, Codes: quectelSendCodes, Cite: "BG95 MQTT AN V1.1: prompt + length, or inline (older firmware); OK, then +QMTPUBEX: i,<msgID>,<result>"},
			{Name: "+QMTRECV", Op: OpReceive, Args: []ArgRole{ArgClient, ArgOther}, Cite: "AN §3.2.9, §4.2: AT+QMTRECV=i,<slot> reads buffered messages out (+QMTRECV: lines, OK); the URC is a direct push, or i,<slot> when buffered (recv/mode 1)"},
			{Name: "+QMTSTAT", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: quectelStatCodes, Cite: "AN §4.1: i,<err_code 1..7>: the link is down, open ops are abandoned"},
			{Name: "+QMTPING", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: quectelPingCodes, KeepAlive: true, Cite: "EC200x/EG91x keep-alive report: i,<result>"},
			{Name: "+QICSGP", NotOp: true, Args: []ArgRole{ArgOther, ArgOther, ArgAPN, ArgBearerUser, ArgBearerPassword}, Cite: "Quectel TCP/IP AT manual §2.1.1: AT+QICSGP=<cid>,<type>,\"<apn>\",\"<user>\",\"<password>\""},
		},
		Limits:           Limits{Clients: 6, Payload: 4096, Source: "BG95/EC2x MQTT application notes: payload at most 4096 bytes (BG77 1548, BC660 inline 1460)"},
		Acked:            true,
		AckEvidence:      "+QMTPUB: <idx>,<msgID>,0",
		Manual:           "the Quectel MQTT application note",
		MQTTRestart:      "AT+QMTOPEN and AT+QMTCONN again, and subscribe again with a clean session",
		ReceiveBuffer:    quectelRecvBuffer,
		BearerAdvice:     `Activate the PDP context before AT+QMTOPEN: AT+QICSGP=<cid>,1,"<apn>", AT+QIACT=<cid>, and check AT+QIACT? lists an IP address.`,
		BearerLostAdvice: "Reactivate the context (AT+QIACT=<cid>, check AT+QIACT?), then AT+QMTOPEN and AT+QMTCONN again, and subscribe again with a clean session.",
	},
}

func init() { Register(quectel) }

// quectelOpenArgs: AT+QMTOPEN=<idx>,"<host>",<port>. BC26 logs show a
// protocol word before the host (AT+QMTOPEN=0,"tcp","<host>",<port>; not in
// dialects.md §2.2, seen in samples/bc26-huawei-qcom.log): with four or more
// arguments and "tcp" or "udp" (quoted or not) second, the host and port
// move one place. An unquoted host is no protocol word
// (AT+QMTOPEN=0,mqtt.example.com,1883).
func quectelOpenArgs(args []string) []ArgRole {
	if quectelProtocolArg(args) {
		return []ArgRole{ArgClient, ArgScheme, ArgHost, ArgPort}
	}
	return []ArgRole{ArgClient, ArgHost, ArgPort}
}

// quectelProtocolArg says whether AT+QMTOPEN's second argument is the BC26
// protocol word (see quectelOpenArgs).
func quectelProtocolArg(args []string) bool {
	if len(args) < 4 {
		return false
	}
	p := strings.ToLower(unquote(strings.TrimSpace(args[1])))
	return p == "tcp" || p == "udp"
}

// quectelCfgArgs: AT+QMTCFG="<item>",<idx>,<values>; the cloud
// authentication items carry device identities and secrets [AN §3.2.1;
// dialects.md §2.4].
func quectelCfgArgs(args []string) []ArgRole {
	head := []ArgRole{ArgOther, ArgClient}
	switch itemOf(args) {
	case "aliauth": // "aliauth",<idx>,"<product key>","<device name>","<device secret>"
		return append(head, ArgDeviceID, ArgDeviceID, ArgDeviceSecret)
	case "onenet", "hwauth": // "onenet",<idx>,"<product id>","<access key>"; "hwauth",<idx>,"<device id>","<device secret>"
		return append(head, ArgDeviceID, ArgDeviceSecret)
	case "hwprodid": // "hwprodid",<idx>,"<product id>","<product secret>","<node id>"
		return append(head, ArgDeviceID, ArgDeviceSecret, ArgDeviceID)
	case "ctwing": // "CTWing",<idx>,"<client id>","<feature string>"
		return append(head, ArgClientID, ArgDeviceSecret)
	case "will": // "will",<idx>,<flag>,<qos>,<retain>,"<topic>","<msg>"
		return append(head, ArgOther, ArgQoS, ArgRetain, ArgTopic, ArgPayload)
	case "keepalive":
		return append(head, ArgKeepAlive)
	case "session":
		return append(head, ArgClean)
	}
	return head
}

// quectelOpenCodes: +QMTOPEN <result> [AN §3.2.2; dialects.md §2.3.1].
var quectelOpenCodes = []Code{
	{N: -1, Meaning: "failed to open the network",
		Advice: "The module could not open a network connection. Check registration (AT+CEREG? or AT+CREG? must show 1 or 5) and that a PDP context is active (AT+QIACT? lists an IP address), then retry AT+QMTOPEN."},
	{N: 0, Meaning: "network opened", Normal: true},
	{N: 1, Meaning: "wrong parameter",
		Advice: `Check the arguments: AT+QMTOPEN=<client_idx 0-5>,"<host>",<port>, the host in quotes and at most 100 bytes, and the AT+QMTCFG items set for this client before the open ("ssl", "pdpcid").`},
	{N: 2, Meaning: "MQTT client identifier is occupied (open it after a QMTCLOSE, or use another client_idx)",
		Advice: "This client_idx is still open. Close it with AT+QMTCLOSE=<idx> (or AT+QMTDISC=<idx>) and wait for +QMTCLOSE before opening it again, or use another client_idx."},
	{N: 3, Meaning: "failed to activate the PDP context",
		Advice: `Activate the PDP context first: set the APN with AT+QICSGP=<cid>,1,"<apn>", activate it with AT+QIACT=<cid> and check that AT+QIACT? lists an IP address; AT+QMTCFG="pdpcid" must name that context.`},
	{N: 4, Meaning: "failed to parse the domain name",
		Advice: "The host name did not resolve. Check its spelling, that the PDP context has DNS servers (AT+QIDNSCFG), or try the broker's IP address to tell DNS from reachability."},
	{N: 5, Meaning: "network connection error",
		Advice: `The TCP connection to the broker failed. Check host and port, that the broker accepts connections from the carrier's network (firewall, IP allow-list), and for TLS that AT+QMTCFG="ssl" and the SSL context match the port (8883).`},
}

// quectelSendCodes: the <result> of +QMTSUB, +QMTUNS, +QMTPUB, +QMTPUBEX
// [AN §3.2.6-3.2.8; dialects.md §2.3.3].
var quectelSendCodes = []Code{
	{N: 0, Meaning: "sent and acknowledged", Normal: true},
	{N: 1, Meaning: "packet retransmission (no acknowledgement yet)", Normal: true},
	{N: 2, Meaning: "failed to send the packet",
		Advice: "The packet could not be sent: the client is not connected or the link dropped (look for +QMTSTAT before it). Reconnect before subscribing or publishing, and check the topic and its permissions."},
}

// quectelConnCodes: the <result> of +QMTCONN [AN §3.2.4; dialects.md
// §2.3.2]; with result 0 a non-zero <ret_code> is the CONNACK refusal
// (ConnackCodes).
var quectelConnCodes = []Code{
	{N: 0, Meaning: "sent and acknowledged", Normal: true},
	{N: 1, Meaning: "packet retransmission (no acknowledgement yet)", Normal: true,
		Advice: `The CONNECT is being retransmitted (no CONNACK yet). Wait for the final +QMTCONN; if it repeats, the broker is slow or unreachable: check the network and raise AT+QMTCFG="timeout".`},
	{N: 2, Meaning: "failed to send the packet",
		Advice: "The CONNECT could not be sent: the TCP link is probably down (look for +QMTSTAT before it). Reopen with AT+QMTOPEN, then send AT+QMTCONN right after +QMTOPEN: <idx>,0."},
}

// quectelCloseAdvice is the advice for -1 of +QMTCLOSE and +QMTDISC.
const quectelCloseAdvice = "The module could not disconnect or close: the link was probably down already. After a +QMTSTAT the client is closed anyway; reopen directly."

// quectelCloseCodes, quectelDiscCodes: the <result> of +QMTCLOSE and
// +QMTDISC [AN §3.2.3, §3.2.5; dialects.md §2.2].
var (
	quectelCloseCodes = []Code{{N: 0, Meaning: "closed", Normal: true}, {N: -1, Meaning: "failed to close the network", Advice: quectelCloseAdvice}}
	quectelDiscCodes  = []Code{{N: 0, Meaning: "DISCONNECT sent", Normal: true}, {N: -1, Meaning: "failed to disconnect", Advice: quectelCloseAdvice}}
)

// quectelStatCodes: +QMTSTAT <err_code>, with the action the manual
// recommends first [AN §4.1; dialects.md §2.3.4].
var quectelStatCodes = []Code{
	{N: 1, Meaning: "connection closed or reset by the peer; reopen with AT+QMTOPEN, then reconnect",
		Advice: "Reopen with AT+QMTOPEN, then reconnect (the manual's action). Right after an open, CONNECT came too late; right after a CONNECT, the broker rejected the session (credentials, a client ID already connected elsewhere); at regular intervals, compare the keep-alive with the broker's and the carrier's idle limits."},
	{N: 2, KeepAlive: true, Meaning: "sending PINGREQ failed or timed out; deactivate and reactivate the PDP context, then reopen",
		Advice: "Deactivate and reactivate the PDP context (AT+QIDEACT, AT+QIACT), then AT+QMTOPEN and reconnect (the manual's action). If it repeats, lower the keep-alive: cellular NATs drop idle TCP mappings, and check the signal."},
	{N: 3, Meaning: "sending CONNECT failed or timed out; check user name, password and client ID, then reopen",
		Advice: "Check the user name, password and client ID, then reopen with AT+QMTOPEN and connect again (the manual's action)."},
	{N: 4, Meaning: "receiving CONNACK failed or timed out; check user name, password and client ID, then reopen",
		Advice: "Check the user name, password and client ID (some brokers drop a bad CONNECT without a CONNACK) and the TLS settings for port 8883, then reopen and connect again (the manual's action)."},
	{N: 5, Meaning: "the client sent DISCONNECT and the server closed the connection (normal)", Normal: true,
		Advice: "Nothing to do: the client sent DISCONNECT and the server closed the connection, as it should."},
	{N: 6, Meaning: "the client closed the connection after repeated packet-send failures; check the data, then reopen",
		Advice: "Check the data being sent (payload size, topic permissions) and the signal, then reopen with AT+QMTOPEN (the manual's action)."},
	{N: 7, Meaning: "link not alive or the server is unavailable; check the server, then reopen",
		Advice: "Check the broker (address, port, service status) and the network, then reopen with AT+QMTOPEN (the manual's action)."},
	{N: 8, Thru: 255, Meaning: "reserved", Advice: "Codes 8-255 are reserved: reopen with AT+QMTOPEN and reconnect."},
}

// quectelPingCodes: +QMTPING <result> (EC200x/EG91x; dialects.md §2.3.4).
var quectelPingCodes = []Code{
	{N: 0, Meaning: "keep-alive ping answered", Normal: true},
	{N: -255, Thru: 255, KeepAlive: true, Meaning: "keep-alive ping failed",
		Advice: "A keep-alive ping failed; the link is usually lost next. Check the signal; if it repeats, lower the keep-alive (AT+QMTCFG=\"keepalive\")."},
}

// quectelConfig is a client's AT+QMTCFG state [EC2x MQTT AN §3.2.1]. The
// zero values stand for the manual's defaults.
type quectelConfig struct {
	version     int
	keepalive   *int
	clean       *bool
	will        *Will
	ssl         bool
	pktTimeout  int
	retries     int
	recvLenFlag bool
}

type quectelClient struct {
	cfg   quectelConfig
	slots map[int]*Op // buffered receives announced by +QMTRECV: i,<slot>
}

type quectelMachine struct {
	tracker
	clients map[int]*quectelClient
	readout struct { // the AT+QMTRECV=i[,slot] read-out in progress
		active       bool
		client, slot int
	}
}

func newQuectel(file string) *quectelMachine {
	return &quectelMachine{tracker: newTracker(file, "quectel"), clients: map[int]*quectelClient{}}
}

func (q *quectelMachine) client(i int) *quectelClient {
	c, ok := q.clients[i]
	if !ok {
		c = &quectelClient{slots: map[int]*Op{}}
		q.clients[i] = c
	}
	return c
}

func (q *quectelMachine) Feed(ev *decode.Event, emit func(*Op)) {
	q.tick(ev, emit)
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if q.command(ev) {
			return
		}
		q.readout.active = false
		if strings.HasPrefix(ev.Name, "+QMT") {
			q.qmtCommand(ev, emit)
		}
	case decode.KindPrompt:
		q.attach(ev)
	case decode.KindData:
		q.takePayload(ev)
	case decode.KindResult:
		q.result(ev, emit)
		q.readout.active = false
	case decode.KindResponse, decode.KindURC:
		if strings.HasPrefix(ev.Name, "+QMT") {
			q.qmtLine(ev, emit)
		}
	case decode.KindText:
		q.note(ev)
	}
}

func (q *quectelMachine) Close(emit func(*Op)) {
	for _, i := range sortedKeys(q.clients) {
		for _, s := range sortedKeys(q.clients[i].slots) {
			op := q.clients[i].slots[s]
			op.finish(nil, StatusPending, "", fmt.Sprintf("buffered in slot %d and never read out with AT+QMTRECV", s))
			emit(op)
		}
	}
	q.close(emit)
}

// deadline is how long a client's packet may take to be acknowledged:
// pkt_timeout × (retries + 1), defaults 5 s and 3, plus slack for the URC.
func (c *quectelClient) deadline() time.Duration {
	t, r := c.cfg.pktTimeout, c.cfg.retries
	if t <= 0 {
		t = 5
	}
	if r <= 0 {
		r = 3
	}
	return time.Duration(t*(r+1)+5) * time.Second
}

func (q *quectelMachine) qmtCommand(ev *decode.Event, emit func(*Op)) {
	if ev.Form != decode.FormWrite && !(ev.Form == decode.FormExec && ev.Name == "+QMTRECV") {
		return // read and test forms are not operations
	}
	var buf [argsOnStack]string
	args := appendArgs(buf[:0], ev.Args, 0)
	idx := intArg(args, 0, 0)
	if ev.Name == "+QMTCFG" {
		q.configure(args)
		return
	}
	c := q.client(idx)
	sameClient := func(k OpKind) func(*Op) bool {
		return func(op *Op) bool { return op.Kind == k && op.Client == idx }
	}
	op := q.op(idx, OpOpen, ev.Name)
	lowerCase(op, ev)
	switch ev.Name {
	case "+QMTOPEN":
		q.supersede(sameClient(OpOpen), ev, emit)
		host, port := 1, 2
		if quectelProtocolArg(args) {
			host, port = 2, 3
			op.noteAs(NoteDeviation, fmt.Sprintf("extra protocol argument %s (BC26-style); the manual has AT+QMTOPEN=<idx>,\"<host>\",<port>", args[1]))
		}
		if host < len(args) && !isQuoted(args[host]) {
			op.noteAs(NoteDeviation, "host name not in quotes (the manual quotes it)")
		}
		op.Host, op.Port, op.TLS = strArg(args, host), intArg(args, port, 0), c.cfg.ssl
		q.begin(op, true, 180*time.Second)
	case "+QMTCLOSE", "+QMTCLS":
		if ev.Name == "+QMTCLS" {
			op.noteAs(NoteDeviation, "AT+QMTCLS is not in the manual; the command is AT+QMTCLOSE")
		}
		op.Kind = OpClose
		q.begin(op, true, 30*time.Second)
	case "+QMTCONN":
		q.supersede(sameClient(OpConnect), ev, emit)
		op.Kind = OpConnect
		op.ClientID = strArg(args, 1)
		var quoted []string
		for _, a := range args[min(2, len(args)):] {
			if isQuoted(a) {
				quoted = append(quoted, unquote(a))
			} else {
				op.noteAs(NoteDeviation, "AT+QMTCONN takes <idx>,\"<clientID>\"[,\"<username>\",\"<password>\"]; unquoted or extra arguments deviate from the manual")
			}
		}
		if len(quoted) > 0 {
			op.Username = quoted[0]
		}
		if len(quoted) > 1 {
			op.Password = quoted[1]
		}
		q.applyConfig(op, c)
		q.begin(op, true, c.deadline())
	case "+QMTDISC":
		op.Kind = OpDisconnect
		q.begin(op, true, 30*time.Second)
	case "+QMTSUB", "+QMTUNS":
		op.Kind = OpSubscribe
		if ev.Name == "+QMTUNS" {
			op.Kind = OpUnsubscribe
		}
		q.topics(op, args)
		q.begin(op, true, c.deadline())
	case "+QMTPUB", "+QMTPUBEX":
		op.Kind = OpPublish
		q.publish(op, ev.Args, args)
		q.begin(op, true, c.deadline())
	case "+QMTRECV":
		q.readout.active, q.readout.client, q.readout.slot = true, idx, intArg(args, 1, -1)
	}
}

// configure keeps AT+QMTCFG values for the client's next open and connect.
func (q *quectelMachine) configure(args []string) {
	item := strings.ToLower(strArg(args, 0))
	idx := intArg(args, 1, 0)
	if len(args) < 3 {
		return // a query
	}
	cfg := &q.client(idx).cfg
	v := args[2:]
	switch item {
	case "version":
		cfg.version = intArg(v, 0, 0)
	case "keepalive":
		ka := intArg(v, 0, 120)
		cfg.keepalive = &ka
	case "session":
		clean := intArg(v, 0, 1) == 1
		cfg.clean = &clean
	case "ssl":
		cfg.ssl = intArg(v, 0, 0) == 1
	case "timeout":
		cfg.pktTimeout, cfg.retries = intArg(v, 0, 0), intArg(v, 1, 0)
	case "will":
		if intArg(v, 0, 0) == 1 {
			cfg.will = &Will{QoS: intArg(v, 1, 0), Retain: intArg(v, 2, 0) == 1, Topic: strArg(v, 3), Message: strArg(v, 4)}
		} else {
			cfg.will = nil
		}
	case "recv/mode":
		cfg.recvLenFlag = intArg(v, 1, 0) == 1
	case "showrecvlen":
		cfg.recvLenFlag = intArg(v, 0, 0) == 1
	}
}

// applyConfig copies what AT+QMTCFG set, or the manual's defaults
// (keep-alive 120 s, clean session, MQTT 3.1.1), into a connect.
func (q *quectelMachine) applyConfig(op *Op, c *quectelClient) {
	op.KeepAlive, op.Version, op.Will, op.TLS = 120, 4, c.cfg.will, c.cfg.ssl
	if c.cfg.keepalive != nil {
		op.KeepAlive = *c.cfg.keepalive // 0 turns keep-alive off
	}
	if c.cfg.version == 3 {
		op.Version = 3
	}
	clean := true
	if c.cfg.clean != nil {
		clean = *c.cfg.clean
	}
	op.Clean = &clean
}

// topics reads the arguments of AT+QMTSUB=<idx>,<msgID>,"<topic>",<qos>...
// or AT+QMTUNS=<idx>,<msgID>,"<topic>"..., accepting what real logs show:
// a missing msgID, a missing QoS, unquoted topics.
func (q *quectelMachine) topics(op *Op, args []string) {
	rest := args[min(1, len(args)):]
	if id, ok := atoi(strArg(args, 1)); ok && len(args) > 1 && !isQuoted(args[1]) {
		op.MsgID, rest = id, args[2:]
		if id < 1 || id > 65535 {
			op.noteAs(NoteDeviation, fmt.Sprintf("msgID %d is outside 1-65535", id))
		}
	} else {
		op.noteAs(NoteDeviation, "no msgID: the manual's syntax is "+op.Name+"=<idx>,<msgID>,\"<topic>\"...")
	}
	for i := 0; i < len(rest); i++ {
		if !isQuoted(rest[i]) {
			op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
		}
		op.Topics = append(op.Topics, unquote(rest[i]))
		if op.Kind == OpSubscribe {
			if i+1 < len(rest) {
				if qos, ok := atoi(rest[i+1]); ok {
					op.Requested = append(op.Requested, qos)
					i++
					continue
				}
			}
			op.noteAs(NoteDeviation, "topic without a QoS")
			op.Requested = append(op.Requested, -1)
		}
	}
	if len(op.Topics) > 0 {
		op.Topic = op.Topics[0]
	}
	if len(op.Requested) > 0 {
		op.QoS = op.Requested[0]
	}
}

// quectelPub is the argument list of AT+QMTPUB/AT+QMTPUBEX. The manual's
// order is <idx>,<msgID>,<qos>,<retain>,"<topic>"[,<len>][,"<msg>"]; posts
// and seeds also show <idx>,"<topic>",<qos>,<retain>,<msg> (no msgID) and
// <idx>,<msgID>,"<topic>",<qos>,<retain>,...,<len> (topic first), so the
// topic is found as the first quoted argument.
type quectelPub struct {
	msgID, qos, retain int
	topic              string
	topicQuoted        bool
	layout             string // "" for the manual's order, else what deviates
	tail               string // what follows the topic: "", "<len>", "<msg>", "<len>,<msg>"
}

// quectelPubTail is what follows the topic of a publish command's
// arguments: parseQuectelPubArgs's tail. The hooks ask it of every publish,
// nearly all in the manual's order <idx>,<msgID>,<qos>,<retain>,"<topic>",<len>,
// which needs no more than the split.
func quectelPubTail(args string) string {
	var buf [argsOnStack]string
	all := appendArgs(buf[:0], args, 0)
	if len(all) == 6 && !isQuoted(all[1]) && !isQuoted(all[2]) && !isQuoted(all[3]) {
		return all[5] // the topic is all[4], and no payload follows the length
	}
	return parseQuectelPubArgs(args, all).tail
}

// parseQuectelPubArgs parses a publish command's arguments, args split into
// all.
func parseQuectelPubArgs(args string, all []string) quectelPub {
	ti := 4
	for i := 1; i < len(all) && i < 4; i++ {
		if isQuoted(all[i]) {
			ti = i
			break
		}
	}
	f := all // the same fields, unless the payload after them holds commas
	if len(all) > ti+2 {
		var buf [argsOnStack]string
		f = appendArgs(buf[:0], args, ti+2)
	}
	p := quectelPub{msgID: intArg(f, 1, -1), qos: intArg(f, 2, -1), retain: intArg(f, 3, 0)}
	switch ti {
	case 1:
		p.msgID, p.layout = -1, "no msgID"
	case 2:
		p.qos, p.retain, p.layout = intArg(all, 3, -1), intArg(all, 4, 0), "topic before QoS and retain"
		f = []string{all[0], all[1], strArgRaw(all, 3), strArgRaw(all, 4), all[2]}
		if len(all) > 5 {
			f = append(f, all[len(all)-1]) // the last bare number is the length
		}
		ti = 4
	}
	if ti < len(f) {
		p.topic, p.topicQuoted = unquote(f[ti]), isQuoted(f[ti])
	}
	if ti+1 < len(f) {
		p.tail = f[ti+1]
	}
	return p
}

// framing is how the payload arrives: after a prompt, counted or up to
// Ctrl-Z, or inline in the command (no prompt).
func (p quectelPub) framing(name string) decode.Framing {
	if p.tail == "" && name == "+QMTPUB" {
		return decode.Framing{Kind: decode.FrameCtrlZ}
	}
	if f, ok := countFraming(p.tail); ok {
		return f
	}
	return decode.Framing{Kind: decode.FrameNone}
}

// publish fills a publish op from its command's arguments, argText split
// into args.
func (q *quectelMachine) publish(op *Op, argText string, args []string) {
	p := parseQuectelPubArgs(argText, args)
	op.MsgID, op.QoS, op.Retain, op.Topic = p.msgID, p.qos, p.retain == 1, p.topic
	if p.layout != "" {
		op.noteAs(NoteDeviation, "arguments out of the manual's order ("+p.layout+"): "+op.Name+"=<idx>,<msgID>,<qos>,<retain>,\"<topic>\"...")
	}
	if !p.topicQuoted {
		op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
	}
	if f := p.framing(op.Name); f.Kind != decode.FrameNone {
		if f.Kind == decode.FrameCount && f.Bad == "" {
			op.PayloadLen = f.N
		}
		return // the payload follows the prompt
	}
	tail, declared := p.tail, -1
	if i := strings.IndexByte(tail, ','); i > 0 && !isQuoted(tail[:i]) {
		if n, ok := atoi(tail[:i]); ok {
			declared, tail = n, tail[i+1:] // BC660: <len>,"<msg>"
		}
	}
	op.Payload = unquote(tail)
	op.PayloadLen = len(op.Payload)
	op.noteAs(NoteRemark, "payload given inline (older or NB-IoT firmware form)")
	if declared >= 0 && declared != op.PayloadLen {
		op.noteLength(op.PayloadLen, declared, fmt.Sprintf("payload is %d bytes, length says %d", op.PayloadLen, declared))
	}
}

// qmtLine handles a +QMT* response or URC.
func (q *quectelMachine) qmtLine(ev *decode.Event, emit func(*Op)) {
	fields := 0
	if ev.Name == "+QMTRECV" {
		fields = 4 // receive takes the payload whole
	}
	var buf [argsOnStack]string
	args := appendArgs(buf[:0], ev.Args, fields)
	idx := intArg(args, 0, 0)
	switch ev.Name {
	case "+QMTOPEN":
		q.outcome(ev, OpOpen, idx, intArg(args, 1, -9), quectelOpenCodes, emit)
	case "+QMTCLOSE":
		q.outcome(ev, OpClose, idx, intArg(args, 1, -9), quectelCloseCodes, emit)
	case "+QMTDISC":
		q.outcome(ev, OpDisconnect, idx, intArg(args, 1, -9), quectelDiscCodes, emit)
	case "+QMTCONN":
		q.connResult(ev, idx, args, emit)
	case "+QMTSUB", "+QMTUNS", "+QMTPUB", "+QMTPUBEX":
		q.ackResult(ev, idx, args, emit)
	case "+QMTRECV":
		q.receive(ev, idx, args, emit)
	case "+QMTSTAT":
		code := intArg(args, 1, 0)
		op := q.op(idx, OpLink, ev.Name)
		reason, ok := exactMeaning(quectelStatCodes, code)
		if !ok {
			reason = fmt.Sprintf("link state change %d (reserved)", code)
		}
		st := StatusFailed
		if code == 5 {
			st = StatusOK
		}
		q.single(op, ev, st, strconv.Itoa(code), reason, emit)
		q.abandon(func(o *Op) bool { return o.Client == idx },
			fmt.Sprintf("abandoned: the link went down (+QMTSTAT: %d,%d, line %d)", idx, code, ev.Pos.Line), ev, emit)
	default:
		q.damagedAck(ev, idx, args, emit)
	case "+QMTPING":
		res := intArg(args, 1, 0)
		st := StatusFailed
		if res == 0 {
			st = StatusOK
		}
		row, _ := findCode(quectelPingCodes, res)
		reason := row.Meaning
		q.single(q.op(idx, OpLink, ev.Name), ev, st, strconv.Itoa(res), reason, emit)
	}
}

// outcome completes the open op of kind for client idx with a +QMT result.
// When the log shows no command for it (echo off and the command line not
// captured), the URC alone makes the op.
func (q *quectelMachine) outcome(ev *decode.Event, kind OpKind, idx, result int, codes []Code, emit func(*Op)) {
	op := q.find(func(o *Op) bool { return o.Kind == kind && o.Client == idx })
	if op == nil {
		op = q.unlogged(idx, kind, ev.Name)
	}
	reason, st := codeVerdict(codes, result)
	q.complete(op, ev, st, strconv.Itoa(result), reason, emit)
}

// connResult handles +QMTCONN: <idx>,<result>[,<ret_code>].
func (q *quectelMachine) connResult(ev *decode.Event, idx int, args []string, emit func(*Op)) {
	op := q.find(func(o *Op) bool { return o.Kind == OpConnect && o.Client == idx })
	if op == nil {
		op = q.unlogged(idx, OpConnect, ev.Name)
		q.open = append(q.open, op)
	}
	res, ret := intArg(args, 1, -9), intArg(args, 2, -1)
	switch {
	case res == 1:
		op.Retries++
		op.add(ev)
	case res == 0 && (ret == 0 || ret == -1):
		op.setConnack(ret)
		q.complete(op, ev, StatusOK, strings.Join(from(args, 1), ","), "", emit)
	case res == 0:
		op.setConnack(ret)
		q.complete(op, ev, StatusFailed, strings.Join(from(args, 1), ","), "CONNACK "+connackReason(ret), emit)
	default: // 0 and 1 are handled above: codeVerdict says failed
		reason, st := codeVerdict(quectelSendCodes, res)
		q.complete(op, ev, st, strings.Join(from(args, 1), ","), reason, emit)
	}
}

// quectelAcks are the ops whose acknowledgement each result URC reports.
var quectelAcks = map[string]OpKind{"+QMTSUB": OpSubscribe, "+QMTUNS": OpUnsubscribe, "+QMTPUB": OpPublish, "+QMTPUBEX": OpPublish}

// ackResult handles +QMTSUB/+QMTUNS/+QMTPUB/+QMTPUBEX:
// <idx>,<msgID>,<result>[,<value>...], keyed by client and msgID (oldest
// first, since QoS 0 publishes may all use msgID 0).
func (q *quectelMachine) ackResult(ev *decode.Event, idx int, args []string, emit func(*Op)) {
	kind := quectelAcks[ev.Name]
	id := intArg(args, 1, -1)
	op := q.findByMsgID(kind, idx, id)
	if op == nil {
		op = q.find(func(o *Op) bool { return o.Kind == kind && o.Client == idx && o.MsgID == -1 })
	}
	if op == nil {
		op = q.unlogged(idx, kind, ev.Name)
		op.MsgID = id
		q.open = append(q.open, op)
	}
	res := intArg(args, 2, -9)
	code := strings.Join(args[min(2, len(args)):], ",")
	switch {
	case res == 1:
		op.Retries = max(op.Retries+1, intArg(args, 3, 0))
		op.add(ev)
	case res == 0 && kind == OpSubscribe:
		values, _ := ints(args[min(3, len(args)):])
		op.Granted = values
		rejected := 0
		for _, g := range values {
			if g == 128 {
				rejected++
			}
		}
		switch {
		case rejected > 0 && rejected == len(values):
			q.complete(op, ev, StatusFailed, code, "the broker rejected the subscription (granted QoS 128)", emit)
		case rejected > 0:
			op.noteAs(NoteRemark, fmt.Sprintf("the broker rejected %d of %d topics (granted QoS 128)", rejected, len(values)))
			q.complete(op, ev, StatusOK, code, "", emit)
		default:
			q.complete(op, ev, StatusOK, code, "", emit)
		}
	case res == 0:
		q.complete(op, ev, StatusOK, code, "", emit)
	default: // 0 and 1 are handled above: codeVerdict says failed
		reason, st := codeVerdict(quectelSendCodes, res)
		q.complete(op, ev, st, code, reason, emit)
	}
}

// receive handles every form of +QMTRECV [EC2x MQTT AN §3.2.9, §4.2;
// BG95 MQTT AN V1.1]: the buffered notification "i,<slot>", the direct push
// and the read-out "i,<msgID>,"<topic>"[,<len>],"<payload>"", with or
// without quotes around the payload. f is the arguments split into at most
// four fields.
func (q *quectelMachine) receive(ev *decode.Event, idx int, f []string, emit func(*Op)) {
	c := q.client(idx)
	if slot, ok := bufferedSlot(f); ok {
		if old := c.slots[slot]; old != nil {
			old.finish(nil, StatusUnknown, "", fmt.Sprintf("slot %d was announced again before being read out", slot))
			emit(old)
		}
		op := q.op(idx, OpReceive, ev.Name)
		op.add(ev)
		c.slots[slot] = op
		return
	}
	op := q.op(idx, OpReceive, ev.Name)
	if q.readout.active && q.readout.client == idx {
		slot := q.readout.slot
		if slot < 0 {
			slot = lowestKey(c.slots)
		}
		if held := c.slots[slot]; held != nil {
			op = held
			delete(c.slots, slot)
		}
	}
	op.MsgID = intArg(f, 1, -1)
	if len(f) > 2 {
		if !isQuoted(f[2]) {
			op.noteAs(NoteDeviation, "topic not in quotes")
		}
		op.Topic = unquote(f[2])
	}
	if len(f) > 3 {
		rest := f[3]
		declared := -1
		if i := strings.IndexByte(rest, ','); i > 0 {
			// "<len>,"<payload>"": a bare number before a quoted payload
			// (recv/mode with msg_len_enable, BC26 showrecvlen).
			after := strings.TrimSpace(rest[i+1:])
			if n, ok := atoi(rest[:i]); ok && !isQuoted(rest[:i]) && (c.cfg.recvLenFlag || strings.HasPrefix(after, `"`) || len(after) == n) {
				declared, rest = n, rest[i+1:]
			}
		}
		op.Payload = unquote(rest)
		op.PayloadLen = len(op.Payload)
		if cut, ok := overrun(op.Payload, declared); ok {
			// The line was cut off and the next lines were glued onto the
			// payload: keep what the receive's own line holds.
			op.Payload, op.PayloadLen = cut, len(cut)
			op.noteLength(op.PayloadLen, declared, fmt.Sprintf("payload is %d bytes, length says %d", op.PayloadLen, declared))
			q.single(op, ev, StatusUnknown, "", fmt.Sprintf("payload damaged: the line ends after %d of %d bytes", len(cut), declared), emit)
			return
		}
		if declared >= 0 && declared != op.PayloadLen {
			op.noteLength(op.PayloadLen, declared, fmt.Sprintf("payload is %d bytes, length says %d", op.PayloadLen, declared))
		}
	}
	q.single(op, ev, StatusOK, "", "", emit)
}

// bufferedSlot reads the "<idx>,<slot>" of a buffered-receive notice.
func bufferedSlot(f []string) (int, bool) {
	if len(f) != 2 {
		return 0, false
	}
	_, idxOK := atoi(f[0])
	slot, slotOK := atoi(f[1])
	return slot, idxOK && slotOK
}

// lowerCase notes a command typed in lower case: modules accept it, the
// manuals write upper case.
func lowerCase(op *Op, ev *decode.Event) {
	if hasLower(ev.Text[:min(len(ev.Text), len(ev.Name)+2)]) {
		op.noteAs(NoteRemark, "command in lower case")
	}
}
