package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/iotest"
)

// FuzzTokenize checks the tokenizer's invariants on any input: no panic,
// nothing lost (the events' raw bytes rebuild the input, their offsets and
// lines tile it) and the same events however the input is split into reads.
func FuzzTokenize(f *testing.F) {
	for _, pattern := range []string{"testdata/tokenize/*.log", "testdata/formats/*/*.log", "../samples/*.log"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(">"))
	f.Add([]byte("AT+QMTPUB=0,0,0,0,\"t\"\r> \x1b\r"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, hooks := range []Hooks{nil, testHooks{}} {
			whole := tokenize(t, bytes.NewReader(in), hooks)
			checkInvariants(t, in, whole)
			bytewise := tokenize(t, iotest.OneByteReader(bytes.NewReader(in)), hooks)
			if a, b := dumpEvents(whole), dumpEvents(bytewise); a != b {
				t.Fatalf("chunking changes the events:\nwhole:\n%s\none byte at a time:\n%s", a, b)
			}
		}
	})
}

// TestEveryFormatFuzzed holds every registered format to a fuzz target:
// FuzzLineFormats, FuzzPrefixedReaders or FuzzCaptureReaders.
func TestEveryFormatFuzzed(t *testing.T) {
	fuzzed := map[string]bool{}
	for _, f := range slices.Concat(lineFormats, prefixedFormats, captureFormats) {
		fuzzed[f.Name] = true
	}
	for _, f := range Formats() {
		if !fuzzed[f.Name] {
			t.Errorf("format %s is in no fuzz target", f.Name)
		}
	}
}
