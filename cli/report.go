package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"atscope/dialect"
	"atscope/report"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

func newReportCmd(io *IO) *cobra.Command {
	opts := &reportOptions{}
	opts.input.findings = true
	cmd := &cobra.Command{
		Use:   "report <log>...",
		Short: "The main job: what the log is, what each client did, what went wrong, and the timeline",
		Long: `Report on each log: its format, dialect, module (when the log says), time span
and how much of it was understood; then per client its connections, uptime,
operations by kind and status, and every failure with its reason; then the
timeline of every client. The verdict per client (and, first, whether the
log was understood) heads every format.

-o report.html writes one self-contained page (no network needed: open it
from a mail attachment) with sequence diagrams, latency plots, a timeline
that filters and the log with linked line numbers; -o report.md Markdown
for an issue tracker, with Mermaid sequence diagrams; --json one JSON
document per log.`,
		Example: `  atscope report samples/ec600s-aliyun-qcom.log
  atscope report --client 0 customer.log
  atscope report --date 2024-05-30 arduino-monitor.log
  atscope report -o report.html --redact customer.log`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return reportToOutput(io, opts, args) },
	}
	opts.addFlags(cmd)
	return cmd
}

func reportRun(io *IO, opts *sessionOptions, paths []string) error {
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	color, _ := colorOn(io, opts.color)
	st := timeline.Style{Color: color}
	n := 0
	return eachSessions(io, paths, opts, func(d *decodedLog) error {
		if opts.json {
			return writeReportJSON(out, d)
		}
		if n > 0 {
			fmt.Fprintln(out)
		}
		n++
		writeReport(out, d, st)
		return nil
	})
}

// writeReport writes one log's report.
func writeReport(w io.Writer, d *decodedLog, st timeline.Style) {
	in, tokStats := d.log, d.log.Stats
	fmt.Fprintf(w, "%s\n", bold(st, in.File))
	field := func(name, format string, a ...any) { fmt.Fprintf(w, "  %-9s %s\n", name, fmt.Sprintf(format, a...)) }
	label := "verdict"
	for _, h := range reportHeadline(d) {
		field(label, "%s", h)
		label = ""
	}
	field("format", "%s", in.Format.Name)
	field("dialect", "%s", in.Dialect.Describe())
	if m := in.Dialect.Module(); m != "" {
		field("module", "%s", m)
	}
	field("time", "%s", report.Span(in.First, in.Last, in.Timed))
	positions := "lines"
	if report.Framed(in.Format.Name) {
		positions = "frames"
	}
	lines := fmt.Sprintf("%d %s, %d events, %d unrecognised", tokStats.Lines, positions, tokStats.Events, tokStats.Unrecognised)
	if len(in.Unrecognised) > 0 {
		lines += " (lines " + joinInts(in.Unrecognised, ", ")
		if tokStats.Unrecognised > len(in.Unrecognised) {
			lines += ", …"
		}
		lines += ")"
	}
	if tokStats.Problems > 0 {
		lines += fmt.Sprintf(", %d with damaged or inconsistent bytes", tokStats.Problems)
	}
	field(positions, "%s", lines)

	for _, s := range d.sessions {
		fmt.Fprintln(w)
		writeSessionSummary(w, s, in.Last, st)
	}
	writeFindingsSection(w, d, st)
	if len(d.sessions) == 0 {
		fmt.Fprintln(w, "\n  no MQTT operations and no module context found")
		return
	}
	writeLatencySection(w, d, st)
	fmt.Fprintf(w, "\n%s\n", bold(st, "timeline"))
	for i, s := range d.sessions {
		if i > 0 {
			fmt.Fprintln(w)
		}
		timeline.Render(w, s, st)
	}
}

// writeSessionSummary writes a client's (or the module's) summary.
func writeSessionSummary(w io.Writer, s *timeline.Session, last time.Time, st timeline.Style) {
	head := s.Title()
	if s.Dialect != "" {
		head += " (" + s.Dialect + ")"
	}
	if s.Client != dialect.ModuleClient {
		head += ": " + report.ConnectionSummary(s, last)
	}
	fmt.Fprintf(w, "%s\n", bold(st, head))
	fmt.Fprintf(w, "  operations: %s\n", report.CountSummary(s.Counts()))
	if problems := s.Problems(); len(problems) > 0 {
		fmt.Fprintf(w, "  problems:\n")
		for _, op := range problems {
			fmt.Fprintf(w, "    %s\n", timeline.OpLine(op, st))
		}
	}
}

func plural(n int, forms ...string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", forms[0])
	}
	if len(forms) > 1 {
		return fmt.Sprintf("%d %s", n, forms[1])
	}
	return fmt.Sprintf("%d %ss", n, forms[0])
}

func joinInts(v []int, sep string) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, sep)
}

func bold(st timeline.Style, s string) string {
	if !st.Color {
		return s
	}
	return "\x1b[1m" + s + "\x1b[0m"
}
