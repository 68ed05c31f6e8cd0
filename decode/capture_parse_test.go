package decode

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Table tests of the line parsers of the capture formats, and of the
// options that steer them.

func TestSocatHeader(t *testing.T) {
	tests := []struct {
		line   string
		dir    Dir
		length int
		ok     bool
	}{
		{"> 2024/05/14 10:23:45.123456  length=10 from=0 to=9", DirToModule, 10, true},
		{"< 2024/05/14 10:23:45.123456  length=6 from=10 to=15", DirFromModule, 6, true},
		{"< 2024/05/14 10:23:45  length=6 from=10 to=15\r", DirFromModule, 6, true}, // no gettimeofday
		{"> 2024/05/14 10:23:45.123456 length=10 from=0 to=9", DirToModule, 10, true},
		{"> 2024/05/14 10:23:45.123456  length=0 from=0 to=-1", 0, 0, false},
		{"> 2024-05-14 10:23:45.123456  length=10 from=0 to=9", 0, 0, false},
		{"> 2024/05/14 10:23:45.123456  length=10 from=0", 0, 0, false},
		{"> 2024/05/14 10:23:45.123456  length=10 from=0 to=9 extra", 0, 0, false},
		{"2024/05/14 10:23:44 socat[2211] N PTY is /dev/pts/3", 0, 0, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		dir, _, length, ok := socatHeader([]byte(tt.line))
		if ok != tt.ok || dir != tt.dir || length != tt.length {
			t.Errorf("socatHeader(%q) = %v, %d, %v; want %v, %d, %v", tt.line, dir, length, ok, tt.dir, tt.length, tt.ok)
		}
	}
	if i, ok := socatHeaderIn([]byte(`AT\r< 2024/05/14 10:23:45.011200  length=34 from=0 to=33`)); !ok || i != 4 {
		t.Errorf("glued header found at %d, %v; want 4, true", i, ok)
	}
}

func TestIntercepttyLine(t *testing.T) {
	tests := []struct {
		line string
		dir  Dir
		data string
		time string // HH:MM:SS.micro, or "" for none
		ok   bool
	}{
		{"< 0x41 (A)", DirToModule, "A", "", true},
		{"> \t0x0d ([CR])", DirFromModule, "\r", "", true},
		{"> \t0x0d", DirFromModule, "\r", "", true},
		{"< 0x20 (' ')", DirToModule, " ", "", true},
		{"< 0x29 ())", DirToModule, ")", "", true},
		{"[10:23 45.123456]< 0x41 (A)", DirToModule, "A", "10:23:45.123456", true},
		{"                 < 0x54 (T)", DirToModule, "T", "", true},
		{"[10:23 45.123456]> \t41(A):54(T):0d([CR])", DirFromModule, "AT\r", "10:23:45.123456", true},
		{"< 41:54:0d", DirToModule, "AT\r", "", true},
		{"<  A", DirToModule, "A", "", true},
		{"> \t [LF]", DirFromModule, "\n", "", true},
		{"< 0x4", 0, "", "", false},
		{"# Using '[CR]' as end of line char", 0, "", "", false},
		{"[10:23:45.123456]< 0x41 (A)", 0, "", "", false},
		{"> AT+CSQ", 0, "", "", false},
	}
	for _, tt := range tests {
		dir, data, st, ok := intercepttyLine([]byte(tt.line), Options{})
		tm := ""
		if !st.Time.IsZero() {
			tm = st.Time.Format("15:04:05.000000")
		}
		if ok != tt.ok || dir != tt.dir || string(data) != tt.data || tm != tt.time {
			t.Errorf("intercepttyLine(%q) = %v, %q, %q, %v; want %v, %q, %q, %v", tt.line, dir, data, tm, ok, tt.dir, tt.data, tt.time, tt.ok)
		}
	}
}

func TestSlsnif(t *testing.T) {
	items := []struct{ in, want string }{
		{"A (065) T (084) <CR> (013) ", "AT\r"},
		{"< (060) > (062) ( (040) ) (041) ", "<>()"},
		{"<SPACE> (032) <DEL> (127) ", " \x7f"},
		{"A (41) <LF> (0a) ", "A\n"},
		{"A (065) T", ""},
		{"41 54 0d", ""},
	}
	for _, tt := range items {
		got, _ := slsnifItems([]byte(tt.in))
		if string(got) != tt.want {
			t.Errorf("slsnifItems(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	times := []struct{ in, want string }{
		{"Tue May 14 10:23:45.12 2024", "2024-05-14 10:23:45.120"},
		{"Tue May 14 10:23:45. 5 2024", "2024-05-14 10:23:45.005"},
		{"Tue May 14 10:23:45.123 2024", "2024-05-14 10:23:45.123"},
		{"Sun Jun  2 08:01:02 2024", "2024-06-02 08:01:02.000"},
		{"Tue Foo 14 10:23:45.12 2024", ""},
		{"Host   --> A (065) ", ""},
	}
	for _, tt := range times {
		got := ""
		if tm, ok := slsnifTime([]byte(tt.in)); ok {
			got = tm.Format("2006-01-02 15:04:05.000")
		}
		if got != tt.want {
			t.Errorf("slsnifTime(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJpnevulatorRow(t *testing.T) {
	tests := []struct{ in, want string }{
		{"41 54 0D", "AT\r"},
		{"41 54 0D                                        \tAT.", "AT\r"},
		{"41 54 0D                                        AT.", "AT\r"}, // the tab became spaces
		{"0000001A\t4F 4B", "OK"},
		{"01000001 01010100", "AT"},
		{"AT+CSQ", ""},
		{"/dev/ttyUSB0", ""},
	}
	for _, tt := range tests {
		got, _ := jpnevulatorRow([]byte(tt.in))
		if string(got) != tt.want {
			t.Errorf("jpnevulatorRow(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, name, ok := jpnevulatorHeader([]byte("2006-05-30 13:23:49.461075: /dev/ttyS0")); !ok || string(name) != "/dev/ttyS0" {
		t.Errorf("header: %q, %v", name, ok)
	}
}

func TestAnalyzerValue(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		ok   bool
	}{
		{"0x41", 'A', true}, {"0xD4", 0xD4, true}, {"0x1FF", 0, false},
		{"A", 'A', true}, {"'A'", 'A', true}, {"' '", ' ', true}, {" ", ' ', true},
		{`\r`, '\r', true}, {`\n`, '\n', true}, {`\x1A`, 0x1a, true}, {"COMMA", ',', true},
		{"'13'", 13, true}, {"65", 'A', true}, {"5", '5', true},
		{"A (0x41)", 'A', true}, {"0b01000001", 'A', true}, {"é", 0xe9, true},
		{"", 0, false}, {"hello", 0, false}, {"300", 0, false},
	}
	for _, tt := range tests {
		got, ok := analyzerValue(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("analyzerValue(%q) = %#x, %v; want %#x, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	fields := []struct{ in, want string }{
		{`"TX","data",0.4,0.1,"A",,,`, `TX|data|0.4|0.1|A|||`},
		{`"RX","data",1,2,","`, `RX|data|1|2|,`},
		{`"RX","data",1,2,""""`, `RX|data|1|2|"`},
		{`0.01,",,`, `0.01|"||`},
	}
	for _, tt := range fields {
		if got := strings.Join(csvFields([]byte(tt.in)), "|"); got != tt.want {
			t.Errorf("csvFields(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSigrokLine(t *testing.T) {
	tests := []struct {
		line, inst, class, value string
		ok                       bool
	}{
		{"uart-1: h", "uart-1", "", "h", true},
		{"uart-1: [0D]", "uart-1", "", "[0D]", true},
		{"uart-2: rx-data: 41", "uart-2", "rx-data", "41", true},
		{"1200-2068 uart-1: \"41\" \"41\"", "uart-1", "", "\"41\" \"41\"", true},
		{"5120-5988 UART: RX data: O", "UART", "RX data", "O", true},
		{"5120-5988 UART: RX data:  ", "UART", "RX data", " ", true},
		{"uart-1: :", "uart-1", "", ":", true},
		{"i2c-1: Start", "", "", "", false},
		{"Note: uart is fine", "", "", "", false},
	}
	for _, tt := range tests {
		inst, class, value, ok := sigrokLine([]byte(tt.line))
		if ok != tt.ok || inst != tt.inst || class != tt.class || value != tt.value {
			t.Errorf("sigrokLine(%q) = %q, %q, %q, %v", tt.line, inst, class, value, ok)
		}
	}
	for in, want := range map[string]byte{"h": 'h', "[0D]": '\r', "41": 'A', "\"41\" \"41\"": 'A', "0x0a": '\n'} {
		if got, ok := sigrokValue(in); !ok || got != want {
			t.Errorf("sigrokValue(%q) = %q, %v", in, got, ok)
		}
	}
}

func TestModemManagerLine(t *testing.T) {
	tests := []struct {
		line string
		dir  Dir
		body string
		ok   bool
	}{
		{`modem-manager[4580]: <debug> [mm-at-serial-port.c:298] debug_log(): (ttyACM0): --> 'AT+CREG?<CR>'`, DirToModule, `AT+CREG?<CR>'`, true},
		{`<dbg> [wwan0at1/at] <-- '<CR><LF>+CEREG: 2,6<CR><LF><CR><LF>OK<CR><LF>'`, DirFromModule, `<CR><LF>+CEREG: 2,6<CR><LF><CR><LF>OK<CR><LF>'`, true},
		{`ModemManager[1]: <info> [modem0] state changed (registered -> connecting)`, 0, "", false},
		{`someone wrote --> 'this' in prose`, 0, "", false},
	}
	for _, tt := range tests {
		dir, start, ok := mmTraffic([]byte(tt.line))
		body := ""
		if ok {
			body = tt.line[start:]
		}
		if ok != tt.ok || dir != tt.dir || body != tt.body {
			t.Errorf("mmTraffic(%q) = %v, %q, %v", tt.line, dir, body, ok)
		}
	}
	if got := string(mmUnescape(nil, []byte(`<CR><LF>+CMQTT: 1\26\255<X>\`))); got != "\r\n+CMQTT: 1\x1a\xff<X>\\" {
		t.Errorf("mmUnescape = %q", got)
	}
	stamps := []struct{ line, want string }{
		{`modem-manager[1798]: <debug> [1339849572.154128] [mm-at-serial-port.c:298] x`, "2012-06-16T12:26:12.154128Z"},
		{`Oct 27 12:53:05 laptop modem-manager[4580]: <debug> x`, "0000-10-27T12:53:05Z"},
		{`2024-05-14T10:23:45.5 pi ModemManager[612]: <dbg> x`, "2024-05-14T10:23:45.5Z"},
		{`<dbg> x`, ""},
	}
	for _, tt := range stamps {
		st := mmStamp([]byte(tt.line), Options{})
		got := ""
		if !st.Time.IsZero() {
			got = st.Time.Format(time.RFC3339Nano)
		}
		if got != tt.want {
			t.Errorf("mmStamp(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestOfonoLine(t *testing.T) {
	dir, start, ok := ofonoTraffic([]byte(`ofonod[12922]: Voice: > U0000AT+FOO\r`))
	if !ok || dir != DirToModule || start != len("ofonod[12922]: Voice: > ") {
		t.Errorf("ofonoTraffic = %v, %d, %v", dir, start, ok)
	}
	if _, _, ok := ofonoTraffic([]byte(`ofonod[12922]: src/gprs.c:gprs_attach() attach: 1`)); ok {
		t.Error("a debug line taken for traffic")
	}
	for in, want := range map[string]string{
		`\r\n+CMGS: 12\r\n`:   "\r\n+CMGS: 12\r\n",
		`hello<CtrlZ>`:        "hello\x1a",
		`AT+CMER=3D3,0,0,1\r`: "AT+CMER=3,0,0,1\r",
		`\033[0m\t`:           "\x1b[0m\t",
		`a\b`:                 `a\b`,
	} {
		if got := string(ofonoUnescape(nil, []byte(in))); got != want {
			t.Errorf("ofonoUnescape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestZephyrLine(t *testing.T) {
	if d, ok := zephyrUptime([]byte("[00:00:04.050,000] <dbg>")); !ok || d != 4050*time.Millisecond {
		t.Errorf("uptime = %v, %v", d, ok)
	}
	if d, ok := zephyrUptime([]byte("[123:59:59.999,999] x")); !ok || d != 124*time.Hour-time.Microsecond {
		t.Errorf("long uptime = %v, %v", d, ok)
	}
	for in, want := range map[string]string{
		"+CSQ:  99 99":                        "+CSQ: 99,99",
		"+CSQ: 99 99":                         "+CSQ: 99,99",
		`+COPS:  0 0 "Vodafone DE" 7`:         `+COPS: 0,0,"Vodafone DE",7`,
		"+CME ERROR:  10":                     "+CME ERROR: 10",
		"+QMTOPEN: 0,0":                       "+QMTOPEN: 0,0",
		"OK":                                  "OK",
		`AT+QMTOPEN=0,"broker.hivemq.com",18`: `AT+QMTOPEN=0,"broker.hivemq.com",18`,
	} {
		if got := string(rejoinChatArgs([]byte(in))); got != want {
			t.Errorf("rejoinChatArgs(%q) = %q, want %q", in, got, want)
		}
	}
	fn, msg, ok := zephyrMessage([]byte("[00:00:04.050,000] <dbg> modem_chat: modem_chat_script_next: sending: AT+CSQ"))
	if !ok || string(fn) != "modem_chat_script_next" || string(msg) != "sending: AT+CSQ" {
		t.Errorf("zephyrMessage = %q, %q, %v", fn, msg, ok)
	}
}

func TestMbedLine(t *testing.T) {
	tests := []struct {
		line  string
		dir   Dir
		count int
		body  string
		ok    bool
	}{
		{"[00042148][INFO][CELL]: AT TX ( 9): AT+COPS=2", DirToModule, 9, "AT+COPS=2", true},
		{"[DBG ][CELL]: AT RX ( 6): <cr><ln>OK<cr><ln>", DirFromModule, 6, "<cr><ln>OK<cr><ln>", true},
		{"[DBG ][CELL]: AT RX (123): x", DirFromModule, 123, "x", true},
		{"[DBG ][CELL]: AT cmd +COPS (err 0)", 0, 0, "", false},
	}
	for _, tt := range tests {
		dir, count, start, ok := mbedTraffic([]byte(tt.line))
		body := ""
		if ok {
			body = tt.line[start:]
		}
		if ok != tt.ok || dir != tt.dir || count != tt.count || body != tt.body {
			t.Errorf("mbedTraffic(%q) = %v, %d, %q, %v", tt.line, dir, count, body, ok)
		}
	}
	if got := string(mbedUnescape(nil, []byte("<cr><ln>> <1A><c"))); got != "\r\n> \x1a<c" {
		t.Errorf("mbedUnescape = %q", got)
	}
}

func TestNameDir(t *testing.T) {
	for name, want := range map[string]Dir{
		"TX": DirToModule, "RX": DirFromModule, "Async Serial [TX]": DirToModule, "MCU_RX": DirFromModule,
		"host": DirToModule, "modem": DirFromModule, "Modem TX": DirFromModule, "modem rx": DirToModule,
		"Async Serial": DirUnknown, "/dev/ttyUSB0": DirUnknown, "uart tx/rx": DirUnknown,
	} {
		if got := nameDir(name); got != want {
			t.Errorf("nameDir(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestChannelDirs(t *testing.T) {
	tests := []struct {
		opt   Options
		names []string
		want  []Dir
	}{
		{Options{}, []string{"a", "b", "c"}, []Dir{DirToModule, DirFromModule, DirUnknown}},
		{Options{}, []string{"RX", "TX"}, []Dir{DirFromModule, DirToModule}},
		{Options{}, []string{"uart-1 rx", "uart-2 rx"}, []Dir{DirFromModule, DirToModule}},
		{Options{SwapDirections: true}, []string{"a", "b"}, []Dir{DirFromModule, DirToModule}},
		{Options{TxChannel: "ttyUSB1"}, []string{"/dev/ttyUSB0", "/dev/ttyUSB1"}, []Dir{DirFromModule, DirToModule}},
		{Options{RxChannel: "uart-1", SwapDirections: true}, []string{"uart-1", "uart-2"}, []Dir{DirFromModule, DirToModule}},
		{Options{TxChannel: "a", RxChannel: "b"}, []string{"c", "b", "a"}, []Dir{DirUnknown, DirFromModule, DirToModule}},
	}
	for _, tt := range tests {
		c := channelDirs{opt: tt.opt}
		var got []Dir
		for _, n := range tt.names {
			got = append(got, c.dir(n))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%+v %q: %v, want %v", tt.opt, tt.names, got, tt.want)
		}
	}
}

// readAll reads a capture with options and returns its chunks.
func readAll(t *testing.T, f Format, path string, opt Options) []Chunk {
	t.Helper()
	in, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cr := f.Open(bytes.NewReader(in), path, opt)
	var cs []Chunk
	for cr.Next() {
		c := cr.Chunk()
		c.Data = bytes.Clone(c.Data)
		cs = append(cs, c)
	}
	if err := cr.Err(); err != nil {
		t.Fatal(err)
	}
	return cs
}

func firstData(cs []Chunk) Chunk {
	for _, c := range cs {
		if !c.Note {
			return c
		}
	}
	return Chunk{}
}

func TestCaptureOptions(t *testing.T) {
	socat := "testdata/formats/socat/bg96_mqtt_v.log"
	if c := firstData(readAll(t, socatFormat, socat, Options{SwapDirections: true})); c.Dir != DirFromModule {
		t.Errorf("socat with SwapDirections: first block is %v", c.Dir)
	}
	logic2 := "testdata/formats/saleae/bg96_mqtt_logic2.csv"
	if c := firstData(readAll(t, saleaeFormat, logic2, Options{RxChannel: "tx"})); c.Dir != DirFromModule {
		t.Errorf("saleae with RxChannel tx: first byte is %v", c.Dir)
	}
	start := time.Date(2024, 5, 14, 8, 23, 45, 0, time.UTC)
	if c := firstData(readAll(t, saleaeFormat, logic2, Options{Start: start})); !c.Time.Equal(start) {
		t.Errorf("saleae with Start: first byte at %v", c.Time)
	}
	if c := firstData(readAll(t, saleaeFormat, logic2, Options{})); c.Time.Format(time.RFC3339Nano) != "0000-01-01T00:00:00Z" || c.TimeSrc != TimeLog {
		t.Errorf("saleae without Start: first byte at %v (%v)", c.Time, c.TimeSrc)
	}
	jp := "testdata/formats/jpnevulator/bg96_mqtt_two_ttys.log"
	if c := firstData(readAll(t, jpnevulatorFormat, jp, Options{TxChannel: "ttyUSB1"})); c.Dir != DirFromModule {
		t.Errorf("jpnevulator with TxChannel ttyUSB1: first bytes are %v", c.Dir)
	}
	logic1 := "testdata/formats/saleae/bg96_logic1_uart_tx.csv"
	if c := firstData(readAll(t, saleaeFormat, logic1, Options{RxChannel: "uart_tx"})); c.Dir != DirFromModule {
		t.Errorf("Logic 1 file named by RxChannel: %v", c.Dir)
	}
}

func TestUSBEndpointOption(t *testing.T) {
	path := "testdata/formats/usb/bg96_mqtt_usbmon.pcapng"
	// The NMEA port's IN endpoint 0x83, with the best OUT endpoint of the
	// same device, which is the AT port's 0x03.
	cs := readAll(t, usbFormat, path, Options{UsbEndpoint: 0x83})
	var in strings.Builder
	for _, c := range cs {
		if !c.Note && c.Dir == DirFromModule {
			in.Write(c.Data)
		}
	}
	if !strings.HasPrefix(in.String(), "$GPGGA") || strings.Contains(in.String(), "OK") {
		t.Errorf("endpoint 0x83 gives %q", in.String())
	}
	cs = readAll(t, usbFormat, path, Options{UsbEndpoint: 0x03})
	if c := firstData(cs); c.Dir != DirToModule || !bytes.HasPrefix(c.Data, []byte("AT+QMTCFG")) {
		t.Errorf("endpoint 0x03: first chunk %v %q", c.Dir, c.Data)
	}
	if !strings.Contains(string(cs[0].Data), "by --usb-endpoint 0x03") || !strings.Contains(string(cs[0].Data), "IN 0x85") {
		t.Errorf("note: %q", cs[0].Data)
	}
}

// TestUSBNotACapture checks the error of a file that is no USB capture. It
// does not name the file (the caller does, as for any reader's error).
func TestUSBNotACapture(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "not a pcap or pcapng capture: EOF"},
		{"text", []byte("AT+CSQ\r\n+CSQ: 23,99\r\n\r\nOK\r\n"), "not a pcap or pcapng capture: "},
		{"ethernet pcap", ethernetPcap(t), "not a USB capture: link type Ethernet (1); want usbmon"},
		{"ethernet pcapng", ethernetPcapng(t), "not a USB capture: link type Ethernet (1); want usbmon"},
	} {
		cr := usbFormat.Open(bytes.NewReader(c.in), "x.pcap", Options{})
		for cr.Next() {
			t.Errorf("%s: chunk %q", c.name, cr.Chunk().Data)
		}
		if err := cr.Err(); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

func TestUSBTruncated(t *testing.T) {
	full, err := os.ReadFile("testdata/formats/usb/bg96_mqtt_usbmon.pcapng")
	if err != nil {
		t.Fatal(err)
	}
	cr := usbFormat.Open(bytes.NewReader(full[:len(full)-40]), "cut.pcapng", Options{})
	var notes []string
	data := 0
	for cr.Next() {
		if c := cr.Chunk(); c.Note {
			notes = append(notes, string(c.Data))
		} else {
			data++
		}
	}
	if cr.Err() != nil || data < 20 || !strings.Contains(strings.Join(notes, "\n"), "cut short") {
		t.Errorf("truncated capture: %d data chunks, err %v, notes:\n%s", data, cr.Err(), strings.Join(notes, "\n"))
	}
}

func ethernetPcap(t *testing.T) []byte {
	b := encodeUSBPcap(t, bg96Session[:1])
	b[20] = 1 // LINKTYPE_ETHERNET
	return b
}

// ethernetPcapng is a pcapng capture of one Ethernet frame.
func ethernetPcapng(t *testing.T) []byte {
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]byte, 60)
	if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: captureStart, CaptureLength: len(frame), Length: len(frame)}, frame); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzCaptureReaders checks that no capture reader panics or returns empty
// chunks on any input, and that reading one byte at a time gives the same
// chunks.
func FuzzCaptureReaders(f *testing.F) {
	paths, _ := filepath.Glob("testdata/formats/*/*")
	for _, p := range paths {
		if strings.HasSuffix(p, ".chunks") {
			continue
		}
		if b, err := os.ReadFile(p); err == nil && len(b) < 8<<10 {
			f.Add(b)
		}
	}
	f.Add([]byte("> 2024/05/14 10:23:45.123456  length=99999 from=0 to=9\nAT\\"))
	f.Add([]byte("name,type,start_time,duration,data\n\"TX\",\"data\",nan,1,\"\\x\"\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, format := range captureFormats {
			whole := dumpCapture(t, format, bytes.NewReader(in))
			bytewise := dumpCapture(t, format, iotest.OneByteReader(bytes.NewReader(in)))
			if whole != bytewise {
				t.Fatalf("%s: reading one byte at a time gives other chunks:\n%s\nwant:\n%s", format.Name, bytewise, whole)
			}
		}
	})
}

func dumpCapture(t *testing.T, f Format, r interface{ Read([]byte) (int, error) }) string {
	cr := &mergedChunks{cr: f.Open(r, "fuzz", Options{})}
	var b strings.Builder
	for n := 0; cr.Next(); n++ {
		c := cr.Chunk()
		if len(c.Data) == 0 {
			t.Fatalf("%s: empty chunk", f.Name)
		}
		fmt.Fprintf(&b, "%v %v %v %v %q\n", c.Pos, c.Dir, c.Note, c.Time, c.Data)
	}
	if err := cr.Err(); err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
	}
	return b.String()
}
