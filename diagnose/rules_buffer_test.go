package diagnose

import (
	"strings"
	"testing"
)

// TestBufferStreaks: each overflow of one client's buffer is its own
// finding with its own lines, also when a read-out separates two of the
// same client (they were merged into one, with the first streak's lines
// lost), and two clients' buffers are counted apart.
func TestBufferStreaks(t *testing.T) {
	var b strings.Builder
	b.WriteString("AT+QMTCFG=\"recv/mode\",0,1\r\nOK\r\nAT+QMTOPEN=0,\"h\",1883\r\nOK\r\n+QMTOPEN: 0,0\r\n" +
		"AT+QMTCONN=0,\"d\"\r\nOK\r\n+QMTCONN: 0,0,0\r\nAT+QMTSUB=0,1,\"t\",1\r\nOK\r\n+QMTSUB: 0,1,0,1\r\n")
	streak := func(client string, n int) {
		for i := 0; i < n; i++ {
			b.WriteString("+QMTRECV: " + client + "," + string(rune('0'+i%5)) + "\r\n")
		}
	}
	streak("0", 6)
	b.WriteString("AT+QMTRECV=0\r\nOK\r\n")
	streak("0", 7)
	streak("1", 3) // under the 5 slots of client 1: nothing lost there
	fs, _, err := diagnoseReader(strings.NewReader(b.String()), "streaks.log", "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		if f.Rule == idBufferOverflow {
			got = append(got, f.Title)
		}
	}
	want := []string{
		"The Quectel receive buffer of client 0 overflowed: 6 messages waited, it keeps 5",
		"The Quectel receive buffer of client 0 overflowed: 7 messages waited, it keeps 5",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("buffer findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
