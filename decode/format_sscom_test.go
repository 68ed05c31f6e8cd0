package decode

import (
	"strings"
	"testing"
	"time"
)

func TestSSCOMPrefix(t *testing.T) {
	gbk := func(s string) string { // the markers as SSCOM writes them in code page 936
		s = strings.ReplaceAll(s, "发→◇", string(sscomSendGBK))
		return strings.ReplaceAll(s, "收←◆", string(sscomRecvGBK))
	}
	tests := []struct {
		line  string
		start int
		dir   Dir
		time  string // "" when the line has no time
		gbk   bool
		ok    bool
	}{
		{"[00:15:17.475]发→◇AT+CWMODE=1", 23, DirToModule, "00:15:17.475", false, true},
		{"[00:15:17.484]收←◆", 23, DirFromModule, "00:15:17.484", false, true},
		{"[00:18:01.387]收←◆0,CONNECT", 23, DirFromModule, "00:18:01.387", false, true},
		{gbk("[00:15:17.475]发→◇AT"), 20, DirToModule, "00:15:17.475", true, true},
		{gbk("[00:15:17.484]收←◆"), 20, DirFromModule, "00:15:17.484", true, true},
		{"发→◇AT+QCCID□", 9, DirToModule, "", false, true},
		{gbk("收←◆"), 6, DirFromModule, "", true, true},
		{"[9:05:01.002]收←◆OK", 22, DirFromModule, "09:05:01.002", false, true},
		{"[2023-05-01 10:00:00.123]发→◇AT", 34, DirToModule, "10:00:00.123", false, true},
		{"[ACore] sle enable cbk in, result:0", 0, 0, "", false, false},
		{"[00:15:17.475]", 0, 0, "", false, false},
		{"[00:15:17.475] 发→◇AT", 0, 0, "", false, false},
		{"[00:15:17.475发→◇AT", 0, 0, "", false, false},
		{"OK", 0, 0, "", false, false},
		{"收←AT", 0, 0, "", false, false},
		{"", 0, 0, "", false, false},
	}
	for _, tt := range tests {
		start, dir, st, gbk, ok := sscomPrefix([]byte(tt.line), Options{})
		if ok != tt.ok || start != tt.start || dir != tt.dir || gbk != tt.gbk {
			t.Errorf("sscomPrefix(%q) = %d, %v, gbk %v, %v; want %d, %v, gbk %v, %v",
				tt.line, start, dir, gbk, ok, tt.start, tt.dir, tt.gbk, tt.ok)
			continue
		}
		if got := st.Time.Format("15:04:05.000"); tt.time != "" && got != tt.time || tt.time == "" && !st.Time.IsZero() {
			t.Errorf("sscomPrefix(%q) time = %v, want %q", tt.line, st.Time, tt.time)
		}
	}
}

// TestSSCOMDate checks that --date dates SSCOM's times of day.
func TestSSCOMDate(t *testing.T) {
	day := time.Date(2024, 5, 30, 0, 0, 0, 0, time.UTC)
	cr := sscomFormat.Open(strings.NewReader("[00:15:17.475]发→◇AT\r\n□\r\n"), "x.log", Options{Date: day})
	for cr.Next() {
		if c := cr.Chunk(); c.Time != time.Date(2024, 5, 30, 0, 15, 17, 475e6, time.UTC) || c.TimeSrc != TimeLog {
			t.Errorf("chunk %q at %v (%v), want 2024-05-30 00:15:17.475", c.Data, c.Time, c.TimeSrc)
		}
	}
}

// TestSSCOMEdges covers what the golden logs do not: the CR LF mark of a
// send at the end of the file, a "□" inside received data, a send of
// several lines, a send without "add CR LF", and an over-long line.
func TestSSCOMEdges(t *testing.T) {
	long := strings.Repeat("A", maxLine+10)
	tests := []struct{ name, in, want string }{
		{"mark at EOF", "发→◇AT\n□", "" +
			"1:9\tto_module\t-\tdata\t\"AT\"\n" +
			"2:12\tto_module\t-\tdata*\t\"\\r\\n\"\n"},
		{"mark in received data", "收←◆\n□\n", "" +
			"1:9\tfrom_module\t-\tdata\t\"\\n\"\n" +
			"2:10\tfrom_module\t-\tdata\t\"□\\n\"\n"},
		{"multi-line send", "[01:02:03.004]发→◇AT\r\nAT\r\n□\r\n[01:02:03.010]收←◆OK\r\n", "" +
			"1:23\tto_module\t0000-01-01T01:02:03.004000Z\tdata\t\"AT\\r\\n\"\n" +
			"2:27\tto_module\t0000-01-01T01:02:03.004000Z\tdata\t\"AT\"\n" +
			"3:31\tto_module\t0000-01-01T01:02:03.004000Z\tdata*\t\"\\r\\n\"\n" +
			"4:59\tfrom_module\t0000-01-01T01:02:03.010000Z\tdata\t\"OK\\r\\n\"\n"},
		{"send without CR LF", "发→◇hello\n收←◆OK\n", "" +
			"1:9\tto_module\t-\tdata\t\"hello\\n\"\n" +
			"2:24\tfrom_module\t-\tdata\t\"OK\\n\"\n"},
		{"over-long send", "发→◇" + long + "\n□\n", "" +
			"1:9\tto_module\t-\tdata\t\"" + long[:maxLine-9] + "\"\n" +
			"1:65536\tto_module\t-\tdata\t\"" + long[maxLine-9:] + "\"\n" +
			"2:65556\tto_module\t-\tdata*\t\"\\r\\n\"\n"},
	}
	for _, tt := range tests {
		got := dumpChunks(t, sscomFormat.Open(strings.NewReader(tt.in), "x.log", Options{}))
		if got != tt.want {
			if len(got) > 1000 {
				got = got[:500] + "..." + got[len(got)-500:]
			}
			t.Errorf("%s:\n got: %s\nwant: %s", tt.name, got, tt.want)
		}
	}
}
