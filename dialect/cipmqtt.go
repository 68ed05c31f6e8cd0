package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
)

// AT+CIPMQTT*: an MQTT command set for ESP8266 that posts and blogs give
// (seed 002, section 【2】), in no Espressif manual: ESP-AT 2.x has
// AT+MQTTUSERCFG/AT+MQTTCONN instead (espat.go) and the NONOS AT 1.x
// firmware has no MQTT at all [dialects.md §3.1]. Only some third-party
// ESP8266 builds may answer it. Nothing documents its URCs, so results come
// from OK/ERROR only, and an op whose answer the log does not show stays
// unknown; there are no deadlines, since no manual gives response times.
//
// The machine is espat's (espat.go), which decodes both sets: hosts try one
// and fall back to the other in the same log. Commands score half the
// evidence of a documented set's, since a module that rejects them all
// (the usual case) speaks something else.
var cipmqtt = &Dialect{
	Name:       "cipmqtt",
	Doc:        "ESP8266 third-party AT+CIPMQTT* MQTT commands (undocumented; results from OK/ERROR only)",
	Modules:    "ESP8266 with third-party AT firmware (Espressif's ESP-AT answers ERROR)",
	Evidence:   cipEvidence,
	Hooks:      espatHooks{},
	NewMachine: func(file string) Machine { return newESP(file, "cipmqtt") },
	Facts: Facts{
		Commands: []Command{
			{Name: "+CIPMQTTCFG", NotOp: true, Args: []ArgRole{ArgHost, ArgPort, ArgClientID, ArgUser, ArgDeviceSecret, ArgPassword, ArgOther, ArgOther, ArgKeepAlive}, Advice: cipRejectedAdvice,
				Cite: "seed 002 step 3: =\"host\",port,\"id\",\"user\",\"?\",\"pass\",?,?,keepalive: OK|ERROR; feeds the connect"},
			{Name: "+CIPMQTTC", Op: OpConnect, Args: []ArgRole{ArgOther}, Advice: cipRejectedAdvice, Cite: "seed 002 step 4: =1 connects (=0 disconnects, by analogy): OK|ERROR"},
			{Name: "+CIPMQTTSUB", Op: OpSubscribe, Args: []ArgRole{ArgClient, ArgTopic, ArgQoS}, Advice: cipRejectedAdvice, Cite: "seed 002 step 5: =<id>,\"topic\",<qos>: OK|ERROR"},
			{Name: "+CIPMQTTPUB", Op: OpPublish, Args: []ArgRole{ArgClient, ArgTopic, ArgQoS, ArgRetain, ArgOther, ArgPayload}, Advice: cipRejectedAdvice,
				Cite: "seed 002 step 6: =<id>,\"topic\",<qos>,<retain>,<dup>,\"payload\": OK|ERROR; the payload is everything after the 5th comma (JSON with bare quotes)"},
			{Name: "+CIPMQTTDISC", Op: OpDisconnect, Args: []ArgRole{ArgClient}, Advice: cipRejectedAdvice, Cite: "seed 002 step 7: =<id>: OK|ERROR"},
			{Name: "+CIPCLOSE", Op: OpClose, Args: []ArgRole{ArgClient}, Cite: "seed 002 step 8: an ESP-AT socket command, [=<id>]: OK|ERROR"},
		},
		Limits: Limits{Clients: 1},
		WiFi:   true,
		Manual: "no manual (seed 002 only)",
	},
}

// cipRejectedAdvice is what to do when the module answers ERROR to the
// AT+CIPMQTT* commands, as most do [dialects.md §3.1].
const cipRejectedAdvice = "ESP-AT 2.x and later speak AT+MQTTUSERCFG, AT+MQTTCONN, AT+MQTTSUB, AT+MQTTPUB (check the version with AT+GMR); ESP8266 NONOS AT 1.x has no MQTT at all; AT+CIPMQTT* exists only in some third-party builds."

func init() {
	Register(cipmqtt)
	cipNames = cipmqtt.Facts.names("+CIPMQTT")
}

// cipNames are the AT+CIPMQTT* commands of the table.
var cipNames map[string]bool

func cipEvidence(ev *decode.Event) int {
	if cipNames[ev.Name] {
		return 5
	}
	return espHint(ev)
}

// cipConfig is what AT+CIPMQTTCFG set.
type cipConfig struct {
	host                     string
	port                     int
	clientID, user, password string
	keepalive                int
	odd                      bool // arguments 5, 7 or 8 are not the seed's "", 0, 0
}

// cipState is the AT+CIPMQTT* side of the ESP machine.
type cipState struct {
	seen      bool // an AT+CIPMQTT* command was seen: AT+CIPCLOSE belongs to the flow
	advised   bool // cipAdvice was given
	cfg       *cipConfig
	cfgCmd    *decode.Event // the latest AT+CIPMQTTCFG
	cfgResult *decode.Event // its final result code
	mux       bool          // AT+CIPMUX=1: socket commands need a link ID
	muxLine   int
}

// parseCipCfg reads AT+CIPMQTTCFG="host",port,"clientid","user","",
// "password",0,0,<keepalive>: the seed names host, port, client ID, user,
// password and keep-alive; the 5th, 7th and 8th arguments are unexplained.
func parseCipCfg(args string) *cipConfig {
	f := splitArgs(args, 0)
	c := &cipConfig{host: strArg(f, 0), port: intArg(f, 1, 0), clientID: strArg(f, 2), user: strArg(f, 3),
		password: strArg(f, 5), keepalive: -1}
	if len(f) >= 9 {
		c.keepalive = intArg(f, len(f)-1, -1)
	}
	c.odd = strArg(f, 4) != "" || intArg(f, 6, 0) != 0 || intArg(f, 7, 0) != 0
	return c
}

// cipPub is AT+CIPMQTTPUB=<id>,"<topic>",<qos>,<retain>,<dup>,"<payload>".
type cipPub struct {
	link, qos, retain, dup int
	topic, payload         string
	bareQuotes             bool
}

// parseCipPub takes the payload as everything after the 5th comma: hosts
// put JSON with unescaped quotes inside the quoted argument.
func parseCipPub(args string) cipPub {
	f := splitArgs(args, 6)
	p := cipPub{link: intArg(f, 0, 0), topic: strArg(f, 1), qos: intArg(f, 2, -1), retain: intArg(f, 3, 0), dup: intArg(f, 4, 0)}
	if len(f) > 5 {
		p.payload = unquote(f[5])
		p.bareQuotes = strings.Contains(p.payload, `"`)
	}
	return p
}

// cipReason explains an ERROR to an AT+CIPMQTT* command or to the
// AT+CIPCLOSE of that flow.
func cipReason(op *Op) string {
	if op.Name == "+CIPCLOSE" {
		return "the module rejected AT+CIPCLOSE: no socket open, or a link ID needed"
	}
	return "the module does not know AT+CIPMQTT* (not in Espressif's AT firmware)"
}

// cipAdvice is said once, on the first rejected AT+CIPMQTT* command.
const cipAdvice = "ESP-AT 2.x and later speak AT+MQTTUSERCFG/AT+MQTTCONN (dialect espat); NONOS AT 1.x has no MQTT; only some third-party ESP8266 builds have AT+CIPMQTT*"

func (m *espMachine) cipCommand(ev *decode.Event, emit func(*Op)) {
	if ev.Form == decode.FormRead || ev.Form == decode.FormTest {
		return
	}
	args := splitArgs(ev.Args, 0)
	switch ev.Name {
	case "+CIPMUX":
		m.cip.mux, m.cip.muxLine = intArg(args, 0, 0) == 1, ev.Pos.Line
		return
	case "+CIPMQTTCFG":
		e := *ev
		m.cip.seen, m.cip.cfg, m.cip.cfgCmd, m.cip.cfgResult = true, parseCipCfg(ev.Args), &e, nil
		return
	case "+CIPCLOSE":
		if !m.cip.seen {
			return // an ESP-AT socket close outside the CIPMQTT flow
		}
	}
	m.cip.seen = true
	link := 0
	if ev.Name != "+CIPMQTTC" && ev.Name != "+CIPCLOSE" {
		link = intArg(args, 0, 0)
	}
	op := m.op(link, OpConnect, ev.Name)
	op.Dialect = "cipmqtt"
	lowerCase(op, ev)
	switch ev.Name {
	case "+CIPMQTTC":
		if intArg(args, 0, 1) == 0 {
			op.Kind = OpDisconnect
			op.noteAs(NoteRemark, "AT+CIPMQTTC=0 read as a disconnect (the seed shows only =1, connect)")
			break
		}
		m.cipConnect(op)
	case "+CIPMQTTSUB":
		op.Kind = OpSubscribe
		op.Topic, op.QoS = strArg(args, 1), intArg(args, 2, -1)
		op.Topics, op.Requested = []string{op.Topic}, []int{op.QoS}
	case "+CIPMQTTPUB":
		op.Kind = OpPublish
		p := parseCipPub(ev.Args)
		op.Topic, op.QoS, op.Retain, op.Payload, op.PayloadLen = p.topic, p.qos, p.retain == 1, p.payload, len(p.payload)
		if p.bareQuotes {
			op.noteAs(NoteDeviation, `the payload holds bare '"' inside the quoted argument; taken as everything after the 5th comma`)
		}
		if p.dup == 1 {
			op.noteAs(NoteDeviation, "DUP flag set on a first send")
		}
	case "+CIPMQTTDISC":
		op.Kind = OpDisconnect
	case "+CIPCLOSE":
		op.Kind = OpClose
		if len(args) > 0 {
			op.Client = intArg(args, 0, 0)
		} else if m.cip.mux {
			op.noteAs(NoteRemark, fmt.Sprintf("AT+CIPMUX=1 (line %d) is set, so AT+CIPCLOSE needs a link ID: AT+CIPCLOSE=<id>", m.cip.muxLine))
		}
		op.noteAs(NoteRemark, "AT+CIPCLOSE closes an ESP-AT socket (AT+CIPSTART); the MQTT client is not one")
	}
	m.begin(op, false, 0)
}

// cipConnect fills a connect from AT+CIPMQTTCFG.
func (m *espMachine) cipConnect(op *Op) {
	c := m.cip.cfg
	if c == nil {
		op.noteAs(NoteRemark, "no AT+CIPMQTTCFG in the log: host and client ID not known")
		return
	}
	op.Host, op.Port, op.ClientID, op.Username, op.Password, op.KeepAlive = c.host, c.port, c.clientID, c.user, c.password, c.keepalive
	op.Version = 4
	if r := m.cip.cfgResult; r != nil && r.Name != "OK" {
		op.noteAs(NoteRemark, fmt.Sprintf("AT+CIPMQTTCFG (line %d) was answered %s: this configuration never took", m.cip.cfgCmd.Pos.Line, r.Text))
	}
	if c.odd {
		op.noteAs(NoteDeviation, "AT+CIPMQTTCFG arguments 5, 7 and 8 differ from the seed's \"\",0,0; their meaning is not documented")
	}
}
