package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// liveStatus is the summary line of a live command on a terminal (ops so
// far, failures, the latest latency), on stderr and redrawn in place; a
// line of output first clears it, so the two never mix. Without a
// terminal on stderr it does nothing but pass lines on.
type liveStatus struct {
	mu       sync.Mutex
	err      io.Writer // nil: no terminal
	ops      int
	failures int
	last     time.Duration
	timed    bool
	shown    bool
}

func newLiveStatus(io *IO) *liveStatus {
	s := &liveStatus{}
	if io.ErrIsTerminal {
		s.err = io.Err
	}
	return s
}

// print writes a line of output (flushed by flush) with the status line
// out of its way, then redraws the status line.
func (s *liveStatus) print(write func() error, flush func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
	err := write()
	if ferr := flush(); err == nil {
		err = ferr
	}
	s.draw()
	return err
}

// op counts an op in the status line.
func (s *liveStatus) op(op *dialect.Op) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops++
	if op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout {
		s.failures++
	}
	if d, ok := op.Latency(); ok {
		s.last, s.timed = d, true
	}
	s.clear()
	s.draw()
}

// end clears the status line for good.
func (s *liveStatus) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear()
	s.err = nil
}

// line is the status line's text.
func (s *liveStatus) line() string {
	t := fmt.Sprintf("live: %s, %s", plural(s.ops, "op"), plural(s.failures, "failure"))
	if s.timed {
		t += ", last latency " + timeline.FormatMillis(s.last)
	}
	return t
}

// clearLine takes the cursor back to the start of the line and clears it.
const clearLine = "\r\x1b[K"

func (s *liveStatus) clear() {
	if s.err != nil && s.shown {
		fmt.Fprint(s.err, clearLine)
		s.shown = false
	}
}

func (s *liveStatus) draw() {
	if s.err != nil && s.ops > 0 {
		fmt.Fprint(s.err, s.line())
		s.shown = true
	}
}
