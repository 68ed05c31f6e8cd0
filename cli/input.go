package cli

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"atscope/analyze"
	"atscope/decode"
	"atscope/dialect"
	"github.com/spf13/cobra"
)

// inputOptions are the flags every command that reads logs shares.
type inputOptions struct {
	format  string
	dialect string
	date    string
	// Capture options (sniffers, logic analyzers, USB captures).
	start          string
	swapDirections bool
	txChannel      string
	rxChannel      string
	usbEndpoint    int
	redact         redactFlag // --redact (redact.go)
	// Filters: --since, --until, --lines, --op.
	since, until, lines, op string
	// findings runs the diagnose engine over every log (diagnose, report).
	findings bool
}

func (o *inputOptions) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.format, "input-format", "auto", "log format: auto or one of "+strings.Join(decode.FormatNames(), ", "))
	cmd.Flags().StringVar(&o.dialect, "dialect", "auto", "MQTT dialect: auto or one of "+strings.Join(dialect.Names(), ", "))
	cmd.Flags().StringVar(&o.date, "date", "", "day (YYYY-MM-DD) for logs that stamp only the time of day")
	cmd.Flags().StringVar(&o.start, "start", "", "absolute start (RFC 3339) of captures stamped as offsets: logic analyzers, Zephyr and Mbed uptime")
	cmd.Flags().BoolVar(&o.swapDirections, "swap-directions", false, "flip the direction a sniffer or logic-analyzer capture assumes (socat's > is taken as host to module)")
	cmd.Flags().StringVar(&o.txChannel, "tx-channel", "", "channel carrying host-to-module bytes in multi-channel captures (any part of its name, any case)")
	cmd.Flags().StringVar(&o.rxChannel, "rx-channel", "", "channel carrying module-to-host bytes in multi-channel captures")
	cmd.Flags().IntVar(&o.usbEndpoint, "usb-endpoint", 0, "bulk endpoint of the modem's AT port in a USB capture (0x03 OUT or 0x85 IN); 0 picks it by content")
	o.redact.addFlag(cmd)
	cmd.Flags().StringVar(&o.since, "since", "", "only from `TIME` on: a time (2024-05-30T09:23:10Z, \"2024-05-30 09:23:10\", 09:23:10) or +DURATION from the log's start (+5m)")
	cmd.Flags().StringVar(&o.until, "until", "", "only up to `TIME`: as --since")
	cmd.Flags().StringVar(&o.lines, "lines", "", "only lines `A-B` (also A- or -B)")
	cmd.Flags().StringVar(&o.op, "op", "", "only the operations of these `KINDS` (comma-separated: "+strings.Join(analyze.OpNames(), ", ")+")")
	completeValues(cmd, "op", analyze.OpNames()...)
	completeValues(cmd, "dialect", append([]string{"auto"}, dialect.Names()...)...)
	completeValues(cmd, "input-format", append([]string{"auto"}, decode.FormatNames()...)...)
}

// analysis checks the flags and returns the pipeline's options for them.
func (o *inputOptions) analysis() (analyze.Options, error) {
	opt := analyze.Options{Format: o.format, Dialect: o.dialect, Findings: o.findings}
	if _, err := dialect.HooksFor(o.dialect); err != nil {
		return opt, usagef("%v%s", err, didYouMean(o.dialect, dialect.Names()))
	}
	if o.format != "auto" {
		if _, ok := decode.LookupFormat(o.format); !ok {
			return opt, usagef("unknown --input-format %q: want auto or one of %s%s", o.format,
				strings.Join(decode.FormatNames(), ", "), didYouMean(o.format, decode.FormatNames()))
		}
	}
	if o.date != "" {
		d, err := time.Parse(time.DateOnly, o.date)
		if err != nil {
			return opt, usagef("--date %q: want YYYY-MM-DD", o.date)
		}
		opt.Decode.Date = d
	}
	if o.start != "" {
		t, err := time.Parse(time.RFC3339Nano, o.start)
		if err != nil {
			return opt, usagef("--start %q: want an RFC 3339 time such as 2024-05-14T10:23:45Z", o.start)
		}
		opt.Decode.Start = t
	}
	d := &opt.Decode
	d.SwapDirections, d.TxChannel, d.RxChannel, d.UsbEndpoint = o.swapDirections, o.txChannel, o.rxChannel, o.usbEndpoint
	var err error
	if opt.Filter, err = o.filter(); err != nil {
		return opt, err
	}
	err = o.redact.validate()
	opt.Redactor = o.redact.r
	return opt, err
}

// warnings is what prints the pipeline's warnings to stderr, from the
// goroutines of parallel logs too.
func warnings(io *IO) func(string) {
	var mu sync.Mutex
	return func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(io.Err, "atscope: warning: %s\n", msg)
	}
}

// filter reads --since, --until, --lines and --op.
func (o *inputOptions) filter() (analyze.Filter, error) {
	var f analyze.Filter
	var err error
	for _, b := range []struct {
		flag, value string
		to          *analyze.Bound
	}{{"since", o.since, &f.Since}, {"until", o.until, &f.Until}} {
		if b.value == "" {
			continue
		}
		if *b.to, err = analyze.ParseBound(b.value); err != nil {
			return f, usagef("--%s %v", b.flag, err)
		}
	}
	if o.lines != "" {
		if f.FromLine, f.ToLine, err = analyze.ParseLines(o.lines); err != nil {
			return f, usagef("--lines %v", err)
		}
	}
	if o.op != "" {
		if f.Ops, err = analyze.ParseOps(o.op); err != nil {
			return f, usagef("--op %v%s", err, didYouMean(o.op, analyze.OpNames()))
		}
	}
	return f, nil
}

// eachLog opens every log named in paths ("-" is standard input) and calls
// fn for each, which runs it through the pipeline. An unreadable log is
// reported and the others are still read; the error says how many failed.
func eachLog(io *IO, paths []string, o *inputOptions, fn func(*analyze.Source, analyze.Options) error) error {
	opt, err := o.analysis()
	if err != nil {
		return err
	}
	opt.Warn, opt.Progress = warnings(io), progress(io)
	failed := 0
	for _, path := range paths {
		if err := withSource(io, path, func(src *analyze.Source) error { return warnIfEmpty(src, opt, fn(src, opt)) }); err != nil {
			fmt.Fprintf(io.Err, "atscope: %v\n", err)
			failed++
		}
	}
	return failedLogs(failed, len(paths))
}

// withSource opens the log at path ("-": standard input) for fn.
func withSource(io *IO, path string, fn func(*analyze.Source) error) error {
	src := analyze.FromReader(analyze.StdinName, io.In)
	if path != "-" {
		var err error
		if src, err = analyze.Open(path); err != nil {
			return err
		}
	}
	defer src.Close()
	return fn(src)
}

// warnIfEmpty says on stderr that a log read without error was empty:
// the output then says little, and the exit code stays 0.
func warnIfEmpty(src *analyze.Source, opt analyze.Options, err error) error {
	if err == nil && opt.Warn != nil && (src.Size() == 0 || src.Size() < 0 && src.BytesRead() == 0) {
		opt.Warn(src.Name + ": the log is empty")
	}
	return err
}

func failedLogs(failed, all int) error {
	if failed > 0 {
		return fmt.Errorf("%d of %d logs could not be read", failed, all)
	}
	return nil
}

// summary is the closing line about one log, for stderr.
func summary(l *analyze.Log) string {
	st := l.Stats
	var kinds []string
	for _, k := range decode.Kinds() {
		if n := st.ByKind[k]; n > 0 && k != decode.KindText {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
	}
	byKind := ""
	if len(kinds) > 0 {
		byKind = " (" + strings.Join(kinds, ", ") + ")"
	}
	s := fmt.Sprintf("%s (%s): %d lines, %d events%s, %d unrecognised", l.File, l.Format.Name,
		st.Lines, st.Events, byKind, st.Unrecognised)
	if n := st.ByKind[decode.KindText] - st.Unrecognised; n > 0 {
		s += ", " + plural(n, "note")
	}
	if st.Problems > 0 {
		s += fmt.Sprintf(", %d with problems", st.Problems)
	}
	return s
}
