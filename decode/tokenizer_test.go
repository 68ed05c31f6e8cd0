package decode

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// tokenize reads in as the raw format through r's reads and returns the
// events. It bypasses Open, whose layers (gzip, UTF-16) would change the
// bytes the invariants compare.
func tokenize(t testing.TB, r io.Reader, hooks Hooks) []Event {
	t.Helper()
	tok := NewTokenizer(rawFormat.Open(r, "in.log", Options{}), hooks)
	var evs []Event
	for tok.Next() {
		evs = append(evs, tok.Event())
	}
	if err := tok.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}

// dumpEvents renders events one per line for golden files.
func dumpEvents(evs []Event) string {
	var b strings.Builder
	for _, e := range evs {
		dir := e.Dir.String()
		if e.DirInferred {
			dir += "?"
		}
		fmt.Fprintf(&b, "%d-%d\t%d\t%s\t%s\t%s\t%q", e.Pos.Line, e.EndLine, e.Pos.Offset, dir, e.Kind, e.Name, e.Raw)
		if e.Problem != "" {
			fmt.Fprintf(&b, "\t! %s", e.Problem)
		}
		if e.Kind == KindData && e.Text != strings.TrimRight(string(e.Raw), " \t\r\n") || e.Kind != KindData && strings.ContainsAny(e.Text, "\r\n") {
			fmt.Fprintf(&b, "\ttext=%q", e.Text)
		}
		if e.Length != LengthOK {
			fmt.Fprintf(&b, "\t[%s %d/%d]", e.Length, e.Have, e.Declared)
		}
		if e.AnswerTo != FormNone {
			fmt.Fprintf(&b, "\t[answers %s]", e.AnswerTo)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// checkInvariants verifies that events tile the input: their raw bytes
// rebuild it and their offsets follow each other.
func checkInvariants(t testing.TB, in []byte, evs []Event) {
	t.Helper()
	var all []byte
	for i, e := range evs {
		if len(e.Raw) == 0 {
			t.Fatalf("event %d has no bytes: %+v", i, e)
		}
		if e.Pos.Offset != int64(len(all)) {
			t.Fatalf("event %d starts at offset %d, want %d", i, e.Pos.Offset, len(all))
		}
		if want := 1 + bytes.Count(in[:len(all)], []byte{'\n'}); e.Pos.Line != want {
			t.Fatalf("event %d is on line %d, want %d", i, e.Pos.Line, want)
		}
		if e.Seq != i {
			t.Fatalf("event %d has Seq %d", i, e.Seq)
		}
		all = append(all, e.Raw...)
	}
	if !bytes.Equal(all, in) {
		t.Fatalf("events rebuild %q, want %q", all, in)
	}
}

func TestTokenizeGolden(t *testing.T) {
	logs, _ := filepath.Glob("testdata/tokenize/*.log")
	if len(logs) == 0 {
		t.Fatal("no test logs")
	}
	for _, path := range logs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			evs := tokenize(t, bytes.NewReader(in), testHooks{})
			checkInvariants(t, in, evs)
			golden(t, strings.TrimSuffix(path, ".log")+".events", dumpEvents(evs))
			if got := dumpEvents(tokenize(t, iotest.OneByteReader(bytes.NewReader(in)), testHooks{})); got != dumpEvents(evs) {
				t.Errorf("one byte at a time gives other events:\n%s", got)
			}
		})
	}
}

// testHooks is a small vendor vocabulary for the tokenizer's own tests,
// shaped like the dialect package's (which decode may not import).
type testHooks struct{}

func (testHooks) Payload(cmd *Event) Framing {
	switch cmd.Name {
	case "+QMTPUBEX", "+CMQTTTOPIC":
		return countArg(cmd.Args)
	case "+QMTPUB":
		if n := strings.Count(cmd.Args, ","); n >= 5 {
			return countArg(cmd.Args)
		}
		return Framing{Kind: FrameCtrlZ}
	case "+CPIN", "+QMTOPEN", "+QMTCONN", "+QMTSUB":
		return Framing{Kind: FrameNone}
	case "+CIPSEND":
		return countArg(cmd.Args)
	}
	return Framing{}
}

func (testHooks) Tail(ev *Event) (int, int) {
	switch ev.Name {
	case "+MQTTSUBRECV": // +MQTTSUBRECV:0,"topic",len,data
		parts := strings.SplitN(ev.Args, ",", 4)
		if len(parts) == 4 {
			return lastInt(strings.Join(parts[:3], ",")) - len(parts[3]), 0
		}
	case "+CMQTTRXPAYLOAD", "+CMQTTRXTOPIC":
		return 0, lastInt(ev.Args)
	case "+IPD": // +IPD,<n>:<n bytes>, then the line may go on as a new event
		if colon := strings.IndexByte(ev.Text, ':'); colon > 0 {
			return -(colon + 1 + lastInt(ev.Text[:colon])), 0
		}
	}
	return 0, 0
}

func (testHooks) KnownURC(name string) bool {
	switch name {
	case "+CMQTTRXSTART", "+CMQTTRXTOPIC", "+CMQTTRXPAYLOAD", "+CMQTTRXEND", "+QMTSTAT", "+QMTPUBEX":
		return true
	}
	return false
}

func (testHooks) Bare(text string) (string, bool, bool) {
	switch text {
	case "CONNECT OK", "SUBACK", "CLOSED":
		return text, false, true
	case "SEND OK":
		return text, true, true
	}
	if strings.HasPrefix(text, "+IPD,") {
		return "+IPD", false, true
	}
	return "", false, false
}

// countArg frames a payload by a command's last argument, as the dialects
// do: a length that is no byte count is Bad.
func countArg(args string) Framing {
	arg := args[strings.LastIndexByte(args, ',')+1:]
	n, err := strconv.Atoi(arg)
	if err != nil {
		return Framing{Kind: FrameCount, Bad: arg}
	}
	return Framing{Kind: FrameCount, N: n}
}

func lastInt(s string) int {
	n := 0
	i := strings.LastIndexByte(s, ',')
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// TestMidnightRollover checks that time-of-day logs that cross midnight
// keep increasing times.
func TestMidnightRollover(t *testing.T) {
	in := "[23:59:59.800] AT\r\n[23:59:59.900] OK\r\n[00:00:00.100] AT+CSQ\r\n[00:00:00.140] OK\r\n"
	cr, _, err := Open(strings.NewReader(in), "in.log", "auto", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := NewTokenizer(cr, nil)
	var last Event
	n := 0
	for tok.Next() {
		ev := tok.Event()
		if n > 0 && ev.Time.Before(last.Time) {
			t.Errorf("line %d: time %s goes back from %s", ev.Pos.Line, ev.Time, last.Time)
		}
		last = ev
		n++
	}
	if got := last.Time.Sub(time.Date(0, 1, 1, 23, 59, 59, 800e6, time.UTC)); got != 340*time.Millisecond {
		t.Errorf("last event is %s after the first, want 340ms", got)
	}
}
