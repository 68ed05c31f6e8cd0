package report

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"atscope/dialect"
	"atscope/timeline"
)

// Bounds of what a client's summary lists: a log of a million failures
// lists the first ones and counts the rest.
const (
	MaxProblems = 20 // failed and timed-out ops listed per client
	maxPickedUp = 5  // connections shown up by their traffic alone, named
)

// ClientSummary is what a report says of one client (or of the module's
// context), taken op by op as the log streams by: its ops by kind and
// status, its connections counted (never listed), and its first failures.
type ClientSummary struct {
	File    string
	Client  int
	Dialect string
	Counts  timeline.Count
	Ops     int // ops in all
	// Problems are the first MaxProblems ops that failed or timed out (as
	// Session.Problems picks them); ProblemCount counts them all.
	Problems     []*dialect.Op
	ProblemCount int

	conns    ConnStats
	upToEnd  uptimeToEnd
	windowed bool     // the run kept part of the log: it ends with the window
	pickedUp []string // the first maxPickedUp
	morePick int      // picked-up connections past those
}

// Title names the client: "client 0" or "module".
func (c *ClientSummary) Title() string { return c.heading().Title() }

// heading is the client's session without ops: what a timeline's heading
// names.
func (c *ClientSummary) heading() *timeline.Session {
	return &timeline.Session{File: c.File, Client: c.Client, Dialect: c.Dialect}
}

func newClientSummary(file string, client int) *ClientSummary {
	return &ClientSummary{File: file, Client: client, Counts: timeline.Count{}}
}

// add counts op.
func (c *ClientSummary) add(op *dialect.Op) {
	if op.Dialect != "" {
		c.Dialect = op.Dialect
	}
	if c.Counts[op.Kind] == nil {
		c.Counts[op.Kind] = map[dialect.Status]int{}
	}
	c.Counts[op.Kind][op.Status]++
	c.Ops++
	if failedOrTimedOut(op) {
		c.ProblemCount++
		if len(c.Problems) < MaxProblems {
			c.Problems = append(c.Problems, detach(op))
		}
	}
}

// connection counts one of the client's connections, in order, as
// timeline.ConnectionStream hands them on.
func (c *ClientSummary) connection(conn timeline.Connection) {
	st := &c.conns
	st.Connections++
	if conn.Connected != nil {
		st.Connected++
	}
	st.UpAtLogStart = st.UpAtLogStart || conn.Up == timeline.UpAtLogStart
	switch {
	case conn.Ended != nil:
		if d, ok := conn.Uptime(time.Time{}); ok {
			st.up += d
			st.timed = true
		}
	case conn.Connected != nil && conn.Connected.Timed:
		c.upToEnd.add(conn.Connected.End)
	}
	if conn.Ended != nil && conn.Ended.Status == dialect.StatusFailed {
		st.LinkLosses++
	}
	st.StillConnected = conn.Connected != nil && conn.Ended == nil
	if note := pickedUpNote(conn); note != "" {
		if len(c.pickedUp) < maxPickedUp {
			c.pickedUp = append(c.pickedUp, note)
		} else {
			c.morePick++
		}
	}
}

// ConnStats are the client's connection numbers, the log's last logged
// time last ending the uptime of the connections still up.
func (c *ClientSummary) ConnStats(last time.Time) ConnStats {
	st := c.conns
	if d, ok := c.upToEnd.total(last); ok {
		st.up += d
		st.timed = true
	}
	st.UptimeMS = st.up.Milliseconds()
	return st
}

// ConnectionSummary says how many connections the client had and how
// long they were up; last is the log's last time.
func (c *ClientSummary) ConnectionSummary(last time.Time) string {
	st := c.ConnStats(last)
	if st.Connections == 0 {
		return "never connected"
	}
	parts := []string{countOf(st.Connections, "connection", "connections")}
	parts = append(parts, c.pickedUp...)
	if c.morePick > 0 {
		parts = append(parts, fmt.Sprintf("%d more shown up by their traffic alone", c.morePick))
	}
	if st.Connected < st.Connections {
		parts = append(parts, fmt.Sprintf("%d reached CONNACK", st.Connected))
	}
	if st.timed {
		parts = append(parts, "up "+timeline.HumanDuration(st.up)+" in all")
	}
	if st.LinkLosses > 0 {
		parts = append(parts, countOf(st.LinkLosses, "link loss", "link losses"))
	}
	switch {
	case st.StillConnected && c.windowed:
		parts = append(parts, "still connected at the end of the window")
	case st.StillConnected:
		parts = append(parts, "still connected when the log ends")
	}
	return strings.Join(parts, ", ")
}

// MoreProblems says how many failures the summary leaves out and where
// to see them all; "" when it lists every one.
func (c *ClientSummary) MoreProblems(file string) string {
	more := c.ProblemCount - len(c.Problems)
	if more <= 0 {
		return ""
	}
	return fmt.Sprintf("… %d more (atscope timeline --client %d %s lists every operation)", more, c.Client, file)
}

// pickedUpNote says how the log shows a connection up by its traffic
// alone (timeline.Connection.Up); "" for a connection it shows set up.
func pickedUpNote(c timeline.Connection) string {
	switch c.Up {
	case timeline.UpAtLogStart:
		return "connected when the log starts"
	case timeline.UpUnanswered:
		line := 0
		if len(c.Unanswered.Lines) > 0 {
			line = c.Unanswered.Lines[0]
		}
		return fmt.Sprintf("connected although the %s at line %d shows no result", c.Unanswered.Kind, line)
	}
	return ""
}

// uptimeToEnd sums the uptimes that run to the end of the log (a
// connection still up, or one a new connect replaced: Connection.Uptime),
// which is known only once the log is read: n·last − Σ CONNACK times, kept
// exactly however many there are.
type uptimeToEnd struct {
	n   int64
	ref time.Time // the first CONNACK time, which the others count from
	sum big.Int   // Σ (CONNACK − ref), in nanoseconds
	d   big.Int
}

func (u *uptimeToEnd) add(connack time.Time) {
	if u.n == 0 {
		u.ref = connack
	}
	u.n++
	u.sum.Add(&u.sum, u.d.SetInt64(int64(connack.Sub(u.ref))))
}

// total is the uptimes summed to last, the log's last logged time (never
// before a CONNACK: it is the latest time of the log).
func (u *uptimeToEnd) total(last time.Time) (time.Duration, bool) {
	if u.n == 0 {
		return 0, false
	}
	var t big.Int
	t.Mul(big.NewInt(u.n), big.NewInt(int64(last.Sub(u.ref))))
	t.Sub(&t, &u.sum)
	return time.Duration(t.Int64()), true
}

// detach copies what a report shows of op, its strings and lists copied
// too: an event's strings share the memory of the lines around them
// (decode.Tokenizer), which an op kept for the whole log would hold.
func detach(op *dialect.Op) *dialect.Op {
	c := *op
	for _, s := range []*string{&c.File, &c.Dialect, &c.Name, &c.Code, &c.Reason, &c.Topic, &c.Payload,
		&c.Host, &c.ClientID, &c.Username, &c.Password} {
		*s = strings.Clone(*s)
	}
	c.Topics = cloneStrings(c.Topics)
	c.Requested, c.Granted = append([]int(nil), c.Requested...), append([]int(nil), c.Granted...)
	c.Seqs, c.Lines = append([]int(nil), op.Seqs...), append([]int(nil), op.Lines...)
	c.Notes = append([]dialect.Note(nil), op.Notes...)
	for i := range c.Notes {
		c.Notes[i].Text = strings.Clone(c.Notes[i].Text)
	}
	if op.Will != nil {
		w := *op.Will
		w.Topic, w.Message = strings.Clone(w.Topic), strings.Clone(w.Message)
		c.Will = &w
	}
	c.Wire = nil // bytes for an exporter, which no report draws
	return &c
}

func cloneStrings(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.Clone(s)
	}
	return out
}
