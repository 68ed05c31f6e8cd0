package timeline

import "atscope/dialect"

// ConnectionStream cuts the connections of a log's clients as their ops
// come, in log order, keeping per client only the connection up or being
// set up: each connection goes to ended as soon as it is over, so a log
// of any length with any number of reconnects holds a few ops. It cuts
// exactly as Assembler.Sessions does (TestConnectionStreamMatchesSessions):
// a module-wide loss ends a client's connection once an op of that client
// follows it.
//
//	cs := timeline.NewConnectionStream(func(file string, client int, c timeline.Connection, final bool) {...})
//	for each op in log order: cs.Add(op)
//	cs.End()
type ConnectionStream struct {
	clients map[sessionKey]*clientLink
	order   []sessionKey // clients as first seen
	recent  recentKeys[sessionKey, *clientLink]
	ended   func(file string, client int, c Connection, final bool)
}

// clientLink is one client's cutter and the first module-wide loss since
// its latest op, which its next op makes final.
type clientLink struct {
	cut  Cutter
	loss *dialect.Op
}

// NewConnectionStream hands every connection to ended once it is over:
// ended by a close, disconnect or loss, replaced by a new open or connect
// (Ended nil, final false), or still up when the log ends (Ended nil,
// final true, from End).
func NewConnectionStream(ended func(file string, client int, c Connection, final bool)) *ConnectionStream {
	return &ConnectionStream{clients: map[sessionKey]*clientLink{}, ended: ended}
}

// Add takes the log's next op.
func (s *ConnectionStream) Add(op *dialect.Op) {
	if op.Client == dialect.ModuleClient {
		if EndsLinks(op) {
			s.lose(op)
		}
		return
	}
	l := s.recent.get(op.Client, 0, sessionKey{op.File, op.Client}, s.link)
	if l.loss != nil {
		if c, ok := l.cut.Loss(l.loss); ok {
			s.ended(op.File, op.Client, c, false)
		}
		l.loss = nil
	}
	if c, ok, _ := l.cut.Add(op); ok {
		s.ended(op.File, op.Client, c, false)
	}
}

// Current is the connection of a file's client up or being set up after
// the ops added so far (nil when none).
func (s *ConnectionStream) Current(file string, client int) *Connection {
	if l := s.clients[sessionKey{file, client}]; l != nil {
		return l.cut.Current()
	}
	return nil
}

// link is the link of a file's client, new if need be.
func (s *ConnectionStream) link(k sessionKey) *clientLink {
	l := s.clients[k]
	if l == nil {
		l = &clientLink{}
		s.clients[k] = l
		s.order = append(s.order, k)
	}
	return l
}

// lose notes a module-wide loss for every client of its log whose
// connection it would end. Only the first counts: nothing changes a
// client's connection until its next op.
func (s *ConnectionStream) lose(op *dialect.Op) {
	for k, l := range s.clients {
		if k.file == op.File && l.loss == nil && l.cut.Current() != nil && l.cut.Current().Connected != nil {
			l.loss = op
		}
	}
}

// End ends the log: the connections still up go to ended as final. A loss
// that no op of its client followed does not end a connection.
func (s *ConnectionStream) End() {
	for _, k := range s.order {
		if c, ok := s.clients[k].cut.End(); ok {
			s.ended(k.file, k.client, c, true)
		}
	}
	clear(s.clients)
	s.order, s.recent = nil, recentKeys[sessionKey, *clientLink]{}
}
