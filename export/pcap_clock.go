package export

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"atscope/dialect"
)

// syntheticDay is the year of synthetic and rebased times.
const syntheticDay = 2000

// syntheticBase is where a log without times starts.
var syntheticBase = time.Date(syntheticDay, 1, 1, 0, 0, 0, 0, time.UTC)

// clock gives packets their times: the logged ones, moved into the range
// pcap can hold, or synthetic ones when the log has none.
type clock struct {
	synthetic bool      // the log has no times: syntheticBase + 1 s per event
	years     int       // years added to dates outside 1970-2200 (times of day only)
	first     time.Time // earliest logged time of the first ops
	from      time.Time // first, rebased
	// known are the logged times of ops' first and last events, for ops
	// without one, in log order; those before the floor of what may still
	// be asked are dropped but the latest.
	known []tpoint
	n     int // points known, for their order
}

// tpoint is a logged time of an op's event. Points of the same event go
// client by client, then as they came, as a look at the whole log orders
// them.
type tpoint struct {
	seq, client, n int
	at             time.Time
}

func (a tpoint) before(b tpoint) bool {
	if a.seq != b.seq {
		return a.seq < b.seq
	}
	if a.client != b.client {
		return a.client < b.client
	}
	return a.n < b.n
}

// newClock makes the clock from a log's first ops (all of a short log):
// whether the log has times, and from its earliest, which year its days
// are shown in. Ops then tell it their times with know, in log order.
func newClock(ops []*dialect.Op) *clock {
	c := &clock{synthetic: true}
	for _, op := range ops {
		for _, t := range []time.Time{op.Start, op.End} {
			if len(op.Seqs) > 0 && !t.IsZero() && (c.synthetic || t.Before(c.first)) {
				c.first, c.synthetic = t, false
			}
		}
	}
	if c.synthetic {
		return c
	}
	if y := c.first.Year(); y < 1970 || y > 2200 {
		c.years = syntheticDay - y
	}
	c.from = c.rebase(c.first)
	return c
}

// know adds the logged times of op's first and last events.
func (c *clock) know(op *dialect.Op) {
	if c.synthetic || len(op.Seqs) == 0 {
		return
	}
	for _, p := range []tpoint{{seq: op.Seqs[0], at: op.Start}, {seq: op.Seqs[len(op.Seqs)-1], at: op.End}} {
		if p.at.IsZero() {
			continue
		}
		p.client, p.n = op.Client, c.n
		c.n++
		i := sort.Search(len(c.known), func(i int) bool { return p.before(c.known[i]) })
		c.known = slices.Insert(c.known, i, p)
	}
}

// prune drops the points before event floor but the latest of them: no op
// still to come asks for an earlier time.
func (c *clock) prune(floor int) {
	i := sort.Search(len(c.known), func(i int) bool { return c.known[i].seq >= floor })
	if i > 1 {
		c.known = slices.Delete(c.known, 0, i-1)
	}
}

func (c *clock) rebase(t time.Time) time.Time {
	if c.years != 0 {
		t = t.AddDate(c.years, 0, 0)
	}
	return t
}

// at is the time of event seq, logged as t (zero when not logged), within
// the years a pcapng timestamp can hold.
func (c *clock) at(seq int, t time.Time) time.Time {
	return bound(c.raw(seq, t))
}

func bound(t time.Time) time.Time {
	switch {
	case t.Before(minTime):
		return minTime
	case t.After(maxTime):
		return maxTime
	}
	return t
}

// minTime and maxTime bound packet times: pcapng counts nanoseconds since
// 1970 in 64 bits, which end in 2262; a damaged log can hold any year.
var (
	minTime = time.Unix(0, 0).UTC()
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

func (c *clock) raw(seq int, t time.Time) time.Time {
	if c.synthetic {
		if seq == math.MaxInt {
			seq = 0
		}
		return syntheticBase.Add(time.Duration(seq) * time.Second)
	}
	if !t.IsZero() {
		return c.rebase(t)
	}
	i := sort.Search(len(c.known), func(i int) bool { return c.known[i].seq > seq }) // the latest at or before seq
	switch {
	case len(c.known) == 0:
		return c.from // no op with a time has come yet
	case i == 0:
		return c.rebase(c.known[0].at)
	}
	return c.rebase(c.known[i-1].at)
}

// request is when an op's request went out.
func (c *clock) request(op *dialect.Op) time.Time { return c.at(firstSeq(op), op.Start) }

// reply is when an op's result came, never before its request.
func (c *clock) reply(op *dialect.Op) time.Time {
	r := c.at(lastSeq(op), op.End)
	if q := c.request(op); r.Before(q) {
		return q
	}
	return r
}

// sent is when a publish's payload was complete: the payload after a
// prompt may come long after the command.
func (c *clock) sent(op *dialect.Op) time.Time {
	q := c.request(op)
	if c.synthetic || op.Sent.IsZero() {
		return q
	}
	if s := bound(c.rebase(op.Sent)); !s.Before(q) {
		return s
	}
	return q
}

// describe says where the times of the log's packets come from.
func (c *clock) describe() string {
	switch {
	case c.synthetic:
		return fmt.Sprintf("the log has no times: packets are placed at %s plus 1 s per AT event", syntheticBase.Format(time.RFC3339))
	case c.years != 0:
		return fmt.Sprintf("the log has times of day only (or a clock that was never set): its first day is shown as %s", c.from.Format(time.DateOnly))
	}
	return "times as logged"
}
