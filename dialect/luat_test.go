package dialect

import (
	"testing"

	"atscope/decode"
)

func TestParseLuatMsub(t *testing.T) {
	tests := []struct {
		args    string
		ok      bool
		topic   string
		quoted  bool
		n       int
		unit    bool
		payload string
	}{
		{`"mqtt/sub_topic",6 byte,123456`, true, "mqtt/sub_topic", true, 6, true, "123456"},
		{`mqtt/sub_topic,6 byte,123456`, true, "mqtt/sub_topic", false, 6, true, "123456"},
		{`"t",12 byte,{"a":1,"b":2}`, true, "t", true, 12, true, `{"a":1,"b":2}`},
		{`"t", 5 bytes ,a,b,c`, true, "t", true, 5, true, "a,b,c"},
		{`"t",3,abc`, true, "t", true, 3, false, "abc"},
		{`"t",0 byte,`, true, "t", true, 0, true, ""},
		{`"t",0 byte`, true, "t", true, 0, true, ""},
		{`"t",26 byte,{"set":1,`, true, "t", true, 26, true, `{"set":1,`},
		{`0`, false, "", false, 0, false, ""},
		{`"t,6 byte,x`, false, "", false, 0, false, ""},
		{`"t",byte,x`, false, "", false, 0, false, ""},
		{`"t",99999999999999999999 byte,x`, false, "", false, 0, false, ""},
		{`"t",6 octets,abcdef`, false, "", false, 0, false, ""},
	}
	for _, tt := range tests {
		r, ok := parseLuatMsub(tt.args)
		if ok != tt.ok {
			t.Errorf("parseLuatMsub(%q) ok = %v, want %v", tt.args, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if r.topic != tt.topic || r.quoted != tt.quoted || r.n != tt.n || r.unit != tt.unit || r.payload != tt.payload {
			t.Errorf("parseLuatMsub(%q) = %+v, want topic %q quoted %v n %d unit %v payload %q",
				tt.args, r, tt.topic, tt.quoted, tt.n, tt.unit, tt.payload)
		}
	}
}

func TestLuatUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `plain`},
		{`{\22t\22:1}`, `{"t":1}`},
		{`a\0D\0Ab`, "a\r\nb"},
		{`a\0d\0ab`, "a\r\nb"},
		{`C:\temp\22`, `C:\temp"`},
		{`trailing\2`, `trailing\2`},
		{`\`, `\`},
		{`\41`, `\41`}, // only the manual's three escapes
	}
	for _, tt := range tests {
		if got := luatUnescape(tt.in); got != tt.want {
			t.Errorf("luatUnescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseLuatPub(t *testing.T) {
	tests := []struct {
		args             string
		topic            string
		qos, retain      int
		msg              string
		hasMsg, msgQuote bool
	}{
		{`"a/b",1,0,"hello, world"`, "a/b", 1, 0, "hello, world", true, true},
		{`"a/b",0,1,"{"k":"v","n":2}"`, "a/b", 0, 1, `{"k":"v","n":2}`, true, true},
		{`a/b,2,0,bare`, "a/b", 2, 0, "bare", true, false},
		{`"a/b",1,0,18`, "a/b", 1, 0, "18", true, false},
		{`"a/b",1,0`, "a/b", 1, 0, "", false, false},
	}
	for _, tt := range tests {
		p := parseLuatPub(tt.args)
		if p.topic != tt.topic || p.qos != tt.qos || p.retain != tt.retain || p.msg != tt.msg || p.hasMsg != tt.hasMsg || p.msgQuoted != tt.msgQuote {
			t.Errorf("parseLuatPub(%q) = %+v", tt.args, p)
		}
	}
}

func TestLuatHooks(t *testing.T) {
	h := luatHooks{}
	framing := []struct {
		cmd  string
		want decode.Framing
	}{
		{`AT+MPUBEX="t",1,0,12`, decode.Framing{Kind: decode.FrameCount, N: 12}},
		{`AT+MPUBEX="t",1,0`, decode.Framing{}},
		{`AT+MPUB="t",1,0,"x"`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+QMTPUB=0,1,1,0,"t"`, decode.Framing{}},
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
		{`"t",26 byte,{"set":1,`, 17},
		{`"t",6 byte,123456`, 0},
		{`t,4 byte,ab`, 2},
		{`1`, 0},
	}
	for _, tt := range tails {
		if got, _ := h.Tail(&decode.Event{Name: "+MSUB", Args: tt.args}); got != tt.want {
			t.Errorf("Tail(+MSUB: %s) = %d, want %d", tt.args, got, tt.want)
		}
	}
	for _, text := range []string{"CONNECT OK", "CONNACK OK", "SUBACK", "PUBCOMP", "CLOSED", "CONNACK ERROR 5", "CONNECT FAILED"} {
		if name, final, ok := h.Bare(text); !ok || final || name != text {
			t.Errorf("Bare(%q) = %q, %v, %v", text, name, final, ok)
		}
	}
	if _, _, ok := h.Bare("CONNECT"); ok {
		t.Errorf("Bare(CONNECT) is V.250's, not Luat's")
	}
}
