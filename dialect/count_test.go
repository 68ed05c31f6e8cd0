package dialect

import (
	"os"
	"path/filepath"
	"testing"

	"atscope/decode"
)

func TestCountFraming(t *testing.T) {
	for _, c := range []struct {
		in   string
		want decode.Framing
		ok   bool
	}{
		{"20", decode.Framing{Kind: decode.FrameCount, N: 20}, true},
		{" 0", decode.Framing{Kind: decode.FrameCount, N: 0}, true},
		{"-1", decode.Framing{Kind: decode.FrameCount, Bad: "-1"}, true},
		{"1e30", decode.Framing{Kind: decode.FrameCount, Bad: "1e30"}, true},
		{"99999999999999999999", decode.Framing{Kind: decode.FrameCount, Bad: "99999999999999999999"}, true},
		{"2.5", decode.Framing{Kind: decode.FrameCount, Bad: "2.5"}, true},
		{"1e999", decode.Framing{Kind: decode.FrameCount, Bad: "1e999"}, true},
		{`"20"`, decode.Framing{}, false},
		{"NaN", decode.Framing{}, false},
		{"Inf", decode.Framing{}, false},
		{"--1", decode.Framing{}, false},
		{"", decode.Framing{}, false},
		{"hello", decode.Framing{}, false},
	} {
		if got, ok := countFraming(c.in); got != c.want || ok != c.ok {
			t.Errorf("countFraming(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestInvalidLengthNoted: a declared length of -1, 1e30 or
// 99999999999999999999 is a NoteInvalid on the publish, whose payload is
// still the bytes after the prompt (issue 14 point 9; testdata/*/bad-length.log).
func TestInvalidLengthNoted(t *testing.T) {
	logs, _ := filepath.Glob("testdata/*/bad-length.log")
	if len(logs) < 5 {
		t.Fatalf("%d bad-length logs, want one per prompting dialect", len(logs))
	}
	for _, l := range logs {
		data, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		ops, _ := decodeOps(t, l, data, "auto")
		publishes := 0
		for _, op := range ops {
			if op.Kind != OpPublish {
				continue
			}
			publishes++
			if !op.HasNote(NoteInvalid) || op.Payload != "hello" || op.PayloadLen != 5 || op.Status != StatusOK {
				t.Errorf("%s: %s %s payload %q/%d, notes %q: want ok, payload \"hello\"/5 and an invalid-number note",
					l, op.Name, op.Status, op.Payload, op.PayloadLen, op.NoteTexts())
			}
		}
		if publishes == 0 {
			t.Errorf("%s: no publish", l)
		}
	}
}

// TestClockJumpNoted: an op whose lines run backwards or span over a day
// gets a NoteInvalid and no latency, and a forward jump times nothing out
// (issue 14 point 9; testdata/quectel/clock-jump.log).
func TestClockJumpNoted(t *testing.T) {
	data, err := os.ReadFile("testdata/quectel/clock-jump.log")
	if err != nil {
		t.Fatal(err)
	}
	ops, _ := decodeOps(t, "clock-jump.log", data, "quectel")
	jumped := map[OpKind]bool{OpConnect: true, OpSubscribe: true}
	for _, op := range ops {
		_, hasLatency := op.Latency()
		if op.Status != StatusOK || op.HasNote(NoteNotLogged) {
			t.Errorf("%s %s: %s, notes %q: want ok, its command in the log", op.Kind, op.Name, op.Status, op.NoteTexts())
		}
		if jumped[op.Kind] == hasLatency || jumped[op.Kind] != op.HasNote(NoteInvalid) {
			t.Errorf("%s: latency %v, notes %q: a clock jump must give a note and no latency, no jump a latency", op.Kind, hasLatency, op.NoteTexts())
		}
	}
	if len(ops) != 4 {
		t.Errorf("%d ops, want 4", len(ops))
	}
}
