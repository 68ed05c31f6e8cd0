package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"atscope/diagnose"
)

const windowLog = "../samples/ec200-5s-window.log"

func TestDiagnoseText(t *testing.T) {
	code, out, stderr := run(t, false, "diagnose", windowLog)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"ec200-5s-window.log: 1 finding (1 error)",
		"ERROR connect-window (client 0, lines 13-16)",
		"The broker closed the link 5.0 s after the open",
		"advice: Send AT+QMTCONN right after",
		"    14 │ [14:17:41.165] +QMTSTAT: 0,1", // the line read back from the file
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestDiagnoseCaret(t *testing.T) {
	_, out, _ := run(t, false, "diagnose", "../samples/ec25-multiclient.log")
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "│ ") || !strings.Contains(l, "+QMTCONN: 1,0,4") || i+1 == len(lines) {
			continue
		}
		col := len([]rune(l[:strings.Index(l, "+QMTCONN: 1,0,4")]))
		if next := []rune(lines[i+1]); len(next) <= col || next[col] != '^' || next[col-1] != ' ' {
			t.Errorf("caret not under the code:\n%s\n%s", l, lines[i+1])
		}
		return
	}
	t.Errorf("no quoted CONNACK line:\n%s", out)
}

func TestDiagnoseJSON(t *testing.T) {
	_, out, _ := run(t, false, "diagnose", "--json", windowLog, "../samples/bc26-huawei-qcom.log")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("want findings of two logs:\n%s", out)
	}
	files := map[string]bool{}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q", l)
		}
		if _, ok := m["verdict"]; ok {
			continue // the headline records: TestDiagnoseHeadline
		}
		for _, k := range []string{"id", "severity", "title", "explanation", "advice", "client", "lines", "file"} {
			if _, ok := m[k]; !ok {
				t.Errorf("record lacks %q: %s", k, l)
			}
		}
		files[m["file"].(string)] = true
	}
	if len(files) != 2 {
		t.Errorf("findings of %d files, want 2", len(files))
	}
}

func TestDiagnoseStrict(t *testing.T) {
	if code, _, _ := run(t, false, "diagnose", windowLog); code != exitOK {
		t.Errorf("without --strict: exit %d, want 0", code)
	}
	var out, errOut bytes.Buffer
	if code := Main([]string{"diagnose", "--strict", windowLog}, strings.NewReader(""), &out, &errOut); code != exitFailure ||
		!strings.Contains(errOut.String(), "1 error finding (--strict)") {
		t.Errorf("--strict with an error: exit %d, stderr %q", code, errOut.String())
	}
	if code, _, _ := run(t, false, "diagnose", "--strict", "../samples/ec20-manual-ssl.log"); code != exitOK {
		t.Errorf("--strict on a clean log: exit %d, want 0", code)
	}
}

func TestDiagnoseList(t *testing.T) {
	code, out, _ := run(t, false, "diagnose", "--list")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, r := range diagnose.Rules() {
		if !strings.Contains(out, r.ID+"\t"+r.Severity.String()) {
			t.Errorf("--list lacks %s", r.ID)
		}
	}
	_, js, _ := run(t, false, "diagnose", "--list", "--json")
	if n := strings.Count(js, "\n"); n != len(diagnose.Rules()) {
		t.Errorf("--list --json: %d lines, want %d", n, len(diagnose.Rules()))
	}
	for _, args := range [][]string{{"diagnose"}, {"diagnose", "--list", "a.log"}} {
		if code, _, _ := run(t, false, args...); code != exitUsage {
			t.Errorf("atscope %v: exit %d, want 2", args, code)
		}
	}
}

func TestDiagnoseClientFilter(t *testing.T) {
	_, out, _ := run(t, false, "diagnose", "--json", "--client", "1", "../samples/ec25-multiclient.log")
	if out == "" || strings.Contains(out, `"client":0`) {
		t.Errorf("--client 1 shows other clients' findings:\n%s", out)
	}
}

func TestReportFindings(t *testing.T) {
	_, out, _ := run(t, false, "report", windowLog)
	f, tl := strings.Index(out, "\nfindings\n"), strings.Index(out, "\ntimeline\n")
	if f < 0 || tl < 0 || f > tl {
		t.Fatalf("no findings section before the timeline:\n%s", out)
	}
	if !strings.Contains(out[f:tl], "ERROR connect-window (client 0, lines 13-16)") {
		t.Errorf("findings section:\n%s", out[f:tl])
	}
}

func TestDiagnoseRedact(t *testing.T) {
	_, out, _ := run(t, false, "diagnose", "--redact", windowLog)
	if strings.Contains(out, "demoAccessToken7Fq2Lx") || !strings.Contains(out, `"<user-1>","<password-1>"`) {
		t.Errorf("quoted lines not redacted:\n%s", out)
	}
}

func TestLineRange(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want string
	}{{[]int{4}, "line 4"}, {[]int{13, 14, 15, 16}, "lines 13-16"}, {[]int{13, 14, 20}, "lines 13-14, 20"}} {
		if got := lineRange(tc.in); got != tc.want {
			t.Errorf("lineRange(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := caret(`a "é" +QMTSTAT: 0,1`, []string{"+QMTSTAT: 0,1"}); got != "      ^^^^^^^^^^^^^" {
		t.Errorf("caret = %q", got)
	}
	if got := columns("温度26"); got != 6 {
		t.Errorf("columns = %d, want 6", got)
	}
}

// TestDiagnoseQuotesStandardInput: findings of a log on standard input,
// plain or gzip, quote their lines as those of a file do (they were left
// out: the file was opened again by name to quote them).
func TestDiagnoseQuotesStandardInput(t *testing.T) {
	for _, name := range []string{"open-fails.log", "open-fails.log.gz"} {
		in, err := os.ReadFile("../analyze/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		if code := Main([]string{"diagnose", "-"}, bytes.NewReader(in), &out, &errOut); code != exitOK {
			t.Fatalf("%s: exit %d: %s", name, code, errOut.String())
		}
		if !regexp.MustCompile(`(?m)^ +1 │ \[10:00:00\.000\] .*broker\.example\.net`).MatchString(out.String()) {
			t.Errorf("%s: line 1 is not quoted:\n%s", name, out.String())
		}
	}
}

// TestDiagnoseHeadline: diagnose says first whether the log was understood
// (only when it was not, with what to try), then each client's verdict,
// then the findings, in text and in JSON (issue 15.8, 15.9).
func TestDiagnoseHeadline(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.log")
	if err := os.WriteFile(junk, []byte("hello world\nthis is not\nan AT log\nAT+CSQ in prose\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		log    string
		text   []string // in this order, before the first finding
		json   []string // the record kinds in order, "id" for a finding
		unsure bool
	}{
		{windowLog, []string{"client 0: could not connect at 14:17:43 (L15): The broker closed the link"},
			[]string{"verdict", "id"}, false},
		{junk, []string{"not understood: ", "; try: name the log's format with"},
			[]string{"understanding", "id"}, true},
	}
	for _, tt := range tests {
		_, out, _ := run(t, false, "diagnose", tt.log)
		firstFinding := regexp.MustCompile(`(?m)^(ERROR|WARNING|INFO) `).FindStringIndex(out)
		if firstFinding == nil {
			t.Fatalf("%s: no finding:\n%s", tt.log, out)
		}
		at := strings.IndexByte(out, '\n') // after the file's line
		for _, want := range tt.text {
			i := strings.Index(out[at:], want)
			if i < 0 || at+i > firstFinding[0] {
				t.Errorf("%s: %q not in order before the findings:\n%s", tt.log, want, out)
				break
			}
			at += i
		}
		if !tt.unsure && strings.Contains(out, "not understood") {
			t.Errorf("%s: says not understood:\n%s", tt.log, out)
		}
		if tt.unsure && strings.Contains(out, "no problem found") {
			t.Errorf("%s: says no problem found of a log not understood:\n%s", tt.log, out)
		}
		_, js, _ := run(t, false, "diagnose", "--json", tt.log)
		var kinds []string
		for _, l := range strings.Split(strings.TrimSpace(js), "\n") {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("not JSON: %q", l)
			}
			for _, k := range []string{"understanding", "verdict", "id"} {
				if _, ok := m[k]; ok && (len(kinds) == 0 || kinds[len(kinds)-1] != k) {
					kinds = append(kinds, k)
				}
			}
		}
		if strings.Join(kinds, " ") != strings.Join(tt.json, " ") {
			t.Errorf("%s --json: records %v, want %v:\n%s", tt.log, kinds, tt.json, js)
		}
	}
}

// TestBinaryCaptureQuotesItsATText: the findings of a USB capture quote
// the AT text of the frames they rest on, not the capture's bytes, and
// every output counts and names frames, not lines.
func TestBinaryCaptureQuotesItsATText(t *testing.T) {
	const capture = "../samples/ec21-mqtt-usb.pcapng"
	dir := t.TempDir()
	html, md := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.md")
	read := func(path string) func(string) string {
		return func(string) string {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	stdout := func(out string) string { return out }
	for _, tc := range []struct {
		args   []string
		output func(stdout string) string
		want   []string
	}{
		{[]string{"diagnose", capture}, stdout, []string{"(client 0, frames 14, 16-20)", `14 │ AT+QMTOPEN=0,"test.mosquitto.org",1883`}},
		{[]string{"report", capture}, stdout, []string{"frames    63 frames, 39 events", "(client 0, frames 14, 16-20)"}},
		{[]string{"report", "-o", html, capture}, read(html), []string{"63 frames,", "client 0 · frames", `<a href="#L14">14</a>  AT+QMTOPEN=0,`}},
		{[]string{"report", "-o", md, capture}, read(md), []string{"63 frames,", "AT+QMTOPEN=0,"}},
	} {
		code, out, errOut := run(t, false, tc.args...)
		if code != exitOK {
			t.Fatalf("atscope %v: exit %d: %s", tc.args, code, errOut)
		}
		got := tc.output(out)
		for _, want := range tc.want {
			if !strings.Contains(got, want) {
				t.Errorf("atscope %v: no %q in:\n%s", tc.args, want, got)
			}
		}
		for _, raw := range []string{"\ufffd", `\x00`, "lines 14"} {
			if strings.Contains(got, raw) {
				t.Errorf("atscope %v: shows %q (the capture's bytes, or lines of a binary file):\n%s", tc.args, raw, got)
			}
		}
	}
}
