package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRedactRefusesUndecoded: a log with no AT exchange is not copied as
// if it were clean (exit 1, a clear message); --force writes it, with the
// secrets found by their shape replaced.
func TestRedactRefusesUndecoded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("device 490154203237518 went offline\nno idea why\nplease help\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"redact", path}, strings.NewReader(""), &stdout, &stderr)
	out, errOut := stdout.String(), stderr.String()
	if code != exitFailure || out != "" || !strings.Contains(errOut, "not decoded") || !strings.Contains(errOut, "--force") {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	code, out, errOut = run(t, false, "redact", "--force", path)
	if code != exitOK || strings.Contains(out, "490154203237518") || !strings.Contains(out, "went offline") {
		t.Errorf("--force: exit %d, out %q, err %q", code, out, errOut)
	}
}

// TestRedactCapture: a logic-analyzer CSV is redacted, not refused.
func TestRedactCapture(t *testing.T) {
	code, out, errOut := run(t, false, "redact", "../samples/ec21-mqtt-saleae.csv")
	if code != exitOK || !strings.Contains(errOut, "replaced") || len(out) == 0 {
		t.Errorf("exit %d, err %q", code, errOut)
	}
}

// TestRedactGzip: a .gz log is redacted; the copy is its text.
func TestRedactGzip(t *testing.T) {
	out := filepath.Join(t.TempDir(), "clean.log")
	if code, _, errOut := run(t, false, "redact", "../redact/testdata/compressed.log.gz", "-o", out); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	text, err := os.ReadFile(out)
	if err != nil || strings.Contains(string(text), "gz-pass-99") || !strings.Contains(string(text), `"gz-dev"`) {
		t.Errorf("copy %q, %v", text, err)
	}
}
