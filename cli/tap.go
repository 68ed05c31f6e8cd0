package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"time"

	"atscope/analyze"
	"atscope/dialect"
	"atscope/live"
	"github.com/spf13/cobra"
)

type tapOptions struct {
	ports   []string
	baud    int
	pty     string
	output  string
	force   bool
	dialect string
	tableFlags
	color string
}

func newTapCmd(io *IO) *cobra.Command {
	opts := &tapOptions{}
	cmd := &cobra.Command{
		Use:   "tap --port DEV [--baud N] --pty LINK [-o capture.log]",
		Short: "Sit between an application and a modem: pass the bytes, record them, print the MQTT operations live",
		Long: `Open the modem's serial port (--port) and a pseudo-terminal for the
application, reached through the link --pty; pass every byte both ways
unchanged, print each MQTT operation as it is decided, and write a
capture (-o) that atscope reads back: each chunk with its direction and
time, in socat's -x layout, byte for byte. With two --port, the tap sits
between two serial ports: the host (application) on the first, the modem
on the second. Ctrl-C ends it: the capture is completed and put in place
(written to a temporary file until then), and the findings print.`,
		Example: `  atscope tap --port /dev/ttyUSB2 --pty /tmp/modem -o capture.log
  atscope tap --port /dev/ttyS0 --port /dev/ttyUSB2 --baud 115200 -o capture.log
  atscope timeline capture.log`,
		Args: noArgs,
		RunE: func(_ *cobra.Command, _ []string) error { return tapRun(io, opts) },
	}
	cmd.Flags().StringArrayVar(&opts.ports, "port", nil, "serial `DEVICE` of the modem; given twice, the host's then the modem's")
	cmd.Flags().IntVar(&opts.baud, "baud", 115200, "baud rate of the serial ports")
	cmd.Flags().StringVar(&opts.pty, "pty", "", "`LINK` to create to the application's pseudo-terminal (with one --port)")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "", "write the capture to `FILE` (socat -x layout)")
	cmd.Flags().BoolVarP(&opts.force, "force", "f", false, "overwrite an existing capture file")
	cmd.Flags().StringVar(&opts.dialect, "dialect", "auto", "MQTT dialect: auto or one of "+fmt.Sprint(dialect.Names()))
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the operations as JSON Lines")
	cmd.Flags().BoolVar(&opts.csv, "csv", false, "print the operations as CSV with a header line (the JSON fields)")
	cmd.Flags().StringVar(&opts.color, "color", "auto", "colour: auto, never or always (NO_COLOR is honoured)")
	completeValues(cmd, "color", colorModes...)
	return cmd
}

// check refuses what cannot make a tap, as usage errors.
func (o *tapOptions) check() error {
	switch {
	case len(o.ports) == 0 || len(o.ports) > 2:
		return usagef("tap needs --port DEVICE (the modem), or two: the host's, then the modem's")
	case len(o.ports) == 1 && o.pty == "":
		return usagef("tap with one --port needs --pty LINK, where the application opens the modem")
	case len(o.ports) == 2 && o.pty != "":
		return usagef("tap with two --port passes between them: --pty is for one")
	case o.baud <= 0:
		return usagef("--baud %d: want a positive rate", o.baud)
	}
	if _, err := dialect.HooksFor(o.dialect); err != nil {
		return usagef("%v", err)
	}
	return nil
}

func tapRun(io *IO, opts *tapOptions) error {
	form, err := opts.form()
	if err != nil {
		return err
	}
	color, err := colorOn(io, opts.color)
	if err != nil {
		return err
	}
	if err := opts.check(); err != nil {
		return err
	}
	capture, err := tapCapture(opts)
	if err != nil {
		return err
	}
	defer capture.Discard()
	host, modem, err := openTapEnds(io, opts)
	if err != nil {
		return err
	}
	out := bufio.NewWriter(io.Out)
	defer out.Flush()
	runErr := runTap(io, opts, host, modem, capture, newOpPrinter(io, out, form, color))
	if err := capture.Commit(); err != nil {
		return err
	}
	return runErr
}

// tapCapture opens -o as a safe output (a temporary file renamed into
// place at the end), or nothing without -o. The tap commits it on Ctrl-C
// too: the capture is the point of the run.
func tapCapture(opts *tapOptions) (*tapOutput, error) {
	if opts.output == "" {
		return &tapOutput{w: io.Discard}, nil
	}
	f, err := createOutput(opts.output, opts.ports, opts.force)
	if err != nil {
		return nil, err
	}
	interrupts.untrack(f.tmp.Name()) // Ctrl-C completes it rather than drop it
	return &tapOutput{w: f, file: f}, nil
}

// tapOutput is the capture file, when there is one.
type tapOutput struct {
	w    io.Writer
	file *outputFile
}

func (t *tapOutput) Commit() error {
	if t.file == nil {
		return nil
	}
	return t.file.Commit()
}

func (t *tapOutput) Discard() {
	if t.file != nil {
		t.file.Discard()
	}
}

// openTapEnds opens the modem's port and the host's end: the second port,
// or a pseudo-terminal with its link.
func openTapEnds(io *IO, opts *tapOptions) (host, modem io.ReadWriteCloser, err error) {
	modem, err = live.OpenPort(opts.ports[len(opts.ports)-1], opts.baud)
	if err != nil {
		return nil, nil, err
	}
	if len(opts.ports) == 2 {
		host, err = live.OpenPort(opts.ports[0], opts.baud)
	} else {
		var p *live.PTY
		if p, err = live.OpenPTY(opts.pty); err == nil {
			fmt.Fprintf(io.Err, "atscope: tap: the application opens %s (%s)\n", opts.pty, p.Name())
			host = p
		}
	}
	if err != nil {
		modem.Close()
		return nil, nil, err
	}
	return host, modem, nil
}

// runTap passes bytes until Ctrl-C or a port fails, while the capture is
// written and analysed as it grows; then the analysis ends as at the end
// of a log and the findings print.
func runTap(io *IO, opts *tapOptions, host, modem io.ReadWriteCloser, capture *tapOutput, p *opPrinter) error {
	name := opts.output
	if name == "" {
		name = "<tap>"
	}
	feed := live.NewFeed()
	rec := live.NewCapture(bothWriters(capture.w, feed))
	var writeErr error
	tap := &live.Tap{Host: host, Modem: modem, Now: time.Now, Record: func(dir live.Dir, t time.Time, data []byte) {
		if err := rec.Write(dir, t, data); err != nil && writeErr == nil {
			writeErr = err
		}
	}}
	analysed := make(chan error, 1)
	go func() { analysed <- tapAnalysis(io, opts, name, feed, p) }()
	stop := make(chan struct{})
	defer onInterrupt(func() { close(stop) })()
	tapErr := tap.Run(stop)
	feed.Close() // no Record after Run
	return errors.Join(tapErr, writeErr, <-analysed)
}

// tapAnalysis runs the capture, as it is written, through the pipeline.
func tapAnalysis(io *IO, opts *tapOptions, name string, feed *live.Feed, p *opPrinter) error {
	lv, stop := liveOptions()
	defer stop()
	opt := analyze.Options{Format: live.CaptureFormat, Dialect: opts.dialect, Findings: true, Ordered: true, Live: lv, Warn: warnings(io)}
	l, err := analyze.Run(analyze.FromReader(name, feed), opt, analyze.Sinks{Op: p.op})
	p.status.end()
	if l != nil && len(l.Findings) > 0 {
		writeFindings(io.Err, l, l.Findings, nil, p.style)
	}
	if err == nil {
		err = p.err
	}
	return err
}

// bothWriters writes to a, then b (io.MultiWriter, where io is the IO).
func bothWriters(a, b io.Writer) io.Writer { return io.MultiWriter(a, b) }
