package cli

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"atscope/dialect"
)

// TestLiveStatusLine: on a terminal the status line counts ops and
// failures and shows the latest latency; a line of output clears it first
// and it is drawn again after; without a terminal nothing but the output
// is written.
func TestLiveStatusLine(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ok := &dialect.Op{Status: dialect.StatusOK, Timed: true, Start: t0, End: t0.Add(412 * time.Millisecond), Seqs: []int{1, 2}}
	failed := &dialect.Op{Status: dialect.StatusTimeout}
	for _, terminal := range []bool{true, false} {
		var stdout, stderr bytes.Buffer
		s := newLiveStatus(&IO{Out: &stdout, Err: &stderr, ErrIsTerminal: terminal})
		for _, op := range []*dialect.Op{ok, failed} {
			s.op(op)
			must(t, s.print(func() error { stdout.WriteString("op\n"); return nil }, func() error { return nil }))
		}
		s.end()
		want := ""
		if terminal {
			want = "live: 1 op, 0 failures, last latency 412 ms" + clearLine +
				"live: 1 op, 0 failures, last latency 412 ms" + clearLine +
				"live: 2 ops, 1 failure, last latency 412 ms" + clearLine +
				"live: 2 ops, 1 failure, last latency 412 ms" + clearLine
		}
		if stderr.String() != want {
			t.Errorf("terminal %v: stderr %q, want %q", terminal, stderr.String(), want)
		}
		if stdout.String() != "op\nop\n" {
			t.Errorf("terminal %v: stdout %q", terminal, stdout.String())
		}
	}
}

func TestLiveStatusPassesWriteErrors(t *testing.T) {
	s := newLiveStatus(&IO{})
	broken := errors.New("broken pipe")
	if err := s.print(func() error { return nil }, func() error { return broken }); err != broken {
		t.Errorf("print: %v, want the flush's error", err)
	}
}
