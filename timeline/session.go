// Package timeline groups the ops of each log into per-client sessions, cuts
// them into connections (open, connect, ..., close or link loss), counts
// them, and renders the timeline as text. It knows no vendor: correlation
// happened in the dialect machines.
package timeline

import (
	"slices"
	"sort"
	"strings"
	"time"

	"atscope/dialect"
)

// Session is everything one client of one log did. Client is
// dialect.ModuleClient for the module-wide context (resets, SIM,
// registration, PDP).
type Session struct {
	File    string
	Client  int
	Dialect string
	Ops     []*dialect.Op // in log order
	// Connections are filled by Assembler.Sessions.
	Connections []Connection
	// last is the first event of the session's latest op, which a slim
	// assembler does not keep (see connections).
	last int
	// spent says a slim assembler has kept an op for Cutter.pickUp since
	// the last op that cuts connections (see picksUp).
	spent bool
}

// Connection is one stretch of a client's link: from the network open (or
// the connect, for dialects that open and connect in one step) to its close,
// disconnect or loss.
type Connection struct {
	Opened    *dialect.Op // the open or connect op that started it
	Connected *dialect.Op // the successful connect, if any
	Ended     *dialect.Op // what ended it: close, disconnect or link loss; nil if up at the end of the log
	// Up says how the log shows it come up: UpAtLogStart and UpUnanswered
	// are connections shown by their traffic alone (Connected is then the
	// first op the broker answered; see pickup.go). Unanswered is the
	// open or connect without result of UpUnanswered.
	Up         Up
	Unanswered *dialect.Op
}

// Uptime is how long the MQTT session was up: from CONNACK to the end, or
// to last when it was still up at the end of the log. ok is false without
// times.
func (c Connection) Uptime(last time.Time) (time.Duration, bool) {
	if c.Connected == nil || !c.Connected.Timed {
		return 0, false
	}
	end := last
	if c.Ended != nil {
		if c.Ended.End.IsZero() {
			return 0, false
		}
		end = c.Ended.End
	}
	if end.Before(c.Connected.End) {
		return 0, false
	}
	return end.Sub(c.Connected.End), true
}

// Assembler collects ops into sessions.
type Assembler struct {
	sessions map[sessionKey]*Session
	order    []sessionKey
	slim     bool
	recent   recentKeys[sessionKey, *Session] // the last session of each client
}

type sessionKey struct {
	file   string
	client int
}

// NewAssembler returns an empty assembler.
func NewAssembler() *Assembler { return &Assembler{sessions: map[sessionKey]*Session{}} }

// NewSlimAssembler returns an assembler for logs too long to keep: its
// sessions hold only the ops that open and end connections, in short form
// (no payload, topics, notes or lines), which is what Connections, their
// set-up times and uptimes need. Counting and timing the other ops is for
// the caller, as they come (LatencyTable.AddOp).
func NewSlimAssembler() *Assembler {
	a := NewAssembler()
	a.slim = true
	return a
}

// Add files an op under its session.
func (a *Assembler) Add(op *dialect.Op) {
	s := a.Note(op)
	if a.slim {
		if keep := s.picksUp(op); !keep && !cutsConnections(op) {
			return
		}
		op = slimOp(op)
	}
	s.Ops = append(s.Ops, op)
}

// Note counts op in its session without keeping it: the session exists,
// has the op's dialect, and a module-wide loss before the op ends its
// connection. It returns the session.
func (a *Assembler) Note(op *dialect.Op) *Session {
	s := a.recent.get(op.Client, 0, sessionKey{op.File, op.Client}, a.session)
	if op.Dialect != "" {
		s.Dialect = op.Dialect
	}
	s.last = max(s.last, firstSeq(op))
	return s
}

// session is the session of a file's client, new if need be.
func (a *Assembler) session(k sessionKey) *Session {
	s, ok := a.sessions[k]
	if !ok {
		s = &Session{File: k.file, Client: k.client}
		a.sessions[k] = s
		a.order = append(a.order, k)
	}
	return s
}

// picksUp reports whether a slim assembler keeps op for Cutter.pickUp:
// the first op that shows the client up after each op that cuts
// connections, in the order ops complete. That is at most one op more per
// cut, and it holds the one pickUp needs: ops complete out of log order (a
// connect without result completes when the log ends), so which op
// pickUp takes is decided only in Sessions.
func (s *Session) picksUp(op *dialect.Op) bool {
	switch {
	case cutsConnections(op):
		s.spent = false
	case !s.spent && ShowsUp(op):
		s.spent = true
		return true
	}
	return false
}

// cutsConnections reports whether op opens or ends a connection, or is a
// module-wide loss that ends them all (see connections); a slim assembler
// keeps every open and connect, which Cutter.pickUp reads too.
func cutsConnections(op *dialect.Op) bool {
	switch op.Kind {
	case dialect.OpOpen, dialect.OpConnect:
		return true
	case dialect.OpDisconnect:
		return op.Status == dialect.StatusOK
	case dialect.OpClose:
		return true
	case dialect.OpLink:
		return op.Status == dialect.StatusFailed || op.Client == dialect.ModuleClient && EndsLinks(op)
	}
	return op.Client == dialect.ModuleClient && EndsLinks(op)
}

// slimOp is what a connection needs of an op: kind, outcome, times, its
// first event. Its strings are copies: an event's strings share the memory
// of the lines around them (decode.Tokenizer), which a kept substring would
// keep alive for as long as the log is read.
func slimOp(op *dialect.Op) *dialect.Op {
	return &dialect.Op{File: op.File, Dialect: op.Dialect, Client: op.Client, Kind: op.Kind, Name: strings.Clone(op.Name), Topic: strings.Clone(op.Topic),
		Status: op.Status, Code: strings.Clone(op.Code), Reason: strings.Clone(op.Reason), Start: op.Start, End: op.End, Timed: op.Timed, Sent: op.Sent,
		QoS: -1, MsgID: -1, PayloadLen: -1, KeepAlive: -1, Seqs: []int{firstSeq(op)}, Lines: []int{firstLine(op)}}
}

// Sessions returns the sessions of every log in input order, the module
// context first, then clients by index; each with its ops in log order and
// its connections cut.
func (a *Assembler) Sessions() []*Session {
	keys := slices.Clone(a.order)
	fileRank := map[string]int{}
	for _, k := range a.order {
		if _, ok := fileRank[k.file]; !ok {
			fileRank[k.file] = len(fileRank)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if fileRank[keys[i].file] != fileRank[keys[j].file] {
			return fileRank[keys[i].file] < fileRank[keys[j].file]
		}
		return keys[i].client < keys[j].client
	})
	out := make([]*Session, 0, len(keys))
	for _, k := range keys {
		s := a.sessions[k]
		sort.SliceStable(s.Ops, func(i, j int) bool { return firstSeq(s.Ops[i]) < firstSeq(s.Ops[j]) })
		out = append(out, s)
	}
	for _, s := range out {
		if s.Client != dialect.ModuleClient {
			s.Connections = connections(s.Ops, moduleLosses(out, s.File), s.last)
		}
	}
	return out
}

func firstSeq(op *dialect.Op) int {
	if len(op.Seqs) == 0 {
		return int(^uint(0) >> 1)
	}
	return op.Seqs[0]
}

// moduleLosses are the module-wide ops that take every link down: a reset,
// a power-down, a PDP deactivation.
func moduleLosses(all []*Session, file string) []*dialect.Op {
	for _, s := range all {
		if s.File == file && s.Client == dialect.ModuleClient {
			var losses []*dialect.Op
			for _, op := range s.Ops {
				if EndsLinks(op) {
					losses = append(losses, op)
				}
			}
			return losses
		}
	}
	return nil
}

// EndsLinks reports whether a module-wide op takes the MQTT links down: a
// reset, a power-down, a PDP deactivation (dialect.EndsLinks knows which).
func EndsLinks(op *dialect.Op) bool { return dialect.EndsLinks(op) }

// connections cuts a client's ops into connections. A module-wide loss ends
// the connection up at the time when an op of the client follows it; last
// is the first event of the client's latest op, which ops may lack when a
// slim assembler dropped it.
func connections(ops []*dialect.Op, losses []*dialect.Op, last int) []Connection {
	var out []Connection
	var c Cutter
	li := 0
	lossesBefore := func(seq int) {
		for ; li < len(losses) && firstSeq(losses[li]) < seq; li++ {
			if ended, ok := c.Loss(losses[li]); ok {
				out = append(out, ended)
			}
		}
	}
	for _, op := range ops {
		lossesBefore(firstSeq(op))
		if ended, ok, _ := c.Add(op); ok {
			out = append(out, ended)
		}
	}
	lossesBefore(last)
	if up, ok := c.End(); ok {
		out = append(out, up)
	}
	return out
}

// Cutter cuts one client's connections from its ops as they come, in log
// order, with the module-wide losses (EndsLinks) that come before each op
// given to Loss first. Sessions uses it, and so does a capture written as
// the log streams by.
type Cutter struct {
	cur        *Connection
	seen       bool        // an open, connect or connection has been seen
	unanswered *dialect.Op // the latest open or connect, when its result is not in the log
}

// Current is the connection up or being set up, or nil.
func (c *Cutter) Current() *Connection { return c.cur }

// Loss takes a module-wide loss: it ends a connection that reached
// CONNACK, which it returns.
func (c *Cutter) Loss(op *dialect.Op) (Connection, bool) {
	if c.cur == nil || c.cur.Connected == nil {
		return Connection{}, false
	}
	return c.end(op)
}

// Add takes the client's next op. It returns the connection the op ended,
// or that a new open or connect replaced (Ended nil), and reports whether
// the op started a new connection, now Current.
func (c *Cutter) Add(op *dialect.Op) (ended Connection, ok, started bool) {
	if op.Kind == dialect.OpOpen || op.Kind == dialect.OpConnect {
		c.sawAttempt(op)
	} else if c.pickUp(op) {
		started = true
	}
	switch op.Kind {
	case dialect.OpOpen:
		if op.Status == dialect.StatusOK {
			ended, ok = c.end(nil)
			c.cur, started = &Connection{Opened: op}, true
		}
	case dialect.OpConnect:
		if op.Status != dialect.StatusOK {
			break
		}
		if c.cur == nil || c.cur.Connected != nil {
			ended, ok = c.end(nil)
			c.cur, started = &Connection{Opened: op}, true
		}
		c.cur.Connected = op
	case dialect.OpDisconnect, dialect.OpClose:
		if c.cur != nil && (op.Status == dialect.StatusOK || op.Kind == dialect.OpClose) {
			ended, ok = c.end(op)
		}
	case dialect.OpLink:
		if op.Status == dialect.StatusFailed {
			ended, ok = c.end(op)
		}
	}
	return ended, ok, started
}

// End ends the log: the connection still up, with Ended nil.
func (c *Cutter) End() (Connection, bool) { return c.end(nil) }

func (c *Cutter) end(by *dialect.Op) (Connection, bool) {
	if c.cur == nil {
		return Connection{}, false
	}
	ended := *c.cur
	ended.Ended = by
	c.cur, c.seen = nil, true
	return ended, true
}

// Span is the first and last logged time of a session's ops.
func (s *Session) Span() (first, last time.Time, ok bool) {
	for _, op := range s.Ops {
		for _, t := range []time.Time{op.Start, op.End} {
			if t.IsZero() {
				continue
			}
			if !ok || t.Before(first) {
				first = t
			}
			if !ok || t.After(last) {
				last = t
			}
			ok = true
		}
	}
	return first, last, ok
}

// Count is a number of ops by kind and status.
type Count map[dialect.OpKind]map[dialect.Status]int

// Counts counts a session's ops.
func (s *Session) Counts() Count {
	c := Count{}
	for _, op := range s.Ops {
		if c[op.Kind] == nil {
			c[op.Kind] = map[dialect.Status]int{}
		}
		c[op.Kind][op.Status]++
	}
	return c
}

// Problems are the ops that did not end well.
func (s *Session) Problems() []*dialect.Op {
	var out []*dialect.Op
	for _, op := range s.Ops {
		if op.Status == dialect.StatusFailed || op.Status == dialect.StatusTimeout {
			out = append(out, op)
		}
	}
	return out
}
