package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tokenizer's fast paths must answer what the plain code they skip
// would: each is checked here against that code, on every line of the
// samples and on fuzzed input.

// shortcutSeeds are the lines of every sample and test log, and edge cases.
func shortcutSeeds(t testing.TB) []string {
	seeds := []string{
		"", " ", "\t", "\x00", "OK", "OK ", " OK", "ERROR", "OK +QMTDISC: 0,0", "+CPIN: READY OK",
		"AT+CPIN? +CPIN: READY", "AT", "AT+X \"a b\" OK", "\"OK\" OK", "x\tERROR", "\u00a0OK\u00a0",
		"\x85AT\x85", "é", "AT+QMTPUB=0,0,0,0,\"t\" +QMTPUB: 0,0,0", "CONNECT OK", "a\rb\nc", "\r\n", "\n\r",
	}
	for _, pattern := range []string{"testdata/tokenize/*.log", "testdata/formats/*/*.log", "../samples/*.log"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			seeds = append(seeds, strings.FieldsFunc(string(b), func(r rune) bool { return r == '\n' || r == '\r' })...)
		}
	}
	return seeds
}

func TestShortcutsAgree(t *testing.T) {
	for _, s := range shortcutSeeds(t) {
		checkShortcuts(t, s)
	}
}

func FuzzShortcuts(f *testing.F) {
	for _, s := range shortcutSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkShortcuts)
}

func checkShortcuts(t *testing.T, s string) {
	if got, want := splitMerged(s), splitMergedPlain(s); got != want {
		t.Errorf("splitMerged(%q) = %d, want %d", s, got, want)
	}
	if got, want := trimLine(s), trimLinePlain(s); got != want {
		t.Errorf("trimLine(%q) = %q, want %q", s, got, want)
	}
	for _, b := range [][]byte{[]byte(s), []byte(strings.Repeat("x", lineScan) + s), []byte(s + strings.Repeat("y", lineScan))} {
		if got, want := indexLineEnd(b), bytes.IndexAny(b, "\r\n"); got != want {
			t.Errorf("indexLineEnd(%q) = %d, want %d", b, got, want)
		}
	}
}

// splitMergedPlain is splitMerged without its early return.
func splitMergedPlain(s string) int {
	if cut := splitAfterResult(s); cut > 0 {
		return cut
	}
	return splitAtBlank(s, isCommandText(s))
}

// trimLinePlain is trimLine without its early returns.
func trimLinePlain(s string) string { return trimColour(strings.TrimFunc(s, isBlankOrNUL)) }

// TestAppendReusing checks that a buffer drained from the front and
// appended to keeps its bytes in order, and stops allocating once its store
// is large enough.
func TestAppendReusing(t *testing.T) {
	var s, store, want []byte
	grew := 0
	for i := range 1000 {
		more := bytes.Repeat([]byte{byte(i)}, i%37)
		oldStore := store
		s, store = appendReusing(s, store, more...)
		want = append(want, more...)
		if i > 100 && &oldStore[:1][0] != &store[:1][0] {
			grew++
		}
		drain := min(len(s), i%53)
		s, want = s[drain:], want[drain:]
		if !bytes.Equal(s, want) {
			t.Fatalf("step %d: buffer holds %v, want %v", i, s, want)
		}
	}
	if grew > 0 {
		t.Errorf("the store was reallocated %d times in a steady state", grew)
	}
}
