package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"atscope/analyze"
	"atscope/internal/loggen"
	"atscope/report"
)

// TestLargeLogStaysBounded: the report of a 4 MiB log (six clients,
// tens of thousands of ops) caps its diagrams, timeline table and log
// section, and says so with where to look for the rest.
func TestLargeLogStaysBounded(t *testing.T) {
	log := loggen.Bytes(loggen.Options{Size: 4 << 20, Seed: 1})
	src := analyze.FromReader("big.log", bytes.NewReader(log))
	r, _, err := report.Run(src, analyze.Options{Format: "auto", Dialect: "auto"}, report.RunOptions{Document: true})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := report.WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if n := page.Len(); n > 12<<20 {
		t.Errorf("the page is %d MiB", n>>20)
	}
	for _, want := range []string{"more operations, see <code>atscope timeline --client 0 big.log</code>",
		"more operations, see <code>atscope timeline big.log</code>", "more lines, see <code>atscope events big.log</code>"} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q in the page", want)
		}
	}
	if n := strings.Count(html, `class="ln"`); n != report.MaxLogLines {
		t.Errorf("%d log lines shown, want %d", n, report.MaxLogLines)
	}
	var md bytes.Buffer
	if err := report.WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if n := md.Len(); n > 256<<10 {
		t.Errorf("the Markdown is %d KiB", n>>10)
	}
	t.Logf("%d KiB log: %d KiB HTML, %d KiB Markdown", len(log)>>10, page.Len()>>10, md.Len()>>10)
}

// TestNotUnderstoodComesFirst: a log atscope cannot read says so before
// anything else, in every format.
func TestNotUnderstoodComesFirst(t *testing.T) {
	text := strings.Repeat("lorem ipsum dolor sit amet\n", 20)
	src := analyze.FromReader("prose.log", strings.NewReader(text))
	r, _, err := report.Run(src, analyze.Options{Format: "auto", Dialect: "auto"}, report.RunOptions{Document: true})
	if err != nil {
		t.Fatal(err)
	}
	h := r.Headline()
	if len(h) == 0 || !strings.HasPrefix(h[0], "not understood: ") {
		t.Fatalf("headline %q does not start with not understood", h)
	}
	for _, line := range h[1:] {
		if strings.HasSuffix(line, "no problem found") {
			t.Errorf("%q on a log atscope did not understand", line)
		}
	}
	for name, write := range map[string]func(*bytes.Buffer) error{
		"html":     func(b *bytes.Buffer) error { return report.WriteHTML(b, r) },
		"markdown": func(b *bytes.Buffer) error { return report.WriteMarkdown(b, r) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		first := -1
		for _, says := range []string{"not understood", "did not understand"} {
			if i := strings.Index(out, says); i >= 0 && (first < 0 || i < first) {
				first = i
			}
		}
		if first < 0 {
			t.Errorf("%s: does not say the log was not understood", name)
		} else if v := strings.Index(out, "no problem found"); v >= 0 && v < first {
			t.Errorf("%s: says no problem found before not understood", name)
		}
	}
}

// TestManyFindingsBounded: a log with thousands of findings details the
// first ones in a document and says where the rest are.
func TestManyFindingsBounded(t *testing.T) {
	log := loggen.Bytes(loggen.Options{Size: 2 << 20, Seed: 2, Shape: "findings"})
	// diagnose makes one finding per client of the messages on topics never
	// subscribed: 300 subscriptions the broker rejects make one finding each
	for i := 1; i <= 300; i++ {
		log = fmt.Appendf(log, "[2024-05-30 23:00:00:000_S:] AT+QMTSUB=0,%d,\"deny/%d\",1\r\n[2024-05-30 23:00:00:010_R:] OK\r\n[2024-05-30 23:00:00:100_R:] +QMTSUB: 0,%d,0,128\r\n", i, i, i)
	}
	r, _, err := report.Run(analyze.FromReader("big.log", bytes.NewReader(log)), analyze.Options{Format: "auto", Dialect: "auto"}, report.RunOptions{Document: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) <= 200 {
		t.Fatalf("%d findings: the log does not test the bound", len(r.Findings))
	}
	more := fmt.Sprintf("%d more findings, see ", len(r.Findings)-200)
	var page, md bytes.Buffer
	if err := report.WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(page.String(), "\n") {
		if strings.Contains(line, `class="meta"`) && strings.Count(line, "<a href=") > 2*50 {
			t.Errorf("a finding links %d lines", strings.Count(line, "<a href="))
		}
	}
	if !strings.Contains(page.String(), " more</p>") {
		t.Errorf("no finding says how many of its lines it leaves out")
	}
	for name, out := range map[string]string{"html": page.String(), "markdown": md.String()} {
		if n := strings.Count(out, "vendor-result"); n > 200+len(r.Verdicts) {
			t.Errorf("%s: %d findings detailed", name, n)
		}
		if !strings.Contains(out, more+"<code>atscope diagnose big.log</code>") && !strings.Contains(out, more+"`atscope diagnose big.log`") {
			t.Errorf("%s: does not say %q", name, more)
		}
	}
}
