package dialect

import (
	"fmt"
	"strings"
	"time"

	"atscope/decode"
)

// Nordic nRF91 Serial LTE Modem (SLM) AT#XMQTT*: one MQTT client inside
// the SLM application, built on Zephyr's MQTT library, whose events are
// reported as #XMQTTEVT: <type>,<result>. Sources: dialects.md §8
// (nrfconnect/sdk-nrf applications/serial_lte_modem/doc/MQTT_AT_commands.rst
// at commits 1de473ef and 9479eaea, slm_data_mode.rst; lats1980/
// fw-nrfconnect-nrf for the oldest syntax) and §9-10.
//
// Results: 0 = success, negative = -errno (newlib numbering, as the nRF
// Connect SDK uses: -111 connection refused, -128 not connected); for
// #XMQTTEVT: 0 a positive value is taken as the CONNACK refusal code 1-5
// (unconfirmed, §10.7). Events and headers may have a space after each
// comma (oldest SLM), and the doc once writes "#XMQTTEVT=<type>,<result>".
//
// Data mode has no prompt, so the tokenizer cannot frame it (its hooks are
// asked only after a ">" prompt): this machine takes the host's lines after
// the publish command as the payload, up to the terminator "+++" (the
// default of CONFIG_SLM_DATAMODE_TERMINATOR; another terminator cannot be
// known from the log, and the payload then runs to #XDATAMODE or the next
// command).
//
// Timeouts: dialects.md gives no maximum response times for the SLM; a
// CONNACK or other broker answer is given 60 s here.
var nordic = &Dialect{
	Name:    "nordic",
	Doc:     "Nordic nRF91 Serial LTE Modem AT#XMQTT* (one client, #XMQTTEVT event URCs, data mode ended by +++)",
	Modules: "nRF9160/nRF9161/nRF9151 with the Serial LTE Modem application (nRF Connect SDK 1.x-2.x)",
	Evidence: func(ev *decode.Event) int {
		switch {
		case strings.HasPrefix(ev.Name, "#XMQTT"):
			return 10
		case ev.Name == "#XDATAMODE":
			return 2
		}
		return 0
	},
	Hooks:      nordicHooks{},
	NewMachine: func(file string) Machine { return newNordic(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "#XMQTTCFG", NotOp: true, Args: []ArgRole{ArgClientID, ArgKeepAlive, ArgClean}, Cite: "§8.3: =\"<cid>\"[,<ka>[,<cs>]]: OK; client ID, keep-alive (default 60 s) and clean session (default 0, persistent) feed the connect"},
			{Name: "#XMQTTCON", Op: OpConnect, Result: ResultURC, ArgsOf: nordicConArgs, Codes: nordicErrno, CodeField: -1, Cite: "§8.3, §8.4: =1|2,\"user\",\"pass\",\"host\",port[,sec_tag] (2 = IPv6; NCS 1.x: client ID first; the oldest doc's 0 = connect is read by its arguments): OK, then #XMQTTEVT: 0,<result> (CONNACK); =0 disconnects: OK, then #XMQTTEVT: 1,<result>"},
			{Name: "#XMQTTSUB", Op: OpSubscribe, Result: ResultURC, Args: []ArgRole{ArgTopic, ArgQoS}, Codes: nordicErrno, CodeField: -1, Cite: "§8.3: OK, then #XMQTTEVT: 7,<result> (SUBACK)"},
			{Name: "#XMQTTUNSUB", Op: OpUnsubscribe, Result: ResultURC, Args: []ArgRole{ArgTopic}, Codes: nordicErrno, CodeField: -1, Cite: "§8.3: OK, then #XMQTTEVT: 8,<result> (UNSUBACK)"},
			{Name: "#XMQTTPUB", Op: OpPublish, Result: ResultURC, ArgsOf: nordicPubArgs, Codes: nordicErrno, CodeField: -1, Cite: "§8.3, §8.4, §1.4: =\"<t>\",\"<msg>\"[,q[,r]] inline: QoS 0: OK; QoS 1: OK, #XMQTTEVT: 3,0 (PUBACK); QoS 2: OK, #XMQTTEVT: 4,0 (PUBREC), 6,0 (PUBCOMP). Without a message: silent data mode (no prompt), the payload, +++, #XDATAMODE: 0. Oldest SLM: =\"<t>\",<datatype>,\"<msg>\",q,r"},
			{Name: "#XMQTTEVT", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: nordicErrno, CodeField: -1, KeepAlive: true, KeepAliveType: 9, Cite: "§8.2: <type>,<result>: 0 CONNACK, 1 DISCONNECT (negative: closed by error, open ops abandoned), 2 PUBLISH received, 3 PUBACK, 4 PUBREC, 5 PUBREL (joins the receive before it), 6 PUBCOMP, 7 SUBACK, 8 UNSUBACK, 9 PINGRESP",
				Advice: "The connection ended: connect again with AT#XMQTTCON=1 after an increasing delay."},
			{Name: "#XMQTTMSG", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "§8.3: <tl>,<ml>, then the topic line and the message (counted), then #XMQTTEVT: 2,<result>; oldest SLM: <datatype>,<tl>,<ml>"},
			{Name: "#XDATAMODE", URC: true, NotOp: true, Cite: "§1.4: 0: data mode ended"},
		},
		Limits:      Limits{Clients: 1, Payload: 1024, Source: "Serial LTE Modem documentation: an inline message is at most 1024 bytes"},
		Acked:       true,
		AckEvidence: "#XMQTTEVT: 3,0, or 4,0 and 6,0",
		Manual:      "the #XMQTTEVT description of the Serial LTE Modem documentation",
	},
}

// nordicConArgs: AT#XMQTTCON=<op>[,"<cid>"],"<user>","<password>","<host>",
// <port>[,<sec_tag>]: the quoted arguments in order, the client ID only
// when there are four of them (NCS 1.x) [§8.3, §8.4].
func nordicConArgs(args []string) []ArgRole {
	var quoted int
	for _, a := range args[min(1, len(args)):] {
		if isQuoted(a) {
			quoted++
		}
	}
	strs := []ArgRole{ArgUser, ArgPassword, ArgHost}
	if quoted >= 4 {
		strs = []ArgRole{ArgClientID, ArgUser, ArgPassword, ArgHost}
	}
	roles := []ArgRole{ArgOther}
	port := false
	for _, a := range args[min(1, len(args)):] {
		switch {
		case isQuoted(a) && len(strs) > 0:
			roles, strs = append(roles, strs[0]), strs[1:]
		case !isQuoted(a) && len(strs) == 0 && !port:
			roles, port = append(roles, ArgPort), true
		default:
			roles = append(roles, ArgOther)
		}
	}
	return roles
}

// nordicPubArgs: AT#XMQTTPUB="<topic>"[,"<msg>"[,<qos>[,<retain>]]], or the
// oldest SLM's "<topic>",<datatype>,"<msg>",<qos>,<retain> [§8.3, §8.4].
func nordicPubArgs(args []string) []ArgRole {
	if len(args) > 2 && !isQuoted(args[1]) && isQuoted(args[2]) {
		return []ArgRole{ArgTopic, ArgOther, ArgPayload, ArgQoS, ArgRetain}
	}
	return []ArgRole{ArgTopic, ArgPayload, ArgQoS, ArgRetain}
}

func init() { Register(nordic) }

const nordicDeadline = 60 * time.Second

// nordicEvents names the #XMQTTEVT types [§8.2].
var nordicEvents = map[int]string{
	0: "CONNACK", 1: "DISCONNECT", 2: "PUBLISH received", 3: "PUBACK", 4: "PUBREC",
	5: "PUBREL", 6: "PUBCOMP", 7: "SUBACK", 8: "UNSUBACK", 9: "PINGRESP",
}

// nordicErrno explains the negated errno values an SLM result may carry,
// as logged (newlib numbering, as used by the nRF Connect SDK; dialects.md
// §8.2), with the advice a support engineer gives.
var nordicErrno = []Code{
	{N: -1, Meaning: "EPERM: operation not permitted"},
	{N: -2, Meaning: "ENOENT: no such entry"},
	{N: -5, Meaning: "EIO: I/O error"},
	{N: -9, Meaning: "EBADF: bad socket"},
	{N: -11, Meaning: "EAGAIN: try again"},
	{N: -12, Meaning: "ENOMEM: out of memory",
		Advice: "Out of memory: send shorter messages."},
	{N: -13, Meaning: "EACCES: permission denied"},
	{N: -14, Meaning: "EFAULT: bad address"},
	{N: -16, Meaning: "EBUSY: busy"},
	{N: -22, Meaning: "EINVAL: invalid argument",
		Advice: "An argument is invalid: check the command syntax for this SLM version."},
	{N: -32, Meaning: "EPIPE: broken pipe"},
	{N: -57, Meaning: "ENOTCONN (old Zephyr numbering): not connected",
		Advice: "Not connected: connect first (AT#XMQTTCON=1) and wait for #XMQTTEVT: 0,0."},
	{N: -61, Meaning: "ECONNREFUSED (old Zephyr numbering) or ENODATA",
		Advice: "The broker refused the TCP connection: check the host, the port and the TLS sec_tag."},
	{N: -62, Meaning: "ETIME: timer expired"},
	{N: -71, Meaning: "EPROTO: protocol error"},
	{N: -77, Meaning: "EBADMSG: bad message"},
	{N: -88, Meaning: "ENOSYS: not implemented"},
	{N: -95, Meaning: "EOPNOTSUPP: operation not supported"},
	{N: -104, Meaning: "ECONNRESET: connection reset by the peer",
		Advice: "The connection was reset by the peer: reconnect; check the keep-alive and the broker's limits."},
	{N: -105, Meaning: "ENOBUFS: no buffer space",
		Advice: "Out of buffer space: send shorter messages or fewer at once."},
	{N: -106, Meaning: "EAFNOSUPPORT: address family not supported"},
	{N: -108, Meaning: "ENOTSOCK: not a socket"},
	{N: -110, Meaning: "ESHUTDOWN: socket shut down"},
	{N: -111, Meaning: "ECONNREFUSED: connection refused",
		Advice: "The broker refused the TCP connection: check the host, the port and the TLS sec_tag."},
	{N: -112, Meaning: "EADDRINUSE: address in use"},
	{N: -113, Meaning: "ECONNABORTED: connection aborted",
		Advice: "The connection was aborted: reconnect."},
	{N: -114, Meaning: "ENETUNREACH: network unreachable",
		Advice: "No network: AT+CFUN=1 and wait for +CEREG: 1 or 5 before connecting."},
	{N: -115, Meaning: "ENETDOWN: network down",
		Advice: "No network: AT+CFUN=1 and wait for +CEREG: 1 or 5 before connecting."},
	{N: -116, Meaning: "ETIMEDOUT: timed out",
		Advice: "Timed out: the broker or the network is unreachable."},
	{N: -117, Meaning: "EHOSTDOWN: host down"},
	{N: -118, Meaning: "EHOSTUNREACH: host unreachable"},
	{N: -119, Meaning: "EINPROGRESS: in progress"},
	{N: -120, Meaning: "EALREADY: already in progress"},
	{N: -122, Meaning: "EMSGSIZE: message too long",
		Advice: "The message is too long: the SLM takes at most 1024 bytes inline."},
	{N: -125, Meaning: "EADDRNOTAVAIL: address not available"},
	{N: -126, Meaning: "ENETRESET: connection aborted by the network",
		Advice: "The network dropped the connection: reconnect once the link is back (+CEREG: 1 or 5)."},
	{N: -127, Meaning: "EISCONN: already connected",
		Advice: "Already connected: disconnect first (AT#XMQTTCON=0) or go on."},
	{N: -128, Meaning: "ENOTCONN: not connected",
		Advice: "Not connected: connect first (AT#XMQTTCON=1) and wait for #XMQTTEVT: 0,0."},
	{N: -134, Meaning: "ENOTSUP: not supported"},
	{N: -140, Meaning: "ECANCELED: cancelled"},
}

// nordicResult explains an SLM result value.
func nordicResult(r int) string {
	if r >= 0 {
		return fmt.Sprintf("result %d", r)
	}
	if s, ok := exactMeaning(nordicErrno, r); ok {
		return fmt.Sprintf("error %d (%s)", r, s)
	}
	return fmt.Sprintf("error %d (-errno, not in the table known here)", r)
}

// nordicDataTerminator ends an SLM data-mode payload by default.
const nordicDataTerminator = "+++"

type nordicConfig struct {
	clientID  string
	keepalive int
	clean     *bool
	seen      bool
}

type nordicMachine struct {
	tracker
	cfg    nordicConfig
	data   *Op          // a publish in data mode, until #XDATAMODE or its events
	buf    []byte       // the data-mode payload gathered so far
	ended  bool         // the terminator was seen
	rx     *Op          // a receive between #XMQTTMSG and #XMQTTEVT: 2
	lastRx *Op          // a finished receive that a PUBREL may still join
	pubrec map[*Op]bool // QoS 2 publishes that had their PUBREC
}

func newNordic(file string) *nordicMachine {
	return &nordicMachine{tracker: newTracker(file, "nordic"), cfg: nordicConfig{keepalive: -1}, pubrec: map[*Op]bool{}}
}

func (n *nordicMachine) Feed(ev *decode.Event, emit func(*Op)) {
	n.tick(ev, emit)
	if len(n.pubrec) > len(n.open) {
		for op := range n.pubrec {
			if !nordicHasOp(n.open, op) {
				delete(n.pubrec, op) // timed out or abandoned
			}
		}
	}
	if n.lastRx != nil && !(ev.Kind == decode.KindText && ev.Text == "") {
		if t, _, ok := nordicEvent(ev); ok && t == 5 {
			n.lastRx.add(ev)
			emit(n.lastRx)
			n.lastRx = nil
			return
		}
		emit(n.lastRx)
		n.lastRx = nil
	}
	if n.data != nil && !n.ended && n.takeData(ev, emit) {
		return
	}
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if n.command(ev) {
			return
		}
		n.endData(ev, emit)
		if strings.HasPrefix(ev.Name, "#XMQTT") && ev.Form == decode.FormWrite {
			n.xmqttCommand(ev, emit)
		}
	case decode.KindResult:
		n.onResult(ev, emit)
	case decode.KindResponse, decode.KindURC:
		n.onLine(ev, emit)
	}
}

func (n *nordicMachine) Close(emit func(*Op)) {
	if n.lastRx != nil {
		emit(n.lastRx)
		n.lastRx = nil
	}
	if n.rx != nil {
		n.rx.finish(nil, StatusPending, "", "the log ends before #XMQTTEVT: 2")
		emit(n.rx)
		n.rx = nil
	}
	if n.data != nil && !n.ended {
		n.data.noteAs(NoteRemark, "no "+nordicDataTerminator+" terminator in the log: the payload may be incomplete")
		n.data.Payload, n.data.PayloadLen = string(n.buf), len(n.buf)
	}
	n.close(emit)
}

// nordicEvent reads "#XMQTTEVT: <type>,<result>" (also with a space after
// the comma, or "=" for ":").
func nordicEvent(ev *decode.Event) (typ, res int, ok bool) {
	if ev.Name != "#XMQTTEVT" {
		return 0, 0, false
	}
	args := splitArgs(nordicArgs(ev), 0)
	t, ok1 := atoi(strArg(args, 0))
	r, ok2 := atoi(strArg(args, 1))
	return t, r, ok1 && ok2
}

// nordicArgs is what follows the name of an SLM line, also for the
// "#XMQTTEVT=0,0" form that the tokenizer names through Bare.
func nordicArgs(ev *decode.Event) string {
	if ev.Args != "" {
		return ev.Args
	}
	t := strings.TrimSpace(ev.Text)
	if len(t) > len(ev.Name) {
		return strings.TrimSpace(t[len(ev.Name)+1:])
	}
	return ""
}

func (n *nordicMachine) xmqttCommand(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	switch ev.Name {
	case "#XMQTTCFG":
		n.cfg.seen = true
		n.cfg.clientID = strArg(args, 0)
		n.cfg.keepalive = intArg(args, 1, 60)
		clean := intArg(args, 2, 0) == 1
		n.cfg.clean = &clean
	case "#XMQTTCON":
		n.connect(ev, args, emit)
	case "#XMQTTSUB", "#XMQTTUNSUB":
		op := n.op(0, OpSubscribe, ev.Name)
		lowerCase(op, ev)
		if ev.Name == "#XMQTTUNSUB" {
			op.Kind = OpUnsubscribe
		}
		op.Topic = strArg(args, 0)
		op.Topics = []string{op.Topic}
		ubloxTopicQuotes(op, args, 0)
		if op.Kind == OpSubscribe {
			op.QoS = intArg(args, 1, -1)
			op.Requested = []int{op.QoS}
			if op.QoS < 0 {
				op.noteAs(NoteDeviation, "no QoS: the manual's syntax is AT#XMQTTSUB=\"<topic>\",<qos>")
			}
		}
		n.begin(op, true, nordicDeadline)
	case "#XMQTTPUB":
		op := n.op(0, OpPublish, ev.Name)
		lowerCase(op, ev)
		dataMode := n.publish(op, ev.Args)
		async := op.QoS > 0 || dataMode
		n.begin(op, async, nordicDeadline)
		if dataMode {
			n.data, n.buf, n.ended = op, nil, false
		}
	}
}

// connect reads AT#XMQTTCON=<op>[,...] in every syntax generation [§8.3-8.4]:
// whether connection parameters follow decides between connect and
// disconnect, as the oldest doc's examples (not its parameter text) show.
func (n *nordicMachine) connect(ev *decode.Event, args []string, emit func(*Op)) {
	opn := intArg(args, 0, -1)
	op := n.op(0, OpConnect, ev.Name)
	lowerCase(op, ev)
	if len(args) <= 1 {
		op.Kind = OpDisconnect
		if opn != 0 {
			op.noteAs(NoteRemark, fmt.Sprintf("AT#XMQTTCON=%d without connection parameters, read as a disconnect (0 disconnects)", opn))
		}
		n.supersede(func(o *Op) bool { return o.Kind == OpDisconnect }, ev, emit)
		n.begin(op, true, nordicDeadline)
		return
	}
	n.supersede(func(o *Op) bool { return o.Kind == OpConnect }, ev, emit)
	var strs []string
	i := 1
	for ; i < len(args); i++ {
		if _, isNum := atoi(args[i]); isNum && !isQuoted(args[i]) {
			break
		}
		if !isQuoted(args[i]) {
			op.noteAs(NoteDeviation, "string argument not in quotes (the manual quotes it)")
		}
		strs = append(strs, unquote(args[i]))
	}
	op.Port = intArg(args, i, 0)
	if i+1 < len(args) {
		op.TLS = true
		op.noteAs(NoteRemark, "TLS with sec_tag "+strArg(args, i+1))
	}
	switch len(strs) {
	case 4:
		op.ClientID, op.Username, op.Password, op.Host = strs[0], strs[1], strs[2], strs[3]
		op.noteAs(NoteDeviation, "client ID in AT#XMQTTCON (SLM of NCS 1.x); later versions set it with AT#XMQTTCFG")
	case 3:
		op.Username, op.Password, op.Host = strs[0], strs[1], strs[2]
	default:
		if len(strs) > 0 {
			op.Host = strs[len(strs)-1]
		}
		op.noteAs(NoteDeviation, fmt.Sprintf("%d string arguments; the manual has \"<username>\",\"<password>\",\"<url>\"", len(strs)))
	}
	switch opn {
	case 0:
		op.noteAs(NoteRemark, "op 0 with connection parameters, read as a connect (the oldest SLM doc's wording; its examples connect with 1)")
	case 2:
		op.noteAs(NoteRemark, "connect over IPv6 (op 2)")
	}
	if op.ClientID == "" {
		op.ClientID = n.cfg.clientID
	}
	op.KeepAlive, op.Clean = n.cfg.keepalive, n.cfg.clean
	if !n.cfg.seen && len(strs) != 4 {
		clean := false
		op.KeepAlive, op.Clean = 60, &clean
		op.noteAs(NoteRemark, "no AT#XMQTTCFG in the log: the SLM defaults are keep-alive 60 s and a persistent session")
	}
	n.begin(op, true, nordicDeadline)
}

// publish reads AT#XMQTTPUB="<topic>"[,"<msg>"[,<qos>[,<retain>]]] and the
// oldest AT#XMQTTPUB="<topic>",<datatype>,"<msg>",<qos>,<retain>. The
// message is taken between its first and last quote, as payloads carry
// unescaped quotes and commas. It reports data mode (no or empty message).
func (n *nordicMachine) publish(op *Op, argText string) bool {
	topic, rest := nordicTopic(argText)
	op.Topic = topic.text
	if !topic.quoted {
		op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, ",") {
		rest = strings.TrimSpace(rest[1:])
	}
	if i := strings.IndexByte(rest, ','); i > 0 {
		if dt, ok := atoi(rest[:i]); ok && strings.HasPrefix(strings.TrimSpace(rest[i+1:]), `"`) {
			op.noteAs(NoteDeviation, fmt.Sprintf("datatype %d before the message (oldest SLM syntax)", dt))
			rest = strings.TrimSpace(rest[i+1:])
		}
	}
	msg, quoted := "", false
	tail := rest
	if strings.HasPrefix(rest, `"`) {
		j := strings.LastIndexByte(rest, '"')
		if j > 0 {
			msg, tail, quoted = rest[1:j], rest[j+1:], true
		} else {
			msg, tail = rest[1:], ""
			op.noteAs(NoteRemark, "message without its closing quote")
		}
	} else if rest != "" {
		f := strings.SplitN(rest, ",", 2)
		msg, tail = f[0], ""
		if len(f) > 1 {
			tail = "," + f[1]
		}
		op.noteAs(NoteDeviation, "message not in quotes (the manual quotes it)")
	}
	nums := splitArgs(strings.TrimPrefix(strings.TrimSpace(tail), ","), 0)
	op.QoS, op.Retain = intArg(nums, 0, 0), intArg(nums, 1, 0) == 1
	if msg == "" && (quoted || rest == "") {
		op.noteAs(NoteRemark, "data mode: the payload follows the command, ended by "+nordicDataTerminator)
		return true
	}
	op.Payload, op.PayloadLen = msg, len(msg)
	if len(msg) > 1024 {
		op.noteAs(NoteLimit, fmt.Sprintf("message is %d bytes; the SLM takes at most 1024", len(msg)))
	}
	return false
}

type nordicString struct {
	text   string
	quoted bool
}

// nordicTopic takes the first argument: a quoted string up to its closing
// quote, or the text up to the first comma.
func nordicTopic(args string) (nordicString, string) {
	args = strings.TrimSpace(args)
	if strings.HasPrefix(args, `"`) {
		if j := strings.IndexByte(args[1:], '"'); j >= 0 {
			return nordicString{args[1 : j+1], true}, args[j+2:]
		}
	}
	if i := strings.IndexByte(args, ','); i >= 0 {
		return nordicString{strings.TrimSpace(args[:i]), false}, args[i:]
	}
	return nordicString{args, false}, ""
}

// takeData gathers the host's data-mode bytes up to the terminator. It
// reports whether ev was taken.
func (n *nordicMachine) takeData(ev *decode.Event, emit func(*Op)) bool {
	if ev.Kind == decode.KindResult || ev.Kind == decode.KindPrompt {
		return false
	}
	if ev.IsCommand() {
		return false // the publish's echo, or a new command: handled in Feed
	}
	if ev.Kind == decode.KindURC && (strings.HasPrefix(ev.Name, "#X") || strings.HasPrefix(ev.Name, "+C")) {
		return false // the SLM speaking, not the host
	}
	if ev.Text == "" && len(n.buf) == 0 && ev.Kind == decode.KindText {
		return true
	}
	if ev.Kind == decode.KindData {
		// The tokenizer framed the payload up to the terminator.
		n.data.add(ev)
		n.ended = true
		n.data.resume(ev)
		n.data.Payload, n.data.PayloadLen, n.data.Sent = ev.Text, len(ev.Text), ev.Time
		if ev.Problem != "" {
			n.data.noteProblem(ev)
		}
		return true
	}
	raw := ev.Raw
	// Look for the terminator in the new bytes and the few before them,
	// so that a long payload is not searched again for every line.
	from := max(len(n.buf)-len(nordicDataTerminator)+1, 0)
	n.buf = append(n.buf, raw...)
	n.data.add(ev)
	if i := strings.Index(string(n.buf[from:]), nordicDataTerminator); i >= 0 {
		n.buf = n.buf[:from+i]
		n.ended = true
		n.data.resume(ev)
		n.data.Payload, n.data.PayloadLen, n.data.Sent = string(n.buf), len(n.buf), ev.Time
		return true
	}
	if len(n.buf) > nordicMaxData {
		// Memory stays bounded: a data mode that never ends is taken as
		// ended, and the lines after it are decoded as usual.
		n.ended = true
		n.data.resume(ev)
		n.data.noteAs(NoteRemark, fmt.Sprintf("no %s within %d KiB: data mode taken as ended here (line %d)", nordicDataTerminator, nordicMaxData>>10, ev.Pos.Line))
		n.data.Payload, n.data.PayloadLen = string(n.buf), len(n.buf)
	}
	return true
}

// nordicMaxData bounds a data-mode payload kept in memory; the SLM's own
// buffers are far smaller.
const nordicMaxData = 64 << 10

// endData closes a data-mode payload that a new command cut short.
func (n *nordicMachine) endData(ev *decode.Event, emit func(*Op)) {
	if n.data == nil {
		return
	}
	if !n.ended {
		n.data.resume(ev)
		n.data.noteAs(NoteRemark, fmt.Sprintf("no %s terminator before the next command (line %d)", nordicDataTerminator, ev.Pos.Line))
		n.data.Payload, n.data.PayloadLen = string(n.buf), len(n.buf)
	}
	n.data = nil
}

func (n *nordicMachine) onResult(ev *decode.Event, emit func(*Op)) {
	op := n.result(ev, emit)
	if op != nil && op == n.data && op.Status != StatusPending {
		n.data = nil // an error: no data mode
	}
	if op != nil && op == n.data && !n.ended {
		op.awaitPayload() // data mode: the module starts once the payload is typed
	}
}

func (n *nordicMachine) onLine(ev *decode.Event, emit func(*Op)) {
	switch ev.Name {
	case "#XMQTTCFG":
		// AT#XMQTTCFG? shows the configuration the next connect uses.
		if f := splitArgs(ev.Args, 0); ev.Kind == decode.KindResponse && len(f) >= 2 && isQuoted(f[0]) {
			n.cfg.seen, n.cfg.clientID, n.cfg.keepalive = true, strArg(f, 0), intArg(f, 1, 60)
			clean := intArg(f, 2, 0) == 1
			n.cfg.clean = &clean
		}
	case "#XMQTTEVT":
		n.event(ev, emit)
	case "#XMQTTMSG":
		n.message(ev, emit)
	case "#XDATAMODE":
		n.dataModeExit(ev, emit)
	}
}

// dataModeExit handles #XDATAMODE: <result>, sent when the SLM leaves data
// mode; a QoS 0 publish is done then.
func (n *nordicMachine) dataModeExit(ev *decode.Event, emit func(*Op)) {
	op := n.data
	if op == nil {
		return
	}
	op.add(ev)
	if !n.ended {
		op.noteAs(NoteRemark, "no "+nordicDataTerminator+" in the log before #XDATAMODE (another terminator configured, or the line was not captured)")
		op.Payload, op.PayloadLen = string(n.buf), len(n.buf)
		n.ended = true
	}
	res := intArg(splitArgs(nordicArgs(ev), 0), 0, 0)
	switch {
	case res < 0:
		n.data = nil
		n.complete(op, ev, StatusFailed, fmt.Sprint(res), "data mode ended with "+nordicResult(res), emit)
	case op.QoS <= 0:
		n.data = nil
		n.complete(op, ev, StatusOK, fmt.Sprint(res), "", emit)
	}
}

// event handles #XMQTTEVT: <type>,<result> [§8.2].
func (n *nordicMachine) event(ev *decode.Event, emit func(*Op)) {
	typ, res, ok := nordicEvent(ev)
	if !ok {
		return
	}
	code := fmt.Sprintf("%d,%d", typ, res)
	of := func(kind OpKind, match func(*Op) bool) *Op {
		op := n.find(func(o *Op) bool { return o.Kind == kind && (match == nil || match(o)) })
		if op == nil {
			op = n.find(func(o *Op) bool { return o.Kind == kind })
		}
		if op == nil {
			op = n.op(0, kind, ev.Name)
			op.noteAs(NoteNotLogged, "the command is not in the log; the event alone shows the operation")
		}
		return op
	}
	done := func(op *Op, what string) {
		if n.data == op {
			n.data = nil
		}
		if res == 0 {
			n.complete(op, ev, StatusOK, code, "", emit)
			return
		}
		n.complete(op, ev, StatusFailed, code, what+" "+nordicResult(res), emit)
	}
	switch typ {
	case 0:
		op := of(OpConnect, nil)
		if res >= 0 {
			op.setConnack(res) // #XMQTTEVT: 0 is the CONNACK event
		}
		if res > 0 {
			n.complete(op, ev, StatusFailed, code, "CONNACK "+connackReason(res)+" (a positive result as the CONNACK code is unconfirmed)", emit)
			return
		}
		done(op, "connect failed:")
	case 1:
		if op := n.find(func(o *Op) bool { return o.Kind == OpDisconnect }); op != nil {
			done(op, "disconnect:")
			return
		}
		if res == 0 {
			done(of(OpDisconnect, nil), "")
			return
		}
		why := "the connection was closed: " + nordicResult(res)
		n.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: the link went down (#XMQTTEVT: 1,%d, line %d)", res, ev.Pos.Line), ev, emit)
		n.data = nil
		n.single(n.op(0, OpLink, ev.Name), ev, StatusFailed, code, why, emit)
	case 2:
		n.received(ev, res, code, emit)
	case 3:
		done(of(OpPublish, func(o *Op) bool { return o.QoS == 1 && o.gotFinal }), "PUBACK")
	case 4:
		op := of(OpPublish, func(o *Op) bool { return o.QoS == 2 && o.gotFinal && !n.pubrec[o] })
		if res != 0 || !nordicHasOp(n.open, op) {
			done(op, "PUBREC")
			return
		}
		op.add(ev)
		op.state.answered = true
		n.pubrec[op] = true
	case 6:
		op := of(OpPublish, func(o *Op) bool { return o.QoS == 2 && n.pubrec[o] })
		delete(n.pubrec, op)
		done(op, "PUBCOMP")
	case 7:
		done(of(OpSubscribe, nil), "SUBACK")
	case 8:
		done(of(OpUnsubscribe, nil), "UNSUBACK")
	case 9:
		st, why := StatusOK, "keep-alive answered (PINGRESP)"
		if res != 0 {
			st, why = StatusFailed, "keep-alive ping failed: "+nordicResult(res)
		}
		n.single(n.op(0, OpLink, ev.Name), ev, st, code, why, emit)
	}
}

func nordicHasOp(ops []*Op, op *Op) bool { return ubloxIndexOp(ops, op) >= 0 }

// message starts a receive at "#XMQTTMSG: <topic_length>,<message_length>"
// (oldest SLM: "<datatype>,<topic_length>,<message_length>"), whose event
// holds the topic and message lines too (see Tail).
func (n *nordicMachine) message(ev *decode.Event, emit func(*Op)) {
	if n.rx != nil {
		n.single(n.rx, nil, StatusUnknown, "", "the log does not show #XMQTTEVT: 2 for it", emit)
	}
	raw := string(ev.Raw)
	if raw == "" {
		raw = ev.Text
	}
	head, body := raw, ""
	if i := strings.IndexAny(raw, "\r\n"); i >= 0 {
		head, body = raw[:i], nordicSkipLineEnd(raw[i:])
	}
	dt, tl, ml := nordicLengths(nordicHeaderArgs(head))
	op := n.op(0, OpReceive, ev.Name)
	op.add(ev)
	op.PayloadLen = ml
	if dt >= 0 {
		op.noteAs(NoteDeviation, fmt.Sprintf("datatype %d in #XMQTTMSG (oldest SLM syntax)", dt))
	}
	n.rx = op
	switch {
	case tl < 0 || ml < 0:
		op.noteAs(NoteRemark, "#XMQTTMSG without the two lengths")
		return
	case tl > len(body):
		op.Topic = strings.TrimRight(body, "\r\n")
		op.noteAs(NoteRemark, fmt.Sprintf("the topic is cut short: %d bytes, length says %d", len(op.Topic), tl))
		return
	}
	op.Topic, body = body[:tl], body[tl:]
	if b := nordicSkipLineEnd(body); len(b) == len(body) {
		op.noteAs(NoteRemark, "no line end between topic and message")
	} else {
		body = b
	}
	if len(body) < ml {
		op.noteLength(len(body), ml, fmt.Sprintf("message is %d bytes, length says %d", len(body), ml))
		ml = len(body)
	} else if extra := strings.Trim(body[ml:], "\r\n\t "); extra != "" {
		op.noteAs(NoteRemark, fmt.Sprintf("%d bytes after the message are not part of it", len(extra)))
	}
	op.Payload = body[:ml]
	if ev.Problem != "" {
		op.noteProblem(ev)
	}
}

// nordicHeaderArgs is what follows the colon of a header line.
func nordicHeaderArgs(head string) string {
	if i := strings.IndexAny(head, ":="); i >= 0 {
		return strings.TrimSpace(head[i+1:])
	}
	return ""
}

// nordicSkipLineEnd drops one line end (CR LF, LF or CR) at the start of s.
func nordicSkipLineEnd(s string) string {
	switch {
	case strings.HasPrefix(s, "\r\n"):
		return s[2:]
	case strings.HasPrefix(s, "\n"), strings.HasPrefix(s, "\r"):
		return s[1:]
	}
	return s
}

// nordicLengths reads the header numbers; dt is -1 without a datatype.
func nordicLengths(args string) (dt, tl, ml int) {
	v, ok := ints(splitArgs(args, 0))
	switch {
	case !ok || len(v) < 2:
		return -1, -1, -1
	case len(v) >= 3:
		return v[0], v[1], v[2]
	}
	return -1, v[0], v[1]
}

// received completes the receive at #XMQTTEVT: 2,<result>; it waits for a
// PUBREL (#XMQTTEVT: 5) that may follow for QoS 2.
func (n *nordicMachine) received(ev *decode.Event, res int, code string, emit func(*Op)) {
	op := n.rx
	n.rx = nil
	if op == nil {
		op = n.op(0, OpReceive, ev.Name)
		op.noteAs(NoteRemark, "no #XMQTTMSG before it in the log")
	}
	st, why := StatusOK, ""
	if res != 0 {
		st, why = StatusFailed, "receive "+nordicResult(res)
	}
	n.single(op, ev, st, code, why, func(o *Op) { n.lastRx = o })
}
