package dialect

import (
	"strings"
	"testing"

	"atscope/decode"
)

func TestTencentOutcome(t *testing.T) {
	tests := []struct {
		args         string
		ok, isResult bool
		code         string
	}{
		{"OK", true, true, ""},
		{" OK", true, true, ""},
		{"FAIL,-108", false, true, "-108"},
		{"FAIL202", false, true, "202"},
		{"FAIL", false, true, ""},
		{`"topic/a",0`, false, false, ""},
		{"1", false, false, ""},
	}
	for _, tt := range tests {
		ok, isResult, code := tencentOutcome(tt.args)
		if ok != tt.ok || isResult != tt.isResult || code != tt.code {
			t.Errorf("tencentOutcome(%q) = %v,%v,%q; want %v,%v,%q", tt.args, ok, isResult, code, tt.ok, tt.isResult, tt.code)
		}
	}
}

func TestTencentReason(t *testing.T) {
	tests := map[string]string{
		"202":   "command timeout",
		"-108":  "subscribe failed: the server refused it",
		"130":   "publish failed: no permission to publish on the topic",
		"1021":  "the device is already registered",
		"2":     "disconnected on request (QCLOUD_RET_MQTT_MANUALLY_DISCONNECTED)",
		"-9999": "code -9999 (not in the Tencent AT tables)",
		"":      "failed (no code given)",
	}
	for code, want := range tests {
		if got := tencentReason(code); got != want {
			t.Errorf("tencentReason(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestTencentMessage(t *testing.T) {
	tests := []struct {
		logged, want string
		closed       bool
		notes        int
	}{
		{`"{\"a\":1\,\"b\":\"x\"}"`, `{"a":1,"b":"x"}`, true, 0},
		{`"hello world"`, "hello world", true, 0},
		{`"C:\\temp"`, `C:\temp`, true, 0},
		{`"bare, comma"`, "bare, comma", true, 1},
		{`"ends with \"`, `ends with "`, false, 0},
		{`"ends with \\"`, `ends with \`, true, 0},
	}
	for _, tt := range tests {
		if c := tencentClosed(tt.logged); c != tt.closed {
			t.Errorf("tencentClosed(%q) = %v, want %v", tt.logged, c, tt.closed)
		}
		m := newTencent("t.log")
		op := newOp("t.log", "tencent", 0, OpPublish, "+TCMQTTPUB")
		m.setMessage(op, tt.logged)
		if op.Payload != tt.want || len(op.Notes) != tt.notes {
			t.Errorf("setMessage(%q) = %q %v, want %q and %d notes", tt.logged, op.Payload, op.Notes, tt.want, tt.notes)
		}
	}
}

func TestTencentHooks(t *testing.T) {
	h := tencentHooks{}
	tails := []struct {
		args   string
		inline int
	}{
		{`"t/a",11,"hello world"`, 0},
		{`"t/a",59,"{"action":"test",`, 42},
		{`"t/a",x,"y"`, 0},
	}
	for _, tt := range tails {
		if in, _ := h.Tail(&decode.Event{Name: "+TCMQTTRCVPUB", Args: tt.args}); in != tt.inline {
			t.Errorf("Tail(%q) = %d, want %d", tt.args, in, tt.inline)
		}
	}
	bare := []struct {
		text, name string
		final, ok  bool
	}{
		{"+TCMQTTDISCON,-103", "+TCMQTTDISCON", false, true},
		{"+CME ERR: 202", "+CME ERROR", true, true},
		{"+TCMQTTPUB: OK", "+TCMQTTPUB", false, true},
		{"+TCMQTTPUB: FAIL,202", "", false, false},
		{"+QMTPUB: 0,0,0", "", false, false},
	}
	for _, b := range bare {
		if name, final, ok := h.Bare(b.text); name != b.name || final != b.final || ok != b.ok {
			t.Errorf("Bare(%q) = %q,%v,%v; want %q,%v,%v", b.text, name, final, ok, b.name, b.final, b.ok)
		}
	}
	if f := h.Payload(&decode.Event{Name: "+TCMQTTPUBL", Args: `"t",1,385`, Form: decode.FormWrite}); f != (decode.Framing{Kind: decode.FrameCount, N: 385}) {
		t.Errorf("Payload(+TCMQTTPUBL) = %+v", f)
	}
}

// TestTencentSecretNeverShown checks that the device secret appears in no
// field or note of any op.
func TestTencentSecretNeverShown(t *testing.T) {
	const secret = "c2VjcmV0LXNob3VsZC1zdGF5"
	log := "AT+TCDEVINFOSET=1,\"PID0000001\",\"dev\",\"" + secret + "\"\r\nOK\r\n+TCDEVINFOSET:FAIL,204\r\n" +
		"AT+TCPRDINFOSET=1,\"PID0000001\",\"" + secret + "\",\"dev\"\r\nOK\r\n+TCPRDINFOSET:OK\r\n" +
		"AT+TCMQTTCONN=1,5000,240,1,1\r\nOK\r\n+TCMQTTCONN:OK\r\n"
	ops, _ := decodeOps(t, "t.log", []byte(log), "tencent")
	for _, op := range ops {
		for _, s := range append([]string{op.Code, op.Reason, op.ClientID, op.Username, op.Password, op.Payload, op.Topic}, op.NoteTexts()...) {
			if strings.Contains(s, secret) {
				t.Errorf("op %s shows the device secret: %q", op.Name, s)
			}
		}
	}
	if len(ops) != 3 || ops[0].Status != StatusFailed || ops[2].ClientID != "PID0000001dev" {
		t.Errorf("ops = %+v", ops)
	}
}
