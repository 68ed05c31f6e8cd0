package dialect

import (
	"slices"
	"testing"

	"atscope/decode"
)

func TestParseEspPub(t *testing.T) {
	tests := []struct {
		args        string
		topic, data string
		qos, retain int
		notes       int
	}{
		{`0,"t/up","{\"t\":21.5\,\"h\":40}",1,0`, "t/up", `{"t":21.5,"h":40}`, 1, 0, 0},
		{`0,"t/up","a\\b",0,1`, "t/up", `a\b`, 0, 1, 0},
		{`0,"t/up","plain",2,0`, "t/up", "plain", 2, 0, 0},
		{`0,"t/up","a,b",0,0`, "t/up", "a,b", 0, 0, 1},
		{`0,"t/up","{"t":1}",0,0`, "t/up", `{"t":1}`, 0, 0, 1},
		{`0,"t/up","{"t":1,"u":2}",1,0`, "t/up", `{"t":1,"u":2}`, 1, 0, 2},
		{`0,"t/up",{"t":1,"u":2},1,0`, "t/up", `{"t":1,"u":2}`, 1, 0, 1},
		{`0,"t/up"`, "t/up", "", -1, 0, 1},
	}
	for _, tt := range tests {
		p := parseEspPub(tt.args)
		if p.topic != tt.topic || p.data != tt.data || p.qos != tt.qos || p.retain != tt.retain || len(p.notes) != tt.notes {
			t.Errorf("parseEspPub(%q) = %+v, want topic %q data %q qos %d retain %d and %d notes", tt.args, p, tt.topic, tt.data, tt.qos, tt.retain, tt.notes)
		}
	}
}

func TestSplitEsc(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`0,"a\,b","c\"d",1`, []string{"0", `"a\,b"`, `"c\"d"`, "1"}},
		{`0,"x\\",1`, []string{"0", `"x\\"`, "1"}},
		{`a\`, []string{`a\`}},
	}
	for _, tt := range tests {
		if got := SplitEscaped(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("SplitEscaped(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEspErrCode(t *testing.T) {
	tests := []struct {
		hex, want string
		ok        bool
	}{
		{"0x01090000", "command not supported", true},
		{"0x010a6001", "MQTT no configuration (AT+MQTTUSERCFG not done)", true},
		{"0x00006051", "MQTT in disconnected state (connect first)", true},
		{"0x01076048", "invalid parameter: MQTT QoS value wrong", true},
		{"0x010b0000", "the previous command is still being processed", true},
		{"0x01070011", "invalid parameter (extension 0x0011)", true},
		{"0x7F7F7F7F", "error 0x7F7F7F7F (not in the ESP-AT tables)", true},
		{"0x", "", false},
		{"zz", "", false},
	}
	for _, tt := range tests {
		got, ok := espErrCode(tt.hex)
		if ok != tt.ok || got != tt.want {
			t.Errorf("espErrCode(%q) = %q, %v, want %q, %v", tt.hex, got, ok, tt.want, tt.ok)
		}
	}
}

func TestEspatHooks(t *testing.T) {
	h := espatHooks{}
	framing := []struct {
		cmd  string
		want decode.Framing
	}{
		{`AT+MQTTPUBRAW=0,"t",19,0,1`, decode.Framing{Kind: decode.FrameCount, N: 19}},
		{`AT+MQTTLONGPASSWORD=0,8`, decode.Framing{Kind: decode.FrameCount, N: 8}},
		{`AT+MQTTPUB=0,"t","x",0,0`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CIPMQTTPUB=0,"t",0,0,0,"x"`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CIPSEND=0,5`, decode.Framing{}},
	}
	for _, tt := range framing {
		name, form, args := decode.ParseCommand(tt.cmd)
		if got := h.Payload(&decode.Event{Name: name, Form: form, Args: args}); got != tt.want {
			t.Errorf("Payload(%s) = %+v, want %+v", tt.cmd, got, tt.want)
		}
	}
	tails := []struct {
		args string
		want int
	}{
		{`0,"t",19,{"a":1,`, 12},
		{`0,"t",4,ping`, 0},
		{`0,"t",x,ping`, 0},
	}
	for _, tt := range tails {
		if got, _ := h.Tail(&decode.Event{Name: "+MQTTSUBRECV", Args: tt.args}); got != tt.want {
			t.Errorf("Tail(+MQTTSUBRECV:%s) = %d, want %d", tt.args, got, tt.want)
		}
	}
	bare := []struct {
		text, name string
		final      bool
	}{
		{"ready", "ready", false},
		{"WIFI GOT IP", "WIFI GOT IP", false},
		{"busy p...", "busy p...", true},
		{"SEND OK", "SEND OK", true},
		{"ERR CODE:0x01090000", "ERR CODE", false},
		{"+MQTTPUB:OK", "+MQTTPUB", true},
		{"+MQTTPUB:FAIL", "+MQTTPUB", true},
	}
	for _, tt := range bare {
		if name, final, ok := h.Bare(tt.text); !ok || name != tt.name || final != tt.final {
			t.Errorf("Bare(%q) = %q, %v, %v", tt.text, name, final, ok)
		}
	}
	if _, _, ok := h.Bare("busy doing a very long thing"); ok {
		t.Error("Bare takes any line starting busy")
	}
}
