package cli

import (
	"strconv"
	"strings"

	"atscope/internal/loggen"
	"github.com/spf13/cobra"
)

// generateOptions are the flags of the hidden `atscope generate`.
type generateOptions struct {
	loggen.Options
	size   string
	output string
	force  bool
}

// newGenerateCmd makes synthetic logs for benchmarks and load tests. It is
// hidden: a developer's tool, not part of the contract.
func newGenerateCmd(io *IO) *cobra.Command {
	opts := &generateOptions{}
	cmd := &cobra.Command{
		Use:    "generate -o out.log",
		Short:  "Write a synthetic multi-client AT log (for benchmarks)",
		Hidden: true,
		Long: `Write a deterministic, realistic AT log of busy MQTT clients: telemetry,
loopback messages, commands answered by id, link losses and reconnects, with
the module's results landing between later commands. Memory stays small
whatever the size.

--shape chooses the kind of traffic:
  steady     the above (the default)
  reconnect  clients that reconnect every 20 to 70 operations, 35 % downlink
             commands with a JSON id never answered (issue 17's shape)
  urc        nine receives in ten, on about a million distinct topics
  clients    sessions of a few operations, each with its own client ID
  findings   failed and retransmitted publishes, receives on topics never
             subscribed, reconnect storms
(client IDs per session and failing publishes: quectel only)`,
		Example: `  atscope generate --size 200MB -o bench.log
  atscope generate --shape reconnect --size 1GB -o storm.log
  atscope generate --dialect simcom --format raw --size 1GB | gzip > bench.log.gz`,
		Args: noArgs,
		RunE: func(*cobra.Command, []string) error { return generateRun(io, opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Dialect, "dialect", loggen.Dialects[0], "dialect: "+strings.Join(loggen.Dialects, ", "))
	f.StringVar(&opts.Format, "format", loggen.Formats[0], "log format: "+strings.Join(loggen.Formats, ", "))
	f.IntVar(&opts.Clients, "clients", 0, "MQTT clients (0: as many as the dialect has, quectel 6)")
	f.StringVar(&opts.size, "size", "10MB", "about how much to write: bytes, or with KB, MB or GB (powers of 1024)")
	f.StringVar(&opts.Shape, "shape", loggen.Shapes[0], "kind of traffic: "+strings.Join(loggen.Shapes, ", ")+" (see Long)")
	f.Uint64Var(&opts.Seed, "seed", 0, "vary the delays and payloads")
	f.StringVarP(&opts.output, "output", "o", "-", "write to `FILE` (- for standard output)")
	f.BoolVarP(&opts.force, "force", "f", false, "overwrite the output file if it exists")
	return cmd
}

func generateRun(io *IO, opts *generateOptions) error {
	size, ok := parseSize(opts.size)
	if !ok {
		return usagef("--size %q: want a number of bytes, or with KB, MB or GB", opts.size)
	}
	opts.Size = size
	if err := opts.Validate(); err != nil {
		return usageError{err}
	}
	if opts.output == "-" {
		return loggen.Write(io.Out, opts.Options)
	}
	f, err := createOutput(opts.output, nil, opts.force)
	if err != nil {
		return err
	}
	defer f.Discard()
	if err := loggen.Write(f, opts.Options); err != nil {
		return err
	}
	return f.Commit()
}

// parseSize reads "200MB", "1GB", "64KB" or a number of bytes.
func parseSize(s string) (int64, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n * mult, true
}
