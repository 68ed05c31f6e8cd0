package cli

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"atscope/analyze"
	"atscope/decode"
	"atscope/export"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

type eventsOptions struct {
	input inputOptions
	tableFlags
	color  string
	client clientFlag
	follow followFlag
}

func newEventsCmd(io *IO) *cobra.Command {
	opts := &eventsOptions{}
	cmd := &cobra.Command{
		Use:   "events <log>...",
		Short: "List the AT events of logs: commands, echoes, responses, results, URCs, prompts, payloads",
		Long: `List the AT events of each log, in order, with the line they start on.

Kinds: command (host to module), echo (the module repeating a command),
response (information text of the pending command), result (OK, ERROR,
and the error results that carry a code), urc (unsolicited lines, including the asynchronous
results of MQTT commands), prompt ("> "), data (payload bytes), and text
(anything unrecognised, kept so that nothing is lost). A direction marked
with "?" was inferred, not logged. A summary goes to stderr.`,
		Example: `  atscope events samples/ec600s-aliyun-qcom.log
  atscope events --json samples/air780-luat-reconnect.log | jq -r 'select(.kind=="urc") | .text'
  atscope events --input-format raw - < capture.log`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return eventsRun(io, opts, args) },
	}
	opts.input.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print JSON Lines, one event per line")
	cmd.Flags().Var(&opts.client, "client", "show only the events of client `N`'s operations (-1: the module-wide context and the events of no operation)")
	cmd.Flags().StringVar(&opts.color, "color", "auto", "colour error results and damaged events: auto, never or always (NO_COLOR is honoured)")
	completeValues(cmd, "color", colorModes...)
	opts.follow.addFlag(cmd)
	cmd.Flags().BoolVar(&opts.csv, "csv", false, "print CSV with a header line, one event per record (the JSON fields)")
	return cmd
}

func eventsRun(io *IO, opts *eventsOptions, paths []string) error {
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	form, err := opts.form()
	if err != nil {
		return err
	}
	if opts.input.op != "" {
		return usagef("--op selects operations, and events are not attributed to them: use timeline --op")
	}
	color, err := colorOn(io, opts.color)
	if err != nil {
		return err
	}
	var cw *csv.Writer
	if form == formCSV {
		cw = csv.NewWriter(out)
		cw.Write(eventCSVHeader)
	}
	each := eachLog
	if opts.follow.on {
		each = followLog
	}
	return each(io, paths, &opts.input, func(src *analyze.Source, opt analyze.Options) error {
		newWriter := eventWriter
		if opts.follow.on {
			newWriter = followEvents
		}
		write, done := newWriter(io, out, form, cw, color)
		if opts.client.set {
			opt.EventClient = opts.client.wants
		}
		l, err := analyze.Run(src, opt, analyze.Sinks{Event: write})
		if l == nil {
			return err
		}
		if err := done(); err != nil {
			return err
		}
		out.Flush()
		fmt.Fprintln(io.Err, summary(l))
		return err
	})
}

// eventWriter returns what writes one event (a table row, or a JSON line)
// and what ends the table.
func eventWriter(io *IO, out *bufio.Writer, form tableForm, cw *csv.Writer, color bool) (write func(*decode.Event) error, done func() error) {
	switch form {
	case formCSV:
		return func(ev *decode.Event) error {
				r := export.NewEventRecord(ev)
				return cw.Write(eventCSV(&r))
			}, func() error {
				cw.Flush()
				return cw.Error()
			}
	case formJSON:
		jl := export.NewJSONLines(out)
		return func(ev *decode.Event) error {
			r := export.NewEventRecord(ev)
			return jl.WriteEvent(&r)
		}, func() error { return nil }
	}
	t := newTable(&IO{Out: out, IsTerminal: io.IsTerminal}, "line", "time", "dir", "kind", "name", "text")
	var clock lastClock
	return func(ev *decode.Event) error {
		return t.row(strconv.Itoa(ev.Pos.Line), clock.of(ev), dirMark(ev), ev.Kind.String(), ev.Name, eventText(ev, color))
	}, t.flush
}

// lastClock is clockTime of the event before, kept: most events share the
// logged time of the one before them, and formatting a time for each of
// millions of events was a sixth of events' CPU time.
type lastClock struct {
	time time.Time
	src  decode.TimeSource
	text string
	set  bool
}

func (c *lastClock) of(ev *decode.Event) string {
	if !c.set || ev.TimeSrc != c.src || ev.Time != c.time {
		c.time, c.src, c.set = ev.Time, ev.TimeSrc, true
		c.text = clockTime(ev)
	}
	return c.text
}

// eventCSVHeader are the columns of events --csv: the JSON field names.
var eventCSVHeader = []string{"file", "line", "end_line", "offset", "time", "time_source", "dir", "dir_inferred",
	"kind", "name", "args", "text", "note", "problem", "seq"}

func eventCSV(r *export.EventRecord) []string {
	endLine := ""
	if r.EndLine != 0 {
		endLine = strconv.Itoa(r.EndLine)
	}
	return []string{r.File, strconv.Itoa(r.Line), endLine, strconv.FormatInt(r.Offset, 10), r.Time, r.TimeSource.String(),
		r.Dir.String(), boolCell(r.DirInferred), r.Kind.String(), r.Name, r.Args, r.Text, boolCell(r.Note), r.Problem,
		strconv.Itoa(r.Seq)}
}

// boolCell is a CSV cell of a flag JSON leaves out when false.
func boolCell(b bool) string {
	if b {
		return "true"
	}
	return ""
}

// clockTime is an event's time for a table: the time of day, with the date
// when the log gave one.
func clockTime(ev *decode.Event) string {
	switch {
	case ev.TimeSrc != decode.TimeLog:
		return ""
	case ev.Time.Year() == 0:
		return ev.Time.Format("15:04:05.000")
	}
	return ev.Time.Format("2006-01-02 15:04:05.000")
}

func dirMark(ev *decode.Event) string {
	var s string
	switch ev.Dir {
	case decode.DirToModule:
		s = "->"
	case decode.DirFromModule:
		s = "<-"
	}
	if ev.DirInferred {
		s += "?"
	}
	return s
}

// eventText is an event's text for a table, with its problem appended:
// in colour, an error result red and a damaged event yellow.
func eventText(ev *decode.Event, color bool) string {
	s := timeline.VisibleBytes(ev.Text) // a binary payload shows its bytes
	if ev.Problem != "" {
		return paint(color, ansiYellow, s+"  ["+ev.Problem+"]")
	}
	if ev.Kind == decode.KindResult && strings.Contains(ev.Name, "ERROR") {
		return paint(color, ansiRed, s)
	}
	return s
}
