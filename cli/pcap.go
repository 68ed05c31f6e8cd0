package cli

import (
	"bufio"
	"cmp"
	"fmt"
	"sort"
	"strings"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/export"
	"github.com/spf13/cobra"
)

// pcapOptions are the flags of `atscope pcap`.
type pcapOptions struct {
	sessionOptions
	output    string
	force     bool
	classic   bool
	keepPorts bool
}

func newPcapCmd(io *IO) *cobra.Command {
	opts := &pcapOptions{}
	cmd := &cobra.Command{
		Use:   "pcap <log>... -o out.pcapng",
		Short: "Write the MQTT sessions as a pcapng capture for Wireshark",
		Long: `Write the MQTT traffic the logs show as a pcapng file that Wireshark and
tshark open: one TCP stream per connection of each client, with the handshake,
the MQTT packets (CONNECT, CONNACK, SUBSCRIBE, PUBLISH, PUBACK, ...) and the
close, at the logged times. Only what the log shows is written: a publish
whose result is not logged gets no acknowledgement, a command the module
refused puts nothing on the wire, and no PINGREQ appears unless the log
reports one.

Every packet carries a comment naming the log lines that show it
(file:line,line: what), and the section header names atscope and the logs.
Addresses are synthetic where the log has none (the module in 192.0.2.0/24,
brokers named by host in 198.51.100.0/24 or 203.0.113.0/24, each after a DNS
answer so Wireshark shows the name). Brokers are shown on TCP port 1883, where
Wireshark dissects MQTT, with the logged port in the comments; --keep-ports
keeps the logged ports and prints the -d tcp.port==N,mqtt options Wireshark
then needs. A TLS connection is shown as the plain MQTT inside it. A log that
starts mid-session (an excerpt) gives its stream picked up mid-way, without
handshake. A log without timestamps is laid out from 2000-01-01T00:00:00Z at
one second per AT event. With --redact, user names,
passwords and the other secrets are replaced in the packets and comments too.

A summary goes to standard error: packets, connections, and the operations
that put nothing on the wire, with why.`,
		Example: `  atscope pcap samples/ec25-multiclient.log -o ec25.pcapng
  atscope pcap --client 1 samples/ec25-multiclient.log -o - | tshark -r - -Y mqtt
  atscope pcap --classic samples/*.log -o all.pcap`,
		Args: logArgs,
		RunE: func(_ *cobra.Command, args []string) error { return pcapRun(io, opts, args) },
	}
	opts.addFlags(cmd)
	f := cmd.Flags()
	f.StringVarP(&opts.output, "output", "o", "", "write the capture to `FILE` (- for standard output); required")
	f.BoolVarP(&opts.force, "force", "f", false, "overwrite the output file if it exists")
	f.BoolVar(&opts.classic, "classic", false, "write classic pcap (no comments, no direction flags) for old tools")
	f.BoolVar(&opts.keepPorts, "keep-ports", false, "keep the brokers' logged ports (default: port 1883, where Wireshark dissects MQTT)")
	refuseFlags(cmd, refusedFlag{name: "json", why: "pcap writes a capture, not JSON: --json means nothing here (atscope events --json lists the events)"})
	return cmd
}

// pcapBuffer is how much of the capture is written at once: a capture is
// about three times its log, and 4 KiB writes made 7 % of pcap's time in
// system calls.
const pcapBuffer = 256 << 10

func pcapRun(io *IO, opts *pcapOptions, paths []string) error {
	if opts.output == "" {
		return usagef("pcap needs -o FILE (or -o - for standard output)")
	}
	if opts.output == "-" && io.IsTerminal {
		return usagef("refusing to write a capture to a terminal: redirect standard output, or give -o FILE")
	}
	if _, err := colorOn(io, opts.color); err != nil {
		return err
	}
	w, name := io.Out, "standard output"
	if opts.output != "-" {
		f, err := createOutput(opts.output, paths, opts.force)
		if err != nil {
			return err
		}
		defer f.Discard()
		w, name = f, opts.output
	}
	bw := bufio.NewWriterSize(w, pcapBuffer)
	sources := make([]string, len(paths))
	for i, p := range paths {
		sources[i] = p
		if p == "-" {
			sources[i] = analyze.StdinName
		}
	}
	px, err := export.NewPcap(bw, export.PcapOptions{Tool: "atscope " + Version, Sources: sources, Classic: opts.classic, KeepPorts: opts.keepPorts})
	if err != nil {
		return err
	}
	readErr := eachLog(io, paths, &opts.input, func(src *analyze.Source, opt analyze.Options) error {
		pl := px.Log(src.Name, opts.wants)
		var werr error
		opt.Ordered = true
		l, err := analyze.Run(src, opt, analyze.Sinks{Op: func(op *dialect.Op) {
			if werr == nil {
				werr = pl.Add(op)
			}
		}})
		if l == nil {
			return err
		}
		st, cerr := pl.Close()
		if werr = cmp.Or(werr, cerr); werr != nil {
			return fmt.Errorf("%s: %w", src.Name, werr)
		}
		fmt.Fprintf(io.Err, "%s: %s\n", src.Name, pcapSummary(st))
		return err
	})
	if err := px.Flush(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if len(paths) > 1 {
		fmt.Fprintf(io.Err, "total: %s\n", pcapSummary(px.Stats()))
	}
	if f, ok := w.(*outputFile); ok {
		if readErr != nil {
			return fmt.Errorf("%w; nothing written to %s", readErr, name)
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	fmt.Fprintf(io.Err, "wrote %s\n", name)
	if ports := px.OtherPorts(); len(ports) > 0 {
		decodeAs := make([]string, len(ports))
		for i, port := range ports {
			decodeAs[i] = fmt.Sprintf("-d tcp.port==%d,mqtt", port)
		}
		fmt.Fprintf(io.Err, "MQTT on ports Wireshark does not know: open with %s\n", strings.Join(decodeAs, " "))
	}
	return readErr
}

// pcapSummary is one line about what a log gave: packets, connections,
// MQTT messages, and the ops that put nothing on the wire.
func pcapSummary(st export.PcapStats) string {
	msgs := 0
	for _, n := range st.Messages {
		msgs += n
	}
	s := fmt.Sprintf("%s, %s, %s", plural(st.Packets, "packet"), plural(st.Connections, "connection"), plural(msgs, "MQTT message"))
	keys := make([]string, 0, len(st.Skipped))
	skipped := 0
	for r, n := range st.Skipped {
		keys = append(keys, r)
		skipped += n
	}
	if skipped > 0 {
		sort.Strings(keys)
		reasons := make([]string, len(keys))
		for i, r := range keys {
			reasons[i] = fmt.Sprintf("%d %s", st.Skipped[r], r)
		}
		verb := "put"
		if skipped == 1 {
			verb = "puts"
		}
		s += fmt.Sprintf("; %s %s nothing on the wire: %s", plural(skipped, "op"), verb, strings.Join(reasons, ", "))
	}
	return s
}
