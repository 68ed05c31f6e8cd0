package dialect

import (
	"testing"

	"atscope/decode"
)

func TestParseUbloxMessage(t *testing.T) {
	tests := []struct {
		args                  string
		ok                    bool
		qos, topicLen, msgLen int
		topic, payload        string
		notes                 int
	}{
		// dialects.md §7.3 layout, from a real SARA log's shape.
		{`6,1,15,11,"cmd/dev-001",4,"ping"`, true, 1, 11, 4, "cmd/dev-001", "ping", 0},
		{`6,0,10,3,"a/b",7,"x,"y",z"`, true, 0, 3, 7, "a/b", `x,"y",z`, 0},
		{"6,2,13,3,\"a/b\",10,\"two\r\nlines\"", true, 2, 3, 10, "a/b", "two\r\nlines", 0},
		// The brief's layout: 6,<qos>,<topic_len>,<msg_len>,"topic","message".
		{`6,1,3,5,"a/b","hello"`, true, 1, 3, 5, "a/b", "hello", 1},
		// Lengths that do not match what is there.
		{`6,1,15,11,"cmd/dev-001",9,"ping"`, true, 1, 11, 9, "cmd/dev-001", "ping", 2},
		{`6,1,15,11,"cmd/dev-001",4,"ping"xy`, true, 1, 11, 4, "cmd/dev-001", "ping", 1},
		{`6,1,99,3,"a/b",4,"ping"`, true, 1, 3, 4, "a/b", "ping", 1},
		{`6,1`, false, 0, 0, 0, "", "", 0},
		{`6,x,1,"t","m"`, false, 0, 0, 0, "", "", 0},
	}
	for _, tt := range tests {
		m, ok := parseUbloxMessage(tt.args)
		if ok != tt.ok {
			t.Errorf("parseUbloxMessage(%q) ok = %v, want %v", tt.args, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if m.qos != tt.qos || m.topicLen != tt.topicLen || m.msgLen != tt.msgLen || m.topic != tt.topic || m.payload != tt.payload || len(m.notes) != tt.notes {
			t.Errorf("parseUbloxMessage(%q) = %+v, want qos %d tl %d ml %d topic %q payload %q, %d notes",
				tt.args, m, tt.qos, tt.topicLen, tt.msgLen, tt.topic, tt.payload, tt.notes)
		}
	}
}

func TestParseUbloxCM(t *testing.T) {
	tests := []struct {
		text     string
		n, qos   int
		msg      string
		problems int
	}{
		{"Len:5 QoS:1\r\r\nMsg:hello", 5, 1, "hello", 0},
		{"Len:11 QoS:0\nMsg:line1\r\nline", 11, 0, "line1\r\nline", 0},
		{"Len:3 QoS:2\r\r\nMsg:abcdef", 3, 2, "abc", 1},
		{"Len:9 QoS:2\r\r\nMsg:abc", 9, 2, "abc", 1},
		{"Len:4 QoS:1\r\r\nMsg:abc \r\n\r\n", 4, 1, "abc ", 0},
		{"Len:4 QoS:1", 4, 1, "", 1},
	}
	for _, tt := range tests {
		n, qos, msg, notes := parseUbloxCM(tt.text)
		if n != tt.n || qos != tt.qos || msg != tt.msg || len(notes) != tt.problems {
			t.Errorf("parseUbloxCM(%q) = %d, %d, %q, %v; want %d, %d, %q, %d notes", tt.text, n, qos, msg, notes, tt.n, tt.qos, tt.msg, tt.problems)
		}
	}
}

func TestUbloxHooks(t *testing.T) {
	h := ubloxHooks{}
	frames := []struct {
		name, args string
		form       decode.Form
		want       decode.Framing
	}{
		{"+UMQTTC", `9,1,0,"bin/dev",14`, decode.FormWrite, decode.Framing{Kind: decode.FrameCount, N: 14}},
		{"+UMQTTC", `2,1,0,0,"t","m"`, decode.FormWrite, decode.Framing{Kind: decode.FrameNone}},
		{"+UMQTTC", `9,1,0,"t"`, decode.FormWrite, decode.Framing{}},
		{"+UMQTT", `0,"id"`, decode.FormWrite, decode.Framing{Kind: decode.FrameNone}},
		{"+UDWNFILE", `"ca.pem",1200`, decode.FormWrite, decode.Framing{Kind: decode.FrameCount, N: 1200}},
		{"+QMTPUB", `0,1,1,0,"t"`, decode.FormWrite, decode.Framing{}},
	}
	for _, f := range frames {
		if got := h.Payload(&decode.Event{Name: f.name, Args: f.args, Form: f.form}); got != f.want {
			t.Errorf("Payload(%s=%s) = %+v, want %+v", f.name, f.args, got, f.want)
		}
	}
	tails := []struct {
		name, args, text string
		inline           int
	}{
		{"+UMQTTC", `6,1,14,3,"a/b",11,"two`, "", 8},
		{"+UMQTTC", `6,1,7,3,"a/b",4,"ping"`, "", 0},
		{"+UMQTTC", `6,1,3,11,"a/b","two`, "", 8},
		{"+UMQTTC", `2,1`, "", 0},
		{ubloxLenName, "", "Len:13 QoS:1", 18},
	}
	for _, tt := range tails {
		if in, fo := h.Tail(&decode.Event{Name: tt.name, Args: tt.args, Text: tt.text}); in != tt.inline || fo != 0 {
			t.Errorf("Tail(%s %q %q) = %d, %d; want %d, 0", tt.name, tt.args, tt.text, in, fo, tt.inline)
		}
	}
	bare := []struct {
		text string
		ok   bool
	}{
		{"Len:13 QoS:1", true},
		{"Len:x QoS:1", false},
		{"Len: 13", false},
		{"Length: 4", false},
	}
	for _, b := range bare {
		if _, final, ok := h.Bare(b.text); ok != b.ok || final {
			t.Errorf("Bare(%q) = %v, %v; want %v, false", b.text, ok, final, b.ok)
		}
	}
}

// TestUbloxLoginSyntax checks how "+UUMQTTC: 1,0" is read as the log
// reveals the syntax.
func TestUbloxLoginSyntax(t *testing.T) {
	tests := []struct {
		name, log string
		want      Status
	}{
		{"new syntax known", "ATI\r\nSARA-R510M8S\r\nOK\r\nAT+UMQTTC=1\r\n+UMQTTC: 1,1\r\nOK\r\n+UUMQTTC: 1,0\r\n", StatusFailed},
		{"old syntax known", "AT+UMQTT=12?\r\n+UMQTT: 12,1\r\nOK\r\n+UUMQTT12: 1\r\nAT+UMQTTC=1\r\n+UMQTTC: 1,1\r\nOK\r\n+UUMQTTC: 1,0\r\n", StatusOK},
		{"settled by a new-syntax link loss", "AT+UMQTTC=1\r\n+UMQTTC: 1,1\r\nOK\r\n+UUMQTTC: 1,0\r\n+UUMQTTC: 0,101\r\n", StatusFailed},
		{"never settled", "AT+UMQTTC=1\r\n+UMQTTC: 1,1\r\nOK\r\n+UUMQTTC: 1,0\r\n", StatusUnknown},
		{"old syntax, error", "AT+UMQTT=0?\r\n+UMQTT: 0,1\r\nOK\r\nAT+UMQTTC=1\r\n+UMQTTC: 1,1\r\nOK\r\n+UUMQTTC: 1,4\r\n", StatusFailed},
	}
	for _, tt := range tests {
		ops, _ := decodeOps(t, "t.log", []byte(tt.log), "ublox")
		var got *Op
		for _, op := range ops {
			if op.Kind == OpConnect {
				got = op
			}
		}
		if got == nil || got.Status != tt.want {
			t.Errorf("%s: connect = %+v, want status %s", tt.name, got, tt.want)
		}
	}
}
