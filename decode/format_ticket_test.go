package decode

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// chunkSummary renders chunks as `data "..."`, `data* "..."` (edited, not
// verbatim) or `note "..."`, one per chunk.
func chunkSummary(cr ChunkReader) []string {
	var out []string
	for cr.Next() {
		c := cr.Chunk()
		kind := "data"
		if c.Note {
			kind = "note"
		}
		if !c.Verbatim {
			kind += "*"
		}
		out = append(out, fmt.Sprintf("%s %q", kind, c.Data))
	}
	return out
}

func TestTicketLines(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want []string
	}{
		{
			name: "prose before the log is a note, plain lines after a command are data",
			in:   "My BG96 hangs:\nAT+QMTCONN?\nQuectel\n",
			want: []string{`note "My BG96 hangs:\n"`, `data "AT+QMTCONN?\n"`, `data "Quectel\n"`},
		},
		{
			name: "Nordic # in AT syntax is not an annotation",
			in:   "AT#XMQTTCON=1,\"\",\"\",\"mqtt.example.com\",1883\n#XMQTTEVT: 0,0\n",
			want: []string{`data "AT#XMQTTCON=1,\"\",\"\",\"mqtt.example.com\",1883\n"`, `data "#XMQTTEVT: 0,0\n"`},
		},
		{
			name: "# after a blank is an annotation, but not in +CME ERROR texts",
			in:   "AT+CPIN? # SIM\n+CME ERROR: invalid # of args\n",
			want: []string{`data* "AT+CPIN?\n"`, `note "# SIM"`, `data "+CME ERROR: invalid # of args\n"`},
		},
		{
			name: "// inside quotes or after a colon is a URL",
			in:   "AT+CMQTTCONNECT=0,\"tcp://h.example.com:1883\",60,1 // go\r\nAT+HTTPPARA=\"URL\",http://h.example.com/x\r\n",
			want: []string{`data* "AT+CMQTTCONNECT=0,\"tcp://h.example.com:1883\",60,1\r\n"`, `note "// go"`, `data "AT+HTTPPARA=\"URL\",http://h.example.com/x\r\n"`},
		},
		{
			name: "<-- and ← after a blank are annotations",
			in:   "OK   <-- here\n+QMTSTAT: 0,1 ← drop\n",
			want: []string{`data* "OK\n"`, `note "<-- here"`, `data* "+QMTSTAT: 0,1\n"`, `note "← drop"`},
		},
		{
			name: "curly quotes are straightened",
			in:   "AT+QMTCONN=0,“dev”,‘u’\n",
			want: []string{`data* "AT+QMTCONN=0,\"dev\",'u'\n"`},
		},
		{
			name: "curly quotes protect an annotation mark",
			in:   "AT+QMTPUB=0,0,0,0,“a // b”\n",
			want: []string{`data* "AT+QMTPUB=0,0,0,0,\"a // b\"\n"`},
		},
		{
			name: "a prompt in a file that is not quoted stays a prompt",
			in:   "AT+QMTPUB=0,0,0,0,\"t\"\n> hello\nOK\n",
			want: []string{`data "AT+QMTPUB=0,0,0,0,\"t\"\n"`, `data "> hello\n"`, `data "OK\n"`},
		},
		{
			name: "list items and steps that are commands are data",
			in:   "1. AT+CPIN?\n+CPIN: READY\nStep 2: AT+CREG?\n- OK\n2. Check network\n",
			want: []string{`data "AT+CPIN?\n"`, `data "+CPIN: READY\n"`, `data "AT+CREG?\n"`, `data "OK\n"`, `note "2. Check network\n"`},
		},
		{
			name: "inline code spans",
			in:   "`AT+CPIN?`\n",
			want: []string{`data* "AT+CPIN?\n"`},
		},
		{
			name: "application debug prints are notes between module lines",
			in: "AT+CGATT?\nI (1234) app: waiting\n\x1b[0;32mI (1240) app: x\x1b[0m\n<dbg> modem: y\n[  1234][I][main.cpp:12] z\n" +
				"[12345] ### Network\nDEBUG: q\n+CGATT: 1\n",
			want: []string{`data "AT+CGATT?\n"`, `note "I (1234) app: waiting\n"`, `note "\x1b[0;32mI (1240) app: x\x1b[0m\n"`,
				`note "<dbg> modem: y\n"`, `note "[  1234][I][main.cpp:12] z\n"`, `note "[12345] ### Network\n"`, `note "DEBUG: q\n"`, `data "+CGATT: 1\n"`},
		},
		{
			name: "a JSON array payload is data",
			in:   "AT+QMTPUB=0,0,0,0,\"t\"\n>\n[1,2,3]\nOK\n",
			want: []string{`data "AT+QMTPUB=0,0,0,0,\"t\"\n"`, `data ">\n"`, `data "[1,2,3]\n"`, `data "OK\n"`},
		},
		{
			name: "elisions and separators",
			in:   "OK\n...\n[...]\n<snip>\n---\n=== MQTT ===\n+++\n",
			want: []string{`data "OK\n"`, `note "...\n"`, `note "[...]\n"`, `note "<snip>\n"`, `note "---\n"`, `note "=== MQTT ===\n"`, `data "+++\n"`},
		},
		{
			name: "quote-only line after a set command is the prompt",
			in:   "> AT+QMTPUB=0,0,0,0,\"t\"\n>\n> hi\n> OK\n>\n> +QMTPUB: 0,0,0\n",
			want: []string{`data "AT+QMTPUB=0,0,0,0,\"t\"\n"`, `data ">\n"`, `data "hi\n"`, `data "OK\n"`, `data "\n"`, `data "+QMTPUB: 0,0,0\n"`},
		},
		{
			name: ">> and << in one file are marks, not nested quotes",
			in:   ">> AT+CPIN? // SIM\n<< +CPIN: READY\n<< OK\n",
			want: []string{`data* "AT+CPIN?\n"`, `note "// SIM"`, `data "+CPIN: READY\n"`, `data "OK\n"`},
		},
		{
			name: "a line that is all prefix keeps its line",
			in:   "AT // x\n[14:17:35.895] ",
			want: []string{`data* "AT\n"`, `note "// x"`, `note "[14:17:35.895] "`},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := chunkSummary(ticketFormat.Open(strings.NewReader(tt.in), "t", Options{}))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// A ticket decodes as well as the clean log it was pasted from: its serial
// data is exactly the clean file (testdata/formats/ticket/<case>.clean).
func TestTicketMatchesClean(t *testing.T) {
	cleans, _ := filepath.Glob("testdata/formats/ticket/*.clean")
	if len(cleans) == 0 {
		t.Fatal("no .clean files")
	}
	for _, path := range cleans {
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in, err := os.ReadFile(strings.TrimSuffix(path, ".clean") + ".log")
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		cr := ticketFormat.Open(bytes.NewReader(in), path, Options{})
		for cr.Next() {
			if c := cr.Chunk(); !c.Note {
				got = append(got, c.Data...)
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: serial data differs from the clean log:\n%q\nwant:\n%q", path, got, want)
		}
	}
}
