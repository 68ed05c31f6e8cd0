package decode

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// TestDirectionTurnEndsEvent reads logs that say each chunk's direction
// (testdata/turns): a module line whose counted data ends where the host's
// next chunk starts ("+IPD,4:<4 bytes>" then "AT+CIPSEND=2") must not take
// the host's bytes, nor may a count that runs past the turn; the events
// must not depend on how the reads are chunked.
func TestDirectionTurnEndsEvent(t *testing.T) {
	logs, _ := filepath.Glob("testdata/turns/*.log")
	if len(logs) == 0 {
		t.Fatal("no test logs")
	}
	for _, path := range logs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			in, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			evs := tokenizeFormat(t, bytes.NewReader(in))
			for _, ev := range evs {
				if ev.Dir == DirFromModule && strings.Contains(ev.Text, "AT") {
					t.Errorf("line %d: module event %q holds the host's command", ev.Pos.Line, ev.Text)
				}
			}
			golden(t, strings.TrimSuffix(path, ".log")+".events", dumpEvents(evs))
			if got := dumpEvents(tokenizeFormat(t, iotest.OneByteReader(bytes.NewReader(in)))); got != dumpEvents(evs) {
				t.Errorf("one byte at a time gives other events:\n%s", got)
			}
		})
	}
}

// tokenizeFormat reads r in the format it sniffs, with testHooks.
func tokenizeFormat(t *testing.T, r io.Reader) []Event {
	t.Helper()
	cr, _, err := Open(r, "in.log", "auto", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok := NewTokenizer(cr, testHooks{})
	var evs []Event
	for tok.Next() {
		evs = append(evs, tok.Event())
	}
	if err := tok.Err(); err != nil {
		t.Fatal(err)
	}
	return evs
}
