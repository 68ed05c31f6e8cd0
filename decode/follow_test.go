package decode

import (
	"bytes"
	"io"
	"os"
	"testing"
	"time"
)

// liveEvents reads r with a live tokenizer until it has n events.
func liveEvents(t *testing.T, r io.Reader, format string, n int) []Event {
	t.Helper()
	head := make([]byte, 64) // what the source gave first
	k, err := r.Read(head)
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := OpenLive(head[:k], r, "live.log", format, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := NewLiveTokenizer(cr, nil, time.After)
	var evs []Event
	done := make(chan struct{})
	go func() {
		defer close(done)
		for len(evs) < n && tok.Next() {
			evs = append(evs, tok.Event())
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%d events never came; got %d", n, len(evs))
	}
	return evs
}

// TestLiveTokenizerHandsOnTheLatestEvent: with the source still open, the
// last line read is an event once the source is quiet, in every format
// read a line or a read at a time.
func TestLiveTokenizerHandsOnTheLatestEvent(t *testing.T) {
	for _, tc := range []struct{ format, text string }{
		{"raw", "AT+QMTDISC=0\r\r\nOK\r\n"},
		{"stamped", "[10:00:00.000] AT+QMTDISC=0\r\n[10:00:00.020] OK\r\n"},
	} {
		pr, pw := io.Pipe()
		go io.WriteString(pw, tc.text) // and the pipe stays open
		evs := liveEvents(t, pr, tc.format, 2)
		if evs[1].Kind != KindResult || evs[1].Text != "OK" {
			t.Errorf("%s: last event %v %q, want the result OK", tc.format, evs[1].Kind, evs[1].Text)
		}
		pw.Close()
	}
}

// TestLiveTokenizerSameEvents: a source that is never quiet gives the
// events a whole file gives.
func TestLiveTokenizerSameEvents(t *testing.T) {
	b, err := os.ReadFile("../samples/ec25-multiclient.log")
	if err != nil {
		t.Fatal(err)
	}
	cr, _, err := Open(bytes.NewReader(b), "live.log", "auto", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var want []Event
	for tok := NewTokenizer(cr, nil); tok.Next(); {
		want = append(want, tok.Event())
	}
	got := liveEvents(t, bytes.NewReader(b), "stamped", len(want)+1)
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range want {
		if g, w := got[i], want[i]; g.Kind != w.Kind || g.Text != w.Text || g.Pos != w.Pos || string(g.Raw) != string(w.Raw) || g.Seq != w.Seq {
			t.Errorf("event %d: %v %q at %v, want %v %q at %v", i, g.Kind, g.Text, g.Pos, w.Kind, w.Text, w.Pos)
		}
	}
}
