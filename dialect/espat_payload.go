package dialect

import (
	"strings"

	"atscope/decode"
)

// espPub is the argument list of AT+MQTTPUB=<LinkID>,"<topic>","<data>",
// <qos>,<retain>.
type espPub struct {
	link        int
	topic, data string
	qos, retain int
	notes       []string
}

// bareByte reports whether s holds c without a backslash before it.
func bareByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case c:
			return true
		}
	}
	return false
}

// espUnescape decodes \" \, \\ in an ESP-AT string argument.
func espUnescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`",\`, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseEspPub reads AT+MQTTPUB's arguments. Hosts often send JSON without
// the escapes; then the data is what lies between the topic and the last
// two numbers, and a note says the module may have read it otherwise.
func parseEspPub(args string) espPub {
	p := espPub{qos: -1}
	var buf [argsOnStack]string
	f := appendEscaped(buf[:0], args)
	if len(f) == 5 && isQuoted(f[1]) && isQuoted(f[2]) {
		p.link, p.topic, p.data = intArg(f, 0, 0), unquote(f[1]), espUnescape(unquote(f[2]))
		p.qos, p.retain = intArg(f, 3, -1), intArg(f, 4, 0)
		inner := unquote(f[2])
		if bareByte(inner, '"') {
			p.notes = append(p.notes, `data holds a bare '"': the manual escapes it as \"`)
		}
		if bareByte(inner, ',') {
			p.notes = append(p.notes, `data holds a bare ',': the manual escapes it as \, (the module splits the argument there)`)
		}
		return p
	}
	head := splitArgs(args, 3)
	p.link, p.topic = intArg(head, 0, 0), strArg(head, 1)
	if len(head) < 3 {
		p.notes = append(p.notes, "not the manual's form AT+MQTTPUB=<LinkID>,\"<topic>\",\"<data>\",<qos>,<retain>")
		return p
	}
	rest := head[2]
	if i := strings.LastIndexByte(rest, ','); i >= 0 {
		if j := strings.LastIndexByte(rest[:i], ','); j >= 0 {
			q, okq := atoi(rest[j+1 : i])
			r, okr := atoi(rest[i+1:])
			if okq && okr {
				p.qos, p.retain, rest = q, r, strings.TrimSpace(rest[:j])
			}
		}
	}
	if p.qos < 0 {
		p.notes = append(p.notes, "no <qos>,<retain> after the data")
	}
	raw := unquote(rest)
	p.data = espUnescape(raw)
	p.notes = append(p.notes, `data holds bare '"' or ',': the manual escapes them as \" and \, (the module probably split the argument there)`)
	return p
}

// espRecv is a +MQTTSUBRECV:<LinkID>,"<topic>",<len>,<data> line.
type espRecv struct {
	link  int
	topic string
	n     int
	data  string
}

func parseEspRecv(args string) (espRecv, bool) {
	var buf [argsOnStack]string
	f := appendArgs(buf[:0], args, 4)
	if len(f) < 3 {
		return espRecv{}, false
	}
	n, ok := atoi(f[2])
	if !ok || n < 0 || n > 1<<24 {
		return espRecv{}, false
	}
	r := espRecv{link: intArg(f, 0, 0), topic: unquote(f[1]), n: n}
	if len(f) > 3 {
		r.data = f[3]
	}
	return r, true
}

func (m *espMachine) receive(ev *decode.Event, emit func(*Op)) {
	r, ok := parseEspRecv(ev.Args)
	op := m.op(r.link, OpReceive, ev.Name)
	if !ok {
		op.noteAs(NoteDeviation, "not the manual's form +MQTTSUBRECV:<LinkID>,\"<topic>\",<data_length>,<data>")
		op.Payload, op.PayloadLen = ev.Args, len(ev.Args)
		m.single(op, ev, StatusOK, "", "", emit)
		return
	}
	op.Topic, op.Payload, op.PayloadLen = r.topic, r.data, r.n
	lengthNote(op, ev, len(r.data), r.n)
	m.single(op, ev, StatusOK, "", "", emit)
}
