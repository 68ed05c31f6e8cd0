package redact

import (
	"bytes"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
)

// learnAll runs a log through the tokenizer and the dialects and learns.
func learnAll(t *testing.T, r *Redactor, log string) []decode.Event {
	t.Helper()
	cr, _, err := decode.Open(strings.NewReader(log), "t.log", "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder("t.log", "auto")
	var evs []decode.Event
	for tok.Next() {
		ev := tok.Event()
		r.LearnEvent(&ev)
		dec.Feed(&ev, r.LearnOp)
		evs = append(evs, ev)
	}
	dec.Close(r.LearnOp)
	return evs
}

func TestParseLevel(t *testing.T) {
	for in, want := range map[string]Level{"": Off, "off": Off, "secrets": Secrets, "true": Secrets, "all": All, "ALL": All} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseLevel("everything"); err == nil {
		t.Error("ParseLevel accepted a bad level")
	}
	if New(Off) != nil {
		t.Error("New(Off) is not nil")
	}
	var r *Redactor // nil is usable and changes nothing
	ev := decode.Event{Text: "x"}
	r.Event(&ev)
	r.Op(&dialect.Op{})
	if r.String("secret") != "secret" || r.Level() != Off {
		t.Error("a nil redactor changed something")
	}
}

// TestLearn covers the commands that carry secrets, per vendor.
func TestLearn(t *testing.T) {
	for _, tc := range []struct {
		name, log string
		level     Level
		secrets   map[string]Kind // value -> kind
		kept      []string        // values that must stay
	}{
		{"quectel connect", "AT+QMTOPEN=0,\"broker.example.com\",1883\r\nOK\r\nAT+QMTCONN=0,\"dev-001\",\"alice\",\"pa55-word\"\r\nOK\r\n", Secrets,
			map[string]Kind{"alice": User, "pa55-word": Password}, []string{"dev-001", "broker.example.com"}},
		{"quectel all", "AT+QMTOPEN=0,\"broker.example.com\",1883\r\nOK\r\nAT+QMTCONN=0,\"dev-001\",\"alice\",\"pa55-word\"\r\nOK\r\n", All,
			map[string]Kind{"alice": User, "pa55-word": Password, "dev-001": ClientID, "broker.example.com": Host}, nil},
		{"aliauth", "AT+QMTCFG=\"aliauth\",0,\"a1PrKey\",\"node_7\",\"0123456789abcdef\"\r\nOK\r\n", Secrets,
			map[string]Kind{"a1PrKey": User, "node_7": User, "0123456789abcdef": DeviceSecret}, nil},
		{"luat imei", "AT+MCONFIG=\"866289037465624\",\"user1\",\"password1\"\r\nOK\r\n", Secrets,
			map[string]Kind{"866289037465624": IMEI, "user1": User, "password1": Password}, nil},
		{"esp user cfg and wifi", "AT+CWJAP=\"lab-net\",\"wifi-secret\"\r\nOK\r\nAT+MQTTUSERCFG=0,1,\"esp\",\"bob\",\"p\\,ss-word\",0,0,\"\"\r\nOK\r\n", Secrets,
			map[string]Kind{"wifi-secret": WiFiPassword, "bob": User, "p\\,ss-word": Password, "p,ss-word": Password}, []string{"lab-net"}},
		{"esp long password", "AT+MQTTLONGPASSWORD=0,12\r\nOK\r\n>\r\nlong-pass-12OK\r\n", Secrets,
			map[string]Kind{"long-pass-12": Password}, nil},
		{"simcom", "AT+CMQTTACCQ=0,\"sim-1\",0\r\nOK\r\nAT+CMQTTCONNECT=0,\"tcp://broker.example.com:1883\",60,1,\"carol\",\"c-pass-99\"\r\nOK\r\n", All,
			map[string]Kind{"carol": User, "c-pass-99": Password, "broker.example.com": Host, "sim-1": ClientID}, nil},
		{"simcom sm", "AT+SMCONF=\"URL\",\"broker.example.com\",1883\r\nOK\r\nAT+SMCONF=\"USERNAME\",\"dave\"\r\nOK\r\nAT+SMCONF=\"PASSWORD\",\"d-pass-1\"\r\nOK\r\n", Secrets,
			map[string]Kind{"dave": User, "d-pass-1": Password}, []string{"broker.example.com"}},
		{"ublox", "AT+UMQTT=4,\"erin\",\"e-pass-22\"\r\n+UMQTT: 4,1\r\nOK\r\n", Secrets,
			map[string]Kind{"erin": User, "e-pass-22": Password}, nil},
		{"nordic", "AT#XMQTTCON=1,\"frank\",\"f-pass-3\",\"broker.example.com\",1883\r\nOK\r\n", Secrets,
			map[string]Kind{"frank": User, "f-pass-3": Password}, nil},
		{"tencent", "AT+TCDEVINFOSET=1,\"QX7K2M9TQA\",\"dev-01\",\"c2VjcmV0LWtleQ==\"\r\nOK\r\n", Secrets,
			map[string]Kind{"QX7K2M9TQA": User, "dev-01": User, "c2VjcmV0LWtleQ==": DeviceSecret}, nil},
		{"identity", "AT+CGSN\r\n866289037465624\r\nOK\r\nAT+CIMI\r\n460011234567890\r\nOK\r\nAT+QCCID\r\n+QCCID: 89860012345678901234\r\nOK\r\n", Secrets,
			map[string]Kind{"866289037465624": IMEI, "460011234567890": IMSI, "89860012345678901234": ICCID}, nil},
		{"apn and pin", "AT+CPIN=\"1234\"\r\nOK\r\nAT+QICSGP=1,1,\"iot.apn\",\"apnuser\",\"apnpass\",1\r\nOK\r\n", Secrets,
			map[string]Kind{"1234": PIN, "apnuser": User, "apnpass": Password}, []string{"iot.apn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := New(tc.level)
			learnAll(t, r, tc.log)
			got := map[string]Kind{}
			for _, s := range r.Secrets() {
				got[s.Value] = s.Kind
			}
			for v, k := range tc.secrets {
				if got[v] != k {
					t.Errorf("secret %q: kind %q, want %q (learned %v)", v, got[v], k, got)
				}
			}
			for _, v := range tc.kept {
				if _, ok := got[v]; ok {
					t.Errorf("%q learned as a secret at level %s", v, tc.level)
				}
			}
		})
	}
}

func TestReplace(t *testing.T) {
	r := New(Secrets)
	r.Add("s3cret-password", Password)
	r.Add("user", User)
	r.Add("Dev-Ops7", User)
	r.Add("42", PIN)
	for _, tc := range []struct{ in, want string }{
		{`AT+QMTCONN=0,"c","user","s3cret-password"`, `AT+QMTCONN=0,"c","<user-1>","<password-1>"`},
		{"topic/s3cret-password/x", "topic/<password-1>/x"},
		{"AT+MQTTUSERCFG=0", "AT+MQTTUSERCFG=0"},   // "user" inside a word stays
		{"superuser", "superuser"},                 // likewise
		{"user=user", "user=user"},                 // a user name that reads as a word only in its argument
		{"Dev-Ops7=Dev-Ops7", "<user-2>=<user-2>"}, // a distinctive one, alone, goes
		{"Dev-Ops7-x/y", "Dev-Ops7-x/y"},           // a name inside a longer identifier stays
		{"+QMTSTAT: 0,42", "+QMTSTAT: 0,42"},       // a short number only where it was learned
		{"<password-1>", "<password-1>"},           // placeholders are not replaced again
		{"s3cret-passwords", "<password-1>s"},      // long secrets go everywhere
	} {
		if got := r.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	ev := decode.Event{Pos: decode.Pos{Line: 7}, Kind: decode.KindCommand, Name: "+CPIN", Text: `AT+CPIN="42"`, Args: `"42"`, Raw: []byte("AT+CPIN=\"42\"\r\n")}
	r.Event(&ev)
	if ev.Text != `AT+CPIN="<pin-1>"` || ev.Args != `"<pin-1>"` || string(ev.Raw) != "AT+CPIN=\"<pin-1>\"\r\n" {
		t.Errorf("in-place secret: %q %q %q", ev.Text, ev.Args, ev.Raw)
	}
}

func TestStablePlaceholders(t *testing.T) {
	r := New(Secrets)
	a := r.Add("first-password", Password)
	b := r.Add("second-password", Password)
	if a != "<password-1>" || b != "<password-2>" || r.Add("first-password", Password) != a {
		t.Errorf("placeholders %q %q", a, b)
	}
}

func TestOp(t *testing.T) {
	r := New(Secrets)
	w := &dialect.Will{Topic: "status/alice-device", Message: "bye"}
	op := &dialect.Op{Kind: dialect.OpConnect, ClientID: "dev", Username: "alice-device", Password: "pw", Host: "h.example.com",
		Will: w, Notes: []dialect.Note{{Text: "user alice-device"}}, Lines: []int{3}}
	r.Op(op)
	if op.Username != "<user-1>" || op.Password != "<password-1>" || op.ClientID != "dev" || op.Host != "h.example.com" {
		t.Errorf("op fields: %+v", op)
	}
	if op.Will.Topic != "status/<u1>********" || w.Topic != "status/alice-device" {
		t.Errorf("will: %+v (shared %+v)", op.Will, w)
	}
	if op.Notes[0].Text != "user <user-1>" {
		t.Errorf("notes: %q", op.NoteTexts())
	}
}

func TestPlaceholderFit(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{14, "<p1>**********"}, {12, "<p1>********"}, {6, "<p1>**"}, {4, "<p1>"}, {3, "***"}} {
		if got := placeholder("<password-1>", tc.n, true); got != tc.want || len(got) != tc.n {
			t.Errorf("fit %d = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestCopy checks the file copy: secrets replaced with same-length
// placeholders, every other byte kept, a secret split over two stamped
// lines found in both pieces.
func TestCopy(t *testing.T) {
	log := "[10:00:00.000] AT+QMTCFG=\"aliauth\",0,\"a1PrKey\",\"node_7\",\"0123456789abcdef0123\"\r\n" +
		"[10:00:00.010] AT+QMTCFG=\"aliauth\",0,\"a1PrKey\",\"node_7\",\"0123456789\r\n" +
		"[10:00:00.011] abcdef0123\"\r\n" +
		"[10:00:00.020] OK\r\n" +
		"[10:00:01.000] \x1a binary \xff bytes stay\n"
	r := New(Secrets)
	learnAll(t, r, log)
	var out bytes.Buffer
	if _, err := r.Copy(&out, strings.NewReader(log), "t.log", "auto", decode.Options{}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if len(got) != len(log) {
		t.Errorf("length %d, want %d", len(got), len(log))
	}
	for _, s := range []string{"a1PrKey", "node_7", "0123456789abcdef0123", "0123456789\r", "abcdef0123"} {
		if strings.Contains(got, s) {
			t.Errorf("%q still in the copy:\n%s", s, got)
		}
	}
	if !strings.Contains(got, "\x1a binary \xff bytes stay\n") || !strings.Contains(got, "[10:00:00.020] OK\r\n") {
		t.Errorf("other bytes changed:\n%q", got)
	}
	if leaks := r.Leaks(got); len(leaks) > 0 {
		t.Errorf("leaks: %v", leaks)
	}
}
