package cli

import (
	"cmp"
	"fmt"
	"runtime"
)

// eachLogParallel is eachLog for the commands whose output of a log comes
// when the log has been read (a latency table, findings): several logs are
// decoded at once, one per core, and show prints each log's result in the
// order of paths, so the output is the same as one by one. With --redact
// the logs are read one by one: placeholders are numbered as secrets are
// learnt, log after log.
func eachLogParallel[T any](io *IO, paths []string, o *inputOptions, work func(*logInput) (T, error), show func(T) error) error {
	if len(paths) < 2 || o.redact.r != nil || runtime.GOMAXPROCS(0) < 2 {
		return eachLog(io, paths, o, func(in *logInput) error {
			t, err := work(in)
			if err != nil {
				return err
			}
			return show(t)
		})
	}
	opt, err := o.validate()
	if err != nil {
		return err
	}
	type result struct {
		t      T
		worked bool  // work succeeded: show t, then err if any
		err    error // the log could not be read (whole, or at the end)
		done   chan struct{}
	}
	results := make([]*result, len(paths))
	for i := range results {
		results[i] = &result{done: make(chan struct{})}
	}
	go func() {
		slots := make(chan struct{}, runtime.GOMAXPROCS(0))
		for i, path := range paths {
			slots <- struct{}{}
			go func() {
				defer func() { <-slots }()
				r := results[i]
				r.err = readLog(io, path, o, opt, func(in *logInput) error {
					var err error
					r.t, err = work(in)
					r.worked = err == nil
					return err
				})
				close(r.done)
			}()
		}
	}()
	failed := 0
	for _, r := range results {
		<-r.done
		err := r.err
		if r.worked {
			err = cmp.Or(show(r.t), err)
		}
		if err != nil {
			fmt.Fprintf(io.Err, "atscope: %v\n", err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d logs could not be read", failed, len(paths))
	}
	return nil
}
