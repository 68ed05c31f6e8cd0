package cli

import (
	"bufio"
	"cmp"
	"fmt"

	"atscope/dialect"
	"atscope/export"
	"atscope/timeline"
	"github.com/spf13/cobra"
)

// sessionOptions are the flags of the commands that show sessions.
type sessionOptions struct {
	input  inputOptions
	client int
	json   bool
	color  string
	// brief keeps of each op only what the text timeline shows
	// (timeline.Trim): the timeline command without --json.
	brief bool
}

func (o *sessionOptions) addFlags(cmd *cobra.Command) {
	o.input.addFlags(cmd)
	cmd.Flags().IntVar(&o.client, "client", -2, "show only this client index (-1 for the module-wide context)")
	cmd.Flags().StringVar(&o.color, "color", "auto", "colour: auto, never or always (NO_COLOR is honoured)")
}

func (o *sessionOptions) wants(client int) bool { return o.client == -2 || o.client == client }

// decodedLog is one log decoded to sessions.
type decodedLog struct {
	in       *logInput
	decoder  *dialect.Decoder
	sessions []*timeline.Session
}

// eachSessions decodes every log into sessions and calls fn for each.
func eachSessions(io *IO, paths []string, o *sessionOptions, fn func(*decodedLog) error) error {
	if _, err := colorOn(io, o.color); err != nil {
		return err
	}
	return eachLog(io, paths, &o.input, func(in *logInput) error {
		asm := timeline.NewAssembler()
		keep := asm.Add
		if o.brief {
			keep = func(op *dialect.Op) {
				timeline.Trim(op)
				asm.Add(op)
			}
		}
		dec, err := in.ops(keep, false)
		if err != nil {
			return err
		}
		return fn(&decodedLog{in: in, decoder: dec, sessions: o.keep(asm.Sessions())})
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
  atscope timeline --json samples/ec600s-aliyun-qcom.log | jq 'select(.op=="publish") | .latency_ms'`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return timelineRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the operations as JSON Lines")
	return cmd
}

func timelineRun(io *IO, opts *sessionOptions, paths []string) error {
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	color, _ := colorOn(io, opts.color)
	if opts.json {
		return streamOpsJSON(io, out, paths, opts)
	}
	first := true
	opts.brief = true
	return eachSessions(io, paths, opts, func(d *decodedLog) error {
		if !first {
			fmt.Fprintln(out)
		}
		first = false
		for i, s := range d.sessions {
			if i > 0 {
				fmt.Fprintln(out)
			}
			if err := timeline.Render(out, s, timeline.Style{Color: color}); err != nil {
				return err
			}
		}
		if len(d.sessions) == 0 {
			fmt.Fprintf(out, "%s: no MQTT operations (dialect: %s)\n", d.in.file, d.decoder.Describe())
		}
		return nil
	})
}

// streamOpsJSON writes the ops of each log as JSON Lines in log order, as
// the orderer hands them on: no op is kept (issue 17.2).
func streamOpsJSON(io *IO, out *bufio.Writer, paths []string, opts *sessionOptions) error {
	if _, err := colorOn(io, opts.color); err != nil {
		return err
	}
	jl := export.NewJSONLines(out)
	return eachLog(io, paths, &opts.input, func(in *logInput) error {
		var werr error
		_, err := in.ops(func(op *dialect.Op) {
			if werr == nil && opts.wants(op.Client) {
				r := export.NewOpRecord(op)
				werr = jl.WriteOp(&r)
			}
		}, true)
		return cmp.Or(err, werr)
	})
}
