package dialect

import (
	"slices"
	"testing"

	"atscope/decode"
)

func TestParseSMURL(t *testing.T) {
	tests := []struct {
		in    string
		host  string
		port  int
		notes int
	}{
		{`"mqtt.example.com",1883`, "mqtt.example.com", 1883, 0},
		{`"mqtt.example.com","1883"`, "mqtt.example.com", 1883, 1},
		{`"mqtt.example.com:8883"`, "mqtt.example.com", 8883, 1},
		{`mqtt.example.com,1883`, "mqtt.example.com", 1883, 1},
		{`"192.0.2.7"`, "192.0.2.7", 0, 1},
		{``, "", 0, 0},
	}
	for _, tt := range tests {
		host, port, notes := parseSMURL(tt.in)
		if host != tt.host || port != tt.port || len(notes) != tt.notes {
			t.Errorf("parseSMURL(%s) = %q, %d, %q; want %q, %d, %d notes", tt.in, host, port, notes, tt.host, tt.port, tt.notes)
		}
	}
}

func TestParseSMPub(t *testing.T) {
	tests := []struct {
		in   string
		want smPub
	}{
		{`"a/b",5,1,0`, smPub{topic: "a/b", topicRaw: `"a/b"`, topicQuoted: true, length: 5, lengthRaw: "5", qos: 1}},
		{`"a,b",5,1,1`, smPub{topic: "a,b", topicRaw: `"a,b"`, topicQuoted: true, length: 5, lengthRaw: "5", qos: 1, retain: 1}},
		{`a/b,5,0,0`, smPub{topic: "a/b", topicRaw: "a/b", length: 5, lengthRaw: "5", qos: 0}},
		{`a,b,5,2,0`, smPub{topic: "a,b", topicRaw: "a,b", length: 5, lengthRaw: "5", qos: 2}},
		{`"a/b",5`, smPub{topic: "a/b", topicRaw: `"a/b"`, topicQuoted: true, length: 5, lengthRaw: "5", qos: -1}},
		{``, smPub{length: -1, qos: -1}},
		{`"a/b",1e30,1,0`, smPub{topic: "a/b", topicRaw: `"a/b"`, topicQuoted: true, length: -1, lengthRaw: "1e30", qos: 1}},
	}
	for _, tt := range tests {
		if got := parseSMPub(tt.in); got != tt.want {
			t.Errorf("parseSMPub(%s) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestSMHooks(t *testing.T) {
	payload := []struct {
		cmd  string
		want decode.Framing
	}{
		{`AT+SMPUB="a/b",12,1,0`, decode.Framing{Kind: decode.FrameCount, N: 12}},
		{`at+smpub="a/b",3,0,0`, decode.Framing{Kind: decode.FrameCount, N: 3}},
		{`AT+SMPUB="a/b"`, decode.Framing{}},
		{`AT+SMSUB="a/b",1`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+SMCONN`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+SMSSL=1,"ca.crt",""`, decode.Framing{Kind: decode.FrameNone}},
		{`AT+CMGS="+100"`, decode.Framing{}},
		{`AT+SMSFOO=1`, decode.Framing{}},
	}
	for _, tt := range payload {
		ev := commandEvent(tt.cmd)
		if got := (smHooks{}).Payload(&ev); got != tt.want {
			t.Errorf("Payload(%s) = %+v, want %+v", tt.cmd, got, tt.want)
		}
	}
	tail := []struct {
		line   string
		follow int
	}{
		{`+SMSUB: "a/b",5`, 5},
		{`+SMSUB: "a/b","5"`, 0},
		{`+SMSUB: "a/b","hello"`, 0},
		{`+SMSUB: "a/b",3,"abc"`, 0},
		{`+SMSUB: a/b,5`, 0},
		{`+SMSTATE: 0`, 0},
	}
	for _, tt := range tail {
		ev := lineEvent(tt.line)
		if inline, follow := (smHooks{}).Tail(&ev); inline != 0 || follow != tt.follow {
			t.Errorf("Tail(%s) = %d, %d; want 0, %d", tt.line, inline, follow, tt.follow)
		}
	}
}

// TestSMReceive checks each +SMSUB form gives one receive with the right
// topic and payload.
func TestSMReceive(t *testing.T) {
	tests := []struct {
		log            string
		topic, payload string
		status         Status
	}{
		{"\r\n+SMSUB: \"a/b\",\"on\"\r\n", "a/b", "on", StatusOK},
		{"\r\n+SMSUB: \"a/b\",\"say \"hi\", ok\"\r\n", "a/b", `say "hi", ok`, StatusOK},
		{"\r\n+SMSUB: \"a/b\",7\r\nx\r\ny,\"z\r\nOK\r\n", "a/b", "x\r\ny,\"z", StatusOK},
		{"\r\n+SMSUB: \"a/b\",7\r\nxy", "a/b", "xy", StatusPending},
	}
	for _, tt := range tests {
		ops, _ := decodeOps(t, "t.log", []byte(tt.log), "simcom-sm")
		var got []*Op
		for _, op := range ops {
			if op.Kind == OpReceive {
				got = append(got, op)
			}
		}
		if len(got) != 1 || got[0].Topic != tt.topic || got[0].Payload != tt.payload || got[0].Status != tt.status {
			t.Errorf("%q:\n%s", tt.log, dumpOps(ops))
		}
	}
}

// TestSMConnTimeout: a silent SMCONN is a timeout once the host has waited
// and gone on, and unknown when the log does not say how long it waited.
func TestSMConnTimeout(t *testing.T) {
	timed := "[10:00:00.000] AT+SMCONN\n[10:01:00.000] AT+SMCONN\n[10:01:02.000] OK\n"
	ops, _ := decodeOps(t, "t.log", []byte(timed), "simcom-sm")
	var st []Status
	for _, op := range ops {
		st = append(st, op.Status)
	}
	if !slices.Equal(st, []Status{StatusTimeout, StatusOK}) {
		t.Errorf("timed: %s", dumpOps(ops))
	}
	untimed := "--> AT+SMCONN\n--> AT+SMCONN\n<-- OK\n"
	ops, _ = decodeOps(t, "t.log", []byte(untimed), "simcom-sm")
	st = st[:0]
	for _, op := range ops {
		st = append(st, op.Status)
	}
	if !slices.Equal(st, []Status{StatusUnknown, StatusOK}) {
		t.Errorf("untimed: %s", dumpOps(ops))
	}
}
