package dialect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// Tencent Cloud IoT AT firmware (QCloud_IoT_AT for ESP8266/ESP32 on top of
// ESP-AT, and cellular modules that implement the same set): one MQTT client
// to Tencent's IoT Hub/Explorer, which the firmware signs in with the device
// triple set by AT+TCDEVINFOSET. Every MQTT command answers OK at once and
// its outcome later as +TC<cmd>:OK or +TC<cmd>:FAIL,<code>. Not covered by
// dialects.md. Sources:
//
//	[TC] Espressif ESP-AT guide, "Tencent Cloud IoT AT Command Set" (zh_CN,
//	     release v2.2.0.0_esp8266; espressif/esp-at docs/zh_CN/
//	     Customized_AT_Commands_and_Firmware/Tencent_Cloud_IoT_AT/
//	     Tencent_Cloud_IoT_AT_Command_Set.rst): the commands, URCs and error
//	     code tables below (section names in the rows).
//	[TR] Tencent's module test report for QCloud_AT_ESP_WiFi v1.1.0 (public
//	     file of the tencentyun AT firmware project, 2019): real output,
//	     "+TCMQTTSUB:OK" without a space, "+TCMQTTDISCON,2" before the OK
//	     of AT+TCMQTTDISCONN, "+TCMQTTSUB:FAIL,-108", "+TCMQTTPUB:FAIL,202",
//	     the auto-reconnect URCs, and +TCMQTTRCVPUB payloads spanning lines.
//	[FW] The firmware's qcloud_at_mqtt.c (same project): the URC formats
//	     ("+TCMQTTDISCON,%d" with QCLOUD_RET_MQTT_MANUALLY_DISCONNECTED = 2
//	     on request, the no-connection code on a drop), RECONNECTING and
//	     RECONNECTED; Tencent's C-SDK: client ID = product ID + device name.
//
// Unconfirmed, decoded tolerantly: the doc writes "+CME ERR: <err>" for
// some failures (taken as +CME ERROR), "TCDEVINFOSET:FAIL<err_code>"
// without the comma, and a space after the colon that the firmware does not
// print ([TR]); whether results can come before the OK (accepted either
// way); the execution codes of older firmware, whose C-SDK numbered them
// differently (-101 not connected, -103 reconnect timeout), so a code is
// explained with the doc's table, which may not match every firmware.
//
// Timeouts: the connect's <cmdtimeout> (1000-10000 ms, 5000 suggested) bounds
// each result [TC]; 5 s of slack is added. AT+TCDEVREG may take 10 s [FW].
var tencent = &Dialect{
	Name:    "tencent",
	Doc:     "Tencent Cloud IoT AT firmware AT+TC* (ESP8266/ESP32 QCloud AT; one client, OK then +TC...:OK|FAIL,<code>)",
	Modules: "ESP8266/ESP32/ESP32-C3 with Tencent's QCloud IoT AT firmware; modules with the Tencent IoT AT set",
	Evidence: func(ev *decode.Event) int {
		switch {
		case strings.HasPrefix(ev.Name, "+TCMQTT"), ev.Name == "+TCDEVINFOSET", ev.Name == "+TCPRDINFOSET", ev.Name == "+TCDEVREG":
			return 10
		case tencentOther[ev.Name]:
			return 5
		}
		return 0
	},
	Hooks:      tencentHooks{},
	NewMachine: func(file string) Machine { return newTencent(file) },
	Facts: Facts{
		Commands: []Command{
			{Name: "+TCDEVINFOSET", Op: OpSetup, Result: ResultURC, Args: []ArgRole{ArgScheme, ArgDeviceID, ArgDeviceID, ArgDeviceSecret, ArgOther}, Codes: tencentCodes,
				Cite: "[TC] TCDEVINFOSET: =<tls>,\"<pid>\",\"<dev>\",\"<secret>\"[,\"<rgn>\"]: OK, then +TCDEVINFOSET:OK | FAIL<code>; product ID and device name feed the connect (the device secret is never shown)"},
			{Name: "+TCPRDINFOSET", Op: OpSetup, Result: ResultURC, Args: []ArgRole{ArgScheme, ArgDeviceID, ArgDeviceSecret, ArgDeviceID, ArgOther}, Codes: tencentCodes,
				Cite: "[TC] TCPRDINFOSET: =<tls>,\"<pid>\",\"<psecret>\",\"<dev>\"[,\"<rgn>\"]: OK, then +TCPRDINFOSET:OK | FAIL,<code>"},
			{Name: "+TCDEVREG", Op: OpSetup, Result: ResultURC, Codes: tencentCodes, Cite: "[TC] TCDEVREG: OK, then +TCDEVREG:OK | FAIL,<code> (1000-1031)"},
			{Name: "+TCMQTTSRV", NotOp: true, Result: ResultURC, Args: []ArgRole{ArgHost}, Cite: "[TC] TCMQTTSRV: =\"<host>\": OK, then +TCMQTTSRV:OK | FAIL; the host feeds the connect"},
			{Name: "+TCMQTTCONN", Op: OpConnect, Result: ResultURC, Args: []ArgRole{ArgScheme, ArgOther, ArgKeepAlive, ArgClean, ArgOther}, Codes: tencentCodes,
				Cite: "[TC] TCMQTTCONN: =<tls>,<timeout>,<keepalive>,<clean>,<reconn>: OK, then +TCMQTTCONN:OK | FAIL,<code> (timeout in ms bounds every later result)"},
			{Name: "+TCMQTTDISCONN", Op: OpDisconnect, Result: ResultFinal, Cite: "[TC] TCMQTTDISCONN: +TCMQTTDISCON,2 (before OK, [TR]), OK"},
			{Name: "+TCMQTTDISCON", URC: true, Op: OpLink, Result: ResultUnsolicited, Codes: tencentCodes, Cite: "[TC] URC, [FW]: ,<code>: the connection dropped: open ops abandoned",
				Advice: "The connection dropped: with auto-reconnect (the last argument of AT+TCMQTTCONN) the module reconnects by itself; otherwise connect again."},
			{Name: "+TCMQTTRECONNECTING", URC: true, Op: OpConnect, Result: ResultUnsolicited, Cite: "[TC] URC, [TR]: the module reconnects by itself (reconnect=1); one connect op per reconnect, the attempts as retries", Reconnect: ReconnectAttempt},
			{Name: "+TCMQTTRECONNECTED", URC: true, Op: OpConnect, Result: ResultUnsolicited, Cite: "[TC] URC, [TR]: the automatic reconnect succeeded", Reconnect: ReconnectDone},
			{Name: "+TCMQTTSUB", Op: OpSubscribe, Result: ResultURC, Args: []ArgRole{ArgTopic, ArgQoS}, Codes: tencentCodes, Cite: "[TC] TCMQTTSUB: =\"<t>\",<qos>: OK, then +TCMQTTSUB:OK | FAIL,<code> (after SUBACK); AT+TCMQTTSUB? lists subscriptions"},
			{Name: "+TCMQTTUNSUB", Op: OpUnsubscribe, Result: ResultURC, Args: []ArgRole{ArgTopic}, Codes: tencentCodes, Cite: "[TC] TCMQTTUNSUB: =\"<t>\": OK, then +TCMQTTUNSUB:OK | FAIL,<code>"},
			{Name: "+TCMQTTPUB", Op: OpPublish, Result: ResultURC, Args: []ArgRole{ArgTopic, ArgQoS, ArgPayload}, Codes: tencentCodes, Cite: "[TC] TCMQTTPUB: =\"<t>\",<qos>,\"<msg>\" inline (\\\" \\, escaped): OK, then +TCMQTTPUB:OK | FAIL,<code> (QoS 1: after PUBACK)"},
			{Name: "+TCMQTTPUBL", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgTopic, ArgQoS, ArgPayloadLen}, Data: ArgPayload, Codes: tencentCodes, Cite: "[TC] TCMQTTPUBL: =\"<t>\",<qos>,<n>: OK, \">\", n bytes (no echo; 20 s limit; \"+++\" aborts), then +TCMQTTPUBL:OK | FAIL,<code>"},
			{Name: "+TCMQTTPUBRAW", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgTopic, ArgQoS, ArgPayloadLen}, Data: ArgPayload, Codes: tencentCodes, Cite: "[TC] TCMQTTPUBRAW: as TCMQTTPUBL"},
			{Name: "+TCMQTTRCVPUB", URC: true, Op: OpReceive, Result: ResultUnsolicited, Args: []ArgRole{ArgTopic, ArgPayloadLen, ArgPayload}, Cite: "[TC] URC: \"<t>\",<len>,\"<msg>\": len counts the message without the quotes; the message may span lines ([TR])"},
			{Name: "+TCMQTTSTATE", NotOp: true, Cite: "[TC] TCMQTTSTATE: AT+TCMQTTSTATE? answers +TCMQTTSTATE: 0 | 1"},
		},
		CME:         tencentCME,
		Limits:      Limits{Clients: 1},
		Acked:       true,
		AckEvidence: "+TCMQTTPUB:OK",
		WiFi:        true,
		Manual:      "the error code tables of the Tencent Cloud IoT AT command set",
	},
}

func init() { Register(tencent) }

// tencentOther are the set's commands besides MQTT: OTA, provisioning,
// gateway, module information [TC].
var tencentOther = map[string]bool{
	"+TCOTASET": true, "+TCOTASTATUS": true, "+TCFWINFO": true, "+TCREADFWDATA": true, "+TCMODULE": true,
	"+TCVER": true, "+TCRESTORE": true, "+TCSTARTSMART": true, "+TCSTOPSMART": true, "+TCSAP": true,
	"+TCSTOPSAP": true, "+TCMODINFOSET": true, "+TCGWBIND": true, "+TCGWONLINE": true,
	"+TCSUBDEVINFOSET": true, "+TCSUBDEVPRDSET": true, "+TCSUBDEVREG": true, "+TCCERTADD": true,
}

// queryAnswer reads a read-out: AT+TCMQTTSUB? lists
// "+TCMQTTSUB:"<topic>",<qos>"; AT+TCDEVINFOSET? shows the stored device,
// which the connect uses.
func (t *tencentMachine) queryAnswer(ev *decode.Event) {
	if f := splitArgs(ev.Args, 0); ev.Name == "+TCDEVINFOSET" && len(f) >= 3 && isQuoted(f[1]) {
		t.dev.tls, t.dev.productID, t.dev.deviceName = intArg(f, 0, -1), strArg(f, 1), strArg(f, 2)
	}
}

// tencentOutcome splits "OK", "FAIL,<code>", "FAIL<code>", " OK".
func tencentOutcome(args string) (ok, isResult bool, code string) {
	a := strings.TrimSpace(args)
	switch {
	case strings.EqualFold(a, "OK"):
		return true, true, ""
	case len(a) >= 4 && strings.EqualFold(a[:4], "FAIL"):
		return false, true, strings.TrimSpace(strings.TrimLeft(a[4:], ", :"))
	}
	return false, false, ""
}

type tencentDevice struct {
	tls                   int
	productID, deviceName string
	host                  string
	notes                 []string
}

type tencentMachine struct {
	tracker
	dev      tencentDevice
	hostPrev string
	timeout  time.Duration // the connect's <cmdtimeout>, 5 s by default
	last     *Op           // the latest connect, whose settings an automatic reconnect reuses
	cont     *Op           // an inline publish whose quoted message goes on on the next line
	contText string        // the message so far, quotes and escapes as logged
	contEnd  string        // the line end before the next piece
}

func newTencent(file string) *tencentMachine {
	return &tencentMachine{tracker: newTracker(file, "tencent"), dev: tencentDevice{tls: -1}, timeout: 5 * time.Second}
}

func (t *tencentMachine) deadline() time.Duration { return t.timeout + 5*time.Second }

func (t *tencentMachine) Feed(ev *decode.Event, emit func(*Op)) {
	t.tick(ev, emit)
	if t.cont != nil && t.takeContinuation(ev) {
		return
	}
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		if t.command(ev) {
			return
		}
		if strings.HasPrefix(ev.Name, "+TC") {
			t.tcCommand(ev, emit)
		}
	case decode.KindPrompt:
		t.attach(ev)
	case decode.KindData:
		t.takePayload(ev)
	case decode.KindResult:
		t.onResult(ev, emit)
	case decode.KindResponse, decode.KindURC:
		t.onLine(ev, emit)
	}
}

func (t *tencentMachine) Close(emit func(*Op)) {
	t.endContinuation()
	if op := t.reconnectEnd(); op != nil {
		op.finish(nil, StatusPending, "", "the log ends while the module is reconnecting")
		emit(op)
	}
	t.close(emit)
}

func (t *tencentMachine) tcCommand(ev *decode.Event, emit func(*Op)) {
	t.endContinuation()
	if ev.Form != decode.FormWrite && !(ev.Form == decode.FormExec && (ev.Name == "+TCMQTTDISCONN" || ev.Name == "+TCDEVREG")) {
		return // read and test forms are not operations
	}
	args := splitArgs(ev.Args, 0)
	op := t.op(0, OpSetup, ev.Name)
	lowerCase(op, ev)
	switch ev.Name {
	case "+TCDEVINFOSET", "+TCPRDINFOSET":
		t.deviceInfo(op, ev.Name, args)
		t.begin(op, true, 10*time.Second)
	case "+TCDEVREG":
		op.Reason = "dynamic registration"
		t.begin(op, true, 15*time.Second)
	case "+TCMQTTSRV":
		t.hostPrev, t.dev.host = t.dev.host, strArg(args, 0)
	case "+TCMQTTCONN":
		t.supersede(func(o *Op) bool { return o.Kind == OpConnect }, ev, emit)
		op.Kind = OpConnect
		t.connect(op, args)
		t.begin(op, true, t.deadline())
	case "+TCMQTTDISCONN":
		op.Kind = OpDisconnect
		t.begin(op, false, t.deadline())
	case "+TCMQTTSUB", "+TCMQTTUNSUB":
		op.Kind = OpSubscribe
		if ev.Name == "+TCMQTTUNSUB" {
			op.Kind = OpUnsubscribe
		}
		op.Topic = strArg(args, 0)
		op.Topics = []string{op.Topic}
		ubloxTopicQuotes(op, args, 0)
		if op.Kind == OpSubscribe {
			op.QoS = intArg(args, 1, -1)
			op.Requested = []int{op.QoS}
			if op.QoS < 0 {
				op.noteAs(NoteDeviation, "no QoS: the manual's syntax is AT+TCMQTTSUB=\"<topic>\",<qos> (its own example omits it)")
			}
		}
		t.begin(op, true, t.deadline())
	case "+TCMQTTPUB":
		op.Kind = OpPublish
		t.inlinePublish(op, ev)
		t.begin(op, true, t.deadline())
	case "+TCMQTTPUBL", "+TCMQTTPUBRAW":
		op.Kind = OpPublish
		op.Topic, op.QoS = strArg(args, 0), intArg(args, 1, -1)
		ubloxTopicQuotes(op, args, 0)
		if n, ok := lastIntArg(ev.Args); ok && len(args) >= 3 {
			op.PayloadLen = n
			if n > 2048 {
				op.noteAs(NoteRemark, fmt.Sprintf("length %d is over the 2048 bytes the firmware takes", n))
			}
		}
		t.begin(op, true, t.deadline()+20*time.Second)
	}
}

// deviceInfo keeps the product and device names for the connect; the
// secret is not kept.
func (t *tencentMachine) deviceInfo(op *Op, name string, args []string) {
	if len(args) > 0 && isQuoted(args[0]) {
		op.noteAs(NoteRemark, "tls_mode in quotes (the syntax has a number; the doc's own example quotes it)")
	}
	t.dev.tls = intArg(args, 0, -1)
	if name == "+TCDEVINFOSET" {
		t.dev.productID, t.dev.deviceName = strArg(args, 1), strArg(args, 2)
		op.Reason = "device information"
		if len(args) > 4 {
			op.noteAs(NoteRemark, "product region "+strArg(args, 4))
		}
	} else {
		t.dev.productID, t.dev.deviceName = strArg(args, 1), strArg(args, 3)
		op.Reason = "product information (for dynamic registration)"
		if len(args) > 4 {
			op.noteAs(NoteRemark, "product region "+strArg(args, 4))
		}
	}
	op.ClientID = t.dev.productID + t.dev.deviceName
	if t.dev.tls == 0 {
		op.noteAs(NoteRemark, "tls_mode 0: direct connection without TLS")
	}
}

// connect reads AT+TCMQTTCONN=<tlsmode>,<cmdtimeout>,<keepalive>,<clean_session>,<reconnect>.
func (t *tencentMachine) connect(op *Op, args []string) {
	tls := intArg(args, 0, t.dev.tls)
	op.TLS = tls != 0
	if ms := intArg(args, 1, 0); ms > 0 {
		if ms < 1000 || ms > 10000 {
			op.noteAs(NoteDeviation, fmt.Sprintf("cmdtimeout %d ms is outside the documented 1000-10000 ms", ms))
		}
		t.timeout = time.Duration(ms) * time.Millisecond
	}
	op.KeepAlive = intArg(args, 2, 240)
	if op.KeepAlive < 60 || op.KeepAlive > 690 {
		op.noteAs(NoteDeviation, fmt.Sprintf("keep-alive %d s is outside the documented 60-690 s", op.KeepAlive))
	}
	clean := intArg(args, 3, 1) == 1
	op.Clean = &clean
	if intArg(args, 4, 0) == 1 {
		op.noteAs(NoteRemark, "automatic reconnect on (reconnect=1)")
	}
	if len(args) < 5 {
		op.noteAs(NoteRemark, fmt.Sprintf("%d arguments; the syntax has <tlsmode>,<cmdtimeout>,<keepalive>,<clean_session>,<reconnect>", len(args)))
	}
	if t.dev.productID != "" || t.dev.deviceName != "" {
		op.ClientID = t.dev.productID + t.dev.deviceName
	} else {
		op.noteAs(NoteRemark, "no AT+TCDEVINFOSET (or its read-out) in the log: the module uses the device stored in its flash")
	}
	op.Host = t.dev.host
	for _, n := range t.dev.notes {
		op.note(n)
	}
	t.dev.notes = nil
	t.last = op
}

// inlinePublish reads AT+TCMQTTPUB="<topic>",<qos>,"<message>". ESP-AT
// wants '"' and ',' in the message escaped as \" and \, [TC, ESP-AT 命令说明].
func (t *tencentMachine) inlinePublish(op *Op, ev *decode.Event) {
	f := splitArgs(ev.Args, 3)
	op.Topic, op.QoS = strArg(f, 0), intArg(f, 1, -1)
	ubloxTopicQuotes(op, f, 0)
	msg := ""
	if len(f) > 2 {
		msg = f[2]
	}
	if !strings.HasPrefix(msg, `"`) {
		op.noteAs(NoteDeviation, "message not in quotes (the manual quotes it)")
		t.setMessage(op, msg)
		return
	}
	if !tencentClosed(msg) {
		// The message goes on on the next line(s).
		t.cont, t.contText = op, msg
		t.contEnd = tencentLineEnd(ev.Raw)
		return
	}
	t.setMessage(op, msg)
}

// tencentMaxLine bounds an inline message that goes on over lines: ESP-AT
// takes command lines of at most 256 bytes [TC, ESP-AT 命令说明]; this
// leaves room for firmware that take more.
const tencentMaxLine = 4 << 10

// tencentClosed reports whether a quoted message ends with an unescaped quote.
func tencentClosed(msg string) bool {
	if len(msg) < 2 || !strings.HasSuffix(msg, `"`) {
		return false
	}
	bs := 0
	for i := len(msg) - 2; i >= 0 && msg[i] == '\\'; i-- {
		bs++
	}
	return bs%2 == 0
}

// tencentLineEnd is the line end at the end of raw bytes ("\r\n" when none).
func tencentLineEnd(raw []byte) string {
	s := string(raw)
	e := s[len(strings.TrimRight(s, "\r\n")):]
	switch {
	case strings.HasPrefix(e, "\r\n"), e == "":
		return "\r\n"
	}
	return e[:1]
}

// takeContinuation adds a line of an inline message that spans lines. It
// reports whether ev was taken.
func (t *tencentMachine) takeContinuation(ev *decode.Event) bool {
	if ev.Kind != decode.KindText && ev.Kind != decode.KindResponse {
		if ev.Kind != decode.KindEcho || t.cmd == nil || !strings.EqualFold(ev.Text, t.cmd.ev.Text) {
			t.endContinuation()
		}
		return false
	}
	if ev.Text == "" {
		return false
	}
	if len(t.contText) > tencentMaxLine {
		t.endContinuation() // longer than any AT command line: not a message after all
		return false
	}
	t.contText += t.contEnd + ev.Text
	t.contEnd = tencentLineEnd(ev.Raw)
	t.cont.add(ev)
	if tencentClosed(t.contText) {
		op := t.cont
		t.cont = nil
		op.noteAs(NoteRemark, "message spans lines (line ends sent inside the quotes)")
		t.setMessage(op, t.contText)
	}
	return true
}

// endContinuation settles a message that never got its closing quote.
func (t *tencentMachine) endContinuation() {
	if t.cont == nil {
		return
	}
	op := t.cont
	t.cont = nil
	op.noteAs(NoteRemark, "message without its closing quote")
	t.setMessage(op, t.contText)
}

// setMessage unquotes and unescapes a logged message.
func (t *tencentMachine) setMessage(op *Op, msg string) {
	body := strings.TrimPrefix(msg, `"`)
	if tencentClosed(msg) {
		body = body[:len(body)-1]
	}
	var b strings.Builder
	bare := false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' && i+1 < len(body) && strings.IndexByte(`",\`, body[i+1]) >= 0 {
			b.WriteByte(body[i+1])
			i++
			continue
		}
		if c == '"' || c == ',' {
			bare = true
		}
		b.WriteByte(c)
	}
	if bare {
		op.noteAs(NoteRemark, `unescaped '"' or ',' in the message: ESP-AT wants \" and \, (the firmware may reject or cut it)`)
	}
	op.Payload = b.String()
	op.PayloadLen = len(op.Payload)
}

func (t *tencentMachine) onResult(ev *decode.Event, emit func(*Op)) {
	t.endContinuation()
	c := t.cmd
	if c != nil && !c.final && c.ev.Name == "+TCMQTTSRV" && ev.Name != "OK" {
		code, reason := t.reason(ev)
		t.dev.notes = append(t.dev.notes, fmt.Sprintf("AT+TCMQTTSRV=\"%s\" was rejected (%s: %s, line %d)", t.dev.host, code, reason, ev.Pos.Line))
		t.dev.host = t.hostPrev
	}
	if c == nil || c.op == nil || !nordicHasOp(t.open, c.op) {
		t.result(ev, emit)
		return
	}
	op := c.op
	prompted := op.Name == "+TCMQTTPUBL" || op.Name == "+TCMQTTPUBRAW"
	switch {
	case c.final && prompted && ev.Name != "OK":
		// After the OK and the prompt: the payload was refused or timed out.
		op.state.answered = true
		code, reason := t.reason(ev)
		t.complete(op, ev, StatusFailed, code, "payload refused, or not complete within about 20 s: "+reason, emit)
	case c.final && prompted:
		op.add(ev) // an OK after the payload as well
	case c.final:
		t.result(ev, emit)
	case ev.Name != "OK":
		c.final = true
		op.state.answered = true
		code, reason := t.reason(ev)
		t.complete(op, ev, StatusFailed, code, reason, emit)
	default:
		t.result(ev, emit)
	}
}

// reason explains a final error result, with Tencent's +CME ERROR codes.
func (t *tencentMachine) reason(ev *decode.Event) (string, string) {
	code, reason := resultReason(ev.Name, ev.Args)
	if ev.Name == "+CME ERROR" {
		if n, err := strconv.Atoi(strings.TrimSpace(ev.Args)); err == nil {
			if r, ok := exactMeaning(tencentCME, n); ok {
				reason = r
			}
		}
	}
	return code, reason
}

func (t *tencentMachine) onLine(ev *decode.Event, emit func(*Op)) {
	switch t.reconnectStep(ev) {
	case ReconnectAttempt:
		if op, first := t.reconnectAttempt(0, ev); first {
			t.fromLast(op)
			op.noteAs(NoteRemark, "automatic reconnect by the module (reconnect=1 in AT+TCMQTTCONN)")
		}
		return
	case ReconnectDone:
		op, attempts := t.reconnected(0, ev)
		if !attempts {
			t.fromLast(op)
			op.noteAs(NoteRemark, "automatic reconnect by the module; no +TCMQTTRECONNECTING before it in the log")
		}
		t.single(op, ev, StatusOK, "", "", emit)
		return
	}
	switch ev.Name {
	case "+TCMQTTRCVPUB":
		t.receive(ev, emit)
		return
	case "+TCMQTTDISCON":
		t.dropped(ev, emit)
		return
	case "+TCMQTTSRV":
		if ok, isResult, _ := tencentOutcome(ev.Args); isResult && !ok {
			t.dev.notes = append(t.dev.notes, fmt.Sprintf("AT+TCMQTTSRV=\"%s\" failed (line %d)", t.dev.host, ev.Pos.Line))
			t.dev.host = t.hostPrev
		}
		return
	}
	// The result URCs are those of the table's result-URC and prompt rows
	// (+TCMQTTSRV, one of them, is handled above).
	row := tencent.Facts.row(ev.Name, false)
	if row == nil || !row.resultByURC() {
		return
	}
	ok, isResult, code := tencentOutcome(tencentArgs(ev))
	if !isResult {
		t.queryAnswer(ev) // a read-out the tokenizer could not tie to its command
		return
	}
	op := t.find(func(o *Op) bool { return o.Name == ev.Name })
	if op == nil {
		op = t.op(0, row.Op, ev.Name)
		op.noteAs(NoteNotLogged, "the command is not in the log; the result alone shows the operation")
	}
	if ok {
		op.setConnack(tencentConnack(op.Kind, "0"))
		t.complete(op, ev, StatusOK, "OK", "", emit)
		return
	}
	op.setConnack(tencentConnack(op.Kind, code))
	if !strings.Contains(ev.Args, ",") && code != "" {
		op.noteAs(NoteRemark, "FAIL and its code without a comma between them")
	}
	t.complete(op, ev, StatusFailed, code, tencentReason(code), emit)
}

// tencentArgs is what follows the name: ev.Args, or for lines the
// tokenizer named through Bare ("+TCMQTTDISCON,-103") the text after the
// name and its separator.
func tencentArgs(ev *decode.Event) string {
	if ev.Args != "" {
		return ev.Args
	}
	s := strings.TrimSpace(ev.Text)
	if len(s) > len(ev.Name) {
		return strings.TrimSpace(s[len(ev.Name)+1:])
	}
	return ""
}

// fromLast gives an automatic reconnect the settings of the latest connect.
func (t *tencentMachine) fromLast(op *Op) {
	if l := t.last; l != nil {
		op.ClientID, op.Host, op.TLS, op.KeepAlive, op.Clean = l.ClientID, l.Host, l.TLS, l.KeepAlive, l.Clean
	}
}

// dropped handles +TCMQTTDISCON,<code>: the end of a requested disconnect,
// of a failed automatic reconnect, or a link loss.
func (t *tencentMachine) dropped(ev *decode.Event, emit func(*Op)) {
	code := tencentArgs(ev)
	n, _ := strconv.Atoi(code)
	if op := t.find(func(o *Op) bool { return o.Kind == OpDisconnect }); op != nil {
		op.add(ev)
		op.Code = code
		return
	}
	if op := t.reconnectEnd(); op != nil {
		op.setConnack(tencentConnack(op.Kind, code))
		t.single(op, ev, StatusFailed, code, "automatic reconnect gave up: "+tencentReason(code), emit)
		return
	}
	if n == 2 {
		op := t.op(0, OpDisconnect, ev.Name)
		op.noteAs(NoteNotLogged, "the command is not in the log; the URC alone shows the operation")
		t.single(op, ev, StatusOK, code, tencentReason(code), emit)
		return
	}
	reason := "the MQTT connection dropped: " + tencentReason(code)
	if n == -103 {
		reason += " (-103 per the AT doc's table; older C-SDK firmware used -103 for a reconnect timeout)"
	}
	t.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: the MQTT connection dropped (+TCMQTTDISCON,%s, line %d)", code, ev.Pos.Line), ev, emit)
	t.single(t.op(0, OpLink, ev.Name), ev, StatusFailed, code, reason, emit)
}

// receive handles +TCMQTTRCVPUB:"<topic>",<len>,"<message>"; len counts the
// message without its quotes [TC].
func (t *tencentMachine) receive(ev *decode.Event, emit func(*Op)) {
	op := t.op(0, OpReceive, ev.Name)
	f := splitArgs(ev.Args, 3)
	op.Topic = strArg(f, 0)
	if len(f) > 0 && !isQuoted(f[0]) {
		op.noteAs(NoteDeviation, "topic not in quotes")
	}
	n, hasLen := atoi(strArg(f, 1))
	msg := ""
	if len(f) > 2 {
		msg = f[2]
	}
	body := strings.TrimPrefix(msg, `"`)
	switch {
	case hasLen && len(body) == n+1 && strings.HasSuffix(body, `"`):
		body = body[:n]
	case strings.HasSuffix(body, `"`) && len(body) > 0:
		body = body[:len(body)-1]
	}
	op.Payload, op.PayloadLen = body, len(body)
	if hasLen {
		op.PayloadLen = n
		if n != len(body) {
			op.noteLength(len(body), n, fmt.Sprintf("message is %d bytes, length says %d", len(body), n))
		}
	}
	if ev.Problem != "" {
		op.noteProblem(ev)
	}
	t.single(op, ev, StatusOK, "", "", emit)
}

// tencentHooks tells the tokenizer how Tencent AT payloads are framed.
type tencentHooks struct{}

func (tencentHooks) claims() (payload, tail claim, bareFirst string) {
	return claim{names: []string{"+TCCERTADD", "+TCDEVINFOSET", "+TCPRDINFOSET"}, prefixes: []string{"+TCMQTT"}},
		claim{names: []string{"+TCMQTTRCVPUB"}}, "+"
}

func (tencentHooks) Payload(cmd *decode.Event) decode.Framing {
	switch cmd.Name {
	case "+TCMQTTPUBL", "+TCMQTTPUBRAW", "+TCCERTADD":
		if f, ok := countFraming(lastArg(cmd.Args)); ok && cmd.Form == decode.FormWrite {
			return f
		}
		return decode.Framing{}
	}
	if strings.HasPrefix(cmd.Name, "+TCMQTT") || cmd.Name == "+TCDEVINFOSET" || cmd.Name == "+TCPRDINFOSET" {
		return decode.Framing{Kind: decode.FrameNone}
	}
	return decode.Framing{}
}

// Tail keeps a +TCMQTTRCVPUB message with line breaks in one event: len
// counts the message between its quotes.
func (tencentHooks) Tail(ev *decode.Event) (int, int) {
	if ev.Name != "+TCMQTTRCVPUB" {
		return 0, 0
	}
	f := splitArgs(ev.Args, 3)
	if len(f) != 3 || !strings.HasPrefix(f[2], `"`) {
		return 0, 0
	}
	n, ok := atoi(f[1])
	if !ok {
		return 0, 0
	}
	if have := len(f[2]) - 1; have < n {
		return n - have, 0
	}
	return 0, 0
}

// Bare names "+TCMQTTDISCON,<code>", whose comma hides its name from the
// generic "+NAME:" rule, the doc's "+CME ERR: <err>" final result, and
// claims "+TC<cmd>: OK" whole.
func (tencentHooks) Bare(text string) (string, bool, bool) {
	switch {
	case strings.HasPrefix(text, "+TCMQTTDISCON,") || text == "+TCMQTTDISCON":
		return "+TCMQTTDISCON", false, true
	case strings.HasPrefix(text, "+CME ERR:"):
		return "+CME ERROR", true, true
	case strings.HasPrefix(text, "+TC"):
		// "+TCMQTTPUB: OK" (the doc's spacing) is one line, not a
		// response merged with a final OK.
		if i := strings.IndexByte(text, ':'); i > 3 && strings.TrimSpace(text[i+1:]) == "OK" {
			return strings.ToUpper(text[:i]), false, true
		}
	}
	return "", false, false
}
