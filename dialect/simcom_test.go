package dialect

import (
	"slices"
	"strings"
	"testing"

	"atscope/decode"
)

func TestParseSimcomServer(t *testing.T) {
	tests := []struct {
		in    string
		host  string
		port  int
		notes int
	}{
		{"tcp://mqtt.example.com:1883", "mqtt.example.com", 1883, 0},
		{"TCP://mqtt.example.com:1883", "mqtt.example.com", 1883, 0},
		{"tcp://192.0.2.10:8883/", "192.0.2.10", 8883, 0},
		{"ssl://mqtt.example.com:8883", "mqtt.example.com", 8883, 1},
		{"mqtt.example.com:1883", "mqtt.example.com", 1883, 1},
		{"tcp://mqtt.example.com", "mqtt.example.com", 0, 1},
		{"mqtt.example.com", "mqtt.example.com", 0, 2},
		{"tcp://[2001:db8::1]:1883", "2001:db8::1", 1883, 0},
	}
	for _, tt := range tests {
		host, port, notes := parseSimcomServer(tt.in)
		if host != tt.host || port != tt.port || len(notes) != tt.notes {
			t.Errorf("parseSimcomServer(%q) = %q, %d, %q; want %q, %d, %d notes", tt.in, host, port, notes, tt.host, tt.port, tt.notes)
		}
	}
}

func TestSimcomPayloadFraming(t *testing.T) {
	tests := []struct {
		cmd  string
		want decode.Framing
	}{
		{`AT+CMQTTTOPIC=0,12`, decode.Framing{Kind: decode.FrameCount, N: 12}},
		{`AT+CMQTTPAYLOAD=1,300`, decode.Framing{Kind: decode.FrameCount, N: 300}},
		{`AT+CMQTTSUBTOPIC=0,9,1`, decode.Framing{Kind: decode.FrameCount, N: 9}},
		{`AT+CMQTTUNSUBTOPIC=0,9`, decode.Framing{Kind: decode.FrameCount, N: 9}},
		{`AT+CMQTTWILLTOPIC=0,10`, decode.Framing{Kind: decode.FrameCount, N: 10}},
		{`AT+CMQTTWILLMSG=0,7,1`, decode.Framing{Kind: decode.FrameCount, N: 7}},
		{`AT+CMQTTSUB=0,9,1`, decode.Framing{Kind: decode.FrameCount, N: 9}},
		{`AT+CMQTTSUB=0,9,1,0`, decode.Framing{Kind: decode.FrameCount, N: 9}},
		{`AT+CMQTTUNSUB=0,9,0`, decode.Framing{Kind: decode.FrameCount, N: 9}},
		{`AT+CMQTTPUB=0,"a/b",1,5`, decode.Framing{Kind: decode.FrameCount, N: 5}},
		{`AT+CMQTTPUB=0,"a,b",1,5,1,0`, decode.Framing{Kind: decode.FrameCount, N: 5}},
		{`at+cmqtttopic=0,3`, decode.Framing{Kind: decode.FrameCount, N: 3}},
		{`AT+CMQTTTOPIC=0`, decode.Framing{}},
		{`AT+CMQTTSUB=0`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMQTTSUB=0,1`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMQTTSUB=0,"a/b",1`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMQTTPUB=0,1,60`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMQTTCONNECT=0,"tcp://h:1883",60,1`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMQTTSTART`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMQTTTOPIC?`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+QMTPUB=0,1,1,0,"t",5`, decode.Framing{}},
	}
	for _, tt := range tests {
		ev := commandEvent(tt.cmd)
		if got := (simcomHooks{}).Payload(&ev); got != tt.want {
			t.Errorf("Payload(%s) = %+v, want %+v", tt.cmd, got, tt.want)
		}
	}
}

func TestSimcomTail(t *testing.T) {
	tests := []struct {
		line           string
		inline, follow int
	}{
		{"+CMQTTRXTOPIC: 0,11", 0, 11},
		{"+CMQTTRXPAYLOAD: 1,1500", 0, 1500},
		{"+CMQTTRXPAYLOAD: 0,0", 0, 0},
		{"+CMQTTRXSTART: 0,11,4", 0, 0},
		{`+CMQTTRECV: 0,"t",4,"ping"`, 0, 0},
		{`+CMQTTRECV: 0,"t",12,"{"a":1,`, 5, 0}, // the payload goes on over the line end
		{`+CMQTTRECV: 0,"t",1,"on"`, 0, 0},      // a QoS, not a length
		{`+CMQTTRECV: 0,"t",x,"on"`, 0, 0},      // no number
		{"+CMQTTRXTOPIC: 0,99999999", 0, 0},     // absurd: leave it to the lines
		{"+CMQTTCONNECT: 0,0", 0, 0},
	}
	for _, tt := range tests {
		ev := lineEvent(tt.line)
		inline, follow := (simcomHooks{}).Tail(&ev)
		if inline != tt.inline || follow != tt.follow {
			t.Errorf("Tail(%s) = %d, %d; want %d, %d", tt.line, inline, follow, tt.inline, tt.follow)
		}
	}
}

func TestLeadInt(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{{"0", 0}, {"1", 1}, {" 1 ", 1}, {"0+CMQTTRXSTART: 0,4,5", 0}, {"-1", -1}, {"", 7}, {"x", 7}, {"-", 7}}
	for _, tt := range tests {
		if got := leadInt(tt.in, 7); got != tt.want {
			t.Errorf("leadInt(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestSimcomOutcome(t *testing.T) {
	for err := 0; err <= 34; err++ {
		if _, ok := exactMeaning(simcomErrors, err); !ok {
			t.Errorf("err %d has no explanation", err)
		}
	}
	tests := []struct {
		name string
		err  int
		want Status
	}{
		{"+CMQTTSTART", 0, StatusOK}, {"+CMQTTSTART", 23, StatusOK}, {"+CMQTTCONNECT", 23, StatusFailed},
		{"+CMQTTCONNECT", 30, StatusFailed}, {"+CMQTTPUB", 11, StatusFailed}, {"+CMQTTPUB", 99, StatusFailed},
	}
	for _, tt := range tests {
		if got, _ := simcomOutcome(tt.name, tt.err); got != tt.want {
			t.Errorf("simcomOutcome(%s, %d) = %s, want %s", tt.name, tt.err, got, tt.want)
		}
	}
	if r := simcomErrReason(30); !strings.Contains(r, "bad user name or password") {
		t.Errorf("err 30 explained as %q", r)
	}
}

// TestSimcomOneOpPerOperation runs a load-then-act publish with every line
// shape and checks it makes one publish op holding every line.
func TestSimcomOneOpPerOperation(t *testing.T) {
	log := "AT+CMQTTTOPIC=0,3\r\r\n> a/b\r\nOK\r\n" +
		"AT+CMQTTPAYLOAD=0,4\r\r\n> 1,\"2\r\nOK\r\n" +
		"AT+CMQTTPUB=0,1,60\r\r\nOK\r\n\r\n+CMQTTPUB: 0,0\r\n"
	ops, _ := decodeOps(t, "t.log", []byte(log), "simcom")
	var pubs []*Op
	for _, op := range ops {
		if op.Kind == OpPublish {
			pubs = append(pubs, op)
		}
	}
	if len(pubs) != 1 {
		t.Fatalf("got %d publish ops, want 1:\n%s", len(pubs), dumpOps(ops))
	}
	p := pubs[0]
	if p.Status != StatusOK || p.Topic != "a/b" || p.Payload != "1,\"2" || p.QoS != 1 {
		t.Errorf("publish = %s", dumpOps(pubs))
	}
	if !slices.Equal(p.Lines, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("publish lines = %v", p.Lines)
	}
}

func commandEvent(text string) decode.Event {
	name, form, args := decode.ParseCommand(text)
	return decode.Event{Kind: decode.KindCommand, Text: text, Name: name, Form: form, Args: args}
}

func lineEvent(text string) decode.Event {
	name, args := text, ""
	if i := strings.IndexByte(text, ':'); i >= 0 {
		name, args = text[:i], strings.TrimSpace(text[i+1:])
	}
	return decode.Event{Kind: decode.KindURC, Text: text, Name: name, Args: args}
}
