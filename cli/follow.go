package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"atscope/analyze"
	"atscope/live"
	"github.com/spf13/cobra"
)

// Live timing: how often a followed file is looked at for more, how often
// the log's clock moves on while it is quiet, how long an op decided may
// wait behind an older one still open.
const (
	followPoll = 50 * time.Millisecond
	liveTick   = 100 * time.Millisecond
	liveHold   = 500 * time.Millisecond
)

// followFlag is --follow, on the commands that print as they read.
type followFlag struct{ on bool }

func (f *followFlag) addFlag(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.on, "follow", false,
		"keep reading the log as it grows, like tail -F (a rotated or truncated file is followed), and print as it is decided; Ctrl-C ends it")
}

// liveOptions are the pipeline's options for a live source, with the wall
// clock; stop ends its ticker.
func liveOptions() (opt *analyze.Live, stop func()) {
	t := time.NewTicker(liveTick)
	return &analyze.Live{Now: time.Now, After: time.After, Tick: t.C, MaxHold: liveHold}, t.Stop
}

// followLog is eachLog for --follow: one log, read as it grows, until
// Ctrl-C (a file) or the end of standard input. Then fn's run ends as at
// the end of a log: findings and summaries print.
func followLog(io *IO, paths []string, o *inputOptions, fn func(*analyze.Source, analyze.Options) error) error {
	if len(paths) != 1 {
		return usagef("--follow reads one log, not %d", len(paths))
	}
	opt, err := o.analysis()
	if err != nil {
		return err
	}
	if opt.Redactor != nil {
		return usagef("--follow cannot --redact: secrets are learnt from the whole log before it is shown")
	}
	var stopTicks func()
	opt.Live, stopTicks = liveOptions()
	defer stopTicks()
	opt.Warn = warnings(io)
	src := analyze.FromReader(analyze.StdinName, io.In)
	if paths[0] != "-" {
		f, err := live.Follow(paths[0], followPoll, time.After)
		if err != nil {
			return err
		}
		defer f.Close()
		defer onInterrupt(f.Stop)()
		src = analyze.FromReader(paths[0], f)
	}
	defer src.Close()
	if err := fn(src, opt); err != nil {
		fmt.Fprintf(io.Err, "atscope: %v\n", err)
		return failedLogs(1, 1)
	}
	return nil
}

// followParallel is eachLogParallel for --follow (see followLog).
func followParallel[T any](io *IO, paths []string, o *inputOptions, work logWork[T], show func(T) error) error {
	return followLog(io, paths, o, func(src *analyze.Source, opt analyze.Options) error {
		t, ok, err := work(src, opt)
		if ok {
			if serr := show(t); serr != nil {
				return serr
			}
		}
		return err
	})
}

// onInterrupt calls stop at the first Ctrl-C (or SIGTERM), so that the
// command ends as at the end of its input; a second one kills it as usual.
// What it returns stops listening.
func onInterrupt(stop func()) func() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			signal.Stop(sig)
			stop()
		case <-done:
		}
	}()
	return func() {
		close(done)
		signal.Stop(sig)
	}
}
