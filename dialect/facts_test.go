package dialect

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestTypedFacts: ops carry their outcome as fields (CONNACK code, vendor
// code, abandonment, note kinds with numbers), so no consumer reads prose.
func TestTypedFacts(t *testing.T) {
	type want struct {
		name          string // op name to check (first op of that name)
		connack       int    // -1: none shown
		vendor        int
		hasVendor     bool
		abandonedLine int // -1: not abandoned
		noteKind      NoteKind
		have, wantLen int
	}
	tests := []struct {
		dialect, log string
		want         want
	}{
		{"quectel", "AT+QMTCONN=0,\"dev\"\r\nOK\r\n+QMTCONN: 0,0,4\r\n",
			want{"+QMTCONN", 4, 4, true, -1, NoteRemark, 0, 0}},
		{"quectel", "AT+QMTCONN=0,\"dev\"\r\nOK\r\n+QMTCONN: 0,0,0\r\n",
			want{"+QMTCONN", 0, 0, true, -1, NoteRemark, 0, 0}},
		{"quectel", "AT+QMTPUBEX=0,1,1,0,\"t\",20\r\n> hello\r\nOK\r\n+QMTSTAT: 0,1\r\n",
			want{"+QMTPUBEX", -1, 0, false, 4, NotePayloadLength, 5, 20}},
		{"quectel", "AT+QMTSUB=0,1,t,1\r\nOK\r\n+QMTSUB: 0,1,0,1\r\n",
			want{"+QMTSUB", -1, 1, true, -1, NoteDeviation, 0, 0}},
		{"simcom", "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1\r\nOK\r\n+CMQTTCONNECT: 0,30\r\n",
			want{"+CMQTTCONNECT", 4, 30, true, -1, NoteRemark, 0, 0}},
		{"tencent", "AT+TCMQTTCONN=1,5000,240,1,1\r\nOK\r\n+TCMQTTCONN:FAIL,-116\r\n",
			want{"+TCMQTTCONN", 4, -116, true, -1, NoteRemark, 0, 0}},
		{"quectel", "+QMTCONN: 0,0,0\r\n",
			want{"+QMTCONN", 0, 0, true, -1, NoteNotLogged, 0, 0}},
	}
	for _, tt := range tests {
		ops, _ := decodeOps(t, "t.log", []byte(tt.log), tt.dialect)
		var op *Op
		for _, o := range ops {
			if o.Name == tt.want.name {
				op = o
				break
			}
		}
		if op == nil {
			t.Errorf("%s %q: no %s op in %d ops", tt.dialect, tt.log, tt.want.name, len(ops))
			continue
		}
		w := tt.want
		if got := connackOf(op); got != w.connack {
			t.Errorf("%q: connack %d, want %d", tt.log, got, w.connack)
		}
		if v, ok := op.VendorCode(); v != w.vendor || ok != w.hasVendor {
			t.Errorf("%q: vendor code %d %v, want %d %v (Code %q)", tt.log, v, ok, w.vendor, w.hasVendor, op.Code)
		}
		if line := op.AbandonedLine; op.Abandoned != (w.abandonedLine >= 0) || line != w.abandonedLine {
			t.Errorf("%q: abandoned %v at line %d, want line %d (%s)", tt.log, op.Abandoned, line, w.abandonedLine, op.Reason)
		}
		if w.noteKind == NoteRemark {
			continue
		}
		found := false
		for _, n := range op.Notes {
			if n.Kind == w.noteKind {
				found = true
				if n.Have != w.have || n.Want != w.wantLen {
					t.Errorf("%q: note %q has %d want %d, want %d and %d", tt.log, n.Text, n.Have, n.Want, w.have, w.wantLen)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %s note in %+v", tt.log, w.noteKind, op.Notes)
		}
	}
}

func connackOf(op *Op) int {
	if !op.HasConnack {
		return -1
	}
	return int(op.Connack)
}

// TestFactsTables: every dialect has a table; rows cite their source and
// are unique; code rows do not repeat a code.
func TestFactsTables(t *testing.T) {
	for _, d := range All() {
		if len(d.Facts.Commands) == 0 {
			t.Errorf("%s: no command table", d.Name)
		}
		seen := map[string]bool{}
		for _, c := range d.Facts.Commands {
			key := fmt.Sprint(c.Name, c.URC)
			if seen[key] {
				t.Errorf("%s: row %s twice", d.Name, c.Name)
			}
			seen[key] = true
			if c.Cite == "" {
				t.Errorf("%s: row %s cites no source", d.Name, c.Name)
			}
			if c.MaxLen != nil && len(c.MaxLen) > len(c.Args) {
				t.Errorf("%s: row %s has more limits than arguments", d.Name, c.Name)
			}
			codes := map[int]bool{}
			for _, code := range c.Codes {
				if code.Thru == 0 && codes[code.N] {
					t.Errorf("%s: row %s explains code %d twice", d.Name, c.Name, code.N)
				}
				codes[code.N] = code.Thru == 0
				if code.Meaning == "" {
					t.Errorf("%s: row %s code %d has no meaning", d.Name, c.Name, code.N)
				}
			}
		}
	}
}

// TestArgRoles: the roles consumers (redact) read, odd layouts included.
func TestArgRoles(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []ArgRole
	}{
		{"+QMTOPEN", []string{"0", `"broker.example.com"`, "1883"}, []ArgRole{ArgClient, ArgHost, ArgPort}},
		// BC26: a protocol word before the host moves it, quoted or not, tcp or udp.
		{"+QMTOPEN", []string{"0", `"tcp"`, `"198.51.100.25"`, "1883"}, []ArgRole{ArgClient, ArgScheme, ArgHost, ArgPort}},
		{"+QMTOPEN", []string{"0", "UDP", `"h"`, "1883"}, []ArgRole{ArgClient, ArgScheme, ArgHost, ArgPort}},
		// An unquoted host is a host, however many arguments follow.
		{"+QMTOPEN", []string{"0", "mqtt.example.com", "1883", "0"}, []ArgRole{ArgClient, ArgHost, ArgPort}},
		{"+QMTOPEN", []string{"0", `"tcp"`, "1883"}, []ArgRole{ArgClient, ArgHost, ArgPort}},
		{"+QMTCONN", []string{"0", `"id"`, `"u"`, `"p"`}, []ArgRole{ArgClient, ArgClientID, ArgUser, ArgPassword}},
		{"+QMTCFG", []string{`"aliauth"`, "0", `"pk"`, `"dn"`, `"ds"`}, []ArgRole{ArgOther, ArgClient, ArgDeviceID, ArgDeviceID, ArgDeviceSecret}},
		{"+QMTCFG", []string{`"CTWing"`, "0", `"cid"`, `"f"`}, []ArgRole{ArgOther, ArgClient, ArgClientID, ArgDeviceSecret}},
		{"+MQTTUSERCFG", []string{"0", "1", `"id"`, `"u"`, `"p"`, "0", "0", `""`}, []ArgRole{ArgClient, ArgScheme, ArgClientID, ArgUser, ArgPassword, ArgOther, ArgOther, ArgOther}},
		{"+CWJAP", []string{`"ssid"`, `"pw"`}, []ArgRole{ArgSSID, ArgWiFiPassword}},
		{"+CMQTTCONNECT", []string{"0", `"tcp://h:1883"`, "60", "1", `"u"`, `"p"`}, []ArgRole{ArgClient, ArgURL, ArgKeepAlive, ArgClean, ArgUser, ArgPassword}},
		{"+SMCONF", []string{`"PASSWORD"`, `"p"`}, []ArgRole{ArgOther, ArgPassword}},
		{"+UMQTT", []string{"4", `"u"`, `"p"`}, []ArgRole{ArgOther, ArgUser, ArgPassword}},
		{"#XMQTTCON", []string{"1", `"u"`, `"p"`, `"h"`, "1883"}, []ArgRole{ArgOther, ArgUser, ArgPassword, ArgHost, ArgPort}},
		{"#XMQTTCON", []string{"1", `"cid"`, `"u"`, `"p"`, `"h"`, "1883", "42"}, []ArgRole{ArgOther, ArgClientID, ArgUser, ArgPassword, ArgHost, ArgPort, ArgOther}},
		{"+TCDEVINFOSET", []string{"1", `"pid"`, `"dev"`, `"secret"`}, []ArgRole{ArgScheme, ArgDeviceID, ArgDeviceID, ArgDeviceSecret, ArgOther}},
		{"+SAPBR", []string{"3", "1", `"PWD"`, `"p"`}, []ArgRole{ArgOther, ArgOther, ArgOther, ArgBearerPassword}},
		{"+CPIN", []string{`"1234"`}, []ArgRole{ArgPIN, ArgPIN}},
		{"+NOSUCH", []string{"1"}, nil},
	}
	for _, tt := range tests {
		if got := ArgRoles(tt.name, tt.args); !slices.Equal(got, tt.want) {
			t.Errorf("ArgRoles(%s, %q) = %v, want %v", tt.name, tt.args, got, tt.want)
		}
	}
	for _, r := range []ArgRole{ArgPassword, ArgDeviceSecret, ArgWiFiPassword, ArgPIN, ArgBearerPassword} {
		if !r.Secret() || r.Identifying() {
			t.Errorf("%s: want a secret", r)
		}
	}
	if ArgHost.Secret() || !ArgHost.Identifying() || ArgTopic.Secret() || ArgTopic.Identifying() {
		t.Error("host is identifying, a topic neither")
	}
}

// TestQuectelBC26Host: the machine reads the host where ArgRoles says it is
// (it took "udp" as the host, and the port of AT+QMTOPEN=0,host,1883,<x>).
func TestQuectelBC26Host(t *testing.T) {
	tests := []struct {
		log, host string
		port      int
	}{
		{"AT+QMTOPEN=0,\"udp\",\"198.51.100.25\",1883\r\nOK\r\n+QMTOPEN: 0,0\r\n", "198.51.100.25", 1883},
		{"AT+QMTOPEN=0,\"tcp\",\"198.51.100.25\",1883\r\nOK\r\n+QMTOPEN: 0,0\r\n", "198.51.100.25", 1883},
		{"AT+QMTOPEN=0,mqtt.example.com,1883,0\r\nOK\r\n+QMTOPEN: 0,0\r\n", "mqtt.example.com", 1883},
	}
	for _, tt := range tests {
		ops, _ := decodeOps(t, "t.log", []byte(tt.log), "quectel")
		if len(ops) != 1 || ops[0].Host != tt.host || ops[0].Port != tt.port {
			t.Errorf("%q: ops %v, want host %s port %d", tt.log, ops, tt.host, tt.port)
		}
	}
}

// TestExplainOp: one lookup explains any dialect's result codes.
func TestExplainOp(t *testing.T) {
	tests := []struct {
		dialect, log, name string
		advice             string // a part of the advice; "" = not explained
	}{
		{"quectel", "AT+QMTOPEN=0,\"h\",1883\r\nOK\r\n+QMTOPEN: 0,3\r\n", "+QMTOPEN", "Activate the PDP context first"},
		{"quectel", "AT+QMTCONN=0,\"dev\"\r\nOK\r\n+QMTCONN: 0,0,4\r\n", "+QMTCONN", "The user name or password is wrong"},
		{"quectel", "AT+QMTOPEN=0,\"h\",1883\r\n+CME ERROR: 3\r\n", "+QMTOPEN", ""},
		{"quectel", "+QMTSTAT: 0,2\r\n", "+QMTSTAT", "Deactivate and reactivate the PDP context"},
		{"simcom", "AT+CMQTTCONNECT=0,\"tcp://h:1883\",60,1\r\nOK\r\n+CMQTTCONNECT: 0,30\r\n", "+CMQTTCONNECT", "The user name or password is wrong"},
		{"simcom", "AT+CMQTTSTART\r\nOK\r\n+CMQTTSTART: 9\r\n", "+CMQTTSTART", "Start the service first"},
		{"tencent", "AT+TCMQTTCONN=1,5000,240,1,1\r\nOK\r\n+TCMQTTCONN:FAIL,-116\r\n", "+TCMQTTCONN", "check the device triple"},
		{"espat", "AT+MQTTCONN=0,\"h\",1883,0\r\nERR CODE:0x0160600B\r\nERROR\r\n", "+MQTTCONN", "The client could not connect"},
		{"luat", "AT+MIPSTART=\"h\",1883\r\nOK\r\nCONNECT FAIL\r\n", "+MIPSTART", "Check the host and port of AT+MIPSTART"},
		{"nordic", "AT#XMQTTSUB=\"t\",1\r\nOK\r\n#XMQTTEVT: 7,-128\r\n", "#XMQTTSUB", "Not connected"},
		{"espat", "AT+MQTTSUB=0,\"t\",1\r\nERROR\r\n", "+MQTTSUB", "enable AT+SYSLOG=1"},
		{"cipmqtt", "AT+CIPMQTTC=1\r\nERROR\r\n", "+CIPMQTTC", "exists only in some third-party builds"},
		{"quectel", "AT+QMTDISC=0\r\nERROR\r\n", "+QMTDISC", ""},
	}
	for _, tt := range tests {
		op := lastOpNamed(t, tt.dialect, tt.log, tt.name)
		if op == nil {
			continue
		}
		c, ok := ExplainOp(op)
		if ok != (tt.advice != "") || !strings.Contains(c.Advice, tt.advice) {
			t.Errorf("%q: ExplainOp = %+v, %v (code %q from %s), want advice with %q", tt.log, c, ok, op.Code, op.CodeFrom, tt.advice)
		}
	}
}

// TestCommandNames: the vendor words literals_test.go looks for.
func TestCommandNames(t *testing.T) {
	names := CommandNames()
	for _, want := range []string{"+QMTCONN", "+CMQTTRXSTART", "#XMQTTEVT", "CONNECT FAIL", "+UUMQTTC", "+TCMQTTPUB", "+SMCONN", "+CPIN"} {
		if !slices.Contains(names, want) {
			t.Errorf("CommandNames lacks %s", want)
		}
	}
}

// TestCommandFor: the command of an op kind, for findings that name it.
func TestCommandFor(t *testing.T) {
	tests := []struct {
		dialect string
		kind    OpKind
		want    string
		ok      bool
	}{
		{"quectel", OpConnect, "AT+QMTCONN", true},
		{"luat", OpConnect, "AT+MCONNECT", true},
		{"luat", OpOpen, "AT+MIPSTART", true},
		{"espat", OpOpen, "", false},
	}
	for _, tt := range tests {
		f, _ := FactsOf(tt.dialect)
		if got, ok := f.CommandFor(tt.kind); got != tt.want || ok != tt.ok {
			t.Errorf("%s CommandFor(%s) = %q, %v", tt.dialect, tt.kind, got, ok)
		}
	}
}

// TestArgRowsAgree: a command in several tables has the same roles in each,
// so ArgRoles need not know the dialect.
func TestArgRowsAgree(t *testing.T) {
	seen := map[string]string{}
	for _, d := range All() {
		for _, c := range d.Facts.Commands {
			if c.URC || c.Args == nil && c.ArgsOf == nil {
				continue
			}
			if other, ok := seen[c.Name]; ok {
				t.Errorf("%s: in the tables of %s and %s", c.Name, other, d.Name)
			}
			seen[c.Name] = d.Name
		}
	}
	for _, c := range commonFacts.Commands {
		if other, ok := seen[c.Name]; ok {
			t.Errorf("%s: in the tables of %s and 3GPP", c.Name, other)
		}
	}
}
