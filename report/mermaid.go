package report

import (
	"fmt"
	"io"
	"strings"
)

// maxMermaidMessages bounds a Mermaid diagram: trackers render long ones
// poorly, and the HTML report has the full picture.
const maxMermaidMessages = 80

// WriteMermaid writes each client's sequence diagram as a Mermaid
// sequenceDiagram block (```mermaid fences included), for GitHub, GitLab
// and Jira.
func WriteMermaid(w io.Writer, r *Report) error {
	var b strings.Builder
	for i, seq := range r.sequences {
		if len(seq.Messages) == 0 {
			continue
		}
		if i > 0 {
			b.WriteString("\n")
		}
		writeMermaidSequence(&b, seq)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var mermaidAlias = [...]string{LaneHost: "H", LaneModule: "M", LaneBroker: "B"}

func writeMermaidSequence(b *strings.Builder, seq Sequence) {
	b.WriteString("```mermaid\nsequenceDiagram\n")
	fmt.Fprintf(b, "    title %s\n", mermaidText(seq.Title))
	for _, l := range []Lane{LaneHost, LaneModule, LaneBroker} {
		fmt.Fprintf(b, "    participant %s as %s\n", mermaidAlias[l], l)
	}
	// The first maxMermaidMessages messages, then those of the excerpt's
	// later parts (around failures, and the last ops), which are short.
	shown, gaps := 0, false
	for i := 0; i < len(seq.Messages); i++ {
		m := seq.Messages[i]
		if m.Gap > 0 {
			gaps = true
			fmt.Fprintf(b, "    Note over H,B: %d operations left out\n", m.Gap)
			continue
		}
		if shown == maxMermaidMessages && !gaps {
			next := i
			for next < len(seq.Messages) && seq.Messages[next].Gap == 0 {
				next++
			}
			fmt.Fprintf(b, "    Note over H,B: %d more messages, see atscope timeline\n", next-i)
			i = next - 1
			continue
		}
		shown++
		fmt.Fprintf(b, "    %s%s%s: %s\n", mermaidAlias[m.From], mermaidArrow(m), mermaidAlias[m.To], mermaidText(messageLabel(m)))
	}
	if seq.MoreOps > 0 {
		fmt.Fprintf(b, "    Note over H,B: %d more operations, see atscope timeline\n", seq.MoreOps)
	}
	b.WriteString("```\n")
}

// mermaidArrow: solid for logged lines, dotted for inferred packets, a
// cross at the end for a failure.
func mermaidArrow(m Message) string {
	switch {
	case m.Failed && m.Packet:
		return "--x"
	case m.Failed:
		return "-x"
	case m.Packet:
		return "-->>"
	}
	return "->>"
}

// messageLabel is a message's text with its line and time in front.
func messageLabel(m Message) string {
	var where []string
	if m.Line > 0 {
		where = append(where, fmt.Sprintf("L%d", m.Line))
	}
	if m.Timed && !m.Time.IsZero() {
		where = append(where, m.Time.Format("15:04:05.000"))
	}
	text := m.Text
	if m.Failed {
		text = "✗ " + text
	}
	if len(where) == 0 {
		return text
	}
	return strings.TrimSpace("[" + strings.Join(where, " ") + "] " + text)
}

// mermaidText escapes a message for Mermaid: entity codes for what the
// grammar or its HTML sanitiser would take (# starts an entity, ; ends a
// statement, quotes, angle brackets, braces), control characters as
// spaces, and never an empty message.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '#' || r == ';' || r == '"' || r == '<' || r == '>' || r == '&' || r == '{' || r == '}' || r == '%' || r == '`' || r == '\\':
			fmt.Fprintf(&b, "#%d;", r)
		case r < 0x20 || r == 0x7f:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	if strings.TrimSpace(b.String()) == "" {
		return "#160;"
	}
	return b.String()
}
