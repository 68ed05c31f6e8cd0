package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

func newReportCmd(io *IO) *cobra.Command {
	opts := &sessionOptions{}
	opts.input.findings = true
	cmd := &cobra.Command{
		Use:   "report <log>...",
		Short: "The main job: what the log is, what each client did, what went wrong, and the timeline",
		Long: `Report on each log: its format, dialect, module (when the log says), time span
and how much of it was understood; then per client its connections, uptime,
operations by kind and status, and every failure with its reason; then the
timeline of every client.`,
		Example: `  atscope report samples/ec600s-aliyun-qcom.log
  atscope report --client 0 customer.log
  atscope report --date 2024-05-30 arduino-monitor.log`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return reportRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print one JSON document per log (one a line): summary, clients, findings, latency rows")
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
	field("format", "%s", in.Format.Name)
	field("dialect", "%s", in.Dialect.Describe())
	if m := in.Dialect.Module(); m != "" {
		field("module", "%s", m)
	}
	field("time", "%s", logSpan(in))
	lines := fmt.Sprintf("%d lines, %d events, %d unrecognised", tokStats.Lines, tokStats.Events, tokStats.Unrecognised)
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
	field("lines", "%s", lines)

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
		head += ": " + connectionSummary(s, last)
	}
	fmt.Fprintf(w, "%s\n", bold(st, head))
	fmt.Fprintf(w, "  operations: %s\n", countSummary(s.Counts()))
	if problems := s.Problems(); len(problems) > 0 {
		fmt.Fprintf(w, "  problems:\n")
		for _, op := range problems {
			fmt.Fprintf(w, "    %s\n", timeline.OpLine(op, st))
		}
	}
}

// connStats are the numbers of a client's connections.
type connStats struct {
	Connections    int   `json:"connections"`
	Connected      int   `json:"connected"` // reached CONNACK
	UptimeMS       int64 `json:"uptime_ms,omitempty"`
	up             time.Duration
	timed          bool
	LinkLosses     int  `json:"link_losses"`
	StillConnected bool `json:"still_connected"` // when the log ends
}

func connectionStats(s *timeline.Session, last time.Time) connStats {
	st := connStats{Connections: len(s.Connections)}
	for _, c := range s.Connections {
		if c.Connected != nil {
			st.Connected++
		}
		if d, ok := c.Uptime(last); ok {
			st.up += d
			st.timed = true
		}
		if c.Ended != nil && c.Ended.Status == dialect.StatusFailed {
			st.LinkLosses++
		}
	}
	st.UptimeMS = st.up.Milliseconds()
	if n := len(s.Connections); n > 0 {
		lastConn := s.Connections[n-1]
		st.StillConnected = lastConn.Connected != nil && lastConn.Ended == nil
	}
	return st
}

// connectionSummary says how many connections a client had and how long
// they were up.
func connectionSummary(s *timeline.Session, last time.Time) string {
	st := connectionStats(s, last)
	if st.Connections == 0 {
		return "never connected"
	}
	parts := []string{plural(st.Connections, "connection")}
	parts = append(parts, pickedUpSummary(s)...)
	if st.Connected < st.Connections {
		parts = append(parts, fmt.Sprintf("%d reached CONNACK", st.Connected))
	}
	if st.timed {
		parts = append(parts, "up "+timeline.HumanDuration(st.up)+" in all")
	}
	if st.LinkLosses > 0 {
		parts = append(parts, plural(st.LinkLosses, "link loss", "link losses"))
	}
	if st.StillConnected {
		parts = append(parts, "still connected when the log ends")
	}
	return strings.Join(parts, ", ")
}

// pickedUpSummary says which connections the log shows by their traffic
// alone (timeline.Connection.Up).
func pickedUpSummary(s *timeline.Session) []string {
	var out []string
	for _, c := range s.Connections {
		switch c.Up {
		case timeline.UpAtLogStart:
			out = append(out, "connected when the log starts")
		case timeline.UpUnanswered:
			out = append(out, fmt.Sprintf("connected although the %s at line %d shows no result", c.Unanswered.Kind, lineOf(c.Unanswered)))
		}
	}
	return out
}

func lineOf(op *dialect.Op) int {
	if len(op.Lines) == 0 {
		return 0
	}
	return op.Lines[0]
}

// countSummary renders counts as "publish 6 ok, 1 timeout · receive 3 ok".
func countSummary(c timeline.Count) string {
	var kinds []string
	for _, k := range dialect.OpKinds() {
		byStatus := c[k]
		if len(byStatus) == 0 {
			continue
		}
		var parts []string
		for _, st := range dialect.Statuses() {
			if n := byStatus[st]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, st))
			}
		}
		kinds = append(kinds, k.String()+" "+strings.Join(parts, ", "))
	}
	if len(kinds) == 0 {
		return "none"
	}
	return strings.Join(kinds, " · ")
}

func logSpan(in *analyze.Log) string {
	if !in.Timed {
		return "the log has no timestamps: latencies cannot be measured"
	}
	layout := "2006-01-02 15:04:05.000"
	if in.First.Year() == 0 {
		return fmt.Sprintf("%s to %s (%s), time of day only (--date sets the day)",
			in.First.Format("15:04:05.000"), in.Last.Format("15:04:05.000"), timeline.HumanDuration(in.Last.Sub(in.First)))
	}
	return fmt.Sprintf("%s to %s (%s)", in.First.Format(layout), in.Last.Format(layout), timeline.HumanDuration(in.Last.Sub(in.First)))
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
