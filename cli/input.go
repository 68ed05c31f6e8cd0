package cli

import (
	"fmt"
	"strings"
	"time"

	"atscope/decode"
	"atscope/diagnose"
	"atscope/dialect"
	"atscope/redact"
	"atscope/timeline"
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
}

func (o *inputOptions) validate() (decode.Options, error) {
	var opt decode.Options
	if _, err := dialect.HooksFor(o.dialect); err != nil {
		return opt, usageError{err}
	}
	if o.format != "auto" {
		if _, ok := decode.LookupFormat(o.format); !ok {
			return opt, usagef("unknown --input-format %q: want auto or one of %s", o.format, strings.Join(decode.FormatNames(), ", "))
		}
	}
	if o.date != "" {
		d, err := time.Parse(time.DateOnly, o.date)
		if err != nil {
			return opt, usagef("--date %q: want YYYY-MM-DD", o.date)
		}
		opt.Date = d
	}
	if o.start != "" {
		t, err := time.Parse(time.RFC3339Nano, o.start)
		if err != nil {
			return opt, usagef("--start %q: want an RFC 3339 time such as 2024-05-14T10:23:45Z", o.start)
		}
		opt.Start = t
	}
	opt.SwapDirections, opt.TxChannel, opt.RxChannel, opt.UsbEndpoint = o.swapDirections, o.txChannel, o.rxChannel, o.usbEndpoint
	return opt, o.redact.validate()
}

// logInput is one log being read.
type logInput struct {
	file    string
	format  decode.Format
	tok     *decode.Tokenizer
	dialect string // --dialect
	// unrecognised holds the first lines of unrecognised text.
	unrecognised []int
	// first and last are the earliest and latest logged times seen.
	first, last time.Time
	timed       bool
	// redactor hides secrets in events and ops (--redact); nil when off.
	redactor *redact.Redactor
	// diag sees every event and op for the findings (diagnose.go); nil
	// unless the command shows findings.
	diag *diagnose.Engine
}

// orderLag is how many events the ops of ops(…, true) wait behind the
// latest event besides what the decoder says (Decoder.Oldest): a machine
// may give an op events from just before it starts it (a SIMCom publish
// takes the topic and payload loaded before it).
const orderLag = 1024

// each calls fn for every event of the log, tokenized in a goroutine of
// its own, until fn fails.
func (in *logInput) each(fn func(ev *decode.Event) error) error {
	s := newEventStream(in.tok)
	defer s.Close()
	for {
		ev, ok := s.Next()
		if !ok {
			return nil
		}
		if err := fn(ev); err != nil {
			return err
		}
	}
}

// see notes an event's time.
func (in *logInput) see(ev *decode.Event) {
	if ev.TimeSrc != decode.TimeLog {
		return
	}
	if !in.timed || ev.Time.Before(in.first) {
		in.first = ev.Time
	}
	if !in.timed || ev.Time.After(in.last) {
		in.last = ev.Time
	}
	in.timed = true
}

// ops runs the log's events through its dialect and calls emit for each op:
// in log order (by first event, see timeline.Orderer) when ordered, else
// in the order they complete. It returns the decoder, which knows the
// dialect it chose.
func (in *logInput) ops(emit func(*dialect.Op), ordered bool) (*dialect.Decoder, error) {
	dec, err := dialect.NewDecoder(in.file, in.dialect)
	if err != nil {
		return nil, usageError{err}
	}
	var ord *timeline.Orderer
	if ordered {
		ord = timeline.NewOrderer(emit)
		emit = ord.Add
	}
	out := func(op *dialect.Op) {
		in.redactor.Op(op) // before anything renders it: tables, JSON, CSV, pcapng
		in.diag.Op(op)
		emit(op)
	}
	err = in.each(func(ev *decode.Event) error {
		in.see(ev)
		if n := len(in.unrecognised); ev.Kind == decode.KindText && !ev.Note && ev.Text != "" && n < 10 && (n == 0 || in.unrecognised[n-1] != ev.Pos.Line) {
			in.unrecognised = append(in.unrecognised, ev.Pos.Line)
		}
		in.diag.Event(ev)
		dec.Feed(ev, out)
		low := min(dec.Oldest(), ev.Seq-orderLag) // no op still to come starts before it
		in.diag.Release(low)
		if ord != nil {
			ord.Release(low)
		}
		return nil
	})
	dec.Close(out)
	if ord != nil {
		ord.Flush()
	}
	return dec, err
}

// eachLog tokenizes every log named in paths ("-" is standard input) and
// calls fn for each. An unreadable log is reported and the others are still
// read; the error says how many failed.
func eachLog(io *IO, paths []string, o *inputOptions, fn func(*logInput) error) error {
	opt, err := o.validate()
	if err != nil {
		return err
	}
	failed := 0
	for _, path := range paths {
		if err := readLog(io, path, o, opt, fn); err != nil {
			fmt.Fprintf(io.Err, "atscope: %v\n", err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d logs could not be read", failed, len(paths))
	}
	return nil
}

func readLog(io *IO, path string, o *inputOptions, opt decode.Options, fn func(*logInput) error) error {
	r, name := io.In, "<stdin>"
	if path != "-" {
		f, err := openLog(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, path
	}
	r, done, err := o.redact.learn(r, name, o, opt)
	if err != nil {
		return err
	}
	defer done()
	cr, f, err := decode.Open(r, name, o.format, opt)
	if err != nil {
		return err
	}
	hooks, _ := dialect.HooksFor(o.dialect) // validated above
	in := &logInput{file: name, format: f, tok: decode.NewTokenizer(cr, hooks), dialect: o.dialect, redactor: o.redact.r}
	if o.findings {
		in.diag = diagnose.New(name)
	}
	if err := fn(in); err != nil {
		return err
	}
	if err := in.tok.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// summary is the closing line about one log, for stderr.
func summary(in *logInput) string {
	st := in.tok.Stats()
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
	s := fmt.Sprintf("%s (%s): %d lines, %d events%s, %d unrecognised", in.file, in.format.Name,
		st.Lines, st.Events, byKind, st.Unrecognised)
	if n := st.ByKind[decode.KindText] - st.Unrecognised; n > 0 {
		s += ", " + plural(n, "note")
	}
	if st.Problems > 0 {
		s += fmt.Sprintf(", %d with problems", st.Problems)
	}
	return s
}
