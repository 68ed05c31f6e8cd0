package dialect

import (
	"fmt"
	"strings"

	"atscope/decode"
)

// ubloxMsg is one message of a read-out.
type ubloxMsg struct {
	qos, topicLen, msgLen, totalLen int
	topic, payload                  string
	notes                           []string
}

// parseUbloxMessage reads the args of a read-out line:
// 6,<qos>,<topic_msg_len>,<topic_len>,"<topic>",<msg_len>,"<message>" [§7.3]
// or the layout 6,<qos>,<topic_len>,<msg_len>,"<topic>","<message>".
func parseUbloxMessage(args string) (ubloxMsg, bool) {
	m := ubloxMsg{qos: -1, topicLen: -1, msgLen: -1, totalLen: -1}
	all := splitArgs(args, 0)
	ti := -1
	for i := 1; i < len(all) && i <= 4; i++ {
		if isQuoted(all[i]) || strings.HasPrefix(all[i], `"`) {
			ti = i
			break
		}
	}
	if ti < 2 {
		return m, false
	}
	nums, ok := ints(all[1:ti])
	if !ok {
		return m, false
	}
	f := splitArgs(args, ti+2)
	m.topic = strArg(f, ti)
	rest := ""
	if ti+1 < len(f) {
		rest = f[ti+1]
	}
	m.qos = nums[0]
	if i := strings.IndexByte(rest, ','); i > 0 && !strings.HasPrefix(rest, `"`) {
		if n, ok := atoi(rest[:i]); ok {
			m.msgLen, rest = n, rest[i+1:]
		}
	}
	switch {
	case m.msgLen >= 0 && len(nums) >= 3:
		m.totalLen, m.topicLen = nums[1], nums[2]
	case m.msgLen < 0 && len(nums) >= 3:
		m.topicLen, m.msgLen = nums[1], nums[2]
		m.notes = append(m.notes, "read-out layout 6,<qos>,<topic_len>,<msg_len>,\"<topic>\",\"<message>\" (dialects.md §7.3 shows 6,<qos>,<topic_msg_len>,<topic_len>,\"<topic>\",<msg_len>,\"<message>\")")
	case len(nums) == 2:
		m.topicLen = nums[1]
	}
	body := strings.TrimPrefix(rest, `"`)
	switch {
	case m.msgLen < 0:
		body = strings.TrimSuffix(body, `"`)
	case len(body) > m.msgLen && body[m.msgLen] == '"':
		if extra := len(body) - m.msgLen - 1; extra > 0 {
			m.notes = append(m.notes, fmt.Sprintf("%d bytes after the message's closing quote", extra))
		}
		body = body[:m.msgLen]
	default:
		if len(body) > 0 && body[len(body)-1] == '"' {
			body = body[:len(body)-1]
		}
		m.notes = append(m.notes, fmt.Sprintf("message is %d bytes, length says %d", len(body), m.msgLen))
	}
	m.payload = body
	if m.topicLen >= 0 && m.topicLen != len(m.topic) {
		m.notes = append(m.notes, fmt.Sprintf("topic is %d bytes, length says %d", len(m.topic), m.topicLen))
	}
	if m.totalLen >= 0 && m.topicLen >= 0 && m.msgLen >= 0 && m.totalLen != m.topicLen+m.msgLen {
		m.notes = append(m.notes, fmt.Sprintf("topic and message lengths %d+%d do not add up to %d", m.topicLen, m.msgLen, m.totalLen))
	}
	return m, true
}

// readout makes a receive op of one message of AT+UMQTTC=6 [§7.3].
func (u *ubloxMachine) readout(ev *decode.Event, emit func(*Op)) {
	m, ok := parseUbloxMessage(ev.Args)
	if !ok {
		return
	}
	u.setSyntax(ubloxSyntaxNew, "the +UMQTTC: 6 read-out carries the message (new syntax)", emit)
	if u.login != nil {
		u.resolveLogin(true, fmt.Sprintf("a message was delivered (line %d)", ev.Pos.Line), emit)
	}
	op := u.op(0, OpReceive, ev.Name)
	u.readPrefix(op)
	if !u.reading {
		op.noteAs(NoteRemark, "no AT+UMQTTC=6 before it in the log")
	}
	op.QoS, op.Topic, op.Payload = m.qos, m.topic, m.payload
	op.PayloadLen = len(m.payload)
	if m.msgLen >= 0 {
		op.PayloadLen = m.msgLen
	}
	for _, n := range m.notes {
		op.note(n)
	}
	if ev.Problem != "" {
		op.noteProblem(ev)
	}
	u.single(op, ev, StatusOK, "", "", u.sink(emit))
}

// readPrefix starts the first receive of a read-out with the lines that
// led to it: the "+UUMQTTC: 6,<n>" announcement and the AT+UMQTTC=6.
func (u *ubloxMachine) readPrefix(op *Op) {
	if !u.readFirst {
		return
	}
	u.readFirst = false
	if u.unread != nil {
		op.add(u.unread)
		u.unread = nil
	}
	if c := u.cmd; c != nil && c.op == nil && c.ev.Name == "+UMQTTC" {
		op.add(&c.ev)
	}
}

// cmBody completes an old-syntax message from its "Len:<n> QoS:<q>" line,
// which carries the "Msg:" bytes [§7.4].
func (u *ubloxMachine) cmBody(ev *decode.Event, emit func(*Op)) {
	op := u.cm
	u.cm = nil
	if op == nil {
		op = u.op(0, OpReceive, "+UUMQTTCM")
		op.noteAs(NoteRemark, "no +UUMQTTCM line before it in the log")
	}
	text := string(ev.Raw) // Text is trimmed, and a message may end in blanks
	if text == "" {
		text = ev.Text
	}
	n, qos, msg, notes := parseUbloxCM(text)
	op.QoS, op.Payload, op.PayloadLen = qos, msg, n
	for _, note := range notes {
		op.note(note)
	}
	if ev.Problem != "" {
		op.noteProblem(ev)
	}
	if u.login != nil {
		u.resolveLogin(true, fmt.Sprintf("a message was delivered (line %d)", ev.Pos.Line), emit)
	}
	u.single(op, ev, StatusOK, "", "", u.sink(emit))
}

// parseUbloxCM reads "Len:<n> QoS:<q>" and the "Msg:<n bytes>" after it.
func parseUbloxCM(text string) (n, qos int, msg string, notes []string) {
	n, qos = -1, -1
	head, rest := text, ""
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		head, rest = text[:i], text[i:]
	}
	for _, f := range strings.Fields(head) {
		switch {
		case strings.HasPrefix(f, "Len:"):
			n, _ = atoi(f[4:])
		case strings.HasPrefix(f, "QoS:"):
			qos, _ = atoi(f[4:])
		}
	}
	i := strings.Index(rest, "Msg:")
	if i < 0 {
		return n, qos, "", []string{"no Msg: line after Len:"}
	}
	msg = rest[i+4:]
	switch {
	case n >= 0 && len(msg) > n:
		if extra := strings.Trim(msg[n:], "\r\n"); extra != "" {
			notes = append(notes, fmt.Sprintf("%d bytes after the message are not part of it", len(extra)))
		}
		msg = msg[:n]
	case n >= 0 && len(msg) < n:
		notes = append(notes, fmt.Sprintf("message is %d bytes, Len says %d", len(msg), n))
	}
	return n, qos, msg, notes
}

// errorLine explains +UMQTTER: <class>,<code> on the failed op it follows.
func (u *ubloxMachine) errorLine(ev *decode.Event) {
	if u.held == nil {
		return
	}
	u.heldAdd(ev)
	args := splitArgs(ev.Args, 0)
	class, code := intArg(args, 0, -1), intArg(args, 1, -1)
	var why string
	switch r, known := exactMeaning(ubloxErrorCodes, code); {
	case class == 0 && code == 0:
		why = "no MQTT error recorded (a TLS or network failure below MQTT leaves 0,0)"
	case known:
		why = fmt.Sprintf("error code %d: %s; class %d is not in the tables known here", code, r, class)
	default:
		why = fmt.Sprintf("class %d, code %d: not in the tables known here (the u-blox AT manual lists them; unconfirmed)", class, code)
	}
	u.held.noteAs(NoteRemark, fmt.Sprintf("AT+UMQTTER (line %d): %s: %s", ev.Pos.Line, strings.Join(args, ","), why))
	if u.held.Code == "" {
		u.held.Code = strings.Join(args, ",")
	}
}
