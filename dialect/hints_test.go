package dialect

import (
	"strings"
	"testing"

	"atscope/decode"
)

// TestKeepAliveOp: the ops that report a keep-alive exchange are known
// from the tables' KeepAlive rows, not from words in their reason.
func TestKeepAliveOp(t *testing.T) {
	tests := []struct {
		dialect, log, name string
		want               bool
	}{
		{"quectel", "+QMTPING: 0,1\r\n", "+QMTPING", true},
		{"quectel", "+QMTSTAT: 0,2\r\n", "+QMTSTAT", false}, // its code row says ping (Code.KeepAlive)
		{"simcom", "+CMQTTPING: 0,1\r\n", "+CMQTTPING", true},
		{"nordic", "#XMQTTEVT: 9,0\r\n", "#XMQTTEVT", true},
		{"nordic", "#XMQTTEVT: 1,-128\r\n", "#XMQTTEVT", false}, // a disconnect event
		{"ublox", "AT+UMQTTC=8,\"hello\"\r\n+UMQTTC: 8,1\r\nOK\r\n+UUMQTTC: 8,1\r\n", "+UMQTTC", true},
		{"ublox", "AT+UMQTTC=1\r\n+UMQTTC: 1,1\r\nOK\r\n+UUMQTTC: 1,0\r\n", "+UMQTTC", false},
	}
	for _, tt := range tests {
		op := lastOpNamed(t, tt.dialect, tt.log, tt.name)
		if op == nil {
			continue
		}
		if got := KeepAliveOp(op); got != tt.want {
			t.Errorf("%s %q: KeepAliveOp = %v, want %v (kind %v, code %q)", tt.dialect, tt.log, got, tt.want, op.Kind, op.Code)
		}
	}
	for _, c := range []struct {
		dialect, name string
		n             int
	}{{"quectel", "+QMTSTAT", 2}, {"ublox", "+UUMQTTC", 100}, {"simcom", "+CMQTTPING", 3}} {
		if code, ok := ExplainCode(c.dialect, c.name, c.n); !ok || !code.KeepAlive {
			t.Errorf("%s %s %d: KeepAlive false on its code row (%v)", c.dialect, c.name, c.n, ok)
		}
	}
}

// lastOpNamed decodes log with dialect d and returns its last op named
// name; nil (an error reported) when there is none.
func lastOpNamed(t *testing.T, d, log, name string) *Op {
	t.Helper()
	ops, _ := decodeOps(t, "t.log", []byte(log), d)
	var op *Op
	for _, o := range ops {
		if o.Name == name {
			op = o
		}
	}
	if op == nil {
		t.Errorf("%s %q: no %s op in %d ops", d, log, name, len(ops))
	}
	return op
}

// TestNetworkLostURC: only a URC a table marks says the network is gone.
func TestNetworkLostURC(t *testing.T) {
	for name, want := range map[string]bool{"+CMQTTNONET": true, "+CMQTTCONNLOST": false, "+QMTSTAT": false, "": false} {
		if got := NetworkLostURC(name); got != want {
			t.Errorf("NetworkLostURC(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestMistakeHint: the known mistakes, by name, name prefix and arguments.
func TestMistakeHint(t *testing.T) {
	tests := []struct {
		name, args, want string // want: a word of the hint, "" none
	}{
		{"+QMTCLS", "0", "AT+QMTCLOSE"},
		{"+QMTSTAT", "", "only a URC"},
		{"+CIPCLOSE", "", "link ID"},
		{"+CIPCLOSE", " ", "link ID"},
		{"+CIPCLOSE", "1", ""},
		{"+CGACT", "1, 0", "swapped"},
		{"+CGACT", "1,1", ""},
		{"+CIPMQTTCONN", "\"h\"", "not an Espressif"},
		{"+CIPMQTT", "", "not an Espressif"},
		{"+QMTCONN", "0,\"id\"", ""},
	}
	for _, tt := range tests {
		got := MistakeHint(tt.name, tt.args)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("MistakeHint(%q, %q) = %q, want %q", tt.name, tt.args, got, tt.want)
		}
	}
}

// TestReceiveBuffer: announcements and read-outs of the buffered receive
// modes; a direct push (a topic and payload) is no announcement.
func TestReceiveBuffer(t *testing.T) {
	q, _ := FactsOf("quectel")
	l, _ := FactsOf("luat")
	tests := []struct {
		buf      *ReceiveBuffer
		announce bool
		name     string
		fields   []string
		ok       bool
		client   int
	}{
		{q.ReceiveBuffer, true, "+QMTRECV", []string{"2", " 3"}, true, 2},
		{q.ReceiveBuffer, true, "+QMTRECV", []string{"0", "1", "\"t\"", "\"x\""}, false, 0},
		{q.ReceiveBuffer, true, "+QMTRECV", []string{"0", "\"t\""}, false, 0},
		{q.ReceiveBuffer, false, "+QMTRECV", []string{"1", "0"}, true, 1},
		{l.ReceiveBuffer, true, "+MSUB", []string{"3"}, true, 0},
		{l.ReceiveBuffer, true, "+MSUB", []string{"\"t\"", "2 byte", "hi"}, false, 0},
		{l.ReceiveBuffer, false, "+MQTTMSGGET", []string{""}, true, 0},
		{l.ReceiveBuffer, false, "+QMTRECV", []string{"0"}, false, 0},
	}
	for _, tt := range tests {
		f := tt.buf.IsReadOut
		if tt.announce {
			f = tt.buf.IsAnnouncement
		}
		if c, ok := f(tt.name, tt.fields); ok != tt.ok || c != tt.client {
			t.Errorf("%s %q (announce %v) = %d %v, want %d %v", tt.name, tt.fields, tt.announce, c, ok, tt.client, tt.ok)
		}
	}
	title, why, _ := q.ReceiveBuffer.Describe(BufferOverflow{Client: 1, Waited: 6, Lost: 1, Lines: "lines 1-6"})
	if !strings.Contains(title, "client 1") || !strings.Contains(why, "1 message was lost") {
		t.Errorf("Describe: %q / %q", title, why)
	}
}

// TestIdentityCommands: the commands that answer with identity numbers.
func TestIdentityCommands(t *testing.T) {
	if id, ok := IdentityOf("+CIMI"); !ok || id != IdentityIMSI {
		t.Errorf("IdentityOf(+CIMI) = %v %v", id, ok)
	}
	if _, ok := IdentityOf("+QMTCONN"); ok {
		t.Error("+QMTCONN is no identity command")
	}
	if got := IdentityCommands(IdentityIMSI); strings.Join(got, " ") != "+CIMI +QCIMI" {
		t.Errorf("IdentityCommands(IMSI) = %q", got)
	}
}

// TestSupplyWarning: the supply-voltage lines that explain a reset.
func TestSupplyWarning(t *testing.T) {
	for text, want := range map[string]bool{"UNDER-VOLTAGE POWER DOWN": true, "UNDER-VOLTAGE WARNNING": true,
		"OVER-VOLTAGE POWER DOWN": true, "NORMAL POWER DOWN": false, "RDY": false} {
		if got := SupplyWarning(&decode.Event{Text: text}); got != want {
			t.Errorf("SupplyWarning(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestSocketPingOp: the host's PINGREQs over a socket are marked, answered
// or not, and no other op of the socket is.
func TestSocketPingOp(t *testing.T) {
	log := "AT+CIPSTART=\"TCP\",\"broker.example.com\",\"1883\"\r\nOK\r\n\r\nCONNECT OK\r\n" +
		"AT+CIPSEND=22\r\n> \x10\x14\x00\x04MQTT\x04\x02\x00\x0a\x00\x08sock-dev\r\nSEND OK\r\n+IPD,4: \x02\x00\x00\r\n" +
		"AT+CIPSEND=2\r\n> \xc0\x00\r\nSEND OK\r\n+IPD,2:\xd0\x00\r\n" +
		"AT+CIPSEND=2\r\n> \xc0\x00\r\nSEND OK\r\nAT+CIPCLOSE\r\nCLOSE OK\r\n"
	ops, _ := decodeOps(t, "t.log", []byte(log), "simcom-cip")
	var got []string
	for _, op := range ops {
		if SocketPingOp(op) {
			got = append(got, op.Status.String())
		} else if op.Kind == OpLink && op.Client != ModuleClient {
			t.Errorf("a link op not marked as a ping: %s %q (lines %v)", op.Name, op.Reason, op.Lines)
		}
	}
	if strings.Join(got, " ") != "ok failed" {
		t.Errorf("pings: %v, want an answered one then one the close abandoned", got)
	}
	if SocketPingOp(nil) {
		t.Error("SocketPingOp(nil) = true")
	}
}
