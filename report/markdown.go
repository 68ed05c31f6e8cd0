package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report as Markdown for an issue tracker: what
// the log is, whether it was understood, the verdicts, each client's
// summary, the findings with their quoted lines, the latency table and the
// sequence diagrams as Mermaid blocks.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## atscope report: %s\n\n", mdText(r.File))
	for _, h := range r.Headline() {
		fmt.Fprintf(&b, "- **%s**\n", mdText(h))
	}
	b.WriteString("\n| | |\n|---|---|\n")
	mdRow(&b, "format", r.Format)
	mdRow(&b, "dialect", r.Dialect)
	if r.Module != "" {
		mdRow(&b, "module", r.Module)
	}
	mdRow(&b, "time", r.Span)
	mdRow(&b, r.positions(), r.sizeFact())
	writeMarkdownClients(&b, r)
	writeMarkdownFindings(&b, r)
	writeMarkdownLatency(&b, r)
	if len(r.sequences) > 0 {
		b.WriteString("\n### Sequence\n\nLogged AT lines are solid arrows; the MQTT packets they stand for, as atscope infers them, are dotted; failures end in a cross.\n\n")
		if err := WriteMermaid(&b, r); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdownClients(b *strings.Builder, r *Report) {
	if len(r.Clients) == 0 {
		b.WriteString("\nNo MQTT operations and no module context found.\n")
		return
	}
	b.WriteString("\n### Clients\n\n")
	for _, c := range r.Clients {
		head := c.Title
		if c.Dialect != "" {
			head += " (" + c.Dialect + ")"
		}
		fmt.Fprintf(b, "- **%s**", mdText(head))
		if c.Connections != "" {
			fmt.Fprintf(b, ": %s", mdText(c.Connections))
		}
		fmt.Fprintf(b, "; operations: %s\n", mdText(c.Operations))
		for _, p := range c.Problems {
			fmt.Fprintf(b, "  - %s\n", mdText(opText(p)))
		}
	}
}

func writeMarkdownFindings(b *strings.Builder, r *Report) {
	b.WriteString("\n### Findings\n\n")
	if len(r.Findings) == 0 {
		b.WriteString("None.\n")
		return
	}
	for _, f := range shownFindings(r.Findings) {
		fmt.Fprintf(b, "#### %s %s (%s)\n\n", strings.ToUpper(f.Severity), mdText(f.Rule), mdText(findingWhere(f, positionWord(r.Format))))
		fmt.Fprintf(b, "**%s**\n\n%s\n\n", mdText(f.Title), mdText(f.Explanation))
		if f.Advice != "" {
			fmt.Fprintf(b, "Advice: %s\n\n", mdText(f.Advice))
		}
		if len(f.Quotes) > 0 {
			b.WriteString("```text\n")
			for _, q := range f.Quotes {
				fmt.Fprintf(b, "%5d | %s\n", q.Line, strings.ReplaceAll(q.Text, "```", "`‌``"))
			}
			b.WriteString("```\n\n")
		}
	}
	if more := len(r.Findings) - maxDocFindings; more > 0 {
		fmt.Fprintf(b, "%d more findings, see `atscope diagnose %s`.\n", more, strings.ReplaceAll(r.File, "`", "'"))
	}
}

// maxDocFindings bounds the findings an HTML or Markdown report details:
// a log with thousands has the same few causes, and atscope diagnose (or
// report --json) lists every one.
const maxDocFindings = 200

// shownFindings are the findings a document details.
func shownFindings(fs []Finding) []Finding { return fs[:min(len(fs), maxDocFindings)] }

func writeMarkdownLatency(b *strings.Builder, r *Report) {
	b.WriteString("\n### Latency\n\n")
	if !r.timed {
		b.WriteString("The log has no timestamps: latencies cannot be measured.\n")
		return
	}
	if len(r.Latency) == 0 {
		b.WriteString("No operation with a measured latency.\n")
		return
	}
	b.WriteString("| client | op | count | ok | failed | timeout | timed | p50 ms | p90 ms | p99 ms | max ms |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, l := range r.Latency {
		fmt.Fprintf(b, "| %s | %s | %d | %d | %d | %d | %d | %s | %s | %s | %s |\n", clientLabel(l.Client), mdText(l.Op),
			l.Count, l.OK, l.Failed, l.Timeout, l.Timed, msText(l.P50), msText(l.P90), msText(l.P99), msText(l.Max))
	}
}

func mdRow(b *strings.Builder, name, value string) {
	fmt.Fprintf(b, "| %s | %s |\n", name, mdText(value))
}

// mdText escapes what Markdown (and tables) would read as markup.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '#', '~':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func findingWhere(f Finding, word string) string {
	where := positionRange(word, f.Lines)
	if f.Client >= 0 {
		where = clientLabel(f.Client) + ", " + where
	}
	return where
}

// positionRange says "line 5" or "lines 5-9" (first to last), or frames.
func positionRange(word string, lines []int) string {
	switch len(lines) {
	case 0:
		return "no " + word
	case 1:
		return fmt.Sprintf("%s %d", word, lines[0])
	}
	return fmt.Sprintf("%ss %d-%d", word, lines[0], lines[len(lines)-1])
}

func clientLabel(c int) string {
	if c < 0 {
		return "module"
	}
	return fmt.Sprintf("client %d", c)
}

// msText is a latency in milliseconds: whole ones, tenths below 10 ms.
func msText(v *float64) string {
	switch {
	case v == nil:
		return "-"
	case *v < 10:
		return fmt.Sprintf("%.1f", *v)
	}
	return fmt.Sprintf("%.0f", *v)
}

// opText is an op as one line: time, kind, essentials, status, outcome.
func opText(o Op) string {
	var parts []string
	if o.Start != nil {
		parts = append(parts, o.Start.Format("15:04:05.000"))
	}
	if len(o.Lines) > 0 {
		parts = append(parts, fmt.Sprintf("L%d", o.Lines[0]))
	}
	parts = append(parts, o.Op)
	if o.What != "" {
		parts = append(parts, o.What)
	}
	st := o.Status
	if o.Outcome != "" {
		st += ": " + o.Outcome
	}
	return strings.Join(append(parts, st), " ")
}
