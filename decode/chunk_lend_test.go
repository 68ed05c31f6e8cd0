package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// copyingReader hides a lender's lentChunk: the tokenizer takes its chunks
// by value, as from any other reader.
type copyingReader struct{ ChunkReader }

// lentAndCopied tokenizes in with every line format, once borrowing the
// reader's chunks and once copying them, and fails when the events differ.
func lentAndCopied(t *testing.T, in []byte) {
	t.Helper()
	for _, format := range lineFormats {
		cr := format.Open(bytes.NewReader(in), "in.log", Options{})
		if _, ok := cr.(chunkLender); !ok {
			continue
		}
		lent := NewTokenizer(cr, testHooks{})
		copied := NewTokenizer(copyingReader{format.Open(bytes.NewReader(in), "in.log", Options{})}, testHooks{})
		if lent.lender == nil || copied.lender != nil {
			t.Fatalf("%s: the tokenizers do not take the paths under test", format.Name)
		}
		a, b := dumpEvents(collect(lent)), dumpEvents(collect(copied))
		if a != b {
			t.Fatalf("%s: borrowed chunks give other events:\nborrowed:\n%s\ncopied:\n%s", format.Name, a, b)
		}
	}
}

func collect(tok *Tokenizer) []Event {
	var evs []Event
	for tok.Next() {
		evs = append(evs, tok.Event())
	}
	return evs
}

func TestChunkLending(t *testing.T) {
	logs, _ := filepath.Glob("testdata/formats/*/*.log")
	if len(logs) == 0 {
		t.Fatal("no format logs")
	}
	for _, path := range logs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lentAndCopied(t, data)
	}
}

func FuzzChunkLending(f *testing.F) {
	logs, _ := filepath.Glob("testdata/formats/*/*.log")
	for _, path := range logs {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(lentAndCopied)
}
