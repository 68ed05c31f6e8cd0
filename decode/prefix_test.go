package decode

import (
	"testing"
	"time"
)

func TestParseTimePrefix(t *testing.T) {
	day := time.Date(2024, 5, 30, 0, 0, 0, 0, time.UTC)
	tod := func(h, m, s, ms int) time.Time { return time.Date(0, 1, 1, h, m, s, ms*1e6, time.UTC) }
	at := func(h, m, s, ms int, loc *time.Location) time.Time {
		return time.Date(2024, 5, 30, h, m, s, ms*1e6, loc)
	}
	for _, tt := range []struct {
		in      string
		opt     Options
		n       int // 0: must not match
		want    time.Time
		hasDate bool
	}{
		// Bracketed time of day (terminal programs' "show time").
		{in: "[14:17:35.895] AT", n: 15, want: tod(14, 17, 35, 895)},
		{in: "[14:17:35.895]AT", n: 14, want: tod(14, 17, 35, 895)},
		{in: "[14:17:35.895]  OK", n: 15, want: tod(14, 17, 35, 895)}, // one blank only
		{in: "[14:17:35.895]\r\n", n: 14, want: tod(14, 17, 35, 895)},
		{in: "[9:05:01.002] OK", n: 14, want: tod(9, 5, 1, 2)},
		{in: "[14:17:35] OK", n: 11, want: tod(14, 17, 35, 0)},
		{in: "[14:17:35.895] AT", opt: Options{Date: day}, n: 15, want: at(14, 17, 35, 895, time.UTC), hasDate: true},
		// Bracketed date-time.
		{in: "[2024-05-30 09:23:10.053] AT", n: 26, want: at(9, 23, 10, 53, time.UTC), hasDate: true},
		{in: "[2024-05-30 09:23:10:053] AT", n: 26, want: at(9, 23, 10, 53, time.UTC), hasDate: true},
		{in: "[2024-05-30T09:23:10.053+08:00] «", n: 32, want: at(9, 23, 10, 53, time.FixedZone("", 8*3600)), hasDate: true},
		// Arduino serial monitor: "->" is the separator.
		{in: "18:13:18.620 -> AT", n: 16, want: tod(18, 13, 18, 620)},
		{in: "18:13:18.620 -> \r\n", n: 16, want: tod(18, 13, 18, 620)},
		{in: "18:13:18.620 ->\r\n", n: 15, want: tod(18, 13, 18, 620)},
		{in: "18:13:18.620 -> --> AT", n: 16, want: tod(18, 13, 18, 620)},
		// Python logging, ISO 8601, unset module clock.
		{in: "2024-05-30 09:23:10,053 TX: AT", n: 24, want: at(9, 23, 10, 53, time.UTC), hasDate: true},
		{in: "2024-05-30 09:23:10.053\n", n: 23, want: at(9, 23, 10, 53, time.UTC), hasDate: true},
		{in: "2024-05-30 09:23:10.053", n: 23, want: at(9, 23, 10, 53, time.UTC), hasDate: true},
		{in: "2024-05-30T09:23:10.053Z AT", n: 25, want: at(9, 23, 10, 53, time.UTC), hasDate: true},
		{in: "2024-05-30T09:23:10.053+08:00 AT", n: 30, want: at(9, 23, 10, 53, time.FixedZone("", 8*3600)), hasDate: true},
		{in: "2024-05-30T09:23:10.053-03:30\tAT", n: 30, want: at(9, 23, 10, 53, time.FixedZone("", -(3*3600+30*60))), hasDate: true},
		{in: "0000/01/01 00:13:43.600: AT", n: 25, want: time.Date(0, 1, 1, 0, 13, 43, 600e6, time.UTC), hasDate: true},
		// SSCOM's stamp is syntactically a stamp; its sniffer and marks
		// keep the file from this package's generic readers.
		{in: "[00:15:17.475]发→◇AT", n: 14, want: tod(0, 15, 17, 475)},

		// Must not match.
		{in: "[2019-01-31 02:58:52:462_S:] AT"},                      // QCOM
		{in: "[2019-01-31 02:58:52:462_R:]"},                         // QCOM
		{in: "[00:00:04.050,000] <dbg> modem_chat: sending: AT+CSQ"}, // Zephyr
		{in: "2019-06-26 14:05:09:055[Send->]AT"},                    // send/recv tools
		{in: "2019-06-26 14:05:09:055AT"},
		{in: "18:13:18.620 AT"},
		{in: "18:13:18.620 ->AT"},
		{in: "18:13:18.620"},
		{in: "[14:17:35.895"},
		{in: "[14:17] AT"},
		{in: "[25:00:00.000] AT"},
		{in: "[12:61:00.000] AT"},
		{in: "2024-13-01 00:00:00 AT"},
		{in: "[12345] ### Network connected"},
		{in: "[APP] sending"},
		{in: "AT+CCLK?"},
		{in: `+CCLK: "24/05/30,09:23:10+32"`},
		{in: "1234567890 OK"},
		{in: ""},
		{in: "["},
	} {
		st, n, ok := parseTimePrefix([]byte(tt.in), tt.opt)
		if tt.n == 0 {
			if ok {
				t.Errorf("parseTimePrefix(%q) = %v, %d, want no match", tt.in, st.Time, n)
			}
			continue
		}
		// Formatting compares the zone offset too.
		got, want := st.Time.Format(time.RFC3339Nano), tt.want.Format(time.RFC3339Nano)
		if !ok || n != tt.n || got != want || st.HasDate != tt.hasDate {
			t.Errorf("parseTimePrefix(%q) = %s (date %v), %d, %v; want %s (date %v), %d",
				tt.in, got, st.HasDate, n, ok, want, tt.hasDate, tt.n)
		}
	}
}

func TestParseDirMark(t *testing.T) {
	for _, tt := range []struct {
		in  string
		dir Dir // DirUnknown: must not match
		n   int
	}{
		{"--> AT+QMTCONN=0,\"dev\"", DirToModule, 4},
		{"-->AT", DirToModule, 3},
		{"<-- OK", DirFromModule, 4},
		{"<--\r\n", DirFromModule, 3},
		{"\t---> AT+CIPSTATUS", DirToModule, 6}, // Adafruit FONA
		{"\t<--- ERROR", DirFromModule, 6},
		{"  --> AT", DirToModule, 6},
		{">> AT", DirToModule, 3},
		{"<< OK", DirFromModule, 3},
		{"<<", DirFromModule, 2},
		{"» AT", DirToModule, 3},
		{"« OK", DirFromModule, 3},
		{"TX: AT", DirToModule, 4},
		{"TX:AT", DirToModule, 3},
		{"RX: OK", DirFromModule, 4},
		{"Tx: AT", DirToModule, 4},
		{"rx: OK", DirFromModule, 4},
		{"TX AT", DirToModule, 3},
		{"RX OK", DirFromModule, 3},
		{"[TX] AT", DirToModule, 5},
		{"[RX] OK", DirFromModule, 5},
		{"[rx]OK", DirFromModule, 4},
		{"Send: AT", DirToModule, 6},
		{"SEND: AT", DirToModule, 6},
		{"Sent: AT", DirToModule, 6},
		{"Recv: OK", DirFromModule, 6},
		{"RECV: OK", DirFromModule, 6},
		{"Received: OK", DirFromModule, 10},
		{"Receive: OK", DirFromModule, 9},
		{"Send:  AT", DirToModule, 6}, // one blank only

		// Must not match: prompts, AT results, words, separators.
		{">", DirUnknown, 0},
		{"> ", DirUnknown, 0},
		{"> {\"temp\":21.5}", DirUnknown, 0},
		{">>> x", DirUnknown, 0},
		{"<<< x", DirUnknown, 0},
		{"->", DirUnknown, 0},
		{"<- x", DirUnknown, 0},
		{"- item", DirUnknown, 0},
		{"---", DirUnknown, 0},
		{"SEND OK", DirUnknown, 0},
		{"SEND FAIL", DirUnknown, 0},
		{"Recv 5 bytes", DirUnknown, 0},
		{"RECV FROM:192.0.2.1:80", DirUnknown, 0},
		{"Sending: x", DirUnknown, 0},
		{"tx AT", DirUnknown, 0},
		{"TXT", DirUnknown, 0},
		{"RXD:1", DirUnknown, 0},
		{"TX", DirUnknown, 0},
		{"[TXD] x", DirUnknown, 0},
		{"AT+CPIN?", DirUnknown, 0},
		{"OK", DirUnknown, 0},
		{"+QMTRECV: 0,1,\"t\",\"<-- x\"", DirUnknown, 0},
		{"\u00a0x", DirUnknown, 0},
		{"", DirUnknown, 0},
		{"  ", DirUnknown, 0},
	} {
		d, n, ok := parseDirMark([]byte(tt.in))
		if tt.dir == DirUnknown {
			if ok {
				t.Errorf("parseDirMark(%q) = %v, %d, want no match", tt.in, d, n)
			}
			continue
		}
		if !ok || d != tt.dir || n != tt.n {
			t.Errorf("parseDirMark(%q) = %v, %d, %v; want %v, %d", tt.in, d, n, ok, tt.dir, tt.n)
		}
	}
}

func TestParseLevelDirMark(t *testing.T) {
	for _, tt := range []struct {
		in  string
		dir Dir // DirUnknown: must not match
		n   int
	}{
		{"TX: AT", DirToModule, 4}, // a plain mark
		{"DEBUG TX: AT", DirToModule, 10},
		{"INFO RX: OK", DirFromModule, 9},
		{"[INFO] --> AT", DirToModule, 11},
		{"WARNING: RX: +CME ERROR: 10", DirFromModule, 13},
		{"information <-- OK", DirFromModule, 16},
		{"ERROR RX: ERROR", DirFromModule, 10},

		{"ERROR", DirUnknown, 0}, // a module result, not a level
		{"ERROR: 10", DirUnknown, 0},
		{"DEBUG: publish queue 1", DirUnknown, 0},
		{"INFO > 1", DirUnknown, 0},
		{"DEBUGTX: AT", DirUnknown, 0},
		{"[INFO --> AT", DirUnknown, 0},
	} {
		d, n, ok := parseLevelDirMark([]byte(tt.in))
		if tt.dir == DirUnknown {
			if ok {
				t.Errorf("parseLevelDirMark(%q) = %v, %d, want no match", tt.in, d, n)
			}
			continue
		}
		if !ok || d != tt.dir || n != tt.n {
			t.Errorf("parseLevelDirMark(%q) = %v, %d, %v; want %v, %d", tt.in, d, n, ok, tt.dir, tt.n)
		}
	}
}

// The prefix parsers run on every line of logs of hundreds of megabytes.
func TestPrefixParsersDoNotAllocate(t *testing.T) {
	lines := [][]byte{
		[]byte("[2024-05-30 09:23:10.053] --> AT+QMTOPEN=0,\"broker.example.com\",1883\r\n"),
		[]byte("18:13:18.620 -> Received: OK\r\n"),
		[]byte("2024-05-30T09:23:10.053+08:00 [RX] +QMTOPEN: 0,0\n"),
		[]byte("+QMTRECV: 0,1,\"t\",\"x\"\n"),
		[]byte("2024-05-30 09:23:10,053 WARNING RX: +CME ERROR: 10\n"),
	}
	allocs := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			_, n, _ := parseTimePrefix(l, Options{})
			parseDirMark(l[n:])
			parseLevelDirMark(l[n:])
		}
	})
	if allocs != 0 {
		t.Errorf("parseTimePrefix and parseDirMark allocate %v times per run", allocs)
	}
}
