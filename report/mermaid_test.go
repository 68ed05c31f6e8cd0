package report_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"atscope/dialect"
	"atscope/report"
)

// awkward is a report whose messages hold everything Mermaid's grammar
// or its sanitiser would take for syntax: colons, semicolons, #, quotes,
// angle brackets, braces, percent signs, backslashes, unicode, control
// characters, an empty name.
func awkward() *report.Report {
	at := time.Date(2024, 5, 30, 9, 0, 0, 0, time.UTC)
	ops := []*dialect.Op{
		{Client: 0, Kind: dialect.OpConnect, Status: dialect.StatusFailed, Name: "X;Y", ClientID: `id"with;#quotes:<b>`, Start: at, Timed: true, Lines: []int{1}, QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1},
		{Client: 0, Kind: dialect.OpPublish, Status: dialect.StatusOK, Topic: "a/b;c#d%%e{f}`g\\h", QoS: 1, Payload: "温度: 21°C\x01\n;#", Lines: []int{2}, MsgID: -1, PayloadLen: -1, KeepAlive: -1},
		{Client: 0, Kind: dialect.OpReceive, Status: dialect.StatusOK, Topic: "", QoS: -1, Lines: []int{3}, MsgID: -1, PayloadLen: -1, KeepAlive: -1},
	}
	return report.BuildFromOps(report.Input{File: "awkward.log"}, ops)
}

// mermaidLine is the grammar atscope emits inside a block: a statement per
// line, messages between the three participants, text with no raw
// statement separator, entity start, quote or angle bracket.
var mermaidLine = regexp.MustCompile(`^(sequenceDiagram|    title (?P<t>.+)|    participant [HMB] as (host|module|broker)|    [HMB](->>|-->>|-x|--x)[HMB]: (?P<m>.+)|    Note over H,B: (?P<n>.+))$`)

var entity = regexp.MustCompile(`#[0-9]+;`)

func checkMermaid(t *testing.T, name, md string) {
	t.Helper()
	blocks := 0
	in := false
	for i, line := range strings.Split(md, "\n") {
		switch {
		case line == "```mermaid":
			in, blocks = true, blocks+1
			continue
		case in && line == "```":
			in = false
			continue
		case !in:
			continue
		}
		m := mermaidLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("%s:%d: not a statement of the grammar: %q", name, i+1, line)
			continue
		}
		text := entity.ReplaceAllString(m[2]+m[5]+m[6], "")
		if strings.ContainsAny(text, ";#\"<>{}%`\\") || strings.ContainsFunc(text, func(r rune) bool { return r < 0x20 }) {
			t.Errorf("%s:%d: unescaped text %q", name, i+1, line)
		}
	}
	if blocks == 0 {
		t.Errorf("%s: no mermaid block", name)
	}
}

func TestMermaidGrammar(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteMermaid(&b, awkward()); err != nil {
		t.Fatal(err)
	}
	checkMermaid(t, "awkward", b.String())
	for _, sample := range goldenSamples {
		b.Reset()
		if err := report.WriteMarkdown(&b, build(t, sample)); err != nil {
			t.Fatal(err)
		}
		checkMermaid(t, sample, b.String())
	}
}

// TestMermaidCLI renders the Mermaid blocks of the golden Markdown and of
// the awkward report with the Mermaid CLI (npm @mermaid-js/mermaid-cli),
// which fails on a diagram it cannot parse. It skips without mmdc or
// chromium; ATSCOPE_MMDC names an mmdc that is not on PATH.
func TestMermaidCLI(t *testing.T) {
	mmdc := os.Getenv("ATSCOPE_MMDC")
	if mmdc == "" {
		var err error
		if mmdc, err = exec.LookPath("mmdc"); err != nil {
			t.Skip("no mmdc (npm install -g @mermaid-js/mermaid-cli) on PATH")
		}
	}
	browserPath := chromium(t)
	dir := t.TempDir()
	var md bytes.Buffer
	for _, sample := range goldenSamples {
		golden, err := os.ReadFile(filepath.Join("testdata", strings.TrimSuffix(sample, ".log")+".md"))
		if err != nil {
			t.Fatal(err)
		}
		md.Write(golden)
	}
	if err := report.WriteMermaid(&md, awkward()); err != nil {
		t.Fatal(err)
	}
	in, out, conf := filepath.Join(dir, "all.md"), filepath.Join(dir, "out.md"), filepath.Join(dir, "puppeteer.json")
	write(t, in, md.String())
	write(t, conf, `{"executablePath": "`+browserPath+`", "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]}`)
	cmd := exec.Command(mmdc, "-p", conf, "-i", in, "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mmdc: %v\n%s", err, msg)
	}
	svgs, _ := filepath.Glob(filepath.Join(dir, "out-*.svg"))
	if want := strings.Count(md.String(), "```mermaid"); len(svgs) != want {
		t.Errorf("mmdc drew %d diagrams of %d", len(svgs), want)
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
