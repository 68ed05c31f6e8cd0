package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportFormats: -o picks the format by extension, --format and
// --json say it outright, and every format starts with the verdicts.
func TestReportFormats(t *testing.T) {
	const sample = "../samples/ec25-multiclient.log"
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		file string // written with -o; "" for standard output
		want []string
	}{
		{[]string{"-o", "r.html"}, "r.html", []string{"<!DOCTYPE html>", `setAttribute("data-ready", "1")`, "<svg class=\"seq\"", "client 0</b>: dropped"}},
		{[]string{"-o", "r.md"}, "r.md", []string{"## atscope report", "- **client 0: dropped", "```mermaid\nsequenceDiagram"}},
		{[]string{"-o", "r.txt"}, "r.txt", []string{"  verdict   client 0: dropped", "\nfindings\n"}},
		{[]string{"--format", "markdown"}, "", []string{"```mermaid"}},
		{[]string{"--format", "html", "-o", "r2.out"}, "r2.out", []string{"<!DOCTYPE html>"}},
		{[]string{"--json"}, "", []string{`"understanding":{"understood":true}`, `"verdicts":[{"client":0,"outcome":"dropped"`, `"clients":[`, `"latency":[`}},
		{[]string{"--format", "json", "-o", "-"}, "", []string{`"understanding":{`}},
		{[]string{"-o", "r.json"}, "r.json", []string{`"verdicts":[`}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := []string{"report", sample}
			for _, a := range tc.args {
				if strings.HasPrefix(a, "r") && strings.Contains(a, ".") {
					a = filepath.Join(dir, a)
				}
				args = append(args, a)
			}
			code, out, errOut := run(t, false, args...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if tc.file != "" {
				b, err := os.ReadFile(filepath.Join(dir, tc.file))
				if err != nil {
					t.Fatal(err)
				}
				out = string(b)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("no %q in the report", w)
				}
			}
			if strings.Contains(strings.Join(tc.args, " "), "json") {
				var doc map[string]any
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Errorf("not one JSON document: %v", err)
				}
			}
		})
	}
}

// TestReportRedacts: --redact hides the sample's passwords in every format.
func TestReportRedacts(t *testing.T) {
	for _, format := range []string{"html", "markdown", "json", "text"} {
		code, out, errOut := run(t, false, "report", "--redact", "--format", format, "../samples/ec25-multiclient.log")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		for _, secret := range []string{"fleet-pass-01", "wrong-pass"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s: the password %q is in the report", format, secret)
			}
		}
	}
}

func TestReportUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--format", "pdf", "../samples/ec25-multiclient.log"}, `unknown --format "pdf"`},
		{[]string{"report", "--json", "--format", "html", "../samples/ec25-multiclient.log"}, "exclude each other"},
		{[]string{"report", "--format", "html", "../samples/ec25-multiclient.log", "../samples/ec20-manual-flow.log"}, "one log"},
		{[]string{"timeline", "--mermaid", "--json", "../samples/ec25-multiclient.log"}, "--mermaid excludes"},
	} {
		var stdout, stderr strings.Builder
		code := Main(tc.args, strings.NewReader(""), &stdout, &stderr)
		if errOut := stderr.String(); code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want a usage error saying %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestTimelineMermaid: --mermaid prints one block per session, and
// --client narrows it.
func TestTimelineMermaid(t *testing.T) {
	code, out, errOut := run(t, false, "timeline", "--mermaid", "../samples/ec25-multiclient.log")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "```mermaid\nsequenceDiagram\n"); n != 3 {
		t.Errorf("%d diagrams, want 3 (module, client 0, client 1):\n%s", n, out)
	}
	_, out, _ = run(t, false, "timeline", "--mermaid", "--client", "1", "../samples/ec25-multiclient.log")
	if n := strings.Count(out, "sequenceDiagram"); n != 1 || !strings.Contains(out, "title client 1") {
		t.Errorf("--client 1 gives %d diagrams:\n%s", n, out)
	}
}

// TestDiff: two logs give one comparison (JSON on request); one log is a
// usage error.
func TestDiff(t *testing.T) {
	code, out, errOut := run(t, false, "diff", "--json", "../samples/ec200-5s-window.log", "../samples/ec25-multiclient.log")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Counts   []map[string]any `json:"op_counts"`
		Appeared []map[string]any `json:"findings_appeared"`
		Vanished []map[string]any `json:"findings_vanished"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not one JSON document: %v", err)
	}
	if len(d.Counts) == 0 || len(d.Appeared) == 0 || len(d.Vanished) == 0 {
		t.Errorf("%d counts, %d findings appeared, %d vanished", len(d.Counts), len(d.Appeared), len(d.Vanished))
	}
	if code, _, _ := run(t, false, "diff", "../samples/ec25-multiclient.log"); code != exitUsage {
		t.Errorf("diff of one log: exit %d, want %d", code, exitUsage)
	}
}
