package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"atscope/analyze"
	"atscope/redact"
)

// sampleSecrets are the secrets of samples, written down by hand (so that
// a secret the redactor fails to learn is still looked for). User names
// that read as words ("meter", "fleet") are not listed: they are replaced
// only in their credential argument, and may stay in topics (redact's
// TestWordUsers).
var sampleSecrets = map[string][]string{
	"ec200-5s-window.log":         {"demoAccessToken7Fq2Lx", "demoProjKey9Qb"},
	"ec600s-aliyun-qcom.log":      {"a1DemoPk0x7", "node_0007", "3c5e0f4b9a2d47e1b6c8d0f2a4e6b8c0"},
	"air780-luat-ticket.log":      {"862061049912345", "trk-user", "trk-pass-8"},
	"esp8266-espat-ticket.log":    {"cb63b5a8a6ca46a2c52a47d99a7d725ee7725e43f40cad627a9504214bda3167db0d8fc2c4861ffbc7ec028693582d9e"},
	"sim7080-sm-reconnect.log":    {"Meter-Demo-9"},
	"nrf9151-slm-reconnect.log":   {"L4b-07-pass", "not-the-password", "lab07"},
	"sim7600-cmqtt-reconnect.log": {"Old-Pass-2023", "Demo-Pass-2024"},
}

// secretPattern matches a secret in output: anywhere when long, standing
// alone when short (as the redactor replaces it).
func secretPattern(s string) *regexp.Regexp {
	q := regexp.QuoteMeta(s)
	if len(s) >= 8 {
		return regexp.MustCompile(q)
	}
	return regexp.MustCompile(`(^|[^A-Za-z0-9_])` + q + `($|[^A-Za-z0-9_])`)
}

// learned lists what the redactor learns from a sample.
func learned(t *testing.T, path string, level redact.Level) []string {
	t.Helper()
	r := redact.New(level)
	src, err := analyze.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := analyze.Learn(src, analyze.Options{Format: "auto", Dialect: "auto", Redactor: r}); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range r.Secrets() {
		if !s.InPlace { // kept outside its argument by design (a short number, a word-like user name)
			out = append(out, s.Value)
		}
	}
	return out
}

// TestRedactEveryCommand runs every command that has --redact over samples
// with secrets, in each of its output forms, and greps all it writes
// (stdout, stderr, files) for every secret.
func TestRedactEveryCommand(t *testing.T) {
	root := NewRootCmd(&IO{In: strings.NewReader(""), Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	var cmds []string
	for _, c := range root.Commands() {
		if c.Flags().Lookup("redact") != nil {
			cmds = append(cmds, c.Name())
		}
	}
	for _, want := range []string{"events", "timeline", "report", "diagnose", "redact"} {
		if !strings.Contains(strings.Join(cmds, " "), want) {
			t.Errorf("%s has no --redact", want)
		}
	}
	dir := t.TempDir()
	for sample, secrets := range sampleSecrets {
		path := filepath.Join("..", "samples", sample)
		if _, err := os.Stat(path); err != nil {
			continue // samples are maintained elsewhere
		}
		all := append(append([]string{}, secrets...), learned(t, path, redact.Secrets)...)
		for _, name := range cmds {
			c, _, _ := root.Find([]string{name})
			var variants [][]string
			variants = append(variants, nil)
			for _, flag := range []string{"json", "csv"} {
				if takesFlag(c, flag) {
					variants = append(variants, []string{"--" + flag})
				}
			}
			for _, v := range variants {
				args := append([]string{name, "--redact"}, v...)
				out := filepath.Join(dir, name+".out")
				os.Remove(out)
				if f := c.Flags().Lookup("output"); f != nil {
					args = append(args, "-o", out)
				}
				args = append(args, path)
				if name == "diff" { // before and after
					args = append(args, path)
				}
				code, stdout, stderr := run(t, false, args...)
				if code == exitUsage {
					t.Errorf("atscope %s: usage error: %s", strings.Join(args, " "), stderr)
					continue
				}
				file, _ := os.ReadFile(out)
				text := stdout + "\n" + stderr + "\n" + string(file)
				for _, s := range all {
					if secretPattern(s).MatchString(text) {
						t.Errorf("atscope %s: secret %q in the output", strings.Join(args, " "), s)
					}
				}
			}
		}
	}
}

// TestRedactAll hides client IDs and hosts too.
func TestRedactAll(t *testing.T) {
	path := "../samples/ec600s-aliyun-qcom.log"
	if _, err := os.Stat(path); err != nil {
		t.Skip("sample missing")
	}
	_, out, _ := run(t, false, "timeline", "--json", "--redact=all", path)
	for _, s := range learned(t, path, redact.All) {
		if secretPattern(s).MatchString(out) {
			t.Errorf("--redact=all leaves %q", s)
		}
	}
	if !strings.Contains(out, "<host-1>") || !strings.Contains(out, "<client-id-1>") {
		t.Errorf("no host or client ID placeholder:\n%s", out)
	}
	if code, _, stderr := run(t, false, "events", "--redact=everything", path); code != exitUsage || !strings.Contains(stderr+"", "") {
		t.Errorf("--redact=everything: exit %d", code)
	}
}

// TestRedactStdin learns from standard input too (kept in a temporary file).
func TestRedactStdin(t *testing.T) {
	log := "[app] token is demoAccessToken7Fq2Lx\r\nAT+QMTCONN=0,\"tc\",\"demoAccessToken7Fq2Lx\",\"demoProjKey9Qb\"\r\nOK\r\n"
	var out, errOut bytes.Buffer
	code := Main([]string{"events", "--redact", "-"}, strings.NewReader(log), &out, &errOut)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if strings.Contains(out.String(), "demoAccessToken7Fq2Lx") || strings.Contains(out.String(), "demoProjKey9Qb") {
		t.Errorf("a secret is in the output (the debug line comes before its command):\n%s", out.String())
	}
}

// TestRedactCommand checks the redacted copy: secrets gone, the same
// length, every other byte kept, and the copy decodes as the original.
func TestRedactCommand(t *testing.T) {
	for sample, secrets := range sampleSecrets {
		path := filepath.Join("..", "samples", sample)
		orig, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		out := filepath.Join(t.TempDir(), "clean.log")
		code, _, stderr := run(t, false, "redact", path, "-o", out)
		if code != exitOK {
			t.Errorf("redact %s: exit %d: %s", sample, code, stderr)
			continue
		}
		clean, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(clean) != len(orig) {
			t.Errorf("%s: the copy is %d bytes, the log %d", sample, len(clean), len(orig))
		}
		for _, s := range secrets {
			if secretPattern(s).Match(clean) {
				t.Errorf("%s: %q is still in the copy", sample, s)
			}
		}
		// Byte for byte otherwise: every difference lies inside a placeholder.
		for i := range min(len(clean), len(orig)) {
			if clean[i] != orig[i] && !strings.ContainsRune("<>-*0123456789abcdefghijklmnopqrstuvwxyz", rune(clean[i])) {
				t.Errorf("%s: byte %d changed to %q", sample, i, clean[i])
				break
			}
		}
		// The copy decodes like the original: the same ops.
		_, a, _ := run(t, false, "timeline", "--redact", path)
		_, b, _ := run(t, false, "timeline", "--redact", out)
		if strings.Count(a, "\n") != strings.Count(b, "\n") {
			t.Errorf("%s: the copy decodes to %d timeline lines, the log to %d", sample, strings.Count(b, "\n"), strings.Count(a, "\n"))
		}
	}
	if code, _, _ := run(t, false, "redact", "a.log", "b.log"); code != exitUsage {
		t.Errorf("redact with two logs: exit %d, want 2", code)
	}
	if code, _, _ := run(t, false, "redact", "../samples/ec200-5s-window.log", "-o", "../samples/ec200-5s-window.log", "-f"); code != exitUsage {
		t.Errorf("redact over the log itself: exit %d, want 2", code)
	}
}

// TestShareableOutputWarnsOfSecrets: a report file or Mermaid diagrams
// written without --redact say on stderr that they show the log's secrets;
// with --redact, or written to the terminal as text, they do not.
func TestShareableOutputWarnsOfSecrets(t *testing.T) {
	const log = "../samples/ec600s-aliyun-qcom.log"
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		warn bool
	}{
		{[]string{"report", "-o", filepath.Join(dir, "a.html"), log}, true},
		{[]string{"report", "-o", filepath.Join(dir, "a.md"), log}, true},
		{[]string{"report", "--redact", "-o", filepath.Join(dir, "b.md"), log}, false},
		{[]string{"report", log}, false},
		{[]string{"timeline", "--mermaid", log}, true},
		{[]string{"timeline", "--mermaid", "--redact", log}, false},
	} {
		code, _, errOut := run(t, false, tc.args...)
		warned := strings.Contains(errOut, "give --redact before sharing it") && strings.Contains(errOut, "3 secrets")
		if code != exitOK || warned != tc.warn {
			t.Errorf("atscope %v: exit %d, warned %v (want %v); stderr:\n%s", tc.args, code, warned, tc.warn, errOut)
		}
	}
}
