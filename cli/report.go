package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"atscope/analyze"
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
operations by kind and status, and its failures with their reason (the
first 20, then how many more); then the findings, the latency and the
timeline of every client. The verdict per client (and, first, whether the
log was understood) heads every format.

A client with more than 500 operations gets a timeline excerpt: its first
and last 10 operations and the 3 before and after each failure and each
line a finding rests on, with how many operations each gap leaves out.
--full writes every operation instead (the lines wait in a temporary file
meanwhile, so memory stays flat; the output grows with the log), as
atscope timeline does.

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
	cmd.Flags().BoolVar(&opts.full, "full", false, "write every operation in the text timeline, not an excerpt of a client with more than 500")
	return cmd
}

func reportRun(tio *IO, opts *reportOptions, paths []string) error {
	out := bufio.NewWriter(tio.Out)
	defer out.Flush()
	color, _ := colorOn(tio, opts.color)
	st := timeline.Style{Color: color}
	ro := report.RunOptions{}
	if !opts.json {
		ro.Text = &st
	}
	n := 0
	return eachReport(tio, &opts.sessionOptions, paths, ro, func(r *report.Report, l *analyze.Log) error {
		d := &decodedLog{log: l, sessions: summarySessions(r)}
		if opts.json {
			return writeReportJSON(out, d, r)
		}
		if n > 0 {
			fmt.Fprintln(out)
		}
		n++
		return writeReport(out, d, r, st, opts.full)
	})
}

// summarySessions are the sessions (without ops) of the clients a report
// shows, which reportClients reads.
func summarySessions(r *report.Report) []*timeline.Session {
	var out []*timeline.Session
	for _, s := range r.Summaries() {
		out = append(out, &timeline.Session{File: s.File, Client: s.Client, Dialect: s.Dialect})
	}
	return out
}

// writeReport writes one log's report; full writes every client's whole
// timeline rather than an excerpt of a long one.
func writeReport(w io.Writer, d *decodedLog, r *report.Report, st timeline.Style, full bool) error {
	in := d.log
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
	first, last, timed := in.Span()
	field("time", "%s", report.Span(first, last, timed, in.Format.Origin))
	positions := "lines"
	if report.Framed(in.Format.Name) {
		positions = "frames"
	}
	field(positions, "%s", sizeFact(in, positions))

	for _, s := range r.Summaries() {
		fmt.Fprintln(w)
		writeSessionSummary(w, s, last, st)
	}
	writeFindingsSection(w, d, st)
	if len(r.Summaries()) == 0 {
		fmt.Fprintln(w, "\n  no MQTT operations and no module context found")
		return nil
	}
	writeLatencySection(w, r.Latencies(), st)
	fmt.Fprintf(w, "\n%s\n", bold(st, "timeline"))
	return r.WriteTimeline(w, full, shellQuote(in.File))
}

// sizeFact says how many lines (or frames) and events the log has, and
// how many it did not recognise.
func sizeFact(in *analyze.Log, positions string) string {
	tokStats := in.Stats
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
	return lines
}

// writeSessionSummary writes a client's (or the module's) summary: its
// connections, its ops by kind and status, and its first failures.
func writeSessionSummary(w io.Writer, s *report.ClientSummary, last time.Time, st timeline.Style) {
	head := s.Title()
	if s.Dialect != "" {
		head += " (" + s.Dialect + ")"
	}
	if s.Client != dialect.ModuleClient {
		head += ": " + s.ConnectionSummary(last)
	}
	fmt.Fprintf(w, "%s\n", bold(st, head))
	fmt.Fprintf(w, "  operations: %s\n", report.CountSummary(s.Counts))
	if len(s.Problems) > 0 {
		fmt.Fprintf(w, "  problems:\n")
		for _, op := range s.Problems {
			fmt.Fprintf(w, "    %s\n", timeline.OpLine(op, st))
		}
		if more := s.MoreProblems(shellQuote(s.File)); more != "" {
			fmt.Fprintf(w, "    %s\n", more)
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
