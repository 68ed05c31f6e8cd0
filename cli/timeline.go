package cli

import (
	"bufio"
	"cmp"
	"maps"
	"slices"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/export"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

// sessionOptions are the flags of the commands that show sessions.
type sessionOptions struct {
	input      inputOptions
	client     clientFlag
	tableFlags // --json and --csv, where a command has them
	color      string
	// mermaid prints sequence diagrams (timeline --mermaid).
	mermaid bool
	follow  followFlag // --follow, where a command has it
}

func (o *sessionOptions) addFlags(cmd *cobra.Command) {
	o.input.addFlags(cmd)
	cmd.Flags().Var(&o.client, "client", "show only client `N` (-1: the module-wide context)")
	cmd.Flags().StringVar(&o.color, "color", "auto", "colour: auto, never or always (NO_COLOR is honoured)")
	completeValues(cmd, "color", colorModes...)
}

func (o *sessionOptions) wants(client int) bool { return o.client.wants(client) }

// decodedLog is one log decoded to sessions.
type decodedLog struct {
	log      *analyze.Log
	sessions []*timeline.Session
}

// eachSessions decodes every log into sessions and calls fn for each.
func eachSessions(io *IO, paths []string, o *sessionOptions, fn func(*decodedLog) error) error {
	if _, err := colorOn(io, o.color); err != nil {
		return err
	}
	return eachLog(io, paths, &o.input, func(src *analyze.Source, opt analyze.Options) error {
		l, sessions, err := analyze.RunSessions(src, opt, false)
		if l == nil {
			return err
		}
		if note := o.client.missing(l.File, sessionClients(sessions)); note != "" {
			opt.Warn(note)
		}
		return cmp.Or(fn(&decodedLog{log: l, sessions: o.keep(sessions)}), err)
	})
}

// keep is the sessions of the clients --client asks for.
func (o *sessionOptions) keep(sessions []*timeline.Session) []*timeline.Session {
	var out []*timeline.Session
	for _, s := range sessions {
		if o.wants(s.Client) {
			out = append(out, s)
		}
	}
	return out
}

func newTimelineCmd(io *IO) *cobra.Command {
	opts := &sessionOptions{}
	cmd := &cobra.Command{
		Use:   "timeline <log>...",
		Short: "Show the MQTT operations of each client, in order, with their outcome",
		Long: `Show, per client, one line per MQTT operation: time and line, the operation
(open, connect, subscribe, unsubscribe, publish, receive, disconnect, close,
setup, link), its essentials (host, client ID, topic, QoS, msgID, payload),
its status (ok, failed, timeout, pending, unknown) with the reason, and the
time from request to result. The module-wide context (resets, SIM,
registration, PDP) comes first as "module".`,
		Example: `  atscope timeline samples/ec25-multiclient.log
  atscope timeline --client 1 samples/ec25-multiclient.log
  atscope timeline --json samples/ec600s-aliyun-qcom.log | jq 'select(.op=="publish") | .latency_ms'
  atscope timeline --mermaid --client 0 samples/ec25-multiclient.log`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return timelineRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the operations as JSON Lines")
	cmd.Flags().BoolVar(&opts.csv, "csv", false, "print the operations as CSV with a header line (the JSON fields)")
	cmd.Flags().BoolVar(&opts.mermaid, "mermaid", false, "print each client's sequence diagram as a Mermaid block (for GitHub, GitLab, Jira)")
	opts.follow.addFlag(cmd)
	return cmd
}

func timelineRun(io *IO, opts *sessionOptions, paths []string) error {
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	color, _ := colorOn(io, opts.color)
	form, err := opts.form()
	if err != nil {
		return err
	}
	if opts.follow.on && opts.mermaid {
		return usagef("--mermaid excludes --follow: a diagram is drawn once the log is read")
	}
	if opts.follow.on {
		return timelineFollow(io, opts, paths, out, form, color)
	}
	if opts.mermaid {
		if form != formText {
			return usagef("--mermaid excludes --json and --csv")
		}
		if err := timelineMermaidRun(io, opts, paths); err != nil {
			return err
		}
		warnUnredacted(io, &opts.input, paths, "the Mermaid output")
		return nil
	}
	if form != formText {
		return streamOps(io, out, paths, opts, form)
	}
	if _, err := colorOn(io, opts.color); err != nil {
		return err
	}
	return textTimeline(io, out, paths, opts, timeline.Style{Color: color})
}

// streamOps writes the ops of each log as JSON Lines or CSV records in log
// order, as the pipeline's orderer hands them on: no op is kept (issue
// 17.2), whatever the size of the log.
func streamOps(io *IO, out *bufio.Writer, paths []string, opts *sessionOptions, form tableForm) error {
	if _, err := colorOn(io, opts.color); err != nil {
		return err
	}
	jl := export.NewJSONLines(out)
	var rc *recordCSV
	if form == formCSV {
		rc = newRecordCSV(out, opCSVHeader...)
	}
	write := func(op *dialect.Op) error {
		r := export.NewOpRecord(op)
		if rc != nil {
			return rc.write(r)
		}
		return jl.WriteOp(&r)
	}
	return eachLog(io, paths, &opts.input, func(src *analyze.Source, opt analyze.Options) error {
		seen := map[int]bool{}
		var werr error
		opt.Ordered = true
		l, err := analyze.Run(src, opt, analyze.Sinks{Op: func(op *dialect.Op) {
			seen[op.Client] = true
			if werr == nil && opts.wants(op.Client) {
				werr = write(op)
			}
		}})
		if l == nil {
			return cmp.Or(werr, err)
		}
		clients := slices.Sorted(maps.Keys(seen))
		if note := opts.client.missing(l.File, clients); note != "" {
			opt.Warn(note)
		}
		if rc != nil {
			werr = cmp.Or(werr, rc.flush())
		}
		return cmp.Or(werr, err)
	})
}

// opCSVHeader are the columns of timeline --csv: the JSON fields of ops.
var opCSVHeader = []string{"file", "dialect", "client", "op", "name", "status", "code", "reason", "start", "end",
	"latency_ms", "topic", "topics", "qos", "granted", "retain", "msgid", "payload", "payload_len", "retries",
	"host", "port", "tls", "client_id", "username", "keepalive", "lines"}
