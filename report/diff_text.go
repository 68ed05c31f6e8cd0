package report

import (
	"fmt"
	"io"
	"strings"
)

// WriteDiffText writes a diff for a terminal: both logs and their
// verdicts, op counts and latency side by side with the change, then the
// findings that appeared, vanished or stayed.
func WriteDiffText(w io.Writer, d *Diff) error {
	var b strings.Builder
	for _, s := range []struct {
		name string
		side Side
	}{{"before", d.Before}, {"after", d.After}} {
		fmt.Fprintf(&b, "%-7s %s\n        %s; %s\n", s.name, s.side.File, s.side.Dialect, s.side.Span)
		for _, h := range s.side.Headline {
			fmt.Fprintf(&b, "        %s\n", h)
		}
	}
	b.WriteString("\noperations\n")
	rows := [][]string{{"op", "status", "before", "after", "change"}}
	for _, c := range d.Counts {
		rows = append(rows, []string{c.Op, c.Status, fmt.Sprint(c.Before), fmt.Sprint(c.After), signed(c.After - c.Before)})
	}
	writeColumns(&b, rows, 2)
	b.WriteString("\nlatency (ms, every client pooled)\n")
	if !d.Before.Timed || !d.After.Timed {
		b.WriteString("  a log has no timestamps: latencies cannot be compared\n")
	}
	rows = [][]string{{"op", "", "before", "after", "change"}}
	for _, l := range d.Latency {
		rows = append(rows, []string{l.Op, "timed", fmt.Sprint(l.Before.N), fmt.Sprint(l.After.N), signed(l.After.N - l.Before.N)})
		for _, p := range []struct {
			name       string
			before, af *float64
		}{{"p50", l.Before.P50, l.After.P50}, {"p90", l.Before.P90, l.After.P90}, {"p99", l.Before.P99, l.After.P99}, {"max", l.Before.Max, l.After.Max}} {
			rows = append(rows, []string{"", p.name, msText(p.before), msText(p.af), change(p.before, p.af)})
		}
	}
	writeColumns(&b, rows, 2)
	writeDiffFindings(&b, "findings that appeared", d.Appeared)
	writeDiffFindings(&b, "findings that vanished", d.Vanished)
	writeDiffFindings(&b, "findings in both", d.Kept)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeDiffFindings(b *strings.Builder, title string, fs []Finding) {
	fmt.Fprintf(b, "\n%s\n", title)
	if len(fs) == 0 {
		b.WriteString("  none\n")
	}
	for _, f := range fs {
		fmt.Fprintf(b, "  %s %s (%s): %s\n", strings.ToUpper(f.Severity), f.Rule, findingWhere(f, "line"), f.Title)
	}
}

// writeColumns writes rows as columns two spaces apart, the first left
// columns left-aligned and the others (numbers) right-aligned.
func writeColumns(b *strings.Builder, rows [][]string, left int) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var cells []string
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-len([]rune(c)))
			if i < left {
				cells = append(cells, c+pad)
			} else {
				cells = append(cells, pad+c)
			}
		}
		b.WriteString("  " + strings.TrimRight(strings.Join(cells, "  "), " ") + "\n")
	}
}

func signed(n int) string {
	if n == 0 {
		return "="
	}
	return fmt.Sprintf("%+d", n)
}

// change says how a latency moved: in percent of before, or "" when a side
// has none.
func change(before, after *float64) string {
	switch {
	case before == nil || after == nil:
		return ""
	case *before == 0 && *after == 0:
		return "="
	case *before == 0:
		return fmt.Sprintf("+%.0f ms", *after)
	}
	pct := (*after - *before) / *before * 100
	if pct > -0.5 && pct < 0.5 {
		return "="
	}
	return fmt.Sprintf("%+.0f%%", pct)
}
