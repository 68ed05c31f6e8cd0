package redact

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"atscope/decode"
	"atscope/dialect"
)

// redactLog learns the secrets of a log the way `atscope redact` does and
// returns the redactor and the copy.
func redactLog(t testing.TB, name string, data []byte) (*Redactor, []byte) {
	t.Helper()
	r := learnLog(t, name, data)
	var out bytes.Buffer
	if _, err := r.Copy(&out, bytes.NewReader(data), name, "auto", decode.Options{}); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r, out.Bytes()
}

// learnLog learns the secrets of a log the way `atscope redact` does.
func learnLog(t testing.TB, name string, data []byte) *Redactor {
	t.Helper()
	r := New(Secrets)
	cr, _, err := decode.Open(bytes.NewReader(data), name, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hooks, _ := dialect.HooksFor("auto")
	tok := decode.NewTokenizer(cr, hooks)
	dec, _ := dialect.NewDecoder(name, "auto")
	for tok.Next() {
		ev := tok.Event()
		r.LearnEvent(&ev)
		dec.Feed(&ev, r.LearnOp)
	}
	dec.Close(r.LearnOp)
	return r
}

// serialBytes is the serial text a format reader decodes from data.
func serialBytes(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	cr, _, err := decode.Open(bytes.NewReader(data), name, "auto", decode.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for cr.Next() {
		if c := cr.Chunk(); c.Verbatim || !c.Note {
			out = append(out, c.Data...)
		}
	}
	return out
}

// changedOnlySecrets checks a `cmp -l` of before and after: same length,
// and every run of changed bytes within a line was a piece of a learned
// secret (a secret split over two lines leaves a piece on each).
func changedOnlySecrets(r *Redactor, before, after []byte) string {
	if len(before) != len(after) {
		return "the copy's length differs"
	}
	for i := 0; i < len(before); i++ {
		if before[i] == after[i] {
			continue
		}
		j := i
		for j < len(before) && before[j] != after[j] && before[j] != '\n' {
			j++
		}
		if !pieceOfSecret(r, string(before[i:j])) {
			return "changed bytes " + strconv.Quote(string(before[i:j])) + " are no secret"
		}
		i = j
	}
	return ""
}

func pieceOfSecret(r *Redactor, s string) bool {
	for v := range r.secrets {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// hexOnly reports whether every changed byte is a hex digit: a capture
// that writes its bytes as numbers.
func hexOnly(before, after []byte) bool {
	for i := range before {
		if before[i] != after[i] && !isHexDigit(before[i]) {
			return false
		}
	}
	return true
}

// checkCopy checks a redacted copy: nothing learned survives in its
// decoded events or its bytes, and only secret bytes changed, in the file
// or (for a capture that writes bytes as numbers) in what it decodes to.
func checkCopy(t *testing.T, name string, data []byte, r *Redactor, copy []byte) {
	t.Helper()
	for _, text := range []string{string(copy), string(serialBytes(t, name, copy))} {
		if leaks := r.Leaks(text); len(leaks) > 0 {
			t.Errorf("%s: still in the copy: %v", name, leaks)
		}
	}
	before, after := data, copy
	if isGz(data) {
		before = gunzipAll(t, data)
	}
	if why := changedOnlySecrets(r, before, after); why != "" {
		if !hexOnly(before, after) {
			t.Errorf("%s: %s", name, why)
		} else if why := changedOnlySecrets(r, serialBytes(t, name, before), serialBytes(t, name, after)); why != "" {
			t.Errorf("%s (decoded): %s", name, why)
		}
	}
}

func isGz(b []byte) bool { return len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b }

func gunzipAll(t *testing.T, b []byte) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCopySamples redacts every sample and every constructed layout.
func TestCopySamples(t *testing.T) {
	files, _ := filepath.Glob("../samples/*")
	more, _ := filepath.Glob("testdata/*")
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, ".md") || strings.HasSuffix(f, ".golden") {
			continue
		}
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r, copy := redactLog(t, f, data)
			if len(r.secrets) == 0 && !strings.Contains(f, "ticket") {
				t.Errorf("no secret learned")
			}
			checkCopy(t, f, data, r, copy)
		})
	}
}
