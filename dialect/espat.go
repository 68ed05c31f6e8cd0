package dialect

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"atscope/decode"
)

// Espressif ESP-AT AT+MQTT* (ESP32, ESP32-C2/C3/C6/S2, ESP8266 on ESP-AT
// 2.x and later). Sources: espressif/esp-at docs/en/AT_Command_Set/
// MQTT_AT_Commands.rst (v2.0 era and v2.2+), Basic_AT_Commands.rst
// (AT+SYSLOG error codes), the v2.1-v5.0 HTML docs (dialects.md §3). One
// client per module, LinkID 0. Commands block until done: the result is the
// final OK or ERROR and a few fixed URCs; no MQTT acknowledgement is shown
// (§3.6).
//
// Deadlines: MQTT commands answer within 10 s, except AT+MQTTCONN, which
// retransmits and over TLS waits 10 s per handshake packet (§3.4 notes,
// MQTT Notes of the manual). So 15 s (10 s and slack) for every command,
// 120 s for AT+MQTTCONN, and 15 s from the payload for +MQTTPUB:OK.
//
// The same machine also decodes the AT+CIPMQTT* commands of the cipmqtt
// dialect (cipmqtt.go): both run on ESP8266 modules, and logs show a host
// trying one set and falling back to the other.
var espat = &Dialect{
	Name:       "espat",
	Doc:        "Espressif ESP-AT AT+MQTT* MQTT client (LinkID 0; OK/ERROR results, +MQTTCONNECTED, +MQTTSUBRECV)",
	Modules:    "ESP32, ESP32-C2/C3/C6/S2, ESP8266 (ESP-AT 2.x to 5.x)",
	Evidence:   espatEvidence,
	Hooks:      espatHooks{},
	NewMachine: func(file string) Machine { return newESP(file, "espat") },
	Facts: Facts{
		Commands: []Command{
			{Name: "+MQTTUSERCFG", NotOp: true, Args: []ArgRole{ArgClient, ArgScheme, ArgClientID, ArgUser, ArgPassword, ArgOther, ArgOther, ArgOther}, MaxLen: []int{0, 0, 256, 64, 64, 0, 0, 32}, Cite: "§3.2: =0,scheme,\"id\",\"u\",\"p\",...: OK; scheme (TLS, WebSocket), client ID, user, password feed the connect"},
			{Name: "+MQTTCLIENTID", NotOp: true, Args: []ArgRole{ArgClient, ArgClientID}, MaxLen: []int{0, 256}, Cite: "§3.1, §3.2: OK (v2.0/2.1)"},
			{Name: "+MQTTUSERNAME", NotOp: true, Args: []ArgRole{ArgClient, ArgUser}, MaxLen: []int{0, 64}, Cite: "§3.1, §3.2: OK (v2.0/2.1)"},
			{Name: "+MQTTPASSWORD", NotOp: true, Args: []ArgRole{ArgClient, ArgPassword}, MaxLen: []int{0, 64}, Cite: "§3.1, §3.2: OK (v2.0/2.1)"},
			{Name: "+MQTTLONGCLIENTID", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Data: ArgClientID, Cite: "§3.2, §3.5: =0,len: OK, >, data, OK (v2.2+)"},
			{Name: "+MQTTLONGUSERNAME", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Data: ArgUser, Cite: "§3.2, §3.5: =0,len: OK, >, data, OK (v2.2+)"},
			{Name: "+MQTTLONGPASSWORD", NotOp: true, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgPayloadLen}, Data: ArgPassword, Cite: "§3.2, §3.5: =0,len: OK, >, data, OK (v2.2+)"},
			{Name: "+MQTTCONNCFG", NotOp: true, Args: []ArgRole{ArgClient, ArgKeepAlive, ArgClean, ArgTopic, ArgPayload, ArgQoS, ArgRetain}, MaxLen: []int{0, 0, 0, 128, 128}, Cite: "§3.2: =0,ka,dis_clean,\"wt\",\"wm\",wq,wr: OK; keep-alive, clean session, will"},
			{Name: "+MQTTALPN", NotOp: true, Args: []ArgRole{ArgClient}, Cite: "§3.1: OK"},
			{Name: "+MQTTSNI", NotOp: true, Args: []ArgRole{ArgClient, ArgHost}, Cite: "§3.1: OK"},
			{Name: "+MQTTCONN", Op: OpConnect, Result: ResultFinal, Args: []ArgRole{ArgClient, ArgHost, ArgPort, ArgOther}, Cite: "§3.2, §3.3: =0,\"host\",port,reconnect: +MQTTCONNECTED:..., OK | [ERR CODE:...] ERROR"},
			{Name: "+MQTTPUB", Op: OpPublish, Result: ResultFinal, Args: []ArgRole{ArgClient, ArgTopic, ArgPayload, ArgQoS, ArgRetain}, Cite: "§3.2: =0,\"topic\",\"data\",qos,retain: OK | ERROR (no PUBACK shown); inline with \\\" \\, \\\\ escapes"},
			{Name: "+MQTTPUBRAW", Op: OpPublish, Result: ResultPrompt, Args: []ArgRole{ArgClient, ArgTopic, ArgPayloadLen, ArgQoS, ArgRetain}, Data: ArgPayload, Cite: "§3.2, §3.5: =0,\"topic\",len,qos,retain: OK, >, data, then +MQTTPUB:OK | +MQTTPUB:FAIL"},
			{Name: "+MQTTSUB", Op: OpSubscribe, Result: ResultFinal, Args: []ArgRole{ArgClient, ArgTopic, ArgQoS}, Cite: "§3.2: OK | ALREADY SUBSCRIBE, OK | ERROR"},
			{Name: "+MQTTUNSUB", Op: OpUnsubscribe, Result: ResultFinal, Args: []ArgRole{ArgClient, ArgTopic}, Cite: "§3.2: OK | NO UNSUBSCRIBE, OK | ERROR"},
			{Name: "+MQTTCLEAN", Op: OpDisconnect, Result: ResultFinal, Args: []ArgRole{ArgClient}, Cite: "§3.2: OK (DISCONNECT and TCP close in one)"},
			{Name: "+MQTTCONNECTED", URC: true, Op: OpConnect, Result: ResultUnsolicited, Args: []ArgRole{ArgClient, ArgScheme, ArgHost, ArgPort, ArgOther, ArgOther}, Cite: "§3.3: 0,scheme,\"h\",\"port\",\"path\",rc: after an automatic reconnection (reconnect=1)", Reconnect: ReconnectDone},
			{Name: "+MQTTDISCONNECTED", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§3.3: the connection ended; open ops are abandoned",
				Advice: "Check Wi-Fi (WIFI DISCONNECT before it?) and the broker. With reconnect=1 in AT+MQTTCONN the module reconnects by itself (+MQTTCONNECTED); otherwise connect again with AT+MQTTCONN."},
			{Name: "+MQTTSUBRECV", URC: true, Op: OpReceive, Result: ResultUnsolicited, Args: []ArgRole{ArgClient, ArgTopic, ArgPayloadLen, ArgPayload}, Cite: "§3.3: 0,\"topic\",len,data: data is raw, len bytes, may hold commas and line breaks"},
			{Name: "ALREADY SUBSCRIBE", URC: true, NotOp: true, Cite: "§3.2: before OK: the topic was subscribed before; nothing changed"},
			{Name: "NO UNSUBSCRIBE", URC: true, NotOp: true, Cite: "§3.2: before OK: the topic was not subscribed; nothing changed"},
			{Name: "ERR CODE", URC: true, NotOp: true, Cite: "§3.4: ERR CODE:0x<8 hex> before ERROR with AT+SYSLOG=1 (espat_codes.go)"},
			{Name: "busy p...", URC: true, NotOp: true, Cite: "§3.3: a command sent while the previous one runs is dropped",
				Advice: "The module was still busy with the previous command: wait for its OK or ERROR before sending the next one."},
			{Name: "ready", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§1.5: boot banner: power-on or reset"},
			{Name: "WIFI CONNECTED", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§3.3: Wi-Fi state"},
			{Name: "WIFI GOT IP", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§3.3: Wi-Fi state"},
			{Name: "WIFI DISCONNECT", URC: true, Op: OpLink, Result: ResultUnsolicited, Cite: "§3.3: Wi-Fi state: the MQTT connection drops with it"},
			{Name: "+CWJAP", NotOp: true, Args: []ArgRole{ArgSSID, ArgWiFiPassword}, Cite: "Basic AT commands: AT+CWJAP=\"<ssid>\",\"<pwd>\""},
			{Name: "+CWJAP_CUR", NotOp: true, Args: []ArgRole{ArgSSID, ArgWiFiPassword}, Cite: "ESP8266 AT 1.x: AT+CWJAP_CUR=\"<ssid>\",\"<pwd>\""},
			{Name: "+CWJAP_DEF", NotOp: true, Args: []ArgRole{ArgSSID, ArgWiFiPassword}, Cite: "ESP8266 AT 1.x: AT+CWJAP_DEF=\"<ssid>\",\"<pwd>\""},
			{Name: "+CWSAP", NotOp: true, Args: []ArgRole{ArgSSID, ArgWiFiPassword}, Cite: "Basic AT commands: AT+CWSAP=\"<ssid>\",\"<pwd>\",..."},
			{Name: "+CWSAP_CUR", NotOp: true, Args: []ArgRole{ArgSSID, ArgWiFiPassword}, Cite: "ESP8266 AT 1.x"},
			{Name: "+CWSAP_DEF", NotOp: true, Args: []ArgRole{ArgSSID, ArgWiFiPassword}, Cite: "ESP8266 AT 1.x"},
		},
		Limits:               Limits{Clients: 1, Topic: 128, ClientID: 256, CommandLine: 256, Source: "ESP-AT MQTT manual: command line under 256 bytes, client ID at most 256, topic at most 128 bytes (v2.2 and later)"},
		Success:              []string{"SEND OK"},
		WiFi:                 true,
		Manual:               "the ESP-AT MQTT AT command manual",
		LongCredentialAdvice: "Give long credentials with AT+MQTTLONGCLIENTID, AT+MQTTLONGUSERNAME or AT+MQTTLONGPASSWORD (ESP-AT 2.2 and later: the length, then the bytes after '>'), and leave the field empty in AT+MQTTUSERCFG.",
		LongLineAdvice:       "Send long payloads with AT+MQTTPUBRAW (length, then the bytes after '>') and long credentials with AT+MQTTLONGCLIENTID/LONGUSERNAME/LONGPASSWORD.",
		ErrorAdvice:          "ESP-AT says only ERROR: enable AT+SYSLOG=1 to get an \"ERR CODE:0x...\" line that says why. Check the order (AT+MQTTUSERCFG, AT+MQTTCONNCFG, AT+MQTTCONN), Wi-Fi (WIFI GOT IP) and the arguments.",
		ExplainOp:            espExplainOp,
	},
}

func init() {
	Register(espat)
	espatNames = espat.Facts.names("+MQTT")
}

const (
	espCommandDeadline = 15 * time.Second
	espConnDeadline    = 120 * time.Second
)

// espatNames are the ESP-AT MQTT commands and URCs of the table.
var espatNames map[string]bool

// espHint scores the lines every ESP8266/ESP32 AT firmware prints, whatever
// its MQTT command set: a hint of the module, not of the dialect.
func espHint(ev *decode.Event) int {
	switch ev.Name {
	case "ready", "WIFI CONNECTED", "WIFI GOT IP", "WIFI DISCONNECT", "busy p...", "ERR CODE", "+CWJAP", "+CWMODE":
		return 2
	}
	return 0
}

func espatEvidence(ev *decode.Event) int {
	if espatNames[ev.Name] {
		return 10
	}
	switch ev.Name {
	case "ALREADY SUBSCRIBE", "NO UNSUBSCRIBE":
		return 5
	}
	return espHint(ev)
}

// espSchemes names the <scheme> values of AT+MQTTUSERCFG [dialects.md §3.2].
var espSchemes = map[int]string{
	1: "MQTT over TCP", 2: "MQTT over TLS (no certificate verification)", 3: "MQTT over TLS (verify server certificate)",
	4: "MQTT over TLS (provide client certificate)", 5: "MQTT over TLS (verify server, provide client certificate)",
	6: "MQTT over WebSocket (TCP)", 7: "MQTT over WebSocket Secure (no certificate verification)",
	8: "MQTT over WebSocket Secure (verify server certificate)", 9: "MQTT over WebSocket Secure (provide client certificate)",
	10: "MQTT over WebSocket Secure (verify server, provide client certificate)",
}

// espConfig is one LinkID's configuration for the next connect.
type espConfig struct {
	scheme                   int
	clientID, user, password string
	keepalive                int // -1: not configured
	clean                    *bool
	will                     *Will
	path                     string
}

type espMachine struct {
	tracker
	label string // the dialect the log was detected as
	cfg   map[int]*espConfig
	// prev is the command before the latest, still awaiting its result
	// when "busy p..." rejects the latest.
	prev *pendingCmd
	// For the pending command: its ERR CODE line, its ALREADY SUBSCRIBE or
	// NO UNSUBSCRIBE line.
	errLine, infoLine *decode.Event
	atVersion         string    // from AT+GMR: "1.7.4.0" (NONOS AT) or "2.2.1.0" (ESP-AT)
	answers           int       // final results seen for the latest command
	before            espConfig // the configuration before the latest configuration command
	connected         map[int]bool
	reconnect         map[int]bool // MQTTCONN asked for automatic reconnection
	cleaned           map[int]bool // MQTTCLEAN since the last connection
	lost              map[int]bool // +MQTTDISCONNECTED ended a connection: the next +MQTTCONNECTED is a reconnection
	reset             int          // the line of the latest "ready" after a configuration, or 0
	// cfgFailed says which configuration commands the module rejected,
	// per LinkID and command, for the notes of the next connect.
	cfgFailed map[int]map[string]*espCfgFailure
	cip       cipState // the AT+CIPMQTT* side (cipmqtt.go)
}

func newESP(file, label string) *espMachine {
	return &espMachine{
		tracker: newTracker(file, "espat"), label: label, cfg: map[int]*espConfig{},
		connected: map[int]bool{}, reconnect: map[int]bool{}, cleaned: map[int]bool{}, lost: map[int]bool{},
		cfgFailed: map[int]map[string]*espCfgFailure{},
	}
}

func (m *espMachine) config(link int) *espConfig {
	c, ok := m.cfg[link]
	if !ok {
		c = &espConfig{keepalive: -1}
		m.cfg[link] = c
	}
	return c
}

func (m *espMachine) Feed(ev *decode.Event, emit func(*Op)) {
	m.tick(ev, emit)
	switch ev.Kind {
	case decode.KindCommand, decode.KindEcho:
		prev := m.cmd
		if m.command(ev) {
			return
		}
		m.prev, m.errLine, m.infoLine, m.answers = prev, nil, nil, 0
		switch {
		case cipNames[ev.Name] || ev.Name == "+CIPCLOSE" || ev.Name == "+CIPMUX":
			m.cipCommand(ev, emit)
		case espatNames[ev.Name]:
			m.espCommand(ev, emit)
		}
	case decode.KindPrompt:
		if op := m.attach(ev); op != nil && ev.Problem != "" {
			if ev.Problem == "no payload after the prompt" {
				op.noteAs(NoteRemark, "the payload is not in the log (ESP-AT does not echo it)")
			} else {
				op.noteProblem(ev)
			}
		}
	case decode.KindData:
		m.data(ev)
	case decode.KindResult:
		m.final(ev, emit)
	case decode.KindResponse, decode.KindURC:
		m.line(ev, emit)
	}
}

func (m *espMachine) Close(emit func(*Op)) { m.close(emit) }

func (m *espMachine) espCommand(ev *decode.Event, emit func(*Op)) {
	if ev.Form == decode.FormRead || ev.Form == decode.FormTest {
		return // AT+MQTTCONN?, AT+MQTTSUB? list state
	}
	var buf [argsOnStack]string
	args := appendArgs(buf[:0], ev.Args, 0)
	link := intArg(args, 0, 0)
	c := m.config(link)
	m.before = *c // restored if the module rejects the configuration
	switch ev.Name {
	case "+MQTTUSERCFG":
		f := splitArgs(ev.Args, 8)
		c.scheme = intArg(f, 1, 1)
		c.clientID, c.user, c.password, c.path = strArg(f, 2), strArg(f, 3), strArg(f, 4), strArg(f, 7)
		return
	case "+MQTTCLIENTID":
		c.clientID = strArg(splitArgs(ev.Args, 2), 1)
		return
	case "+MQTTUSERNAME":
		c.user = strArg(splitArgs(ev.Args, 2), 1)
		return
	case "+MQTTPASSWORD":
		c.password = strArg(splitArgs(ev.Args, 2), 1)
		return
	case "+MQTTLONGCLIENTID", "+MQTTLONGUSERNAME", "+MQTTLONGPASSWORD", "+MQTTALPN", "+MQTTSNI":
		return // values come as data after the prompt (see data)
	case "+MQTTCONNCFG":
		f := splitArgs(ev.Args, 0)
		c.keepalive = intArg(f, 1, -1)
		if c.keepalive == 0 {
			c.keepalive = 120 // 0 means the default [§3.2]
		}
		if d, ok := atoi(strArg(f, 2)); ok {
			clean := d == 0
			c.clean = &clean
		}
		c.will = nil
		if t := strArg(f, 3); t != "" {
			c.will = &Will{Topic: t, Message: strArg(f, 4), QoS: intArg(f, 5, 0), Retain: intArg(f, 6, 0) == 1}
		}
		return
	}
	op := m.op(link, OpConnect, ev.Name)
	lowerCase(op, ev)
	if len(args) == 0 || !espDigits(strings.TrimSpace(args[0])) {
		op.noteAs(NoteDeviation, "no LinkID first: the manual's syntax is "+ev.Name+"=<LinkID>,...")
	} else if link != 0 {
		op.noteAs(NoteDeviation, fmt.Sprintf("LinkID %d: ESP-AT supports LinkID 0 only", link))
	}
	switch ev.Name {
	case "+MQTTCONN":
		m.supersede(func(o *Op) bool { return o.Kind == OpConnect && o.Client == link }, ev, emit)
		op.Host, op.Port = strArg(args, 1), intArg(args, 2, 0)
		if len(args) > 1 && !isQuoted(args[1]) {
			op.noteAs(NoteDeviation, "host not in quotes (the manual quotes it)")
		}
		m.reconnect[link] = intArg(args, 3, 0) == 1
		m.applyConfig(op, c)
		m.begin(op, false, espConnDeadline)
	case "+MQTTPUB":
		op.Kind = OpPublish
		p := parseEspPub(ev.Args)
		op.Topic, op.Payload, op.PayloadLen, op.QoS, op.Retain = p.topic, p.data, len(p.data), p.qos, p.retain == 1
		for _, n := range p.notes {
			op.note(n)
		}
		if n := len(ev.Text); n >= 256 {
			op.noteAs(NoteRemark, fmt.Sprintf("the command line is %d bytes: ESP-AT takes less than 256 (AT+MQTTPUBRAW has no such limit)", n))
		}
		m.begin(op, false, espCommandDeadline)
	case "+MQTTPUBRAW":
		op.Kind = OpPublish
		op.Topic, op.QoS, op.Retain = strArg(args, 1), intArg(args, 3, -1), intArg(args, 4, 0) == 1
		if n, ok := atoi(strArg(args, 2)); ok {
			op.PayloadLen = n
		}
		m.begin(op, true, 0) // the deadline runs from the payload on
	case "+MQTTSUB", "+MQTTUNSUB":
		op.Kind = OpSubscribe
		if ev.Name == "+MQTTUNSUB" {
			op.Kind = OpUnsubscribe
		}
		op.oneTopic(args, 1)
		m.begin(op, false, espCommandDeadline)
	case "+MQTTCLEAN":
		op.Kind = OpDisconnect
		m.begin(op, false, espCommandDeadline)
	default:
		return
	}
	if op.Kind != OpConnect {
		m.checkTopic(op)
	}
}

// checkTopic notes the topic limit the manual gives (64 bytes, v2.0 era).
func (m *espMachine) checkTopic(op *Op) {
	if len(op.Topic) > 64 {
		op.noteAs(NoteLimit, fmt.Sprintf("topic is %d bytes: the v2.0-era manual limits topics to 64 (later limits unconfirmed)", len(op.Topic)))
	}
}

// applyConfig copies what AT+MQTTUSERCFG and AT+MQTTCONNCFG set into a
// connect, with the manual's defaults (keep-alive 120 s, clean session).
func (m *espMachine) applyConfig(op *Op, c *espConfig) {
	op.ClientID, op.Username, op.Password, op.Will = c.clientID, c.user, c.password, c.will
	op.Version = 4 // MQTT 3.1.1 [§3.1]
	op.KeepAlive = 120
	if c.keepalive > 0 {
		op.KeepAlive = c.keepalive
	}
	clean := true
	if c.clean != nil {
		clean = *c.clean
	}
	op.Clean = &clean
	for _, name := range []string{"+MQTTUSERCFG", "+MQTTCLIENTID", "+MQTTUSERNAME", "+MQTTPASSWORD", "+MQTTLONGCLIENTID", "+MQTTLONGUSERNAME", "+MQTTLONGPASSWORD", "+MQTTCONNCFG"} {
		if f := m.cfgFailed[op.Client][name]; f != nil {
			op.note(f.String())
			if f.took > 0 {
				delete(m.cfgFailed[op.Client], name) // said once
			}
		}
	}
	switch {
	case c.scheme == 0 && m.reset > 0:
		op.noteAs(NoteRemark, fmt.Sprintf("the module restarted (ready, line %d) since AT+MQTTUSERCFG: the configuration is gone", m.reset))
	case c.scheme == 0:
		op.noteAs(NoteRemark, "no AT+MQTTUSERCFG before it in the log: scheme, client ID and credentials not known")
	case c.scheme >= 2 && c.scheme <= 5 || c.scheme >= 7 && c.scheme <= 10:
		op.TLS = true
	}
	if s, ok := espSchemes[c.scheme]; ok && c.scheme != 1 {
		op.noteAs(NoteRemark, "scheme "+strconv.Itoa(c.scheme)+": "+s)
	}
	if c.scheme >= 6 && c.path != "" {
		op.noteAs(NoteRemark, "WebSocket path "+c.path)
	}
}

// data takes the payload after a prompt: the publish of AT+MQTTPUBRAW, or
// the value of AT+MQTTLONGCLIENTID/LONGUSERNAME/LONGPASSWORD.
func (m *espMachine) data(ev *decode.Event) {
	if op := m.takePayload(ev); op != nil {
		if op.Timed && ev.TimeSrc == decode.TimeLog {
			op.setDeadline(ev.Time.Sub(op.Start) + espCommandDeadline)
		}
		return
	}
	if m.cmd == nil {
		return
	}
	c := m.config(intArg(splitArgs(m.cmd.ev.Args, 0), 0, 0))
	switch m.cmd.ev.Name {
	case "+MQTTLONGCLIENTID":
		c.clientID = ev.Text
	case "+MQTTLONGUSERNAME":
		c.user = ev.Text
	case "+MQTTLONGPASSWORD":
		c.password = ev.Text
	}
}

// final handles a final result code: busy p..., ERR CODE details,
// +MQTTPUB:OK/FAIL (a final line of its own after the payload), and the
// ALREADY SUBSCRIBE / NO UNSUBSCRIBE answers.
func (m *espMachine) final(ev *decode.Event, emit func(*Op)) {
	if !strings.HasPrefix(ev.Name, "busy") {
		m.lateResult(ev) // "busy p..." is no answer to the command
	}
	switch {
	case ev.Name == "+MQTTPUB":
		m.pubResult(ev, emit)
		return
	case ev.Name == "SEND OK" || ev.Name == "SEND FAIL":
		return // socket sends, not MQTT
	case strings.HasPrefix(ev.Name, "busy"):
		m.busy(ev, emit)
		return
	}
	c := m.cmd
	if c != nil && c.op == nil && espatNames[c.ev.Name] && c.ev.Form == decode.FormWrite {
		// A LONG* command answers twice, before and after its data: the
		// last answer counts.
		if m.answers++; !c.final || m.answers == 2 && strings.HasPrefix(c.ev.Name, "+MQTTLONG") {
			m.configResult(c, ev)
		}
	}
	if c != nil && !c.final && c.ev.Name == "+CIPMQTTCFG" {
		e := *ev
		m.cip.cfgResult = &e
	}
	if c == nil || c.final || c.op == nil || c.op.Status != StatusPending {
		m.result(ev, emit)
		return
	}
	op := c.op
	if ev.Name == "OK" {
		if op.state.async {
			m.result(ev, emit)
			return
		}
		code := ""
		if i := m.infoLine; i != nil {
			code = i.Text
			op.note(map[string]string{
				"ALREADY SUBSCRIBE": "ALREADY SUBSCRIBE: the topic was subscribed before; nothing changed",
				"NO UNSUBSCRIBE":    "NO UNSUBSCRIBE: the topic was not subscribed (does it match the subscribe exactly?); nothing changed",
			}[i.Text])
		}
		switch {
		case op.Dialect == "cipmqtt" && op.Kind == OpConnect:
			op.noteAs(NoteRemark, "undocumented command set: OK is the only sign of success (no CONNACK shown)")
		case op.Kind == OpConnect && m.reconnect[op.Client]:
			op.noteAs(NoteRemark, "reconnect=1: the module reconnects by itself after a loss (+MQTTCONNECTED)")
		}
		m.finalWith(ev, StatusOK, code, "", emit)
		m.after(op, true)
		return
	}
	code, reason := m.explain(ev, op)
	switch {
	case op.Dialect == "cipmqtt" && op.Name != "+CIPCLOSE" && m.errLine == nil && !m.cip.advised:
		m.cip.advised = true
		op.note(m.firmwareAdvice(cipAdvice))
	case op.Dialect == "espat" && strings.HasPrefix(m.atVersion, "1."):
		op.note(m.firmwareAdvice(""))
	}
	m.finalWith(ev, StatusFailed, code, reason, emit)
	m.after(op, false)
}

// espCfgFailure is a configuration command the module rejected.
type espCfgFailure struct {
	what  string // "AT+MQTTUSERCFG (line 9) was answered ERROR"
	hints string // "; the password is 96 bytes, ..."
	took  int    // the line of a later one that the module took, or 0
}

func (f *espCfgFailure) String() string {
	if f.took > 0 {
		return fmt.Sprintf("%s%s; a later one (line %d) took", f.what, f.hints, f.took)
	}
	return f.what + f.hints + ": that configuration did not take"
}

// configResult records whether the module took a configuration command,
// for the notes of the next connect.
func (m *espMachine) configResult(c *pendingCmd, ev *decode.Event) {
	link := intArg(splitArgs(c.ev.Args, 0), 0, 0)
	if m.cfgFailed[link] == nil {
		m.cfgFailed[link] = map[string]*espCfgFailure{}
	}
	if ev.Name == "OK" {
		if f := m.cfgFailed[link][c.ev.Name]; f != nil && f.took == 0 {
			// Kept: it explains the retry in the log.
			f.took = c.ev.Pos.Line
		}
		return
	}
	*m.config(link) = m.before
	why := ev.Text
	if e := m.errLine; e != nil {
		hex := strings.TrimSpace(e.Text[strings.IndexByte(e.Text, ':')+1:])
		if r, ok := espErrCode(hex); ok {
			why = hex + " (" + r + ")"
		}
	}
	f := &espCfgFailure{what: fmt.Sprintf("AT%s (line %d) was answered %s", c.ev.Name, c.ev.Pos.Line, why)}
	if c.ev.Name == "+MQTTUSERCFG" {
		// The v2.x limits: client ID 256 bytes, user name and password 64
		// [§3.2]; longer ones go with the LONG commands (v2.2+).
		args := splitArgs(c.ev.Args, 8)
		for _, l := range []struct {
			what    string
			i, n    int
			instead string
		}{{"client ID", 2, 256, "AT+MQTTLONGCLIENTID"}, {"user name", 3, 64, "AT+MQTTLONGUSERNAME"}, {"password", 4, 64, "AT+MQTTLONGPASSWORD"}} {
			if n := len(strArg(args, l.i)); n > l.n {
				f.hints += fmt.Sprintf("; the %s is %d bytes, more than the %d MQTTUSERCFG takes (use %s)", l.what, n, l.n, l.instead)
			}
		}
	}
	m.cfgFailed[link][c.ev.Name] = f
}

// firmwareAdvice says what the AT+GMR version in the log means for MQTT,
// or gives the general advice when the log has none [dialects.md §3.1].
func (m *espMachine) firmwareAdvice(general string) string {
	switch v := m.atVersion; {
	case strings.HasPrefix(v, "0.") || strings.HasPrefix(v, "1."):
		return "AT+GMR says AT version " + v + ": the NONOS AT firmware, which has no MQTT commands at all; flash ESP-AT 2.x and use AT+MQTTUSERCFG/AT+MQTTCONN"
	case v != "":
		return "AT+GMR says AT version " + v + ": ESP-AT, whose MQTT commands are AT+MQTTUSERCFG/AT+MQTTCONN (dialect espat)"
	}
	return general
}

// explain gives an ERROR its code and meaning: the ERR CODE line before it
// when AT+SYSLOG=1 printed one, else what the command's failure means.
func (m *espMachine) explain(ev *decode.Event, op *Op) (string, string) {
	code, reason := resultReason(ev.Name, ev.Args)
	if e := m.errLine; e != nil {
		hex := strings.TrimSpace(e.Text[strings.IndexByte(e.Text, ':')+1:])
		if r, ok := espErrCode(hex); ok {
			op.CodeFrom = CodeVendor // the ERR CODE line's, not ERROR's
			return hex, r
		}
	}
	if op.Dialect == "cipmqtt" {
		return code, cipReason(op)
	}
	if i := m.infoLine; i != nil {
		return i.Text, map[string]string{
			"ALREADY SUBSCRIBE": "the topic is already subscribed",
			"NO UNSUBSCRIBE":    "the topic was not subscribed",
		}[i.Text]
	}
	if ev.Name == "ERROR" {
		switch op.Kind {
		case OpConnect:
			reason = "the connection failed: broker not reached, TLS or CONNECT refused (ESP-AT shows no CONNACK code; AT+SYSLOG=1 prints an ERR CODE)"
		default:
			reason = "the module rejected the command (syntax, parameters or state); AT+SYSLOG=1 makes it print an ERR CODE line that says why"
		}
	}
	return code, reason
}

// after keeps the connection state a result implies.
func (m *espMachine) after(op *Op, ok bool) {
	if !ok || op.Dialect != "espat" {
		return
	}
	switch op.Kind {
	case OpConnect:
		m.connected[op.Client], m.cleaned[op.Client], m.lost[op.Client] = true, false, false
	case OpDisconnect:
		m.connected[op.Client], m.cleaned[op.Client] = false, true
	}
}

// busy handles "busy p...": the module was still running the previous
// command and dropped the latest one, whose op fails; the previous command
// still awaits its own result.
func (m *espMachine) busy(ev *decode.Event, emit func(*Op)) {
	c := m.cmd
	if c == nil || c.final {
		return
	}
	if c.op != nil && c.op.Status == StatusPending {
		m.finalWith(ev, StatusFailed, ev.Text, "the module was still processing the previous command and ignored this one: wait for its OK/ERROR before sending", emit)
	}
	c.final = true
	if p := m.prev; p != nil && !p.final && p != c {
		m.cmd = p
	}
}

// pubResult handles +MQTTPUB:OK and +MQTTPUB:FAIL, the outcome of an
// AT+MQTTPUBRAW after its payload.
func (m *espMachine) pubResult(ev *decode.Event, emit func(*Op)) {
	op := m.find(func(o *Op) bool { return o.Name == "+MQTTPUBRAW" })
	if op == nil {
		op = m.op(0, OpPublish, "+MQTTPUBRAW")
		op.noteAs(NoteNotLogged, "the command is not in the log; +MQTTPUB alone shows the operation")
		m.open = append(m.open, op)
	}
	op.state.answered = true
	if strings.EqualFold(strings.TrimSpace(ev.Args), "OK") {
		m.complete(op, ev, StatusOK, "", "", emit)
		return
	}
	m.complete(op, ev, StatusFailed, "+MQTTPUB:"+strings.TrimSpace(ev.Args), "the module could not send the PUBLISH (not connected, or the payload was too long)", emit)
}

// line handles URCs and the bare lines.
func (m *espMachine) line(ev *decode.Event, emit func(*Op)) {
	if c := m.cmd; c != nil && !c.final && c.ev.Name == "+GMR" && strings.HasPrefix(ev.Text, "AT version:") {
		v := strings.TrimPrefix(ev.Text, "AT version:")
		if i := strings.IndexByte(v, '('); i > 0 {
			v = v[:i]
		}
		m.atVersion = v
	}
	switch ev.Name {
	case "+MQTTCONNECTED":
		m.connectedURC(ev, emit)
	case "+MQTTDISCONNECTED":
		m.disconnectedURC(ev, emit)
	case "+MQTTSUBRECV":
		m.receive(ev, emit)
	case "+MQTTPUB":
		m.pubResult(ev, emit)
	case "ERR CODE":
		e := *ev
		m.errLine = &e
		m.attach(ev)
	case "ALREADY SUBSCRIBE", "NO UNSUBSCRIBE":
		e := *ev
		m.infoLine = &e
		m.attach(ev)
	case "ready":
		op := m.moduleOp(ev)
		m.single(op, ev, StatusOK, "", "module started (ESP-AT boot banner: power-on or reset)", emit)
		m.abandon(func(*Op) bool { return true }, fmt.Sprintf("abandoned: the module restarted (ready, line %d)", ev.Pos.Line), ev, emit)
		clear(m.connected)
		clear(m.lost)
		clear(m.cfgFailed)
		if len(m.cfg) > 0 {
			m.reset = ev.Pos.Line
		}
		clear(m.cfg)
	case "WIFI CONNECTED", "WIFI GOT IP":
		reason := map[string]string{"WIFI CONNECTED": "Wi-Fi associated with the access point", "WIFI GOT IP": "Wi-Fi up: IP address assigned"}[ev.Name]
		m.single(m.moduleOp(ev), ev, StatusOK, "", reason, emit)
	case "WIFI DISCONNECT":
		m.single(m.moduleOp(ev), ev, StatusFailed, "", "Wi-Fi disconnected: the MQTT connection drops with it", emit)
	}
}

// moduleOp starts a link op of the whole module (a boot banner, Wi-Fi
// state), labelled with the dialect the log was detected as.
func (m *espMachine) moduleOp(ev *decode.Event) *Op {
	op := m.op(ModuleClient, OpLink, ev.Name)
	op.Dialect = m.label
	return op
}

// connectedURC handles +MQTTCONNECTED: part of the pending AT+MQTTCONN, or
// an automatic reconnection.
func (m *espMachine) connectedURC(ev *decode.Event, emit func(*Op)) {
	f := splitArgs(ev.Args, 0)
	link := intArg(f, 0, 0)
	if op := m.find(func(o *Op) bool { return o.Kind == OpConnect && o.Client == link && o.Dialect == "espat" }); op != nil {
		op.add(ev)
		op.state.answered = true
		if op.Host == "" {
			op.Host, op.Port = strArg(f, 2), intArg(f, 3, 0)
		}
		return
	}
	auto := m.lost[link] && (m.reconnect[link] || intArg(f, 5, 0) == 1) && m.reconnectStep(ev) == ReconnectDone
	var op *Op
	if auto {
		op, _ = m.reconnected(link, ev)
	} else {
		op = m.op(link, OpConnect, ev.Name)
	}
	op.Host, op.Port = strArg(f, 2), intArg(f, 3, 0)
	scheme := intArg(f, 1, 0)
	c := m.config(link)
	if c.scheme == 0 {
		c.scheme = scheme
	}
	m.applyConfig(op, c)
	op.Notes = nil
	if auto {
		op.noteAs(NoteRemark, "automatic reconnection (reconnect=1): no command")
	} else {
		op.noteAs(NoteNotLogged, "the command is not in the log; +MQTTCONNECTED alone shows the operation")
	}
	m.connected[link], m.cleaned[link], m.lost[link] = true, false, false
	m.single(op, ev, StatusOK, "", "", emit)
}

// disconnectedURC handles +MQTTDISCONNECTED: the end of AT+MQTTCLEAN, or a
// loss.
func (m *espMachine) disconnectedURC(ev *decode.Event, emit func(*Op)) {
	link := intArg(splitArgs(ev.Args, 0), 0, 0)
	if op := m.find(func(o *Op) bool { return o.Kind == OpDisconnect && o.Client == link && o.Dialect == "espat" }); op != nil {
		op.add(ev)
		op.state.answered = true
		return
	}
	op := m.op(link, OpLink, ev.Name)
	switch {
	case m.cleaned[link]:
		m.single(op, ev, StatusOK, "", "the connection ended after AT+MQTTCLEAN (normal)", emit)
		return
	case !m.connected[link]:
		if c := m.find(func(o *Op) bool { return o.Kind == OpConnect && o.Client == link }); c != nil {
			c.add(ev)
			c.state.answered = true
			return
		}
		m.single(op, ev, StatusFailed, "", "no MQTT connection (the connect attempt ended)", emit)
		return
	}
	reason := "the MQTT connection ended: the broker closed it, keep-alive expired, or Wi-Fi dropped"
	if m.reconnect[link] {
		reason += "; reconnect=1, so the module retries by itself"
	}
	m.single(op, ev, StatusFailed, "", reason, emit)
	m.connected[link], m.lost[link] = false, true
	m.abandon(func(o *Op) bool { return o.Client == link && o.Dialect == "espat" },
		fmt.Sprintf("abandoned: the MQTT connection ended (+MQTTDISCONNECTED, line %d)", ev.Pos.Line), ev, emit)
}
