package dialect

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"atscope/decode"
)

// u-blox AT+UMQTT / AT+UMQTTC / +UUMQTTC (SARA-R4 old and new syntax,
// SARA-R5, SARA-R422, LARA-R6, LENA-R8, LEXI-R4): one MQTT client per module,
// parameters by profile opcode, actions by action opcode, each answered at
// once by +UMQTTC: <op>,1|0 and OK and later by +UUMQTTC: <op>,<result>.
// Sources: dialects.md §7 (u-blox/ubxlib cell/src/u_cell_mqtt.c; Sodaq_R4X
// and other SARA-R4 drivers; real SARA logs) and §9-10.
//
// The commands are one per job with an opcode first (AT+UMQTT=<op>,...
// sets a profile value, AT+UMQTTC=<action>,... acts); the table's rows say
// which opcode is which op and which argument is what (ubloxProfileArgs,
// ubloxActionArgs). AT+UMQTTC=1 logs in (connect), 0 logs out, 2/3/9
// publish (9 after a > prompt and exactly len bytes, assumed), 4
// subscribes, 5 unsubscribes, 6 reads received messages out (one receive op
// per message), 7 and 8 (R5/R6) configure, 8 (R4) pings; each answers
// +UMQTTC: <action>,1|0 and OK at once and later +UUMQTTC: <action>,<r>.
//
// Timeouts: dialects.md gives no maximum response times for u-blox MQTT; a
// network result (login, logout, SUBACK, PUBACK) is given 120 s here.
//
// Old or new syntax is learnt from the log (§7.1): +UUMQTTCM, +UUMQTT<n>:
// and AT+UMQTT=<n>? say old; +UUMQTTC: 2/9 (old R4 has no publish URC),
// +UUMQTTC: 0,100-102, the long +UMQTTC: 6 read-out, string profile reads
// and an identified SARA-R5/R422, LARA-R6, LENA-R8 or LEXI-R4 say new. Until
// then "+UUMQTTC: 1,0" is held: the module accepting the next MQTT request
// or delivering a message makes it an old-syntax success; AT+UMQTTER, a new
// login or a refused request make it a new-syntax failure; otherwise its
// status is unknown.
var ublox = &Dialect{
	Name:    "ublox",
	Doc:     "u-blox AT+UMQTT/AT+UMQTTC MQTT client (one client, opcodes, +UUMQTTC result URCs; old SARA-R4 and new syntax)",
	Modules: "SARA-R4 (R410M/R412M/R422), SARA-R5, LARA-R6, LENA-R8, LEXI-R4",
	Evidence: func(ev *decode.Event) int {
		switch {
		case strings.HasPrefix(ev.Name, "+UMQTTSN") || strings.HasPrefix(ev.Name, "+UUMQTTSN"):
			return 5 // MQTT-SN: u-blox, but not decoded here
		case strings.HasPrefix(ev.Name, "+UMQTT") || strings.HasPrefix(ev.Name, "+UUMQTT"):
			return 10
		case ev.Name == ubloxLenName:
			return 5
		}
		return 0
	},
	Hooks:      ubloxHooks{},
	NewMachine: func(file string) Machine { return newUblox(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "+UMQTT", NotOp: true, ArgsOf: ubloxProfileArgs, Cite: "§7.2: AT+UMQTT=<op>,<values>: +UMQTT: <op>,1|0, OK; values feed the next login. 0 client ID, 1 local port, 2 server name[,port], 3 server IP[,port], 4 user,password, 6-9 will QoS/retain/topic/message, 10 keep-alive, 11 secure[,profile], 12 clean session, 13 timeout (unconfirmed); old R4 read AT+UMQTT=<op>? answers +UUMQTT<op>: <value>"},
			{Name: "+UMQTTC", Op: OpConnect, Result: ResultURC, ArgsOf: ubloxActionArgs, KeepAlive: true, Cite: "§7.3: AT+UMQTTC=<action>,...: +UMQTTC: <action>,1|0, OK, then +UUMQTTC: <action>,<r>; the op is the action's (login: new syntax 1 = logged in, old R4 syntax 0 = logged in); publish 9: > prompt and exactly len bytes (§7.5, unconfirmed)"},
			{Name: "+UUMQTTC", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: ubloxLinkLoss, Cite: "§7.3: 0,100|101|102: inactivity timeout / connection lost / protocol violation (SARA-R5/R422): open ops are abandoned; 6,<n>: n unread messages",
				Advice: "Log in again with AT+UMQTTC=1."},
			{Name: "+UUMQTTCM", URC: true, Op: OpReceive, Result: ResultUnsolicited, Cite: "§7.4: old R4 read-out: +UUMQTTCM: 6,<n> / Topic: / Len: QoS: / Msg:"},
			{Name: "+UMQTTER", NotOp: true, Codes: ubloxErrorCodes, CodeField: 1, Cite: "§7.3: +UMQTTER: <class>,<code>: explains the failed op just before it (joins that op)"},
			{Name: "+UMQTTNV", NotOp: true, Cite: "§7.1: =<0|1|2>: OK"},
			{Name: "+UDWNFILE", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgOther, ArgPayloadLen}, Cite: "§7.5: =\"name\",<size>: > prompt, exactly size bytes (framing only)"},
		},
		Limits:      Limits{Clients: 1},
		Acked:       true,
		AckEvidence: "+UUMQTTC: 2,1",
		Manual:      "the u-blox AT commands manual (MQTT error codes)",
	},
}

// ubloxProfileArgs: AT+UMQTT=<op>,<values> by profile opcode [§7.2].
func ubloxProfileArgs(args []string) []ArgRole {
	switch itemOf(args) {
	case "0":
		return []ArgRole{ArgOther, ArgClientID}
	case "2", "3":
		return []ArgRole{ArgOther, ArgHost, ArgPort}
	case "4":
		return []ArgRole{ArgOther, ArgUser, ArgPassword}
	case "6":
		return []ArgRole{ArgOther, ArgQoS}
	case "7":
		return []ArgRole{ArgOther, ArgRetain}
	case "8":
		return []ArgRole{ArgOther, ArgTopic}
	case "9":
		return []ArgRole{ArgOther, ArgPayload}
	case "10":
		return []ArgRole{ArgOther, ArgKeepAlive}
	case "11":
		return []ArgRole{ArgOther, ArgScheme}
	case "12":
		return []ArgRole{ArgOther, ArgClean}
	}
	return []ArgRole{ArgOther}
}

// ubloxActionArgs: AT+UMQTTC=<action>,... by action opcode [§7.3].
func ubloxActionArgs(args []string) []ArgRole {
	switch itemOf(args) {
	case "2": // 2,<qos>,<retain>[,<hex>],"<topic>","<message>"
		if len(args) >= 6 {
			return []ArgRole{ArgOther, ArgQoS, ArgRetain, ArgOther, ArgTopic, ArgPayload}
		}
		return []ArgRole{ArgOther, ArgQoS, ArgRetain, ArgTopic, ArgPayload}
	case "3":
		return []ArgRole{ArgOther, ArgQoS, ArgRetain, ArgTopic, ArgOther}
	case "4":
		return []ArgRole{ArgOther, ArgQoS, ArgTopic}
	case "5":
		return []ArgRole{ArgOther, ArgTopic}
	case "9":
		return []ArgRole{ArgOther, ArgQoS, ArgRetain, ArgTopic, ArgPayloadLen}
	}
	return []ArgRole{ArgOther}
}

func init() { Register(ublox) }

// ubloxDeadline is how long a network result may take (not in dialects.md).
const ubloxDeadline = 120 * time.Second

// ubloxLenName names the "Len:<n> QoS:<q>" line of an old SARA-R4 message
// (§7.4); the tokenizer keeps the "Msg:" bytes after it in the same event.
const ubloxLenName = "UUMQTTCM Len"

// ubloxTopicName names the "Topic:" line of the same read-out.
const ubloxTopicName = "UUMQTTCM Topic"

// ubloxActions names the AT+UMQTTC action opcodes [§7.3].
var ubloxActions = map[int]string{
	0: "logout", 1: "login", 2: "publish", 3: "publish file", 4: "subscribe", 5: "unsubscribe",
	6: "read", 7: "read format", 8: "ping", 9: "binary publish",
}

// ubloxLinkLoss explains the unsolicited +UUMQTTC: 0,<r> values of
// SARA-R5/R422 [§7.3].
var ubloxLinkLoss = []Code{
	{N: 100, KeepAlive: true, Meaning: "inactivity timeout: the broker or the module closed an idle session",
		Advice: "Inactivity timeout: no traffic within the keep-alive. Lower it (AT+UMQTT=10) or keep pings on (AT+UMQTTC=8,1)."},
	{N: 101, Meaning: "connection lost",
		Advice: "The connection was lost: log in again (AT+UMQTTC=1) with an increasing delay; check coverage."},
	{N: 102, Meaning: "connection lost due to a protocol violation",
		Advice: "The broker dropped the client for a protocol violation (a publish to a forbidden topic, a message too large, a bad packet): check the last publish or subscribe."},
}

// ubloxErrorCodes explains the second value of +UMQTTER: <class>,<code>.
// Only the codes ubxlib retries on are known [§7.3]; the rest of the table
// is not in dialects.md (§10.6), and the class (first value) is explained
// nowhere.
var ubloxErrorCodes = []Code{
	{N: 33, Meaning: "timeout (from u-blox's driver retry logic)",
		Advice: "The broker did not answer in time: check that it is reachable (host, port, TLS) and retry with an increasing delay."},
	{N: 34, Meaning: "no radio service (from u-blox's driver retry logic)",
		Advice: "The module has no radio service: check registration (AT+CEREG?), the antenna and the packet data context."},
	// One maintainer's reading of the SARA-R5 AT manual (SparkFun SARA-R5
	// library, issue 50): unconfirmed.
	{N: 8, Meaning: "cannot set the secure socket (TLS profile; one source, unconfirmed)",
		Advice: "The secure socket could not be set: check the security profile (AT+USECPRF) and AT+UMQTT=11."},
}

type ubloxSyntax uint8

const (
	ubloxSyntaxUnknown ubloxSyntax = iota
	ubloxSyntaxOld                 // early SARA-R410M/R412M firmware
	ubloxSyntaxNew                 // SARA-R5, SARA-R422, LARA-R6, LENA-R8
)

type ubloxMachine struct {
	tracker
	syntax    ubloxSyntax
	prof      ubloxProfile
	before    ubloxProfile         // the profile before the pending AT+UMQTT setting
	action    map[*Op]int          // the AT+UMQTTC opcode of each open op
	okEv      map[*Op]decode.Event // the OK of publishes whose syntax decides whether a URC follows
	held      *Op                  // a failed op kept for the AT+UMQTTER read-out that may follow
	errRead   bool                 // AT+UMQTTER is the pending command
	login     *Op                  // "+UUMQTTC: 1,0" while the syntax is unknown
	reading   bool                 // AT+UMQTTC=6 is pending: +UMQTTC: 6 lines are messages
	readFirst bool                 // the next message read out is the first of this read
	unread    *decode.Event        // the latest "+UUMQTTC: 6,<n>", n > 0, not read out yet
	unreadN   int
	cm        *Op // old-syntax +UUMQTTCM message being assembled
	identify  bool
}

func newUblox(file string) *ubloxMachine {
	return &ubloxMachine{tracker: newTracker(file, "ublox"), action: map[*Op]int{}, okEv: map[*Op]decode.Event{},
		prof: ubloxProfile{keepalive: -1, willQoS: -1, willRetain: -1}}
}

// sink routes ops on their way out: a failed op waits for the AT+UMQTTER
// that drivers send next, so that the error code joins it.
func (u *ubloxMachine) sink(emit func(*Op)) func(*Op) {
	return func(op *Op) {
		delete(u.action, op)
		delete(u.okEv, op)
		if op.Status == StatusFailed {
			u.flush(emit)
			u.held = op
			return
		}
		emit(op)
	}
}

// heldAdd adds an event to the held op, unless it is a link change, whose
// single line is its whole story (a later line would give it a latency).
func (u *ubloxMachine) heldAdd(ev *decode.Event) {
	if u.held != nil && u.held.Kind != OpLink {
		u.held.add(ev)
	}
}

// flush emits the held op.
func (u *ubloxMachine) flush(emit func(*Op)) {
	if u.held != nil {
		emit(u.held)
		u.held = nil
	}
	u.errRead = false
}

func (u *ubloxMachine) Feed(ev *decode.Event, emit func(*Op)) {
	out := u.sink(emit)
	u.tick(ev, out)
	if u.cm != nil && ev.Kind != decode.KindText && ev.Name != ubloxLenName && !strings.HasPrefix(ev.Text, "Topic:") {
		u.cm = nil // "+UUMQTTCM: 6,<n>" alone is only an unread count
	}
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if u.command(ev) {
			if u.errRead {
				u.heldAdd(ev)
			}
			return
		}
		u.onCommand(ev, emit)
	case decode.KindPrompt:
		u.attach(ev)
	case decode.KindData:
		u.takePayload(ev)
	case decode.KindResult:
		u.onResult(ev, emit)
	case decode.KindResponse, decode.KindURC:
		u.onLine(ev, emit)
	case decode.KindText:
		u.onText(ev, emit)
	}
}

func (u *ubloxMachine) Close(emit func(*Op)) {
	out := u.sink(emit)
	if u.login != nil {
		op := u.login
		u.login = nil
		op.Status, op.Reason = StatusUnknown,
			"+UUMQTTC: 1,0 means logged in on old SARA-R4 firmware and login failed on newer firmware; the log does not show which"
		out(op)
	}
	u.flush(emit)
	if u.unread != nil {
		op := u.op(0, OpReceive, "+UUMQTTC")
		op.add(u.unread)
		op.finish(nil, StatusPending, "", fmt.Sprintf("%d unread message(s) announced; not read out with AT+UMQTTC=6 before the log ends", u.unreadN))
		emit(op)
		u.unread = nil
	}
	for _, op := range u.open {
		if ok, seen := u.okEv[op]; seen && u.syntax == ubloxSyntaxUnknown {
			op.finish(&ok, StatusUnknown, "", "the module accepted it (+UMQTTC: 2,1) but no +UUMQTTC: 2 result is in the log; old SARA-R4 firmware sends none")
			emit(op)
			continue
		}
		finishAtEnd(op)
		emit(op)
	}
	u.open = nil
}

// setSyntax records which syntax the module speaks, once known, and settles
// what waited for it.
func (u *ubloxMachine) setSyntax(s ubloxSyntax, why string, emit func(*Op)) {
	if u.syntax != ubloxSyntaxUnknown || s == ubloxSyntaxUnknown {
		return
	}
	u.syntax = s
	if u.login != nil {
		u.resolveLogin(s == ubloxSyntaxOld, why, emit)
	}
	if s != ubloxSyntaxOld {
		return
	}
	out := u.sink(emit)
	for _, op := range append([]*Op(nil), u.open...) {
		if ok, seen := u.okEv[op]; seen {
			op.noteAs(NoteRemark, "old SARA-R4 syntax: no +UUMQTTC: 2 follows, the immediate +UMQTTC: 2,1 is the result ("+why+")")
			u.complete(op, &ok, StatusOK, "1", "", out)
		}
	}
}

// resolveLogin settles a held "+UUMQTTC: 1,0".
func (u *ubloxMachine) resolveLogin(ok bool, why string, emit func(*Op)) {
	op := u.login
	if op == nil {
		return
	}
	u.login = nil
	if ok {
		op.Status, op.Reason = StatusOK, ""
		op.note("+UUMQTTC: 1,0 read as logged in (old SARA-R4 syntax, 0 = success): " + why)
		u.setSyntax(ubloxSyntaxOld, why, emit)
	} else {
		op.Status, op.Reason = StatusFailed, "login failed (+UUMQTTC: 1,0); AT+UMQTTER gives the error code"
		op.note("+UUMQTTC: 1,0 read as a failed login (new syntax, 1 = success): " + why)
		u.setSyntax(ubloxSyntaxNew, why, emit)
	}
	u.sink(emit)(op)
}

// opOf finds the oldest open op started by AT+UMQTTC=<action>.
func (u *ubloxMachine) opOf(actions ...int) *Op {
	return u.find(func(op *Op) bool {
		a, ok := u.action[op]
		if !ok {
			return false
		}
		for _, want := range actions {
			if a == want {
				return true
			}
		}
		return false
	})
}

func (u *ubloxMachine) onCommand(ev *decode.Event, emit func(*Op)) {
	u.identify, u.reading = false, false
	if ev.Name == "+UMQTTER" {
		if u.login != nil {
			u.resolveLogin(false, "the host asked AT+UMQTTER next, as drivers do after a failure", emit)
		}
		if u.held != nil {
			u.heldAdd(ev)
			u.errRead = true
		}
		return
	}
	u.flush(emit)
	switch ev.Name {
	case "I", "+CGMM", "+GMM", "+CGMR", "+GMR":
		u.identify = true
	case "+UMQTT":
		u.profile(ev, emit)
	case "+UMQTTC":
		if ev.Form == decode.FormWrite {
			u.actionCommand(ev, emit)
		}
	}
}

// actionCommand starts the op of an AT+UMQTTC action [§7.3].
func (u *ubloxMachine) actionCommand(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	a, ok := atoi(strArg(args, 0))
	if !ok {
		return
	}
	out := u.sink(emit)
	op := u.op(0, OpConnect, ev.Name)
	lowerCase(op, ev)
	switch a {
	case 0:
		op.Kind = OpDisconnect
		u.supersede(func(o *Op) bool { return o.Kind == OpDisconnect }, ev, out)
	case 1:
		if u.login != nil {
			u.resolveLogin(false, fmt.Sprintf("the host logged in again (line %d)", ev.Pos.Line), emit)
		}
		u.supersede(func(o *Op) bool { return o.Kind == OpConnect }, ev, out)
		u.fillConnect(op)
	case 2, 3, 9:
		op.Kind = OpPublish
		u.publish(op, a, ev.Args)
	case 4:
		op.Kind = OpSubscribe
		op.Topic = strArg(args, 2)
		op.Topics = []string{op.Topic}
		op.QoS = intArg(args, 1, -1)
		op.Requested = []int{op.QoS}
		ubloxTopicQuotes(op, args, 2)
	case 5:
		op.Kind = OpUnsubscribe
		op.Topic = strArg(args, 1)
		op.Topics = []string{op.Topic}
		ubloxTopicQuotes(op, args, 1)
	case 6:
		u.reading, u.readFirst = true, true
		return
	case 8:
		if len(args) < 2 || !isQuoted(args[1]) {
			return // R5/R6 keep-alive pings on/off: a setting
		}
		op.Kind = OpLink
		op.noteAs(NoteRemark, "ping of "+strArg(args, 1)+" (SARA-R4 form)")
	default:
		return // 7 (read format) and unknown opcodes are settings
	}
	u.action[op] = a
	u.begin(op, true, ubloxDeadline)
}

// ubloxTopicQuotes notes a topic argument without quotes.
func ubloxTopicQuotes(op *Op, args []string, i int) {
	if i < len(args) && !isQuoted(args[i]) {
		op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
	}
}

// fillConnect copies the AT+UMQTT profile into a login.
func (u *ubloxMachine) fillConnect(op *Op) {
	p := u.prof
	op.ClientID, op.Host, op.Port, op.TLS = p.clientID, p.host, p.port, p.secure
	op.Username, op.Password, op.KeepAlive, op.Clean = p.user, p.password, p.keepalive, p.clean
	if op.Port == 0 && op.Host != "" {
		op.Port = 1883
		if p.secure {
			op.Port = 8883
		}
	}
	if p.will {
		op.Will = &Will{Topic: p.willTopic, Message: p.willMsg, QoS: max(p.willQoS, 0), Retain: p.willRetain == 1}
	}
	for _, n := range p.notes {
		op.note(n)
	}
	u.prof.notes = nil
}

// publish reads AT+UMQTTC=2,<qos>,<retain>[,<hex_mode>],"<topic>","<message>",
// =3,<qos>,<retain>,"<topic>","<filename>" and =9,<qos>,<retain>,"<topic>",<length>.
func (u *ubloxMachine) publish(op *Op, a int, argText string) {
	all := splitArgs(argText, 0)
	ti := -1
	for i := 1; i < len(all) && i <= 4; i++ {
		if isQuoted(all[i]) {
			ti = i
			break
		}
	}
	if ti < 0 {
		ti = 3
		if a == 2 && len(all) >= 6 {
			ti = 4
		}
		op.noteAs(NoteDeviation, "topic not in quotes (the manual quotes it)")
	}
	op.QoS, op.Retain = intArg(all, 1, -1), intArg(all, 2, 0) == 1
	f := splitArgs(argText, ti+2)
	op.Topic = strArg(f, ti)
	rest := ""
	if ti+1 < len(f) {
		rest = f[ti+1]
	}
	switch a {
	case 9:
		if n, ok := lastIntArg(argText); ok {
			op.PayloadLen = n
		}
	case 3:
		op.noteAs(NoteRemark, "payload is the module file "+unquote(rest))
	case 2:
		hexMode := 0
		if ti == 4 {
			hexMode = intArg(all, 3, 0)
		} else {
			op.noteAs(NoteDeviation, "no hex_mode argument (some firmware omit it); the manual has 2,<qos>,<retain>,<hex_mode>,\"<topic>\",\"<message>\"")
		}
		op.Payload = unquote(rest)
		if hexMode == 1 {
			if b, err := hex.DecodeString(op.Payload); err == nil {
				op.Payload = string(b)
				op.noteAs(NoteRemark, "message given in hex (hex_mode 1)")
			} else {
				op.noteAs(NoteRemark, "hex_mode 1 but the message is not valid hex")
			}
		}
		op.PayloadLen = len(op.Payload)
	}
}

func (u *ubloxMachine) onResult(ev *decode.Event, emit func(*Op)) {
	out := u.sink(emit)
	if u.errRead {
		u.heldAdd(ev)
		u.flush(emit)
		u.result(ev, out)
		return
	}
	c := u.cmd
	if c != nil && !c.final && c.op != nil && c.op == u.held {
		u.heldAdd(ev) // the OK after an immediate +UMQTTC: <op>,0
	}
	if c != nil && !c.final && ev.Name != "OK" {
		switch {
		case c.ev.Name == "+UMQTT" && c.ev.Form == decode.FormWrite:
			code, reason := resultReason(ev.Name, ev.Args)
			u.rejectSetting()
			u.prof.notes = append(u.prof.notes, fmt.Sprintf("AT+UMQTT=%s was rejected (%s: %s, line %d)",
				strings.SplitN(c.ev.Args, ",", 2)[0], code, reason, ev.Pos.Line))
		case c.op != nil && u.login != nil && c.op.Kind != OpConnect && c.op.Kind != OpDisconnect:
			u.resolveLogin(false, fmt.Sprintf("the module refused the next MQTT request (line %d)", ev.Pos.Line), emit)
		}
	}
	op := u.result(ev, out)
	if op == nil || ev.Name != "OK" || op.Status != StatusPending || op.Kind != OpPublish || u.action[op] != 2 {
		return
	}
	switch u.syntax {
	case ubloxSyntaxOld:
		op.noteAs(NoteRemark, "old SARA-R4 syntax: no +UUMQTTC: 2 follows, the immediate +UMQTTC: 2,1 is the result")
		u.complete(op, ev, StatusOK, "1", "", out)
	case ubloxSyntaxUnknown:
		u.okEv[op] = *ev
	}
}

func (u *ubloxMachine) onLine(ev *decode.Event, emit func(*Op)) {
	switch {
	case ev.Name == "+UMQTT":
		u.profileLine(ev, emit)
	case ev.Name == "+UMQTTC":
		u.actionLine(ev, emit)
	case ev.Name == "+UUMQTTC":
		u.resultURC(ev, emit)
	case ev.Name == "+UUMQTTCM":
		u.setSyntax(ubloxSyntaxOld, "+UUMQTTCM message delivery (old SARA-R4 syntax)", emit)
		u.cm = u.op(0, OpReceive, ev.Name)
		u.readPrefix(u.cm)
		u.cm.add(ev)
	case ev.Name == ubloxLenName:
		u.cmBody(ev, emit)
	case ev.Name == "+UMQTTER":
		u.errorLine(ev)
	case strings.HasPrefix(ev.Name, "+UUMQTT") && len(ev.Name) > 7 && ev.Name[7] >= '0' && ev.Name[7] <= '9':
		u.setSyntax(ubloxSyntaxOld, ev.Name+": profile read-out URC (old SARA-R4 syntax)", emit)
		if n, ok := atoi(ev.Name[7:]); ok {
			u.readBack(n, splitArgs(ev.Args, 0))
		}
	default:
		u.onText(ev, emit)
	}
}

func (u *ubloxMachine) onText(ev *decode.Event, emit func(*Op)) {
	if u.cm != nil && strings.HasPrefix(ev.Text, "Topic:") {
		u.cm.Topic = strings.TrimSpace(strings.TrimPrefix(ev.Text, "Topic:"))
		u.cm.add(ev)
		return
	}
	if u.identify {
		for _, m := range []string{"SARA-R5", "SARA-R422", "LARA-R6", "LENA-R8", "LEXI-R4"} {
			if strings.Contains(strings.ToUpper(ev.Text), m) {
				u.setSyntax(ubloxSyntaxNew, "the module is a "+m, emit)
			}
		}
	}
}

// actionLine reads the immediate +UMQTTC: <op>,<result>, or a message of an
// AT+UMQTTC=6 read-out.
func (u *ubloxMachine) actionLine(ev *decode.Event, emit func(*Op)) {
	args := splitArgs(ev.Args, 0)
	a := intArg(args, 0, -1)
	if a == 6 && len(args) > 2 {
		u.readout(ev, emit)
		return
	}
	c := u.cmd
	if len(args) != 2 || c == nil || c.op == nil || u.action[c.op] != a {
		return
	}
	op := c.op
	res := intArg(args, 1, -1)
	op.add(ev)
	op.state.answered = true
	if res == 1 {
		if u.login != nil && a != 0 && a != 1 {
			u.resolveLogin(true, fmt.Sprintf("the module accepted the next MQTT request (+UMQTTC: %d,1, line %d)", a, ev.Pos.Line), emit)
		}
		return
	}
	if u.login != nil && a != 0 && a != 1 {
		u.resolveLogin(false, fmt.Sprintf("the module refused the next MQTT request (+UMQTTC: %d,%d, line %d)", a, res, ev.Pos.Line), emit)
	}
	u.complete(op, ev, StatusFailed, strArg(args, 1),
		fmt.Sprintf("the module did not send the %s (+UMQTTC: %d,%s); AT+UMQTTER gives the error code", ubloxActions[a], a, strArg(args, 1)), u.sink(emit))
}

// resultURC handles +UUMQTTC: <op>,<result>[,...] [§7.3].
func (u *ubloxMachine) resultURC(ev *decode.Event, emit func(*Op)) {
	out := u.sink(emit)
	args := splitArgs(ev.Args, 0)
	a, res := intArg(args, 0, -1), intArg(args, 1, -1)
	code := strings.Join(args[min(1, len(args)):], ",")
	alone := func(kind OpKind) *Op {
		return u.unlogged(0, kind, ev.Name)
	}
	switch a {
	case 0:
		if why, lost := exactMeaning(ubloxLinkLoss, res); lost {
			u.setSyntax(ubloxSyntaxNew, fmt.Sprintf("+UUMQTTC: 0,%d exists only in the new syntax", res), emit)
			u.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: the link went down (+UUMQTTC: 0,%d, line %d)", res, ev.Pos.Line), ev, out)
			u.single(u.op(0, OpLink, ev.Name), ev, StatusFailed, code, why, out)
			return
		}
		op := u.opOf(0)
		if op == nil {
			op = alone(OpDisconnect)
		}
		if res == 1 {
			u.complete(op, ev, StatusOK, code, "", out)
		} else {
			u.complete(op, ev, StatusFailed, code, fmt.Sprintf("logout result %d (1 = logged out)", res), out)
		}
	case 1:
		u.loginURC(ev, res, code, emit)
	case 2, 3, 9:
		if a != 3 {
			u.setSyntax(ubloxSyntaxNew, fmt.Sprintf("+UUMQTTC: %d (old SARA-R4 firmware sends no publish URC)", a), emit)
		}
		op := u.opOf(a)
		if op == nil {
			op = alone(OpPublish)
		}
		if u.login != nil && res == 1 {
			u.resolveLogin(true, fmt.Sprintf("a publish went through (line %d)", ev.Pos.Line), emit)
		}
		if res == 1 {
			u.complete(op, ev, StatusOK, code, "", out)
		} else {
			u.complete(op, ev, StatusFailed, code, fmt.Sprintf("not published (result %d; 1 = published); AT+UMQTTER gives the error code", res), out)
		}
	case 4:
		u.subscribeURC(ev, args, res, code, emit)
	case 5:
		op := u.opOf(5)
		if op == nil {
			op = alone(OpUnsubscribe)
		}
		if res == 1 {
			u.complete(op, ev, StatusOK, code, "", out)
		} else {
			u.complete(op, ev, StatusFailed, code, fmt.Sprintf("unsubscribe result %d (1 = unsubscribed)", res), out)
		}
	case 6:
		if res > 0 {
			ev := *ev
			u.unread, u.unreadN = &ev, res
		} else {
			u.unread = nil
		}
	case 8:
		op := u.opOf(8)
		if op == nil {
			return // keep-alive switch (R5/R6) or an unconfirmed report
		}
		if res == 1 {
			u.complete(op, ev, StatusOK, code, "ping answered", out)
		} else {
			u.complete(op, ev, StatusFailed, code, fmt.Sprintf("ping result %d (unconfirmed; 1 taken as success)", res), out)
		}
	}
}

// loginURC handles +UUMQTTC: 1,<result>, whose meaning depends on the syntax.
func (u *ubloxMachine) loginURC(ev *decode.Event, res int, code string, emit func(*Op)) {
	out := u.sink(emit)
	op := u.opOf(1)
	if op == nil {
		op = u.unlogged(0, OpConnect, ev.Name)
		u.fillConnect(op)
	}
	syntax := u.syntax
	if syntax == ubloxSyntaxUnknown && res == 1 {
		u.setSyntax(ubloxSyntaxNew, "+UUMQTTC: 1,1 (1 = logged in, new syntax)", emit)
		syntax = ubloxSyntaxNew
	}
	switch {
	case syntax == ubloxSyntaxUnknown && res == 0:
		// Held until the log shows which syntax this is.
		u.login = op
		if i := ubloxIndexOp(u.open, op); i >= 0 {
			u.open = append(u.open[:i], u.open[i+1:]...)
		}
		delete(u.action, op)
		op.finish(ev, StatusPending, code, "")
	case syntax == ubloxSyntaxOld && res == 0, syntax != ubloxSyntaxOld && res == 1:
		if syntax == ubloxSyntaxOld {
			op.noteAs(NoteRemark, "old SARA-R4 syntax: +UUMQTTC: 1,0 means logged in")
		}
		u.complete(op, ev, StatusOK, code, "", out)
	case syntax == ubloxSyntaxOld:
		u.complete(op, ev, StatusFailed, code, fmt.Sprintf("login failed (old SARA-R4 syntax: result %d, 0 = logged in); AT+UMQTTER gives the error code", res), out)
	default:
		u.complete(op, ev, StatusFailed, code, fmt.Sprintf("login failed (result %d, 1 = logged in); AT+UMQTTER gives the error code", res), out)
	}
}

func ubloxIndexOp(ops []*Op, op *Op) int {
	for i, o := range ops {
		if o == op {
			return i
		}
	}
	return -1
}

// subscribeURC handles +UUMQTTC: 4,<result>,<granted_qos>,"<topic_filter>",
// keyed by topic.
func (u *ubloxMachine) subscribeURC(ev *decode.Event, args []string, res int, code string, emit func(*Op)) {
	out := u.sink(emit)
	topic := strArg(args, 3)
	op := u.find(func(o *Op) bool { return u.action[o] == 4 && o.Topic == topic })
	if op == nil {
		op = u.opOf(4)
	}
	if op == nil {
		op = u.unlogged(0, OpSubscribe, ev.Name)
		op.Topic, op.Topics = topic, []string{topic}
	}
	if g, ok := atoi(strArg(args, 2)); ok {
		op.Granted = []int{g}
		code = strArg(args, 1) + "," + strArg(args, 2)
	}
	if u.login != nil && res >= 0 && res <= 2 {
		u.resolveLogin(true, fmt.Sprintf("a subscription was acknowledged (line %d)", ev.Pos.Line), emit)
	}
	switch {
	case res == 1:
		u.complete(op, ev, StatusOK, code, "", out)
	case res >= 0 && res <= 2 && u.syntax == ubloxSyntaxOld:
		op.noteAs(NoteRemark, fmt.Sprintf("old SARA-R4 syntax: result %d counts as subscribed (0-2 do in u-blox's driver; meaning unconfirmed)", res))
		u.complete(op, ev, StatusOK, code, "", out)
	case res >= 0 && res <= 2 && u.syntax == ubloxSyntaxUnknown:
		u.complete(op, ev, StatusUnknown, code, fmt.Sprintf("result %d: failure in the new syntax (1 = subscribed), success on SARA-R4 (0-2, unconfirmed); the log does not show which syntax", res), out)
	default:
		u.complete(op, ev, StatusFailed, code, fmt.Sprintf("subscribe result %d (1 = subscribed)", res), out)
	}
}
