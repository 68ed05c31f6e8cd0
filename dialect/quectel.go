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
// V1.0 §3.2; BG95&BG77&BG600L MQTT Application Note V1.1; BC660K-GL MQTT
// Application Note V1.2 (dialects.md §2).
//
//	command       op           result                                   payload
//	+QMTCFG       (config)     OK; values feed the next open/connect    -
//	+QMTOPEN      open         OK, then +QMTOPEN: i,<result>            -
//	+QMTCLOSE     close        OK, then +QMTCLOSE: i,<result>           -
//	+QMTCONN      connect      OK, then +QMTCONN: i,<result>[,<ret>]    -
//	+QMTDISC      disconnect   OK, then +QMTDISC: i,<result>            -
//	+QMTSUB       subscribe    OK, then +QMTSUB: i,<id>,<result>[,<qos>...]  -
//	+QMTUNS       unsubscribe  OK, then +QMTUNS: i,<id>,<result>        -
//	+QMTPUB       publish      OK, then +QMTPUB: i,<id>,<result>[,<n>]  prompt + Ctrl-Z, prompt + length, or inline
//	+QMTPUBEX     publish      OK, then +QMTPUBEX: i,<id>,<result>      prompt + length, or inline (older FW)
//	+QMTRECV=i,s  (read-out)   +QMTRECV: i,<id>,"topic"[,len],"payload" lines, OK
//	URC +QMTRECV  receive      direct push, or i,<slot> when buffered (recv/mode 1)
//	URC +QMTSTAT  link         i,<err 1..7>: the link is down, open ops are abandoned
//	URC +QMTPING  link         i,<result> (EC200x/EG91x keep-alive report)
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
}

func init() { Register(quectel) }

// quectelOpenResults explains +QMTOPEN <result> [EC2x MQTT AN §3.2.2].
var quectelOpenResults = map[int]string{
	-1: "failed to open the network",
	0:  "network opened",
	1:  "wrong parameter",
	2:  "MQTT client identifier is occupied (open it after a QMTCLOSE, or use another client_idx)",
	3:  "failed to activate the PDP context",
	4:  "failed to parse the domain name",
	5:  "network connection error",
}

// quectelSendResults explains the <result> of +QMTCONN, +QMTSUB, +QMTUNS,
// +QMTPUB, +QMTPUBEX [EC2x MQTT AN §3.2.4-3.2.8].
var quectelSendResults = map[int]string{
	0: "sent and acknowledged",
	1: "packet retransmission (no acknowledgement yet)",
	2: "failed to send the packet",
}

// quectelStat explains +QMTSTAT <err_code> and the action the manual
// recommends [EC2x MQTT AN §4.1].
var quectelStat = map[int]string{
	1: "connection closed or reset by the peer; reopen with AT+QMTOPEN, then reconnect",
	2: "sending PINGREQ failed or timed out; deactivate and reactivate the PDP context, then reopen",
	3: "sending CONNECT failed or timed out; check user name, password and client ID, then reopen",
	4: "receiving CONNACK failed or timed out; check user name, password and client ID, then reopen",
	5: "the client sent DISCONNECT and the server closed the connection (normal)",
	6: "the client closed the connection after repeated packet-send failures; check the data, then reopen",
	7: "link not alive or the server is unavailable; check the server, then reopen",
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
		if op := q.attach(ev); op != nil {
			op.Payload, op.PayloadLen = ev.Text, len(ev.Text)
			if ev.Problem != "" {
				op.note(ev.Problem)
			}
		}
	case decode.KindResult:
		q.result(ev, emit)
		q.readout.active = false
	case decode.KindResponse, decode.KindURC:
		if strings.HasPrefix(ev.Name, "+QMT") {
			q.qmtLine(ev, emit)
		}
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
		if len(args) >= 4 && !isQuoted(args[1]) || len(args) >= 4 && strings.EqualFold(unquote(args[1]), "tcp") {
			host, port = 2, 3
			op.note(fmt.Sprintf("extra protocol argument %s (BC26-style); the manual has AT+QMTOPEN=<idx>,\"<host>\",<port>", args[1]))
		}
		if host < len(args) && !isQuoted(args[host]) {
			op.note("host name not in quotes (the manual quotes it)")
		}
		op.Host, op.Port, op.TLS = strArg(args, host), intArg(args, port, 0), c.cfg.ssl
		q.begin(op, true, 180*time.Second)
	case "+QMTCLOSE", "+QMTCLS":
		if ev.Name == "+QMTCLS" {
			op.note("AT+QMTCLS is not in the manual; the command is AT+QMTCLOSE")
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
				op.note("AT+QMTCONN takes <idx>,\"<clientID>\"[,\"<username>\",\"<password>\"]; unquoted or extra arguments deviate from the manual")
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
			op.note(fmt.Sprintf("msgID %d is outside 1-65535", id))
		}
	} else {
		op.note("no msgID: the manual's syntax is " + op.Name + "=<idx>,<msgID>,\"<topic>\"...")
	}
	for i := 0; i < len(rest); i++ {
		if !isQuoted(rest[i]) {
			op.note("topic not in quotes (the manual quotes it)")
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
			op.note("topic without a QoS")
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
	switch n, ok := atoi(p.tail); {
	case p.tail == "" && name == "+QMTPUB":
		return decode.Framing{Kind: decode.FrameCtrlZ}
	case ok && !isQuoted(p.tail):
		return decode.Framing{Kind: decode.FrameCount, N: n}
	}
	return decode.Framing{Kind: decode.FrameNone}
}

// publish fills a publish op from its command's arguments, argText split
// into args.
func (q *quectelMachine) publish(op *Op, argText string, args []string) {
	p := parseQuectelPubArgs(argText, args)
	op.MsgID, op.QoS, op.Retain, op.Topic = p.msgID, p.qos, p.retain == 1, p.topic
	if p.layout != "" {
		op.note("arguments out of the manual's order (" + p.layout + "): " + op.Name + "=<idx>,<msgID>,<qos>,<retain>,\"<topic>\"...")
	}
	if !p.topicQuoted {
		op.note("topic not in quotes (the manual quotes it)")
	}
	if f := p.framing(op.Name); f.Kind != decode.FrameNone {
		if f.Kind == decode.FrameCount {
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
	op.note("payload given inline (older or NB-IoT firmware form)")
	if declared >= 0 && declared != op.PayloadLen {
		op.note(fmt.Sprintf("payload is %d bytes, length says %d", op.PayloadLen, declared))
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
	if ev.Kind == decode.KindResponse && q.cmd != nil && q.cmd.ev.Form == decode.FormRead {
		return // AT+QMTOPEN?, AT+QMTCONN?, AT+QMTRECV? state listings
	}
	switch ev.Name {
	case "+QMTOPEN":
		q.outcome(ev, OpOpen, idx, intArg(args, 1, -9), quectelOpenResults, emit)
	case "+QMTCLOSE":
		q.outcome(ev, OpClose, idx, intArg(args, 1, -9), map[int]string{0: "closed", -1: "failed to close the network"}, emit)
	case "+QMTDISC":
		q.outcome(ev, OpDisconnect, idx, intArg(args, 1, -9), map[int]string{0: "DISCONNECT sent", -1: "failed to disconnect"}, emit)
	case "+QMTCONN":
		q.connResult(ev, idx, args, emit)
	case "+QMTSUB", "+QMTUNS", "+QMTPUB", "+QMTPUBEX":
		q.ackResult(ev, idx, args, emit)
	case "+QMTRECV":
		q.receive(ev, idx, args, emit)
	case "+QMTSTAT":
		code := intArg(args, 1, 0)
		op := q.op(idx, OpLink, ev.Name)
		reason, ok := quectelStat[code]
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
	case "+QMTPING":
		res := intArg(args, 1, 0)
		st, reason := StatusOK, "keep-alive ping answered"
		if res != 0 {
			st, reason = StatusFailed, "keep-alive ping failed"
		}
		q.single(q.op(idx, OpLink, ev.Name), ev, st, strconv.Itoa(res), reason, emit)
	}
}

// outcome completes the open op of kind for client idx with a +QMT result.
// When the log shows no command for it (echo off and the command line not
// captured), the URC alone makes the op.
func (q *quectelMachine) outcome(ev *decode.Event, kind OpKind, idx, result int, reasons map[int]string, emit func(*Op)) {
	op := q.find(func(o *Op) bool { return o.Kind == kind && o.Client == idx })
	if op == nil {
		op = q.op(idx, kind, ev.Name)
		op.note("the command is not in the log; the result URC alone shows the operation")
	}
	reason, known := reasons[result]
	if !known {
		reason = fmt.Sprintf("result %d (not in the manual)", result)
	}
	st := StatusFailed
	if result == 0 {
		st, reason = StatusOK, ""
	}
	q.complete(op, ev, st, strconv.Itoa(result), reason, emit)
}

// connResult handles +QMTCONN: <idx>,<result>[,<ret_code>].
func (q *quectelMachine) connResult(ev *decode.Event, idx int, args []string, emit func(*Op)) {
	op := q.find(func(o *Op) bool { return o.Kind == OpConnect && o.Client == idx })
	if op == nil {
		op = q.op(idx, OpConnect, ev.Name)
		op.note("the command is not in the log; the result URC alone shows the operation")
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
	default:
		reason, ok := quectelSendResults[res]
		if !ok {
			reason = fmt.Sprintf("result %d (not in the manual)", res)
		}
		q.complete(op, ev, StatusFailed, strings.Join(from(args, 1), ","), reason, emit)
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
	op := q.find(func(o *Op) bool { return o.Kind == kind && o.Client == idx && o.MsgID == id })
	if op == nil {
		op = q.find(func(o *Op) bool { return o.Kind == kind && o.Client == idx && o.MsgID == -1 })
	}
	if op == nil {
		op = q.op(idx, kind, ev.Name)
		op.MsgID = id
		op.note("the command is not in the log; the result URC alone shows the operation")
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
			op.note(fmt.Sprintf("the broker rejected %d of %d topics (granted QoS 128)", rejected, len(values)))
			q.complete(op, ev, StatusOK, code, "", emit)
		default:
			q.complete(op, ev, StatusOK, code, "", emit)
		}
	case res == 0:
		q.complete(op, ev, StatusOK, code, "", emit)
	default:
		reason, ok := quectelSendResults[res]
		if !ok {
			reason = fmt.Sprintf("result %d (not in the manual)", res)
		}
		q.complete(op, ev, StatusFailed, code, reason, emit)
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
			op.note("topic not in quotes")
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
		if declared >= 0 && declared != op.PayloadLen {
			op.note(fmt.Sprintf("payload is %d bytes, length says %d", op.PayloadLen, declared))
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

// quectelHooks tells the tokenizer how Quectel payloads are framed.
type quectelHooks struct{}

func (quectelHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{prefixes: []string{"+QMT"}}, claim{names: []string{"+QMTRECV"}}, ""
}

func (quectelHooks) Payload(cmd *decode.Event) decode.Framing {
	switch cmd.Name {
	case "+QMTPUB", "+QMTPUBEX":
		return quectelPub{tail: quectelPubTail(cmd.Args)}.framing(cmd.Name)
	}
	if strings.HasPrefix(cmd.Name, "+QMT") {
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail makes a +QMTRECV payload with a length span lines when the payload
// holds line breaks.
func (quectelHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "+QMTRECV" {
		return 0, 0
	}
	var buf [argsOnStack]string
	f := appendArgs(buf[:0], ev.Args, 5)
	if len(f) != 5 || !isQuoted(f[2]) {
		return 0, 0
	}
	n, ok := atoi(f[3])
	if !ok || isQuoted(f[3]) {
		return 0, 0
	}
	body := f[4]
	if strings.HasPrefix(body, `"`) {
		body = body[1:]
	}
	if have := len(body); have < n {
		return n - have, 0
	}
	return 0, 0
}

func (quectelHooks) Bare(string) (string, bool, bool) { return "", false, false }

// lowerCase notes a command typed in lower case: modules accept it, the
// manuals write upper case.
func lowerCase(op *Op, ev *decode.Event) {
	if hasLower(ev.Text[:min(len(ev.Text), len(ev.Name)+2)]) {
		op.note("command in lower case")
	}
}
