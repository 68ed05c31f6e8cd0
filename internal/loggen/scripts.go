package loggen

import (
	"fmt"

	"atscope/dialect"
)

// msgIDs gives each client its packet ids, 1 to 65535 in turn.
type msgIDs []int

func (m msgIDs) next(c int) int {
	m[c] = m[c]%65535 + 1
	return m[c]
}

// quectelScript is AT+QMT* with up to six clients [Quectel EC2x MQTT AN
// §3.2]: results arrive as URCs after the OK, receives are pushed.
type quectelScript struct{}

func (quectelScript) preamble(g *gen) {
	modemPreamble(g)
	g.tx("AT+QIACT=1")
	g.advance(g.ms(200, 300))
	g.rx("OK")
	for c := range g.opt.Clients {
		g.tx(fmt.Sprintf(`AT+QMTCFG="recv/mode",%d,0,1`, c))
		g.rx("OK")
		g.advance(g.ms(50, 50))
	}
}

// async is a command answered by OK now and by its URC d later.
func async(g *gen, c int, cmd string, d int, urc string) {
	g.tx(cmd)
	g.rx("OK")
	g.later(g.ms(d, d*3), c, urc)
}

func (quectelScript) connect(g *gen, c int) {
	idx := fmt.Sprint(c)
	async(g, c, at("+QMTOPEN", args{dialect.ArgClient: idx, dialect.ArgHost: quoted("mqtt.example.com"), dialect.ArgPort: "1883"}), 300, urc("+QMTOPEN", c, 0))
	g.advance(g.ms(2000, 0))
	async(g, c, at("+QMTCONN", args{dialect.ArgClient: idx, dialect.ArgClientID: quoted(g.clientID(c)),
		dialect.ArgUser: quoted("user"), dialect.ArgPassword: quoted("pass")}), 150, urc("+QMTCONN", c, 0, 0))
	g.advance(g.ms(800, 0))
	for _, t := range g.shape.subs {
		id := g.ids.next(c)
		async(g, c, at("+QMTSUB", args{dialect.ArgClient: idx, dialect.ArgMsgID: fmt.Sprint(id),
			dialect.ArgTopic: quoted(fmt.Sprintf("fleet/dev-%d/%s", c, t)), dialect.ArgQoS: "1"}), 80, urc("+QMTSUB", c, id, 0, 1))
		g.advance(g.ms(400, 0))
	}
}

// pub publishes with AT+QMTPUBEX after a prompt; the result URC comes d
// later.
func (quectelScript) pub(g *gen, c, qos int, topic, payload string, d int) {
	id := 0
	if qos > 0 {
		id = g.ids.next(c)
	}
	g.tx(at("+QMTPUBEX", args{dialect.ArgClient: fmt.Sprint(c), dialect.ArgMsgID: fmt.Sprint(id), dialect.ArgQoS: fmt.Sprint(qos),
		dialect.ArgRetain: "0", dialect.ArgTopic: quoted(topic), dialect.ArgPayloadLen: fmt.Sprint(len(payload))}))
	g.prompt()
	g.data(payload)
	g.rx("OK")
	g.later(g.ms(d, d*10), c, urc("+QMTPUBEX", c, id, g.pubResult()))
}

func (quectelScript) recv(g *gen, c, d int, topic, payload string) {
	g.later(g.ms(d, d*10), c, fmt.Sprintf(`+QMTRECV: %d,0,"%s",%d,"%s"`, c, topic, len(payload), payload))
}

func (quectelScript) lose(g *gen, c int) { g.rx(urc("+QMTSTAT", c, 1)) }

func (quectelScript) end(g *gen, c int) {
	for _, name := range []string{"+QMTDISC", "+QMTCLOSE"} {
		async(g, c, at(name, args{dialect.ArgClient: fmt.Sprint(c)}), 100, urc(name, c, 0))
		g.advance(g.ms(500, 0))
	}
}

// simcomScript is AT+CMQTT* [SIMCom SIM7500/SIM7600 MQTT AT Command
// Manual §2.2]: topic and payload are loaded after prompts, then the
// publish is sent; a receive is a block of URCs.
type simcomScript struct{}

func (simcomScript) preamble(g *gen) {
	modemPreamble(g)
	async(g, 0, "AT+CMQTTSTART", 50, "+CMQTTSTART: 0")
	g.advance(g.ms(300, 0))
	for c := range g.opt.Clients {
		g.tx(fmt.Sprintf(`AT+CMQTTACCQ=%d,"dev-%d",0`, c, c))
		g.rx("OK")
		g.advance(g.ms(50, 50))
	}
}

// load is a TOPIC, PAYLOAD or SUBTOPIC command: a prompt, the bytes, OK.
func load(g *gen, cmd, data string) {
	g.tx(cmd)
	g.prompt()
	g.data(data)
	g.rx("OK")
}

func (simcomScript) connect(g *gen, c int) {
	async(g, c, fmt.Sprintf(`AT+CMQTTCONNECT=%d,"tcp://mqtt.example.com:1883",60,1,"user","pass"`, c), 300, fmt.Sprintf("+CMQTTCONNECT: %d,0", c))
	g.advance(g.ms(2000, 0))
	for _, t := range g.shape.subs {
		topic := fmt.Sprintf("fleet/dev-%d/%s", c, t)
		load(g, fmt.Sprintf("AT+CMQTTSUBTOPIC=%d,%d,1", c, len(topic)), topic)
		async(g, c, fmt.Sprintf("AT+CMQTTSUB=%d", c), 80, fmt.Sprintf("+CMQTTSUB: %d,0", c))
		g.advance(g.ms(400, 0))
	}
}

func (simcomScript) pub(g *gen, c, qos int, topic, payload string, d int) {
	load(g, fmt.Sprintf("AT+CMQTTTOPIC=%d,%d", c, len(topic)), topic)
	load(g, fmt.Sprintf("AT+CMQTTPAYLOAD=%d,%d", c, len(payload)), payload)
	async(g, c, fmt.Sprintf("AT+CMQTTPUB=%d,%d,60", c, qos), d, fmt.Sprintf("+CMQTTPUB: %d,0", c))
}

// recv schedules the URC block of a received message.
func (simcomScript) recv(g *gen, c, d int, topic, payload string) {
	g.later(g.ms(d, d*10), c,
		fmt.Sprintf("+CMQTTRXSTART: %d,%d,%d", c, len(topic), len(payload)),
		fmt.Sprintf("+CMQTTRXTOPIC: %d,%d", c, len(topic)), topic,
		fmt.Sprintf("+CMQTTRXPAYLOAD: %d,%d", c, len(payload)), payload,
		fmt.Sprintf("+CMQTTRXEND: %d", c))
}

func (simcomScript) lose(g *gen, c int) { g.rx(fmt.Sprintf("+CMQTTCONNLOST: %d,1", c)) }

func (simcomScript) end(g *gen, c int) {
	async(g, c, fmt.Sprintf("AT+CMQTTDISC=%d,60", c), 100, fmt.Sprintf("+CMQTTDISC: %d,0", c))
	g.advance(g.ms(500, 0))
	g.tx(fmt.Sprintf("AT+CMQTTREL=%d", c))
	g.rx("OK")
	g.advance(g.ms(200, 0))
}

// espatScript is ESP-AT's AT+MQTT* [esp-at MQTT_AT_Commands.rst]: one
// client, commands block until their OK, payloads inline with \" and \,
// escaped, receives pushed as +MQTTSUBRECV.
type espatScript struct{}

func (espatScript) preamble(g *gen) {
	for _, x := range [][]string{
		{"ATE1", "OK"},
		{"AT+CWMODE=1", "OK"},
	} {
		g.tx(x[0])
		g.rx(x[1])
		g.advance(g.ms(40, 20))
	}
	g.tx(`AT+CWJAP="fleet-wifi","wifi-pass"`)
	g.advance(g.ms(2000, 1000))
	g.rx("WIFI CONNECTED")
	g.advance(g.ms(1000, 500))
	g.rx("WIFI GOT IP")
	g.rx("OK")
	g.advance(g.ms(100, 0))
	g.tx(`AT+MQTTUSERCFG=0,1,"dev-0","user","pass",0,0,""`)
	g.rx("OK")
	g.advance(g.ms(50, 0))
}

// blocking is a command whose OK comes d later: the host waits for it.
func blocking(g *gen, cmd string, d int, lines ...string) {
	g.tx(cmd)
	g.advance(g.ms(d, d*5))
	for _, l := range lines {
		g.rx(l)
	}
	g.rx("OK")
}

func (espatScript) connect(g *gen, _ int) {
	blocking(g, `AT+MQTTCONN=0,"mqtt.example.com",1883,0`, 300, `+MQTTCONNECTED:0,1,"mqtt.example.com","1883","",0`)
	g.advance(g.ms(200, 0))
	for _, t := range g.shape.subs {
		blocking(g, fmt.Sprintf(`AT+MQTTSUB=0,"fleet/dev-0/%s",1`, t), 80)
		g.advance(g.ms(200, 0))
	}
}

// escape writes a payload as AT+MQTTPUB's quoted argument wants it.
func escape(payload string) string {
	b := make([]byte, 0, len(payload)+16)
	for i := 0; i < len(payload); i++ {
		if c := payload[i]; c == '"' || c == ',' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, payload[i])
	}
	return string(b)
}

func (espatScript) pub(g *gen, _, qos int, topic, payload string, d int) {
	blocking(g, fmt.Sprintf(`AT+MQTTPUB=0,"%s","%s",%d,0`, topic, escape(payload), qos), d)
}

func (espatScript) recv(g *gen, _, d int, topic, payload string) {
	g.later(g.ms(d, d*10), 0, fmt.Sprintf(`+MQTTSUBRECV:0,"%s",%d,%s`, topic, len(payload), payload))
}

func (espatScript) lose(g *gen, _ int) { g.rx("+MQTTDISCONNECTED:0") }

func (espatScript) end(g *gen, _ int) {
	blocking(g, "AT+MQTTCLEAN=0", 50)
	g.advance(g.ms(200, 0))
}
