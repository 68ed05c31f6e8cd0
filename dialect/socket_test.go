package dialect

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"testing/iotest"

	"atscope/decode"
)

func TestParseRecvHeader(t *testing.T) {
	tests := []struct {
		in              string
		ok              bool
		link, n, at     int
		hasLink, notice bool
	}{
		{"+IPD,4: \x02\x00\x00", true, 0, 4, 7, false, false},
		{"+IPD,1,5:abcde", true, 1, 5, 9, true, false},
		{"+IPD,2,3,\"192.0.2.1\",1883:xyz", true, 2, 3, 26, true, false},
		{"+IPD,3,\"192.0.2.1\",1883:xyz", true, 0, 3, 24, false, false},
		{"+IPD,0,295\r\n", true, 0, 295, 10, true, true},
		{"+RECEIVE,1,4:\r\n", true, 1, 4, 13, true, false},
		{"+CIPRECVDATA:4,\x20\x02\x00\x00", true, 0, 4, 15, false, false},
		{"+CIPRECVDATA,4:\x20\x02\x00\x00", true, 0, 4, 15, false, false},
		{"+IPD19\r\n0\x02", true, 0, 19, 6, false, false},
		{"+IPD19x", false, 0, 0, 0, false, false},
		{"+IPD,x:", false, 0, 0, 0, false, false},
		{"+IPD,-1:", false, 0, 0, 0, false, false},
		{"+QIURC: \"recv\",0,4", false, 0, 0, 0, false, false},
		{"+USORD: 1,4,\"\x20\x02\x00\x00\"", true, 1, 4, 13, true, false},
		{"+USORD: 1,4", false, 0, 0, 0, false, false},
	}
	for _, tt := range tests {
		r, ok := parseRecvHeader([]byte(tt.in))
		if ok != tt.ok || ok && (r.link != tt.link || r.n != tt.n || r.at != tt.at || r.hasLink != tt.hasLink || r.notice != tt.notice) {
			t.Errorf("parseRecvHeader(%q) = %+v %v, want link %d n %d at %d hasLink %v notice %v ok %v",
				tt.in, r, ok, tt.link, tt.n, tt.at, tt.hasLink, tt.notice, tt.ok)
		}
	}
}

func TestSockBare(t *testing.T) {
	tests := []struct {
		in, name  string
		final, ok bool
	}{
		{"CONNECT OK", "CONNECT OK", false, true},
		{"0, CONNECT OK", "CONNECT OK", false, true},
		{"1,CONNECT", "CONNECT", false, true},
		{"2, SEND OK", "SEND OK", true, true},
		{"SHUT OK", "SHUT OK", true, true},
		{"DATA ACCEPT:0,12", "DATA ACCEPT", true, true},
		{"Recv 12 bytes", "Recv", false, true},
		{"Recv nothing", "", false, false},
		{"+IPD,4:abcd", "+IPD", false, true},
		{"+IPD,", "+IPD", false, true},
		{"0, WHATEVER", "", false, false},
		{"OK", "", false, false},
	}
	for _, tt := range tests {
		name, final, ok := sockBare(tt.in)
		if name != tt.name || final != tt.final || ok != tt.ok {
			t.Errorf("sockBare(%q) = %q %v %v, want %q %v %v", tt.in, name, final, ok, tt.name, tt.final, tt.ok)
		}
	}
}

// TestSocketDetection: socket and MQTT-command dialects coexist in auto
// mode. Logs of ESP-AT's MQTT commands (which also use AT+CIPMUX,
// AT+CIPCLOSE and the Wi-Fi lines) stay espat or cipmqtt; logs of nothing
// but socket traffic pick the socket dialect of their family.
func TestSocketDetection(t *testing.T) {
	tests := []struct{ file, want string }{
		{"../samples/esp32-espat-reconnect.log", "espat"},
		{"../samples/esp8266-espat-ticket.log", "espat"},
		{"../samples/esp8266-cipmqtt-arduino.log", "espat"},
		{"../samples/ec21-mqtt-socat.log", "quectel"},
		{"../samples/sim800-pubsubclient-arduino.log", "simcom-cip"},
		{"../samples/sim800-pubsubclient-socat.log", "simcom-cip"},
		{"../samples/esp8266-wifiespat-stamped.log", "espat-tcp"},
		{"testdata/simcom-cip/ctrlz.log", "simcom-cip"},
		{"../samples/sim7600-cmqtt-raw.log", "simcom"},
		{"../samples/sim7600-cmqtt-reconnect.log", "simcom"},
		{"../samples/a7670-cmqtt-ticket.log", "simcom"},
		{"testdata/simcom-lte/sim7600.log", "simcom-lte"},
		{"../samples/sara-r5-ublox-raw.log", "ublox"},
		{"../samples/sara-r410m-ublox-ticket.log", "ublox"},
		{"testdata/ublox-tcp/sara.log", "ublox-tcp"},
		{"../samples/nrf9160-slm-raw.log", "nordic"},
		{"../samples/nrf9151-slm-reconnect.log", "nordic"},
		{"testdata/nordic-tcp/slm.log", "nordic-tcp"},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if _, dec := decodeOps(t, tt.file, data, "auto"); dec.dialect == nil || dec.dialect.Name != tt.want {
			t.Errorf("%s: detected %s, want %s", tt.file, dec.Describe(), tt.want)
		}
	}
}

// TestSocketChunking: the socket machines give the same ops whether the log
// arrives all at once or one byte at a time (payloads are counted out of
// the events' raw bytes, which the tokenizer makes chunking-invariant).
func TestSocketChunking(t *testing.T) {
	var files []string
	for _, d := range []string{"simcom-cip", "simcom-lte", "quectel-tcp", "espat-tcp", "ublox-tcp", "nordic-tcp"} {
		fs, _ := filepath.Glob(filepath.Join("testdata", d, "*.log"))
		files = append(files, fs...)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		whole, _ := decodeOps(t, f, data, "auto")
		hooks, _ := HooksFor("auto")
		cr, _, err := decode.Open(iotest.OneByteReader(bytes.NewReader(data)), f, "auto", decode.Options{})
		if err != nil {
			t.Fatal(err)
		}
		dec, _ := NewDecoder(f, "auto")
		var ops []*Op
		emit := func(op *Op) { ops = append(ops, op) }
		tok := decode.NewTokenizer(cr, hooks)
		for tok.Next() {
			ev := tok.Event()
			dec.Feed(&ev, emit)
		}
		dec.Close(emit)
		sort.SliceStable(ops, func(i, j int) bool { return ops[i].Seqs[0] < ops[j].Seqs[0] })
		if got, want := dumpOps(ops), dumpOps(whole); got != want {
			t.Errorf("%s: byte by byte gives\n%s\nall at once\n%s", f, got, want)
		}
	}
}
