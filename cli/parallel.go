package cli

import (
	"cmp"
	"fmt"
	"runtime"

	"atscope/analyze"
)

// logWork runs one log through the pipeline for a command whose output of
// a log comes when the log has been read (a latency table, findings). ok
// says t is worth showing, even when err says the log broke off.
type logWork[T any] func(*analyze.Source, analyze.Options) (t T, ok bool, err error)

// eachLogParallel is eachLog for the commands whose output of a log comes
// when the log has been read: several logs are decoded at once, one per
// core, and show prints each log's result in the order of paths, so the
// output is the same as one by one. With --redact the logs are read one by
// one: placeholders are numbered as secrets are learnt, log after log.
func eachLogParallel[T any](io *IO, paths []string, o *inputOptions, work logWork[T], show func(T) error) error {
	opt, err := o.analysis()
	if err != nil {
		return err
	}
	opt.Warn = warnings(io)
	type result struct {
		t    T
		ok   bool  // show t, then err if any
		err  error // the log could not be read (whole, or at the end)
		done chan struct{}
	}
	results := make([]*result, len(paths))
	for i := range results {
		results[i] = &result{done: make(chan struct{})}
	}
	read := func(i int) {
		r := results[i]
		r.err = withSource(io, paths[i], func(src *analyze.Source) error {
			var err error
			r.t, r.ok, err = work(src, opt)
			return warnIfEmpty(src, opt, err)
		})
		close(r.done)
	}
	failed := 0
	showResult := func(r *result) {
		<-r.done
		err := r.err
		if r.ok {
			err = cmp.Or(show(r.t), err)
		}
		if err != nil {
			fmt.Fprintf(io.Err, "atscope: %v\n", err)
			failed++
		}
	}
	if len(paths) < 2 || opt.Redactor != nil || runtime.GOMAXPROCS(0) < 2 {
		opt.Progress = progress(io) // one bar at a time
		for i, r := range results { // each shown before the next is read
			read(i)
			showResult(r)
		}
	} else {
		go readAll(len(paths), read)
		for _, r := range results {
			showResult(r)
		}
	}
	return failedLogs(failed, len(paths))
}

// readAll calls read for 0..n-1, as many at once as there are cores.
func readAll(n int, read func(int)) {
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		slots <- struct{}{}
		go func() {
			defer func() { <-slots }()
			read(i)
		}()
	}
}
