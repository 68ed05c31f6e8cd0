package cli

import (
	"time"

	"atscope/analyze"
	"github.com/schollz/progressbar/v3"
)

// progressAfter is how long a log is read before a progress bar shows:
// most logs are read in less, and get none.
var progressAfter = time.Second

// progress is analyze.Options.Progress for a terminal on stderr: a bar of
// the bytes read (of the size, when known) that shows after progressAfter
// and is cleared when the reading is over, before the output.
func progress(io *IO) func(*analyze.Source) func() {
	if !io.ErrIsTerminal {
		return nil
	}
	return func(src *analyze.Source) func() {
		done, stopped := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(stopped)
			if progressAfter > 0 {
				select {
				case <-done:
					return
				case <-time.After(progressAfter):
				}
			}
			bar := progressbar.NewOptions64(src.Size(), progressbar.OptionSetWriter(io.Err),
				progressbar.OptionSetDescription(src.Name), progressbar.OptionShowBytes(true),
				progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionSetPredictTime(true))
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				bar.Set64(src.BytesRead())
				select {
				case <-done:
					bar.Set64(src.BytesRead())
					bar.Clear()
					return
				case <-tick.C:
				}
			}
		}()
		return func() {
			close(done)
			<-stopped
		}
	}
}
