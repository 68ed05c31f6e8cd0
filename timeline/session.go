// Package timeline groups the ops of each log into per-client sessions, cuts
// them into connections (open, connect, ..., close or link loss), counts
// them, and renders the timeline as text. It knows no vendor: correlation
// happened in the dialect machines.
package timeline

import (
	"slices"
	"sort"
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
}

// Connection is one stretch of a client's link: from the network open (or
// the connect, for dialects that open and connect in one step) to its close,
// disconnect or loss.
type Connection struct {
	Opened    *dialect.Op // the open or connect op that started it
	Connected *dialect.Op // the successful connect, if any
	Ended     *dialect.Op // what ended it: close, disconnect or link loss; nil if up at the end of the log
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
}

type sessionKey struct {
	file   string
	client int
}

// NewAssembler returns an empty assembler.
func NewAssembler() *Assembler { return &Assembler{sessions: map[sessionKey]*Session{}} }

// Add files an op under its session.
func (a *Assembler) Add(op *dialect.Op) {
	k := sessionKey{op.File, op.Client}
	s, ok := a.sessions[k]
	if !ok {
		s = &Session{File: op.File, Client: op.Client}
		a.sessions[k] = s
		a.order = append(a.order, k)
	}
	if op.Dialect != "" {
		s.Dialect = op.Dialect
	}
	s.Ops = append(s.Ops, op)
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
			s.Connections = connections(s.Ops, moduleLosses(out, s.File))
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
				if endsLinks(op) {
					losses = append(losses, op)
				}
			}
			return losses
		}
	}
	return nil
}

// endsLinks reports whether a module-wide op takes the MQTT links down.
func endsLinks(op *dialect.Op) bool {
	switch op.Name {
	case "RDY", "APP RDY", "Ready", "POWERED DOWN", "NORMAL POWER DOWN", "+CMQTTNONET", "ready", "WIFI DISCONNECT":
		return true
	case "+CGEV", "+QIURC", "+APP PDP", "+APP":
		return op.Status == dialect.StatusFailed
	}
	return false
}

// connections cuts a client's ops into connections.
func connections(ops []*dialect.Op, losses []*dialect.Op) []Connection {
	var out []Connection
	var cur *Connection
	end := func(op *dialect.Op) {
		if cur != nil {
			cur.Ended = op
			out = append(out, *cur)
			cur = nil
		}
	}
	li := 0
	for _, op := range ops {
		for li < len(losses) && firstSeq(losses[li]) < firstSeq(op) {
			if cur != nil && cur.Connected != nil {
				end(losses[li])
			}
			li++
		}
		switch op.Kind {
		case dialect.OpOpen:
			if op.Status == dialect.StatusOK {
				end(nil)
				cur = &Connection{Opened: op}
			}
		case dialect.OpConnect:
			if op.Status != dialect.StatusOK {
				continue
			}
			if cur == nil || cur.Connected != nil {
				end(nil)
				cur = &Connection{Opened: op}
			}
			cur.Connected = op
		case dialect.OpDisconnect, dialect.OpClose:
			if cur != nil && (op.Status == dialect.StatusOK || op.Kind == dialect.OpClose) {
				end(op)
			}
		case dialect.OpLink:
			if op.Status == dialect.StatusFailed {
				end(op)
			}
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	// A connection that was never ended is recorded with Ended nil; one
	// ended by end(nil) (a new open replacing it) also has Ended nil but is
	// not the last: mark it by leaving it as is, the renderer says so.
	return out
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
