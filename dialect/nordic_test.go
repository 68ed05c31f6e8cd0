package dialect

import (
	"testing"

	"atscope/decode"
)

func TestNordicPublishArgs(t *testing.T) {
	tests := []struct {
		args     string
		topic    string
		qos      int
		retain   bool
		payload  string
		dataMode bool
	}{
		{`"t/a","hello",1,0`, "t/a", 1, false, "hello", false},
		{`"t/a","{"k":"v","n":[1,2]}",2,1`, "t/a", 2, true, `{"k":"v","n":[1,2]}`, false},
		{`"t/a","a,1"`, "t/a", 0, false, "a,1", false},
		{`"t/a"`, "t/a", 0, false, "", true},
		{`"t/a","",2,0`, "t/a", 2, false, "", true},
		{`"t/a",1,"old style",1,0`, "t/a", 1, false, "old style", false}, // datatype before the message
		{`t/a,bare,1`, "t/a", 1, false, "bare", false},
		{`"t/a", "spaced" , 1 , 1`, "t/a", 1, true, "spaced", false},
	}
	for _, tt := range tests {
		n := newNordic("t.log")
		op := newOp("t.log", "nordic", 0, OpPublish, "#XMQTTPUB")
		dm := n.publish(op, tt.args)
		if op.Topic != tt.topic || op.QoS != tt.qos || op.Retain != tt.retain || op.Payload != tt.payload || dm != tt.dataMode {
			t.Errorf("publish(%q) = topic %q qos %d retain %v payload %q data %v; want %q %d %v %q %v",
				tt.args, op.Topic, op.QoS, op.Retain, op.Payload, dm, tt.topic, tt.qos, tt.retain, tt.payload, tt.dataMode)
		}
	}
}

func TestNordicLengthsAndResults(t *testing.T) {
	lengths := []struct {
		args       string
		dt, tl, ml int
	}{
		{"21,7", -1, 21, 7},
		{"1, 21, 23", 1, 21, 23},
		{"x,7", -1, -1, -1},
		{"5", -1, -1, -1},
	}
	for _, tt := range lengths {
		if dt, tl, ml := nordicLengths(tt.args); dt != tt.dt || tl != tt.tl || ml != tt.ml {
			t.Errorf("nordicLengths(%q) = %d,%d,%d; want %d,%d,%d", tt.args, dt, tl, ml, tt.dt, tt.tl, tt.ml)
		}
	}
	results := map[int]string{
		0:    "result 0",
		-111: "error -111 (ECONNREFUSED: connection refused)",
		-128: "error -128 (ENOTCONN: not connected)",
		-999: "error -999 (-errno, not in the table known here)",
	}
	for r, want := range results {
		if got := nordicResult(r); got != want {
			t.Errorf("nordicResult(%d) = %q, want %q", r, got, want)
		}
	}
}

func TestNordicHooks(t *testing.T) {
	h := nordicHooks{}
	if in, fo := h.Tail(&decode.Event{Name: "#XMQTTMSG", Args: "21,7"}); in != 29 || fo != 0 {
		t.Errorf("Tail(#XMQTTMSG: 21,7) = %d,%d; want 29,0", in, fo)
	}
	if in, _ := h.Tail(&decode.Event{Name: "#XMQTTMSG", Args: "1, 6, 9"}); in != 16 {
		t.Errorf("Tail(#XMQTTMSG: 1, 6, 9) = %d; want 16", in)
	}
	if f := h.Payload(&decode.Event{Name: "#XMQTTPUB", Args: `"t"`}); f.Kind != decode.FrameUntil || f.Until != "+++" || !f.Silent {
		t.Errorf("Payload(#XMQTTPUB data mode) = %+v, want silent data up to +++", f)
	}
	if f := h.Payload(&decode.Event{Name: "#XMQTTPUB", Args: `"t","inline"`}); f.Kind != decode.FrameNone {
		t.Errorf("Payload(#XMQTTPUB inline) = %+v, want FrameNone", f)
	}
	if name, final, ok := h.Bare("#XMQTTEVT=7,0"); name != "#XMQTTEVT" || final || !ok {
		t.Errorf("Bare(#XMQTTEVT=7,0) = %q,%v,%v", name, final, ok)
	}
}

// TestNordicMessageLineEnds checks that a received message is cut right
// whatever line ends the log kept.
func TestNordicMessageLineEnds(t *testing.T) {
	for _, tt := range []struct{ name, log string }{
		{"CRLF", "#XMQTTMSG: 3,11\r\na/b\r\nhello\r\nworld\r\n#XMQTTEVT: 2,0\r\n"},
		{"LF", "#XMQTTMSG: 3,10\na/b\nhello\nworld\n#XMQTTEVT: 2,0\n"},
		{"no separator", "#XMQTTMSG: 1, 3, 10\na/bhello\nworld\n#XMQTTEVT: 2, 0\n"},
	} {
		ops, _ := decodeOps(t, "t.log", []byte(tt.log), "nordic")
		if len(ops) != 1 || ops[0].Kind != OpReceive || ops[0].Status != StatusOK || ops[0].Topic != "a/b" {
			t.Errorf("%s: ops = %+v", tt.name, ops)
			continue
		}
		if want := tt.log[len(tt.log)-27 : len(tt.log)-16]; ops[0].PayloadLen != len(ops[0].Payload) || ops[0].Payload[:5] != "hello" {
			t.Errorf("%s: payload %q (%d), around %q", tt.name, ops[0].Payload, ops[0].PayloadLen, want)
		}
	}
}
