package analyze

import (
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"atscope/dialect"
)

// fakeClock is a wall clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// liveRun runs r through a live pipeline in a goroutine; its ops come on
// the channel returned, which closes when the run ends.
func liveRun(t *testing.T, r io.Reader, clock *fakeClock, tick chan time.Time) <-chan *dialect.Op {
	t.Helper()
	ops := make(chan *dialect.Op, 100)
	go func() {
		defer close(ops)
		opt := Options{Format: "auto", Dialect: "auto", Ordered: true,
			Live: &Live{Now: clock.Now, After: time.After, Tick: tick, MaxHold: 500 * time.Millisecond}}
		if _, err := Run(FromReader("live.log", r), opt, Sinks{Op: func(op *dialect.Op) { ops <- op }}); err != nil {
			t.Error(err)
		}
	}()
	return ops
}

// sampleLines are lines from to to (from 1) of a sample log, with their
// line ends.
func sampleLines(t *testing.T, name string, from, to int) string {
	t.Helper()
	b, err := os.ReadFile("../samples/" + name)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	return strings.Join(lines[from-1:to], "")
}

// TestLiveDeadlinePassesWithoutEvents: a publish whose result URC never
// comes times out once the log's clock, moved on by the wall clock while
// the source is quiet, passes its deadline; without Live.Tick it would
// wait for the next line, which never comes.
func TestLiveDeadlinePassesWithoutEvents(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	tick := make(chan time.Time)
	ops := liveRun(t, pr, clock, tick)
	// Up to the publish's OK, without its +QMTPUB result URC.
	go io.WriteString(pw, sampleLines(t, "ec25-multiclient.log", 1, 48))
	giveUp := time.After(20 * time.Second)
	for {
		select {
		case op := <-ops:
			if op.Kind != dialect.OpPublish {
				continue
			}
			if op.Status != dialect.StatusTimeout {
				t.Fatalf("publish: status %s, want timeout", op.Status)
			}
			return
		case tick <- time.Time{}:
			clock.add(5 * time.Second) // a quiet source: the wall clock runs on
		case <-giveUp:
			t.Fatal("the publish never timed out")
		}
	}
}

// TestLiveOpsComeBeforeTheEnd: each op comes as soon as its result is
// read, with the source still open (the tokenizer hands its latest event
// on when the source is quiet; ordered output does not wait for more).
func TestLiveOpsComeBeforeTheEnd(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	clock := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	tick := make(chan time.Time)
	stopTicks := make(chan struct{})
	defer close(stopTicks)
	go func() {
		for {
			select {
			case tick <- time.Time{}:
			case <-stopTicks:
				return
			}
		}
	}()
	ops := liveRun(t, pr, clock, tick)
	for _, step := range []struct {
		from, to int
		want     dialect.OpKind
	}{{1, 17, dialect.OpOpen}, {18, 20, dialect.OpOpen}, {21, 23, dialect.OpConnect}} {
		go io.WriteString(pw, sampleLines(t, "ec25-multiclient.log", step.from, step.to))
		select {
		case op := <-ops:
			for op.Kind != step.want { // the module's link op comes first
				op = <-ops
			}
			if last := op.Lines[len(op.Lines)-1]; last != step.to {
				t.Errorf("lines %d-%d: %s op ends on line %d, want %d", step.from, step.to, op.Kind, last, step.to)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("lines %d-%d: no %s op while the source is open", step.from, step.to, step.want)
		}
	}
}
